package metrics

import (
	"context"
	"fmt"

	"meanfield/internal/cancel"
	"meanfield/mfg"
	"meanfield/nplayer"
	"meanfield/rl"
	"meanfield/seeds"
)

// BestResponseClass names the policies among which EstimateC's best response is sought, as it
// is written beside an estimate: "own budget", or "own budget + others' mean budget in B bins".
func BestResponseClass(budgetBins int) string {
	if budgetBins <= 1 {
		return "own budget"
	}
	return fmt.Sprintf("own budget + others' mean budget in %d bins", budgetBins)
}

// bestResponses computes each bidder's best response to what it faces under p, a policy of its
// own budget s and the bin b of the others' mean budget (one bin unless opt.BudgetBins >= 2):
// the optimal policy, deployed as argmax-e, of the MDP on (b, s) in which, from bin b, the
// highest opponent bid m, its multiplicity c and the next bin b' follow the statistics tallied
// by tallyFaced, and the own budget moves as in the auction against (m, c). With one bin that
// is games.Auction.MDPAgainst of the tallied (m, c).
func bestResponses(ctx context.Context, g *nplayer.Game, p *nplayer.Profile, opt Options, H int) ([]nplayer.BidderPolicy, error) {
	B := max(opt.BudgetBins, 1)
	faced, err := tallyFaced(ctx, g, p, opt, H)
	if err != nil {
		return nil, err
	}
	var against []*mfg.MDP // against[m*(M-1)+c-1]: the MDP against a point mass at (m, c)
	if B > 1 {
		if against, err = pointMassMDPs(g); err != nil {
			return nil, err
		}
	}
	out := make([]nplayer.BidderPolicy, g.N)
	for i, stats := range faced {
		var m *mfg.MDP
		if B == 1 {
			m, err = g.Auction.MDPAgainst(marginalFaced(g, stats))
		} else {
			m, err = binnedMDP(g, stats, against, B)
		}
		if err != nil {
			return nil, fmt.Errorf("best response of bidder %d: %w", i, err)
		}
		q, _, err := rl.ValueIterationContext(ctx, m, nil, rl.ValueIterationOptions{})
		if err != nil {
			return nil, err
		}
		pi := rl.GreedyPolicy(q, m.States, g.Actions)
		out[i] = nplayer.BidderPolicy{States: g.States, Actions: g.Actions, Contexts: B, Prob: pi.Prob}
	}
	return out, nil
}

// marginalFaced returns the normalized statistics highest[m][c-1] of the tally stats of one
// bidder with one bin (stats[0][(m*(M-1)+c-1)*1 + 0]).
func marginalFaced(g *nplayer.Game, stats [][]float64) [][]float64 {
	k := g.M - 1
	var total float64
	for _, q := range stats[0] {
		total += q
	}
	out := make([][]float64, g.Actions)
	for m := range out {
		out[m] = make([]float64, k)
		for c := range out[m] {
			out[m][c] = stats[0][m*k+c] / total
		}
	}
	return out
}

// pointMassMDPs returns, for every highest opponent bid m and multiplicity c, the single-bidder
// MDP when every round the highest opponent bid is m placed by c opponents.
func pointMassMDPs(g *nplayer.Game) ([]*mfg.MDP, error) {
	k := g.M - 1
	out := make([]*mfg.MDP, g.Actions*k)
	highest := make([][]float64, g.Actions)
	for m := range highest {
		highest[m] = make([]float64, k)
	}
	for m := range highest {
		for c := range k {
			highest[m][c] = 1
			var err error
			if out[m*k+c], err = g.Auction.MDPAgainst(highest); err != nil {
				return nil, err
			}
			highest[m][c] = 0
		}
	}
	return out, nil
}

// binnedMDP returns the MDP on (b, s), state b·S + s, of a bidder whose tally is
// stats[b][a*L + (m*(M-1)+c-1)*B + b'] (L = A(M-1)B): from (b, s) with bid a, (m, c, b') is
// drawn with the tallied weights of bin b and bid a, the reward and next own budget s' are those
// of against[m, c] at (s, a), and the next state is (b', s'). A bin never met in the tally uses
// the weights of (m, c) over every bin and stays put.
func binnedMDP(g *nplayer.Game, stats [][]float64, against []*mfg.MDP, B int) (*mfg.MDP, error) {
	S, A, mc := g.States, g.Actions, len(against)
	L := mc * B
	all := make([]float64, mc) // the weights of (m, c) over every bin (the same for every bid)
	for _, row := range stats {
		for x, q := range row[:L] {
			all[x/B] += q
		}
	}
	bld := mfg.NewMDPBuilder(S*B, A, g.Discount)
	next := make([]float64, S*B)
	w := make([]float64, A*L) // w[a*L+x]: the normalized weights of x = (m, c, b') at bin b, bid a
	for b := range B {
		binWeights(w, stats[b], all, b, B)
		for s := range S {
			for a := range A {
				clear(next)
				var r float64
				for x, q := range w[a*L : (a+1)*L] {
					if q == 0 {
						continue
					}
					m, bn := against[x/B], x%B
					r += q * m.Reward[s*A+a]
					to, prob := m.Successors(s, a)
					for j, sp := range to {
						next[bn*S+sp] += q * prob[j]
					}
				}
				bld.MDP.Reward[(b*S+s)*A+a] = r
				for to, q := range next {
					if q != 0 {
						bld.Add(to, q)
					}
				}
				bld.EndRow()
			}
		}
	}
	return bld.Build()
}

