package games_test

// Shared checks for the finite-horizon games ported from MFGLib (left-right, beach-bar,
// linear-quadratic, random-linear, rock-paper-scissors, susceptible-infected, building
// evacuation, crowd motion, conservative treasure hunting, equilibrium price). Names start with
// "tk" (test kit) to stay clear of the other tests in this package.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/finite"
	"meanfield/games"
	"meanfield/internal/mfglibref"
	"meanfield/mfg"
)

// Random inputs.

// tkRandomDistribution returns n non-negative weights summing to 1, some of them zero.
func tkRandomDistribution(rng *rand.Rand, n int) []float64 {
	w := make([]float64, n)
	var total float64
	for i := range w {
		if rng.IntN(5) > 0 {
			w[i] = rng.ExpFloat64()
		}
		total += w[i]
	}
	if total == 0 {
		w[rng.IntN(n)], total = 1, 1
	}
	for i := range w {
		w[i] /= total
	}
	return w
}

// tkRandomPopulation returns a random distribution on S×A (some entries exactly 0).
func tkRandomPopulation(rng *rand.Rand, S, A int) mfg.Population {
	return mfg.Population{States: S, Actions: A, Mass: tkRandomDistribution(rng, S*A)}
}

// tkRandomPolicy returns a random time-dependent policy for g, with independent random rows (some
// entries exactly 0).
func tkRandomPolicy(rng *rand.Rand, g finite.Game) finite.Policy {
	S, A := finite.Dims(g)
	pi := make(finite.Policy, g.Horizon()+1)
	for t := range pi {
		pi[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			copy(pi[t].Row(s), tkRandomDistribution(rng, A))
		}
	}
	return pi
}

// tkStateMarginal is μ(s) = Σ_a L(s, a), summed here rather than by the code under test.
func tkStateMarginal(L mfg.Population) []float64 {
	mu := make([]float64, L.States)
	for s := 0; s < L.States; s++ {
		for a := 0; a < L.Actions; a++ {
			mu[s] += L.Mass[s*L.Actions+a]
		}
	}
	return mu
}

// Checks of a game and of its stages.

// tkCheckGame runs finite.ValidateGame and checks, at the mean fields of the uniform policy and of
// a random one, that every mean field is a distribution, every stage has the right size and finite
// rewards, and every transition row before T sums to 1.
func tkCheckGame(t *testing.T, g finite.Game, rng *rand.Rand) {
	t.Helper()
	if err := finite.ValidateGame(g); err != nil {
		t.Fatalf("ValidateGame: %v", err)
	}
	S, A := finite.Dims(g)
	for _, c := range []struct {
		name string
		pi   finite.Policy
	}{{"uniform", finite.Uniform(g)}, {"random", tkRandomPolicy(rng, g)}} {
		L, stages, err := finite.MeanFieldOf(g, c.pi)
		if err != nil {
			t.Fatalf("%s policy: %v", c.name, err)
		}
		if len(L) != g.Horizon()+1 || len(stages) != g.Horizon()+1 {
			t.Fatalf("%s policy: %d populations and %d stages for T = %d, want T+1 = %d", c.name, len(L), len(stages), g.Horizon(), g.Horizon()+1)
		}
		for k, st := range stages {
			if err := L[k].Validate(); err != nil {
				t.Errorf("%s policy: L_%d: %v", c.name, k, err)
			}
			if st.States != S || st.Actions != A || len(st.Reward) != S*A {
				t.Fatalf("%s policy: stage %d is %d×%d with %d rewards, want %d×%d", c.name, k, st.States, st.Actions, len(st.Reward), S, A)
			}
			for i, r := range st.Reward {
				if math.IsNaN(r) || math.IsInf(r, 0) {
					t.Fatalf("%s policy: stage %d: reward %d = %v", c.name, k, i, r)
				}
			}
			if k < g.Horizon() {
				if err := st.ValidateTransitions(); err != nil {
					t.Errorf("%s policy: stage %d: %v", c.name, k, err)
				}
			}
		}
	}
}

// tkDenseRow returns P(·|s, a) of stage m as a dense vector, failing on a repeated successor and
// on a successor stored with probability 0 (the rows are sparse).
func tkDenseRow(t *testing.T, m *mfg.MDP, s, a int) []float64 {
	t.Helper()
	row := make([]float64, m.States)
	next, prob := m.Successors(s, a)
	for k, sp := range next {
		if row[sp] != 0 {
			t.Fatalf("P(·|%d,%d): successor %d listed twice", s, a, sp)
		}
		if prob[k] == 0 {
			t.Errorf("P(·|%d,%d): successor %d stored with probability 0 (not sparse)", s, a, sp)
		}
		row[sp] = prob[k]
	}
	return row
}

