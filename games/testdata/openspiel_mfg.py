#!/usr/bin/env python3
"""Independent reference values for the games ported from OpenSpiel (garnet, lin-quad,
periodic-aversion, normal-form), pure Python (no numpy, no scipy, no OpenSpiel).

It re-implements OpenSpiel's own protocol rather than meanfield's model: each game is a tree of
nodes (initial chance, decision, chance, mean-field, terminal) with OpenSpiel's strings, rules
and outcome orders, as read in google-deepmind/open_spiel at commit
112b77704631fc2ce7ad8e4581f6ca09798ce15a (open_spiel/games/mfg/garnet.cc,
open_spiel/python/mfg/games/{linear_quadratic,periodic_aversion,normal_form_game}.py), and the
values are computed as OpenSpiel's python/mfg/algorithms do: the distribution breadth-first with
states merged by string (distribution.py), the policy value and the best-response value
depth-first with every node's value cached by its string (policy_value.py,
best_response_value.py), NashConv = BR - value at the root (nash_conv.py). So the previous-action
caching quirk comes out of the caching itself, not from a first-visit table, and the model
(stages, transitions, backward induction) of the Go code is not used.

Summations are Python's left-to-right sums, Phi is 0.5*erfc(-x/sqrt 2): the values agree with
OpenSpiel's to rounding (about 1e-14 relative), not bit for bit.

Run: python3 games/testdata/openspiel_mfg.py > games/testdata/openspiel_mfg.json
"""
import json
import math
import sys

sys.setrecursionlimit(100000)

CHANCE, DECISION, MEAN_FIELD, TERMINAL = "chance", "decision", "mean_field", "terminal"


# ---------------------------------------------------------------- random numbers (garnet)

class MT19937:
    """std::mt19937 with the standard init_genrand seeding."""

    def __init__(self, seed):
        self.mt = [0] * 624
        self.mt[0] = seed & 0xFFFFFFFF
        for i in range(1, 624):
            prev = self.mt[i - 1]
            self.mt[i] = (1812433253 * (prev ^ (prev >> 30)) + i) & 0xFFFFFFFF
        self.index = 624

    def __call__(self):
        if self.index >= 624:
            for i in range(624):
                y = (self.mt[i] & 0x80000000) | (self.mt[(i + 1) % 624] & 0x7FFFFFFF)
                v = self.mt[(i + 397) % 624] ^ (y >> 1)
                if y & 1:
                    v ^= 0x9908B0DF
                self.mt[i] = v
            self.index = 0
        y = self.mt[self.index]
        self.index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        return y


def absl_uniform_double(rng):
    """absl::Uniform<double>(rng, 0, 1): 64 bits (first draw high), truncated to 53 bits."""
    b = (rng() << 32) | rng()
    if b == 0:
        return 0.0
    shift = b.bit_length() - 53
    mant = b >> shift if shift > 0 else b << -shift  # 53 leading bits, truncated
    return math.ldexp(mant, shift - 64)


def absl_uniform_int(rng, n):
    """absl::Uniform<int>(rng, 0, n): Lemire's multiply-and-reject on 32-bit draws."""
    g = rng()
    if n & (n - 1) == 0:
        return g & (n - 1)
    prod = g * n
    if prod & 0xFFFFFFFF < n:
        threshold = (2**32 - n) % n
        while prod & 0xFFFFFFFF < threshold:
            prod = rng() * n
    return prod >> 32


# ---------------------------------------------------------------- games as OpenSpiel states

class Garnet:
    def __init__(self, size=10, horizon=10, seed=0, num_action=3, num_chance_action=3,
                 sparsity_factor=1.0, eta=1.0):
        self.S, self.H, self.A, self.K, self.eta = size, horizon, num_action, num_chance_action, eta
        rng = MT19937(seed)
        self.reward, self.proba, self.trans, self.norm = [], [], [], []
        for _ in range(size):
            for _ in range(num_action):
                if absl_uniform_double(rng) < sparsity_factor:
                    self.reward.append(absl_uniform_double(rng))
                else:
                    self.reward.append(0.0)
                cdf = [0.0, 1.0] + [absl_uniform_double(rng) for _ in range(num_chance_action - 1)]
                cdf.sort()
                total = 0.0
                for k in range(num_chance_action):
                    total += cdf[k + 1] - cdf[k]
                    self.proba.append(cdf[k + 1] - cdf[k])
                    self.trans.append(absl_uniform_int(rng, size))
                self.norm.append(total)
        self.eps = 1.0000000195414814e-25  # 1e-25f

    def root(self):
        return GarnetState(self)


