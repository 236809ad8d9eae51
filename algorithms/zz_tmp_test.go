package algorithms

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"meanfield/engine"
	"meanfield/finite"
	"meanfield/games"
	"meanfield/mfg"
)

func TestTmpPi(t *testing.T) {
	g, _ := games.New("linear-quadratic", nil)
	res, err := engine.Solve(context.Background(), g, *DefaultMFOMO(), engine.Options{Iterations: 1, Exploitability: true})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(res.Exploitabilities())
	raw, _ := os.ReadFile("/tmp/pi_py.txt")
	lines := strings.Split(string(raw), "\n")
	var flat []float64
	json.Unmarshal([]byte(lines[1]), &flat)
	pi := res.Final().Policy
	var worst float64
	for t2, p := range pi {
		for i, x := range p.Prob {
			d := x - flat[t2*len(p.Prob)+i]
			if d < 0 {
				d = -d
			}
			worst = max(worst, d)
		}
	}
	fmt.Println("max policy diff", worst)
	S, A := 11, 5
	py := make(finite.Policy, len(pi))
	for t2 := range py {
		py[t2] = mfg.Policy{States: S, Actions: A, Prob: flat[t2*S*A : (t2+1)*S*A]}
	}
	e, _ := finite.Exploitability(g.(mfg.Finite), py)
	fmt.Println("Go exploitability of MFGLib's policy", e)
}
