package games_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"meanfield/alias"
	"meanfield/games"
	"meanfield/mfg"
)

// literalSampler plays a round as the auction is defined, one opponent at a time: the M-1 bids
// i.i.d. from α, the highest and how many placed it, then a uniform tie-break, v and Δ (Draw and
// Settle). It is the independent reference for Auction.Sampler, which draws the highest bid, the
// tie and v and Δ from their joint law at once. With countAs > 0 it is a deliberately wrong
// sampler that settles every tie as if countAs opponents had placed the highest bid.
type literalSampler struct {
	g         *games.Auction
	bids      *alias.Table
	opponents int
	countAs   int
}

func newLiteralSampler(t *testing.T, g *games.Auction, L mfg.Population) literalSampler {
	t.Helper()
	bids, err := alias.New(L.ActionMarginal(nil))
	if err != nil {
		t.Fatal(err)
	}
	return literalSampler{g: g, bids: bids, opponents: g.Params().PlayersPerAuction - 1}
}

func (sm literalSampler) Sample(s, a int, rng *rand.Rand) (float64, int) {
	highest, count := -1, 0
	for range sm.opponents {
		b := sm.bids.Draw(rng)
		if b > highest {
			highest, count = b, 0
		}
		if b == highest {
			count++
		}
	}
	if sm.countAs > 0 {
		count = sm.countAs
	}
	return sm.g.Settle(s, a, highest, count, sm.g.Draw(rng))
}

// samplerChiSquare draws n rounds of each sampler at every pair (s, a) and returns the p-value of
// the two-sample chi-square test that the outcomes (reward, next state) have the same law at
// every pair: χ² = Σ (x_k - y_k)² / (x_k + y_k) over the outcomes k of each pair, those seen fewer
// than 20 times in both samples pooled into one, with Σ (outcomes - 1) degrees of freedom.
func samplerChiSquare(S, A int, x, y mfg.Sampler, n int, rng *rand.Rand) float64 {
	type outcome struct {
		reward float64
		next   int
	}
	var chi2, df float64
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			counts := map[outcome]*[2]float64{}
			for k, sm := range []mfg.Sampler{x, y} {
				for range n {
					r, next := sm.Sample(s, a, rng)
					c := counts[outcome{r, next}]
					if c == nil {
						c = new([2]float64)
						counts[outcome{r, next}] = c
					}
					c[k]++
				}
			}
			var rare [2]float64
			cells := 0
			add := func(c [2]float64) {
				chi2 += (c[0] - c[1]) * (c[0] - c[1]) / (c[0] + c[1])
				cells++
			}
			for _, c := range counts {
				if c[0]+c[1] < 20 {
					rare[0], rare[1] = rare[0]+c[0], rare[1]+c[1]
					continue
				}
				add(*c)
			}
			if rare[0]+rare[1] > 0 {
				add(rare)
			}
			df += float64(cells - 1)
		}
	}
	if df == 0 {
		return 1
	}
	return distuv.ChiSquared{K: df}.Survival(chi2)
}