class GarnetState:
    def __init__(self, game):
        self.g, self.x, self.t, self.last, self.kind = game, None, 0, 0, CHANCE
        self.dist = [1.0 / game.S] * game.S

    def copy(self):
        c = GarnetState.__new__(GarnetState)
        c.__dict__.update(self.__dict__)
        return c

    def node(self):
        return TERMINAL if self.t >= self.g.H else self.kind

    def string(self):
        if self.x is None:
            return "initial"
        if self.kind == DECISION:
            return "(%d, %d)" % (self.x, self.t)
        if self.kind == MEAN_FIELD:
            return "(%d, %d)_a" % (self.x, self.t)
        return "(%d, %d, %d)_a_mu" % (self.x, self.t, self.last)

    def outcomes(self):
        g = self.g
        if self.x is None:
            return [(i, 1.0 / g.S) for i in range(g.S)]
        i = self.x + g.S * self.last
        return [(k, g.proba[g.K * i + k] / g.norm[i]) for k in range(g.K)]

    def actions(self):
        return list(range(self.g.A))

    def child(self, a):
        c, g = self.copy(), self.g
        if c.x is None:
            c.x, c.kind = a, DECISION
        elif c.kind == CHANCE:
            c.x = g.trans[g.K * (c.x + g.S * c.last) + a]
            c.t += 1
            c.kind = MEAN_FIELD
        else:
            c.last, c.kind = a, CHANCE
        return c

    def support(self):
        return ["(%d, %d)_a" % (i, self.t) for i in range(self.g.S)]

    def updated(self, dist):
        c = self.copy()
        c.dist, c.kind = list(dist), DECISION
        return c

    def reward(self):
        if self.node() != DECISION:
            return 0.0
        g = self.g
        return g.reward[self.x + g.S * self.last] + g.eta * -math.log(self.dist[self.x] + g.eps)


def Phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


class Ring:
    """The common frame of lin-quad and periodic aversion: strings "(x, t)", "(x, t)_a_mu",
    "(x, t)_a"; the previous action starts at n."""

    def __init__(self, game):
        self.g, self.x, self.tick, self.last, self.kind = game, None, 0, game.n, CHANCE
        self.dist = [1.0 / game.size] * game.size

    def copy(self):
        c = self.__class__.__new__(self.__class__)
        c.__dict__.update(self.__dict__)
        return c

    def node(self):
        return TERMINAL if self.g.terminal(self.tick) else self.kind

    def string(self):
        if self.x is None:
            return "initial"
        suffix = {DECISION: "", MEAN_FIELD: "_a", CHANCE: "_a_mu"}[self.kind]
        return "(%d, %d)%s" % (self.x, self.tick, suffix)

    def outcomes(self):
        if self.x is None:
            return list(enumerate(self.dist))
        return list(enumerate(self.g.noise))

    def actions(self):
        return list(range(2 * self.g.n + 1))

    def support(self):
        return ["(%d, %d)_a" % (i, self.tick) for i in range(self.g.size)]

    def updated(self, dist):
        c = self.copy()
        c.dist, c.kind = list(dist), DECISION
        return c

    def child(self, a):
        c = self.copy()
        if c.x is None:
            c.x, c.kind = a, DECISION
        elif c.kind == CHANCE:
            c.x = self.g.after_noise(c.x, a)
            c.tick += 1
            c.kind = MEAN_FIELD
        else:
            c.x = self.g.after_move(c.x, a, c)
            c.last, c.kind = a, CHANCE
        return c

    def reward(self):
        return self.g.reward(self) if self.node() == DECISION else 0.0


