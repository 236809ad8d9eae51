#!/usr/bin/env python3
"""Independent reference values for dynamic-routing, pure Python (no numpy, no OpenSpiel).

It re-implements OpenSpiel's mean-field routing game (python_mfg_dynamic_routing) as OpenSpiel's
own protocol, not meanfield's model: a tree of nodes (initial chance, decision, mean-field,
terminal) with the game's state strings, legal actions, waiting times and rewards, as read in
google-deepmind/open_spiel at commit 112b77704631fc2ce7ad8e4581f6ca09798ce15a
(open_spiel/python/mfg/games/dynamic_routing.py, open_spiel/python/games/dynamic_routing_utils.py
and dynamic_routing_data.py); and OpenSpiel's evaluation: the distribution breadth-first with
states merged by string (distribution.py), values depth-first memoised by string
(policy_value.py, best_response_value.py), NashConv = BR - value (nash_conv.py), and
MirrorDescent (mirror_descent.py) with its cumulative table read live by the projected policy.
The Go model (stages, transitions, backward induction, waiting-time cap) is not used.

One departure, for determinism: OpenSpiel's distribution support iterates a Python set of the
destinations (an order that depends on PYTHONHASHSEED); here the destinations come in the order
of their first appearance in the demand. It only moves the last bits with several destinations.

Run: python3 games/testdata/openspiel_routing.py > games/testdata/openspiel_routing.json
"""
import json
import math
import os
import sys

sys.setrecursionlimit(100000)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openspiel_mfg import CHANCE, DECISION, MEAN_FIELD, TERMINAL, distribution, uniform  # noqa: E402


class Network:
    """dynamic_routing_utils.Network: links numbered 1.. over the sorted nodes, successors in the
    adjacency list's order; BPR travel time f*(1 + a*(v/c)**b), defaults a 0, b 1, c 1, f 1."""

    def __init__(self, adjacency, a=None, b=None, capacity=None, free=None):
        self.adjacency = adjacency
        self.action = {}
        for origin, succs in sorted(adjacency.items()):
            for dest in succs:
                self.action[f"{origin}->{dest}"] = len(self.action) + 1
        self.link = {v: k for k, v in self.action.items()}
        self.a = a or {k: 0 for k in self.action}
        self.b = b or {k: 1 for k in self.action}
        self.capacity = capacity or {k: 1 for k in self.action}
        self.free = free or {k: 1 for k in self.action}

    def successors(self, node):
        return self.adjacency[node]

    def travel_time(self, link, volume):
        return self.free[link] * (1.0 + self.a[link] * (volume / self.capacity[link]) ** self.b[link])

    def is_sink(self, link):
        return not self.successors(link.split("->")[1])


LINE = Network({"bef_O": "O", "O": ["A"], "A": ["D"], "D": ["aft_D"], "aft_D": []})
LINE_DEMAND = [("bef_O->O", "D->aft_D", 0, 100)]
BRAESS = Network(
    {"O": "A", "A": ["B", "C"], "B": ["C", "D"], "C": ["D"], "D": ["E"], "E": []},
    a={"O->A": 0, "A->B": 1.0, "A->C": 0, "B->C": 0, "B->D": 0, "C->D": 1.0, "D->E": 0},
    b={k: 1.0 for k in ["O->A", "A->B", "A->C", "B->C", "B->D", "C->D", "D->E"]},
    capacity={k: 5 for k in ["O->A", "A->B", "A->C", "B->C", "B->D", "C->D", "D->E"]},
    free={"O->A": 0, "A->B": 1.0, "A->C": 2.0, "B->C": 0.25, "B->D": 2.0, "C->D": 1.0, "D->E": 0})
BRAESS_DEMAND = [("O->A", "D->E", 0, 5)]


class Game:
    def __init__(self, network, demand, max_num_time_step=10, time_step_length=0.5):
        self.network, self.demand = network, demand
        self.T, self.dt = max_num_time_step, time_step_length
        self.total = sum(d[3] for d in demand)
        self.outcomes = [(i, d[3] / self.total) for i, d in enumerate(demand)]
        self.destinations = []
        for d in demand:
            if d[1] not in self.destinations:
                self.destinations.append(d[1])

    def root(self):
        return State(self)


