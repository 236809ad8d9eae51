"""Reference draws of NumPy's Generator for nprand's PCG64, SeedSequence and samplers.

Produced with NumPy 1.24.2 (Debian python3-numpy) on Python 3.11.2:
    cd internal/nprand && /usr/bin/python3 testdata/gen_numpy.py > testdata/numpy_generator.json

For each seed, numpy.random.default_rng(seed) = Generator(PCG64(SeedSequence(seed))) runs a list
of operations in order on one stream; every value drawn is written out (floats as Python's repr,
the shortest decimal that reads back as the same double). The operations mix 32-bit draws
(integers with ranges below 2**32, which keep half of a 64-bit output for the next one) with
64-bit ones, so the kept half is checked across calls. Two long streams per seed (normal and
exponential) are written as the SHA-256 of their little-endian float64 bytes, which reaches the
ziggurats' rare slow paths (tails, wedges) many times.
"""
import hashlib
import json
import sys

import numpy as np

SEEDS = [0, 1, 12345, 2**40 + 5]
LONG = 200_000


def ops_for(seed):
    """The operations, varied a little with the seed so that 32-bit halves fall differently."""
    ops = [
        {"op": "raw", "size": 5},
        {"op": "uniform", "lo": 0.0, "hi": 1.0, "size": 1},
        {"op": "uniform", "lo": 0.0, "hi": 1.0, "size": 1},
        {"op": "integers", "lo": 0, "hi": 8, "size": 3 + seed % 2},
        {"op": "random", "size": 3},
        {"op": "integers", "lo": 0, "hi": 100, "size": 7},
        {"op": "dirichlet_ones", "k": 6, "size": 1},
        {"op": "integers", "lo": 0, "hi": 2**31 + 1, "size": 501},
        {"op": "integers", "lo": -5, "hi": 2**32 - 5, "size": 9},
        {"op": "integers", "lo": 3, "hi": 3 + 2**32 - 1, "size": 9},
        {"op": "integers", "lo": 10, "hi": 11, "size": 4},
        {"op": "normal", "loc": 0.0, "scale": 1.0, "size": 1500},
        {"op": "integers", "lo": 0, "hi": 3, "size": 1},
        {"op": "exponential", "size": 1500},
        {"op": "normal", "loc": 1.5, "scale": 0.25, "size": 500},
        {"op": "dirichlet_ones", "k": 4, "size": 200},
        {"op": "random", "size": 200},
        {"op": "uniform", "lo": -2.0, "hi": 3.0, "size": 200},
        {"op": "integers", "lo": 0, "hi": 1000, "size": 1001},
    ]
    return ops


def run(rng, op):
    kind, n = op["op"], op["size"]
    if kind == "raw":
        return [int(v) for v in rng.bit_generator.random_raw(n)]
    if kind == "uniform":
        if n == 1:  # the scalar call, as Bench-MFG makes it
            return [float(rng.uniform(op["lo"], op["hi"]))]
        return rng.uniform(op["lo"], op["hi"], size=n).tolist()
    if kind == "random":
        return rng.random(n).tolist()
    if kind == "integers":
        return [int(v) for v in rng.integers(op["lo"], op["hi"], size=n)]
    if kind == "normal":
        return rng.normal(op["loc"], op["scale"], size=n).tolist()
    if kind == "exponential":
        return rng.standard_exponential(n).tolist()
    if kind == "dirichlet_ones":
        return rng.dirichlet(np.ones(op["k"]), size=n).ravel().tolist()
    raise ValueError(kind)


def sha(a):
    return hashlib.sha256(np.asarray(a, dtype="<f8").tobytes()).hexdigest()


out = {"numpy": np.__version__, "seeds": []}
for seed in SEEDS:
    rec = {"seed": seed,
           "seed_words": [int(w) for w in np.random.SeedSequence(seed).generate_state(8)],
           "ops": []}
    rng = np.random.default_rng(seed)
    for op in ops_for(seed):
        rec["ops"].append(dict(op, values=run(rng, op)))
    rng = np.random.default_rng(seed)
    rec["long_normal_sha256"] = sha(rng.standard_normal(LONG))
    rec["long_exponential_sha256"] = sha(rng.standard_exponential(LONG))
    out["seeds"].append(rec)
out["long"] = LONG
json.dump(out, sys.stdout, separators=(",", ":"))
sys.stdout.write("\n")