// The tabulated sampler has the law of the literal one-bid-at-a-time simulation, at every pair,
// on auctions where ties matter: six bidders (five opponents), populations concentrated on few
// bids or on one (a certain tie), skewed v and Δ, a top-up beyond the last budget. The test has
// the power to see a sampler that settles ties as if one opponent had placed the highest bid.
func TestAuctionSamplerMatchesLiteralSimulation(t *testing.T) {
	six := games.DefaultAuctionParams()
	six.States, six.Actions, six.PlayersPerAuction = 7, 9, 6
	six.ConversionProbs = []float64{0.05, 0.1, 0.2, 0.3, 0.35}
	six.FulfillmentValues = []int{0, 1, 9}
	six.FulfillmentProbs = []float64{0.6, 0.3, 0.1}
	three := games.DefaultAuctionParams()
	three.States, three.Actions, three.PlayersPerAuction = 6, 5, 3
	three.ConversionValues, three.ConversionProbs = []int{-2, 3, 9}, []float64{0.2, 0.5, 0.3}
	three.OverbidPenalty = 0.5
	n := 20000
	if testing.Short() {
		n = 4000
	}
	rng := rand.New(rand.NewPCG(51, 52))
	for _, c := range []struct {
		name   string
		params games.AuctionParams
		kinds  []string
	}{
		{"M=6,skewed", six, []string{"random", "few-bids", "point", "top"}},
		{"M=3,negative-conversion", three, []string{"sparse", "few-bids"}},
		{"default", games.DefaultAuctionParams(), []string{"uniform", "point"}},
	} {
		g := mustAuction(t, c.params)
		for _, kind := range c.kinds {
			L := randomPopulation(rng, c.params.States, c.params.Actions, kind)
			sm, err := g.Sampler(L)
			if err != nil {
				t.Fatal(err)
			}
			literal := newLiteralSampler(t, g, L)
			if p := samplerChiSquare(g.States(), g.Actions(), sm, literal, n, rng); p < 1e-4 {
				t.Errorf("%s/%s: the sampler's law differs from the literal simulation's (chi-square p = %.2g)", c.name, kind, p)
			}
		}
	}
	// The power check: ties among five opponents settled as if there were one.
	g := mustAuction(t, six)
	L := randomPopulation(rand.New(rand.NewPCG(53, 54)), six.States, six.Actions, "few-bids")
	wrong, literal := newLiteralSampler(t, g, L), newLiteralSampler(t, g, L)
	wrong.countAs = 1
	if p := samplerChiSquare(g.States(), g.Actions(), wrong, literal, n, rng); p > 1e-6 {
		t.Errorf("M=6/few-bids: a sampler ignoring how many opponents tie passes the test (chi-square p = %.2g)", p)
	}
}

// At a certain tie (every opponent bids b) a bid of b wins with probability exactly 1/M; the
// tabulated sampler's frequency is within 5 standard errors of it.
func TestAuctionSamplerCertainTie(t *testing.T) {
	p := games.DefaultAuctionParams()
	p.PlayersPerAuction = 6
	g := mustAuction(t, p)
	const b, n = 3, 200000
	L := mfg.NewPopulation(p.States, p.Actions)
	L.Mass[b] = 1
	sm, err := g.Sampler(L)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(55, 56))
	wins := 0
	for range n {
		if r, _ := sm.Sample(5, b, rng); r != 0 { // a win earns v - b >= 1
			wins++
		}
	}
	want := 1 / float64(p.PlayersPerAuction)
	if got, se := float64(wins)/n, math.Sqrt(want*(1-want)/n); math.Abs(got-want) > 5*se {
		t.Errorf("a bid tied with five opponents wins %.5f of the rounds, want 1/6 = %.5f ± %.2g", got, want, 5*se)
	}
}

// One sampler serves several goroutines at once (GMF-Q's sampled population step shares it), each
// with its own stream: each gets what it gets alone (and `go test -race` sees no write).
func TestAuctionSamplerConcurrentUse(t *testing.T) {
	g := mustAuction(t, games.DefaultAuctionParams())
	L := randomPopulation(rand.New(rand.NewPCG(57, 58)), g.States(), g.Actions(), "random")
	sm, err := g.Sampler(L)
	if err != nil {
		t.Fatal(err)
	}
	const workers, n = 4, 2000
	run := func(w int) (sum float64) {
		rng := rand.New(rand.NewPCG(uint64(w), 59))
		for i := range n {
			r, next := sm.Sample(i%g.States(), (i/g.States())%g.Actions(), rng)
			sum += r + float64(next)
		}
		return sum
	}
	var got [workers]float64
	done := make(chan struct{})
	for w := range workers {
		go func() {
			got[w] = run(w)
			done <- struct{}{}
		}()
	}
	for range workers {
		<-done
	}
	for w := range workers {
		if want := run(w); got[w] != want {
			t.Errorf("worker %d: concurrent draws sum to %v, alone to %v", w, got[w], want)
		}
	}
}