// tkCheckRow compares the dense row P(·|s, a) of m with want, entry by entry to tol; the first
// entry off also shows both rows.
func tkCheckRow(t *testing.T, what string, m *mfg.MDP, s, a int, want []float64, tol float64) {
	t.Helper()
	got := tkDenseRow(t, m, s, a)
	shown := false
	for sp := range want {
		if math.Abs(got[sp]-want[sp]) > tol {
			msg := fmt.Sprintf("%s: P(%d|s=%d, a=%d) = %.15g, want %.15g", what, sp, s, a, got[sp], want[sp])
			if !shown {
				msg += fmt.Sprintf("\n got  %v\n want %v", got, want)
				shown = true
			}
			t.Error(msg)
		}
	}
}

// Bad parameters.

// tkParamError is the error of a bad parameter set (described by what) and the strings it must
// mention: the parameter's name and its value, as printed.
type tkParamError struct {
	what string
	err  error
	want []string
}

// tkCheckErrors checks that every case's error is not nil and mentions every one of its strings.
func tkCheckErrors(t *testing.T, cases []tkParamError) {
	t.Helper()
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: accepted, no error", c.what)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(c.err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.what, c.err, w)
			}
		}
	}
}

// tkBadParams is a parameter set (changes from the defaults, by YAML name) that must be rejected
// with an error mentioning every string of want.
type tkBadParams struct {
	params map[string]any
	want   []string
}

// tkCheckBadParams builds the named game through games.NewFinite (so the YAML names are checked
// too) with every bad parameter set (see tkCheckErrors), and once with the defaults, which must be
// accepted.
func tkCheckBadParams(t *testing.T, game string, cases []tkBadParams) {
	t.Helper()
	if _, err := games.New(game, nil); err != nil {
		t.Fatalf("%s at the defaults: %v", game, err)
	}
	errs := make([]tkParamError, len(cases))
	for i, c := range cases {
		_, err := games.New(game, c.params)
		errs[i] = tkParamError{fmt.Sprintf("%s %v", game, c.params), err, c.want}
	}
	tkCheckErrors(t, errs)
}

// MFGLib's reference.

// tkReference is the part of the reference file these tests read.
type tkReference struct {
	// Games[game][algorithm] is the exploitability of π_0 (uniform) and after iterations 1..10,
	// computed by MFGLib in float32 (its default); null where MFGLib raised, with the message in
	// Errors["game/algorithm"].
	Games  map[string]map[string][]float64 `json:"games"`
	Errors map[string]string               `json:"errors"`
	// Extra[game][algorithm] is like Games for non-default algorithm parameters (tkExtraAlgorithms).
	Extra map[string]map[string][]float64 `json:"extra"`
	// CrowdMotionBarLocs is the bar path of MFGLib's default crowd motion game (T+2 positions).
	CrowdMotionBarLocs [][2]int `json:"crowd_motion_bar_locs"`
	// RandomLinearTensors are the tensors of MFGLib's default random_linear game.
	RandomLinearTensors struct {
		Tensors map[string]struct {
			Shape      []int `json:"shape"`
			Values     any   `json:"values"`
			RawUniform any   `json:"raw_uniform"`
		} `json:"tensors"`
	} `json:"random_linear_tensors"`

	// Filled by tkLoadReference from lists that can also be error strings (those are left out):
	//
	// Float64[game][algorithm] is the run of Games with torch's dtype float64 (not the reference)
	// and ExtraFloat64 that of Extra.
	Float64      map[string]map[string][]float64 `json:"-"`
	ExtraFloat64 map[string]map[string][]float64 `json:"-"`
	// TieTolerantFP[game]: float64 fictitious play whose greedy best response takes as maximisers
	// all actions within tkTieTol·max(1, |max|) of the maximum.
	TieTolerantFP map[string][]float64 `json:"-"`
}

