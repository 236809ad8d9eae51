package algorithms

import (
	"context"
	"fmt"
	"math"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/mfg"
	"meanfield/rl"
)

func init() {
	Register("fictitious-play",
		"fictitious play: average the population with the best response's (alpha 0: 1/(k+1) at step k)",
		"Perrin et al. 2020; MFGLib 0.3.0 FictitiousPlay; OpenSpiel fictitious_play.py (alpha = lr, br-temperature = temperature, tie-break lowest)", 100,
		func() *FictitiousPlay { return &FictitiousPlay{TieBreak: TieSplit} },
		func(f *FictitiousPlay) (engine.Algorithm, error) { return *f, nil })
}

// FictitiousPlay is damped fictitious play (MFGLib's FictitiousPlay): at step k (k = 1, 2, ...),
// with L the mean field of π_{k-1}, π_BR the greedy best response to L and L_BR its mean field,
// and α_k = Alpha if Alpha > 0 else 1/(k+1),
//
//	π_k(a|t,s) = [(1-α_k) μ_t(s) π_{k-1}(a|t,s) + α_k μ^BR_t(s) π_BR(a|t,s)] / [(1-α_k) μ_t(s) + α_k μ^BR_t(s)],
//
// the policy of the mixture of the two populations (uniform where neither visits s). Alpha = 0 is
// classical fictitious play; Alpha = 1 the fixed-point iteration π_k = π_BR. On a stationary game
// μ is the state marginal of the population each policy sustains.
//
// The best response π_BR is greedy in Q* = Q*_{L}: with TieBreak "split" (MFGLib's argmax-e, the
// default) it spreads its mass equally over the maximisers, with "lowest" (OpenSpiel's np.argmax)
// it puts it all on the lowest-numbered one. TieTolerance > 0 counts as maximisers all actions
// within TieTolerance·max(1, |max Q|) of the best, so that actions equal in exact arithmetic tie
// whatever the rounding (MFGLib, like the default 0, uses exact equality). Temperature T > 0
// replaces the greedy best response by OpenSpiel's softmax one,
//
//	π_BR(a|t,s) = exp((Q*_t(s,a) - max_b Q*_t(s,b))/T) / Σ_c exp((Q*_t(s,c) - max_b Q*_t(s,b))/T).
//
// OpenSpiel's FictitiousPlay(game, lr, temperature) is Alpha = lr (0 for lr None) with TieBreak
// "lowest" when temperature is None, and Temperature = temperature otherwise.
type FictitiousPlay struct {
	Alpha        float64 `yaml:"alpha" help:"step α_k (0: 1/(k+1), classical fictitious play)"`
	TieTolerance float64 `yaml:"tie-tolerance" help:"best responses include every action within this (relative) of the best (0: exact ties, as MFGLib)"`
	Temperature  float64 `yaml:"br-temperature" help:"softmax best response exp(Q*/T) of temperature T, OpenSpiel's temperature (0: greedy)"`
	TieBreak     string  `yaml:"tie-break" help:"greedy best response among tied actions: split (equal shares, MFGLib's argmax-e) or lowest (the lowest-numbered action, OpenSpiel's np.argmax)"`
}

// The tie rules of a greedy best response.
const (
	TieSplit  = "split"  // equal shares among the maximisers (MFGLib's argmax-e); "" means it too
	TieLowest = "lowest" // all on the lowest-numbered maximiser (OpenSpiel's np.argmax)
)

// Name is "fictitious-play".
func (FictitiousPlay) Name() string { return "fictitious-play" }

// Validate checks Alpha in [0, 1], TieTolerance in [0, 1), Temperature >= 0 finite and the tie
// rule, refusing a tie setting with a softmax best response (which has no ties).
func (f FictitiousPlay) Validate() error {
	if !(f.Alpha >= 0 && f.Alpha <= 1) {
		return fmt.Errorf("alpha = %v: must be in [0, 1]", f.Alpha)
	}
	if !(f.TieTolerance >= 0 && f.TieTolerance < 1) {
		return fmt.Errorf("tie-tolerance = %v: must be in [0, 1)", f.TieTolerance)
	}
	return validateBestResponse(f.Temperature, f.TieBreak, f.TieTolerance)
}

