package mfg_test

import (
	"testing"

	"meanfield/mfg"
)

func TestTimeSteps(t *testing.T) {
	for T, want := range map[int]string{0: "1 time step t = 0", 1: "2 time steps t = 0..1", 9: "10 time steps t = 0..9"} {
		if got := mfg.TimeSteps(T); got != want {
			t.Errorf("TimeSteps(%d) = %q, want %q", T, got, want)
		}
	}
}

// plane moves by (+1, 0), (0, +1) and (-2, 5).
type plane struct{}

func (plane) Move(a int) []float64 { return [][]float64{{1, 0}, {0, 1}, {-2, 5}}[a] }

// The mean move is the policy's expectation of the first coordinate of the moves, row by row.
func TestMeanMove(t *testing.T) {
	prob := []float64{
		0.5, 0.5, 0, // 0.5
		0.25, 0.25, 0.5, // 0.25 - 1 = -0.75
	}
	got := mfg.MeanMove(plane{}, prob, 2, 3)
	if len(got) != 2 || got[0] != 0.5 || got[1] != -0.75 {
		t.Errorf("mean moves %v, want [0.5 -0.75]", got)
	}
}