// tkLoadReference returns the reference (MFGLIB_REFERENCE names another file to compare with).
func tkLoadReference(t *testing.T) *tkReference {
	t.Helper()
	path := mfglibref.Path() // MFGLib 0.3.0's reference output (see its "how" entry)
	if p := os.Getenv("MFGLIB_REFERENCE"); p != "" {
		path = p
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ref tkReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var lists struct {
		Float64       map[string]map[string]any `json:"float64_variant"`
		TieTolerantFP map[string]any            `json:"float64_tie_tolerant_fictitious_play"`
	}
	if err := json.Unmarshal(raw, &lists); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	// numbers is v flattened if it is a list, and ok false if it is not (an error string, say).
	numbers := func(where string, v any) (xs []float64, ok bool) {
		if _, isList := v.([]any); !isList {
			return nil, false
		}
		xs, ok = tkNumbers(v)
		if !ok {
			t.Fatalf("%s: %s is a list of something other than numbers", path, where)
		}
		return xs, true
	}
	ref.Float64 = map[string]map[string][]float64{}
	for game, byAlg := range lists.Float64 {
		if game == "extra" {
			continue
		}
		ref.Float64[game] = map[string][]float64{}
		for alg, v := range byAlg {
			if xs, ok := numbers("float64_variant/"+game+"/"+alg, v); ok {
				ref.Float64[game][alg] = xs
			}
		}
	}
	if extra, ok := lists.Float64["extra"]; ok {
		ref.ExtraFloat64 = map[string]map[string][]float64{}
		for game, byAlg := range extra {
			m, _ := byAlg.(map[string]any)
			ref.ExtraFloat64[game] = map[string][]float64{}
			for alg, v := range m {
				if xs, ok := numbers("float64_variant/extra/"+game+"/"+alg, v); ok {
					ref.ExtraFloat64[game][alg] = xs
				}
			}
		}
	}
	ref.TieTolerantFP = map[string][]float64{}
	for game, v := range lists.TieTolerantFP {
		if xs, ok := numbers("float64_tie_tolerant_fictitious_play/"+game, v); ok {
			ref.TieTolerantFP[game] = xs
		}
	}
	return &ref
}

// tkNumbers flattens a number or nested JSON lists of numbers (decoded as any) row-major; ok is
// false for anything else.
func tkNumbers(v any) (xs []float64, ok bool) {
	switch x := v.(type) {
	case float64:
		return []float64{x}, true
	case []any:
		for _, e := range x {
			ys, ok := tkNumbers(e)
			if !ok {
				return nil, false
			}
			xs = append(xs, ys...)
		}
		return xs, true
	}
	return nil, false
}

// Comparison with MFGLib's runs.

// tkAlgorithms are the three algorithms of the reference with MFGLib's default parameters, under
// the reference's keys.
var tkAlgorithms = []struct {
	key string
	alg engine.Algorithm
}{
	{"fictitious_play", algorithms.FictitiousPlay{}},
	{"online_mirror_descent", algorithms.OnlineMirrorDescent{Alpha: 1}},
	{"prior_descent", algorithms.PriorDescent{Eta: 1}},
}

// tkExtraAlgorithms are the runs of the reference's "extra" section, with non-default parameters.
var tkExtraAlgorithms = []struct {
	key string
	alg engine.Algorithm
}{
	{"fictitious_play_alpha0.5", algorithms.FictitiousPlay{Alpha: 0.5}},
	{"prior_descent_eta0.5_ninner2", algorithms.PriorDescent{Eta: 0.5, Inner: 2}},
	{"online_mirror_descent_alpha0.1", algorithms.OnlineMirrorDescent{Alpha: 0.1}},
}

// Agreement with MFGLib's float32 run: |got - want| <= tkRelTol · max(|want|, floor), with
// floor = tkFloor. MFGLib computes in float32, so a relative 1e-4 leaves room for its rounding;
// the floor keeps exploitabilities near 0 (where float32 cancellation dominates) from demanding
// more than an absolute 1e-7.
//
// For the games compared with tkGoldenTol.ValueFloor the floor is max(tkFloor, tkFloorShare · |V|)
// instead, V = Σ_s μ0(s) max_a Q*_0(s, a) at the uniform policy (tkValueScale, the game's value
// scale). The exploitability is the difference of two numbers of size |V| computed in float32, so
// MFGLib's own rounding is an absolute 1e-7..1e-6 · |V| (building evacuation, V ≈ 33: 4.9e-6 at an
// exploitability of 0.021 for online mirror descent, where the Go result equals MFGLib's float64
// run to 1e-12); the floor turns that into the allowed absolute error 1e-4 · 1e-2 · |V| =
// 1e-6 · |V|.
//
// Agreement with MFGLib's float64 run uses the floor tkFloor and the game's tolerance
// (tkGoldenTol.F64).
const (
	tkRelTol     = 1e-4
	tkFloor      = 1e-3
	tkFloorShare = 1e-2
	tkTieTol     = 1e-9 // the reference's tie tolerance for its tie-tolerant fictitious play
)

// tkGoldenTol says how closely a game's runs must follow MFGLib's.
type tkGoldenTol struct {
	// F64 is the relative tolerance against MFGLib's float64 run (floor tkFloor).
	F64 float64
	// ValueFloor raises the floor of the float32 comparison with the game's value scale (see
	// tkRelTol).
	ValueFloor bool
	// TieTolerantFP compares fictitious play through the tie-tolerant run (see
	// tkGoldenTieTolerantFP) instead of at every iteration.
	TieTolerantFP bool
}

// tkTieProne is tkGoldenTol for the games whose Q* has many exact ties (building evacuation, crowd
// motion, conservative treasure hunting, equilibrium price).
var tkTieProne = tkGoldenTol{F64: 1e-9, ValueFloor: true, TieTolerantFP: true}

// tkSolve runs alg for 10 iterations from the uniform policy and returns the 11 exploitabilities.
func tkSolve(t *testing.T, g finite.Game, alg engine.Algorithm) []float64 {
	t.Helper()
	res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: 10, Exploitability: true})
	if err != nil {
		t.Fatalf("%s: %v", alg.Name(), err)
	}
	return res.Exploitabilities()
}

