package games_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// Helpers shared by the tests of the finite-horizon games ported from MFGLib (building evacuation,
// crowd motion, conservative treasure hunting, equilibrium price); the prefix fhg keeps them apart
// from other test files of the package.

// fhgRandomDistribution returns n non-negative weights summing to 1, some of them zero.
func fhgRandomDistribution(rng *rand.Rand, n int) []float64 {
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

// fhgRandomPopulation returns a random distribution on S×A.
func fhgRandomPopulation(rng *rand.Rand, S, A int) mfg.Population {
	return mfg.Population{States: S, Actions: A, Mass: fhgRandomDistribution(rng, S*A)}
}

// fhgRandomPolicy returns a random time-dependent policy for g.
func fhgRandomPolicy(rng *rand.Rand, g finite.Game) finite.Policy {
	S, A := finite.Dims(g)
	pi := make(finite.Policy, g.Horizon()+1)
	for t := range pi {
		pi[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			copy(pi[t].Row(s), fhgRandomDistribution(rng, A))
		}
	}
	return pi
}

// fhgCheckGame checks finite.ValidateGame and, at the mean fields of the uniform policy and of a
// random one, that every mean field is a distribution, every stage has the right size and finite
// rewards, and every transition row before T sums to 1.
func fhgCheckGame(t *testing.T, g finite.Game, rng *rand.Rand) {
	t.Helper()
	if err := finite.ValidateGame(g); err != nil {
		t.Fatalf("ValidateGame: %v", err)
	}
	S, A := finite.Dims(g)
	for _, pol := range []struct {
		name string
		pi   finite.Policy
	}{{"uniform", finite.Uniform(g)}, {"random", fhgRandomPolicy(rng, g)}} {
		L, stages, err := finite.MeanFieldOf(g, pol.pi)
		if err != nil {
			t.Fatalf("%s policy: %v", pol.name, err)
		}
		if len(L) != g.Horizon()+1 || len(stages) != g.Horizon()+1 {
			t.Fatalf("%s policy: %d populations and %d stages, want T+1 = %d", pol.name, len(L), len(stages), g.Horizon()+1)
		}
		for k, st := range stages {
			if err := L[k].Validate(); err != nil {
				t.Errorf("%s policy: L_%d: %v", pol.name, k, err)
			}
			if st.States != S || st.Actions != A || len(st.Reward) != S*A {
				t.Fatalf("%s policy: stage %d is %d×%d with %d rewards, want %d×%d", pol.name, k, st.States, st.Actions, len(st.Reward), S, A)
			}
			for i, r := range st.Reward {
				if math.IsNaN(r) || math.IsInf(r, 0) {
					t.Fatalf("%s policy: stage %d: reward %d = %v", pol.name, k, i, r)
				}
			}
			if k < g.Horizon() {
				if err := st.ValidateTransitions(); err != nil {
					t.Errorf("%s policy: stage %d: %v", pol.name, k, err)
				}
			}
		}
	}
}

// fhgParamError is a bad parameter set and the words its error must contain: the parameter's name
// and its value.
type fhgParamError struct {
	what  string
	err   error
	wants []string
}

func fhgCheckErrors(t *testing.T, cases []fhgParamError) {
	t.Helper()
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: accepted", c.what)
			continue
		}
		for _, w := range c.wants {
			if !strings.Contains(c.err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.what, c.err, w)
			}
		}
	}
}

