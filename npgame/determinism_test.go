package npgame

import (
	"context"
	"math"
	"reflect"
	"testing"

	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
	"meanfield/seeds"
)

// The same seed gives bit-identical results whatever the number of workers; another seed gives
// other numbers.
func TestEstimateIsDeterministicAcrossWorkers(t *testing.T) {
	mf, pi := solved(t, "beach-bar", nil, "fictitious-play", 20)
	g := nGame(t, mf, 20, Others)
	run := func(seed uint64, workers int) Estimate {
		res, err := EstimateEpsilon(context.Background(), g, Symmetric(pi), Options{Seed: seed, Workers: workers, Episodes: 300, TrainEpisodes: 100})
		if err != nil {
			t.Fatal(err)
		}
		return res.Epsilon()
	}
	one := run(5, 1)
	for _, w := range []int{2, 3, 8} {
		if got := run(5, w); !reflect.DeepEqual(got, one) {
			t.Fatalf("workers = %d: %+v, want %+v", w, got, one)
		}
	}
	if other := run(6, 2); other.Value == one.Value {
		t.Errorf("seeds 5 and 6 give the same value %v", one.Value)
	}
}

// For large N the empirical distribution approaches the mean field: the value of the mean-field
// policy in the N-player game tends to its value in the mean-field game, Σ_s μ0(s) Σ_a π_0(a|s)
// Q^π_0(s, a) at the mean field π induces (package finite). The beach bar's crowd term
// −log(μ(s) + ε) separates the two at small N (an agent alone on its spot earns −log ε ≈ 46);
// by N = 2000 its value is within 4 standard errors (and 0.05) of the mean field's.
func TestLargeNApproachesMeanField(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 2000 agents")
	}
	mf, pi := solved(t, "beach-bar", nil, "fictitious-play", 50)
	fg := mf.(mfg.Finite)
	_, stages, err := finite.MeanFieldOf(fg, finite.Policy(pi))
	if err != nil {
		t.Fatal(err)
	}
	q := finite.PolicyQ(stages, finite.Policy(pi))
	var want float64
	for s, m := range fg.InitialStates() {
		for a, p := range pi[0].Row(s) {
			want += m * p * q[0][s*fg.Actions()+a]
		}
	}
	g := nGame(t, mf, 2000, Others)
	w, err := NewWorld(g, nil)
	if err != nil {
		t.Fatal(err)
	}
	returns := make([]float64, g.N)
	var sum, sumSq float64
	const episodes = 40
	for m := 0; m < episodes; m++ {
		if err := w.Play(Symmetric(pi), seeds.New(9, uint64(m)), returns); err != nil {
			t.Fatal(err)
		}
		var mean float64 // the mean over agents: one sample per episode
		for _, r := range returns {
			mean += r
		}
		mean /= float64(g.N)
		sum, sumSq = sum+mean, sumSq+mean*mean
	}
	mean := sum / episodes
	se := math.Sqrt((sumSq/episodes - mean*mean) / (episodes - 1))
	if math.Abs(mean-want) > 4*se+1e-3 || math.Abs(mean-want) > 0.05 {
		t.Errorf("N = 2000: value %.5f ± %.5f, mean field %.5f", mean, se, want)
	}
	small := nGame(t, mf, 5, Others)
	ws, err := NewWorld(small, nil)
	if err != nil {
		t.Fatal(err)
	}
	r5 := make([]float64, 5)
	if err := ws.Play(Symmetric(pi), seeds.New(9), r5); err != nil {
		t.Fatal(err)
	}
	t.Logf("mean field %.5f; N = 2000: %.5f ± %.5f; one episode at N = 5: %v", want, mean, se, r5)
}

// A stationary game's horizon is truncated at the first H with γ^H ≤ the tolerance.
func TestStationaryHorizon(t *testing.T) {
	mf, err := games.New("auction", nil) // γ = 0.8
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(mf, 4, Others, 1e-3)
	if err != nil {
		t.Fatal(err)
	}
	if h := g.Times(); !(math.Pow(0.8, float64(h)) <= 1e-3 && math.Pow(0.8, float64(h-1)) > 1e-3) {
		t.Errorf("H = %d: γ^H = %v, γ^(H-1) = %v", h, math.Pow(0.8, float64(h)), math.Pow(0.8, float64(h-1)))
	}
}
