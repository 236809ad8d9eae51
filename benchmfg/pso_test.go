package benchmfg

import (
	"context"
	"math"
	"runtime"
	"strings"
	"testing"
)

// psoGames are the suite games whose PSO runs are fast: all but kinetic-congestion and
// four-rooms-obstacles (minutes to an hour a run).
func psoGames() []SuiteGame {
	var out []SuiteGame
	for _, sg := range SuiteGames {
		if sg.Name != "kinetic-congestion" && sg.Name != "four-rooms-obstacles" {
			out = append(out, sg)
		}
	}
	return out
}

func psoAlgorithm(t testing.TB) SuiteAlgorithm {
	t.Helper()
	a, err := FindAlgorithm("pso")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestPSOMatchesPublishedShort: the first 3 iterations of MF-PSO with each best version's
// hyperparameters, seed 42, on the six fast games, against Bench-MFG's published
// histories (Agrees at the run's value scale). Each entry depends on NumPy's stream (π0's draws,
// then the swarm's), Bench-MFG's swarm rule and the exploitability from the drifting start.
func TestPSOMatchesPublishedShort(t *testing.T) {
	opt := DefaultOptions()
	opt.Iterations = 3
	for _, sg := range psoGames() {
		c, err := Compare(context.Background(), suiteGame(t, sg.Name), sg, psoAlgorithm(t), []uint32{42}, opt)
		if err != nil {
			t.Fatal(err)
		}
		checkComparison(t, c, opt.Iterations)
	}
}

// TestPSOMatchesPublished: whole 150-iteration histories and finals of the six fast games, all
// four seeds: every one of the 24×150 entries agrees, and more closely than Agrees asks: within
// 1e-5 of the value scale (the worst seen is 4e-6, sis-epidemic seed 42), float32 rounding of the
// same swarm's values. Float32 and float64 never decided an acceptance differently there.
func TestPSOMatchesPublished(t *testing.T) {
	if testing.Short() {
		t.Skip("24 whole PSO runs: minutes")
	}
	for _, sg := range psoGames() {
		c, err := Compare(context.Background(), suiteGame(t, sg.Name), sg, psoAlgorithm(t), Seeds, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		checkComparison(t, c, len(c.Runs[0].History))
		for i, seed := range c.Seeds {
			pub := c.publishedRun(i).History
			for k, v := range c.Runs[i].History {
				if d := math.Abs(v - pub[k]); d > 1e-5*c.Scales[i] {
					t.Errorf("%s seed %d entry %d: ours %.8g, published %.8g: %.2g of the value scale %.3g", sg.Name, seed, k, v, pub[k], d/c.Scales[i], c.Scales[i])
				}
			}
		}
	}
}

// The particles are scored in parallel; the history does not depend on the number of workers.
func TestPSOWorkers(t *testing.T) {
	g := suiteGame(t, "skew-rps")
	l := PSO{Particles: 30, Temperature: 0.2, Inertia: 0.7, C1: 1.2, C2: 1.2}
	opt := DefaultOptions()
	opt.Iterations = 6
	run := func(procs int) Result {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		r, err := Train(l, g, 42, opt)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	one := run(1)
	if len(one.History) != opt.Iterations {
		t.Fatalf("history of %d entries for %d iterations", len(one.History), opt.Iterations)
	}
	for _, procs := range []int{2, 5} {
		other := run(procs)
		for k := range one.History {
			if math.Float64bits(one.History[k]) != math.Float64bits(other.History[k]) {
				t.Errorf("GOMAXPROCS %d: entry %d = %v, with 1 worker %v", procs, k, other.History[k], one.History[k])
			}
		}
		for i := range one.MeanField {
			if one.MeanField[i] != other.MeanField[i] {
				t.Errorf("GOMAXPROCS %d: start distribution differs at %d", procs, i)
			}
		}
	}
}

// The history is the swarm's best value, non-increasing; the start distribution moves.
func TestPSOHistoryAndStart(t *testing.T) {
	g := suiteGame(t, "lasry-lions-chain")
	opt := DefaultOptions()
	opt.Iterations = 5
	r, err := Train(PSO{Particles: 20, Temperature: 0.2, Inertia: 0.4, C1: 0.5, C2: 1.5}, g, 10, opt)
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k < len(r.History); k++ {
		if r.History[k] > r.History[k-1] {
			t.Errorf("history rises at %d: %v", k, r.History)
		}
	}
	setup, err := NewSetup(g, 10, opt)
	if err != nil {
		t.Fatal(err)
	}
	var moved float64
	for s := range r.MeanField {
		moved += math.Abs(r.MeanField[s] - setup.Start[s])
	}
	if !(moved > 1e-3) {
		t.Errorf("start distribution moved by %v in l1 from μ0", moved)
	}
}

func TestPSOValidate(t *testing.T) {
	ok := PSO{Particles: 200, Temperature: 0.2, Inertia: 0.4, C1: 0.5, C2: 1.5}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		edit func(*PSO)
		want string
	}{
		{func(p *PSO) { p.Particles = 0 }, "particles = 0"},
		{func(p *PSO) { p.Temperature = -1 }, "temperature = -1"},
		{func(p *PSO) { p.Inertia = math.NaN() }, "w = NaN"},
		{func(p *PSO) { p.C1 = -0.5 }, "c1 = -0.5"},
		{func(p *PSO) { p.C2 = math.Inf(1) }, "c2 = +Inf"},
	} {
		p := ok
		c.edit(&p)
		if err := p.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate() = %v, want %q", err, c.want)
		}
		if _, _, err := p.Begin(suiteGame(t, "contraction"), Setup{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Begin: %v, want %q", err, c.want)
		}
	}
}

// A version name of Bench-MFG's PSO sweep gives τ, w, c1, c2; N is pso.yaml's 200.
func TestPSOVersion(t *testing.T) {
	l, err := LearnerFor("PSO", "pso_sweep_temp0p70_w0p30_c10p30_c21p20")
	if err != nil {
		t.Fatal(err)
	}
	if want := (PSO{Particles: 200, Temperature: 0.7, Inertia: 0.3, C1: 0.3, C2: 1.2}); l != want {
		t.Errorf("learner %v, want %v", l, want)
	}
}
