package mfglib32

import (
	"fmt"

	"meanfield/games"
)

// The games below follow MFGLib 0.3.0's torch code line by line (see
// finite/testdata/MFGLIB_NOTES.md for the mathematics): each product, sum and conversion of a
// Python float to float32 where MFGLib's has it. Their parameters are the float64 games' (package
// games), validated the same way.

// checkLogEps refuses a log-eps that float32 rounds to 0: the logarithm of an empty state's
// density would be −Inf, and every result NaN.
func checkLogEps(logEps float64) error {
	if float32(logEps) == 0 {
		return fmt.Errorf("log-eps = %v: rounds to 0 in float32, so an empty state's log-density is -Inf in MFGLib's arithmetic (the smallest usable value is about 1e-45)", logEps)
	}
	return nil
}

// mu0 is MFGLib's initial distribution: torch.ones(n) / n (or, for building evacuation and crowd
// motion, / torch.ones(S).sum(), the same float32 division), or the given one rounded to float32.
func mu0(given []float64, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		if len(given) > 0 {
			out[i] = float32(given[i])
		} else {
			out[i] = float32(1) / float32(n)
		}
	}
	return out
}

// BuildingEvacuation is games.BuildingEvacuation in MFGLib's float32 arithmetic.
type BuildingEvacuation struct {
	p      games.BuildingEvacuationParams
	S      int
	mu0    []float32
	bonus  []float32 // evac-r on the ground floor, 0 elsewhere
	kernel *Kernel
}

// NewBuildingEvacuation validates p and returns the game.
func NewBuildingEvacuation(p games.BuildingEvacuationParams) (*BuildingEvacuation, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkLogEps(p.LogEps); err != nil {
		return nil, err
	}
	nf, nl, nw := p.NFloor, p.FloorL, p.FloorW
	S := nf * nl * nw
	g := &BuildingEvacuation{p: p, S: S, mu0: mu0(p.Mu0, S), bonus: make([]float32, S)}
	idx := func(f, l, w int) int { return (f*nl+l)*nw + w }
	var es []Entry
	for f := 0; f < nf; f++ {
		for l := 0; l < nl; l++ {
			for w := 0; w < nw; w++ {
				s := idx(f, l, w)
				if f == 0 {
					g.bonus[s] = float32(p.EvacR)
				}
				down, up := f, f
				if l == 0 && w == 0 {
					down = max(0, f-1)
				}
				if l == nl-1 && w == nw-1 {
					up = min(f+1, nf-1)
				}
				for a, next := range [6]int{
					idx(f, min(l+1, nl-1), w), idx(f, max(0, l-1), w),
					idx(f, l, max(0, w-1)), idx(f, l, min(w+1, nw-1)),
					idx(down, l, w), idx(up, l, w),
				} {
					es = append(es, Entry{State: s, Action: a, Next: next, P: 1})
				}
			}
		}
	}
	k, err := NewKernel(S, 6, es)
	if err != nil {
		return nil, err
	}
	g.kernel = k
	return g, nil
}

func (g *BuildingEvacuation) Name() string                      { return "building-evacuation" }
func (g *BuildingEvacuation) Horizon() int                      { return g.p.T }
func (g *BuildingEvacuation) States() int                       { return g.S }
func (g *BuildingEvacuation) Actions() int                      { return 6 }
func (g *BuildingEvacuation) InitialStates() []float32          { return g.mu0 }
func (g *BuildingEvacuation) Transition(int, []float32) *Kernel { return g.kernel }

// Reward is −η·log(clamp(μ_t, min=log-eps)) + evac-r·[floor 0], the same for every action.
func (g *BuildingEvacuation) Reward(_ int, L, dst []float32) {
	eps, negEta := float32(g.p.LogEps), float32(-g.p.Eta)
	for s := 0; s < g.S; s++ {
		mu := Sum(L[s*6 : (s+1)*6])
		if mu < eps {
			mu = eps
		}
		r := float32(negEta*Logf(mu)) + g.bonus[s]
		for a := 0; a < 6; a++ {
			dst[s*6+a] = r
		}
	}
}

// CrowdMotion is games.CrowdMotion in MFGLib's float32 arithmetic.
type CrowdMotion struct {
	p      games.CrowdMotionParams
	S      int
	mu0    []float32
	near   [][]float32 // c·c1s[t]: c·(1 − dist/(l+w)), dist to the bar at t
	kernel *Kernel
}

