#!/usr/bin/python3
"""Reference MF-Garnet instances and kernels, drawn with NumPy itself.

Re-implements Bench-MFG's MF-Garnet generation and its float64 model (lorenzomagnino/Bench-MFG at
commit 3ec7b2863ca3792effbee69c0d418166eeb31af1: src/benchmfg/envs/mf_garnet/mf_garnet.py,
MFGarnet.__init__, _transition_distribution, transition, reward), written here from reading it,
not imported: numpy.random.default_rng(seed) draws, in order, cp, rho_p, cr, rho_r (four
uniform(0, 1)); for s, for a: integers(0, S, size=b) and dirichlet(ones(b)); the dense P0 by the
fancy-index update base[support] += weights; C = normal(size=(S, A, S, S)).astype(float32);
R0 = normal(0, reward_scale, size=(S, A)); M0 = normal(size=(S, S)), M = (M0 +- M0.T)/2. At a
state distribution mu the kernel is p(.|s, a, mu) and the next state of atom n the first y with
cdf[y] > (n + 0.5)/N (searchsorted side="right"), S-1 when there is none; the reward is
cr R0 + rho_r M[s].mu or R0 (cr + rho_r M[s].mu).

Produced with NumPy 1.24.2 (Debian python3-numpy, reference BLAS: C[s,a] @ mu and M[s] @ mu are
sums in index order) on Python 3.11.2:
    /usr/bin/python3 games/testdata/mf_garnet_ref.py > games/testdata/mf_garnet_ref.json

Floats are written with repr (the shortest decimal that reads back as the same double). The
small instances are written in full; the larger one's C as the SHA-256 of its float32 bytes
(little-endian, C order). "float32_flips" counts, at the uniform mu and at a random one, for the default instance
(S = 100, A = 6, b = 6, seed 0), the atoms whose next state differs when the kernel is computed in
float32 throughout (as Bench-MFG's JAX path does, approximately: NumPy's float32 arithmetic, not
XLA's), for the documentation only.
"""
import hashlib
import json
import sys

import numpy as np

N_NOISES = 64


def draw(S, A, b, seed, game_type, reward_scale=1.0):
    rng = np.random.default_rng(seed)
    coef = [float(rng.uniform(0.0, 1.0)) for _ in range(4)]  # cp, rho_p, cr, rho_r
    support = np.zeros((S, A, b), dtype=np.int64)
    weights = np.zeros((S, A, b))
    for s in range(S):
        for a in range(A):
            support[s, a] = rng.integers(0, S, size=(b,))
            weights[s, a] = rng.dirichlet(np.ones(b))
    P0 = np.zeros((S, A, S))
    for s in range(S):
        for a in range(A):
            row = np.zeros(S)
            row[support[s, a]] += weights[s, a]  # a repeated successor keeps its last weight
            P0[s, a] = row
    C = rng.normal(size=(S, A, S, S)).astype(np.float32)
    R0 = rng.normal(loc=0.0, scale=reward_scale, size=(S, A))
    M0 = rng.normal(size=(S, S))
    M = 0.5 * (M0 + M0.T) if game_type == "potential" else 0.5 * (M0 - M0.T)
    return dict(coef=coef, support=support, weights=weights, P0=P0, C=C, R0=R0, M=M)


def kernel(inst, mu, dynamics, reward, eps=1e-12, relu_eps=0.0):
    cp, rho_p, cr, rho_r = inst["coef"]
    P0, C, R0, M = inst["P0"], inst["C"], inst["R0"], inst["M"]
    S, A = R0.shape
    mu = mu / float(mu.sum())
    probs = np.zeros((S, A, S))
    nxt = np.zeros((S, A, N_NOISES), dtype=np.int64)
    rew = np.zeros((S, A))
    for s in range(S):
        h = float(M[s] @ mu)
        for a in range(A):
            g = C[s, a] @ mu  # float32 @ float64: float64
            if dynamics == "additive":
                inten = np.maximum(0.0, cp * P0[s, a] + rho_p * g)
            else:
                inten = P0[s, a] * np.maximum(0.0, cp + rho_p * g)
            if relu_eps > 0:
                inten = inten + relu_eps
            p = inten / (float(inten.sum()) + eps)
            p = p / max(float(p.sum()), eps)
            probs[s, a] = p
            cdf = np.cumsum(p)
            for n in range(N_NOISES):
                u = (n + 0.5) / float(N_NOISES)
                nxt[s, a, n] = min(int(np.searchsorted(cdf, u, side="right")), S - 1)
            rew[s, a] = cr * R0[s, a] + rho_r * h if reward == "additive" else R0[s, a] * (cr + rho_r * h)
    return probs, nxt, rew


