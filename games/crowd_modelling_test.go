package games_test

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"meanfield/finite"
	"meanfield/games"
)

type openSpielReference struct {
	Pinned struct {
		NashConv    struct{ Value float64 } `json:"nash_conv_uniform"`
		BestValue   struct{ Value float64 } `json:"best_response_value_uniform"`
		PolicyValue struct{ Value float64 } `json:"policy_value_uniform"`
	} `json:"pinned"`
	Reimplementation struct {
		Table struct {
			Table [][]int `json:"table"`
		} `json:"first_visit_last_action_table_t_x"`
		Textbook struct {
			NashConv float64 `json:"nash_conv"`
		} `json:"quirk_free_textbook_values"`
	} `json:"reimplementation"`
}

// The reference values come from OpenSpiel's own tests (nash_conv_test.py, best_response_value_test.py
// and policy_value_test.py at the commit named in the JSON), gathered as described in
// finite/testdata/OPENSPIEL_NOTES.md.
func loadOpenSpiel(t *testing.T) openSpielReference {
	t.Helper()
	b, err := os.ReadFile("../finite/testdata/openspiel_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref openSpielReference
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

// With openspiel-costs: true, the uniform policy's exploitability, best-response value and policy
// value equal OpenSpiel's pinned values to 1e-9. The default (openspiel-costs: false) is the clean
// game, each move charged its own cost: the re-implementation's quirk-free NashConv.
func TestCrowdModellingMatchesOpenSpiel(t *testing.T) {
	ref := loadOpenSpiel(t)
	quirk := games.DefaultCrowdModellingParams()
	quirk.OpenSpielCosts = true
	g, err := games.NewCrowdModelling(quirk)
	if err != nil {
		t.Fatal(err)
	}
	for tt, row := range ref.Reimplementation.Table.Table {
		for x, a := range row {
			if g.FirstVisitMoves()[tt][x] != a {
				t.Fatalf("first-visit move at t=%d x=%d is %d, OpenSpiel's %d", tt, x, g.FirstVisitMoves()[tt][x], a)
			}
		}
	}
	pi := finite.Uniform(g)
	e, err := finite.Exploitability(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(e-ref.Pinned.NashConv.Value) > 1e-9 {
		t.Errorf("exploitability of the uniform policy %.16g, OpenSpiel's NashConv %.16g", e, ref.Pinned.NashConv.Value)
	}
	_, stages, err := finite.MeanFieldOf(g, pi)
	if err != nil {
		t.Fatal(err)
	}
	best, own := rootValues(g, finite.OptimalQ(stages), finite.PolicyQ(stages, pi), pi)
	if math.Abs(best-ref.Pinned.BestValue.Value) > 1e-9 || math.Abs(own-ref.Pinned.PolicyValue.Value) > 1e-9 {
		t.Errorf("best-response value %.16g and policy value %.16g, OpenSpiel's %.16g and %.16g", best, own, ref.Pinned.BestValue.Value, ref.Pinned.PolicyValue.Value)
	}
	// The default charges every move its own cost: the textbook game, 1% below OpenSpiel's number
	// (2.7866824162983335, quoted in finite/testdata/OPENSPIEL_NOTES.md).
	p := games.DefaultCrowdModellingParams()
	if p.OpenSpielCosts {
		t.Fatal("openspiel-costs is on by default: the default must be the clean game")
	}
	plain, err := games.NewCrowdModelling(p)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := finite.Exploitability(plain, finite.Uniform(plain)); math.Abs(e-ref.Reimplementation.Textbook.NashConv) > 1e-9 || math.Abs(e-2.7866824162983335) > 1e-9 {
		t.Errorf("default (clean) exploitability %.16g, want %.16g", e, ref.Reimplementation.Textbook.NashConv)
	}
	byName, err := games.NewFinite("crowd-modelling", nil)
	if err != nil {
		t.Fatal(err)
	}
	if e, _ := finite.Exploitability(byName, finite.Uniform(byName)); math.Abs(e-2.7866824162983335) > 1e-9 {
		t.Errorf("crowd-modelling at its registered defaults: exploitability %.16g, want the clean 2.7866824162983335", e)
	}
}

func rootValues(g finite.Game, qs, qp [][]float64, pi finite.Policy) (best, own float64) {
	_, A := finite.Dims(g)
	for s, m := range g.InitialStates() {
		b := math.Inf(-1)
		for a, p := range pi[0].Row(s) {
			b = math.Max(b, qs[0][s*A+a])
			own += m * p * qp[0][s*A+a]
		}
		best += m * b
	}
	return best, own
}

func TestCrowdModellingRejectsBadParameters(t *testing.T) {
	for _, c := range []struct {
		change func(*games.CrowdModellingParams)
		want   string
	}{
		{func(p *games.CrowdModellingParams) { p.Size = 0 }, "size = 0"},
		{func(p *games.CrowdModellingParams) { p.Horizon = -1 }, "horizon = -1"},
		{func(p *games.CrowdModellingParams) { p.Epsilon = 0 }, "epsilon = 0"},
	} {
		p := games.DefaultCrowdModellingParams()
		c.change(&p)
		if _, err := games.NewCrowdModelling(p); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: got %v, want an error containing %q", p, err, c.want)
		}
	}
	g, _ := games.NewCrowdModelling(games.DefaultCrowdModellingParams())
	if err := finite.ValidateGame(g); err != nil {
		t.Error(err)
	}
}
