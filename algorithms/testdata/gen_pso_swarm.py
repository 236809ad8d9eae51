"""Reference runs of a particle swarm for algorithms/mf_pso_test.go (TestSwarmAgainstBenchMFG).

Bench-MFG's rule is run by Bench-MFG's own code: the functions update and boltzmann_policy and
the methods initialize_pso_components, dynamic and eval of PSO_jax are read from
src/benchmfg/learner/jax/pso_jax.py (lorenzomagnino/Bench-MFG, commit 3ec7b28) with ast and run
with NumPy, on a toy objective in place of the exploitability (JAX stubbed out: the swarm's best
policy and the mean-field push-forward only feed the objective, which ignores them). As in
train.py, np.random.seed(seed) is followed by the S x A uniform logits of the initial policy
(create_environment), which PSO does not use, and then by PSO's own draws.

The standard rule (personal best values, velocity carried over) is written out below with the
same draws, a reference of its own.

Run with NumPy 1.24.2 (/usr/bin/python3 on the project machine), from the repository root:

    git -C /work/.mirror/lorenzomagnino+Bench-MFG/repo show HEAD:src/benchmfg/learner/jax/pso_jax.py > /tmp/pso_jax.py
    /usr/bin/python3 algorithms/testdata/gen_pso_swarm.py /tmp/pso_jax.py > algorithms/testdata/pso_swarm.json
"""
import ast
import json
import logging
import sys
import types
from dataclasses import dataclass

import numpy as np

S, A, N, ITERATIONS = 3, 2, 7, 25
W, C1, C2 = 0.4, 0.5, 1.5


def toy(x):
    """sum_d (1 + d/4) (x_d - c_d)^2 + 0.5 (x_0 x_1)^2, c_d = 0.3 (d mod 3) - 0.2, left to right."""
    total = 0.0
    for d, v in enumerate(x):
        c = 0.3 * (d % 3) - 0.2
        diff = float(v) - c
        total = total + (1.0 + d / 4.0) * (diff * diff)
    p = float(x[0]) * float(x[1])
    return total + 0.5 * (p * p)


def bench_mfg_class(path):
    tree = ast.parse(open(path).read())
    wanted_functions = {"update", "boltzmann_policy", "print_to_console"}
    wanted_methods = {"initialize_pso_components", "dynamic", "eval"}
    nodes = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in wanted_functions:
            nodes.append(node)
        if isinstance(node, ast.ClassDef) and node.name == "PSO_jax":
            nodes += [m for m in node.body if isinstance(m, ast.FunctionDef) and m.name in wanted_methods]
    module = ast.Module(body=nodes, type_ignores=[])
    namespace = {
        "np": np, "logging": logging, "log": logging.getLogger("pso"),
        "tqdm": lambda it, desc=None: it,
        "PSOEvalComponents": components_class(),
        "mean_field_by_transition_kernel_multi_jax": lambda pi, spec, k, initial_mean_field: initial_mean_field,
    }
    exec(compile(module, path, "exec"), namespace)

    class Toy:
        def __init__(self):
            env = types.SimpleNamespace(N_states=S, N_actions=A, stationary_mean_field=np.ones(S) / S)
            self.env_spec = types.SimpleNamespace(environment=env)
            self.dim, self.num_particles, self.num_iterations = S * A, N, ITERATIONS
            self.w_arr = np.zeros(ITERATIONS) + W
            self.c1, self.c2, self.temperature = C1, C2, 0.2
            self.init_solution, self.initialization_type, self.policy_type = None, "PSO_uniform", "boltzmann"

        def _put(self, arr):
            return arr

        def monitor_evolution(self, positions):
            pass

        def _batch_exploitability(self, positions):
            return np.array([toy(row) for row in positions])

    for name in wanted_methods:
        setattr(Toy, name, namespace[name])
    return Toy


def components_class():
    @dataclass
    class PSOEvalComponents:
        positions: np.ndarray
        velocities: np.ndarray
        best_positions: np.ndarray
        swarm_best_position: np.ndarray
        best_values_by_particles: np.ndarray
        swarm_best_value: np.ndarray
    return PSOEvalComponents


def run_bench_mfg(cls, seed):
    np.random.seed(seed)
    np.random.uniform(-1.0, 1.0, (S, A))  # the unused initial policy's logits
    pso = cls()
    captured = {}
    original = pso.dynamic

    def dynamic(t, comps):
        captured["comps"] = comps
        return original(t, comps)

    pso.dynamic = dynamic
    _, _, progress = pso.eval()
    comps = captured["comps"]
    return {"progress": [float(v) for v in progress],
            "best": [float(v) for v in comps.swarm_best_position],
            "positions": [float(v) for v in comps.positions.ravel()]}


def run_standard(seed):
    np.random.seed(seed)
    np.random.uniform(-1.0, 1.0, (S, A))
    x = np.random.uniform(-1.0, 1.0, (N, S * A))
    v = np.random.randn(N, S * A) * 0.1
    f = np.array([toy(row) for row in x])
    p, pf = x.copy(), f.copy()
    j = int(np.argmin(pf))
    g, gf = p[j].copy(), pf[j]
    progress = []
    for _ in range(ITERATIONS):
        r1 = np.random.uniform(0, 1, (N, S * A))
        r2 = np.random.uniform(0, 1, (N, S * A))
        v = W * v + C1 * r1 * (p - x) + C2 * r2 * (g - x)
        x = x + v
        f = np.array([toy(row) for row in x])
        better = f < pf
        p[better], pf[better] = x[better], f[better]
        j = int(np.argmin(pf))
        if pf[j] < gf:
            g, gf = p[j].copy(), pf[j]
        progress.append(float(gf))
    return {"progress": progress, "best": [float(e) for e in g], "positions": [float(e) for e in x.ravel()]}


def main():
    cls = bench_mfg_class(sys.argv[1])
    runs = []
    for seed in (42, 10):
        runs.append({"seed": seed, "rule": "benchmfg", **run_bench_mfg(cls, seed)})
        runs.append({"seed": seed, "rule": "standard", **run_standard(seed)})
    out = {"numpy": np.__version__, "states": S, "actions": A, "particles": N, "iterations": ITERATIONS,
           "w": W, "c1": C1, "c2": C2, "runs": runs}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
