#!/usr/bin/python3
"""Extract Bench-MFG's published results into published.json.

Reads every src/results/<Env>/<Alg>/best_model.yaml of lorenzomagnino/Bench-MFG at one commit
straight from a git directory (no work tree needed) and writes, per environment and algorithm
directory: best_version, the published mean and population std of the final exploitability, and
per seed the final exploitability and the full history.

Bench-MFG's exploitabilities are float32 values that YAML holds as their exact float64
expansions (244.89834594726562). Each is written here as the shortest decimal that rounds to the
same float32, which keeps the file small and loses nothing: float32(parsed) is the published
value. Means and stds (computed by Bench-MFG in float64) are written as they are.

Run (from the repository root):
    /usr/bin/python3 benchmfg/testdata/extract.py \
        /work/.mirror/lorenzomagnino+Bench-MFG/repo 3ec7b2863ca3792effbee69c0d418166eeb31af1 \
        > benchmfg/testdata/published.json
Needs PyYAML (6.0 here).
"""
import json
import struct
import subprocess
import sys

import yaml


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def short32(x):
    """The shortest decimal whose float32 rounding is the float32 x."""
    if f32(x) != x:
        raise ValueError(f"{x!r} is not a float32 value")
    for digits in range(1, 10):
        s = "%.*g" % (digits, x)
        if f32(float(s)) == x:
            return float(s)
    raise AssertionError(x)


def main():
    repo, commit = sys.argv[1], sys.argv[2]
    commit = git(repo, "rev-parse", commit + "^{commit}").strip()
    paths = [p for p in git(repo, "ls-tree", "-r", "--name-only", commit, "src/results").split("\n")
             if p.endswith("/best_model.yaml")]
    results = {}
    for path in sorted(paths):
        _, _, env, alg, _ = path.split("/")
        doc = yaml.safe_load(git(repo, "show", f"{commit}:{path}"))
        assert doc["environment"] == env and doc["algorithm"] == alg, path
        seeds = {}
        for s in doc["seeds"]:
            hist = [short32(x) for x in s["exploitabilities"]]
            final = short32(s["final_exploitability"])
            assert final == hist[-1], (path, s["seed"])
            seeds[s["seed"].removeprefix("seed_")] = {"final": final, "history": hist}
        assert len(seeds) == doc["num_seeds"], path
        results.setdefault(env, {})[alg] = {
            "best_version": doc["best_version"],
            "mean": doc["final_mean_exploitability"],
            "std": doc["final_std_exploitability"],
            "seeds": seeds,
        }
    out = {
        "source": {
            "repository": "https://github.com/lorenzomagnino/Bench-MFG",
            "commit": commit,
            "files": "src/results/<environment>/<algorithm>/best_model.yaml",
            "command": "/usr/bin/python3 benchmfg/testdata/extract.py <Bench-MFG git dir> " + commit,
        },
        "results": results,
    }
    # One line per history keeps the file readable and its diffs small: each history goes in as a
    # placeholder string and comes back compact.
    compact = []
    for env in results.values():
        for alg in env.values():
            for seed in alg["seeds"].values():
                compact.append(json.dumps(seed["history"]))
                seed["history"] = f"@history{len(compact) - 1}@"
    text = json.dumps(out, indent=1)
    for i, h in enumerate(compact):
        text = text.replace(f'"@history{i}@"', h, 1)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
