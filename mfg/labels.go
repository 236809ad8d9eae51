package mfg

import "strconv"

// Labeled is a game that names its states and actions for people reading its results.
// StateLabel(s) says what flat state index s is (a position "3", a cell "(l, w)" as the game
// flattens it, a budget, "infected"); ActionLabel(a) what flat action index a does ("left",
// "stay", "right", a bid, "go out"). A move's label names what the game's transitions do with it.
// Labels are short (they head table rows and columns) and distinct within a game. A game without
// natural names (random tensors) labels its indices.
type Labeled interface {
	StateLabel(s int) string
	ActionLabel(a int) string
}

// StateLabels returns the labels of g's states 0..States()-1: the game's own when it is Labeled,
// else the indices "0", "1", ...
func StateLabels(g Game) []string {
	if l, ok := g.(Labeled); ok {
		return labels(g.States(), l.StateLabel)
	}
	return labels(g.States(), strconv.Itoa)
}

// ActionLabels returns the labels of g's actions 0..Actions()-1: the game's own when it is
// Labeled, else the indices "0", "1", ...
func ActionLabels(g Game) []string {
	if l, ok := g.(Labeled); ok {
		return labels(g.Actions(), l.ActionLabel)
	}
	return labels(g.Actions(), strconv.Itoa)
}

func labels(n int, label func(int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = label(i)
	}
	return out
}

// Mover is a game whose states are positions on a grid (the game's state shape: a line, a
// plane, floors of a building) and whose actions are moves on it. Move(a) is the displacement
// of action a, one entry per dimension of the state shape in the order of its coordinates: the
// change of position the action itself makes in one step, before the game's noise, drift,
// rounding or clamping at the edges, where those apply. The mean move of a policy at state s,
// Σ_a π(a|s) Move(a), is then the displacement the agent chooses there.
type Mover interface {
	Move(a int) []float64
}

// MeanMove returns Σ_a π(a|s) Move(a)[0] for every state s of the row-major S×A table prob: the
// mean displacement along the first coordinate (the only one of a 1-D game) that the policy
// chooses at each state.
func MeanMove(m Mover, prob []float64, states, actions int) []float64 {
	move := make([]float64, actions)
	for a := range move {
		move[a] = m.Move(a)[0]
	}
	out := make([]float64, states)
	for s := range out {
		var e float64
		for a, p := range prob[s*actions : (s+1)*actions] {
			e += p * move[a]
		}
		out[s] = e
	}
	return out
}

// TimeSteps says how many time steps a finite-horizon game with last time step T has, and which:
// "10 time steps t = 0..9" (T = 9), "1 time step t = 0" (T = 0). Every output of a solve words
// the length of a game this way, whether the game's parameter counts the steps (OpenSpiel's
// horizon) or names the last one (MFGLib's T).
func TimeSteps(T int) string {
	if T == 0 {
		return "1 time step t = 0"
	}
	return strconv.Itoa(T+1) + " time steps t = 0.." + strconv.Itoa(T)
}
