package games_test

// Shared checks for the finite-horizon games ported from MFGLib (left-right, beach-bar,
// linear-quadratic, random-linear, rock-paper-scissors, susceptible-infected). Names start with
// "tk" to stay clear of the other tests in this package.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// tkReferencePath is MFGLib 0.3.0's reference output; the environment variable MFGLIB_REFERENCE
// overrides it.
const tkReferencePath = "../finite/testdata/mfglib_reference.json"

// tkReference is the part of the reference file these tests read.
type tkReference struct {
	// Games[game][algorithm] is the exploitability of π_0 (uniform) and after iterations 1..10,
	// computed by MFGLib in float32.
	Games map[string]map[string][]float64 `json:"games"`
	// Float64 is the same runs with torch's default dtype float64 (not the reference; entries can
	// be error strings).
	Float64 map[string]map[string]any `json:"float64_variant"`
	// Extra[game][algorithm] is like Games for non-default algorithm parameters (tkExtraAlgorithms)
	// and ExtraFloat64 its float64 run.
	Extra        map[string]map[string][]float64 `json:"extra"`
	ExtraFloat64 map[string]map[string][]float64 `json:"-"`
	// RandomLinearTensors are the tensors of MFGLib's default random_linear game.
	RandomLinearTensors struct {
		Tensors map[string]struct {
			Shape      []int `json:"shape"`
			Values     any   `json:"values"`
			RawUniform any   `json:"raw_uniform"`
		} `json:"tensors"`
	} `json:"random_linear_tensors"`
}

// tkLoadReference returns the reference, or skips the test when the file is missing.
func tkLoadReference(t *testing.T) *tkReference {
	t.Helper()
	path := tkReferencePath
	if p := os.Getenv("MFGLIB_REFERENCE"); p != "" {
		path = p
	}
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not found: no MFGLib reference to compare with", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ref tkReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if extra, ok := ref.Float64["extra"]; ok {
		ref.ExtraFloat64 = map[string]map[string][]float64{}
		for game, byAlg := range extra {
			m, _ := byAlg.(map[string]any)
			ref.ExtraFloat64[game] = map[string][]float64{}
			for alg, v := range m {
				if _, isList := v.([]any); isList {
					ref.ExtraFloat64[game][alg] = tkFlatten(v)
				}
			}
		}
	}
	return &ref
}

// tkFlatten flattens nested JSON lists of numbers row-major.
func tkFlatten(v any) []float64 {
	switch x := v.(type) {
	case float64:
		return []float64{x}
	case []any:
		var out []float64
		for _, e := range x {
			out = append(out, tkFlatten(e)...)
		}
		return out
	}
	panic(fmt.Sprintf("unexpected JSON value %T", v))
}

// tkAlgorithms are the three algorithms of the reference with MFGLib's default parameters, under
// the reference's keys.
var tkAlgorithms = []struct {
	key string
	alg finite.Algorithm
}{
	{"fictitious_play", finite.FictitiousPlay{}},
	{"online_mirror_descent", finite.OnlineMirrorDescent{Alpha: 1}},
	{"prior_descent", finite.PriorDescent{Eta: 1}},
}

// tkExtraAlgorithms are the runs of the reference's "extra" section, with non-default parameters.
var tkExtraAlgorithms = []struct {
	key string
	alg finite.Algorithm
}{
	{"fictitious_play_alpha0.5", finite.FictitiousPlay{Alpha: 0.5}},
	{"prior_descent_eta0.5_ninner2", finite.PriorDescent{Eta: 0.5, Inner: 2}},
	{"online_mirror_descent_alpha0.1", finite.OnlineMirrorDescent{Alpha: 0.1}},
}

// tkRelTol and tkFloor define agreement with MFGLib: |got - want| <= tkRelTol * max(|want|, tkFloor).
// MFGLib computes in float32, so a relative 1e-4 leaves room for its rounding; the floor keeps
// exploitabilities near 0 (where float32 cancellation dominates) from demanding more than an
// absolute 1e-7.
const (
	tkRelTol = 1e-4
	tkFloor  = 1e-3
)