// NewCrowdMotion validates p and returns the game.
func NewCrowdMotion(p games.CrowdMotionParams) (*CrowdMotion, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkLogEps(p.LogEps); err != nil {
		return nil, err
	}
	nl, nw := p.TorusL, p.TorusW
	S := nl * nw
	bars := p.BarLocs
	if len(bars) == 0 {
		bars = games.CrowdMotionBarPath(p.T, nl, nw, p.LocChangeFreq, p.Seed)
	}
	g := &CrowdMotion{p: p, S: S, mu0: mu0(p.Mu0, S), near: make([][]float32, p.T+1)}
	c, lw := float32(p.C), float32(nl+nw)
	for t := range g.near {
		g.near[t] = make([]float32, S)
		for l := 0; l < nl; l++ {
			for w := 0; w < nw; w++ {
				dist := float32(abs(l-bars[t][0])+abs(w-bars[t][1])) / lw
				g.near[t][l*nw+w] = float32(c * (1 - dist))
			}
		}
	}
	// The transition tensor is built by adding each noise outcome's probability in turn (+= in
	// float32), so cells reached several ways at the walls hold the float32 sum.
	x := (1 - p.PStill) / 4
	noise := [5]float32{float32(x), float32(x), float32(x), float32(x), float32(p.PStill)}
	moves := [5][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	var es []Entry
	for l := 0; l < nl; l++ {
		for w := 0; w < nw; w++ {
			for a, m := range moves {
				prob := map[int]float32{}
				for j, d := range moves {
					next := min(max(l+m[0]+d[0], 0), nl-1)*nw + min(max(w+m[1]+d[1], 0), nw-1)
					prob[next] += noise[j]
				}
				for next, pr := range prob {
					es = append(es, Entry{State: l*nw + w, Action: a, Next: next, P: pr})
				}
			}
		}
	}
	k, err := NewKernel(S, 5, es)
	if err != nil {
		return nil, err
	}
	g.kernel = k
	return g, nil
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (g *CrowdMotion) Name() string                      { return "crowd-motion" }
func (g *CrowdMotion) Horizon() int                      { return g.p.T }
func (g *CrowdMotion) States() int                       { return g.S }
func (g *CrowdMotion) Actions() int                      { return 5 }
func (g *CrowdMotion) InitialStates() []float32          { return g.mu0 }
func (g *CrowdMotion) Transition(int, []float32) *Kernel { return g.kernel }

// Reward is c·c1s[t] − log(μ_t + log-eps), the same for every action.
func (g *CrowdMotion) Reward(t int, L, dst []float32) {
	eps := float32(g.p.LogEps)
	for s := 0; s < g.S; s++ {
		mu := Sum(L[s*5 : (s+1)*5])
		r := g.near[t][s] - Logf(mu+eps)
		for a := 0; a < 5; a++ {
			dst[s*5+a] = r
		}
	}
}

// ConservativeTreasureHunting is games.ConservativeTreasureHunting in MFGLib's float32 arithmetic.
type ConservativeTreasureHunting struct {
	p   games.ConservativeTreasureHuntingParams
	mu0 []float32
}

// NewConservativeTreasureHunting validates p and returns the game.
func NewConservativeTreasureHunting(p games.ConservativeTreasureHuntingParams) (*ConservativeTreasureHunting, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &ConservativeTreasureHunting{p: p, mu0: mu0(p.Mu0, p.N)}, nil
}

func (g *ConservativeTreasureHunting) Name() string             { return "conservative-treasure-hunting" }
func (g *ConservativeTreasureHunting) Horizon() int             { return g.p.T }
func (g *ConservativeTreasureHunting) States() int              { return g.p.N }
func (g *ConservativeTreasureHunting) Actions() int             { return g.p.N }
func (g *ConservativeTreasureHunting) InitialStates() []float32 { return g.mu0 }

// distance is diff_s = Σ (L_t − e_{s,s})², the squared distance from L_t (n × n) to the point mass
// on (state s, action s), summed as torch sums the n² squares.
func (g *ConservativeTreasureHunting) distance(L []float32, s int) float32 {
	n := g.p.N
	sq := make([]float32, n*n)
	for i, x := range L {
		if i == s*n+s {
			x -= 1
		}
		sq[i] = float32(x * x)
	}
	return Sum(sq)
}

// Reward is 0 at t = 0 and r_s·(1 − diff_s/2) on the diagonal (action s in state s) after.
func (g *ConservativeTreasureHunting) Reward(t int, L, dst []float32) {
	clear(dst)
	if t == 0 {
		return
	}
	n := g.p.N
	for s := 0; s < n; s++ {
		half := g.distance(L, s) / 2
		dst[s*n+s] = float32(g.p.R[s]) * (1 - half)
	}
}

// Transition moves to the chosen site at t = 0; at t >= 1 every site gets c·diff_s/(1 + n·c·diff_s)
// and the chosen one 1/(1 + n·c·diff_s) more, with c = c_{t−1}.
func (g *ConservativeTreasureHunting) Transition(t int, L []float32) *Kernel {
	n := g.p.N
	es := make([]Entry, 0, n*n*n)
	for s := 0; s < n; s++ {
		for a := 0; a < n; a++ {
			if t == 0 {
				es = append(es, Entry{State: s, Action: a, Next: a, P: 1})
			}
		}
		if t == 0 {
			continue
		}
		c := g.p.C[t-1]
		d := g.distance(L, s)
		den := 1 + float32(float32(float64(n)*c)*d)
		base := float32(c) * d / den
		stay := 1 / den
		for a := 0; a < n; a++ {
			for next := 0; next < n; next++ {
				p := base
				if next == a {
					p = base + stay
				}
				es = append(es, Entry{State: s, Action: a, Next: next, P: p})
			}
		}
	}
	k, err := NewKernel(n, n, es)
	if err != nil {
		panic(err) // the entries above are in range and distinct
	}
	return k
}
