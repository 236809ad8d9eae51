"""Driver: MFGLib v0.3.0 MF-OMO exploitability traces for the Go port (algorithms/mf_omo.go).

Run from the repository's root, with MFGLib 0.3.0's source unpacked in MFGLIB_SRC (the folder that
holds the package directory mfglib/) and Debian's python3-torch installed:

    PYTHONPATH=$MFGLIB_SRC:finite/testdata/mfglib_driver/stubs /usr/bin/python3 \
        finite/testdata/mfglib_driver/mf_omo_reference.py finite/testdata/mfglib_mf_omo_reference.json

Every run is MFOMO(**kwargs).solve(env, pi_0="uniform", max_iter=N, atol=None, rtol=None) on
Environment.<game>() with its default parameters, once with torch's default dtype float32 (as MFGLib
runs) and once with torch.set_default_dtype(torch.float64) set before the environment is built (for
random_linear the random tensors are drawn in float32, as in float32 runs, then upcast, as
reference.py does). Non-finite exploitabilities are written as the strings "NaN", "Inf", "-Inf".
The stubs stand in for optuna, osqp, rich and scipy, which MFGLib imports but MF-OMO never calls.
"""
import json, math, platform, sys, time, warnings
warnings.simplefilter("ignore")
import numpy
import torch
import mfglib.env, mfglib.alg, mfglib.scoring  # (mfglib.alg before mfglib.scoring: circular import)
from mfglib.env import Environment
from mfglib.alg import MFOMO

OUT = sys.argv[1] if len(sys.argv) > 1 else "mfglib_mf_omo_reference.json"

# (game, max_iter): the two large games (dense A_L of 2000 x 12000 and 1600 x 8000) run fewer iterations.
DEFAULT_RUNS = [("left_right", 200), ("beach_bar", 200), ("rock_paper_scissors", 200),
                ("susceptible_infected", 100), ("conservative_treasure_hunting", 100),
                ("equilibrium_price", 100), ("linear_quadratic", 100), ("random_linear", 100),
                ("crowd_motion", 20), ("building_evacuation", 10)]
# Non-default settings, run on the three small games.
VARIANTS = {
    "loss=l1": dict(loss="l1"),
    "loss=l2": dict(loss="l2"),
    "rb_freq=5": dict(rb_freq=5),
    "rb_freq=3,loss=l1,c1=4": dict(rb_freq=3, loss="l1", c1=4.0),
    "parameterize=True": dict(parameterize=True),
    "hat_init=False": dict(hat_init=False),
    "SGD,lr=0.01": dict(optimizer={"name": "SGD", "config": {"lr": 0.01}}),
    "Adam,lr=0.01,c2=0.5,c3=2": dict(optimizer={"name": "Adam", "config": {"lr": 0.01}}, c2=0.5, c3=2.0),
}
VARIANT_GAMES = [("left_right", 100), ("beach_bar", 100), ("rock_paper_scissors", 100)]
LR_MU0 = [(1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0), (1 / 3, 1 / 3, 1 / 3)]


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Inf" if x > 0 else "-Inf"
    return x


def make_env(name, dtype64):
    if name == "random_linear" and dtype64:
        torch.set_default_dtype(torch.float32)
        env = Environment.random_linear()
        torch.set_default_dtype(torch.float64)
        for o, names in ((env.reward_fn, ("r1", "r2")), (env.transition_fn, ("p1", "p2"))):
            for nm in names:
                setattr(o, nm, getattr(o, nm).double())
        env.mu0 = env.mu0.double()
        return env
    return getattr(Environment, name)()


def perturbed_start(env, kwargs):
    """MFOMO's own initial variables (L = uniform pi / n_s, hat_initialization or zeros), each entry
    multiplied by 1 + 1e-15 (2u - 1), u uniform on [0, 1) from torch.manual_seed(0): a rounding-sized
    change, to find the iterations from which MFGLib's trace depends on rounding."""
    from mfglib.alg.utils import hat_initialization
    T, n_s, n_a = env.T, env.n_states, env.n_actions
    L = torch.ones((T + 1,) + env.S + env.A) / n_a / n_s
    par = kwargs.get("parameterize", False)
    hat = kwargs.get("hat_init", True)
    if par:
        x = torch.log(L)
        zv, yw = (hat_initialization(env, L, True) if hat else (None, None))
        if zv is None:
            zv = torch.zeros((T + 1) * n_s * n_a + 1)
        if yw is None:
            yw = torch.zeros((T + 1) * n_s)
    else:
        x = L
        zv, yw = (hat_initialization(env, L, False) if hat else
                  (torch.zeros((T + 1) * n_s * n_a), torch.zeros((T + 1) * n_s)))
    g = torch.Generator().manual_seed(0)
    out = [t.detach().clone() * (1 + 1e-15 * (2 * torch.rand(t.shape, generator=g, dtype=torch.float64) - 1)).to(t.dtype)
           for t in (x, zv, yw)]
    names = ("u", "v", "w") if par else ("L", "z", "y")
    return dict(zip(names, out))