// tkRelErr is |got - want| / max(|want|, floor).
func tkRelErr(got, want, floor float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), floor)
}

// tkCheckTrace checks the exploitabilities got against the reference want over iterations
// 0..upto-1 (all when upto < 0): an error for each iteration whose relative error (tkRelErr with
// floor) is above tol or NaN, the first one showing both traces, and for a length mismatch. It
// returns the largest relative error over those iterations.
func tkCheckTrace(t *testing.T, what string, got, want []float64, tol, floor float64, upto int) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, reference %d", what, len(got), len(want))
		return math.Inf(1)
	}
	if upto < 0 || upto > len(got) {
		upto = len(got)
	}
	var worst float64
	shown := false
	for k := 0; k < upto; k++ {
		e := tkRelErr(got[k], want[k], floor)
		worst = math.Max(worst, e)
		if !(e <= tol) {
			msg := fmt.Sprintf("%s: iteration %d: exploitability %.15g, reference %.15g (relative error %.3g > %g)", what, k, got[k], want[k], e, tol)
			if !shown {
				msg += fmt.Sprintf("\n got  %v\n want %v", got, want)
				shown = true
			}
			t.Error(msg)
		}
	}
	return worst
}

// tkGolden checks g's exploitabilities under the three algorithms against MFGLib's reference for
// the game name (MFGLib's name) and logs the largest relative errors: at every iteration against
// MFGLib's float32 run (to tkRelTol, see there) and, when the reference holds it, its float64 run
// (to tol.F64): that separates float32 rounding from a modelling difference. With
// tol.TieTolerantFP, fictitious play is checked by tkGoldenTieTolerantFP instead.
func tkGolden(t *testing.T, ref *tkReference, g finite.Game, name string, tol tkGoldenTol) {
	t.Helper()
	byAlg, ok := ref.Games[name]
	if !ok {
		t.Fatalf("reference has no game %q", name)
	}
	floor := tkFloor
	if tol.ValueFloor {
		floor = math.Max(tkFloor, tkFloorShare*math.Abs(tkValueScale(t, g)))
	}
	for _, c := range tkAlgorithms {
		if tol.TieTolerantFP && c.key == "fictitious_play" {
			tkGoldenTieTolerantFP(t, ref, g, name, c.alg, floor)
			continue
		}
		tkGoldenRun(t, g, name+" "+c.key, c.alg, byAlg[c.key], ref.Float64[name][c.key], ref.Errors[name+"/"+c.key], floor, tol.F64)
	}
}

// tkGoldenExtra is tkGolden for the runs with non-default algorithm parameters, which the
// reference holds for a few games.
func tkGoldenExtra(t *testing.T, ref *tkReference, g finite.Game, name string, f64Tol float64) {
	t.Helper()
	byAlg, ok := ref.Extra[name]
	if !ok {
		t.Skipf("reference has no extra runs of %q", name)
	}
	for _, c := range tkExtraAlgorithms {
		tkGoldenRun(t, g, name+" "+c.key, c.alg, byAlg[c.key], ref.ExtraFloat64[name][c.key], "", tkFloor, f64Tol)
	}
}

