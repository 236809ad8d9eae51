#!/usr/bin/env python3
"""Independent reference values for OpenSpiel's multi-population games (predator-prey, crowd avoidance), pure Python.

No numpy, no OpenSpiel, no meanfield model: each game is OpenSpiel's tree of nodes, with its
strings, rules and outcome orders, as read in google-deepmind/open_spiel at commit
112b77704631fc2ce7ad8e4581f6ca09798ce15a (open_spiel/python/mfg/games/predator_prey.py and
crowd_avoidance.py), evaluated as OpenSpiel's python/mfg/algorithms do with one root per
population of mass 1 (distribution.py: breadth-first over all roots at once, one table, states
merged by string; policy_value.py and best_response_value.py: depth-first, cached by string;
nash_conv.py: NashConv = sum over the roots of BR_p - V_p). The depth-first values reuse
openspiel_mfg.py's `value`.

The node's stored distribution starts as the game's initial vector (block layout) and is read
with the support's layout, as OpenSpiel does: the t = 0 quirk is in these values (57.5646... for
predator-prey's populations other than 0). Sums are Python's, left to right: the values agree
with OpenSpiel's to rounding, not bit for bit.

Run: python3 games/testdata/openspiel_multipop.py > games/testdata/openspiel_multipop.json
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openspiel_mfg import CHANCE, DECISION, MEAN_FIELD, TERMINAL, distribution, uniform, value  # noqa: E402

MOVES = [(0, 0), (1, 0), (0, 1), (0, -1), (-1, 0)]


class GridGame:
    """K populations on a size x size grid; reward(p, pos, densities)."""

    def __init__(self, size, horizon, players, init, noise, torus, forbidden, reward):
        self.size, self.horizon, self.K = size, horizon, players
        self.init, self.noise, self.torus = init, noise, torus
        self.forbidden, self.reward_fn = forbidden, reward

    def roots(self):
        return [GridState(self, p) for p in range(self.K)]

    def update_pos(self, pos, a):
        c = (pos[0] + MOVES[a][0], pos[1] + MOVES[a][1])
        if c in self.forbidden:
            return pos
        n = self.size
        if self.torus:
            return ((c[0] + n) % n, (c[1] + n) % n)
        return (max(min(c[0], n - 1), 0), max(min(c[1], n - 1), 0))


class GridState:
    def __init__(self, game, pop):
        self.g, self.pop, self.pos, self.t, self.kind = game, pop, None, 0, CHANCE
        self.dist = game.init

    def copy(self):
        c = GridState.__new__(GridState)
        c.__dict__.update(self.__dict__)
        return c

    def node(self):
        return self.kind

    def string(self):
        if self.pos is None:
            return "position_init_%d" % self.pop
        suffix = {DECISION: "", MEAN_FIELD: "_a", TERMINAL: "_a", CHANCE: "_a_mu"}[self.kind]
        return "(pop=%d, t=%d%s, pos=[%d %d])" % (self.pop, self.t, suffix, self.pos[0], self.pos[1])

    def outcomes(self):
        n = self.g.size
        if self.pos is None:
            block = self.g.init[self.pop * n * n:(self.pop + 1) * n * n]
            return [(i, block[i]) for i in range(n * n) if block[i] != 0]
        q = self.g.noise
        return [(0, 1.0 - q), (1, q / 4.0), (2, q / 4.0), (3, q / 4.0), (4, q / 4.0)]

    def actions(self):
        return [0, 1, 2, 3, 4]

    def child(self, a):
        c = self.copy()
        if self.pos is None:
            c.pos, c.kind = (a % self.g.size, a // self.g.size), DECISION
        elif self.kind == DECISION:
            c.pos, c.kind = self.g.update_pos(self.pos, a), CHANCE
        else:
            c.pos, c.t = self.g.update_pos(self.pos, a), self.t + 1
            c.kind = TERMINAL if c.t >= self.g.horizon else MEAN_FIELD
        return c

    def support(self):
        n = self.g.size
        return ["(pop=%d, t=%d_a, pos=[%d %d])" % (q, self.t, x, y)
                for x in range(n) for y in range(n) for q in range(self.g.K)]

    def updated(self, dist):
        c = self.copy()
        c.dist, c.kind = list(dist), DECISION
        return c

    def reward(self):
        if self.kind != DECISION:
            return 0.0
        n, K, (x, y) = self.g.size, self.g.K, self.pos
        d = [self.dist[q + K * (y + n * x)] for q in range(K)]
        return self.g.reward_fn(self.pop, self.pos, d)


def nash_conv_uniform(game):
    roots = game.roots()
    dist = distribution(roots, uniform)
    br = [value(r, dist, lambda s, qs: max(q for _, q in qs)) for r in roots]
    pv = [value(r, dist, lambda s, qs: sum(p * q for (_, p), (_, q) in zip(uniform(s), qs))) for r in roots]
    per = [b - v for b, v in zip(br, pv)]
    total = 0.0
    for e in per:
        total += e
    return {"nash_conv": total, "population_nash_conv": per, "best_response_values": br, "policy_values": pv}


def corners(size, K, cells):
    init = [0.0] * (K * size * size)
    for p, (x, y) in enumerate(cells):
        init[p * size * size + x + size * y] = 1.0
    return init


def predator_prey(size=5, horizon=10, players=3, reward_matrix=None, geometry="square", init=None,
                  noise_probability=0.8, congestion_coeff=1.0):
    R = reward_matrix
    if R is None:
        R = {3: [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
             4: [[0, 1, 0, -1], [-1, 0, 1, 0], [0, -1, 0, 1], [1, 0, -1, 0]]}[players]
    if init is None:
        init = corners(size, players, {3: [(0, 0), (4, 0), (0, 4)], 4: [(0, 0), (0, 4), (4, 4), (4, 0)]}[players])

    def reward(p, pos, d):
        dot = 0.0
        for q in range(players):
            dot += R[p][q] * d[q]
        return -congestion_coeff * math.log(d[p] + 1e-25) + dot

    return GridGame(size, horizon, players, init, noise_probability, geometry == "torus", set(), reward)


WALLS = ["#######", "#  #  #", "#     #", "#  #  #", "#     #", "#  #  #", "#######"]


def crowd_avoidance(size=7, horizon=10, congestion_matrix=(0, 1, 1, 0), geometry="square", init=None,
                    proba_noise=0.5, coef_congestion=0.0, coef_target=1.0):
    if init is None:
        init = [0.0] * (2 * size * size)
        for p, x, y, m in [(0, 1, 2, 0.4), (0, 2, 2, 0.4), (0, 1, 4, 0.2), (1, 5, 2, 0.2), (1, 4, 4, 0.4), (1, 5, 4, 0.4)]:
            init[p * size * size + x + size * y] = m
    walls = {(x, y) for y, row in enumerate(WALLS) for x, c in enumerate(row) if c == "#"}
    targets = [(5, 3), (1, 3)]
    C = congestion_matrix

    def reward(p, pos, d):
        r = -coef_congestion * (C[2 * p] * d[0] + C[2 * p + 1] * d[1])
        return r + coef_target * (1.0 if pos == targets[p] else 0.0)

    return GridGame(size, horizon, 2, init, proba_noise, geometry == "torus", walls, reward)


# (game, our parameters, builder, its keyword arguments)
CASES = [
    ("predator-prey", {}, predator_prey, {}),
    ("predator-prey", {"players": 4}, predator_prey, {"players": 4, "horizon": 20}),
    ("predator-prey", {"geometry": "torus", "horizon": 6, "noise-probability": 0.5, "congestion-coeff": 0.7},
     predator_prey, {"geometry": "torus", "horizon": 6, "noise_probability": 0.5, "congestion_coeff": 0.7}),
    ("predator-prey", {"size": 3, "horizon": 4, "players": 2, "reward-matrix": "0 2 -1 0",
                       "init-distrib": "0.5 0 0 0 0.5 0 0 0 0 0 0 0 0 0 0 0 0 1"},
     predator_prey, {"size": 3, "horizon": 4, "players": 2, "reward_matrix": [[0, 2], [-1, 0]],
                     "init": [0.5, 0, 0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]}),
    ("crowd-avoidance", {}, crowd_avoidance, {}),
    ("crowd-avoidance", {"coef-congestion": 1.5, "geometry": "torus", "horizon": 6},
     crowd_avoidance, {"coef_congestion": 1.5, "geometry": "torus", "horizon": 6}),
]


def main():
    out = {"how": __doc__.strip().splitlines()[0] + " Produced by games/testdata/openspiel_multipop.py.",
           "cases": []}
    for name, ours, build, kwargs in CASES:
        r = nash_conv_uniform(build(**kwargs))
        out["cases"].append({"game": name, "params": ours, **r})
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