class State:
    """MeanFieldRoutingGameState: location, destination, waiting time, time, flags."""

    def __init__(self, game):
        self.g = game
        self.t, self.init, self.terminal, self.player = 0, True, False, CHANCE
        self.loc = self.dest = None
        self.wait, self.final = -1, 0
        self.at_dest = self.no_action = False

    def copy(self):
        s = State.__new__(State)
        s.__dict__.update(self.__dict__)
        return s

    def node(self):
        return TERMINAL if self.terminal else self.player

    def _str(self, player, wait, dest):
        if self.init:
            return "initial chance node"
        time = str(self.t) if player == DECISION else f"{self.t}_mean_field"
        if self.final:
            return f"Arrived at {self.loc}, with arrival time {self.final}, t={time}"
        return f"Location={self.loc}, waiting_time={wait}, t={time}, destination='{dest}'"

    def string(self):
        return self._str(self.player, self.wait, self.dest)

    def outcomes(self):
        return self.g.outcomes

    def actions(self):
        if self.no_action or self.wait > 0:
            return [0]
        head = self.loc.split("->")[1]
        return sorted(self.g.network.action[f"{head}->{d}"] for d in self.g.network.successors(head))

    def child(self, a):
        s, g = self.copy(), self.g
        if s.player == CHANCE:
            s.player = DECISION
            s.loc, s.dest = g.demand[a][0], g.demand[a][1]
            s.wait = int(g.demand[a][2] / g.dt)
            s.init = False
        else:
            s.player = MEAN_FIELD
            if not s.no_action:
                if s.wait > 0:
                    s.wait -= 1
                else:
                    s.loc = g.network.link[a]
                    if s.loc == s.dest:
                        s.final, s.at_dest, s.no_action = s.t, True, True
                    elif g.network.is_sink(s.loc):
                        s.no_action, s.final = True, g.T + 1
                    else:
                        s.wait = -1
            s.t += 1
        if s.t >= g.T:
            s.terminal = True
            if not s.at_dest:
                s.final = g.T + 1
        return s

    def support(self):
        if self.no_action:
            return []
        return [self._str(MEAN_FIELD, w, d) for w in range(-1, self.g.T) for d in self.g.destinations]

    def updated(self, dist):
        s = self.copy()
        s.player = DECISION
        if not s.no_action:
            rho = sum(dist)
            assert 0 <= rho <= 1 + 1e-4, rho
            if s.wait == -1:
                s.wait = max(0, int(s.g.network.travel_time(s.loc, s.g.total * rho) / s.g.dt) - 1)
        return s

    def reward(self):
        return -self.final * self.g.dt if self.terminal else 0


def value(root, dist, op, hook=None):
    """policy_value.py / best_response_value.py (and mirror_descent.py's eval_state with hook):
    depth-first, memoised by string; hook(key, v) runs when a node's value is computed."""
    cache = {}

    def v(s):
        key = s.string()
        if key in cache:
            return cache[key]
        kind = s.node()
        if kind == TERMINAL:
            val = s.reward()
        elif kind == CHANCE:
            val = 0.0
            for o, p in s.outcomes():
                val += p * v(s.child(o))
        elif kind == MEAN_FIELD:
            val = 0 + v(s.updated([dist.get(k, 0.0) for k in s.support()]))
        else:
            val = 0 + op(s, v)
        cache[key] = val
        if hook:
            hook(key, val)
        return val

    return v(root)


def best(s, v):
    return max(v(s.child(a)) for a in s.actions())


def follow(policy):
    def op(s, v):
        total = 0.0
        for a, p in policy(s):
            total += p * v(s.child(a))
        return total
    return op


def nash_conv(game, policy):
    root = game.root()
    dist = distribution([root], policy)
    br = value(root, dist, best)
    pv = value(root, dist, follow(policy))
    return {"nash_conv": br - pv, "best_response_value": br, "policy_value": pv}


def softmax(logits):
    top = max(logits)
    e = [math.exp(x - top) for x in logits]
    norm = sum(e)
    return [x / norm for x in e]


