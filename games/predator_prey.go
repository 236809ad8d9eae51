package games

import (
	"fmt"
	"math"
	"strconv"

	"meanfield/mfg"
)

// PredatorPreyParams are the parameters of OpenSpiel's predator-prey game (python_mfg_predator_prey).
type PredatorPreyParams struct {
	Size    int `yaml:"size" range:"1 ≤ size ≤ 1000" help:"side of the square grid"`
	Horizon int `yaml:"horizon" range:"0 ≤ horizon ≤ 1000000" help:"number of decisions H, t = 0..H-1 (OpenSpiel's horizon); 0: the setting's, 10 for 3 players, 20 for 4"`
	Players int `yaml:"players" range:"2 ≤ players ≤ 100, other than 3 or 4 with horizon, reward-matrix and init-distrib given" help:"number of populations: 3 (THREE_POPULATIONS) or 4 (FOUR_POPULATIONS) select OpenSpiel's settings"`
	// RewardMatrix, InitDistrib: "setting" takes the setting's (players 3 or 4).
	RewardMatrix     string  `yaml:"reward-matrix" range:"setting, or players² numbers" help:"R, row-major, space-separated: population p gains R[p][q]·d_q; setting: the setting's"`
	Geometry         string  `yaml:"geometry" range:"square or torus" help:"square: moves are clamped at the edges; torus: they wrap"`
	InitDistrib      string  `yaml:"init-distrib" range:"setting, uniform, or players·size² numbers" help:"initial distributions, OpenSpiel's layout (population p's block, cell x + size·y); setting: the setting's corners; uniform: OpenSpiel's empty string"`
	NoiseProbability float64 `yaml:"noise-probability" range:"0 ≤ noise-probability ≤ 1" help:"probability that the noise moves the agent, uniformly to one of the 4 neighbours"`
	CongestionCoeff  float64 `yaml:"congestion-coeff" range:"finite" help:"c in the reward -c·log(d_p + 1e-25)"`
	// OpenSpielT0 reproduces OpenSpiel's layout quirk at t = 0 (see PredatorPrey).
	OpenSpielT0 bool `yaml:"openspiel-t0" range:"true or false" help:"read the t = 0 densities as OpenSpiel does (its initial vector in the wrong layout: a constant per population, NashConv unchanged)"`
}

// DefaultPredatorPreyParams are OpenSpiel's THREE_POPULATIONS setting (its default): size 5,
// horizon 10, 3 players, its reward matrix and corners, square geometry, noise 0.8, congestion 1.
func DefaultPredatorPreyParams() PredatorPreyParams {
	return PredatorPreyParams{Size: 5, Players: 3, RewardMatrix: "setting", Geometry: "square", InitDistrib: "setting",
		NoiseProbability: 0.8, CongestionCoeff: 1}
}

// predatorPreySettings are OpenSpiel's THREE_POPULATIONS and FOUR_POPULATIONS: horizon, reward
// matrix, and the corner (x, y) of each population on a 5×5 grid (4 stands for size-1).
var predatorPreySettings = map[int]struct {
	horizon int
	R       []float64
	corners [][2]int
}{
	3: {10, []float64{0, -1, 1, 1, 0, -1, -1, 1, 0}, [][2]int{{0, 0}, {4, 0}, {0, 4}}},
	4: {20, []float64{0, 1, 0, -1, -1, 0, 1, 0, 0, -1, 0, 1, 1, 0, -1, 0}, [][2]int{{0, 0}, {0, 4}, {4, 4}, {4, 0}}},
}

// GameSize is players·size² states × 5 moves × horizon times, each row reaching at most 9 cells
// (two moves of one step); the moves are fixed.
func (p PredatorPreyParams) GameSize() Size {
	H := p.Horizon
	if s, ok := predatorPreySettings[p.Players]; ok && H == 0 {
		H = s.horizon
	}
	n := float64(p.Size)
	return Size{States: float64(p.Players) * n * n, Actions: 5, Times: float64(H), Successors: min(9, n*n),
		SharedMoves: true, Params: []string{"size", "players", "horizon"}}
}

