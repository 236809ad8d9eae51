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

func TestScratchGrad(t *testing.T) {
	name := os.Getenv("OMO_GRAD")
	if name == "" {
		t.Skip()
	}
	g, _ := games.New(name, nil)
	fg := g.(interface {
		Horizon() int
		States() int
		Actions() int
	})
	_ = fg
	alg := *DefaultMFOMO()
	p, _ := engine.NewProblem(g, engine.EvaluationOptions{})
	run, _, err := alg.Begin(context.Background(), engine.Start{Problem: p, Policy: p.Uniform()})
	if err != nil {
		t.Fatal(err)
	}
	r := run.(*omoRun)
	if err := r.gradient(); err != nil {
		t.Fatal(err)
	}
	gL, gz, gy := r.parts(r.grad)
	fmt.Println("gL", gL)
	fmt.Println("gz", gz[:12])
	fmt.Println("gy", gy)
}