// tkGoldenRun solves g with alg and compares the exploitabilities with MFGLib's float32 values
// want (to tkRelTol with the floor floor) and, when given, its float64 values want64 (to f64Tol
// with the floor tkFloor). mfglibErr is MFGLib's error for the run, if any.
func tkGoldenRun(t *testing.T, g finite.Game, what string, alg engine.Algorithm, want, want64 []float64, mfglibErr string, floor, f64Tol float64) {
	t.Helper()
	if len(want) != 11 {
		if mfglibErr != "" {
			t.Fatalf("%s: no float32 reference (MFGLib: %s)", what, mfglibErr)
		}
		t.Fatalf("%s: reference has %d values, want 11", what, len(want))
	}
	got := tkSolve(t, g, alg)
	worst := tkCheckTrace(t, what+" vs MFGLib float32", got, want, tkRelTol, floor, -1)
	msg := fmt.Sprintf("%s: max relative error %.3g vs MFGLib float32", what, worst)
	if floor != tkFloor {
		var worstAtFloor float64 // with the floor tkFloor instead, for the record
		for k := range got {
			worstAtFloor = math.Max(worstAtFloor, tkRelErr(got[k], want[k], tkFloor))
		}
		msg += fmt.Sprintf(" (floor %.3g; %.3g with the floor %g)", floor, worstAtFloor, tkFloor)
	}
	if want64 != nil {
		msg += fmt.Sprintf(", %.3g vs MFGLib float64", tkCheckTrace(t, what+" vs MFGLib float64", got, want64, f64Tol, tkFloor, -1))
	}
	t.Log(msg)
}

// tkValueScale returns V = Σ_s μ0(s) max_a Q*_0(s, a) at the mean field of the uniform policy.
func tkValueScale(t *testing.T, g finite.Game) float64 {
	t.Helper()
	_, stages, err := finite.MeanFieldOf(g, finite.Uniform(g))
	if err != nil {
		t.Fatal(err)
	}
	q0 := finite.OptimalQ(stages)[0]
	_, A := finite.Dims(g)
	var v float64
	for s, m := range g.InitialStates() {
		best := math.Inf(-1)
		for _, x := range q0[s*A : (s+1)*A] {
			best = math.Max(best, x)
		}
		v += m * best
	}
	return v
}

// Fictitious play with tie-tolerant best responses.

// tkGreedyTolerant is the best response with every action within tkTieTol·max(1, |max|) of the
// maximum taken as a maximiser (uniform over them), the rule of the reference's tie-tolerant run.
func tkGreedyTolerant(Q [][]float64, S, A int) finite.Policy {
	pi := make(finite.Policy, len(Q))
	for t, q := range Q {
		pi[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			row := q[s*A : (s+1)*A]
			best := math.Inf(-1)
			for _, x := range row {
				best = math.Max(best, x)
			}
			cut := best - tkTieTol*math.Max(1, math.Abs(best))
			n := 0
			for _, x := range row {
				if x >= cut {
					n++
				}
			}
			for a, x := range row {
				if x >= cut {
					pi[t].Prob[s*A+a] = 1 / float64(n)
				}
			}
		}
	}
	return pi
}