def float32_next(inst, mu, dynamics):
    """Next states with every quantity in float32 (mu, C mu, intensities, cdf, u)."""
    f = np.float32
    cp, rho_p = f(inst["coef"][0]), f(inst["coef"][1])
    P0, C = inst["P0"].astype(f), inst["C"]
    S, A = P0.shape[:2]
    mu = (mu / mu.sum()).astype(f)
    u = ((np.arange(N_NOISES) + f(0.5)) / f(N_NOISES)).astype(f)
    out = np.zeros((S, A, N_NOISES), dtype=np.int64)
    for s in range(S):
        for a in range(A):
            g = C[s, a] @ mu
            if dynamics == "additive":
                inten = np.maximum(f(0), cp * P0[s, a] + rho_p * g)
            else:
                inten = P0[s, a] * np.maximum(f(0), cp + rho_p * g)
            p = inten / (inten.sum() + f(1e-12))
            p = p / max(p.sum(), f(1e-12))
            out[s, a] = np.minimum(np.searchsorted(np.cumsum(p), u, side="right"), S - 1)
    return out


def case(name, S, A, b, seed, game_type, dynamics, reward, full):
    inst = draw(S, A, b, seed, game_type)
    mus = [np.full(S, 1.0 / S), np.random.default_rng(99 + seed).dirichlet(np.ones(S))]
    rec = {"name": name, "states": S, "actions": A, "branching": b, "seed": seed, "game_type": game_type,
           "dynamics": dynamics, "reward": reward, "noises": N_NOISES, "coef": inst["coef"],
           "support": inst["support"].ravel().tolist(), "weights": inst["weights"].ravel().tolist(),
           "P0": inst["P0"].ravel().tolist(), "R0": inst["R0"].ravel().tolist(), "M": inst["M"].ravel().tolist(),
           "C_sha256": hashlib.sha256(inst["C"].astype("<f4").tobytes()).hexdigest(), "at": []}
    if full:
        rec["C"] = [float(v) for v in inst["C"].ravel()]
    for mu in mus:
        probs, nxt, rew = kernel(inst, mu, dynamics, reward)
        rec["at"].append({"mu": mu.tolist(), "probs": probs.ravel().tolist(), "next": nxt.ravel().tolist(),
                          "reward": rew.ravel().tolist()})
    return rec


def main():
    cases = [
        case("seed0-potential-additive", 8, 3, 4, 0, "potential", "additive", "additive", True),
        case("seed1-cyclic-multiplicative", 8, 3, 4, 1, "cyclic", "multiplicative", "multiplicative", True),
        case("seed0-cyclic-additive", 8, 3, 4, 0, "cyclic", "additive", "multiplicative", True),
        case("seed1-potential-multiplicative", 8, 3, 4, 1, "potential", "multiplicative", "additive", True),
        case("seed7-S19", 19, 2, 6, 7, "potential", "additive", "multiplicative", False),
    ]
    default = draw(100, 6, 6, 0, "potential")
    flips = []
    for mu in (np.full(100, 0.01), np.random.default_rng(5).dirichlet(np.ones(100))):
        _, nxt64, _ = kernel(default, mu, "additive", "additive")
        flips.append(int((float32_next(default, mu, "additive") != nxt64).sum()))
    out = {"numpy": np.__version__, "bench_mfg_commit": "3ec7b2863ca3792effbee69c0d418166eeb31af1",
           "cases": cases, "float32_flips": {"states": 100, "actions": 6, "atoms": 100 * 6 * N_NOISES,
                                                "mu": ["uniform", "dirichlet(ones(100)) of default_rng(5)"], "flips": flips}}
    json.dump(out, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