// tkSolve runs alg for 10 iterations from the uniform policy and returns the 11 exploitabilities.
func tkSolve(t *testing.T, g finite.Game, alg finite.Algorithm) []float64 {
	t.Helper()
	res, err := finite.Solve(context.Background(), g, alg, finite.Options{Iterations: 10})
	if err != nil {
		t.Fatalf("%s: %v", alg.Name(), err)
	}
	return res.Exploitabilities()
}

// tkCompare returns the largest relative error max_k |got_k - want_k| / max(|want_k|, tkFloor) and
// the first iteration where it exceeds tol (-1 if none).
func tkCompare(got, want []float64, tol float64) (maxRel float64, firstBad int) {
	firstBad = -1
	if len(got) != len(want) {
		return math.Inf(1), 0
	}
	for k := range want {
		rel := math.Abs(got[k]-want[k]) / math.Max(math.Abs(want[k]), tkFloor)
		if math.IsNaN(rel) {
			rel = math.Inf(1)
		}
		maxRel = math.Max(maxRel, rel)
		if rel > tol && firstBad < 0 {
			firstBad = k
		}
	}
	return maxRel, firstBad
}

// tkGolden checks g's exploitabilities under the three algorithms against MFGLib's reference for
// the game mfglibName (to tkRelTol, see there), and logs the largest relative error of each. When
// the reference also holds MFGLib's float64 run of the game, it checks that too, to the relative
// tolerance f64Tol (same floor): that separates float32 rounding from a modelling difference.
func tkGolden(t *testing.T, g finite.Game, mfglibName string, f64Tol float64) {
	t.Helper()
	ref := tkLoadReference(t)
	byAlg, ok := ref.Games[mfglibName]
	if !ok {
		t.Fatalf("reference has no game %q", mfglibName)
	}
	for _, c := range tkAlgorithms {
		var want64 []float64
		if f64, ok := ref.Float64[mfglibName][c.key].([]any); ok {
			want64 = tkFlatten(f64)
		}
		tkGoldenRun(t, g, mfglibName+" "+c.key, c.alg, byAlg[c.key], want64, f64Tol)
	}
}

// tkGoldenExtra is tkGolden for the runs with non-default algorithm parameters, which the
// reference holds for a few games.
func tkGoldenExtra(t *testing.T, g finite.Game, mfglibName string, f64Tol float64) {
	t.Helper()
	ref := tkLoadReference(t)
	byAlg, ok := ref.Extra[mfglibName]
	if !ok {
		t.Skipf("reference has no extra runs of %q", mfglibName)
	}
	for _, c := range tkExtraAlgorithms {
		tkGoldenRun(t, g, mfglibName+" "+c.key, c.alg, byAlg[c.key], ref.ExtraFloat64[mfglibName][c.key], f64Tol)
	}
}

// tkGoldenRun compares one run with MFGLib's float32 values want and, when given, float64 values
// want64.
func tkGoldenRun(t *testing.T, g finite.Game, what string, alg finite.Algorithm, want, want64 []float64, f64Tol float64) {
	t.Helper()
	if len(want) != 11 {
		t.Fatalf("%s: reference has %d values, want 11", what, len(want))
	}
	got := tkSolve(t, g, alg)
	maxRel, bad := tkCompare(got, want, tkRelTol)
	msg := fmt.Sprintf("%s: max relative error %.3g (float32 reference)", what, maxRel)
	if bad >= 0 {
		t.Errorf("%s: iteration %d: exploitability %.9g, MFGLib %.9g (relative error > %g)\n got  %v\n want %v",
			what, bad, got[bad], want[bad], tkRelTol, got, want)
	}
	if want64 != nil {
		maxRel64, bad64 := tkCompare(got, want64, f64Tol)
		msg += fmt.Sprintf(", %.3g (float64 run)", maxRel64)
		if bad64 >= 0 {
			t.Errorf("%s: iteration %d: exploitability %.15g, MFGLib in float64 %.15g (relative error > %g)",
				what, bad64, got[bad64], want64[bad64], f64Tol)
		}
	}
	t.Log(msg)
}

