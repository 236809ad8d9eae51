"""Driver: MFGLib v0.3.0 reference exploitabilities for a Go re-implementation.

Run from the repository's root, with MFGLib 0.3.0's source unpacked in MFGLIB_SRC (the folder that
holds the package directory mfglib/) and Debian's python3-torch installed:

    PYTHONPATH=$MFGLIB_SRC:finite/testdata/mfglib_driver/stubs /usr/bin/python3 \
        finite/testdata/mfglib_driver/reference.py finite/testdata/mfglib_reference.json

The stubs stand in for optuna, osqp, rich and scipy, which MFGLib imports but these code paths
never call.
"""
import json, math, statistics, sys, time, warnings
warnings.simplefilter("ignore")
import torch
import mfglib.env, mfglib.alg, mfglib.scoring  # (mfglib.alg must be imported before mfglib.scoring: circular import)
from mfglib.env import Environment
from mfglib.alg import FictitiousPlay, OnlineMirrorDescent, PriorDescent

OUT = sys.argv[1] if len(sys.argv) > 1 else "mfglib_reference.json"
GAMES = ["beach_bar", "building_evacuation", "conservative_treasure_hunting",
         "crowd_motion", "equilibrium_price", "left_right", "linear_quadratic",
         "random_linear", "rock_paper_scissors", "susceptible_infected"]
ALGS = {"fictitious_play": lambda: FictitiousPlay(),
        "online_mirror_descent": lambda: OnlineMirrorDescent(),
        "prior_descent": lambda: PriorDescent()}
EXTRA_ALGS = {"fictitious_play_alpha0.5": lambda: FictitiousPlay(alpha=0.5),
              "prior_descent_eta0.5_ninner2": lambda: PriorDescent(eta=0.5, n_inner=2),
              "online_mirror_descent_alpha0.1": lambda: OnlineMirrorDescent(alpha=0.1)}


def fl(x):
    return float(x)


def run(env_name, make_alg, max_iter=10, dtype64=False):
    if dtype64:
        torch.set_default_dtype(torch.float64)
    try:
        if env_name == "random_linear" and dtype64:
            # draw the random tensors exactly as in float32, then upcast them
            torch.set_default_dtype(torch.float32)
            env = Environment.random_linear()
            torch.set_default_dtype(torch.float64)
            for o, names in ((env.reward_fn, ("r1", "r2")), (env.transition_fn, ("p1", "p2"))):
                for nm in names:
                    setattr(o, nm, getattr(o, nm).double())
            env.mu0 = env.mu0.double()
        else:
            env = getattr(Environment, env_name)()
        alg = make_alg()
        pis, expls, rts = alg.solve(env, pi_0="uniform", max_iter=max_iter, atol=None, rtol=None)
        nonfinite = [i for i, p in enumerate(pis) if not torch.isfinite(p).all()]
        return {"expl": [fl(e) for e in expls], "error": None,
                "iterations_with_nonfinite_policy": nonfinite}
    except Exception as e:  # record failures instead of crashing
        return {"expl": None, "error": f"{type(e).__name__}: {e}"}
    finally:
        torch.set_default_dtype(torch.float32)


def tolerant_greedy(env, L, rtol=1e-9):
    """Greedy_Policy, but every action with Q >= max - rtol*max(1,|max|) counts as a maximiser."""
    from mfglib.alg.q_fn import QFn
    Q = QFn(env, L).optimal()
    l_s = len(env.S)
    Qf = Q.flatten(start_dim=1 + l_s)
    mx = Qf.max(dim=-1, keepdim=True)[0]
    mask = (Qf >= mx - rtol * torch.clamp(mx.abs(), min=1.0)).to(Q.dtype)
    return (mask / mask.sum(dim=-1, keepdim=True)).reshape(Q.shape)


def run_fp_tolerant(env_name, alpha=0.0):
    import mfglib.alg.fictitious_play as fpmod
    orig = fpmod.Greedy_Policy
    fpmod.Greedy_Policy = tolerant_greedy
    try:
        return run(env_name, lambda: FictitiousPlay(alpha=alpha), dtype64=True)
    finally:
        fpmod.Greedy_Policy = orig


