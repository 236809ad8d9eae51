package games_test

import (
	"context"
	"testing"
	"time"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
)

func TestZZTmpMarginal(t *testing.T) {
	for _, gname := range []string{"beach-bar", "left-right"} {
		for _, aname := range []string{"online-mirror-descent", "prior-descent"} {
			g, _ := games.New(gname, nil)
			alg, _ := algorithms.New(aname)
			first := func(k int) bool { return k == 0 }
			solve := func(k int) time.Duration {
				start := time.Now()
				if _, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: k, Exploitability: true, KeepTables: first}); err != nil {
					t.Fatal(err)
				}
				return time.Since(start)
			}
			for _, n := range []int{110, 1010, 10010, 100010} {
				best := time.Hour
				for range 5 {
					d := solve(n) - solve(10)
					best = min(best, d)
				}
				t.Logf("%s/%s n=%d: %.3g s/iteration (best of 5)", gname, aname, n, best.Seconds()/float64(n-10))
			}
		}
	}
}
