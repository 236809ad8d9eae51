package algorithms

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"meanfield/engine"
	"meanfield/games"
)

func TestScratchOMO(t *testing.T) {
	name := os.Getenv("OMO_GAME")
	if name == "" {
		t.Skip()
	}
	n, _ := strconv.Atoi(os.Getenv("OMO_N"))
	g, err := games.New(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	alg := *DefaultMFOMO()
	res, err := engine.Solve(context.Background(), g, alg, engine.Options{Iterations: n, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(res.Exploitabilities())
}
