package npgame

import (
	"context"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"
)

// solved returns game name's mean-field game with params and the final policy of iterations steps
// of the algorithm alg on it.
func solved(t testing.TB, name string, params map[string]any, alg string, iterations int) (mfg.Game, Policy) {
	t.Helper()
	g, err := games.New(name, params)
	if err != nil {
		t.Fatal(err)
	}
	a, err := algorithms.New(alg)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, a, engine.Options{Iterations: iterations, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return g, Policy(res.Final().Policy)
}

// nGame is New(g, n, meet, 0), failing the test on error.
func nGame(t testing.TB, g mfg.Game, n int, meet Meet) *Game {
	t.Helper()
	ng, err := New(g, n, meet, 0)
	if err != nil {
		t.Fatal(err)
	}
	return ng
}
