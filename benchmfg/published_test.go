package benchmfg

import (
	"math"
	"strconv"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

func suiteGame(t testing.TB, name string) mfg.ModelBased {
	t.Helper()
	g, err := games.New(name, nil)
	if err != nil {
		t.Fatal(err)
	}
	mb, ok := g.(mfg.ModelBased)
	if !ok {
		t.Fatalf("%s is not model-based", name)
	}
	return mb
}

func published(t testing.TB) *Published {
	t.Helper()
	p, err := LoadPublished()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestE0Dump(t *testing.T) {
	p := published(t)
	for _, sg := range SuiteGames {
		g := suiteGame(t, sg.Name)
		res, _ := p.Lookup(sg.Env, "OMD")
		for _, seed := range Seeds {
			setup, err := NewSetup(g, seed, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			_, initial, err := OMD{LearningRate: 0.1, Temperature: 0.2}.Begin(g, setup)
			if err != nil {
				t.Fatal(err)
			}
			pub := res.Seeds[strconv.Itoa(int(seed))].History[0]
			t.Logf("%-22s seed %4d ours %.8g pub %.8g rel %.2g", sg.Name, seed, initial[0], pub, math.Abs(initial[0]-pub)/pub)
		}
	}
}