def run(name, kwargs, max_iter, dtype64, env=None, perturb=False):
    torch.set_default_dtype(torch.float64 if dtype64 else torch.float32)
    try:
        if env is None:
            env = make_env(name, dtype64)
        t0 = time.time()
        extra = perturbed_start(env, kwargs) if perturb else {}
        pis, expls, _ = MFOMO(**kwargs, **extra).solve(env, pi_0="uniform", max_iter=max_iter, atol=None, rtol=None)
        return {"expl": [num(e) for e in expls], "seconds": time.time() - t0, "error": None}, pis
    except Exception as e:  # record failures instead of crashing
        return {"expl": None, "error": f"{type(e).__name__}: {e}"}, None
    finally:
        torch.set_default_dtype(torch.float32)


def main():
    res = {"mfglib_version": "0.3.0", "mfglib_commit": "f2509999af1bcc3fcca1b24a3edd7e352c268027",
           "torch_version": torch.__version__, "numpy_version": numpy.__version__,
           "python_version": platform.python_version(),
           "blas": "Debian's python3-torch 1.13 linked against Debian's reference BLAS (libblas3)",
           "torch_threads": torch.get_num_threads(),
           "command": ("PYTHONPATH=/tmp/mfglib:finite/testdata/mfglib_driver/stubs /usr/bin/python3 "
                       "finite/testdata/mfglib_driver/mf_omo_reference.py finite/testdata/mfglib_mf_omo_reference.json"),
           "how": ("MFOMO(**kwargs).solve(Environment.<game>(), pi_0='uniform', max_iter=N, atol=None, rtol=None); "
                   "'expl' is the returned list (index 0 = the initial policy, then iterations 1..N). "
                   "'float32' runs with torch's default dtype (MFGLib as shipped), 'float64' with "
                   "torch.set_default_dtype(torch.float64) before the environment is built. "
                   "Each float64 run has a 'perturbed' twin started from MFOMO's own initial L, z, y (u, v, w) "
                   "with every entry multiplied by 1 + 1e-15 (2u - 1) (see perturbed_start): where the twin's trace leaves "
                   "the run's, MFGLib's trace is decided by rounding (e.g. an L_t(s, .) projected to exactly 0 or not, "
                   "which flips that state's policy row to uniform)."),
           "defaults": {}, "variants": {}, "left_right_4000": {}}
    for dt in ("float32", "float64"):
        res["defaults"][dt] = {}
        for g, n in DEFAULT_RUNS:
            r, _ = run(g, {}, n, dt == "float64")
            if dt == "float64":
                r["perturbed"] = run(g, {}, n, True, perturb=True)[0]
            res["defaults"][dt][g] = r
            print(dt, g, r.get("error"), r["expl"][-1] if r["expl"] else None, r.get("seconds"), flush=True)
        res["variants"][dt] = {}
        for v, kw in VARIANTS.items():
            res["variants"][dt][v] = {}
            for g, n in VARIANT_GAMES:
                r, _ = run(g, kw, n, dt == "float64")
                if dt == "float64":
                    r["perturbed"] = run(g, kw, n, True, perturb=True)[0]
                res["variants"][dt][v][g] = r
                print(dt, v, g, r.get("error"), r["expl"][-1] if r["expl"] else None, flush=True)
        # MFGLib's test_alg_on_lr for MFOMO(): 4000 iterations from each mu0.
        res["left_right_4000"][dt] = []
        for mu0 in LR_MU0:
            torch.set_default_dtype(torch.float64 if dt == "float64" else torch.float32)
            env = Environment.left_right(mu0=mu0)
            r, pis = run("left_right", {}, 4000, dt == "float64", env=env)
            last = pis[-1]
            mass_left = float(env.mu0 @ last[0, :, 0])
            res["left_right_4000"][dt].append({
                "mu0": list(mu0), "mu0_dot_pi_last_0_left": mass_left,
                "expl_last": r["expl"][-1], "expl_every_500": r["expl"][::500],
                "pi_last": last.double().tolist(), "seconds": r["seconds"]})
            print(dt, "lr4000", mu0, mass_left, r["expl"][-1], flush=True)
    # linear_quadratic's transitions round y = s - el + (k (m - s + el) + a - m_a) delta + sigma eps sqrt(delta),
    # which falls on exact halves at the symmetric mean m = 0: float64 MFGLib rounds them by the sign of the
    # rounding noise in m (-1e-12), so its exploitability of a policy is decided by rounding. The policies of
    # MFOMO() themselves are recorded for a comparison that does not evaluate them.
    torch.set_default_dtype(torch.float64)
    env = Environment.linear_quadratic()
    pis, _, _ = MFOMO().solve(env, pi_0="uniform", max_iter=3, atol=None, rtol=None)
    res["linear_quadratic_policies_float64"] = [p.flatten().tolist() for p in pis]
    torch.set_default_dtype(torch.float32)
    with open(OUT, "w") as f:
        json.dump(res, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
