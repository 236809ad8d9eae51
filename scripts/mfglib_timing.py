"""Seconds per iteration of MFGLib 0.3.0's algorithms on its ten games (our timing driver).

One iteration is what MFGLib's Iterative.solve does per step: step_next_state and the
exploitability of the new policy (exploitability_score). solve() returns rts, the cumulative
wall-clock time after each iteration; the per-iteration times are its consecutive differences.
For each game (defaults) and algorithm, REPEATS solves of ITERS iterations each from the uniform
policy (atol = rtol = None: no early stop); the median of the REPEATS x ITERS differences is
printed as one JSON line per combination.

    PYTHONPATH=$MFGLIB_SRC:finite/testdata/mfglib_driver/stubs /usr/bin/python3 \
        scripts/mfglib_timing.py [ITERS [REPEATS]]

torch runs on one intra-op and one inter-op thread.
"""
import json, platform, statistics, sys, warnings

warnings.simplefilter("ignore")
import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)
import mfglib  # noqa: E402
import mfglib.env, mfglib.alg, mfglib.scoring  # noqa: E401,E402  (alg before scoring: circular import)
from mfglib.env import Environment  # noqa: E402
from mfglib.alg import FictitiousPlay, OnlineMirrorDescent, PriorDescent  # noqa: E402

GAMES = ["beach_bar", "building_evacuation", "conservative_treasure_hunting", "crowd_motion",
         "equilibrium_price", "left_right", "linear_quadratic", "random_linear",
         "rock_paper_scissors", "susceptible_infected"]
# Our algorithm name -> MFGLib's algorithm at its defaults (damped fixed point: FictitiousPlay
# with the constant step 0.5, our damped-fixed-point's default damping).
ALGS = {"fictitious-play": lambda: FictitiousPlay(),
        "online-mirror-descent": lambda: OnlineMirrorDescent(),
        "prior-descent": lambda: PriorDescent(),
        "damped-fixed-point": lambda: FictitiousPlay(alpha=0.5)}


def main():
    iters = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(json.dumps({"mfglib": getattr(mfglib, "__version__", "?"), "torch": torch.__version__,
                      "python": platform.python_version(), "threads": torch.get_num_threads(),
                      "interop_threads": torch.get_num_interop_threads(),
                      "iterations": iters, "repeats": repeats}), flush=True)
    for g in GAMES:
        for name, make in ALGS.items():
            per, err = [], None
            for _ in range(repeats):
                env = getattr(Environment, g)()
                try:
                    _, _, rts = make().solve(env, pi_0="uniform", max_iter=iters, atol=None, rtol=None)
                except Exception as e:  # MFGLib raises for some combinations
                    err = f"{type(e).__name__}: {e}"
                    break
                per += [rts[i] - rts[i - 1] for i in range(1, len(rts))]
            out = {"game": g.replace("_", "-"), "algorithm": name}
            if err:
                out["error"] = err
            else:
                out["seconds"] = statistics.median(per)
                out["min_seconds"] = min(per)
            print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
