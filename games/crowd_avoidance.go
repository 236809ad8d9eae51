package games

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"meanfield/mfg"
)

// CrowdAvoidanceParams are the parameters of OpenSpiel's crowd avoidance game
// (python_mfg_crowd_avoidance), two populations.
type CrowdAvoidanceParams struct {
	Size             int     `yaml:"size" range:"1 ≤ size ≤ 1000, 7 with init-distrib openspiel" help:"side of the square grid"`
	Horizon          int     `yaml:"horizon" range:"1 ≤ horizon ≤ 1000000" help:"number of decisions H, t = 0..H-1 (OpenSpiel's horizon)"`
	CongestionMatrix string  `yaml:"congestion-matrix" range:"4 numbers" help:"C, row-major, space-separated: population p pays coef-congestion·Σ_q C[p][q]·d_q"`
	Geometry         string  `yaml:"geometry" range:"square or torus" help:"square: moves are clamped at the edges; torus: they wrap"`
	InitDistrib      string  `yaml:"init-distrib" range:"openspiel (size 7), uniform, or 2·size² numbers" help:"initial distributions, OpenSpiel's layout (population p's block, cell x + size·y); openspiel: OpenSpiel's default (size 7); uniform: OpenSpiel's empty string"`
	ProbaNoise       float64 `yaml:"proba-noise" range:"0 ≤ proba-noise ≤ 1" help:"probability that the noise moves the agent, uniformly to one of the 4 neighbours"`
	CoefCongestion   float64 `yaml:"coef-congestion" range:"finite" help:"weight of the congestion cost Σ_q C[p][q]·d_q"`
	ForbiddenStates  string  `yaml:"forbidden-states" range:"openspiel or [x|y;...]" help:"walls, OpenSpiel's format [x|y;x|y;...] (openspiel: its default grid's, the border and (3, 1), (3, 3), (3, 5)): a move into one leaves the agent where it is"`
	CoefTarget       float64 `yaml:"coef-target" range:"finite" help:"reward for standing on the population's target: (5, 3) for population 0, (1, 3) for population 1"`
	// OpenSpielT0 reproduces OpenSpiel's layout quirk at t = 0 (see NewCrowdAvoidance).
	OpenSpielT0 bool `yaml:"openspiel-t0" range:"true or false" help:"read the t = 0 densities as OpenSpiel does (its initial vector in the wrong layout; no effect when coef-congestion is 0)"`
}

// crowdAvoidanceWalls is OpenSpiel's default forbidden_states: the border of the 7×7 grid and
// the cells (3, 1), (3, 3), (3, 5) (grid_to_forbidden_states of its forbidden_states_grid).
const crowdAvoidanceWalls = "[0|0;1|0;2|0;3|0;4|0;5|0;6|0;0|1;3|1;6|1;0|2;6|2;0|3;3|3;6|3;0|4;6|4;0|5;3|5;6|5;0|6;1|6;2|6;3|6;4|6;5|6;6|6]"

// crowdAvoidanceInit is OpenSpiel's default initial distribution on the 7×7 grid: population 0
// at (1, 2), (2, 2), (1, 4) with 0.4, 0.4, 0.2; population 1 at (5, 2), (4, 4), (5, 4) with 0.2,
// 0.4, 0.4, as (population, x, y, mass).
var crowdAvoidanceInit = [][4]float64{{0, 1, 2, 0.4}, {0, 2, 2, 0.4}, {0, 1, 4, 0.2}, {1, 5, 2, 0.2}, {1, 4, 4, 0.4}, {1, 5, 4, 0.4}}

// crowdAvoidanceTargets are OpenSpiel's hard-coded targets (x, y) of populations 0 and 1.
var crowdAvoidanceTargets = [2][2]int{{5, 3}, {1, 3}}

// DefaultCrowdAvoidanceParams are OpenSpiel's defaults: size 7, horizon 10, C = [[0,1],[1,0]],
// square, its initial distribution and walls, noise 0.5, congestion 0, target 1.
func DefaultCrowdAvoidanceParams() CrowdAvoidanceParams {
	return CrowdAvoidanceParams{Size: 7, Horizon: 10, CongestionMatrix: "0 1 1 0", Geometry: "square",
		InitDistrib: "openspiel", ProbaNoise: 0.5, ForbiddenStates: "openspiel", CoefTarget: 1}
}

// GameSize is 2·size² states × 5 moves × horizon times, each row reaching at most 9 cells; the
// moves are fixed.
func (p CrowdAvoidanceParams) GameSize() Size {
	n := float64(p.Size)
	return Size{States: 2 * n * n, Actions: 5, Times: float64(p.Horizon), Successors: min(9, n*n),
		SharedMoves: true, Params: []string{"size", "horizon"}}
}

