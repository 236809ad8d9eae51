package finite

import (
	"fmt"
	"math"

	"meanfield/mfg"
)

// Game is a finite-horizon mean-field game (the model's mfg.Finite).
type Game = mfg.Finite

// Dims returns the numbers of states and actions of g.
func Dims(g Game) (states, actions int) { return g.States(), g.Actions() }

// Policy is a time-indexed policy π_0..π_T.
type Policy []mfg.Policy

// MeanField is a time-indexed mean field L_0..L_T.
type MeanField []mfg.Population

// Uniform returns the policy that plays every legal action (every action, without mfg.LegalActions)
// with the same probability at every time.
func Uniform(g Game) Policy {
	S, A := Dims(g)
	legal := mfg.LegalMask(g)
	pi := make(Policy, g.Horizon()+1)
	for t := range pi {
		pi[t] = mfg.UniformLegalPolicy(S, A, legal)
	}
	return pi
}

// Clone returns a deep copy.
func (pi Policy) Clone() Policy {
	out := make(Policy, len(pi))
	for t, p := range pi {
		out[t] = p.Clone()
	}
	return out
}

// Validate checks that pi fits g, every row is a distribution, and no mass is on an illegal action.
func (pi Policy) Validate(g Game) error {
	S, A := Dims(g)
	legal := mfg.LegalMask(g)
	if len(pi) != g.Horizon()+1 {
		return fmt.Errorf("policy has %d time steps, game has horizon %d (T+1 = %d steps)", len(pi), g.Horizon(), g.Horizon()+1)
	}
	for t, p := range pi {
		if p.States != S || p.Actions != A {
			return fmt.Errorf("policy at t = %d is %d×%d, game is %d×%d", t, p.States, p.Actions, S, A)
		}
		if err := p.Validate(); err != nil {
			return fmt.Errorf("policy at t = %d: %w", t, err)
		}
		if s, a, bad := mfg.IllegalMass(p, legal); bad {
			return fmt.Errorf("policy at t = %d: π(%d|%d) = %v on an illegal action", t, a, s, p.Prob[s*A+a])
		}
	}
	return nil
}

// ValidateGame checks what a game states about itself: positive sizes, a non-negative horizon,
// μ0 a distribution, a multi-population game's blocks (mfg.CheckPopulations), and stages that
// are valid at the mean field of the uniform policy.
func ValidateGame(g Game) error {
	if g.Horizon() < 0 {
		return fmt.Errorf("%s: horizon = %d: must be non-negative", g.Name(), g.Horizon())
	}
	S, A := Dims(g)
	if S < 1 || A < 1 {
		return fmt.Errorf("%s: %d states and %d actions: both must be at least 1", g.Name(), S, A)
	}
	mu0 := g.InitialStates()
	if len(mu0) != S {
		return fmt.Errorf("%s: mu0 has %d entries, want %d states", g.Name(), len(mu0), S)
	}
	if err := mfg.CheckDistribution(g.Name()+": mu0", mu0); err != nil {
		return err
	}
	if err := mfg.CheckPopulations(g); err != nil {
		return err
	}
	if err := mfg.CheckLegalMask(mfg.LegalMask(g), S, A); err != nil {
		return fmt.Errorf("%s: %w", g.Name(), err)
	}
	_, stages, err := MeanFieldOf(g, Uniform(g))
	if err != nil {
		return err
	}
	for t, st := range stages {
		if t == g.Horizon() {
			if len(st.Reward) != S*A {
				return fmt.Errorf("%s: terminal reward has %d entries, want %d", g.Name(), len(st.Reward), S*A)
			}
			for i, r := range st.Reward {
				if math.IsNaN(r) || math.IsInf(r, 0) {
					return fmt.Errorf("%s: terminal reward r(T, s=%d, a=%d) = %v: must be finite", g.Name(), i/A, i%A, r)
				}
			}
			continue
		}
		if err := st.ValidateTransitions(); err != nil {
			return fmt.Errorf("%s: stage t = %d: %w", g.Name(), t, err)
		}
	}
	return nil
}
