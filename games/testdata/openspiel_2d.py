#!/usr/bin/env python3
"""Independent reference values for OpenSpiel's 2-D crowd modelling game (mfg_crowd_modelling_2d),
pure Python (no numpy, no OpenSpiel).

It re-implements OpenSpiel's node machine, as read in google-deepmind/open_spiel at commit
112b77704631fc2ce7ad8e4581f6ca09798ce15a (open_spiel/games/mfg/crowd_modelling_2d.cc, the grids
of open_spiel/python/mfg/games/crowd_modelling_2d.py): the initial chance node over flat indices
k (a pair "a|b" numbered k = b + a*N, decoded as x = k mod N, y = k div N), decision nodes
"(x, y, t)" with the legal actions (targets not forbidden), chance nodes "(x, y, t)_a_mu" whose
outcomes are the legal moves at the post-move cell, mean-field nodes "(x, y, t)_a" over the N^2
strings x-major, the stored distribution starting uniform 1/N^2, the reward on arrival at a
decision node, list values rounded to float32 and epsilon a float32. The values are computed by
openspiel_mfg.py's distribution() and value(), OpenSpiel's python/mfg/algorithms as they run
(breadth-first distribution merged by string; depth-first values cached by string, so the
previous-move caching quirk comes out of the cache). Nothing of the Go model is used.

Run: python3 games/testdata/openspiel_2d.py > games/testdata/openspiel_2d.json
"""
import json
import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openspiel_mfg import CHANCE, DECISION, MEAN_FIELD, TERMINAL, distribution, value, uniform  # noqa: E402

MOVES = [(0, -1), (-1, 0), (0, 0), (1, 0), (0, 1)]
NEUTRAL = 2


def f32(v):
    return struct.unpack("f", struct.pack("f", v))[0]


EPS = f32(1e-25)