// validateBestResponse checks the best-response settings shared by fictitious play and the damped
// fixed point.
func validateBestResponse(temperature float64, tieBreak string, tieTol float64) error {
	if !(temperature >= 0) || math.IsInf(temperature, 0) {
		return fmt.Errorf("br-temperature = %v: must be non-negative and finite (0: greedy best response)", temperature)
	}
	if tieBreak != "" && tieBreak != TieSplit && tieBreak != TieLowest {
		return fmt.Errorf("tie-break = %q: must be %s or %s", tieBreak, TieSplit, TieLowest)
	}
	if temperature > 0 && tieBreak == TieLowest {
		return fmt.Errorf("tie-break = %s: only for the greedy best response, and br-temperature = %v makes it a softmax", tieBreak, temperature)
	}
	if temperature > 0 && tieTol != 0 {
		return fmt.Errorf("tie-tolerance = %v: only for the greedy best response, and br-temperature = %v makes it a softmax", tieTol, temperature)
	}
	return nil
}

// Applies accepts every game whose policies can be evaluated.
func (f FictitiousPlay) Applies(g mfg.Game) error { return needsModel(f.Name(), g) }

// Begin starts a solve: fictitious play keeps no state besides the current policy.
func (f FictitiousPlay) Begin(_ context.Context, s engine.Start) (engine.Run, engine.Iterate, error) {
	g := s.Problem.Game()
	return &mixing{p: s.Problem, S: g.States(), A: g.Actions(), alpha: f.Alpha, tieTol: f.TieTolerance, temp: f.Temperature, lowest: f.TieBreak == TieLowest},
		engine.Iterate{Policy: s.Policy}, nil
}

// mixing is a step of fictitious play and of the damped fixed point: the policy of the mixture of
// the current population with the best response's.
type mixing struct {
	p      *engine.Problem
	S, A   int     // the game's sizes, read once
	alpha  float64 // 0: 1/(k+1)
	tieTol float64
	temp   float64 // > 0: softmax best response
	lowest bool    // greedy ties to the lowest action
	// br is the best response of a step, whose memory the next step reuses: only the mixed policy
	// outlives its step.
	br []mfg.Policy
	// row is a best-response row before it is compared with the last step's; lbr is the mean
	// field of m.br, in the problem's memory of MeanFieldOnce, which only this run calls: when
	// the best response repeats, bit for bit, so does its mean field, which is not computed again
	// (the best response of a settling solve changes seldom).
	row []float64
	lbr []mfg.Population
	// chunks hold the mixed policies, which the engine's trace keeps.
	chunks finite.Chunks
}

// ReleasesEvaluations tells the engine that the run keeps nothing of an evaluation after Step.
func (*mixing) ReleasesEvaluations() {}

// Recycle takes back a policy of the run's chunks for a later step: the run keeps no reference to
// its past policies (what it carries from step to step is in memory of its own).
func (m *mixing) Recycle(pi []mfg.Policy) { m.chunks.Recycle(pi) }

// ReadsNoPolicyQ tells the engine that Step reads no Q^π of the evaluation (Q* and the mean field).
func (*mixing) ReadsNoPolicyQ() {}

func (m *mixing) Step(ctx context.Context, k int, prev *engine.Evaluation) (engine.Iterate, error) {
	S, A := m.S, m.A
	q, err := prev.OptimalQ(ctx)
	if err != nil {
		return engine.Iterate{}, err
	}
	L, err := prev.MeanField(ctx)
	if err != nil {
		return engine.Iterate{}, err
	}
	br, changed := m.bestResponse(q, S, A)
	if changed || m.lbr == nil {
		m.lbr = nil // until computed: an error leaves none to reuse
		Lbr, err := m.p.MeanFieldOnce(ctx, br)
		if err != nil {
			return engine.Iterate{}, fmt.Errorf("mean field of the best response: %w", err)
		}
		m.lbr = Lbr
	}
	Lbr := m.lbr
	alpha := m.alpha
	if alpha == 0 {
		alpha = 1 / float64(k+1)
	}
	next := m.chunks.Policy(len(br), S, A)
	legal := m.p.Legal()
	for t := range next {
		mix(next[t].Prob, prev.Policy[t].Prob, br[t].Prob, L[t].Mass, Lbr[t].Mass, alpha, legal, S, A)
	}
	return engine.Iterate{Policy: next}, nil
}

