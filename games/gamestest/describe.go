package gamestest

import (
	"fmt"
	"strings"

	"meanfield/mfg"
)

// kindText says what kind of game g is, with its sizes.
func kindText(g mfg.Game) string {
	size := fmt.Sprintf("%d states, %d actions", g.States(), g.Actions())
	switch g := g.(type) {
	case mfg.Finite:
		return fmt.Sprintf("finite horizon, %s, T = %d", size, g.Horizon())
	case mfg.Stationary:
		var access []string
		if _, ok := g.(mfg.ModelBased); ok {
			access = append(access, "model")
		}
		if _, ok := g.(mfg.ModelFree); ok {
			access = append(access, "sampler")
		}
		return fmt.Sprintf("stationary (%s), %s, discount %v", strings.Join(access, " and "), size, g.Discount())
	}
	return "of no kind, " + size
}

// describe fills in what each group of rep checked on g, and which groups apply.
func describe(rep *Report, g mfg.Game, opt Options, extremes []int) {
	fin, isFinite := g.(mfg.Finite)
	_, isMB := g.(mfg.ModelBased)
	_, isMF := g.(mfg.ModelFree)
	_, fixed := g.(mfg.FixedMoves)
	_, fixedStationary := g.(mfg.FixedStationaryMoves)
	what := "MDP(L) returns"
	fields := fmt.Sprintf("the initial population and %d random ones", max(opt.Populations, 0))
	initial := "InitialPopulation() is S×A, entries finite, ≥ 0, summing to 1 within 1e-9"
	declaration := "name without spaces; S, A ≥ 1; one kind; discount in (0, 1)"
	rows := isMB
	if isFinite {
		what = fmt.Sprintf("Stage(t, L) for t = 0..%d returns", fin.Horizon())
		fields = fmt.Sprintf("the uniform policy's mean field and %d random ones", max(opt.Populations, 0))
		initial = "μ0 = InitialStates() has S entries, finite, ≥ 0, summing to 1 within 1e-9"
		declaration = "name without spaces; S, A ≥ 1; one kind; T ≥ 0; shapes of S and A elements"
		rows = fin.Horizon() > 0
	}
	if isMF && !isMB {
		what = "Sampler(L) returns"
	}
	text := map[Group]string{
		Declaration: declaration,
		Initial:     initial,
		Shapes:      what + " without error an S×A MDP: S·A rewards, S·A+1 row starts",
		Rows:        "every row P(·|s, a) over [0, S), entries ≥ 0 summing to 1 within 1e-9, at " + fields,
		Rewards:     "every r(s, a) finite at " + fields,
		Extreme:     fmt.Sprintf("rewards finite and rows distributions with all the mass on state %s", intsText(extremes)),
		Determinism: "equal calls give equal values bit for bit; L is not written into",
		Moves:       "Moves(t) or StationaryMoves() has the stages' or MDPs' transitions bit for bit",
		Sampling:    "Sampler(L) draws next states in [0, S), finite rewards, equal draws from equal streams",
		Agreement:   fmt.Sprintf("%d draws per pair: frequencies, mean rewards within 5 standard errors of the model", max(opt.Samples, 0)),
	}
	if isFinite {
		text[Determinism] += "; a stage keeps its values once later ones are built"
	}
	applies := map[Group]bool{
		Declaration: true, Initial: isFinite || isMB || isMF, Shapes: isFinite || isMB, Rows: rows,
		Rewards: isFinite || isMB, Extreme: len(extremes) > 0 && (isFinite || isMB || isMF), Determinism: isFinite || isMB || isMF,
		Moves: fixed || fixedStationary, Sampling: isMF, Agreement: isMB && isMF && opt.Samples > 0,
	}
	for i := range rep.Groups {
		gr := &rep.Groups[i]
		gr.Checked = text[gr.Group]
		gr.Applies = applies[gr.Group] || gr.Count > 0
	}
}

// intsText writes the numbers separated by commas.
func intsText(x []int) string {
	parts := make([]string, len(x))
	for i, v := range x {
		parts[i] = fmt.Sprint(v)
	}
	if len(parts) > 1 {
		return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
	}
	return strings.Join(parts, ", ")
}