def mirror_descent(game, lr, iterations):
    """mirror_descent.py: each iteration evaluates the current policy against its distribution,
    adding lr*v to the cumulative table C the moment each node's value v is computed; the new
    policy is softmax over the legal actions of C(child) (rewards()[0] = 0 at decision nodes),
    read live (also by the evaluation's own queries). Returns NashConv after each iteration."""
    C = {}

    def projected(s):
        acts = s.actions()
        return list(zip(acts, softmax([0 + C.get(s.child(a).string(), 0.0) for a in acts])))

    def add(key, val):
        C[key] = C.get(key, 0.0) + lr * val

    policy, out = uniform, []
    dist = distribution([game.root()], policy)
    for _ in range(iterations):
        value(game.root(), dist, follow(policy), hook=add)
        policy = projected
        dist = distribution([game.root()], policy)
        out.append(nash_conv(game, policy)["nash_conv"])
    return out


def braess_policy(ab, bc):
    """OpenSpiel's test policies: the only legal action, or A->B/A->C, B->C/B->D by ab, bc."""
    def policy(s):
        acts = s.actions()
        if len(acts) == 1:
            return [(acts[0], 1.0)]
        if acts[0] == 1:
            return [(1, ab[0]), (2, ab[1])]
        return [(a, p) for a, p in ((3, bc[0]), (4, bc[1])) if p > 0]  # SO lists only B->D
    return policy


CASES = [
    ("braess, OpenSpiel's defaults", {}, BRAESS, BRAESS_DEMAND, 10, 0.5),
    ("braess, H 100, dt 0.05", {"max-num-time-step": 100, "time-step-length": 0.05},
     BRAESS, BRAESS_DEMAND, 100, 0.05),
    ("braess, H 30, dt 0.1", {"max-num-time-step": 30, "time-step-length": 0.1},
     BRAESS, BRAESS_DEMAND, 30, 0.1),
    ("line, H 5, dt 1 (factory dynamic_routing_line)",
     {"network": "line", "max-num-time-step": 5, "time-step-length": 1.0}, LINE, LINE_DEMAND, 5, 1.0),
    ("braess, departures 0, 0.5, 1 (test_multiple_departure_time_vehicle)",
     {"demand": [{"origin": "O->A", "destination": "D->E", "departure-time": d, "counts": 5.0}
                 for d in (0.0, 0.5, 1.0)]},
     BRAESS, [("O->A", "D->E", d, 5) for d in (0.0, 0.5, 1.0)], 10, 0.5),
    ("braess, three destinations, one reached at step 0, late departures",
     {"max-num-time-step": 12, "time-step-length": 0.25,
      "demand": [{"origin": "O->A", "destination": "D->E", "departure-time": 0.0, "counts": 3.0},
                 {"origin": "O->A", "destination": "A->C", "departure-time": 0.0, "counts": 2.0},
                 {"origin": "O->A", "destination": "B->D", "departure-time": 0.75, "counts": 4.0},
                 {"origin": "A->B", "destination": "D->E", "departure-time": 5.0, "counts": 1.0},
                 {"origin": "A->C", "destination": "D->E", "departure-time": 100.0, "counts": 1.0}]},
     BRAESS, [("O->A", "D->E", 0.0, 3), ("O->A", "A->C", 0.0, 2), ("O->A", "B->D", 0.75, 4),
              ("A->B", "D->E", 5.0, 1), ("A->C", "D->E", 100.0, 1)], 12, 0.25),
]


def main():
    out = {"source": "games/testdata/openspiel_routing.py", "cases": []}
    for label, params, net, demand, T, dt in CASES:
        game = Game(net, demand, T, dt)
        case = {"label": label, "params": params, "uniform": nash_conv(game, uniform),
                "mirror_descent_lr1": mirror_descent(game, 1.0, 8)}
        out["cases"].append(case)
    game = Game(BRAESS, BRAESS_DEMAND, 100, 0.05)
    out["braess_h100"] = {
        "nash_equilibrium": nash_conv(game, braess_policy((0.75, 0.25), (2 / 3, 1 / 3))),
        "social_optimum": nash_conv(game, braess_policy((0.5, 0.5), (0.0, 1.0))),
        "mirror_descent_lr1_50": mirror_descent(game, 1.0, 50),
    }
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
