"""Reference draws of NumPy's legacy global stream for internal/nprand's legacy_test.go.

For each seed: np.random.seed(seed), then interleaved calls in the order of Bench-MFG's PSO
(pso_jax.py): a uniform(-1, 1) block, a randn block (an odd count, so that the cached second
deviate of the polar method is left over and used by the next randn call), one
random_sample, another randn block, a uniform(0, 1) block. Every value is written with repr
(17 significant digits round-trip), so the Go test compares bit for bit.

Run with NumPy 1.24.2 (/usr/bin/python3 on the project machine):

    cd internal/nprand/testdata && /usr/bin/python3 gen_legacy.py > legacy.json
"""
import json

import numpy as np


def draws(seed):
    np.random.seed(seed)
    calls = []

    def record(kind, values):
        calls.append({"kind": kind, "values": [float(v) for v in np.ravel(values)]})

    record("uniform-1-1", np.random.uniform(-1.0, 1.0, 7))
    record("randn", np.random.randn(5))
    record("random_sample", np.random.random_sample(1))
    record("randn", np.random.randn(2, 3) * 1.0)
    record("uniform-0-1", np.random.uniform(0, 1, 4))
    record("randn", np.random.randn(301))
    return {"seed": seed, "calls": calls}


def main():
    out = {"numpy": np.__version__, "runs": [draws(s) for s in (0, 1, 42, 10, 111, 1032, 4294967295)]}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