// fhgDenseRow returns P(·|s, a) of a stage as a dense vector, failing on a repeated successor.
func fhgDenseRow(t *testing.T, m *mfg.MDP, s, a int) []float64 {
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

// fhgCompareRow compares a stage's transition row with a dense expected one.
func fhgCompareRow(t *testing.T, what string, m *mfg.MDP, s, a int, want []float64, tol float64) {
	t.Helper()
	got := fhgDenseRow(t, m, s, a)
	for sp := range want {
		if math.Abs(got[sp]-want[sp]) > tol {
			t.Errorf("%s: P(%d|s=%d,a=%d) = %v, want %v", what, sp, s, a, got[sp], want[sp])
		}
	}
}

// fhgReferencePath is MFGLib 0.3.0's output for the default games (produced separately; see its
// "how" entry).
const fhgReferencePath = "../finite/testdata/mfglib_reference.json"

// fhgReference is the part of the reference file these tests read.
type fhgReference struct {
	// Games[game][algorithm]: the exploitability of the uniform π_0 and after iterations 1..10,
	// computed by MFGLib in float32 (its default); null where MFGLib raised, with the message in
	// Errors["game/algorithm"].
	Games  map[string]map[string][]float64 `json:"games"`
	Errors map[string]string               `json:"errors"`
	// Float64[game][algorithm]: the same runs in float64 (lists, or error strings).
	Float64 map[string]map[string]any `json:"float64_variant"`
	// TieTolerantFP[game]: float64 fictitious play whose greedy best response takes as maximisers
	// all actions within 1e-9·max(1, |max|) of the maximum (a list, or an error string).
	TieTolerantFP map[string]any `json:"float64_tie_tolerant_fictitious_play"`
	// CrowdMotionBarLocs is the bar path of MFGLib's default crowd motion game (T+2 positions).
	CrowdMotionBarLocs [][2]int `json:"crowd_motion_bar_locs"`
}

// fhgLoadReference returns the reference, or skips the test when the file is absent.
func fhgLoadReference(t *testing.T) *fhgReference {
	t.Helper()
	raw, err := os.ReadFile(fhgReferencePath)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not present", fhgReferencePath)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ref fhgReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatalf("%s: %v", fhgReferencePath, err)
	}
	return &ref
}

// fhgNumbers converts a JSON list of numbers decoded as []any; ok is false for anything else
// (an error string).
func fhgNumbers(v any) (xs []float64, ok bool) {
	list, ok := v.([]any)
	if !ok {
		return nil, false
	}
	for _, e := range list {
		x, ok := e.(float64)
		if !ok {
			return nil, false
		}
		xs = append(xs, x)
	}
	return xs, true
}

// Agreement with MFGLib's float32 run: |got - want| <= fhgRel32 · max(|want|, floor) with
// floor = max(1e-3, fhgFloorShare · |V|), V = Σ_s μ0(s) max_a Q*_0(s, a) at the uniform policy
// (the game's value scale). The exploitability is the difference of two numbers of size |V|
// computed in float32, so MFGLib's own rounding is an absolute 1e-7..1e-6 · |V| (building
// evacuation, V ≈ 33: 4.9e-6 at an exploitability of 0.021 for online mirror descent, where the
// Go result equals MFGLib's float64 run to 1e-12); the floor turns that into the allowed absolute
// error 1e-4 · 1e-2 · |V| = 1e-6 · |V|. Against MFGLib's float64 run the agreement required is
// fhgRel64 with the floor 1e-3.
const (
	fhgRel32      = 1e-4
	fhgFloorShare = 1e-2
	fhgRel64      = 1e-9
	fhgTieTol     = 1e-9 // the reference's tie tolerance for its tie-tolerant fictitious play
)

// fhgValueScale returns V = Σ_s μ0(s) max_a Q*_0(s, a) at the mean field of the uniform policy.
func fhgValueScale(t *testing.T, g finite.Game) float64 {
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

// fhgRelErr is |got - want| / max(|want|, floor).
func fhgRelErr(got, want, floor float64) float64 {
	return math.Abs(got-want) / math.Max(math.Abs(want), floor)
}

// fhgSolve runs alg for 10 iterations from the uniform policy: the 11 exploitabilities.
func fhgSolve(t *testing.T, g finite.Game, alg finite.Algorithm) []float64 {
	t.Helper()
	res, err := finite.Solve(context.Background(), g, alg, finite.Options{Iterations: 10})
	if err != nil {
		t.Fatalf("%s: %v", alg.Name(), err)
	}
	return res.Exploitabilities()
}

// fhgCompare checks got against want over iterations 0..upto-1 (all when upto < 0) and returns the
// largest relative error over those iterations.
func fhgCompare(t *testing.T, what string, got, want []float64, rel, floor float64, upto int) float64 {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d values, reference %d", what, len(got), len(want))
		return math.Inf(1)
	}
	if upto < 0 || upto > len(got) {
		upto = len(got)
	}
	var worst float64
	for k := 0; k < upto; k++ {
		e := fhgRelErr(got[k], want[k], floor)
		worst = math.Max(worst, e)
		if !(e <= rel) {
			t.Errorf("%s: iteration %d: exploitability %.10g, reference %.10g (relative error %.3g > %g)", what, k, got[k], want[k], e, rel)
		}
	}
	return worst
}

