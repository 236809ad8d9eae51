package npgame

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
	"meanfield/seeds"
)

// The learners' tables after a few episodes are those of the documented update, replayed here
// with a table of its own keyed by (agent, t, s, a) (t = 0 on a stationary game) and the same
// draws (per round and agent: a uniform for exploring, then a uniform legal action or a uniform
// pick among the greedy ties; then the world's moves): Q ← Q + n^-h (r + γ max_a' Q(next) − Q),
// the maxima over legal actions (the four rooms have walls), with no bootstrap after a finite game's last round, γ = 1 on a finite horizon, n the visits of
// the entry.
func TestLearnersFollowTheDocumentedUpdate(t *testing.T) {
	sis, err := games.New("sis-epidemic", nil)
	if err != nil {
		t.Fatal(err)
	}
	crowd, err := games.New("crowd-modelling", nil)
	if err != nil {
		t.Fatal(err)
	}
	walls, err := games.New("crowd-modelling-2d-four-rooms", nil) // legal actions: no move into a wall
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(mfg.LegalMask(walls), false) {
		t.Fatal("four rooms have no illegal action")
	}
	for _, mf := range []mfg.Game{clock{}, crowd, sis, walls} {
		t.Run(mf.Name(), func(t *testing.T) {
			g, err := New(mf, 3, Others, 1e-2)
			if err != nil {
				t.Fatal(err)
			}
			opt, err := ILOptions{Episodes: 40, Seed: 2, ExploreStart: 0.7, ExploreEnd: 0.1}.resolve()
			if err != nil {
				t.Fatal(err)
			}
			l := newLearners(g, opt)
			w, _ := NewWorld(g, nil)
			rng := seeds.New(opt.Seed, seeds.Training)
			for e := 0; e < opt.Episodes; e++ {
				if err := l.episode(w, l.explore(e), rng); err != nil {
					t.Fatal(err)
				}
			}
			want := replayLearners(t, g, opt)
			for i := 0; i < g.N; i++ {
				for tt := 0; tt < l.R/g.S; tt++ {
					for s := 0; s < g.S; s++ {
						for a := 0; a < g.A; a++ {
							got := l.q[l.row(i, tt, s)+a]
							if w := want[[4]int{i, tt, s, a}]; math.Abs(got-w) > 1e-12*(1+math.Abs(w)) {
								t.Fatalf("agent %d Q_%d(%d, %d) = %v, replay %v", i, tt, s, a, got, w)
							}
						}
					}
				}
			}
		})
	}
}

// replayLearners replays TrainIndependent's training with a map for the tables.
func replayLearners(t *testing.T, g *Game, opt ILOptions) map[[4]int]float64 {
	q, visits := map[[4]int]float64{}, map[[4]int]int64{}
	finite := !g.Stationary()
	tIndex := func(t int) int {
		if finite {
			return t
		}
		return 0
	}
	w, _ := NewWorld(g, nil)
	rng := seeds.New(opt.Seed, seeds.Training)
	actions, rewards, before := make([]int, g.N), make([]float64, g.N), make([]int, g.N)
	legal := func(s int) []int {
		var out []int
		for a := 0; a < g.A; a++ {
			if g.legal == nil || g.legal[s*g.A+a] {
				out = append(out, a)
			}
		}
		return out
	}
	for e := 0; e < opt.Episodes; e++ {
		eps := opt.ExploreStart + (opt.ExploreEnd-opt.ExploreStart)*float64(e)/float64(opt.Episodes-1)
		w.Reset(rng)
		for !w.Done() {
			t0 := w.Time()
			for i := range actions {
				s := w.State(i)
				before[i] = s
				if rng.Float64() < eps {
					actions[i] = legal(s)[rng.IntN(len(legal(s)))]
					continue
				}
				var ties []int
				for _, a := range legal(s) {
					x, best := q[[4]int{i, tIndex(t0), s, a}], math.Inf(-1)
					if len(ties) > 0 {
						best = q[[4]int{i, tIndex(t0), s, ties[0]}]
					}
					switch {
					case x > best:
						ties = []int{a}
					case x == best:
						ties = append(ties, a)
					}
				}
				actions[i] = ties[0]
				if len(ties) > 1 {
					actions[i] = ties[rng.IntN(len(ties))]
				}
			}
			if err := w.Step(actions, rewards, rng); err != nil {
				t.Fatal(err)
			}
			for i, a := range actions {
				target := rewards[i]
				if !(finite && t0 == g.Times()-1) {
					next, best := w.State(i), math.Inf(-1)
					for _, b := range legal(next) {
						best = max(best, q[[4]int{i, tIndex(t0 + 1), next, b}])
					}
					target += g.Discount() * best
				}
				k := [4]int{i, tIndex(t0), before[i], a}
				visits[k]++
				q[k] += math.Pow(float64(visits[k]), -DefaultILStepExponent) * (target - q[k])
			}
		}
	}
	if len(q) == 0 {
		t.Fatal(fmt.Errorf("no update replayed"))
	}
	return q
}
