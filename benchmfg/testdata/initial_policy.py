#!/usr/bin/python3
"""Bench-MFG's initial policy π0 computed by NumPy, the reference of TestInitialPolicyNumPy.

Does what Bench-MFG's train.py and utility/config_utils.py::initialize_policy_from_logits do
(PSO_uniform, lorenzomagnino/Bench-MFG 3ec7b28): np.random.seed(seed), logits =
np.random.uniform(-1, 1, (S, A)), then the max-subtracted softmax of logits / temperature per row
(learner/jax/pso_jax.py::boltzmann_policy), written here rather than imported.

Run (from the repository root; NumPy 1.24.2 here):
    /usr/bin/python3 benchmfg/testdata/initial_policy.py > benchmfg/testdata/initial_policy.json
"""
import json

import numpy as np

CASES = [(7, 3, 42), (2, 2, 1032), (25, 5, 111), (3, 3, 10)]
TEMPERATURE = 0.2


def pi0(states, actions, seed):
    np.random.seed(seed)
    logits = np.random.uniform(-1.0, 1.0, (states, actions))
    z = (logits - logits.max(axis=-1, keepdims=True)) / TEMPERATURE
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


out = {"numpy": np.__version__, "temperature": TEMPERATURE, "cases": [
    {"states": s, "actions": a, "seed": seed, "policy": [float(x) for x in pi0(s, a, seed).ravel()]}
    for s, a, seed in CASES]}
print(json.dumps(out, indent=1))
