package tune

import (
	"fmt"
	"math"
	"testing"

	"meanfield/seeds"
)

// BenchmarkTPEPropose measures one TPE proposal of two parameters (a log float and a
// categorical) from a history of n complete trials.
func BenchmarkTPEPropose(b *testing.B) {
	space := Space{{Name: "x", Type: Float, Low: 1e-5, High: 1e5, Log: true}, {Name: "c", Type: Categorical, Choices: []any{"a", "b", "c"}}}
	for _, n := range []int{30, 300} {
		hist := make([]Observation, n)
		r := seeds.New(1)
		for i := range hist {
			v, _ := Random{Space: space}.Propose(i, nil, r)
			hist[i] = Observation{Index: i, Params: v, State: Complete, Value: math.Abs(math.Log(v["x"].(float64)))}
		}
		b.Run(fmt.Sprint("history=", n), func(b *testing.B) {
			t := NewTPE(space)
			for i := 0; b.Loop(); i++ {
				if _, err := t.Propose(n, hist, seeds.New(2, uint64(i))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMFGLibStudy runs MFGLib's tuner study (examples/tune/omd-evacuation.yaml: 30 TPE
// trials of 600 iterations of online mirror descent on building evacuation 3×5×5) on 2 workers.
func BenchmarkMFGLibStudy(b *testing.B) {
	s, err := Load("../examples/tune/omd-evacuation.yaml", 0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Run(b.Context(), s, b.TempDir(), Options{Workers: 2}); err != nil {
			b.Fatal(err)
		}
	}
}
