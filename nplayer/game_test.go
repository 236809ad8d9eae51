package nplayer_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"meanfield/exploit"
	"meanfield/games"
	"meanfield/internal/stats"
	"meanfield/mfg"
	"meanfield/nplayer"
)

func mustGame(t testing.TB, p games.AuctionParams, n int) *nplayer.Game {
	t.Helper()
	a, err := games.NewAuction(p)
	if err != nil {
		t.Fatalf("NewAuction: %v", err)
	}
	g, err := nplayer.NewGame(a, n)
	if err != nil {
		t.Fatalf("NewGame(n=%d): %v", n, err)
	}
	return g
}

// nearBudgetPolicy is softmax_c of Q(s, a) = -|a - s|: bids concentrate on the own budget, so a
// bidder's bid carries its state and finite-N correlations between budgets show in the bids.
func nearBudgetPolicy(S, A int, c float64) mfg.Policy {
	pi := mfg.NewPolicy(S, A)
	for s := 0; s < S; s++ {
		row := pi.Row(s)
		var sum float64
		for a := range row {
			row[a] = math.Exp(-c * math.Abs(float64(a-s)))
			sum += row[a]
		}
		for a := range row {
			row[a] /= sum
		}
	}
	return pi
}

// stationaryStats plays the symmetric profile of pi with n bidders for burn rounds, then for
// rounds rounds, and returns the empirical bid distribution and mean reward per bidder-round with
// batch-means standard errors (batches consecutive blocks of rounds; with blocks of hundreds of
// rounds, far longer than the chain's correlation time, the batch means are nearly independent).
func stationaryStats(g *nplayer.Game, pi mfg.Policy, burn, rounds, batches int, rng *rand.Rand) (bids, bidsSE []float64, reward, rewardSE float64) {
	prof := nplayer.Symmetric(pi, g.N)
	budgets := make([]int, g.N)
	g.RandomBudgets(budgets, rng)
	w := g.NewWorld(budgets, 1)
	for range burn {
		w.Play(prof, rng)
	}
	A := g.Actions
	batchBids := make([][]float64, batches)
	batchReward := make([]float64, batches)
	per := rounds / batches
	for b := range batches {
		batchBids[b] = make([]float64, A)
		for range per {
			w.Play(prof, rng)
			for i, x := range w.Bids {
				batchBids[b][x]++
				batchReward[b] += w.Rewards[i]
			}
		}
		for a := range batchBids[b] {
			batchBids[b][a] /= float64(per * g.N)
		}
		batchReward[b] /= float64(per * g.N)
	}
	bids, bidsSE = make([]float64, A), make([]float64, A)
	col := make([]float64, batches)
	for a := range bids {
		for b := range col {
			col[b] = batchBids[b][a]
		}
		bids[a], bidsSE[a] = stats.MeanStdErr(col)
	}
	reward, rewardSE = stats.MeanStdErr(batchReward)
	return bids, bidsSE, reward, rewardSE
}

// As N grows with M = 5 fixed, the N-player game played with a fixed stationary policy π by every
// bidder approaches the mean-field game at L_π, the population π sustains: the empirical bid
// distribution approaches α_π, the action marginal of L_π, and the mean reward per bidder-round
// approaches Σ L_π(s,a) r(s,a,L_π).
//
// Measured with this policy (runs of 2·10^7 bidder-rounds, three seeds each): the reward exceeds
// the mean-field value by +0.0024 ± 0.0003 at N = 5, +0.0005 ± 0.0004 at N = 50 and
// -0.0002 ± 0.0004 at N = 1000 (zero within noise). The l1 distance of the bids to α_π is about
// 0.048 at N = 5 (a finite-N bias: M = N, so every bidder meets all the others, whose budgets are
// correlated with its own) and 0.003-0.005 at N = 200, where Monte-Carlo noise alone gives
// E[l1] ≈ Σ_a √(2/π) SE_a ≈ 0.8 Σ_a SE_a.
//
// The test runs 10^7 bidder-rounds per N (2·10^6 with -short); standard errors are batch means
// over 20 blocks of consecutive rounds. Tolerances at N = 200: l1(bids, α_π) <= max(0.02, 3 Σ_a SE_a)
// (a few times the noise level, well below the N = 5 bias) and at most half the N = 5 distance;
// |reward - mean field| <= 5 SE + 0.0005 (the 0.0005 allows the finite-N bias measured at
// N = 50). Without -short the N = 5 reward bias (+0.0024) is about 6 SE, and the N = 200
// discrepancy must also be smaller than the N = 5 one.
func TestNPlayerApproachesMeanField(t *testing.T) {
	p := games.DefaultAuctionParams()
	a, err := games.NewAuction(p)
	if err != nil {
		t.Fatal(err)
	}
	pi := nearBudgetPolicy(p.States, p.Actions, 3)
	L, _, residual, err := exploit.MeanField(context.Background(), a, pi, exploit.Options{})
	if err != nil || residual > 1e-12 {
		t.Fatalf("mean field of π: residual %g, err %v", residual, err)
	}
	m, err := a.MDP(L)
	if err != nil {
		t.Fatal(err)
	}
	alpha := L.ActionMarginal(nil)
	var rbar float64
	for i, x := range L.Mass {
		rbar += x * m.Reward[i]
	}
	total := 10_000_000
	if testing.Short() {
		total = 2_000_000
	}
	type result struct {
		l1, noise, reward, rewardSE float64
	}
	run := func(n int, seed uint64) result {
		g := mustGame(t, p, n)
		rng := rand.New(rand.NewPCG(seed, uint64(n)))
		bids, bidsSE, reward, rewardSE := stationaryStats(g, pi, 200, total/n, 20, rng)
		var r result
		for x := range bids {
			r.l1 += math.Abs(bids[x] - alpha[x])
			r.noise += bidsSE[x]
		}
		r.reward, r.rewardSE = reward, rewardSE
		t.Logf("N = %3d: l1(bids, α_π) = %.5f (Σ SE = %.5f); reward %.5f ± %.5f, mean field %.5f, diff %+.5f",
			n, r.l1, r.noise, reward, rewardSE, rbar, reward-rbar)
		return r
	}
	small, large := run(5, 1), run(200, 2)
	if tol := math.Max(0.02, 3*large.noise); large.l1 > tol {
		t.Errorf("N = 200: l1(bids, α_π) = %.5f > %.5f", large.l1, tol)
	}
	if large.l1 > small.l1/2 {
		t.Errorf("l1(bids, α_π) = %.5f at N = 200, %.5f at N = 5: should shrink with N", large.l1, small.l1)
	}
	if d, tol := math.Abs(large.reward-rbar), 5*large.rewardSE+0.0005; d > tol {
		t.Errorf("N = 200: |reward - mean-field reward| = %.5f > %.5f", d, tol)
	}
	if !testing.Short() && math.Abs(large.reward-rbar) >= math.Abs(small.reward-rbar) {
		t.Errorf("|reward - mean-field reward| = %.5f at N = 200, %.5f at N = 5: should shrink with N",
			math.Abs(large.reward-rbar), math.Abs(small.reward-rbar))
	}
}

