// Command customgame defines a mean-field game of its own in Go, outside the library's packages,
// checks it with the conformance kit and solves it with two of the library's algorithms:
//
//	go run ./examples/customgame
//
// The game is a commute: a continuum of drivers leave home at t = 0, each picks one of K routes,
// and at t = 1 pays the route's travel time, which grows with the share of drivers on it,
//
//	cost_k(x_k) = d_k + c_k·x_k    (d_k the free-flow time, c_k > 0 the congestion slope).
//
// As a finite-horizon game (mfg.Finite): horizon T = 1; states 0 (home) and k+1 (on route k);
// actions k = 0..K-1 (take route k), which move any state to state k+1 with probability 1;
// μ0 all at home; rewards r(0, s, a) = 0 and r(1, k+1, a) = -cost_k(μ_1(k+1)), r(1, 0, a) = 0.
//
// Its Nash equilibrium is Wardrop's: every route used costs the same λ, and no unused route costs
// less, so x_k = max(0, (λ − d_k)/c_k) with Σ_k x_k = 1 (Wardrop, 1952). With the routes sorted by
// d_k, the used ones are the first m for the largest m whose λ_m = (1 + Σ_{k<m} d_k/c_k) /
// Σ_{k<m} 1/c_k exceeds d_{m-1}. The cost is increasing in the route's own share (a monotone
// game), so fictitious play and online mirror descent both converge to it; the exploitability,
// Σ_k π(k|home)·cost_k − min_k cost_k at the policy's own mean field, falls to 0.
//
// README.md beside this file explains, step by step, how to write such a game.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games/gamestest"
	"meanfield/mfg"
)

// Route is one route of the commute: its travel time is FreeFlow + Slope·x when a share x of the
// drivers takes it.
type Route struct {
	FreeFlow, Slope float64
}

// Commute is the game: drivers at home pick a route at t = 0 and pay its travel time at t = 1.
// It implements mfg.Finite.
type Commute struct {
	routes []Route
}

// NewCommute returns the commute over the routes: at least one, each with a finite free-flow time
// and a positive, finite slope.
func NewCommute(routes []Route) (*Commute, error) {
	if len(routes) == 0 {
		return nil, errors.New("routes: none given, want at least one")
	}
	for k, r := range routes {
		if math.IsNaN(r.FreeFlow) || math.IsInf(r.FreeFlow, 0) {
			return nil, fmt.Errorf("route %d: free-flow time = %v: must be finite", k, r.FreeFlow)
		}
		if !(r.Slope > 0) || math.IsInf(r.Slope, 0) {
			return nil, fmt.Errorf("route %d: slope = %v: must be positive and finite", k, r.Slope)
		}
	}
	return &Commute{routes: append([]Route(nil), routes...)}, nil
}

// Name identifies the game in traces and in the conformance kit's messages (no white space).
func (g *Commute) Name() string { return "commute" }

// States is home plus one state per route.
func (g *Commute) States() int { return len(g.routes) + 1 }

// Actions is one per route.
func (g *Commute) Actions() int { return len(g.routes) }

// Horizon is T = 1: the choice at t = 0, the cost at t = 1.
func (g *Commute) Horizon() int { return 1 }

// StateShape is one dimension: the states are not a grid.
func (g *Commute) StateShape() []int { return []int{g.States()} }

// ActionShape is one dimension.
func (g *Commute) ActionShape() []int { return []int{g.Actions()} }

// InitialStates is μ0: every driver at home.
func (g *Commute) InitialStates() []float64 {
	mu0 := make([]float64, g.States())
	mu0[0] = 1
	return mu0
}

// Stage returns r(t, ·, ·, L_t) and the moves: action k takes any state to state k+1 (at t = T
// they are not read, but BuildStage validates every row). The MDP is new at every call, so that
// it stays valid when the later stages are built.
func (g *Commute) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	S, A := g.States(), g.Actions()
	mu := L.StateMarginal(nil)
	b := mfg.NewMDPBuilder(S, A, 0) // a stage's discount is unused
	for s := range S {
		for a := range A {
			if t == 1 && s > 0 {
				r := g.routes[s-1]
				b.MDP.Reward[s*A+a] = -(r.FreeFlow + r.Slope*mu[s])
			}
			b.Add(a+1, 1)
			b.EndRow()
		}
	}
	return b.BuildStage()
}

