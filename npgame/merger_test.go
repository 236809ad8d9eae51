package npgame

import (
	"context"
	"reflect"
	"testing"

	"meanfield/mfg"
)

// The merger adds parts in block order whatever order they come in (float sums that depend on
// the order: 1e16 + 1 − 1e16 + 1), holding only those that wait for an earlier block.
func TestMergerAddsInBlockOrder(t *testing.T) {
	vals := []float64{1e16, 1, -1e16, 1}
	part := func(x float64) averaged {
		return averaged{rewards: [][]float64{{x}}, moves: [][]float64{nil}}
	}
	want := ((vals[0] + vals[1]) + vals[2]) + vals[3]
	for _, order := range [][]int{{0, 1, 2, 3}, {3, 2, 1, 0}, {1, 3, 0, 2}} {
		var m merger
		m.init(len(vals))
		for _, b := range order {
			m.put(b, part(vals[b]))
		}
		if got := m.total.rewards[0][0]; got != want {
			t.Errorf("order %v: total %v, want %v", order, got, want)
		}
		held := map[int]int{0: 1, 3: 4, 1: 3}[order[0]]
		if m.maxHeld != held || m.held != 0 {
			t.Errorf("order %v: held at most %d (now %d), want %d (0)", order, m.maxHeld, m.held, held)
		}
	}
}

// The averaged model is the same whatever the workers, and equal to the blocks' parts added in
// order one after the other.
func TestAverageModelIsTheOrderedSum(t *testing.T) {
	g := nGame(t, clock{}, 4, Others)
	p := Symmetric(randomPolicy(clock{}, 2))
	opt, err := resolveOptions(context.Background(), g, p, Options{Seed: 3, TrainEpisodes: 150, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	one, err := averageModel(context.Background(), g, p, 1, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Workers = 3
	three, err := averageModel(context.Background(), g, p, 1, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, three) {
		t.Error("1 and 3 workers give two averaged models")
	}
	// By hand: every episode's sums, block by block, added in order.
	pols, of := compileProfile(g, p)
	w, _ := NewWorld(g, opt.Initial)
	var total averaged
	for b, r := range blocks(opt.TrainEpisodes) {
		part := newAveraged(g)
		for m := r[0]; m < r[1]; m++ {
			src := stream(opt.Seed, purposeTrain, 1, uint64(m))
			w.reset(src)
			for !w.Done() {
				w.act(pols, of, src)
				if err := w.accumulate(1, mfgPopulation(g), part); err != nil {
					t.Fatal(err)
				}
				if err := w.advance(nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		if b == 0 {
			total = part
		} else {
			total.add(part)
		}
	}
	total.scale(1 / float64(opt.TrainEpisodes))
	if !reflect.DeepEqual(one, total) {
		t.Error("the averaged model is not the ordered sum of the blocks")
	}
}

func mfgPopulation(g *Game) mfg.Population { return mfg.NewPopulation(g.S, g.A) }
