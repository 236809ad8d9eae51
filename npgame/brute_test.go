package npgame

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
	"meanfield/seeds"
)

// bruteSample is the index j of the first cumulative sum of p above the uniform u/2^32, the last
// positive entry taking the rounding's remainder.
func bruteSample(p []float64, u uint64) int {
	x := float64(u) / (1 << 32)
	last := len(p) - 1
	for last > 0 && p[last] == 0 {
		last--
	}
	var sum float64
	for j := 0; j < last; j++ {
		sum += p[j]
		if x < sum {
			return j
		}
	}
	return last
}

// bruteReturns plays one episode of the N-player game the slow way, from the game's interfaces
// alone: every agent's population rebuilt from scratch at every round, the model built for every
// agent at every round (no cache), the draws those World.Play documents (one 64-bit draw per agent
// for its start, then per round one per agent, its high half the action and its low half the
// move).
func bruteReturns(mf mfg.Game, n int, meet Meet, times int, gamma float64, init []float64, pols []Policy, of []int, src *rand.PCG) ([]float64, error) {
	S, A := mf.States(), mf.Actions()
	fin, isFinite := mf.(mfg.Finite)
	state, action, move := make([]int, n), make([]int, n), make([]uint64, n)
	for i := range state {
		state[i] = bruteSample(init, src.Uint64()>>32)
	}
	ret := make([]float64, n)
	pop := mfg.NewPopulation(S, A)
	for t := 0; t < times; t++ {
		for i := range state {
			u := src.Uint64()
			pol := pols[0]
			if of != nil {
				pol = pols[of[i]]
			}
			action[i] = bruteSample(pol.at(t).Row(state[i]), u>>32)
			move[i] = u & (1<<32 - 1)
		}
		next := make([]int, n)
		for i := range state {
			clear(pop.Mass)
			den := float64(n)
			if meet == Others {
				den--
			}
			for j := range state {
				if j != i || meet == All {
					pop.Mass[state[j]*A+action[j]] += 1 / den
				}
			}
			var m *mfg.MDP
			var err error
			if isFinite {
				m, err = fin.Stage(t, pop)
			} else {
				m, err = mf.(mfg.ModelBased).MDP(pop)
			}
			if err != nil {
				return nil, err
			}
			ret[i] += math.Pow(gamma, float64(t)) * m.Reward[state[i]*A+action[i]]
			if isFinite && t == fin.Horizon() {
				continue
			}
			if fm, ok := mf.(mfg.FixedMoves); ok && isFinite {
				m = fm.Moves(t)
			} else if fs, ok := mf.(mfg.FixedStationaryMoves); ok && !isFinite && fs.StationaryMoves() != nil {
				m = fs.StationaryMoves()
			}
			succ, prob := m.Successors(state[i], action[i])
			next[i] = succ[bruteSample(prob, move[i])]
		}
		state = next
	}
	return ret, nil
}

// randomStationary is a random stationary policy of S states and A actions.
func randomStationary(S, A int, seed uint64) Policy {
	rng := seeds.New(seed, 77)
	q := mfg.NewPolicy(S, A)
	for s := 0; s < S; s++ {
		row := q.Row(s)
		var sum float64
		for a := range row {
			row[a] = rng.Float64() + 0.05
			sum += row[a]
		}
		for a := range row {
			row[a] /= sum
		}
	}
	return Policy{q}
}

