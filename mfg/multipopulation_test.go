package mfg_test

import (
	"strings"
	"testing"

	"meanfield/mfg"
)

// blocksGame is a finite game of 6 states with the given blocks and μ0.
type blocksGame struct {
	blocks []mfg.PopulationBlock
	mu0    []float64
}

func (g blocksGame) Name() string                                { return "blocks" }
func (g blocksGame) States() int                                 { return 6 }
func (g blocksGame) Actions() int                                { return 1 }
func (g blocksGame) Horizon() int                                { return 0 }
func (g blocksGame) StateShape() []int                           { return []int{6} }
func (g blocksGame) ActionShape() []int                          { return []int{1} }
func (g blocksGame) InitialStates() []float64                    { return g.mu0 }
func (g blocksGame) Stage(int, mfg.Population) (*mfg.MDP, error) { return nil, nil }
func (g blocksGame) Populations() []mfg.PopulationBlock          { return g.blocks }

// CheckPopulations accepts contiguous blocks covering the states with mass 1/K each, and names
// the game and the block otherwise.
func TestCheckPopulations(t *testing.T) {
	third := 1.0 / 3
	good := []mfg.PopulationBlock{{"a", 0, 2}, {"b", 2, 3}, {"c", 5, 1}}
	mu0 := []float64{third, 0, 0, third / 2, third / 2, third}
	if err := mfg.CheckPopulations(blocksGame{good, mu0}); err != nil {
		t.Fatalf("good blocks: %v", err)
	}
	for _, c := range []struct {
		blocks []mfg.PopulationBlock
		mu0    []float64
		want   string
	}{
		{good[:1], mu0, "1 populations"},
		{[]mfg.PopulationBlock{{"a", 0, 2}, {"b", 3, 3}, {"c", 6, 0}}, mu0, "population 1 (b) starts at state 3, want 2"},
		{[]mfg.PopulationBlock{{"a", 0, 2}, {"b", 2, 0}}, mu0, "population 1 (b) has 0 states"},
		{[]mfg.PopulationBlock{{"a", 0, 2}, {"b", 2, 5}}, mu0, "population 1 (b) ends at state 7"},
		{[]mfg.PopulationBlock{{"a", 0, 2}, {"b", 2, 3}}, []float64{0.5, 0, 0, 0.25, 0.25, 0}, "cover states 0..4 of 6"},
		{good, []float64{0.5, 0, 0, 0.25, 0.25, 0}, "population 0 (a) has initial mass 0.5, want 1/3"},
	} {
		err := mfg.CheckPopulations(blocksGame{c.blocks, c.mu0})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "blocks: ") {
			t.Errorf("%v %v: got %v, want an error naming the game and containing %q", c.blocks, c.mu0, err, c.want)
		}
	}
}