// Validate names the first parameter out of range.
func (p PredatorPreyParams) Validate() error {
	_, setting := predatorPreySettings[p.Players]
	switch {
	case p.Size < 1 || p.Size > 1000:
		return fmt.Errorf("size = %d: must be in 1..1000", p.Size)
	case p.Players < 2 || p.Players > 100:
		return fmt.Errorf("players = %d: must be in 2..100", p.Players)
	case p.Horizon < 0 || p.Horizon == 0 && !setting:
		return fmt.Errorf("horizon = %d: must be at least 1 (0 takes the setting's, for 3 or 4 players only)", p.Horizon)
	case p.RewardMatrix == "setting" && !setting:
		return fmt.Errorf("reward-matrix = setting: OpenSpiel's settings are for 3 or 4 players, give %d² numbers", p.Players)
	case p.InitDistrib == "setting" && !setting:
		return fmt.Errorf("init-distrib = setting: OpenSpiel's settings are for 3 or 4 players, give %d·size² numbers or uniform", p.Players)
	case !(p.NoiseProbability >= 0 && p.NoiseProbability <= 1):
		return fmt.Errorf("noise-probability = %v: must be in [0, 1]", p.NoiseProbability)
	case math.IsNaN(p.CongestionCoeff) || math.IsInf(p.CongestionCoeff, 0):
		return fmt.Errorf("congestion-coeff = %v: must be finite", p.CongestionCoeff)
	}
	_, err := parseGeometry(p.Geometry)
	return err
}

// NewPredatorPrey is OpenSpiel's predator-prey game (python_mfg_predator_prey; Pérolat et al.
// 2022, "Scaling up MFGs with online mirror descent", §5.4): K populations ("population 0".."K-1")
// on a size×size grid (a square or a torus) make H decisions t = 0..H-1; at each, the agent moves
// by one of stay, x+1, y+1, y-1, x-1 (clamped or wrapped), then the noise stays with probability
// 1 − noise-probability or moves it to each neighbour with noise-probability/4. On arrival at a
// decision, population p's agent at cell (x, y) collects
//
//	r_p = −c · log(d_p + 1e-25) + Σ_q R[p][q] · d_q,
//
// d_q the mass of population q (of mass 1) at (x, y) at that time: each population avoids its own
// crowd and is attracted to (R > 0) or repelled by (R < 0) the others. As a finite-horizon game
// here: T = H−1, one mfg.MultiPopulation block per population (see gridPopulations).
// players 3 (the default) is OpenSpiel's THREE_POPULATIONS, players 4 its FOUR_POPULATIONS
// (horizon 20): their reward matrices and starting corners ((0,0), (4,0), (0,4); or (0,0),
// (0,4), (4,4), (4,0) — size−1 for 4 on other sizes).
//
// OpenSpiel reads the densities at t = 0 from its initial vector in the wrong layout (index
// q + K·(y + size·x) of the block layout): with its settings, every population but 0 reads zeros
// and collects −log(1e-25) = 57.5646… at t = 0. That is a constant per state, the same for every
// action and policy, so it changes the values but no exploitability and no best response;
// openspiel-t0 reproduces it, and by default the densities at t = 0 are the true ones.
func NewPredatorPrey(p PredatorPreyParams) (mfg.Finite, error) {
	K, n := p.Players, p.Size
	setting, hasSetting := predatorPreySettings[K]
	H := p.Horizon
	if H == 0 {
		H = setting.horizon
	}
	R := setting.R
	if p.RewardMatrix != "setting" || !hasSetting {
		var err error
		if R, err = parseFloats("reward-matrix", p.RewardMatrix); err != nil {
			return nil, err
		}
		if len(R) != K*K {
			return nil, fmt.Errorf("reward-matrix has %d numbers, want players² = %d", len(R), K*K)
		}
	}
	var init []float64
	if p.InitDistrib == "setting" {
		init = make([]float64, K*n*n)
		for q, c := range setting.corners {
			x, y := c[0]*(n-1)/4, c[1]*(n-1)/4
			init[q*n*n+x+n*y] = 1
		}
	} else {
		var err error
		if init, err = parseInitDistrib(p.InitDistrib, K, n); err != nil {
			return nil, err
		}
	}
	torus, _ := parseGeometry(p.Geometry)
	names := make([]string, K)
	for q := range names {
		names[q] = "population " + strconv.Itoa(q)
	}
	c := p.CongestionCoeff
	reward := func(pop, _, _ int, d []float64) float64 {
		var dot float64
		for q, dq := range d {
			dot += R[pop*K+q] * dq
		}
		return -c*math.Log(d[pop]+1e-25) + dot
	}
	return newGridPopulations(&gridPopulations{name: "predator-prey", names: names, size: n, H: H, torus: torus,
		t0: p.OpenSpielT0, noise0: 1 - p.NoiseProbability, noise: p.NoiseProbability / 4, init: init, reward: reward})
}

func init() {
	Register("predator-prey", "3 or 4 populations on a grid chase and flee each other and avoid their own crowd (OpenSpiel's game)",
		"OpenSpiel python_mfg_predator_prey (python/mfg/games/predator_prey.py; Pérolat et al. 2022)", DefaultPredatorPreyParams, NewPredatorPrey)
}
