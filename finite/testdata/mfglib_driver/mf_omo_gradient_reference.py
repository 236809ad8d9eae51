"""Driver: MFGLib v0.3.0's gradient of the MF-OMO objective, for the Go port (algorithms/mf_omo.go).

Run from the repository's root, with MFGLib 0.3.0's source unpacked in MFGLIB_SRC and Debian's
python3-torch installed:

    PYTHONPATH=$MFGLIB_SRC:finite/testdata/mfglib_driver/stubs /usr/bin/python3 \
        finite/testdata/mfglib_driver/mf_omo_gradient_reference.py finite/testdata/mfglib_mf_omo_gradients.json

Everything in float64 (torch.set_default_dtype(torch.float64) before the environment is built;
random_linear's tensors drawn in float32 and up-cast, as in reference.py). For each game at its
defaults, mf_omo_obj(env, x, zv, yw, loss, c1, c2, c3, parameterize).backward() (autograd through
env.prob and env.reward, as MFOMO.solve takes it) at:
  - "init": MFOMO's own initial variables, L = (uniform pi)/n_s and hat_initialization's z, y;
    loss l1_l2, c1 = c2 = c3 = 1;
  - on the small games, "random": a point drawn with torch.manual_seed(14): L_t = r_t/sum(r_t) with
    r uniform on [0.1, 1.1), z uniform on [0, 1), y standard normal; for each loss (l1_l2, l2, l1) with
    c1, c2, c3 = 1.5, 0.7, 1.3, unparameterised, and with loss l1_l2 parameterised at u = log L,
    v standard normal (length n+1), w standard normal.
The small games store the points and the full gradients; the two large ones (building_evacuation,
crowd_motion) store, at "init", each gradient block's sum of squares and its dot product with
sin(1), sin(2), ..., which check every entry without storing them.
"""
import json, math, platform, sys, warnings
warnings.simplefilter("ignore")
import numpy
import torch
import mfglib.env, mfglib.alg, mfglib.scoring  # (mfglib.alg before mfglib.scoring: circular import)
from mfglib.env import Environment
from mfglib.alg.mf_omo_obj import mf_omo_obj
from mfglib.alg.utils import hat_initialization

OUT = sys.argv[1] if len(sys.argv) > 1 else "mfglib_mf_omo_gradients.json"
SMALL = ["left_right", "beach_bar", "rock_paper_scissors", "susceptible_infected",
         "conservative_treasure_hunting", "equilibrium_price", "linear_quadratic", "random_linear"]
LARGE = ["building_evacuation", "crowd_motion"]


def make_env(name):
    if name == "random_linear":
        torch.set_default_dtype(torch.float32)
        env = Environment.random_linear()
        torch.set_default_dtype(torch.float64)
        for o, names in ((env.reward_fn, ("r1", "r2")), (env.transition_fn, ("p1", "p2"))):
            for nm in names:
                setattr(o, nm, getattr(o, nm).double())
        env.mu0 = env.mu0.double()
        return env
    return getattr(Environment, name)()


def grad(env, x, zv, yw, loss, c, param):
    x, zv, yw = (t.detach().clone().requires_grad_(True) for t in (x, zv, yw))
    obj = mf_omo_obj(env, x, zv, yw, loss, c[0], c[1], c[2], param)
    obj.backward()
    return float(obj), x.grad.flatten(), zv.grad, yw.grad


def digest(g):
    w = torch.sin(torch.arange(1, len(g) + 1, dtype=torch.float64))
    return {"sum_squares": float((g * g).sum()), "dot_sin": float((g * w).sum())}


def init_point(env):
    T, n_s, n_a = env.T, env.n_states, env.n_actions
    L = torch.ones((T + 1,) + env.S + env.A) / n_a / n_s
    z, y = hat_initialization(env, L, False)
    return L, z, y


def main():
    torch.set_default_dtype(torch.float64)
    res = {"mfglib_version": "0.3.0", "mfglib_commit": "f2509999af1bcc3fcca1b24a3edd7e352c268027",
           "torch_version": torch.__version__, "numpy_version": numpy.__version__,
           "python_version": platform.python_version(),
           "blas": "Debian's python3-torch 1.13 linked against Debian's reference BLAS (libblas3)",
           "command": ("PYTHONPATH=/tmp/mfglib:finite/testdata/mfglib_driver/stubs /usr/bin/python3 "
                       "finite/testdata/mfglib_driver/mf_omo_gradient_reference.py finite/testdata/mfglib_mf_omo_gradients.json"),
           "how": __doc__, "games": {}}
    for name in SMALL + LARGE:
        env = make_env(name)
        T = env.T
        n = (T + 1) * env.n_states * env.n_actions
        L, z, y = init_point(env)
        obj, gL, gz, gy = grad(env, L, z, y, "l1_l2", (1.0, 1.0, 1.0), False)
        entry = {"init": {"objective": obj}}
        if name in LARGE:
            entry["init"].update({"gL": digest(gL), "gz": digest(gz), "gy": digest(gy)})
            res["games"][name] = entry
            print(name, obj, flush=True)
            continue
        entry["init"].update({"gL": gL.tolist(), "gz": gz.tolist(), "gy": gy.tolist()})
        torch.manual_seed(14)
        r = 0.1 + torch.rand((T + 1,) + env.S + env.A)
        Lr = r / r.flatten(start_dim=1).sum(-1).reshape((T + 1,) + (1,) * (r.dim() - 1))
        zr = torch.rand(n)
        yr = torch.randn((T + 1) * env.n_states)
        vr = torch.randn(n + 1)
        wr = torch.randn((T + 1) * env.n_states)
        entry["random"] = {"L": Lr.flatten().tolist(), "z": zr.tolist(), "y": yr.tolist(),
                           "v": vr.tolist(), "w": wr.tolist(), "c": [1.5, 0.7, 1.3]}
        for loss in ("l1_l2", "l2", "l1"):
            obj, gL, gz, gy = grad(env, Lr, zr, yr, loss, (1.5, 0.7, 1.3), False)
            entry["random"][loss] = {"objective": obj, "gL": gL.tolist(), "gz": gz.tolist(), "gy": gy.tolist()}
        obj, gu, gv, gw = grad(env, torch.log(Lr), vr, wr, "l1_l2", (1.5, 0.7, 1.3), True)
        entry["random"]["parameterized_l1_l2"] = {"objective": obj, "gu": gu.tolist(), "gv": gv.tolist(), "gw": gw.tolist()}
        res["games"][name] = entry
        print(name, obj, flush=True)
    with open(OUT, "w") as f:
        json.dump(res, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
