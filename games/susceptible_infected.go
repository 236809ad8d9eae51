package games

import (
	"fmt"

	"meanfield/mfg"
)

// SusceptibleInfectedParams are the parameters of the susceptible-infected game (MFGLib's names
// and defaults).
type SusceptibleInfectedParams struct {
	T int `yaml:"T" range:"0 ≤ T ≤ 1000000" help:"last time step T ≥ 0: T+1 time steps t = 0..T"`
	// Mu0 is the initial distribution over (susceptible, infected).
	Mu0 []float64 `yaml:"mu0" range:"2 probabilities summing to 1" help:"initial distribution μ0 over (susceptible, infected)"`
}

// DefaultSusceptibleInfectedParams is MFGLib's default: T = 50, mu0 = (0.4, 0.6).
func DefaultSusceptibleInfectedParams() SusceptibleInfectedParams {
	return SusceptibleInfectedParams{T: 50, Mu0: []float64{0.4, 0.6}}
}

// Validate names the first parameter out of range.
func (p SusceptibleInfectedParams) Validate() error {
	if p.T < 0 {
		return fmt.Errorf("last time step T = %d: must be non-negative (time steps t = 0..T)", p.T)
	}
	if len(p.Mu0) != 2 {
		return fmt.Errorf("mu0 = %v: must have 2 entries (susceptible, infected)", p.Mu0)
	}
	return mfg.CheckDistribution(fmt.Sprintf("mu0 = %v", p.Mu0), p.Mu0)
}

// SusceptibleInfected is MFGLib's susceptible-infected game (Cui and Koeppl 2021): states
// (susceptible, infected), actions (go out, keep distance). A susceptible agent who goes out is
// infected with probability 0.9² μ_t(infected) and one who keeps distance stays susceptible; an
// infected agent recovers with probability 0.3 whatever it does. Keeping distance costs 0.5 and
// being infected 1 per step, whatever the population:
//
//	r(susceptible, out) = 0, r(susceptible, distance) = -0.5, r(infected, out) = -1, r(infected, distance) = -1.5.
type SusceptibleInfected struct {
	p      SusceptibleInfectedParams
	reward []float64
	// moves holds every row but P(·|susceptible, out), the only one that depends on L; its
	// successors (susceptible, infected) are always stored, their probabilities set by Stage.
	moves *mfg.MDP
}

// infectionRate is MFGLib's 0.9²: the chance that going out among infected agents infects.
const infectionRate = 0.9 * 0.9

// NewSusceptibleInfected validates p and returns the game.
func NewSusceptibleInfected(p SusceptibleInfectedParams) (*SusceptibleInfected, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	b := mfg.NewMDPBuilder(2, 2, 0)
	b.Add(0, 1) // (susceptible, out): placeholder for 1 - 0.81 μ(infected), 0.81 μ(infected)
	b.Add(1, 0)
	b.EndRow()
	b.Add(0, 1) // (susceptible, distance)
	b.EndRow()
	for a := 0; a < 2; a++ { // infected: recover with probability 0.3
		b.Add(0, 0.3)
		b.Add(1, 0.7)
		b.EndRow()
	}
	m, err := b.BuildStage()
	if err != nil {
		return nil, err
	}
	return &SusceptibleInfected{p: p, reward: []float64{0, -0.5, -1, -1.5}, moves: m}, nil
}

func (g *SusceptibleInfected) Name() string             { return "susceptible-infected" }
func (g *SusceptibleInfected) Horizon() int             { return g.p.T }
func (g *SusceptibleInfected) StateShape() []int        { return []int{2} }
func (g *SusceptibleInfected) ActionShape() []int       { return []int{2} }
func (g *SusceptibleInfected) States() int              { return mfg.Size(g.StateShape()) }
func (g *SusceptibleInfected) Actions() int             { return mfg.Size(g.ActionShape()) }
func (g *SusceptibleInfected) InitialStates() []float64 { return append([]float64(nil), g.p.Mu0...) }

// StateLabel is "susceptible" or "infected".
func (g *SusceptibleInfected) StateLabel(s int) string {
	return [2]string{"susceptible", "infected"}[s]
}

// ActionLabel is "go out" or "keep distance".
func (g *SusceptibleInfected) ActionLabel(a int) string {
	return [2]string{"go out", "keep distance"}[a]
}

// Stage returns the (fixed) rewards and the transitions at the infected share of L_t.
func (g *SusceptibleInfected) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	infected := L.Mass[2] + L.Mass[3]
	st := &struct { // one allocation for the stage and its 7 transition probabilities
		m mfg.MDP
		p [7]float64
	}{m: *g.moves}
	copy(st.p[:], g.moves.Prob)
	st.p[0], st.p[1] = 1-infectionRate*infected, infectionRate*infected
	st.m.Reward, st.m.Prob = g.reward, st.p[:len(g.moves.Prob)]
	return &st.m, nil
}

// WriteStage copies the (fixed) rewards into dst.Reward and gives dst the transitions at the
// infected share of L_t (mfg.StageWriter): over the probabilities of the last WriteStage on dst,
// which are this game's own memory, or in new memory at the first.
func (g *SusceptibleInfected) WriteStage(t int, L mfg.Population, dst *mfg.MDP) error {
	infected := L.Mass[2] + L.Mass[3]
	r, prob := dst.Reward[:len(g.reward)], dst.Prob
	if len(prob) != len(g.moves.Prob) || same(prob, g.moves.Prob) {
		prob = make([]float64, len(g.moves.Prob))
	}
	if !same(dst.RowStart, g.moves.RowStart) || !same(dst.Next, g.moves.Next) || !same(dst.Legal, g.moves.Legal) ||
		dst.Stencil != g.moves.Stencil || dst.States != g.moves.States || dst.Actions != g.moves.Actions ||
		dst.Discount != g.moves.Discount || !same(dst.Prob, prob) {
		*dst = *g.moves // pointers written only when they change: each costs a barrier while the collector marks
		dst.Prob = prob
	}
	dst.Reward = r
	copy(r, g.reward)
	copy(prob, g.moves.Prob)
	prob[0], prob[1] = 1-infectionRate*infected, infectionRate*infected
	return nil
}

func init() {
	Register("susceptible-infected", "go out or keep distance; going out risks infection in proportion to the infected share",
		"Cui and Koeppl 2021; MFGLib 0.3.0 susceptible_infected", DefaultSusceptibleInfectedParams,
		func(p SusceptibleInfectedParams) (mfg.Finite, error) { return NewSusceptibleInfected(p) })
}
