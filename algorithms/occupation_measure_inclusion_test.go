package algorithms

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

// omiReference is finite/testdata/mfglib_omi_reference.json: MFGLib 0.3.0's
// OccupationMeasureInclusion in float64 with its OSQP projection replaced by an exact one
// (finite/testdata/mfglib_driver/omi_reference.py).
type omiReference struct {
	Iterations int `json:"iterations"`
	Runs       []struct {
		Game      string    `json:"go_game"`
		Alpha     float64   `json:"alpha"`
		Threshold float64   `json:"policy_threshold"`
		Expl      []float64 `json:"expl"`
		Final     []float64 `json:"final_policy"`
		Policy10  []float64 `json:"policy_10"`
	} `json:"runs"`
}

// Our trace is MFGLib's with an exact projection: every exploitability of iterations 0..100 to
// 1e-9·max(1, |ref|) and the policies of iterations 10 and 100 to 1e-8, on seven of MFGLib's
// games, at alpha 0.01 and MFGLib's default 1e-3, with threshold 0 and MFGLib's 1e-7
// (linear-quadratic up to iteration 3 only: see lastComparable). (The two
// exact projections differ at the 1e-13 level; MFGLib with OSQP at its default tolerance 1e-3
// would differ at that level instead.)
func TestOccupationMeasureInclusionMatchesMFGLib(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "finite", "testdata", "mfglib_omi_reference.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref omiReference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Runs) < 10 {
		t.Fatalf("%d runs in the reference, want 11", len(ref.Runs))
	}
	for _, run := range ref.Runs {
		g, err := games.NewFinite(run.Game, nil)
		if err != nil {
			t.Fatal(err)
		}
		alg := OccupationMeasureInclusion{Alpha: run.Alpha, PolicyThreshold: run.Threshold}
		res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: ref.Iterations, Exploitability: true,
			KeepTables: func(k int) bool { return k == 10 }})
		if err != nil {
			t.Fatalf("%s alpha %g: %v", run.Game, run.Alpha, err)
		}
		name := run.Game + " " + alg.String()
		for k, want := range run.Expl {
			if k > lastComparable(run.Game) {
				break
			}
			if got := res.Trace[k].Exploitability; math.Abs(got-want) > 1e-9*max(1, math.Abs(want)) {
				t.Fatalf("%s: exploitability at iteration %d = %.15g, MFGLib %.15g", name, k, got, want)
			}
		}
		if lastComparable(run.Game) < ref.Iterations {
			continue
		}
		comparePolicy(t, name+", iteration 10", res.Trace[10].Policy, run.Policy10)
		comparePolicy(t, name+", last iteration", res.Final().Policy, run.Final)
	}
}

// lastComparable is the last iteration at which the game is MFGLib's in float64 along the run:
// on linear-quadratic, MFGLib's mean m_t is 0 only to ±4e-16, which flips its round half to even
// where this project's game rounds the exact half (finite/testdata/MFGLIB_NOTES.md, game 7), and
// from the projection of iteration 4 on the transitions differ (the projections themselves agree
// to 1e-15 on the same input).
func lastComparable(game string) int {
	if game == "linear-quadratic" {
		return 3
	}
	return math.MaxInt
}

func comparePolicy(t *testing.T, name string, pi []mfg.Policy, want []float64) {
	t.Helper()
	var got []float64
	for _, p := range pi {
		got = append(got, p.Prob...)
	}
	if len(got) != len(want) {
		t.Fatalf("%s: %d policy entries, MFGLib %d", name, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-8 {
			t.Fatalf("%s: policy entry %d = %.15g, MFGLib %.15g", name, i, got[i], want[i])
		}
	}
}

// Bad parameters are refused, naming the parameter and its value; a stationary game is refused.
func TestOccupationMeasureInclusionRefuses(t *testing.T) {
	for _, c := range []struct {
		alg  OccupationMeasureInclusion
		want string
	}{
		{OccupationMeasureInclusion{Alpha: 0}, "alpha = 0"},
		{OccupationMeasureInclusion{Alpha: math.Inf(1)}, "alpha = +Inf"},
		{OccupationMeasureInclusion{Alpha: 1, Eta: -1}, "eta = -1"},
		{OccupationMeasureInclusion{Alpha: 1, PolicyThreshold: math.NaN()}, "policy-threshold = NaN"},
		{OccupationMeasureInclusion{Alpha: 1, MaxVariables: -1}, "max-variables = -1"},
	} {
		if err := c.alg.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want %q", c.alg, err, c.want)
		}
	}
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		t.Fatal(err)
	}
	if err := (OccupationMeasureInclusion{Alpha: 1}).Applies(g); err == nil || !strings.Contains(err.Error(), "stationary") {
		t.Errorf("auction: err = %v, want a refusal naming a stationary game", err)
	}
	big, err := games.NewFinite("building-evacuation", nil)
	if err != nil {
		t.Fatal(err)
	}
	small := OccupationMeasureInclusion{Alpha: 1, MaxVariables: 11999}
	if err := small.Applies(big); err == nil || !strings.Contains(err.Error(), "= 12000 occupation variables, more than max-variables = 11999") {
		t.Errorf("building-evacuation with max-variables 11999: err = %v, want a refusal naming both", err)
	}
	if err := (OccupationMeasureInclusion{Alpha: 1, MaxVariables: 12000}).Applies(big); err != nil {
		t.Errorf("building-evacuation with max-variables 12000: %v", err)
	}
}

// On a game of two populations (crowd-avoidance) and on one with illegal actions (the four-rooms
// grid's walls), the policies are valid, put no mass on an illegal action, and the exploitability
// falls.
func TestOccupationMeasureInclusionLegalMultiPopulation(t *testing.T) {
	multi, err := games.NewFinite("crowd-avoidance", map[string]any{"horizon": 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := multi.(mfg.MultiPopulation); !ok {
		t.Fatal("crowd-avoidance should have two populations")
	}
	walls, err := games.NewFinite("crowd-modelling-2d-four-rooms", map[string]any{"horizon": 4})
	if err != nil {
		t.Fatal(err)
	}
	if mfg.LegalMask(walls) == nil {
		t.Fatal("crowd-modelling-2d-four-rooms should have illegal actions")
	}
	for _, g := range []mfg.Finite{multi, walls} {
		res, err := engine.Solve(context.Background(), g, OccupationMeasureInclusion{Alpha: 0.1}, engine.Options{Iterations: 10, Exploitability: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Trace {
			if err := finite.Policy(it.Policy).Validate(g); err != nil {
				t.Fatalf("%s, iteration %d: %v", g.Name(), it.K, err)
			}
		}
		if first, last := res.Trace[0].Exploitability, res.Final().Exploitability; !(last < first) {
			t.Errorf("%s: exploitability %g after 10 iterations, %g at the start: want a fall", g.Name(), last, first)
		}
	}
}