// Opponents are drawn uniformly without replacement among the other N-1 bidders: with bidder j
// bidding a distinct bid for every j, the highest bid bidder i meets is bidder j's exactly when
// j is drawn and every other drawn bidder bids less, probability C(k_j, M-2) / C(N-1, M-1), k_j
// the number of other bidders (not i) bidding less than j. Every cell is checked within 5
// binomial standard errors, plus: i never meets itself and the highest bid is never tied.
func TestOpponentsUniformWithoutReplacement(t *testing.T) {
	const n, M = 6, 4
	p := games.DefaultAuctionParams()
	p.PlayersPerAuction = M
	g := mustGame(t, p, n)
	rounds := 40000
	if testing.Short() {
		rounds = 15000
	}
	binom := func(x, y int) float64 {
		if y < 0 || y > x {
			return 0
		}
		r := 1.0
		for k := 1; k <= y; k++ {
			r = r * float64(x-y+k) / float64(k)
		}
		return r
	}
	for _, bidOf := range [][]int{{0, 1, 2, 3, 4, 5}, {5, 3, 0, 4, 1, 2}} {
		rng := rand.New(rand.NewPCG(21, uint64(bidOf[0])))
		w := g.NewWorld(make([]int, n), 1)
		counts := make([][]float64, n) // counts[i][j]: bidder j's bid was the highest i met
		for i := range counts {
			counts[i] = make([]float64, n)
		}
		bidder := make(map[int]int) // bid -> bidder
		for j, b := range bidOf {
			bidder[b] = j
		}
		for range rounds {
			copy(w.Bids, bidOf)
			w.Settle(rng)
			for i, f := range w.Faced {
				if f.Count != 1 {
					t.Fatalf("bidder %d met the highest bid %d placed %d times; bids are distinct", i, f.Highest, f.Count)
				}
				j, ok := bidder[f.Highest]
				if !ok || j == i {
					t.Fatalf("bidder %d met highest bid %d (bidder %d, found %v): not another bidder's bid", i, f.Highest, j, ok)
				}
				counts[i][j]++
			}
		}
		for i := range counts {
			for j := range counts[i] {
				var want float64
				if j != i {
					k := 0
					for o := range bidOf {
						if o != i && o != j && bidOf[o] < bidOf[j] {
							k++
						}
					}
					want = binom(k, M-2) / binom(n-1, M-1)
				}
				got := counts[i][j] / float64(rounds)
				se := math.Sqrt(want * (1 - want) / float64(rounds))
				if math.Abs(got-want) > 5*se+1e-12 {
					t.Errorf("bids %v: bidder %d met bidder %d's bid as highest with frequency %.4f, want %.4f (SE %.4f)", bidOf, i, j, got, want, se)
				}
			}
		}
	}
}

func TestNewGameRejectsTooFewPlayers(t *testing.T) {
	a, err := games.NewAuction(games.DefaultAuctionParams()) // M = 5
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{-3, 0, 1, 2, 4} {
		_, err := nplayer.NewGame(a, n)
		if err == nil || !strings.Contains(err.Error(), "players") || !strings.Contains(err.Error(), fmt.Sprint(n)) {
			t.Errorf("NewGame(n=%d): err = %v, want one naming players and %d", n, err, n)
		}
	}
	g, err := nplayer.NewGame(a, 5)
	if err != nil {
		t.Fatalf("NewGame(n=M=5): %v", err)
	}
	if g.N != 5 || g.M != 5 || g.States != 10 || g.Actions != 10 || g.Discount != 0.8 {
		t.Errorf("NewGame(5) = %+v", g)
	}
}