class Game:
    def __init__(self, size=10, horizon=10, only_distribution_reward=False, forbidden_states=(),
                 initial_distribution=(), initial_distribution_value=(), positional_reward=(),
                 positional_reward_value=(), with_congestion=False, noise_intensity=1.0,
                 crowd_aversion_coef=1.0):
        self.N, self.H = size, horizon
        self.only_dist = only_distribution_reward
        self.forbidden = {tuple(p) for p in forbidden_states}
        self.congestion, self.noise, self.coef = with_congestion, noise_intensity, crowd_aversion_coef
        if initial_distribution:
            init = [(p[1] + p[0] * size, f32(v)) for p, v in zip(initial_distribution, initial_distribution_value)]
            self.init = sorted(init, key=lambda kv: kv[0])
        else:
            self.init = [(k, 1.0 / (size * size)) for k in range(size * size)]
        self.pos = [tuple(p) for p in positional_reward]
        self.pos_val = [f32(v) for v in positional_reward_value]
        if not self.pos:
            self.pos, self.pos_val = [(size // 2, size // 2)], [1.0]

    def root(self):
        return State(self)


class State:
    def __init__(self, game):
        self.g = game
        self.init, self.player = True, CHANCE
        self.x = self.y = -1
        self.t, self.last = 0, NEUTRAL
        n = game.N * game.N
        self.dist = [1.0 / n] * n

    def copy(self):
        c = State.__new__(State)
        c.__dict__.update(self.__dict__)
        return c

    def node(self):
        if self.t >= self.g.H:
            return TERMINAL
        return self.player

    def string(self):
        if self.init:
            return "initial"
        suffix = {DECISION: "", MEAN_FIELD: "_a", CHANCE: "_a_mu"}[self.player]
        return "(%d, %d, %d)%s" % (self.x, self.y, self.t, suffix)

    def target(self, a):
        N = self.g.N
        return (self.x + MOVES[a][0] + N) % N, (self.y + MOVES[a][1] + N) % N

    def actions(self):
        return [a for a in range(5) if self.target(a) not in self.g.forbidden]

    def outcomes(self):
        if self.init:
            return list(self.g.init)
        legal = self.actions()
        prob = self.g.noise / len(legal)
        return [(a, 1.0 - self.g.noise + prob if a == NEUTRAL else prob) for a in legal]

    def child(self, a):
        c = self.copy()
        N = self.g.N
        if self.init:
            xx, yy = a % N, a // N
            c.init, c.player = False, DECISION
        elif self.player == CHANCE:
            xx, yy = self.target(a)
            c.t += 1
            c.player = MEAN_FIELD
        else:
            xx, yy = self.target(a)
            c.last, c.player = a, CHANCE
        if (xx, yy) not in self.g.forbidden:
            c.x, c.y = xx, yy
        return c

    def support(self):
        N = self.g.N
        return ["(%d, %d, %d)_a" % (i, j, self.t) for i in range(N) for j in range(N)]

    def updated(self, dist):
        c = self.copy()
        c.dist, c.player = list(dist), DECISION
        return c

    def reward(self):
        if self.player != DECISION or self.t >= self.g.H:
            return 0.0
        g = self.g
        mu = self.dist[self.y + self.x * g.N]
        r_mu = -g.coef * math.log(mu + EPS)
        if g.only_dist:
            return r_mu
        r_x = r_y = 1.0
        for (px, py), v in zip(g.pos, g.pos_val):
            w = 2.0 * v / g.N
            r_x -= w * abs(self.x - px)
            r_y -= w * abs(self.y - py)
        dx, dy = MOVES[self.last]
        r_a = -1.0 * (abs(dx) + abs(dy)) / g.N
        if g.congestion:
            r_a *= mu
        return r_x + r_y + r_a + r_mu


def nash_conv_uniform(game):
    root = game.root()
    dist = distribution([root], uniform)
    br = value(root, dist, lambda s, qs: max(q for _, q in qs))
    pv = value(root, dist, lambda s, qs: sum(p * q for (_, p), (_, q) in zip(uniform(s), qs)))
    return {"nash_conv": br - pv, "best_response_value": br, "policy_value": pv}


def grid_to_forbidden(grid):
    """crowd_modelling_2d.py's grid_to_forbidden_states: row = y, column = x, '#' a wall."""
    return [[x, y] for y, row in enumerate(grid) for x, c in enumerate(row) if c == "#"]


# FOUR_ROOMS and MAZE of open_spiel/python/mfg/games/crowd_modelling_2d.py, copied as data.
FOUR_ROOMS = ['#############', '#     #     #', '#     #     #', '#           #', '#     #     #', '#     #     #', '### ##### ###', '#     #     #', '#     #     #', '#           #', '#     #     #', '#     #     #', '#############']
MAZE = ['######################', '#      #     #     # #', '#      #     #     # #', '######    #  # ##  # #', '#         #  # #   # #', '#         #  # ### # #', '#  ########  #   #   #', '#    # # #  ##   #   #', '#    # # #     # # ###', '#    # # #     # # # #', '###### # ####### # # #', '#  #         #   # # #', '#  # ## ###  #   # # #', '## # #    #  ##### # #', '## # # #  #      # # #', '#    # ####        # #', '# ####  # ########   #', '#       #  #   # ### #', '#  #  # #  # # #   # #', '# ##### #    # #     #', '#            #       #', '######################']

CASES = [
    # (our parameters, OpenSpiel's)
    ({}, {}),
    ({"size": 6, "horizon": 5, "positional-reward": [[1, 2], [4, 4]], "positional-reward-value": [0.2, 0.8],
      "with-congestion": True, "noise-intensity": 0.5, "crowd-aversion-coef": 0.4,
      "initial-distribution": [[0, 2], [1, 3]], "initial-distribution-value": [0.3, 0.7]}, None),
    ({"size": 7, "horizon": 6, "only-distribution-reward": True, "noise-intensity": 0.3,
      "crowd-aversion-coef": 1.5, "initial-distribution": [[3, 3]], "initial-distribution-value": [1.0]}, None),
    ({"size": 5, "horizon": 8, "positional-reward": [[0, 4]], "positional-reward-value": [1.7],
      "initial-distribution": [[0, 1], [2, 4], [4, 0]], "initial-distribution-value": [0.25, 0.5, 0.25]}, None),
    # OpenSpiel's TestLegalActions game, the full reward (the caching quirk among walls)
    ({"size": 5, "horizon": 10, "forbidden-states": [[0, 0], [0, 1], [1, 0]],
      "initial-distribution": [[1, 1]], "initial-distribution-value": [1.0]}, None),
    ({"size": 5, "horizon": 6, "forbidden-states": [[0, 0], [0, 1], [1, 0], [3, 3]], "noise-intensity": 0.5,
      "with-congestion": True, "initial-distribution": [[1, 2], [4, 4]], "initial-distribution-value": [0.5, 0.5]}, None),
    # the factory settings crowd_modelling_2d_four_rooms and crowd_modelling_2d_maze
    ({"grid": "four-rooms", "size": 13, "horizon": 40, "only-distribution-reward": True,
      "initial-distribution": [[1, 1]], "initial-distribution-value": [1.0]},
     {"size": 13, "horizon": 40, "only_distribution_reward": True, "forbidden_states": grid_to_forbidden(FOUR_ROOMS),
      "initial_distribution": [[1, 1]], "initial_distribution_value": [1.0]}),
    ({"grid": "maze", "size": 22, "horizon": 100, "only-distribution-reward": True,
      "initial-distribution": [[1, 1]], "initial-distribution-value": [1.0]},
     {"size": 22, "horizon": 100, "only_distribution_reward": True, "forbidden_states": grid_to_forbidden(MAZE),
      "initial_distribution": [[1, 1]], "initial_distribution_value": [1.0]}),
    # FOUR_ROOMS as the bare dict (full reward), a shorter horizon
    ({"grid": "four-rooms", "size": 13, "horizon": 12,
      "initial-distribution": [[1, 1]], "initial-distribution-value": [1.0]},
     {"size": 13, "horizon": 12, "forbidden_states": grid_to_forbidden(FOUR_ROOMS),
      "initial_distribution": [[1, 1]], "initial_distribution_value": [1.0]}),
]


def openspiel_params(ours):
    return {k.replace("-", "_"): v for k, v in ours.items()}


def main():
    out = {"how": __doc__.strip().splitlines()[0] + " Produced by games/testdata/openspiel_2d.py.",
           "cases": []}
    for ours, theirs in CASES:
        if theirs is None:
            theirs = openspiel_params(ours)
        r = nash_conv_uniform(Game(**theirs))
        out["cases"].append({"params": ours, **r})
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