// fhgGoldenAlgorithms are the three algorithms with MFGLib's default parameters, under the
// reference's keys.
var fhgGoldenAlgorithms = []struct {
	key string
	alg finite.Algorithm
}{
	{"fictitious_play", finite.FictitiousPlay{}},
	{"online_mirror_descent", finite.OnlineMirrorDescent{Alpha: 1}},
	{"prior_descent", finite.PriorDescent{Eta: 1}},
}

// fhgGreedyTolerant is the best response with every action within fhgTieTol·max(1, |max|) of the
// maximum taken as a maximiser (uniform over them), the rule of the reference's tie-tolerant run.
func fhgGreedyTolerant(Q [][]float64, S, A int) finite.Policy {
	pi := make(finite.Policy, len(Q))
	for t, q := range Q {
		pi[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			row := q[s*A : (s+1)*A]
			best := math.Inf(-1)
			for _, x := range row {
				best = math.Max(best, x)
			}
			cut := best - fhgTieTol*math.Max(1, math.Abs(best))
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

// fhgFictitiousPlay runs 10 iterations of MFGLib's fictitious play (α_k = 1/(k+2), the update
// weighted by the state marginals of the policy's and the best response's mean fields, uniform
// where both vanish) with the tie-tolerant best response, written out here independently of
// finite.FictitiousPlay. It returns the 11 exploitabilities and exactTill: the first iteration k
// at which finite.Greedy's exact-equality best response differs from the tolerant one, so that
// finite.FictitiousPlay follows this run through iteration exactTill (11 if never).
func fhgFictitiousPlay(t *testing.T, g finite.Game) (expl []float64, exactTill int) {
	t.Helper()
	S, A := finite.Dims(g)
	pi := finite.Uniform(g)
	exactTill = 11
	marginals := func(L finite.MeanField) [][]float64 {
		mu := make([][]float64, len(L))
		for k, l := range L {
			mu[k] = make([]float64, S)
			for i, x := range l.Mass {
				mu[k][i/A] += x
			}
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
		br := fhgGreedyTolerant(Q, S, A)
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
				wOld, wBR := (1-alpha)*mu[tt][s], alpha*muBR[tt][s]
				for a := 0; a < A; a++ {
					i := s*A + a
					if wOld+wBR == 0 {
						next[tt].Prob[i] = 1 / float64(A)
					} else {
						next[tt].Prob[i] = (wOld*pi[tt].Prob[i] + wBR*br[tt].Prob[i]) / (wOld + wBR)
					}
				}
			}
		}
		pi = next
	}
}

// fhgGolden compares g's exploitabilities with MFGLib's reference for the game name (MFGLib's
// name), logging the largest relative error of each algorithm against the float32 reference.
//
// Online mirror descent and prior descent: every iteration against the float32 reference (see
// fhgRel32) and against MFGLib's float64 run (fhgRel64).
//
// Fictitious play depends on ties: the greedy best response puts equal mass on the actions whose
// Q* equals the maximum exactly (MFGLib's argmax-e in float32, finite.Greedy in float64), and in
// these games many actions tie in exact arithmetic (symmetric moves, clamped moves, identical
// sites), so the rounding of each implementation decides which of them tie; one different best
// response changes every later iterate. So: (1) the tie-tolerant fictitious play of
// fhgFictitiousPlay must equal the reference's tie-tolerant float64 run at every iteration (to
// fhgRel32 with the floor), which checks the game through all 10 iterations; (2)
// finite.FictitiousPlay must equal that run while their best responses agree, and MFGLib's
// float32 reference while, in addition, MFGLib's float32 run agrees with the tie-tolerant one;
// later iterations are logged.
func fhgGolden(t *testing.T, ref *fhgReference, g finite.Game, name string) {
	t.Helper()
	byAlg, ok := ref.Games[name]
	if !ok {
		t.Fatalf("reference has no game %q", name)
	}
	floor := math.Max(1e-3, fhgFloorShare*math.Abs(fhgValueScale(t, g)))
	for _, a := range fhgGoldenAlgorithms {
		want32 := byAlg[a.key]
		got := fhgSolve(t, g, a.alg)
		what := name + " " + a.key
		if a.key != "fictitious_play" {
			if want32 == nil {
				t.Errorf("%s: no float32 reference (MFGLib: %s)", what, ref.Errors[name+"/"+a.key])
				continue
			}
			worst := fhgCompare(t, what+" vs MFGLib float32", got, want32, fhgRel32, floor, -1)
			var worst3 float64 // with the floor 1e-3 instead, for the record
			for k := range got {
				worst3 = math.Max(worst3, fhgRelErr(got[k], want32[k], 1e-3))
			}
			msg := fmt.Sprintf("%s: max relative error %.3g vs MFGLib float32 (floor %.3g; %.3g with the floor 1e-3)", what, worst, floor, worst3)
			if want64, ok := fhgNumbers(ref.Float64[name][a.key]); ok {
				msg += fmt.Sprintf(", %.3g vs MFGLib in float64", fhgCompare(t, what+" vs MFGLib float64", got, want64, fhgRel64, 1e-3, -1))
			}
			t.Log(msg)
			continue
		}
		tolerant, exactTill := fhgFictitiousPlay(t, g)
		wantTol, ok := fhgNumbers(ref.TieTolerantFP[name])
		if !ok {
			// MFGLib's fictitious play fails on this game; there is nothing to compare with.
			t.Logf("%s: no reference (MFGLib: %s); Go: %.6g", what, ref.Errors[name+"/"+a.key], got)
			continue
		}
		worstTol := fhgCompare(t, what+" tie-tolerant vs reference tie-tolerant float64", tolerant, wantTol, fhgRel32, floor, -1)
		fhgCompare(t, what+" finite.FictitiousPlay vs tie-tolerant, before their best responses differ", got, tolerant, 1e-12, 1e-3, exactTill+1)
		// MFGLib's float32 run follows the tie-tolerant one up to iteration till32.
		till32 := 0
		for till32 < len(want32) && fhgRelErr(want32[till32], wantTol[till32], floor) <= fhgRel32 {
			till32++
		}
		upto := min(exactTill+1, till32)
		worst32 := fhgCompare(t, what+" vs MFGLib float32", got, want32, fhgRel32, floor, upto)
		t.Logf("%s: tie-tolerant run: max relative error %.3g vs the reference's; finite.FictitiousPlay: max relative error %.3g vs MFGLib float32 over iterations 0..%d (finite.Greedy first breaks a tie differently from the tie-tolerant rule at iteration %d (11: never); MFGLib's float32 run first departs from the tie-tolerant one at iteration %d)",
			what, worstTol, worst32, upto-1, exactTill, till32)
		for k := upto; k < len(got); k++ {
			t.Logf("  iteration %2d: finite %.7f, MFGLib float32 %.7f, tie-tolerant: Go %.7f, reference %.7f", k, got[k], want32[k], tolerant[k], wantTol[k])
		}
	}
}

func mustBuildingEvacuation(t testing.TB, p games.BuildingEvacuationParams) *games.BuildingEvacuation {
	t.Helper()
	g, err := games.NewBuildingEvacuation(p)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestBuildingEvacuationParamsValidation(t *testing.T) {
	bad := func(f func(p *games.BuildingEvacuationParams)) error {
		p := games.DefaultBuildingEvacuationParams()
		f(&p)
		_, err := games.NewBuildingEvacuation(p)
		return err
	}
	fhgCheckErrors(t, []fhgParamError{
		{"T < 0", bad(func(p *games.BuildingEvacuationParams) { p.T = -1 }), []string{"T", "-1"}},
		{"n-floor = 0", bad(func(p *games.BuildingEvacuationParams) { p.NFloor = 0 }), []string{"n-floor", "0"}},
		{"floor-l < 0", bad(func(p *games.BuildingEvacuationParams) { p.FloorL = -3 }), []string{"floor-l", "-3"}},
		{"floor-w = 0", bad(func(p *games.BuildingEvacuationParams) { p.FloorW = 0 }), []string{"floor-w", "0"}},
		{"log-eps = 0", bad(func(p *games.BuildingEvacuationParams) { p.LogEps = 0 }), []string{"log-eps", "0"}},
		{"log-eps < 0", bad(func(p *games.BuildingEvacuationParams) { p.LogEps = -0.5 }), []string{"log-eps", "-0.5"}},
		{"log-eps NaN", bad(func(p *games.BuildingEvacuationParams) { p.LogEps = math.NaN() }), []string{"log-eps", "NaN"}},
		{"log-eps Inf", bad(func(p *games.BuildingEvacuationParams) { p.LogEps = math.Inf(1) }), []string{"log-eps", "+Inf"}},
		{"eta NaN", bad(func(p *games.BuildingEvacuationParams) { p.Eta = math.NaN() }), []string{"eta", "NaN"}},
		{"evac-r Inf", bad(func(p *games.BuildingEvacuationParams) { p.EvacR = math.Inf(-1) }), []string{"evac-r", "-Inf"}},
		{"mu0 length", bad(func(p *games.BuildingEvacuationParams) { p.Mu0 = []float64{0.5, 0.5} }), []string{"mu0", "2 entries"}},
		{"mu0 negative", bad(func(p *games.BuildingEvacuationParams) {
			p.NFloor, p.FloorL, p.FloorW, p.Mu0 = 1, 1, 2, []float64{1.5, -0.5}
		}), []string{"mu0", "-0.5"}},
		{"mu0 sum", bad(func(p *games.BuildingEvacuationParams) {
			p.NFloor, p.FloorL, p.FloorW, p.Mu0 = 1, 1, 2, []float64{0.5, 0.25}
		}), []string{"mu0", "0.75"}},
	})
	if err := games.DefaultBuildingEvacuationParams().Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

func TestBuildingEvacuationStagesValid(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	mu0 := fhgRandomDistribution(rng, 2*3*4)
	for _, p := range []games.BuildingEvacuationParams{
		games.DefaultBuildingEvacuationParams(),
		{T: 5, NFloor: 2, FloorL: 3, FloorW: 4, LogEps: 1e-3, Eta: 0.5, EvacR: -2, Mu0: mu0},
		{T: 0, NFloor: 1, FloorL: 1, FloorW: 1, LogEps: 1e-20, Eta: 1, EvacR: 10},
		{T: 2, NFloor: 3, FloorL: 1, FloorW: 5, LogEps: 1e-8, Eta: -1, EvacR: 1},
	} {
		t.Run(fmt.Sprintf("%d-%dx%dx%d", p.T, p.NFloor, p.FloorL, p.FloorW), func(t *testing.T) {
			fhgCheckGame(t, mustBuildingEvacuation(t, p), rng)
		})
	}
}

// The rules written out: cells (f, l, w) flattened row-major by hand, moves clamped to the floor,
// staircases down at (0, 0) and up at (floor-l-1, floor-w-1), the density floored at log-eps.
func TestBuildingEvacuationStageByHand(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := games.BuildingEvacuationParams{T: 4, NFloor: 3, FloorL: 4, FloorW: 5, LogEps: 1e-4, Eta: 0.7, EvacR: 3}
	g := mustBuildingEvacuation(t, p)
	nf, nl, nw := p.NFloor, p.FloorL, p.FloorW
	S := nf * nl * nw
	idx := func(f, l, w int) int { return (f*nl+l)*nw + w }
	for _, tt := range []int{0, 2, 4} {
		L := fhgRandomPopulation(rng, S, 6)
		// Make one cell empty so that log-eps matters.
		for a := 0; a < 6; a++ {
			L.Mass[idx(1, 2, 3)*6+a] = 0
		}
		st, err := g.Stage(tt, L)
		if err != nil {
			t.Fatal(err)
		}
		cells := [][3]int{{0, 0, 0}, {1, 0, 0}, {2, 3, 4}, {1, 3, 4}, {0, 3, 4}, {1, 2, 3}, {2, 0, 4}, {1, 1, 1}}
		for _, c := range cells {
			f, l, w := c[0], c[1], c[2]
			s := idx(f, l, w)
			var mu float64
			for a := 0; a < 6; a++ {
				mu += L.At(s, a)
			}
			want := -p.Eta * math.Log(math.Max(mu, p.LogEps))
			if f == 0 {
				want += p.EvacR
			}
			if c == [3]int{1, 2, 3} && want != -p.Eta*math.Log(1e-4) {
				t.Fatalf("empty cell: reward %v", want)
			}
			for a := 0; a < 6; a++ {
				if got := st.Reward[s*6+a]; math.Abs(got-want) > 1e-12 {
					t.Errorf("t=%d: r(%v, %d) = %v, want %v", tt, c, a, got, want)
				}
				nf2, nl2, nw2 := f, l, w
				switch a {
				case 0:
					if l < nl-1 {
						nl2 = l + 1
					}
				case 1:
					if l > 0 {
						nl2 = l - 1
					}
				case 2:
					if w > 0 {
						nw2 = w - 1
					}
				case 3:
					if w < nw-1 {
						nw2 = w + 1
					}
				case 4:
					if l == 0 && w == 0 && f > 0 {
						nf2 = f - 1
					}
				case 5:
					if l == nl-1 && w == nw-1 && f < nf-1 {
						nf2 = f + 1
					}
				}
				row := make([]float64, S)
				row[idx(nf2, nl2, nw2)] = 1
				fhgCompareRow(t, fmt.Sprintf("t=%d cell %v", tt, c), st, s, a, row, 0)
			}
		}
	}
}

func TestBuildingEvacuationRegistry(t *testing.T) {
	g, err := games.NewFinite("building-evacuation", map[string]any{"n-floor": 2, "floor-l": 3, "floor-w": 2, "log-eps": 0.01, "evac-r": 4, "T": 1})
	if err != nil {
		t.Fatal(err)
	}
	if got := g.StateShape(); len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 2 || g.Horizon() != 1 {
		t.Errorf("state shape %v, horizon %d", got, g.Horizon())
	}
	if _, err := games.NewFinite("building-evacuation", map[string]any{"floors": 2}); err == nil || !strings.Contains(err.Error(), "floors") {
		t.Errorf("unknown parameter: %v", err)
	}
}

// Online mirror descent and prior descent match MFGLib at every iteration. Fictitious play: at
// iteration 2 the Q* of "right" (l+1) and "down" (w+1) on diagonal cells l = w (e.g. t = 1, cell
// (1, 2, 2)) are equal in exact arithmetic (the building is symmetric under l <-> w) but differ by
// 3.6e-15 in float64, so finite.Greedy picks one of them where the tie-tolerant rule splits;
// MFGLib's float32 run is itself off the tie-tolerant one from iteration 3 (float32 ties). The
// Go tie-tolerant run equals the reference's to 1e-13 at all 11 iterations.
func TestBuildingEvacuationMatchesMFGLib(t *testing.T) {
	ref := fhgLoadReference(t)
	fhgGolden(t, ref, mustBuildingEvacuation(t, games.DefaultBuildingEvacuationParams()), "building_evacuation")
}

// BenchmarkBuildingEvacuationPriorDescent times one iteration of prior descent with its
// exploitability at the defaults (500 states, 6 actions, T = 3).
func BenchmarkBuildingEvacuationPriorDescent(b *testing.B) {
	g := mustBuildingEvacuation(b, games.DefaultBuildingEvacuationParams())
	const iters = 10
	for b.Loop() {
		if _, err := finite.Solve(context.Background(), g, finite.PriorDescent{Eta: 1}, finite.Options{Iterations: iters}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*iters)/1e6, "ms/iteration")
}