class LinQuad:
    def __init__(self, size=10, horizon=10, dt=1.0, n_actions_per_side=3, volatility=1.0,
                 mean_revert=0.0, cross_q=0.01, kappa=0.5, terminal_cost=1.0):
        self.size, self.horizon, self.dt, self.n = size, horizon, dt, n_actions_per_side
        self.vol, self.K, self.q, self.kappa, self.c = volatility, mean_revert, cross_q, kappa, terminal_cost
        n = self.n
        self.noise = [Phi((d + 0.5) / self.vol) - Phi((d - 0.5) / self.vol) for d in range(-n, n + 1)]
        self.noise[0] += Phi((-n - 0.5) / self.vol)
        self.noise[-1] += 1.0 - Phi((n + 0.5) / self.vol)

    def root(self):
        return Ring(self)

    def terminal(self, tick):
        return tick * self.dt >= self.horizon

    @staticmethod
    def mean(state):
        return sum(i * m for i, m in enumerate(state.dist))

    def after_move(self, x, a, state):
        full = ((a - self.n) + self.K * (self.mean(state) - x)) * self.dt
        return round(x + round(full)) % self.size  # Python: half to even, floor mod

    def after_noise(self, x, e):
        return round(x + (e - self.n) * math.sqrt(self.dt) * self.vol) % self.size

    def reward(self, state):
        d, m = self.mean(state) - state.x, state.last - self.n
        return self.dt / 2 * (-(m**2) + 2 * self.q * m * d - self.kappa * d**2)


class PeriodicAversion:
    def __init__(self, size=21, horizon=20, dt=0.01, xmin=0.0, xmax=1.0, n_actions_per_side=10,
                 volatility=1.0, coef_aversion=1.0):
        self.size, self.horizon, self.dt, self.xmin, self.n = size, horizon, dt, xmin, n_actions_per_side
        self.dx = (xmax - xmin) / (size - 1)
        self.vol, self.coef = volatility, coef_aversion
        sd = volatility * math.sqrt(dt)
        w = [math.exp(-((e * self.dx / sd) ** 2) / 2) for e in range(-self.n, self.n + 1)]
        self.noise = [v / sum(w) for v in w]

    def root(self):
        return Ring(self)

    def terminal(self, tick):
        return tick >= self.horizon

    def after_move(self, x, a, state):
        return (x + a - self.n) % self.size

    def after_noise(self, x, e):
        return (x + e - self.n) % self.size

    def reward(self, state):
        v = (state.last - self.n) * self.dx / self.dt
        p = state.x * self.dx + self.xmin
        s, c = math.sin(2 * math.pi * p), math.cos(2 * math.pi * p)
        geom = self.vol * 2 * math.pi**2 * s - 2 * math.pi**2 * c**2 + 2 / self.vol**2 * s
        aversion = -math.log(state.dist[state.x] / self.dx + 1e-15)
        return (-0.5 * v * v + self.coef * aversion + geom) * self.dt


NFG_REWARDS = {
    "coop": lambda a, v: [10 * v[0] - 200 / 9 * (v[0] - v[2]) * v[2] - 20 * v[1],
                          20 * (v[0] - v[1]) - 2380 * v[2],
                          2000 / 9 * (v[0] - v[2]) * v[2]][a],
    "dom": lambda a, v: [v[0] + v[2], v[1], v[0] + v[2] - 0.25][a],
    "biased_indirect_rps": lambda a, v: [0.5 * v[1] - 0.3 * v[2], 0.3 * v[2] - 0.7 * v[0],
                                         0.7 * v[0] - 0.5 * v[1]][a],
}


class NormalForm:
    def __init__(self, reward_function="coop"):
        self.f = NFG_REWARDS[reward_function]

    def root(self):
        return NFGState(self)


class NFGState:
    def __init__(self, game):
        self.g, self.last, self.kind, self.dist = game, None, DECISION, [1 / 4] * 4

    def copy(self):
        c = NFGState.__new__(NFGState)
        c.__dict__.update(self.__dict__)
        return c

    def node(self):
        return self.kind

    def string(self):
        if self.last is None:
            return "initial"
        return str(self.last) + ("_final" if self.kind == TERMINAL else "")

    def actions(self):
        return [0, 1, 2]

    def child(self, a):
        c = self.copy()
        c.last, c.kind = a, MEAN_FIELD
        return c

    def support(self):
        return ["0", "1", "2"]

    def updated(self, dist):
        c = self.copy()
        c.dist, c.kind = list(dist), TERMINAL
        return c

    def reward(self):
        return self.g.f(self.last, self.dist) if self.kind == TERMINAL else 0.0