// Validate names the first parameter out of range.
func (p CrowdAvoidanceParams) Validate() error {
	switch {
	case p.Size < 1 || p.Size > 1000:
		return fmt.Errorf("size = %d: must be in 1..1000", p.Size)
	case p.Horizon < 1:
		return fmt.Errorf("horizon = %d: must be at least 1 (the number of decisions)", p.Horizon)
	case p.InitDistrib == "openspiel" && p.Size != 7:
		return fmt.Errorf("init-distrib = openspiel: OpenSpiel's default is for size 7, give 2·size² numbers or uniform")
	case !(p.ProbaNoise >= 0 && p.ProbaNoise <= 1):
		return fmt.Errorf("proba-noise = %v: must be in [0, 1]", p.ProbaNoise)
	case math.IsNaN(p.CoefCongestion) || math.IsInf(p.CoefCongestion, 0):
		return fmt.Errorf("coef-congestion = %v: must be finite", p.CoefCongestion)
	case math.IsNaN(p.CoefTarget) || math.IsInf(p.CoefTarget, 0):
		return fmt.Errorf("coef-target = %v: must be finite", p.CoefTarget)
	}
	_, err := parseGeometry(p.Geometry)
	return err
}

// parseCells reads OpenSpiel's list of cells "[x|y;x|y;...]" ("[]" is empty).
func parseCells(what, s string) (map[[2]int]bool, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, fmt.Errorf("%s = %q: want [x|y;x|y;...]", what, s)
	}
	out := map[[2]int]bool{}
	if strings.TrimSpace(s[1:len(s)-1]) == "" {
		return out, nil
	}
	for _, item := range strings.Split(s[1:len(s)-1], ";") {
		xy := strings.Split(item, "|")
		if len(xy) != 2 {
			return nil, fmt.Errorf("%s: %q is not x|y", what, item)
		}
		x, err1 := strconv.Atoi(strings.TrimSpace(xy[0]))
		y, err2 := strconv.Atoi(strings.TrimSpace(xy[1]))
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s: %q is not x|y with integers", what, item)
		}
		out[[2]int{x, y}] = true
	}
	return out, nil
}

// NewCrowdAvoidance is OpenSpiel's crowd avoidance game (python_mfg_crowd_avoidance): two
// populations on a size×size grid with walls make H decisions t = 0..H-1; at each the agent moves
// by one of stay, x+1, y+1, y-1, x-1 — a move into a wall leaves it where it is (the wall test is
// on the raw target, before the edges clamp it or the torus wraps it) — then the noise stays
// with probability 1 − proba-noise or moves it (by the same rule) to each neighbour with
// proba-noise/4. All five moves are always allowed. On arrival at a decision, population p's
// agent at (x, y) collects
//
//	r_p = −coef-congestion · Σ_q C[p][q] · d_q + coef-target · [(x, y) = target_p],
//
// d_q the mass of population q (of mass 1) at (x, y), targets (5, 3) and (1, 3) (hard-coded, as
// in OpenSpiel). As a finite-horizon game here: T = H−1, one mfg.MultiPopulation block per
// population (see gridPopulations). openspiel-t0 reproduces OpenSpiel's reading of the t = 0
// densities in the wrong layout, as predator-prey's (see NewPredatorPrey); with the default
// coef-congestion 0 it changes nothing.
func NewCrowdAvoidance(p CrowdAvoidanceParams) (mfg.Finite, error) {
	n := p.Size
	C, err := parseFloats("congestion-matrix", p.CongestionMatrix)
	if err != nil {
		return nil, err
	}
	if len(C) != 4 {
		return nil, fmt.Errorf("congestion-matrix has %d numbers, want 4 (2 populations)", len(C))
	}
	cells := p.ForbiddenStates
	if cells == "openspiel" {
		cells = crowdAvoidanceWalls
	}
	walls, err := parseCells("forbidden-states", cells)
	if err != nil {
		return nil, err
	}
	init := make([]float64, 2*n*n)
	if p.InitDistrib == "openspiel" {
		for _, c := range crowdAvoidanceInit {
			init[int(c[0])*n*n+int(c[1])+n*int(c[2])] = c[3]
		}
	} else if init, err = parseInitDistrib(p.InitDistrib, 2, n); err != nil {
		return nil, err
	}
	torus, _ := parseGeometry(p.Geometry)
	reward := func(pop, x, y int, d []float64) float64 {
		// numpy: -coef·(C·d), then the target's reward added.
		r := -p.CoefCongestion * (C[2*pop]*d[0] + C[2*pop+1]*d[1])
		if tg := crowdAvoidanceTargets[pop]; x == tg[0] && y == tg[1] {
			r += p.CoefTarget
		}
		return r
	}
	return newGridPopulations(&gridPopulations{name: "crowd-avoidance", names: []string{"population 0", "population 1"},
		size: n, H: p.Horizon, torus: torus, forbidden: walls, t0: p.OpenSpielT0,
		noise0: 1 - p.ProbaNoise, noise: p.ProbaNoise / 4, init: init, reward: reward})
}

func init() {
	Register("crowd-avoidance", "2 populations cross a walled grid to their targets, avoiding each other (OpenSpiel's game)",
		"OpenSpiel python_mfg_crowd_avoidance (python/mfg/games/crowd_avoidance.py)", DefaultCrowdAvoidanceParams, NewCrowdAvoidance)
}