// tkTieTolerantFictitiousPlay runs 10 iterations of MFGLib's fictitious play (α_k = 1/(k+2), the
// update weighted by the state marginals of the policy's and the best response's mean fields,
// uniform where both vanish) with the tie-tolerant best response, written out here independently
// of algorithms.FictitiousPlay. It returns the 11 exploitabilities and exactTill: the first iteration
// k at which finite.Greedy's exact-equality best response differs from the tolerant one, so that
// algorithms.FictitiousPlay follows this run through iteration exactTill (11 if never).
func tkTieTolerantFictitiousPlay(t *testing.T, g finite.Game) (expl []float64, exactTill int) {
	t.Helper()
	S, A := finite.Dims(g)
	pi := finite.Uniform(g)
	exactTill = 11
	marginals := func(L finite.MeanField) [][]float64 {
		mu := make([][]float64, len(L))
		for k, l := range L {
			mu[k] = tkStateMarginal(l)
		}
		return mu
	}
	for k := 0; ; k++ {
		e, err := finite.Exploitability(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		expl = append(expl, e)
		if k == 10 {
			return expl, exactTill
		}
		L, stages, err := finite.MeanFieldOf(g, pi)
		if err != nil {
			t.Fatal(err)
		}
		Q := finite.OptimalQ(stages)
		br := tkGreedyTolerant(Q, S, A)
		if exactTill == 11 {
			exact := finite.Greedy(Q, S, A)
			for tt := range br {
				for i, x := range br[tt].Prob {
					if math.Abs(x-exact[tt].Prob[i]) > 1e-12 {
						exactTill = k
					}
				}
			}
		}
		Lbr, _, err := finite.MeanFieldOf(g, br)
		if err != nil {
			t.Fatal(err)
		}
		mu, muBR := marginals(L), marginals(Lbr)
		alpha := 1 / float64(k+2)
		next := make(finite.Policy, len(pi))
		for tt := range pi {
			next[tt] = mfg.NewPolicy(S, A)
			for s := 0; s < S; s++ {
				// Each product rounded (float64), as algorithms' mix has them: a build that fuses
				// x*y + z (GOAMD64=v3) must not fuse this reference alone.
				wOld, wBR := float64((1-alpha)*mu[tt][s]), float64(alpha*muBR[tt][s])
				for a := 0; a < A; a++ {
					i := s*A + a
					if wOld+wBR == 0 {
						next[tt].Prob[i] = 1 / float64(A)
					} else {
						next[tt].Prob[i] = (float64(wOld*pi[tt].Prob[i]) + float64(wBR*br[tt].Prob[i])) / (wOld + wBR)
					}
				}
			}
		}
		pi = next
	}
}

// tkGoldenTieTolerantFP checks fictitious play (alg) on g against the reference for the game name
// where Q* has exact ties, and logs the iterations it cannot compare.
//
// The greedy best response puts equal mass on the actions whose Q* equals the maximum exactly
// (MFGLib's argmax-e in float32, finite.Greedy in float64), and in these games many actions tie in
// exact arithmetic (symmetric moves, clamped moves, identical sites), so the rounding of each
// implementation decides which of them tie; one different best response changes every later
// iterate. So: (1) the tie-tolerant fictitious play of tkTieTolerantFictitiousPlay must equal the
// reference's tie-tolerant float64 run at every iteration (to tkRelTol with the floor floor),
// which checks the game through all 10 iterations; (2) algorithms.FictitiousPlay must equal that run
// while their best responses agree, and MFGLib's float32 reference while, in addition, MFGLib's
// float32 run agrees with the tie-tolerant one; later iterations are logged.
func tkGoldenTieTolerantFP(t *testing.T, ref *tkReference, g finite.Game, name string, alg engine.Algorithm, floor float64) {
	t.Helper()
	const key = "fictitious_play"
	what := name + " " + key
	want32 := ref.Games[name][key]
	got := tkSolve(t, g, alg)
	tolerant, exactTill := tkTieTolerantFictitiousPlay(t, g)
	wantTol, ok := ref.TieTolerantFP[name]
	if !ok {
		// MFGLib's fictitious play fails on this game; there is nothing to compare with.
		t.Logf("%s: no reference (MFGLib: %s); Go: %.6g", what, ref.Errors[name+"/"+key], got)
		return
	}
	worstTol := tkCheckTrace(t, what+" tie-tolerant vs reference tie-tolerant float64", tolerant, wantTol, tkRelTol, floor, -1)
	tkCheckTrace(t, what+" algorithms.FictitiousPlay vs tie-tolerant, before their best responses differ", got, tolerant, 1e-12, tkFloor, exactTill+1)
	// MFGLib's float32 run follows the tie-tolerant one up to iteration till32.
	till32 := 0
	for till32 < len(want32) && tkRelErr(want32[till32], wantTol[till32], floor) <= tkRelTol {
		till32++
	}
	upto := min(exactTill+1, till32)
	worst32 := tkCheckTrace(t, what+" vs MFGLib float32", got, want32, tkRelTol, floor, upto)
	t.Logf("%s: tie-tolerant run: max relative error %.3g vs the reference's; algorithms.FictitiousPlay: max relative error %.3g vs MFGLib float32 over iterations 0..%d (finite.Greedy first breaks a tie differently from the tie-tolerant rule at iteration %d (11: never); MFGLib's float32 run first departs from the tie-tolerant one at iteration %d)",
		what, worstTol, worst32, upto-1, exactTill, till32)
	for k := upto; k < len(got); k++ {
		t.Logf("  iteration %2d: finite %.7f, MFGLib float32 %.7f, tie-tolerant: Go %.7f, reference %.7f", k, got[k], want32[k], tolerant[k], wantTol[k])
	}
}
