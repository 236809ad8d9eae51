package finite

import (
	"fmt"

	"meanfield/mfg"
)

// CheapStages is implemented by the games (mfg.StageWriter) whose WriteStage reads the population
// about once and writes the rewards once: a Memory does not remember their stages by the
// population they were written at (see write), as the comparison of a population with the one
// remembered and its copy cost what writing the stage again costs (at 200×200 cells of crowd
// motion, a copy of 1.6 MB per time step that a later pass seldom reads: few populations repeat
// bit for bit). The method is never called.
type CheapStages interface {
	CheapStages()
}

// remembered returns the memory of n values of populations at which stages were written, none
// when the stages are not remembered (CheapStages).
func (m *Memory) remembered(n int) []float64 {
	if m.forget {
		return nil
	}
	return make([]float64, n)
}

// writeAnew is write for a game whose stages are not remembered (CheapStages): the game writes
// stage t at L into the entry of time t, whatever it last held.
func (m *Memory) writeAnew(g Game, t int, L mfg.Population, legal []bool) (*mfg.MDP, error) {
	return m.writeEntry(g, t, t*m.ways, L, legal)
}

// writeEntry has the game write stage t at L into entry e, and checks its shape. Pointers are
// written only when they change: each write costs a barrier while the collector marks. The game
// may have moved the rewards: ours again.
func (m *Memory) writeEntry(g Game, t, e int, L mfg.Population, legal []bool) (*mfg.MDP, error) {
	S, A := L.States, L.Actions
	n := S * A
	st := &m.mdps[e]
	if r := m.reward[e*n : (e+1)*n : (e+1)*n]; !same(st.Reward, r) {
		st.Reward = r
	}
	if err := m.w.WriteStage(t, L, st); err != nil {
		return nil, fmt.Errorf("%s: stage t = %d: %w", g.Name(), t, err)
	}
	if st.States != S || st.Actions != A || len(st.Reward) != n {
		return nil, fmt.Errorf("%s: stage t = %d is %d×%d, want %d×%d", g.Name(), t, st.States, st.Actions, S, A)
	}
	if !same(st.Legal, legal) {
		st.Legal = legal
	}
	return st, nil
}