// World.Play, with its per-pair cache, gives every agent the return the slow simulation gives on
// the same random numbers: finite-horizon games whose stage changes with t (periodic aversion's
// reward, crowd modelling's stages) and stationary ones whose transitions depend on L (SIS), with
// L-free transitions (lasry-lions-chain, beach bar), time-indexed and per-agent profiles, meeting
// the others or all, over many episodes on one world (so that the cache is carried from episode
// to episode and from round to round).
func TestPlayMatchesBruteForceSimulation(t *testing.T) {
	for _, name := range []string{"periodic-aversion", "crowd-modelling", "beach-bar", "left-right", "sis-epidemic", "lasry-lions-chain", "contraction"} {
		mf, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, meet := range []Meet{Others, All} {
			for _, n := range []int{2, 3, 6} {
				t.Run(fmt.Sprintf("%s/%s/N=%d", name, meet, n), func(t *testing.T) {
					g := nGame(t, mf, n, meet)
					var pols []Policy
					for k := uint64(0); k < 2; k++ {
						if fin, ok := mf.(mfg.Finite); ok {
							pols = append(pols, randomPolicy(fin, k+1))
						} else {
							pols = append(pols, randomStationary(g.S, g.A, k+1))
						}
					}
					p := Profile{Policies: pols, Of: make([]int, n)}
					for i := range p.Of {
						p.Of[i] = i % 2
					}
					if n == 6 {
						p = Symmetric(pols[0]) // everyone alike: counts repeat more often
					}
					checkPlayAgainstBrute(t, g, p)
				})
			}
		}
	}
}

func checkPlayAgainstBrute(t *testing.T, g *Game, p Profile) {
	t.Helper()
	w, err := NewWorld(g, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float64, g.N)
	for ep := uint64(0); ep < 30; ep++ {
		if err := w.Play(p, seeds.New(ep, 5), got); err != nil {
			t.Fatal(err)
		}
		rng := seeds.New(ep, 5)
		want, err := bruteReturns(g.MF, g.N, g.Meet, g.Times(), g.Discount(), g.InitialStates(), p.Policies, p.Of, rand.NewPCG(rng.Uint64(), rng.Uint64()))
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-9*(1+math.Abs(want[i])) {
				t.Fatalf("episode %d agent %d: Play %v, brute force %v", ep, i, got[i], want[i])
			}
		}
	}
}

// clock is a tiny finite-horizon game whose stage changes with t while the counts need not: two
// states, two actions, r(t, s, a, L) = (t+1)(1 + L(s, a)) + a/10, and action a leads to state a
// with probability 0.6 + 0.3 L(a)·(t mod 2), else to the other.
type clock struct{}

func (clock) Name() string             { return "clock" }
func (clock) States() int              { return 2 }
func (clock) Actions() int             { return 2 }
func (clock) Horizon() int             { return 4 }
func (clock) StateShape() []int        { return []int{2} }
func (clock) ActionShape() []int       { return []int{2} }
func (clock) InitialStates() []float64 { return []float64{1, 0} }

func (clock) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	m := &mfg.MDP{States: 2, Actions: 2, Reward: make([]float64, 4), RowStart: []int{0}}
	for s := 0; s < 2; s++ {
		for a := 0; a < 2; a++ {
			k := s*2 + a
			m.Reward[k] = float64(t+1)*(1+L.Mass[k]) + float64(a)/10
			q := 0.6 + 0.3*(L.Mass[a*2]+L.Mass[a*2+1])*float64(t%2)
			m.Next = append(m.Next, a, 1-a)
			m.Prob = append(m.Prob, q, 1-q)
			m.RowStart = append(m.RowStart, len(m.Next))
		}
	}
	return m, nil
}

// On the clock game everyone playing action 0 keeps the counts unchanged from round to round
// while the stage changes with t: the cache must not carry a round's model to the next.
func TestPlayMatchesBruteForceWhenOnlyTimeChanges(t *testing.T) {
	stay := mfg.NewPolicy(2, 2)
	stay.Prob[0], stay.Prob[2] = 1, 1
	for _, meet := range []Meet{Others, All} {
		for _, n := range []int{2, 5} {
			g := nGame(t, clock{}, n, meet)
			checkPlayAgainstBrute(t, g, Symmetric(Policy{stay}))
			checkPlayAgainstBrute(t, g, Symmetric(randomPolicy(clock{}, 3)))
		}
	}
}