// Wardrop returns the equilibrium shares x_k of the routes and the common travel time λ of the
// routes used, in closed form (see the package documentation).
func Wardrop(routes []Route) (shares []float64, cost float64) {
	order := make([]int, len(routes))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(i, j int) bool { return routes[order[i]].FreeFlow < routes[order[j]].FreeFlow })
	var sumInv, sumRatio float64
	for m, k := range order {
		r := routes[k]
		lambda := (1 + sumRatio + r.FreeFlow/r.Slope) / (sumInv + 1/r.Slope)
		if m > 0 && lambda <= r.FreeFlow {
			break // route k would carry no one: so would every slower one
		}
		sumInv += 1 / r.Slope
		sumRatio += r.FreeFlow / r.Slope
		cost = lambda
	}
	shares = make([]float64, len(routes))
	for k, r := range routes {
		shares[k] = max(0, (cost-r.FreeFlow)/r.Slope)
	}
	return shares, cost
}

// DefaultRoutes are the example's routes: a fast road that congests quickly, a slower one that
// congests less, and a slow bypass that nobody takes at the equilibrium (x = 0.4, 0.6, 0; λ = 1.8).
var DefaultRoutes = []Route{{FreeFlow: 1, Slope: 2}, {FreeFlow: 1.2, Slope: 1}, {FreeFlow: 3, Slope: 1}}

// Solved is one algorithm's solve of the commute.
type Solved struct {
	Algorithm string
	// Exploitability is the trace, iteration 0 (the uniform policy) first.
	Exploitability []float64
	// Shares is the final policy's choice at home at t = 0: π_0(k|home).
	Shares []float64
}

// Run checks the commute over routes with the conformance kit, writing its report to w, then
// solves it with fictitious play and online mirror descent for the given iterations, writing
// their exploitability traces and final shares beside Wardrop's.
func Run(w io.Writer, routes []Route, iterations int) ([]Solved, error) {
	g, err := NewCommute(routes)
	if err != nil {
		return nil, err
	}
	rep := gamestest.Run(g, gamestest.Options{Seed: 1})
	if err := rep.Write(w); err != nil {
		return nil, err
	}
	if !rep.Passed() {
		return nil, fmt.Errorf("the conformance kit fails %s: %w", g.Name(), rep.Err())
	}
	want, lambda := Wardrop(routes)
	fmt.Fprintf(w, "\nWardrop's equilibrium: shares %.4f, travel time %.4f\n", want, lambda)
	var out []Solved
	for _, alg := range []engine.Algorithm{algorithms.FictitiousPlay{}, algorithms.OnlineMirrorDescent{Alpha: 1}} {
		res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: iterations, Exploitability: true})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", alg.Name(), err)
		}
		s := Solved{Algorithm: res.Algorithm, Exploitability: res.Exploitabilities(),
			Shares: append([]float64(nil), res.Final().Policy[0].Row(0)...)}
		out = append(out, s)
		writeTrace(w, s)
	}
	return out, nil
}

// writeTrace writes a solve's exploitability at iterations 0, 1, 2, 5, 10, 20, 50, ... and its
// final shares.
func writeTrace(w io.Writer, s Solved) {
	fmt.Fprintf(w, "\n%s\n  iteration  exploitability\n", s.Algorithm)
	last := len(s.Exploitability) - 1
	for k := 0; k <= last; k = nextShown(k) {
		fmt.Fprintf(w, "  %9d  %.3e\n", k, s.Exploitability[k])
	}
	if nextShown(0) <= last && !shown(last) {
		fmt.Fprintf(w, "  %9d  %.3e\n", last, s.Exploitability[last])
	}
	fmt.Fprintf(w, "  final shares %.4f\n", s.Shares)
}

// nextShown is the iteration shown after k: 1, 2, 5 times a power of 10.
func nextShown(k int) int {
	if k == 0 {
		return 1
	}
	p := 1
	for p*10 <= k {
		p *= 10
	}
	switch k / p {
	case 1:
		return 2 * p
	case 2, 3, 4:
		return 5 * p
	}
	return 10 * p
}

// shown reports whether writeTrace shows iteration k in its sequence.
func shown(k int) bool {
	for j := 0; j <= k; j = nextShown(j) {
		if j == k {
			return true
		}
	}
	return false
}

func main() {
	if _, err := Run(os.Stdout, DefaultRoutes, 200); err != nil {
		fmt.Fprintln(os.Stderr, "customgame:", err)
		os.Exit(1)
	}
}
