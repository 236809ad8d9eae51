package gamestest_test

import (
	"math"
	"math/rand/v2"

	"meanfield/mfg"
)

// fakeFinite is a small finite-horizon game (3 states, 2 actions, T = 2) whose zero knobs make
// it correct; each knob breaks one thing.
type fakeFinite struct {
	name        string    // "" means "fake-finite"
	stateShape  []int     // nil means [3]
	mu0         []float64 // nil means uniform
	rowDeficit  float64   // every transition row sums to 1 - rowDeficit
	nanAtT      bool      // r(T, s=0, a=0) = NaN
	mutate      bool      // Stage writes into L
	calls       *int      // when set, rewards drift with the number of calls
	badNext     bool      // P(·|s=2, a=1) lists state 3
	panics      bool      // Stage(1, ·) panics
	sharedStage *mfg.MDP  // when set, every call returns this one MDP, refilled
	logMu       bool      // r(t, s, a) = log μ_t(s): -Inf at an empty state
}

func (g *fakeFinite) Name() string {
	if g.name == "" {
		return "fake-finite"
	}
	return g.name
}
func (g *fakeFinite) States() int        { return 3 }
func (g *fakeFinite) Actions() int       { return 2 }
func (g *fakeFinite) Horizon() int       { return 2 }
func (g *fakeFinite) ActionShape() []int { return []int{2} }
func (g *fakeFinite) StateShape() []int {
	if g.stateShape == nil {
		return []int{3}
	}
	return g.stateShape
}
func (g *fakeFinite) InitialStates() []float64 {
	if g.mu0 == nil {
		return []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}
	}
	return g.mu0
}

// Stage: r(t, s, a) = -μ_t(s) + a/10; action a moves to s+a (mod 3) with probability 1/2 and
// stays with probability 1/2.
func (g *fakeFinite) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	if g.panics && t == 1 {
		var none []float64
		_ = none[t]
	}
	b := mfg.NewMDPBuilder(3, 2, 0)
	if g.sharedStage != nil {
		b.MDP = g.sharedStage
		b.Reset()
	}
	mu := L.StateMarginal(nil)
	drift := 0.0
	if g.calls != nil {
		*g.calls++
		drift = float64(*g.calls) * 1e-3
	}
	for s := 0; s < 3; s++ {
		for a := 0; a < 2; a++ {
			b.MDP.Reward[s*2+a] = -mu[s] + float64(a)/10 + drift
			if g.logMu {
				b.MDP.Reward[s*2+a] = math.Log(mu[s])
			}
			if t < g.Horizon() {
				next := (s + a) % 3
				if g.badNext && s == 2 && a == 1 {
					next = 3
				}
				b.Add(next, (1-g.rowDeficit)/2)
				b.Add(s, (1-g.rowDeficit)/2)
			}
			b.EndRow()
		}
	}
	if g.nanAtT && t == g.Horizon() {
		b.MDP.Reward[0] = math.NaN()
	}
	if g.mutate {
		L.Mass[0] = 0
	}
	return b.MDP, nil
}

// fakeStationary is a small discounted game (2 states, 2 actions), model-based and model-free,
// whose zero knobs make it correct.
type fakeStationary struct {
	discount    float64 // 0 means 0.9
	mdpDiscount float64 // when set, MDP(L).Discount
	skew        float64 // the sampler moves to state 1 under a = 1 with probability 1/2 + skew
	rewardBias  float64 // added to every sampled reward
	ownRandom   bool    // the sampler draws from its own generator, not the caller's stream
	logMu       bool    // the rewards, modelled and sampled, add log μ(s): -Inf at an empty state
}

func (g *fakeStationary) Name() string { return "fake-stationary" }
func (g *fakeStationary) States() int  { return 2 }
func (g *fakeStationary) Actions() int { return 2 }
func (g *fakeStationary) Discount() float64 {
	if g.discount == 0 {
		return 0.9
	}
	return g.discount
}
func (g *fakeStationary) InitialPopulation() mfg.Population { return mfg.UniformPopulation(2, 2) }

// MDP: r(s, a) = s - α(a); action 0 stays, action 1 moves to 0 or 1 with probability 1/2 each.
func (g *fakeStationary) MDP(L mfg.Population) (*mfg.MDP, error) {
	alpha := L.ActionMarginal(nil)
	b := mfg.NewMDPBuilder(2, 2, g.Discount())
	if g.mdpDiscount != 0 {
		b.MDP.Discount = g.mdpDiscount
	}
	for s := 0; s < 2; s++ {
		b.MDP.Reward[s*2] = float64(s) - alpha[0]
		b.Add(s, 1)
		b.EndRow()
		b.MDP.Reward[s*2+1] = float64(s) - alpha[1]
		if g.logMu {
			mu := L.StateMarginal(nil)
			b.MDP.Reward[s*2] += math.Log(mu[s])
			b.MDP.Reward[s*2+1] += math.Log(mu[s])
		}
		b.Add(0, 0.5)
		b.Add(1, 0.5)
		b.EndRow()
	}
	return b.MDP, nil
}

func (g *fakeStationary) Sampler(L mfg.Population) (mfg.Sampler, error) {
	sm := &fakeSampler{g: g, alpha: L.ActionMarginal(nil), mu: L.StateMarginal(nil)}
	if g.ownRandom {
		sm.own = rand.New(rand.NewPCG(7, 7))
	}
	return sm, nil
}

type fakeSampler struct {
	g     *fakeStationary
	alpha []float64
	mu    []float64
	own   *rand.Rand
}

// Sample draws the model's transition; the reward is r(s, a) plus uniform noise of mean 0.
func (sm *fakeSampler) Sample(s, a int, rng *rand.Rand) (float64, int) {
	if sm.own != nil {
		rng = sm.own
	}
	reward := float64(s) - sm.alpha[a] + rng.Float64() - 0.5 + sm.g.rewardBias
	if sm.g.logMu {
		reward += math.Log(sm.mu[s])
	}
	if a == 0 {
		return reward, s
	}
	if rng.Float64() < 0.5+sm.g.skew {
		return reward, 1
	}
	return reward, 0
}

// bothKinds claims to be finite and stationary at once.
type bothKinds struct{ fakeFinite }

func (*bothKinds) Discount() float64                 { return 0.9 }
func (*bothKinds) InitialPopulation() mfg.Population { return mfg.UniformPopulation(3, 2) }

// neitherKind is a game of no kind.
type neitherKind struct{}

func (neitherKind) Name() string { return "neither" }
func (neitherKind) States() int  { return 1 }
func (neitherKind) Actions() int { return 1 }

// fakeMoves is fakeFinite with mfg.FixedMoves (its transitions do not depend on L); skew makes
// Moves disagree with the stages.
type fakeMoves struct {
	fakeFinite
	skew float64
}

func (g *fakeMoves) Moves(t int) *mfg.MDP {
	m, _ := g.fakeFinite.Stage(t, mfg.UniformPopulation(3, 2))
	m.Reward = nil
	m.Prob[0] += g.skew
	return m
}

// fakeStationaryMoves is fakeStationary with mfg.FixedStationaryMoves (its transitions do not
// depend on L); skew makes StationaryMoves disagree with MDP(L).
type fakeStationaryMoves struct {
	fakeStationary
	skew float64
}

func (g *fakeStationaryMoves) StationaryMoves() *mfg.MDP {
	m, _ := g.fakeStationary.MDP(mfg.UniformPopulation(2, 2))
	m.Prob[0] -= g.skew
	m.Prob[1] += g.skew
	return m
}