// bestResponse is the greedy (by the tie rule) or softmax policy of Q*, in m.br's memory, and
// whether it differs in a bit from the last step's there (true at the first step).
func (m *mixing) bestResponse(q [][]float64, S, A int) (br []mfg.Policy, changed bool) {
	if len(m.br) != len(q) {
		m.br, changed = newPolicy(len(q), S, A), true
	}
	if len(m.row) != A {
		m.row = make([]float64, A)
	}
	br, row := m.br, m.row
	greedy := !(m.temp > 0) && !m.lowest // bestRow's default, by rows: the common case
	for t := range q {
		if m.tieTol != 0 && !m.lowest {
			br[t], changed = rl.GreedyPolicyWithin(q[t], S, A, m.tieTol), true
			continue
		}
		qt, bt := q[t][:S*A], br[t].Prob[:S*A] // the rows sliced from these, without a product each
		if greedy {
			if rl.ArgmaxERows(bt, qt, A) { // rl.GreedyPolicy's rows, in memory shared by the times
				changed = true
			}
			continue
		}
		s, i := 0, 0
		for ; s < S && !changed; s, i = s+1, i+A { // until a row differs, each is written aside and compared
			m.bestRow(row, qt[i:i+A])
			if old := bt[i : i+A]; !equalBits(old, row) {
				copy(old, row)
				changed = true
			}
		}
		for ; s < S; s, i = s+1, i+A {
			m.bestRow(bt[i:i+A], qt[i:i+A])
		}
	}
	return br, changed
}

// bestRow writes the best response's row of the Q*-values x into dst.
func (m *mixing) bestRow(dst, x []float64) {
	switch {
	case m.temp > 0:
		softmaxTemperature(dst, x, m.temp)
	case m.lowest:
		argmaxLowest(dst, x, m.tieTol)
	default:
		rl.ArgmaxE(dst, x)
	}
}

// equalBits reports whether x and y hold the same float64s bit for bit (NaN payloads and signed
// zeros included).
func equalBits(x, y []float64) bool {
	y = y[:len(x)]
	for i, v := range x {
		if math.Float64bits(v) != math.Float64bits(y[i]) {
			return false
		}
	}
	return true
}

// softmaxTemperature writes dst(a) = exp((x(a) - max x)/T) / Σ_b exp((x(b) - max x)/T), OpenSpiel's
// SoftmaxPolicy (the difference divided by T, as it does, rather than multiplied by 1/T).
func softmaxTemperature(dst, x []float64, T float64) {
	best := math.Inf(-1)
	for _, v := range x {
		best = max(best, v)
	}
	var sum float64
	for a, v := range x {
		dst[a] = math.Exp((v - best) / T)
		sum += dst[a]
	}
	for a := range dst {
		dst[a] /= sum
	}
}

// argmaxLowest writes 1 on the lowest-numbered action within tol·max(1, |max x|) of the largest x
// (tol 0: the first maximiser, np.argmax) and 0 elsewhere.
func argmaxLowest(dst, x []float64, tol float64) {
	best := math.Inf(-1)
	for _, v := range x {
		if v > best {
			best = v
		}
	}
	cut := best
	if tol != 0 {
		cut = best - tol*math.Max(1, math.Abs(best))
	}
	first := true
	for a, v := range x {
		dst[a] = 0
		if first && v >= cut {
			dst[a], first = 1, false
		}
	}
}

