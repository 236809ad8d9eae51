"""Driver: MFGLib v0.3.0's OccupationMeasureInclusion (MF-OMI-FBS) with an exact projection, in float64.

Run from the repository's root, with MFGLib 0.3.0's source unpacked in MFGLIB_SRC (the folder that
holds the package directory mfglib/) and Debian's python3-torch and python3-numpy installed:

    PYTHONPATH=$MFGLIB_SRC:finite/testdata/mfglib_driver/stubs /usr/bin/python3 \
        finite/testdata/mfglib_driver/omi_reference.py finite/testdata/mfglib_omi_reference.json

MFGLib's backward step calls OSQP (osqp_proj), which is not installed here (the stubs stand in for
osqp and scipy). This script replaces mfglib.alg.occupation_measure_inclusion.osqp_proj by
exact_proj below, which ignores OSQP's tolerances and warm start and returns the Euclidean
projection of d onto {x : A x = b, x >= 0} to rounding; everything else is MFGLib's own code
(mf_omo_params, the forward step, policy_from_mean_field, exploitability_score, the solve loop),
run with torch's default dtype float64.

exact_proj is independent of the Go projection (a semismooth Newton method on the dual): it runs
ADMM (x on the affine set through the pseudo-inverse of A, z = max(0, x + u)) until the support
{z > 1e-10} gives, by an equality-constrained projection on it (repeated without the entries it
makes <= 1e-12, zeros but for rounding, as at a state of no mass), a point x_p that is non-negative,
within 1e-6 of z, satisfies A x_p = b to 1e-13, and has a KKT certificate: a multiplier λ (least
squares of Aᵀλ = x_p - d - μ, μ = -ρu ADMM's estimate of the bound multipliers) with
d + Aᵀλ = x_p to 1e-9 on the support and d + Aᵀλ <= 1e-9 off it.

The policy threshold of MFGLib's read-out is tol = (osqp_atol + osqp_rtol)/2 * 10: the runs pass
osqp_atol = osqp_rtol = t/10 for a threshold t (t = 0: no threshold; t = 1e-7: MFGLib's value
with solve(atol=None, rtol=None), as in its tests).
"""
import json, sys, warnings
warnings.simplefilter("ignore")
import numpy as np
import torch
import mfglib.env, mfglib.alg, mfglib.scoring  # (mfglib.alg before mfglib.scoring: circular import)
import mfglib.alg.occupation_measure_inclusion as omi
from mfglib.env import Environment

OUT = sys.argv[1] if len(sys.argv) > 1 else "mfglib_omi_reference.json"
ITERS = 100
RUNS = [  # (MFGLib game, Go game, alpha, threshold)
    ("left_right", "left-right", 0.01, 0.0),
    ("left_right", "left-right", 1e-3, 0.0),
    ("left_right", "left-right", 0.01, 1e-7),
    ("beach_bar", "beach-bar", 0.01, 0.0),
    ("beach_bar", "beach-bar", 1e-3, 0.0),
    ("rock_paper_scissors", "rock-paper-scissors", 0.01, 0.0),
    ("rock_paper_scissors", "rock-paper-scissors", 1e-3, 0.0),
    ("susceptible_infected", "susceptible-infected", 0.01, 0.0),
    ("conservative_treasure_hunting", "conservative-treasure-hunting", 0.01, 0.0),
    ("equilibrium_price", "equilibrium-price", 0.01, 0.0),
    ("linear_quadratic", "linear-quadratic", 0.01, 0.0),
]
STATS = {"projections": 0, "admm_iterations_max": 0, "residual_max": 0.0}