// tkRandomPolicy returns a policy with independent random rows (some entries exactly 0).
func tkRandomPolicy(rng *rand.Rand, g finite.Game) finite.Policy {
	S, A := finite.Dims(g)
	pi := make(finite.Policy, g.Horizon()+1)
	for t := range pi {
		pi[t] = mfg.NewPolicy(S, A)
		for s := 0; s < S; s++ {
			row := pi[t].Row(s)
			var sum float64
			for a := range row {
				if rng.Float64() < 0.7 {
					row[a] = rng.ExpFloat64()
				}
				sum += row[a]
			}
			if sum == 0 {
				row[rng.IntN(A)], sum = 1, 1
			}
			for a := range row {
				row[a] /= sum
			}
		}
	}
	return pi
}

// tkRandomPopulation returns a random distribution on S×A (some entries exactly 0).
func tkRandomPopulation(rng *rand.Rand, S, A int) mfg.Population {
	L := mfg.NewPopulation(S, A)
	var sum float64
	for i := range L.Mass {
		if rng.Float64() < 0.8 {
			L.Mass[i] = rng.ExpFloat64()
		}
		sum += L.Mass[i]
	}
	if sum == 0 {
		L.Mass[0], sum = 1, 1
	}
	for i := range L.Mass {
		L.Mass[i] /= sum
	}
	return L
}

// tkCheckGame runs finite.ValidateGame and checks, at the mean fields of the uniform policy and of
// a random one, that every mean field is a distribution and every stage before T has transition
// rows summing to 1.
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
			t.Fatalf("%s policy: %d populations and %d stages for T = %d", c.name, len(L), len(stages), g.Horizon())
		}
		for k, st := range stages {
			if err := L[k].Validate(); err != nil {
				t.Errorf("%s policy: L_%d: %v", c.name, k, err)
			}
			if st.States != S || st.Actions != A || len(st.Reward) != S*A {
				t.Errorf("%s policy: stage %d is %d×%d with %d rewards, want %d×%d", c.name, k, st.States, st.Actions, len(st.Reward), S, A)
			}
			for i, r := range st.Reward {
				if math.IsNaN(r) || math.IsInf(r, 0) {
					t.Errorf("%s policy: stage %d: reward %d = %v", c.name, k, i, r)
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

// tkWantError checks that err is not nil and mentions every one of want (the parameter's name and
// its value, as printed).
func tkWantError(t *testing.T, what string, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error", what)
		return
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: error %q does not mention %q", what, err, w)
		}
	}
}

// tkBad is a parameter set (changes from the defaults, by YAML name) that must be rejected with
// an error mentioning every string of want.
type tkBad struct {
	params map[string]any
	want   []string
}

// tkCheckBadParams builds the named game through games.NewFinite (so the YAML names are checked
// too) with every bad parameter set, and once with the defaults, which must be accepted.
func tkCheckBadParams(t *testing.T, game string, cases []tkBad) {
	t.Helper()
	if _, err := games.NewFinite(game, nil); err != nil {
		t.Fatalf("%s at the defaults: %v", game, err)
	}
	for _, c := range cases {
		_, err := games.NewFinite(game, c.params)
		tkWantError(t, fmt.Sprintf("%s %v", game, c.params), err, c.want...)
	}
}

// tkDenseRow returns P(·|s, a) of stage m as a dense vector.
func tkDenseRow(m *mfg.MDP, s, a int) []float64 {
	row := make([]float64, m.States)
	next, prob := m.Successors(s, a)
	for k, sp := range next {
		row[sp] += prob[k]
	}
	return row
}

// tkCheckRow compares the dense row P(·|s, a) of m with want.
func tkCheckRow(t *testing.T, what string, m *mfg.MDP, s, a int, want []float64, tol float64) {
	t.Helper()
	got := tkDenseRow(m, s, a)
	for sp := range want {
		if math.Abs(got[sp]-want[sp]) > tol {
			t.Errorf("%s: P(%d|s=%d, a=%d) = %.15g, want %.15g\n got  %v\n want %v", what, sp, s, a, got[sp], want[sp], got, want)
			return
		}
	}
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