// mix writes π(a|s) = [(1-α) μ(s) old(a|s) + α μBR(s) best(a|s)] / [(1-α) μ(s) + α μBR(s)] into
// next, uniform (over the legal actions, when legal is not nil) where the denominator is 0 (or
// NaN, as MFGLib fills it); the policies are tables of S rows of A actions, and μ(s) = Σ_a L(s, a),
// μBR(s) = Σ_a LBR(s, a) the state marginals of the populations mass and massBR (summed in the
// order of mfg.Population.StateMarginal).
func mix(next, old, best, mass, massBR []float64, alpha float64, legal []bool, S, A int) {
	// The tables' values, not their policies: fewer structs to copy at each call. One index over
	// the rows, as slicing each cost more than its arithmetic on the smallest games; the marginals
	// are taken row by row here rather than in tables of their own.
	n := S * A
	out, o, b, mass, massBR := next[:n], old[:n], best[:n], mass[:n], massBR[:n]
	switch {
	case A == 3 && legal == nil:
		mix3(out, o, b, mass, massBR, alpha)
		return
	case A == 5 && legal == nil:
		// Four states at a time (AVX): their five divisions a row bound the loop. The states
		// left over, by the Go loop.
		i := mix5(out, o, b, mass, massBR, alpha)
		out, o, b, mass, massBR, S = out[i:], o[i:], b[i:], mass[i:], massBR[i:], S-i/A
	}
	mixGo(out, o, b, mass, massBR, alpha, legal, S, A)
}

// mixGo is mix one row at a time (any A, with or without a legal mask), on tables of S·A numbers.
func mixGo(out, o, b, mass, massBR []float64, alpha float64, legal []bool, S, A int) {
	n := S * A
	out, o, b, mass, massBR = out[:n], o[:n], b[:n], mass[:n], massBR[:n]
	uniform := 1 / float64(A)
	i := 0
	for s := 0; s < S; s++ {
		var mu, mubr float64
		for k := i; k < i+A; k++ {
			mu += mass[k]
			mubr += massBR[k]
		}
		wOld, wBR := float64((1-alpha)*mu), float64(alpha*mubr) // rounded, so that den's sum cannot fuse one (GOAMD64=v3)
		den := wOld + wBR
		switch {
		case legal != nil && !(den > 0):
			mfg.UniformLegalRow(out[i:i+A], legal[i:i+A])
			i += A
		case !(den > 0):
			for end := i + A; i < end; i++ {
				out[i] = uniform
			}
		default:
			for end := i + A; i < end; i++ {
				out[i] = (float64(wOld*o[i]) + float64(wBR*b[i])) / den
			}
		}
	}
}

// mix3 is mix on rows of three actions without a legal-action mask, each row's sums and ratios
// written out: the same operations in the same order (the sums of the marginals from +0), without
// the loops over the actions, which cost more than their arithmetic on the smallest games.
func mix3(out, o, b, mass, massBR []float64, alpha float64) {
	n := len(out) - len(out)%3
	out, o, b, mass, massBR = out[:n], o[:n], b[:n], mass[:n], massBR[:n]
	for i := 0; i+2 < len(out); i += 3 { // one index: slicing each row cost a quarter of the loop
		var mu, mubr float64
		mu += mass[i]
		mubr += massBR[i]
		mu += mass[i+1]
		mubr += massBR[i+1]
		mu += mass[i+2]
		mubr += massBR[i+2]
		wOld, wBR := float64((1-alpha)*mu), float64(alpha*mubr) // rounded, as in mix
		den := wOld + wBR
		if !(den > 0) {
			out[i], out[i+1], out[i+2] = 1.0/3, 1.0/3, 1.0/3
			continue
		}
		out[i] = (float64(wOld*o[i]) + float64(wBR*b[i])) / den
		out[i+1] = (float64(wOld*o[i+1]) + float64(wBR*b[i+1])) / den
		out[i+2] = (float64(wOld*o[i+2]) + float64(wBR*b[i+2])) / den
	}
}

// needsModel refuses a game whose policies the engine cannot evaluate (a stationary game without a
// model): the policy methods evaluate every policy at its mean field.
func needsModel(name string, g mfg.Game) error {
	p, err := engine.NewProblem(g, engine.EvaluationOptions{})
	if err == nil {
		err = p.CanEvaluate()
	}
	if err != nil {
		return fmt.Errorf("algorithm = %q evaluates policies with the game's model: %w", name, err)
	}
	return nil
}

// Smoothing: with a temperature the best responses are softmaxes, and what fictitious play
// approaches is an equilibrium of the smoothed game.
func (f FictitiousPlay) Smoothing() string { return softmaxSmoothing(f.Temperature) }