def exact_proj(d, b, A, x0, y0, eps_abs, eps_rel):
    d = d.detach().numpy().astype(np.float64)
    b = b.detach().numpy().astype(np.float64)
    A = A.detach().numpy().astype(np.float64)
    Ap = np.linalg.pinv(A)
    aff = lambda v: v - Ap @ (A @ v - b)
    rho = 1.0
    z = np.maximum(aff(d), 0.0)
    u = np.zeros_like(d)
    for k in range(1, 400001):
        x = aff((d + rho * (z - u)) / (1 + rho))
        z = np.maximum(x + u, 0.0)
        u += x - z
        if k % 20 == 0:
            xp = polish(d, b, A, z, u, rho)
            if xp is not None:
                STATS["projections"] += 1
                STATS["admm_iterations_max"] = max(STATS["admm_iterations_max"], k)
                STATS["residual_max"] = max(STATS["residual_max"], float(np.abs(A @ xp - b).max()))
                return torch.tensor(xp, dtype=torch.float64), xp, None
    raise RuntimeError("exact_proj: ADMM found no certified support")


def project_on(d, b, A, F):
    xp = np.zeros_like(d)
    if F.any():
        AF = A[:, F]
        xp[F] = d[F] + np.linalg.pinv(AF) @ (b - AF @ d[F])
    return xp


def polish(d, b, A, z, u, rho):
    F = z > 1e-10
    xp = project_on(d, b, A, F)
    if (xp[F] <= 1e-12).any():  # entries that are zero but for rounding (a state of no mass): off the support
        F = F & (xp > 1e-12)
        xp = project_on(d, b, A, F)
    if (xp < 0).any() or np.abs(xp - z).max() > 1e-6 or np.abs(A @ xp - b).max() > 1e-13:
        return None
    mu = np.where(F, 0.0, np.maximum(-rho * u, 0.0))
    lam = np.linalg.lstsq(A.T, xp - d - mu, rcond=None)[0]
    zz = d + A.T @ lam
    if np.abs(zz[F] - xp[F]).max(initial=0.0) > 1e-9 or zz[~F].max(initial=-1.0) > 1e-9:
        return None
    return xp


omi.osqp_proj = exact_proj


def run(game, alpha, threshold):
    torch.set_default_dtype(torch.float64)
    env = getattr(Environment, game)()
    alg = omi.OccupationMeasureInclusion(alpha=alpha, osqp_atol=threshold / 10, osqp_rtol=threshold / 10)
    pis, expls, _ = alg.solve(env, pi_0="uniform", max_iter=ITERS, atol=None, rtol=None)
    last = pis[-1].reshape(env.T + 1, env.n_states, env.n_actions)
    return {"expl": [float(e) for e in expls], "final_policy": last.flatten().tolist(),
            "policy_10": pis[10].reshape(env.T + 1, env.n_states, env.n_actions).flatten().tolist()}


def main():
    res = {"mfglib_version": "0.3.0 (f2509999af1bcc3fcca1b24a3edd7e352c268027)",
           "torch_version": torch.__version__, "numpy_version": np.__version__,
           "how": ("PYTHONPATH=$MFGLIB_SRC:finite/testdata/mfglib_driver/stubs /usr/bin/python3 "
                   "finite/testdata/mfglib_driver/omi_reference.py finite/testdata/mfglib_omi_reference.json; "
                   "torch default dtype float64; OccupationMeasureInclusion(alpha, osqp_atol=osqp_rtol=threshold/10)"
                   ".solve(env, pi_0='uniform', max_iter=100, atol=None, rtol=None) on Environment.<game>() with "
                   "default parameters, with osqp_proj replaced by an exact projection (ADMM, then the "
                   "equality-constrained projection on its support, certified by KKT; see the script's docstring)."),
           "iterations": ITERS, "runs": []}
    for game, go_game, alpha, thr in RUNS:
        r = run(game, alpha, thr)
        r.update({"game": game, "go_game": go_game, "alpha": alpha, "policy_threshold": thr})
        res["runs"].append(r)
        print(game, alpha, thr, r["expl"][0], r["expl"][-1], dict(STATS), flush=True)
    res["projection_stats"] = STATS
    with open(OUT, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