def dump_random_linear():
    # Replicate the exact torch call sequence of Environment.random_linear(T=3,n=5,m=10,seed=0)
    n, m = 5, 10.0
    torch.manual_seed(0)
    raw = {}
    raw["r1"] = torch.rand(n, n)
    raw["r2"] = torch.rand(n, n)
    raw["p1"] = torch.rand(n, n, n)
    raw["p2"] = torch.rand(n, n, n)
    env = Environment.random_linear()
    built = {"r1": env.reward_fn.r1, "r2": env.reward_fn.r2,
             "p1": env.transition_fn.p1, "p2": env.transition_fn.p2}
    use = {
        "r1": "RewardFn.r1 = 2*m*torch.rand(n,n) - m  (reward r_t = r1 @ L_t + r2, matrix product over the action index of L_t: r[s,a] = sum_k r1[s,k] L_t[k,a] + r2[s,a])",
        "r2": "RewardFn.r2 = 2*m*torch.rand(n,n) - m  (additive reward term r2[s,a])",
        "p1": "TransitionFn.p1 = 2*m*torch.rand(n,n,n) - m  (batched matmul: logits[s',s,a] = sum_k p1[s',s,k] L_t[k,a] + p2[s',s,a]; P = softmax over s' (dim 0))",
        "p2": "TransitionFn.p2 = 2*m*torch.rand(n,n,n) - m  (additive logits term p2[s',s,a])",
    }
    out = {"order_of_creation": ["r1", "r2", "p1", "p2"],
           "note": "torch.manual_seed(0); RewardFn is constructed before TransitionFn (keyword-argument evaluation order), so the 4 torch.rand calls are r1(5x5), r2(5x5), p1(5x5x5), p2(5x5x5). Values are float32 stored as exact decimal of the float32 value (repr of Python float). 'values' are the tensors actually used (nested lists, row-major); 'raw_uniform' the torch.rand draws in [0,1). values == float32(float32(raw*20.0) - 10.0).",
           "tensors": {}}
    for k in out["order_of_creation"]:
        recon = (2 * m * raw[k] - m)
        assert torch.equal(recon, built[k]), k
        out["tensors"][k] = {"shape": list(built[k].shape), "used_for": use[k],
                              "values": built[k].tolist(), "raw_uniform": raw[k].tolist()}
    return out