# ---------------------------------------------------------------- OpenSpiel's evaluation

def uniform(state):
    acts = state.actions()
    return [(a, 1.0 / len(acts)) for a in acts]


def distribution(roots, policy):
    """distribution.py: breadth-first from roots (one of mass 1 per population), children merged
    by string (first state kept)."""
    table, level = {}, [(r, 1.0) for r in roots]
    while level:
        kinds = {s.node() for s, _ in level}
        assert len(kinds) == 1, kinds
        kind = kinds.pop()
        for s, m in level:
            assert s.string() not in table
            table[s.string()] = m
        if kind == TERMINAL:
            break
        nxt, index = [], {}

        def add(child, mass):
            key = child.string()
            if key in index:
                nxt[index[key]][1] += mass
            else:
                index[key] = len(nxt)
                nxt.append([child, mass])

        for s, m in level:
            if kind == CHANCE:
                for o, p in s.outcomes():
                    add(s.child(o), p * m)
            elif kind == DECISION:
                for a, p in policy(s):
                    add(s.child(a), p * m)
            else:
                add(s.updated([table.get(k, 0.0) for k in s.support()]), m)
        level = [(s, m) for s, m in nxt]
    return table


def value(root, dist, op):
    """policy_value.py / best_response_value.py: depth-first, memoised by string."""
    cache = {}

    def v(s):
        key = s.string()
        if key in cache:
            return cache[key]
        kind = s.node()
        if kind == TERMINAL:
            cache[key] = s.reward()
        elif kind == CHANCE:
            cache[key] = 0.0
            for o, p in s.outcomes():
                cache[key] += p * v(s.child(o))
        elif kind == MEAN_FIELD:
            cache[key] = s.reward() + v(s.updated([dist.get(k, 0.0) for k in s.support()]))
        else:
            cache[key] = s.reward() + op(s, [(a, v(s.child(a))) for a in s.actions()])
        return cache[key]

    return v(root)


def nash_conv_uniform(game):
    root = game.root()
    dist = distribution([root], uniform)
    br = value(root, dist, lambda s, qs: max(q for _, q in qs))
    pv = value(root, dist, lambda s, qs: sum(p * q for (_, p), (_, q) in zip(uniform(s), qs)))
    return {"nash_conv": br - pv, "best_response_value": br, "policy_value": pv}


CASES = [
    ("garnet", {}, Garnet),
    ("garnet", {"size": 7, "horizon": 6, "seed": 12345, "num_action": 2, "num_chance_action": 4,
                "sparsity_factor": 0.5, "eta": 0.5}, Garnet),
    ("garnet", {"size": 8, "horizon": 4, "seed": -3, "num_action": 3, "num_chance_action": 1}, Garnet),
    ("lin-quad", {}, LinQuad),
    ("lin-quad", {"size": 12, "horizon": 4, "dt": 0.5, "n_actions_per_side": 3, "volatility": 0.7,
                  "cross_q": 0.2, "kappa": 0.8}, LinQuad),
    ("lin-quad", {"size": 7, "horizon": 2, "dt": 0.25, "n_actions_per_side": 2, "volatility": 1.0,
                  "cross_q": -0.3, "kappa": 1.5}, LinQuad),  # moves and noises land on halves
    ("periodic-aversion", {}, PeriodicAversion),
    ("periodic-aversion", {"size": 9, "horizon": 6, "dt": 0.05, "xmin": -0.5, "xmax": 1.5,
                           "n_actions_per_side": 3, "volatility": 0.7, "coef_aversion": 0.3},
     PeriodicAversion),
    ("normal-form", {"reward_function": "coop"}, NormalForm),
    ("normal-form", {"reward_function": "dom"}, NormalForm),
    ("normal-form", {"reward_function": "biased_indirect_rps"}, NormalForm),
]


def main():
    out = {"how": __doc__.strip().splitlines()[0] + " Produced by games/testdata/openspiel_mfg.py.",
           "cases": []}
    for name, params, cls in CASES:
        r = nash_conv_uniform(cls(**params))
        out["cases"].append({"game": name, "openspiel_params": params, **r})
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
