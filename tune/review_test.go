package tune

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"meanfield/seeds"
)

// A categorical of whole-number choices of a million or more (as YAML decodes them: int) is read
// back from trial records, whose JSON makes them float64 (printed 1e+06): TPE must still find
// each recorded value among the choices once it reads the history.
func TestTPEReadsLargeIntegerChoicesFromRecords(t *testing.T) {
	p := &Param{Name: "n", Type: Categorical, Choices: []any{1000000, 2000000, 4000000}}
	tpe := NewTPE(Space{p})
	var hist []Observation
	for k := range 12 {
		vals, err := tpe.Propose(k, nil, seeds.New(1, purposePropose, uint64(k)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(vals) // as Record.Params is written and read back
		var back map[string]any
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		hist = append(hist, Observation{Index: k, Params: back, State: Complete, Value: float64(k)})
	}
	vals, err := tpe.Propose(12, hist, seeds.New(1, purposePropose, 12))
	if err != nil {
		t.Fatalf("TPE after the startup trials: %v", err)
	}
	if x, ok := vals["n"].(int); !ok || x != 1000000 && x != 2000000 && x != 4000000 {
		t.Errorf("proposed %v (%T), want one of the choices", vals["n"], vals["n"])
	}
}

// A min-early-stopping-rate whose first rung overflows an int has no rung: Prune answers (false)
// rather than spinning on a rung step that wrapped to 0.
func TestSuccessiveHalvingFirstRungOverflow(t *testing.T) {
	h := SuccessiveHalving{MinResource: 1, ReductionFactor: 2, MinEarlyStoppingRate: 64}
	done := make(chan [2]bool)
	go func() { done <- [2]bool{h.isRung(0), h.isRung(5)} }()
	select {
	case got := <-done:
		if got[0] || got[1] {
			t.Errorf("isRung(0), isRung(5) = %v with first rung 2^64: want no rung", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("isRung does not return when the first rung overflows")
	}
}

// In a suite, a trial pruned in game 1 got further than one pruned in game 0, whatever their
// steps (each game's steps start at 0, and its statistics are on its own scale): Optuna ranks
// pruned trials by the last step they reached, so with γ(10) = 1 and no complete trial the
// trial pruned in game 1 is "below".
func TestSplitRanksPrunedTrialsByGameThenStep(t *testing.T) {
	var hist []Observation
	for i := range 8 {
		hist = append(hist, Observation{Index: i, State: Pruned, Game: 0, Step: 10, Value: float64(i)})
	}
	hist = append(hist, Observation{Index: 8, State: Pruned, Game: 1, Step: 2, Value: 50},
		Observation{Index: 9, State: Pruned, Game: 0, Step: 40, Value: 0.5})
	below, _ := split(hist)
	if len(below) != 1 || below[0].Index != 8 {
		t.Errorf("below %v, want trial 8 (pruned in game 1)", below)
	}
	rec := &Record{Trial: 3, State: Pruned, Step: 4, Games: []Game{{}, {}, {Pruned: true}}}
	if o := rec.observation(); o.Game != 2 || o.Step != 4 {
		t.Errorf("observation of a trial pruned at step 4 of game 2: game %d, step %d", o.Game, o.Step)
	}
}

// A grid or points given to a sampler other than grid is refused naming the parameter, not
// ignored.
func TestGridGivenToAnotherSamplerRefused(t *testing.T) {
	for _, sampler := range []string{"", "sampler: random\n", "sampler: tpe\n"} {
		src := "name: g\nseed: 1\ntrials: 4\n" + sampler + "base: {game: left-right, algorithm: fictitious-play, iterations: 5}\n" +
			"params:\n  alpha: {type: float, low: 0, high: 1, grid: [0.1, 0.5]}\nobjective: {stat: final, aggregate: mean}\n"
		_, err := Parse([]byte(src), 0)
		if err == nil || !strings.Contains(err.Error(), "params: alpha: grid and points are for sampler = grid") {
			t.Errorf("%q: error %v, want the grid refused", sampler, err)
		}
	}
}