// binWeights sets w[a*L : (a+1)*L] to the tallied weights of bin b and bid a, normalized; for a
// bin never met, to the weights all of (m, c) over every bin, with the next bin b.
func binWeights(w, stats, all []float64, b, B int) {
	L := len(all) * B
	clear(w)
	var total float64
	for _, q := range stats[:L] {
		total += q
	}
	if total > 0 {
		for x, q := range stats {
			w[x] = q / total
		}
		return
	}
	var sum float64
	for _, q := range all {
		sum += q
	}
	for a := 0; a < len(w)/L; a++ {
		for x, q := range all {
			w[a*L+x*B+b] = q / sum
		}
	}
}

// tallyFaced plays the profile p for BestResponseRounds rounds from the training stream,
// restarting from a uniform joint state every H rounds, and returns, for every bidder i, the
// weight, Σ γ^t over the rounds (t the rounds since the restart), of the rounds that it began
// with the others' mean budget in bin b, in which the highest bid it met was m, placed by c of
// its opponents, and after which the others' mean budget was in bin b' (B = max(1, BudgetBins)
// bins), at faced[i][b][(m*(M-1)+c-1)*B + b'] with one bin. With B >= 2 the bin b' depends on
// i's own bid, as an opponent of others, so it is tallied for every bid a i could have placed,
// the others' auctions settled again with the round's random numbers and i's bid set to a (the
// counterfactual of a deviation in that round), at faced[i][b][a*A(M-1)B + (m*(M-1)+c-1)*B + b'].
func tallyFaced(ctx context.Context, g *nplayer.Game, p *nplayer.Profile, opt Options, H int) ([][][]float64, error) {
	N, k, B := g.N, g.M-1, max(opt.BudgetBins, 1)
	L, acts := g.Actions*k*B, 1
	if B > 1 {
		acts = g.Actions
	}
	faced := make([][][]float64, N)
	for i := range faced {
		faced[i] = make([][]float64, B)
		for b := range faced[i] {
			faced[i][b] = make([]float64, acts*L)
		}
	}
	rng := seeds.New(opt.Seed, seeds.Training)
	start := make([]int, N)
	w := g.NewWorld(start, p.Bins)
	cf := newCounterfactual(g, B)
	disc := 1.0
	tick := cancel.Every(ctx, nplayer.RoundCost(g)*acts)
	for t := 0; t < opt.BestResponseRounds; t++ {
		if err := tick.Tick(); err != nil {
			return nil, err
		}
		if t%H == 0 {
			g.RandomBudgets(start, rng)
			w.Reset(start)
			disc = 1
		}
		copy(cf.before, w.Budgets)
		g.DrawNoise(cf.noise, rng) // as w.Play: the same random numbers
		w.ChooseBids(p, -1, nil, cf.noise)
		w.SettleNoise(cf.noise)
		cf.tally(faced, w, disc)
		disc *= g.Discount
	}
	return faced, nil
}

// counterfactual is the scratch of tallyFaced: the round's noise, the budgets before it, and who
// met whom.
type counterfactual struct {
	g      *nplayer.Game
	bins   int
	noise  *nplayer.Noise
	before []int
	met    [][]int // met[i]: the bidders who had i among their opponents this round
}

func newCounterfactual(g *nplayer.Game, bins int) *counterfactual {
	return &counterfactual{g: g, bins: bins, noise: g.NewNoise(), before: make([]int, g.N), met: make([][]int, g.N)}
}

// tally adds disc to every bidder's tally of the round just settled in w (see tallyFaced).
func (cf *counterfactual) tally(faced [][][]float64, w *nplayer.World, disc float64) {
	g, B := cf.g, cf.bins
	N, S, k := g.N, g.States, g.M-1
	L := g.Actions * k * B
	sum0, sum1 := sumInts(cf.before), sumInts(w.Budgets)
	if B == 1 {
		for i, f := range w.Faced {
			faced[i][0][f.Highest*k+f.Count-1] += disc
		}
		return
	}
	for i := range cf.met {
		cf.met[i] = cf.met[i][:0]
	}
	for j := range N {
		for _, o := range cf.noise.Opponents[j*k : (j+1)*k] {
			cf.met[o] = append(cf.met[o], j)
		}
	}
	for i, f := range w.Faced {
		b0 := othersBudgetBin(sum0, cf.before[i], N, S, B)
		row := faced[i][b0]
		x := (f.Highest*k + f.Count - 1) * B
		for a := range g.Actions {
			others := sum1 - w.Budgets[i] // the others' budgets after the round, had i bid a
			for _, j := range cf.met[i] {
				others += cf.settleAgainst(w, j, i, a) - w.Budgets[j]
			}
			b1 := othersBudgetBin(others+w.Budgets[i], w.Budgets[i], N, S, B)
			row[a*L+x+b1] += disc
		}
	}
}

// settleAgainst returns bidder j's budget after the round just settled in w had bidder i, one of
// its opponents, bid a: j's auction settled again with the round's draws.
func (cf *counterfactual) settleAgainst(w *nplayer.World, j, i, a int) int {
	k := cf.g.M - 1
	best, count := -1, 0
	for _, o := range cf.noise.Opponents[j*k : (j+1)*k] {
		b := w.Bids[o]
		if o == i {
			b = a
		}
		switch {
		case b > best:
			best, count = b, 1
		case b == best:
			count++
		}
	}
	_, next := cf.g.Auction.Settle(cf.before[j], w.Bids[j], best, count, cf.noise.Draws[j])
	return next
}

func sumInts(x []int) int {
	s := 0
	for _, v := range x {
		s += v
	}
	return s
}
