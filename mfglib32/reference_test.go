package mfglib32

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"testing"

	"meanfield/finite"
	"meanfield/games"
)

// mfglibReference reads MFGLib 0.3.0's exploitability traces (float32 values stored as float64),
// finite/testdata/mfglib_reference.json; MFGLIB_NOTES.md there says how they were obtained.
func mfglibReference(t *testing.T) map[string]map[string][]float64 {
	t.Helper()
	b, err := os.ReadFile("../finite/testdata/mfglib_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Games map[string]map[string][]float64
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref.Games
}

func referenceGames(t *testing.T) map[string]Game {
	t.Helper()
	be, err := NewBuildingEvacuation(games.DefaultBuildingEvacuationParams())
	if err != nil {
		t.Fatal(err)
	}
	cm, err := NewCrowdMotion(games.DefaultCrowdMotionParams())
	if err != nil {
		t.Fatal(err)
	}
	cth, err := NewConservativeTreasureHunting(games.DefaultConservativeTreasureHuntingParams())
	if err != nil {
		t.Fatal(err)
	}
	return map[string]Game{"building_evacuation": be, "crowd_motion": cm, "conservative_treasure_hunting": cth}
}

var referenceAlgorithms = map[string]finite.Algorithm{
	"fictitious_play":       finite.FictitiousPlay{},
	"online_mirror_descent": finite.OnlineMirrorDescent{Alpha: 1},
	"prior_descent":         finite.PriorDescent{Eta: 1},
}

// TestTracesEqualMFGLibBitForBit runs MFGLib's three algorithms with its defaults for 10
// iterations on the three games whose MFGLib results depend on float32 rounding, and requires
// every exploitability to be MFGLib's float32 value exactly.
func TestTracesEqualMFGLibBitForBit(t *testing.T) {
	ref := mfglibReference(t)
	for gname, g := range referenceGames(t) {
		for aname, alg := range referenceAlgorithms {
			want := ref[gname][aname]
			if len(want) != 11 {
				t.Fatalf("%s/%s: reference has %d values, want 11", gname, aname, len(want))
			}
			if testing.Short() && gname == "building_evacuation" && aname != "prior_descent" {
				continue
			}
			res, err := Solve(context.Background(), g, alg, 10, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := res.Exploitabilities()
			for k := range want {
				if got[k] != want[k] {
					t.Errorf("%s/%s: iteration %d: exploitability %.9g, MFGLib %.9g (relative %.2g)", gname, aname, k, got[k], want[k], math.Abs(got[k]-want[k])/math.Abs(want[k]))
				}
			}
		}
	}
}
