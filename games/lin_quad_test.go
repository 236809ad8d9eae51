package games_test

import (
	"context"
	"math"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// The noise is N(0, σ²) discretised on the integers with the tails folded onto ±n: at σ = 1 and
// n = 3, p(0) = p(6) = Φ(-2.5) = 0.0062096653257761323 and p(3) = Φ(½) - Φ(-½) =
// 0.38292492254802624 (erfc values from any table).
func TestLinQuadNoise(t *testing.T) {
	g, err := games.NewLinQuad(games.DefaultLinQuadParams())
	if err != nil {
		t.Fatal(err)
	}
	p := g.Noise()
	for e, want := range map[int]float64{0: 0.0062096653257761323, 6: 0.0062096653257761323, 3: 0.38292492254802624} {
		if math.Abs(p[e]-want) > 2e-16 {
			t.Errorf("p(%d) = %.17g, want %.17g", e, p[e], want)
		}
	}
	var total float64
	for _, q := range p {
		total += q
	}
	if math.Abs(total-1) > 1e-15 {
		t.Errorf("noise sums to %v", total)
	}
}

// Python's rounding, half to even, and floor mod. With dt = 1/4 (√dt = 1/2), σ = 1 and n = 1 the
// noises move by -1/2, 0, +1/2: from x = 2 both halves round back to 2 (2.5 → 2, 1.5 → 2), from
// x = 3 they round to 2 and 4. With dt = 4, σ = 1, n = 1 on 5 positions, control -1 moves
// 0 → -4 mod 5 = 1 and the noise by ±2: 1 - 2 = -1 → 4.
func TestLinQuadRounding(t *testing.T) {
	g := finiteGame(t, "lin-quad", map[string]any{"size": 7, "dt": 0.25, "n-actions-per-side": 1})
	if g.Horizon() != 39 {
		t.Errorf("horizon 10 at dt = 1/4 has T = %d, want 39 (40 decisions)", g.Horizon())
	}
	st := stageAt(t, g, 0)
	noise := g.(*games.LinQuad).Noise()
	tkCheckRow(t, "from 2", st, 2, 1, []float64{0, 0, 1, 0, 0, 0, 0}, 1e-15)
	tkCheckRow(t, "from 3", st, 3, 1, []float64{0, 0, noise[0], noise[1], noise[2], 0, 0}, 0)
	tkCheckRow(t, "control ±1 rounds to 0", st, 3, 2, []float64{0, 0, noise[0], noise[1], noise[2], 0, 0}, 0)
	g = finiteGame(t, "lin-quad", map[string]any{"size": 5, "dt": 4.0, "n-actions-per-side": 1})
	if g.Horizon() != 2 {
		t.Errorf("horizon 10 at dt = 4 has T = %d, want 2 (ticks 0, 1, 2)", g.Horizon())
	}
	noise = g.(*games.LinQuad).Noise()
	tkCheckRow(t, "dt = 4", stageAt(t, g, 0), 0, 0, []float64{0, noise[1], 0, noise[2], noise[0]}, 0)
	if g := finiteGame(t, "lin-quad", map[string]any{"dt": 0.3}); g.Horizon() != 33 {
		t.Errorf("horizon 10 at dt = 0.3 has T = %d, want 33 (33·0.3 < 10 ≤ 34·0.3)", g.Horizon())
	}
}

// theoreticalPolicy is OpenSpiel's LinearPolicy as a time-indexed policy: at each tick, the
// mean position m̄ of its own mean field (propagated here through the game's transitions), and
// in every state the action TheoreticalAction.
func theoreticalPolicy(t *testing.T, g *games.LinQuad) finite.Policy {
	t.Helper()
	S, A := g.States(), g.Actions()
	pi := make(finite.Policy, g.Horizon()+1)
	mu := g.InitialStates()
	for k := range pi {
		var mbar float64
		for x, m := range mu {
			mbar += float64(x) * m
		}
		pi[k] = mfg.NewPolicy(S, A)
		L := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}
		for x := 0; x < S; x++ {
			a := g.TheoreticalAction(x, k, mbar)
			pi[k].Row(x)[a], L.Mass[x*A+a] = 1, mu[x]
		}
		st, err := g.Stage(k, L)
		if err != nil {
			t.Fatal(err)
		}
		next := make([]float64, S)
		for x := 0; x < S; x++ {
			ys, ps := st.Successors(x, g.TheoreticalAction(x, k, mbar))
			for i, y := range ys {
				next[y] += mu[x] * ps[i]
			}
		}
		mu = next
	}
	return pi
}

