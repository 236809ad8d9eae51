package algorithms_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/internal/nprand"
	"meanfield/mfg"
)

func psoSolve(t testing.TB, game string, m algorithms.MFPSO, iterations int, seed uint64) *engine.Result {
	t.Helper()
	g, err := games.New(game, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, m, engine.Options{Iterations: iterations, Seed: seed, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func defaultPSO(t testing.TB) algorithms.MFPSO {
	t.Helper()
	alg, err := algorithms.New("mf-pso")
	if err != nil {
		t.Fatal(err)
	}
	return alg.(algorithms.MFPSO)
}

// psoToy is gen_pso_swarm.py's toy objective, summed left to right with every product rounded
// on its own, as Python computes it.
func psoToy(x []float64) float64 {
	var total float64
	for d, v := range x {
		c := float64(0.3*float64(d%3)) - 0.2
		diff := v - c
		total += float64(float64(1+float64(d)/4) * float64(diff*diff))
	}
	p := float64(x[0] * x[1])
	return total + float64(0.5*float64(p*p))
}

// Swarm with NumPy's legacy stream agrees bit for bit with testdata/pso_swarm.json
// (gen_pso_swarm.py, NumPy 1.24.2): Bench-MFG's own initialize_pso_components, dynamic, update
// and eval (pso_jax.py) on a toy objective after np.random.seed(seed) and the unused initial
// policy's S×A uniforms, and an independent NumPy swarm with the standard rule: every
// iteration's best value, the final best position and every final position.
func TestSwarmAgainstBenchMFG(t *testing.T) {
	raw, err := os.ReadFile("testdata/pso_swarm.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		States, Actions, Particles, Iterations int
		W, C1, C2                              float64
		Runs                                   []struct {
			Seed                      uint32
			Rule                      string
			Progress, Best, Positions []float64
		}
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Runs) != 4 {
		t.Fatalf("%d reference runs, want 4", len(ref.Runs))
	}
	dim := ref.States * ref.Actions
	for _, run := range ref.Runs {
		rnd := nprand.NewLegacy(run.Seed)
		for range dim { // create_environment's initial policy, unused by PSO
			rnd.Uniform(-1, 1)
		}
		sw := algorithms.NewSwarm(ref.Particles, dim, ref.W, ref.C1, ref.C2, run.Rule == "benchmfg", rnd)
		values := func() []float64 {
			f := make([]float64, ref.Particles)
			for i := range f {
				f[i] = psoToy(sw.X[i*dim : (i+1)*dim])
			}
			return f
		}
		sw.Start(values())
		for k := 0; k < ref.Iterations; k++ {
			sw.Move(rnd)
			sw.Update(values())
			if sw.GValue != run.Progress[k] {
				t.Fatalf("seed %d, %s rule, iteration %d: best value %.17g, want %.17g", run.Seed, run.Rule, k, sw.GValue, run.Progress[k])
			}
		}
		for d, want := range run.Best {
			if sw.G[d] != want {
				t.Errorf("seed %d, %s rule: best position[%d] = %.17g, want %.17g", run.Seed, run.Rule, d, sw.G[d], want)
			}
		}
		for k, want := range run.Positions {
			if sw.X[k] != want {
				t.Fatalf("seed %d, %s rule: position entry %d = %.17g, want %.17g", run.Seed, run.Rule, k, sw.X[k], want)
			}
		}
	}
}

// The same seed gives the same trace bit for bit, whatever the number of workers evaluating the
// particles; another seed gives another.
func TestMFPSODeterministic(t *testing.T) {
	m := defaultPSO(t)
	m.Particles = 12
	trace := func(procs int, seed uint64) []float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		res := psoSolve(t, "lasry-lions-chain", m, 6, seed)
		var out []float64
		for _, it := range res.Trace {
			out = append(out, it.Exploitability)
			out = append(out, it.Policy[0].Prob...)
		}
		return out
	}
	one := trace(1, 7)
	for _, procs := range []int{1, 3, 8} {
		other := trace(procs, 7)
		for i := range one {
			if math.Float64bits(one[i]) != math.Float64bits(other[i]) {
				t.Fatalf("GOMAXPROCS %d: entry %d of the trace = %v, with 1 worker %v", procs, i, other[i], one[i])
			}
		}
	}
	if seed8 := trace(2, 8); seed8[0] == one[0] {
		t.Errorf("seeds 7 and 8 start from the same exploitability %v", one[0])
	}
}

// The iterate is the swarm's best position, whose exploitability (the engine's, evaluated anew
// for the trace) never increases, under both rules, and decreases over 15 iterations.
func TestMFPSOBestNeverIncreases(t *testing.T) {
	for _, bench := range []bool{false, true} {
		m := defaultPSO(t)
		m.Particles, m.BenchMFGUpdate = 10, bench
		res := psoSolve(t, "skew-rps", m, 15, 3)
		e := res.Exploitabilities()
		for k := 1; k < len(e); k++ {
			if e[k] > e[k-1] {
				t.Errorf("benchmfg-update %v: exploitability rises from %v (iteration %d) to %v", bench, e[k-1], k-1, e[k])
			}
		}
		if !(e[len(e)-1] < e[0]) {
			t.Errorf("benchmfg-update %v: no progress in 15 iterations: %v", bench, e)
		}
	}
}

// From a random swarm, 30 iterations of 40 particles cut the exploitability of the best particle
// on skew-rps and lasry-lions-chain by large factors: well under a tenth on skew-rps (equilibrium
// value 0) and under a quarter on the Lasry–Lions chain (whose least exploitability over softmax
// policies of temperature 0.2 is not 0).
func TestMFPSOReducesExploitability(t *testing.T) {
	if testing.Short() {
		t.Skip("about 1 s")
	}
	for _, c := range []struct {
		game  string
		ratio float64
	}{{"skew-rps", 1e-3}, {"lasry-lions-chain", 0.25}} {
		m := defaultPSO(t)
		m.Particles = 40
		e := psoSolve(t, c.game, m, 30, 1).Exploitabilities()
		if !(e[30] < c.ratio*e[0]) {
			t.Errorf("%s: exploitability %v after 30 iterations, %v at the start: want below %v of it", c.game, e[30], e[0], c.ratio)
		}
	}
}

// On the contraction game (2 states × 2 actions) a policy is two probabilities: the exploitability
// of PSO's result is at most the least over a 101×101 grid of them (plus a margin for the
// grid's resolution, where the minimum is at the grid's corner or inside).
func TestMFPSONearGridMinimum(t *testing.T) {
	g, err := games.New("contraction", nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.NewProblem(g, engine.EvaluationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	best := math.Inf(1)
	for i := 0; i <= 100; i++ {
		for j := 0; j <= 100; j++ {
			a, b := float64(i)/100, float64(j)/100
			pi := mfg.Policy{States: 2, Actions: 2, Prob: []float64{a, 1 - a, b, 1 - b}}
			e, err := p.Evaluate([]mfg.Policy{pi}, nil).Exploitability(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			best = math.Min(best, e)
		}
	}
	m := defaultPSO(t)
	m.Particles = 30
	got := psoSolve(t, "contraction", m, 40, 5).Final().Exploitability
	if !(got <= best+1e-3) {
		t.Errorf("PSO's exploitability %v, the grid's least %v", got, best)
	}
	t.Logf("PSO %v, grid minimum %v", got, best)
}

func TestMFPSOInvalidParameters(t *testing.T) {
	for _, c := range []struct {
		edit func(*algorithms.MFPSO)
		want string
	}{
		{func(m *algorithms.MFPSO) { m.Particles = 0 }, "particles = 0"},
		{func(m *algorithms.MFPSO) { m.Temperature = 0 }, "policy-temperature = 0"},
		{func(m *algorithms.MFPSO) { m.Temperature = math.Inf(1) }, "policy-temperature = +Inf"},
		{func(m *algorithms.MFPSO) { m.Inertia = -0.1 }, "inertia = -0.1"},
		{func(m *algorithms.MFPSO) { m.C1 = math.NaN() }, "c1 = NaN"},
		{func(m *algorithms.MFPSO) { m.C2 = -1 }, "c2 = -1"},
	} {
		m := defaultPSO(t)
		c.edit(&m)
		err := m.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate() = %v, want an error naming %q", err, c.want)
		}
	}
	if err := defaultPSO(t).Validate(); err != nil {
		t.Errorf("defaults rejected: %v", err)
	}
}

// A cancelled context stops the evaluation of the swarm with the context's error.
func TestMFPSOCancelled(t *testing.T) {
	g, err := games.New("lasry-lions-chain", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = engine.Solve(ctx, g, defaultPSO(t), engine.Options{Iterations: 3})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Solve with a cancelled context: %v, want context.Canceled", err)
	}
}

// BenchmarkMFPSO times one swarm iteration of mf-pso at its defaults (200 particles): one move
// and 200 exploitabilities. The initial swarm's evaluation is set up outside the timing.
func BenchmarkMFPSO(b *testing.B) {
	for _, game := range []string{"lasry-lions-chain", "four-rooms-obstacles"} {
		b.Run(game, func(b *testing.B) {
			g, err := games.New(game, nil)
			if err != nil {
				b.Fatal(err)
			}
			p, err := engine.NewProblem(g, engine.EvaluationOptions{})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			run, _, err := defaultPSO(b).Begin(ctx, engine.Start{Problem: p, Policy: p.Uniform(), Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			k := 0
			for b.Loop() {
				k++
				if _, err := run.Step(ctx, k, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
