package nplayer

import (
	"fmt"
	"math/rand/v2"

	"meanfield/games"
)

// Game is the N-bidder repeated auction.
type Game struct {
	Auction *games.Auction
	// N is the number of bidders; M = Auction's players-per-auction.
	N, M int
	// States and Actions are the auction's budgets and bids.
	States, Actions int
	Discount        float64
}

// NewGame returns the N-bidder version of the auction.
func NewGame(a *games.Auction, n int) (*Game, error) {
	p := a.Params()
	if n < 2 {
		return nil, fmt.Errorf("players = %d: must be at least 2", n)
	}
	if n < p.PlayersPerAuction {
		return nil, fmt.Errorf("players = %d: must be at least players-per-auction = %d (each auction needs M-1 other bidders)", n, p.PlayersPerAuction)
	}
	return &Game{Auction: a, N: n, M: p.PlayersPerAuction, States: p.States, Actions: p.Actions, Discount: p.Discount}, nil
}

// World is one sample path: the bidders' budgets and bids and what the last round gave them. A
// World is not safe for concurrent use; make one per goroutine.
type World struct {
	G       *Game
	Budgets []int
	Bids    []int
	// Rewards[i] is bidder i's reward in the last round; Faced[i] what it met there.
	Rewards []float64
	Faced   []Faced
	// Context[i] is the bin of the mean bid of the others in the last round, observed by
	// contextual policies; it starts at the bin of the mean of a uniform bid.
	Context []int
	bins    int
	noise   *Noise // scratch for Play and Settle
}

// Faced is what one bidder met in one round: the highest opponent bid, how many opponents
// placed it, and the round's own random draws.
type Faced struct {
	Highest, Count int
	Draws          games.Draws
}

// NewWorld returns a world with the given budgets (copied) whose contextual policies use bins
// bins of the mean bid (bins >= 1; 1 for stationary policies).
func (g *Game) NewWorld(budgets []int, bins int) *World {
	w := &World{
		G: g, Budgets: append([]int(nil), budgets...), Bids: make([]int, g.N),
		Rewards: make([]float64, g.N), Faced: make([]Faced, g.N), Context: make([]int, g.N),
		bins: max(bins, 1), noise: g.NewNoise(),
	}
	w.ResetContext()
	return w
}

// ResetContext sets every bidder's observed mean-bid bin to the one of a uniform bid, (A-1)/2:
// the convention for the first round, when there is no previous round.
func (w *World) ResetContext() {
	c := Bin(float64(w.G.Actions-1)/2, w.G.Actions, w.bins)
	for i := range w.Context {
		w.Context[i] = c
	}
}

// Bin returns the bin of a mean bid x in [0, A-1] among bins equal-width bins.
func Bin(x float64, actions, bins int) int {
	if actions <= 1 || bins <= 1 {
		return 0
	}
	b := int(x / float64(actions-1) * float64(bins))
	return min(max(b, 0), bins-1)
}

// RandomBudgets draws a joint state uniformly from S^N into dst.
func (g *Game) RandomBudgets(dst []int, rng *rand.Rand) {
	for i := range dst {
		dst[i] = rng.IntN(g.States)
	}
}

// Noise is the randomness of one round, drawn once so that several worlds (the profile, and
// the same profile with one bidder deviating) can play the round with common random numbers.
type Noise struct {
	// BidU[i] is the uniform from which bidder i's bid is drawn by inverse CDF.
	BidU []float64
	// Opponents[i*(M-1) : (i+1)*(M-1)] are the bidders that bidder i meets.
	Opponents []int
	// Draws[i] are bidder i's tie-break, conversion and top-up.
	Draws []games.Draws
}

// NewNoise allocates the noise of one round.
func (g *Game) NewNoise() *Noise {
	return &Noise{BidU: make([]float64, g.N), Opponents: make([]int, g.N*(g.M-1)), Draws: make([]games.Draws, g.N)}
}

// DrawNoise draws a round's randomness: for every bidder in order, its bid uniform, its M-1
// opponents (uniformly without replacement among the other N-1, by Floyd's algorithm), and its
// auction draws.
func (g *Game) DrawNoise(n *Noise, rng *rand.Rand) {
	k, others := g.M-1, g.N-1
	for i := 0; i < g.N; i++ {
		n.BidU[i] = rng.Float64()
		opp := n.Opponents[i*k : (i+1)*k]
		for x, j := 0, others-k; j < others; j, x = j+1, x+1 {
			t := rng.IntN(j + 1)
			for _, c := range opp[:x] {
				if c == t {
					t = j
					break
				}
			}
			opp[x] = t
		}
		for x, o := range opp { // others are numbered 0..N-2, skipping i
			if o >= i {
				opp[x] = o + 1
			}
		}
		n.Draws[i] = g.Auction.Draw(rng)
	}
}

// ChooseBids sets every bidder's bid from the profile by inverse CDF of the noise's uniforms;
// bidder dev (if dev >= 0) plays devPolicy instead.
func (w *World) ChooseBids(p *Profile, dev int, devPolicy *BidderPolicy, n *Noise) {
	for i := range w.Bids {
		b := &p.Bidders[i]
		if i == dev {
			b = devPolicy
		}
		w.Bids[i] = InverseCDF(b.Row(w.Context[i], w.Budgets[i]), n.BidU[i])
	}
}

// SettleNoise plays the round with the bids in w.Bids and the noise's opponents and draws,
// updating rewards, budgets and contexts.
func (w *World) SettleNoise(n *Noise) {
	g := w.G
	k := g.M - 1
	var sum int
	for _, b := range w.Bids {
		sum += b
	}
	for i := range w.Bids {
		best, count := -1, 0
		for _, o := range n.Opponents[i*k : (i+1)*k] {
			switch b := w.Bids[o]; {
			case b > best:
				best, count = b, 1
			case b == best:
				count++
			}
		}
		w.Faced[i] = Faced{Highest: best, Count: count, Draws: n.Draws[i]}
		w.Rewards[i], w.Budgets[i] = g.Auction.Settle(w.Budgets[i], w.Bids[i], best, count, n.Draws[i])
		w.Context[i] = Bin(float64(sum-w.Bids[i])/float64(g.N-1), g.Actions, w.bins)
	}
}

// Settle plays one round with the bids already in w.Bids (set by a learner), drawing the
// round's randomness from rng.
func (w *World) Settle(rng *rand.Rand) {
	w.G.DrawNoise(w.noise, rng)
	w.SettleNoise(w.noise)
}

// Play draws every bidder's bid from the profile, then settles the round.
func (w *World) Play(p *Profile, rng *rand.Rand) {
	w.G.DrawNoise(w.noise, rng)
	w.ChooseBids(p, -1, nil, w.noise)
	w.SettleNoise(w.noise)
}

// InverseCDF returns the first i with p[0]+...+p[i] > u, never an index with zero mass.
func InverseCDF(p []float64, u float64) int {
	last := 0
	for i, w := range p {
		if w > 0 {
			last = i
			u -= w
			if u < 0 {
				return i
			}
		}
	}
	return last
}

// Reset puts the world back at the joint state budgets (copied), with the first-round context.
func (w *World) Reset(budgets []int) {
	copy(w.Budgets, budgets)
	w.ResetContext()
}
