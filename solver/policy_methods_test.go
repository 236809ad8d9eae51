package solver_test

import (
	"context"
	"testing"

	"meanfield/exploit"
	"meanfield/games"
	"meanfield/mfg"
	"meanfield/solver"
)

// On the congestion game, whose equilibria spread the population evenly, every policy method
// started from a lopsided policy drives the exploitability (known in closed form there) down.
func TestPolicyMethodsApproachCongestionEquilibrium(t *testing.T) {
	g, err := games.NewCongestion(games.CongestionParams{Locations: 5, Discount: 0.8})
	if err != nil {
		t.Fatal(err)
	}
	p := []float64{0.6, 0.2, 0.1, 0.06, 0.04}
	pi0 := mfg.NewPolicy(5, 5)
	for s := 0; s < 5; s++ {
		copy(pi0.Row(s), p)
	}
	// Closed form for a state-independent policy: (Σ p² - min p)/(1-γ).
	var sq float64
	for _, x := range p {
		sq += x * x
	}
	want0 := (sq - 0.04) / 0.2
	for _, m := range []solver.PolicyMethod{
		solver.StationaryFictitiousPlay{},
		solver.StationaryFictitiousPlay{Alpha: 0.5},
		&solver.StationaryOnlineMirrorDescent{Alpha: 1},
		&solver.StationaryPriorDescent{Eta: 0.2, Inner: 1},
	} {
		trace, err := solver.SolvePolicies(context.Background(), g, m, 40, &pi0, exploit.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(trace) != 41 {
			t.Fatalf("%s: %d records, want 41", m.Name(), len(trace))
		}
		if d := trace[0].Exploitability - want0; d > 1e-9 || d < -1e-9 {
			t.Fatalf("%s: initial exploitability %v, closed form %v", m.Name(), trace[0].Exploitability, want0)
		}
		last := trace[40].Exploitability
		if !(last >= 0 && last < 0.05*want0) {
			t.Errorf("%T%+v: exploitability %v -> %v, want below 5%% of the start", m, m, want0, last)
		}
	}
	for _, bad := range []solver.PolicyMethod{solver.StationaryFictitiousPlay{Alpha: -1}, &solver.StationaryOnlineMirrorDescent{}, &solver.StationaryPriorDescent{Eta: 1, Inner: -2}} {
		if _, err := solver.SolvePolicies(context.Background(), g, bad, 1, nil, exploit.Options{}); err == nil {
			t.Errorf("%T%+v accepted", bad, bad)
		}
	}
}

// On the auction, prior descent with a renewed prior lowers the exploitability of the uniform policy.
func TestPriorDescentImprovesAuction(t *testing.T) {
	g, err := games.NewAuction(games.DefaultAuctionParams())
	if err != nil {
		t.Fatal(err)
	}
	trace, err := solver.SolvePolicies(context.Background(), g, &solver.StationaryPriorDescent{Eta: 1, Inner: 1}, 10, nil, exploit.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !(trace[10].Exploitability < trace[0].Exploitability/2) {
		t.Errorf("exploitability %v -> %v", trace[0].Exploitability, trace[10].Exploitability)
	}
}