def dump_crowd_bar_locs():
    T, L, W, freq = 3, 20, 20, 2
    torch.manual_seed(0)
    bar_loc = (L // 2, W // 2)
    bar_locs = [bar_loc]
    draws = []
    for i in range(T + 1):
        if (i + 1) % freq == 0:
            choices = [-1, 1]
            a = int(torch.randint(0, 2, size=(1,)))
            b = int(torch.randint(0, 2, size=(1,)))
            draws.append([i, a, b])
            new = (bar_loc[0] + choices[a], bar_loc[1] + choices[b])
            if 0 <= new[0] < L and 0 <= new[1] < W:
                bar_loc = new
        bar_locs.append(bar_loc)
    # cross-check with the object actually built: c1s[t] is maximal (=1) at bar_locs[t]
    env = Environment.crowd_motion()
    for t in range(T + 1):
        c1 = env.reward_fn.c1s[t][:, :, 0]
        idx = (c1 == c1.max()).nonzero().tolist()
        assert idx == [list(bar_locs[t])], (t, idx, bar_locs[t])
    return bar_locs, draws


def timing(env_name, n=5):
    env = getattr(Environment, env_name)()
    _, _, rts = PriorDescent().solve(env, pi_0="uniform", max_iter=n, atol=None, rtol=None)
    per = [rts[i] - rts[i - 1] for i in range(1, len(rts))]
    return statistics.median(per), per


def first_bad(a, b, rtol=1e-4, atol=1e-5):
    for i, (x, y) in enumerate(zip(a, b)):
        if abs(x - y) > atol + rtol * abs(y):
            return i
    return None


def value_scale(env_name):
    """sum_s mu0(s) max_a Q*_0(s,a) under the uniform policy's mean field (float64)."""
    from mfglib.alg.q_fn import QFn
    from mfglib.utils import mean_field_from_policy
    torch.set_default_dtype(torch.float64)
    try:
        env = getattr(Environment, env_name)()
        if env_name == "random_linear":
            torch.set_default_dtype(torch.float32)
            env = Environment.random_linear()
            torch.set_default_dtype(torch.float64)
            for o, names in ((env.reward_fn, ("r1", "r2")), (env.transition_fn, ("p1", "p2"))):
                for nm in names:
                    setattr(o, nm, getattr(o, nm).double())
            env.mu0 = env.mu0.double()
        pi = torch.ones((env.T + 1,) + env.S + env.A) / env.n_actions
        L = mean_field_from_policy(pi, env=env)
        Q = QFn(env, L).optimal()
        v = Q[0].flatten(start_dim=len(env.S)).max(-1)[0]
        return float((env.mu0 * v).sum())
    finally:
        torch.set_default_dtype(torch.float32)


def summarize(res):
    out = {"note": ("first_disagreement = first iteration index where |a-b| > 1e-5 + 1e-4*|b| (null = all 11 agree). "
                    "f32 = the MFGLib reference (games), f64 = float64_variant, f64tol = float64_tie_tolerant_fictitious_play. "
                    "value_scale = sum_s mu0(s) max_a Q*_0(s,a) at the uniform policy (float64): the exploitability is a difference of "
                    "two numbers of roughly this size, so float32 absolute noise is about 1e-7..1e-6 * value_scale."),
           "value_scale": {g: value_scale(g) for g in GAMES}, "per_run": {}}
    for g, algs in res["games"].items():
        for a, v in algs.items():
            if v is None:
                continue
            f64 = res["float64_variant"][g][a]
            r = {"f32_vs_f64_first_disagreement": first_bad(v, f64),
                 "max_abs_diff_f32_f64": max(abs(x - y) for x, y in zip(v, f64))}
            if a == "fictitious_play":
                tol = res["float64_tie_tolerant_fictitious_play"][g]
                r["f32_vs_f64tol_first_disagreement"] = first_bad(v, tol)
                r["f64_vs_f64tol_first_disagreement"] = first_bad(f64, tol)
            out["per_run"][f"{g}/{a}"] = r
    for g, algs in res["extra"].items():
        for a, v in algs.items():
            f64 = res["float64_variant"]["extra"][g][a]
            out["per_run"][f"extra/{g}/{a}"] = {"f32_vs_f64_first_disagreement": first_bad(v, f64),
                                                "max_abs_diff_f32_f64": max(abs(x - y) for x, y in zip(v, f64))}
    return out


def main():
    res = {"mfglib_version": "0.3.0",
           "torch_version": torch.__version__,
           "how": ("PYTHONPATH=/tmp/mfglib:/tmp/mfgstubs /usr/bin/python3 /tmp/mfgref/run.py ; "
                   "for each game Environment.<game>() with default parameters and each algorithm with "
                   "default parameters: pis, expls, rts = alg.solve(env, pi_0='uniform', max_iter=10, atol=None, rtol=None); "
                   "expls (11 floats: index 0 = uniform policy, then iterations 1..10) recorded as returned. "
                   "torch default dtype float32 (MFGLib computes everything in float32; the floats are float32 values "
                   "widened exactly to Python float). Stub modules for optuna/osqp/rich/scipy were on PYTHONPATH (never called). "
                   "Entries that are null carry an 'errors' message: MFGLib raised an exception for that combination."),
           "games": {}, "errors": {}, "nonfinite_policy_iterations": {},
           "extra": {}, "float64_variant": {}}
    for g in GAMES:
        res["games"][g] = {}
        for a, mk in ALGS.items():
            r = run(g, mk)
            res["games"][g][a] = r["expl"]
            if r["error"]:
                res["errors"][f"{g}/{a}"] = r["error"]
            elif r["iterations_with_nonfinite_policy"]:
                res["nonfinite_policy_iterations"][f"{g}/{a}"] = r["iterations_with_nonfinite_policy"]
            print(g, a, r, flush=True)
    for g in ["beach_bar", "susceptible_infected"]:
        res["extra"][g] = {}
        for a, mk in EXTRA_ALGS.items():
            r = run(g, mk)
            res["extra"][g][a] = r["expl"]
            if r["error"]:
                res["errors"][f"extra/{g}/{a}"] = r["error"]
            elif r["iterations_with_nonfinite_policy"]:
                res["nonfinite_policy_iterations"][f"extra/{g}/{a}"] = r["iterations_with_nonfinite_policy"]
            print("extra", g, a, r, flush=True)
    res["float64_variant_note"] = (
        "NOT the reference: same runs with torch.set_default_dtype(torch.float64) (random_linear's random tensors drawn in float32 "
        "then upcast, so the game is identical). Shows how sensitive each sequence is to float32 rounding (e.g. greedy-policy ties "
        "decided by exact float equality, round-half-even in linear_quadratic, exp overflow in PriorDescent). "
        "A float64 Go implementation should be compared against both.")
    for g in GAMES:
        res["float64_variant"][g] = {}
        for a, mk in ALGS.items():
            r = run(g, mk, dtype64=True)
            res["float64_variant"][g][a] = r["expl"] if not r["error"] else ("ERROR " + r["error"])
            print("f64", g, a, r, flush=True)
    res["float64_variant"]["extra"] = {}
    for g in ["beach_bar", "susceptible_infected"]:
        res["float64_variant"]["extra"][g] = {}
        for a, mk in EXTRA_ALGS.items():
            r = run(g, mk, dtype64=True)
            res["float64_variant"]["extra"][g][a] = r["expl"] if not r["error"] else ("ERROR " + r["error"])
    res["float64_tie_tolerant_fictitious_play_note"] = (
        "NOT MFGLib: float64 FictitiousPlay whose greedy best response treats every action with "
        "Q*(s,a) >= max_a Q* - 1e-9*max(1,|max|) as a maximiser (uniform over them). This is the "
        "'mathematical' result where exact ties are intended (symmetric games), independent of rounding.")
    res["float64_tie_tolerant_fictitious_play"] = {}
    for g in GAMES:
        r = run_fp_tolerant(g)
        res["float64_tie_tolerant_fictitious_play"][g] = r["expl"] if not r["error"] else ("ERROR " + r["error"])
        print("f64tol", g, r, flush=True)
    res["float64_tie_tolerant_fictitious_play"]["extra_alpha0.5"] = {}
    for g in ["beach_bar", "susceptible_infected"]:
        r = run_fp_tolerant(g, alpha=0.5)
        res["float64_tie_tolerant_fictitious_play"]["extra_alpha0.5"][g] = r["expl"]
    res["float32_sensitivity"] = summarize(res)
    res["random_linear_tensors"] = dump_random_linear()
    bl, draws = dump_crowd_bar_locs()
    res["crowd_motion_bar_locs"] = [list(x) for x in bl]
    res["crowd_motion_bar_locs_note"] = (
        "bar_locs as built by crowd_motion.RewardFn with defaults (T=3, 20x20, loc_change_freq=2, seed=0): "
        "entry 0 is the initial location (10,10); entry k+1 is appended after loop index i=k (k=0..T). "
        "The reward at time t uses bar_locs[t] for t=0..T; the last entry (index T+1) is built but never used. "
        "torch.randint draws (loop index i, rl index, ud index; choices=[-1,+1]): " + json.dumps(draws) +
        ". Cross-checked against the argmax of the built RewardFn.c1s[t].")
    nthr = torch.get_num_threads()
    tb, tb_all = timing("building_evacuation")
    tc, tc_all = timing("crowd_motion")
    torch.set_num_threads(2)
    tb2, tb2_all = timing("building_evacuation")
    tc2, tc2_all = timing("crowd_motion")
    torch.set_num_threads(nthr)
    res["timing_seconds_per_iteration"] = {
        "building_evacuation_prior_descent": tb, "crowd_motion_prior_descent": tc,
        "raw_building_evacuation": tb_all, "raw_crowd_motion": tc_all,
        "with_2_torch_threads": {"building_evacuation_prior_descent": tb2, "crowd_motion_prior_descent": tc2,
                                 "raw_building_evacuation": tb2_all, "raw_crowd_motion": tc2_all},
        "note": f"median over 5 PriorDescent iterations (one step_next_state + one exploitability_score = consecutive differences of solve()'s rts), "
                f"wall clock, torch {torch.__version__} (Debian build, CPU), default torch threads={nthr} (omp_get_max_threads()=1 here), "
                "also repeated with torch.set_num_threads(2); 2-core machine"}
    with open(OUT, "w") as f:
        json.dump(res, f, indent=1)
    print("wrote", OUT)


if __name__ == "__main__":
    main()