// The theoretical solution (the continuous-time Riccati control of linear_quadratic_example.py,
// rounded to a whole control and clamped to ±n) is nearly an equilibrium of the game it solves:
// each move charged its own cost, and the terminal cost (openspiel-costs false, the default).
// Measured at the defaults: exploitability 0.5538 against the uniform policy's 34.73. It is not exactly 0
// because the game is discrete: time steps of dt = 1 with the move made at once, and the
// controls rounded to whole positions. Online mirror descent finds an exact equilibrium
// (exploitability < 1e-9 after 300 iterations); its greedy control in every state is the
// theoretical one or one position less in absolute value, on the same side (the continuous
// control overshoots a full step: measured, they agree on 89% of the mass).
//
// Under OpenSpiel's accounting (openspiel-costs: true) the moves are charged by first visit, not by the agent's own
// move, so the theoretical control is farther from equilibrium there (4.918 against the
// uniform's 21.50): the accounting changes the game.
func TestLinQuadTheoreticalSolution(t *testing.T) {
	g, err := games.NewLinQuad(games.DefaultLinQuadParams())
	if err != nil {
		t.Fatal(err)
	}
	if eta := g.Eta(0); math.Abs(eta-0.6971) > 1e-4 { // (q+η)(4.5 - 0) = 3.18 → control 3 at x = 0
		t.Errorf("η_0 = %v, want about 0.6971", eta)
	}
	th := theoreticalPolicy(t, g)
	eTh, err := finite.Exploitability(g, th)
	if err != nil {
		t.Fatal(err)
	}
	eU, _ := finite.Exploitability(g, finite.Uniform(g))
	if !(eTh < 0.6) || !(eTh < eU/50) {
		t.Errorf("exploitability of the theoretical policy %v, want < 0.6 and < 1/50 of the uniform's %v", eTh, eU)
	}
	res, err := engine.Solve(context.Background(), g, algorithms.OnlineMirrorDescent{Alpha: 1}, engine.Options{Iterations: 300, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	if e := res.Final().Exploitability; !(e < 1e-9) {
		t.Fatalf("online mirror descent: exploitability %v after 300 iterations", e)
	}
	for k, pol := range res.Final().Policy {
		for x := 0; x < g.States(); x++ {
			eq := argmaxRow(pol.Row(x)) - 3
			want := argmaxRow(th[k].Row(x)) - 3
			if eq != want && eq != want-sign(want) {
				t.Errorf("t = %d, x = %d: equilibrium control %d, theoretical %d", k, x, eq, want)
			}
		}
	}
	quirk := games.DefaultLinQuadParams()
	quirk.OpenSpielCosts = true
	o, _ := games.NewLinQuad(quirk)
	if e, _ := finite.Exploitability(o, theoreticalPolicy(t, o)); math.Abs(e-4.918047493276) > 1e-9 {
		t.Errorf("under OpenSpiel's accounting the theoretical policy's exploitability is %v, measured 4.918047493276", e)
	}
}

func argmaxRow(row []float64) int {
	best := 0
	for a, v := range row {
		if v > row[best] {
			best = a
		}
	}
	return best
}

func sign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// The terminal cost is dead in OpenSpiel: it changes nothing with openspiel-costs, and lowers
// the value of every policy without it.
func TestLinQuadTerminalCost(t *testing.T) {
	for _, quirk := range []bool{true, false} {
		var values []float64
		for _, c := range []float64{0, 1} {
			g := finiteGame(t, "lin-quad", map[string]any{"terminal-cost": c, "openspiel-costs": quirk})
			pi := finite.Uniform(g)
			_, stages, err := finite.MeanFieldOf(g, pi)
			if err != nil {
				t.Fatal(err)
			}
			_, v := rootValues(g, finite.OptimalQ(stages), finite.PolicyQ(stages, pi), pi)
			values = append(values, v)
		}
		if quirk && values[0] != values[1] || !quirk && !(values[1] < values[0]-1) {
			t.Errorf("openspiel-costs %v: uniform value %v with c = 0, %v with c = 1", quirk, values[0], values[1])
		}
	}
}

// At dt = 1 without mean reversion the control a-n moves x by a-n before the centred noise: from
// the middle of a ring of 21 (far from the wrap) the mean next position is x + a - n; the labels
// are the controls.
func TestLinQuadLabels(t *testing.T) {
	g := finiteGame(t, "lin-quad", map[string]any{"size": 21})
	checkMoves(t, g, []int{10}, map[string][]int{"-3": {-3}, "-2": {-2}, "-1": {-1}, "0": {0}, "1": {1}, "2": {2}, "3": {3}})
}
