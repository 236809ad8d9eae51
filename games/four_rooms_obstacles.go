package games

import (
	"fmt"
	"math"
	"slices"

	"meanfield/mfg"
)

// FourRoomsObstaclesParams are the parameters of Bench-MFG's four rooms with obstacles.
type FourRoomsObstaclesParams struct {
	// Alpha is α, the weight of the crowd aversion -α·log μ(s).
	Alpha float64 `yaml:"alpha" range:"finite" help:"crowd aversion α: the reward is -α·log(max(μ(s), eps))"`
	// Eps is the floor of μ(s) inside the logarithm.
	Eps float64 `yaml:"eps" range:"eps > 0, finite" help:"floor ε of μ(s) in the logarithm, so that an empty cell is worth -α·log ε"`
	// NoiseProbs are the probabilities of the noise moves up, right, down, left, stay.
	NoiseProbs []float64 `yaml:"noise-probs" range:"5 probabilities summing to 1" help:"probabilities of the noise's extra move up, right, down, left, stay"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultFourRoomsObstaclesParams returns Bench-MFG's shipped configuration: α = 1, ε = 1e-12,
// each noise move with probability 0.2, γ = 0.9.
func DefaultFourRoomsObstaclesParams() FourRoomsObstaclesParams {
	return FourRoomsObstaclesParams{Alpha: 1, Eps: 1e-12, NoiseProbs: []float64{0.2, 0.2, 0.2, 0.2, 0.2}, Discount: 0.9}
}

// Validate names the first parameter that is out of range.
func (p FourRoomsObstaclesParams) Validate() error {
	if err := validateFinite("alpha", p.Alpha); err != nil {
		return err
	}
	if !(p.Eps > 0) || math.IsInf(p.Eps, 1) {
		return fmt.Errorf("eps = %v: must be positive and finite", p.Eps)
	}
	if len(p.NoiseProbs) != len(fourRoomsMoves) {
		return fmt.Errorf("noise-probs = %v: must have %d entries (up, right, down, left, stay)", p.NoiseProbs, len(fourRoomsMoves))
	}
	sum := 0.0
	for _, q := range p.NoiseProbs {
		if !(q >= 0 && q <= 1) {
			return fmt.Errorf("noise-probs = %v: %v is not a probability", p.NoiseProbs, q)
		}
		sum += q
	}
	if math.Abs(sum-1) > 1e-9 {
		return fmt.Errorf("noise-probs = %v: sum to %v, not 1", p.NoiseProbs, sum)
	}
	return validateDiscount(p.Discount)
}

const fourRoomsSide = 11

// fourRoomsMoves are Bench-MFG's moves (row, col), row 0 at the bottom: the actions' and the
// noise's alike.
var fourRoomsMoves = [...]struct {
	dr, dc int
	name   string
}{{1, 0, "up"}, {0, 1, "right"}, {-1, 0, "down"}, {0, -1, "left"}, {0, 0, "stay"}}

// fourRoomsWall reports whether cell (r, c) is an obstacle: row 5 and column 5 but the doors
// (2,5), (8,5), (5,8), (5,2).
func fourRoomsWall(r, c int) bool {
	if r != 5 && c != 5 {
		return false
	}
	return !(r == 2 || r == 8 || c == 2 || c == 8)
}

// FourRoomsObstacles is Bench-MFG's four rooms with obstacles (envs/four_rooms_obstacles,
// FourRoomsAversion2D): an 11×11 grid, cell (row, col) = state row·11 + col with row 0 at the
// bottom, split into four rooms by walls on row 5 and column 5 with one door in each, (2,5), (8,5),
// (5,2) and (5,8). An agent picks a move (up, right, down, left, stay); the noise adds a second
// move drawn from NoiseProbs; if the cell reached (up to two steps away, diagonals included, only
// the end cell being checked) is off the grid or a wall, the agent stays where it is. The reward
// is crowd aversion, r(s, a, μ) = -α·log(max(μ(s), ε)), whatever the action.
//
// As in Bench-MFG, the initial population is uniform over all 121 cells, the 17 wall cells
// included (an agent in a wall leaves it when the cell it reaches is free), and over the 5 moves.
type FourRoomsObstacles struct {
	params FourRoomsObstaclesParams
	fixed  fixedMoves
}

// NewFourRoomsObstacles validates p and returns the game.
func NewFourRoomsObstacles(p FourRoomsObstaclesParams) (*FourRoomsObstacles, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.NoiseProbs = slices.Clone(p.NoiseProbs)
	return &FourRoomsObstacles{params: p}, nil
}

func (g *FourRoomsObstacles) Name() string      { return "four-rooms-obstacles" }
func (g *FourRoomsObstacles) States() int       { return fourRoomsSide * fourRoomsSide }
func (g *FourRoomsObstacles) Actions() int      { return len(fourRoomsMoves) }
func (g *FourRoomsObstacles) Discount() float64 { return g.params.Discount }

// StateLabel is the cell "(row,col)", with " wall" for an obstacle.
func (g *FourRoomsObstacles) StateLabel(s int) string {
	r, c := s/fourRoomsSide, s%fourRoomsSide
	l := fmt.Sprintf("(%d,%d)", r, c)
	if fourRoomsWall(r, c) {
		l += " wall"
	}
	return l
}

// ActionLabel is the move: up, right, down, left, stay.
func (g *FourRoomsObstacles) ActionLabel(a int) string { return fourRoomsMoves[a].name }

// Move is the action's displacement (row, col), before the noise and the walls.
func (g *FourRoomsObstacles) Move(a int) []float64 {
	return []float64{float64(fourRoomsMoves[a].dr), float64(fourRoomsMoves[a].dc)}
}

// InitialPopulation is uniform on cells (walls included) × moves.
func (g *FourRoomsObstacles) InitialPopulation() mfg.Population {
	return mfg.UniformPopulation(g.States(), g.Actions())
}

// fourRoomsNext is the cell reached from s by action a and noise n.
func fourRoomsNext(s, a, n int) int {
	r := s/fourRoomsSide + fourRoomsMoves[a].dr + fourRoomsMoves[n].dr
	c := s%fourRoomsSide + fourRoomsMoves[a].dc + fourRoomsMoves[n].dc
	if r < 0 || r >= fourRoomsSide || c < 0 || c >= fourRoomsSide || fourRoomsWall(r, c) {
		return s
	}
	return r*fourRoomsSide + c
}

// MDP returns r(s, a, μ) = -α·log(max(μ(s), ε)) and the noisy moves.
func (g *FourRoomsObstacles) MDP(L mfg.Population) (*mfg.MDP, error) {
	if err := checkStatesActions(g.Name(), L, g.States(), g.Actions()); err != nil {
		return nil, err
	}
	mu := L.StateMarginal(nil)
	p := g.params
	return noiseAtomMDP(g.States(), g.Actions(), p.Discount, p.NoiseProbs,
		func(s, a int) float64 { return -p.Alpha * math.Log(math.Max(mu[s], p.Eps)) }, fourRoomsNext)
}

func init() {
	Register("four-rooms-obstacles", "Bench-MFG's four rooms with obstacles: 11×11 grid, walls with four doors, noisy double moves, crowd aversion -α·log μ(s)",
		"Bench-MFG src/benchmfg/envs/four_rooms_obstacles (3ec7b28)", DefaultFourRoomsObstaclesParams, NewFourRoomsObstacles)
}

// StationaryMoves: the moves and the noise do not depend on the population.
func (g *FourRoomsObstacles) StationaryMoves() *mfg.MDP { return g.fixed.of(g) }
