package games_test

import (
	"meanfield/games"
	"testing"

	"meanfield/algorithms"
)

// With a tie tolerance, algorithms.FictitiousPlay follows MFGLib's fictitious play with ties in exact
// arithmetic (the reference's float64 rerun whose best response takes every action within 1e-9 of
// the maximum) through all 10 iterations, on the symmetric games where MFGLib's float32 run lets
// rounding break those ties.
func TestFictitiousPlayWithTieToleranceMatchesMFGLibTieTolerantRun(t *testing.T) {
	ref := tkLoadReference(t)
	for _, c := range []struct{ game, mfglib string }{
		{"building-evacuation", "building_evacuation"},
		{"conservative-treasure-hunting", "conservative_treasure_hunting"},
		{"crowd-motion", "crowd_motion"},
		{"beach-bar", "beach_bar"},
	} {
		want, ok := ref.TieTolerantFP[c.mfglib]
		if !ok || len(want) != 11 {
			t.Fatalf("%s: no tie-tolerant reference", c.mfglib)
		}
		g, err := games.NewFinite(c.game, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := tkSolve(t, g, algorithms.FictitiousPlay{TieTolerance: 1e-9})
		tkCheckTrace(t, c.game+" fictitious play with tie tolerance vs MFGLib tie-tolerant float64", got, want, 1e-9, 1e-3, -1)
	}
	if err := (algorithms.FictitiousPlay{TieTolerance: -1}).Validate(); err == nil {
		t.Error("a negative tie tolerance was accepted")
	}
}
