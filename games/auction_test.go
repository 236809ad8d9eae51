package games_test

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// ---------------------------------------------------------------------------------------------
// Helpers

func mustAuction(t testing.TB, p games.AuctionParams) *games.Auction {
	t.Helper()
	g, err := games.NewAuction(p)
	if err != nil {
		t.Fatalf("NewAuction(%+v): %v", p, err)
	}
	return g
}

// normalise scales w to sum 1 (w must have positive mass).
func normalise(w []float64) []float64 {
	var sum float64
	for _, x := range w {
		sum += x
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// populationKinds names the families of populations the tests draw; the later ones make ties
// between the representative's bid and the highest opponent bid likely or certain.
var populationKinds = []string{"uniform", "random", "sparse", "few-bids", "point", "top"}

// randomPopulation returns a population of the given kind on S×A.
//
//   - uniform: L = 1/(SA).
//   - random: i.i.d. Exp(1) weights, normalised (a flat Dirichlet draw).
//   - sparse: like random but each entry is zero with probability 0.6.
//   - few-bids: all mass on two bids (spread over states), so opponents tie often.
//   - point: all mass on one bid: every opponent bids the same, so a tie at the top is certain
//     for the representative bidding that value.
//   - top: 90% of the mass on the highest bid.
func randomPopulation(rng *rand.Rand, S, A int, kind string) mfg.Population {
	L := mfg.NewPopulation(S, A)
	switch kind {
	case "uniform":
		return mfg.UniformPopulation(S, A)
	case "random":
		for i := range L.Mass {
			L.Mass[i] = rng.ExpFloat64()
		}
	case "sparse":
		for i := range L.Mass {
			if rng.Float64() < 0.4 {
				L.Mass[i] = rng.ExpFloat64()
			}
		}
		L.Mass[rng.IntN(len(L.Mass))] += 1 // at least one entry with mass
	case "few-bids":
		b1, b2 := rng.IntN(A), rng.IntN(A)
		for s := 0; s < S; s++ {
			L.Mass[s*A+b1] += rng.ExpFloat64()
			L.Mass[s*A+b2] += rng.ExpFloat64()
		}
	case "point":
		b := rng.IntN(A)
		for s := 0; s < S; s++ {
			L.Mass[s*A+b] = rng.ExpFloat64()
		}
	case "top":
		for i := range L.Mass {
			L.Mass[i] = 0.1 * rng.ExpFloat64()
		}
		for s := 0; s < S; s++ {
			L.Mass[s*A+A-1] += 0.9 * float64(A) * rng.ExpFloat64()
		}
	default:
		panic("unknown population kind " + kind)
	}
	normalise(L.Mass)
	return L
}

// denseRow returns P(·|s,a) of m as a dense vector.
func denseRow(m *mfg.MDP, s, a int) []float64 {
	p := make([]float64, m.States)
	next, prob := m.Successors(s, a)
	for k, sp := range next {
		p[sp] += prob[k]
	}
	return p
}

// nonDefaultParams are parameter sets away from the defaults: M = 2 and M = 3, non-uniform
// conversion and fulfillment distributions, S != A both ways, top-ups that overshoot the cap.
func nonDefaultParams() map[string]games.AuctionParams {
	out := map[string]games.AuctionParams{}
	p := games.DefaultAuctionParams()
	p.PlayersPerAuction = 2
	out["M=2"] = p

	p = games.DefaultAuctionParams()
	p.PlayersPerAuction = 3
	p.ConversionValues = []int{1, 3, 9}
	p.ConversionProbs = []float64{0.5, 0.3, 0.2}
	out["M=3,conversion-probs"] = p

	p = games.DefaultAuctionParams()
	p.States, p.Actions = 6, 9 // bids can exceed every budget: the overbid penalty matters
	p.PlayersPerAuction = 3
	p.FulfillmentValues = []int{0, 1, 4}
	p.FulfillmentProbs = []float64{0.6, 0.3, 0.1}
	p.OverbidPenalty = 0.5
	p.Discount = 0.9
	out["S=6,A=9,fulfillment-probs"] = p

	p = games.DefaultAuctionParams()
	p.States, p.Actions = 12, 4
	p.PlayersPerAuction = 4
	p.ConversionValues = []int{-2, 2, 6}
	p.ConversionProbs = []float64{0.25, 0.25, 0.5}
	p.FulfillmentValues = []int{3}
	p.OverbidPenalty = 0
	out["S=12,A=4,negative-conversion"] = p
	return out
}

// ---------------------------------------------------------------------------------------------
// WinPrices against brute force

// bruteWinPrices enumerates all A^n opponent bid vectors (each with probability Π α(b_i)) and
// settles the auction for bid a directly: win outright at price max(b) if a > max(b); at a tie
// a == max(b) with k opponents at the top, win with probability 1/(k+1) at price a; else lose.
// It does not use the order-statistics formula.
func bruteWinPrices(alpha []float64, a, n int) (q []float64, lose float64) {
	A := len(alpha)
	q = make([]float64, a+1)
	bids := make([]int, n)
	for {
		p := 1.0
		highest, k := -1, 0
		for _, b := range bids {
			p *= alpha[b]
			switch {
			case b > highest:
				highest, k = b, 1
			case b == highest:
				k++
			}
		}
		switch {
		case a > highest:
			q[highest] += p
		case a == highest:
			q[a] += p / float64(k+1)
			lose += p * float64(k) / float64(k+1)
		default:
			lose += p
		}
		// next vector in lexicographic order
		i := 0
		for ; i < n; i++ {
			bids[i]++
			if bids[i] < A {
				break
			}
			bids[i] = 0
		}
		if i == n {
			return q, lose
		}
	}
}

func TestWinPricesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for A := 1; A <= 5; A++ {
		for n := 1; n <= 4; n++ {
			for trial := 0; trial < 12; trial++ {
				alpha := make([]float64, A)
				switch trial % 4 {
				case 0: // uniform
					for i := range alpha {
						alpha[i] = 1
					}
				case 1: // random, all positive
					for i := range alpha {
						alpha[i] = rng.ExpFloat64()
					}
				case 2: // random with zeros
					for i := range alpha {
						if rng.IntN(2) == 0 {
							alpha[i] = rng.ExpFloat64()
						}
					}
					alpha[rng.IntN(A)] += 0.5
				case 3: // a point mass: ties at that bid are certain
					alpha[rng.IntN(A)] = 1
				}
				normalise(alpha)
				for a := 0; a < A; a++ {
					q, lose := games.WinPrices(alpha, a, n)
					wq, wlose := bruteWinPrices(alpha, a, n)
					if len(q) != a+1 {
						t.Fatalf("WinPrices(%v, a=%d, n=%d): %d prices, want %d", alpha, a, n, len(q), a+1)
					}
					// Both sides are sums of at most A^n = 625 products of probabilities: the
					// rounding is a few ulps of 1; 1e-12 leaves ample room and no room for a
					// wrong term (each term here is at least ~1e-4 when non-zero).
					total := lose
					for m := range q {
						if math.Abs(q[m]-wq[m]) > 1e-12 {
							t.Errorf("alpha=%v a=%d n=%d: P(win at price %d) = %.15g, brute force %.15g", alpha, a, n, m, q[m], wq[m])
						}
						if q[m] < 0 {
							t.Errorf("alpha=%v a=%d n=%d: negative probability q[%d] = %v", alpha, a, n, m, q[m])
						}
						total += q[m]
					}
					if math.Abs(lose-wlose) > 1e-12 {
						t.Errorf("alpha=%v a=%d n=%d: P(lose) = %.15g, brute force %.15g", alpha, a, n, lose, wlose)
					}
					if math.Abs(total-1) > 1e-12 {
						t.Errorf("alpha=%v a=%d n=%d: probabilities sum to %.15g", alpha, a, n, total)
					}
				}
			}
		}
	}
}

// ---------------------------------------------------------------------------------------------
// The closed-form MDP against brute-force enumeration of everything random in a round

// bruteAuctionMDP computes r(s,a,L) and P(·|s,a,L) by enumerating every opponent bid vector,
// every tie-break outcome, every conversion v and every top-up Δ, applying the rules of
// spec/auction.md literally. It shares no code with the game.
func bruteAuctionMDP(p games.AuctionParams, L mfg.Population) (reward []float64, trans [][]float64) {
	S, A, n := p.States, p.Actions, p.PlayersPerAuction-1
	alpha := L.ActionMarginal(nil)
	probs := func(vals []int, pr []float64) []float64 {
		if len(pr) > 0 {
			return pr
		}
		u := make([]float64, len(vals))
		for i := range u {
			u[i] = 1 / float64(len(vals))
		}
		return u
	}
	cp := probs(p.ConversionValues, p.ConversionProbs)
	fp := probs(p.FulfillmentValues, p.FulfillmentProbs)
	reward = make([]float64, S*A)
	trans = make([][]float64, S*A)
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			row := make([]float64, S)
			var r float64
			// outcome(w, won, price) adds an outcome of probability w.
			outcome := func(w float64, won bool, price int) {
				after := s
				if won {
					for i, v := range p.ConversionValues {
						rr := float64(v - price)
						if s < price {
							rr -= (1 + p.OverbidPenalty) * float64(price-s)
						}
						r += w * cp[i] * rr
					}
					if price <= s {
						after = s - price
					} else {
						after = 0
					}
				}
				for i, d := range p.FulfillmentValues {
					row[min(S-1, after+d)] += w * fp[i]
				}
			}
			bids := make([]int, n)
			for {
				w := 1.0
				highest, k := -1, 0
				for _, b := range bids {
					w *= alpha[b]
					if b > highest {
						highest, k = b, 1
					} else if b == highest {
						k++
					}
				}
				if w > 0 {
					switch {
					case a > highest:
						outcome(w, true, highest)
					case a == highest:
						outcome(w/float64(k+1), true, a)
						outcome(w*float64(k)/float64(k+1), false, 0)
					default:
						outcome(w, false, 0)
					}
				}
				i := 0
				for ; i < n; i++ {
					bids[i]++
					if bids[i] < A {
						break
					}
					bids[i] = 0
				}
				if i == n {
					break
				}
			}
			reward[s*A+a] = r
			trans[s*A+a] = row
		}
	}
	return reward, trans
}

func TestAuctionMDPBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	small := []games.AuctionParams{}
	for _, c := range []struct{ S, A, M int }{{4, 4, 2}, {4, 4, 3}, {3, 5, 4}, {5, 3, 3}, {4, 4, 5}} {
		p := games.DefaultAuctionParams()
		p.States, p.Actions, p.PlayersPerAuction = c.S, c.A, c.M
		small = append(small, p)
	}
	p := games.DefaultAuctionParams()
	p.States, p.Actions, p.PlayersPerAuction = 5, 4, 3
	p.ConversionValues, p.ConversionProbs = []int{2, 3, 10}, []float64{0.2, 0.7, 0.1}
	p.FulfillmentValues, p.FulfillmentProbs = []int{0, 2, 5}, []float64{0.5, 0.25, 0.25}
	p.OverbidPenalty = 0.7
	small = append(small, p)

	for _, p := range small {
		g := mustAuction(t, p)
		for _, kind := range populationKinds {
			L := randomPopulation(rng, p.States, p.Actions, kind)
			m, err := g.MDP(L)
			if err != nil {
				t.Fatalf("%+v, %s population: %v", p, kind, err)
			}
			wr, wp := bruteAuctionMDP(p, L)
			for s := 0; s < p.States; s++ {
				for a := 0; a < p.Actions; a++ {
					i := s*p.Actions + a
					// Sums of at most a few thousand products of probabilities times rewards
					// of size ~10: rounding is ~1e-14; 1e-11 is far below any modelling error.
					if math.Abs(m.Reward[i]-wr[i]) > 1e-11 {
						t.Errorf("S=%d A=%d M=%d %s: r(s=%d,a=%d) = %.15g, brute force %.15g", p.States, p.Actions, p.PlayersPerAuction, kind, s, a, m.Reward[i], wr[i])
					}
					row := denseRow(m, s, a)
					for sp := range row {
						if math.Abs(row[sp]-wp[i][sp]) > 1e-12 {
							t.Errorf("S=%d A=%d M=%d %s: P(%d|s=%d,a=%d) = %.15g, brute force %.15g", p.States, p.Actions, p.PlayersPerAuction, kind, sp, s, a, row[sp], wp[i][sp])
						}
					}
				}
			}
		}
	}
}

// ---------------------------------------------------------------------------------------------
// The sampler against the closed form, within Monte-Carlo error

// checkSampler draws n transitions of the sampler for every (s, a) and compares the empirical mean
// reward and next-state frequencies with the closed-form MDP.
//
// Tolerances: the reward mean must be within 5 standard errors (sample standard deviation /
// √n) plus 3·B/n, B a bound on |reward|: when winning is rare (probability ~1/n or less) the
// sample may hold no win at all and its standard deviation says nothing, and the 3·B/n covers
// up to three missing or extra rare outcomes of the largest possible size. Each next-state frequency must be
// within 5·√(p(1-p)/n) + 2/n of the closed-form p: 5 standard errors (two-sided normal tail
// 6e-7 per comparison, so a few thousand comparisons per population stay safe) plus two counts,
// because the normal approximation is poor when n·p is of order one. A successor the closed form
// gives probability exactly 0 must never be sampled.
func checkSampler(t *testing.T, name string, g *games.Auction, L mfg.Population, n int, rng *rand.Rand) {
	t.Helper()
	m, err := g.MDP(L)
	if err != nil {
		t.Fatalf("%s: MDP: %v", name, err)
	}
	sm, err := g.Sampler(L)
	if err != nil {
		t.Fatalf("%s: Sampler: %v", name, err)
	}
	S, A := g.States(), g.Actions()
	counts := make([]int, S)
	fails := 0
	p := g.Params()
	var bound float64 // |reward| <= max|v| + (A-1) + (1+ρ)(A-1)
	for _, v := range p.ConversionValues {
		bound = max(bound, math.Abs(float64(v)))
	}
	bound += float64(A-1) * (2 + p.OverbidPenalty)
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			clear(counts)
			var mean, m2 float64 // Welford
			for i := 1; i <= n; i++ {
				r, sp := sm.Sample(s, a, rng)
				if sp < 0 || sp >= S {
					t.Fatalf("%s: Sample(%d, %d) returned next state %d out of [0, %d)", name, s, a, sp, S)
				}
				counts[sp]++
				d := r - mean
				mean += d / float64(i)
				m2 += d * (r - mean)
			}
			se := math.Sqrt(m2 / float64(n-1) / float64(n))
			want := m.Reward[s*A+a]
			if math.Abs(mean-want) > 5*se+3*bound/float64(n) {
				t.Errorf("%s: (s=%d, a=%d): sampled mean reward %.6f, closed form %.6f (5 s.e. = %.2g)", name, s, a, mean, want, 5*se)
				fails++
			}
			row := denseRow(m, s, a)
			for sp, p := range row {
				phat := float64(counts[sp]) / float64(n)
				if p == 0 && counts[sp] > 0 {
					t.Errorf("%s: (s=%d, a=%d): next state %d sampled %d times but has probability 0", name, s, a, sp, counts[sp])
					fails++
					continue
				}
				tol := 5*math.Sqrt(p*(1-p)/float64(n)) + 2/float64(n)
				if math.Abs(phat-p) > tol {
					t.Errorf("%s: (s=%d, a=%d): P(%d) sampled %.5f, closed form %.5f (tolerance %.2g)", name, s, a, sp, phat, p, tol)
					fails++
				}
			}
			if fails > 10 {
				t.Fatalf("%s: too many mismatches", name)
			}
		}
	}
}

func samplesPerPair() int {
	if testing.Short() {
		return 4000
	}
	return 40000
}

func TestAuctionSamplerMatchesMDP(t *testing.T) {
	g := mustAuction(t, games.DefaultAuctionParams())
	rng := rand.New(rand.NewPCG(31, 32))
	n := samplesPerPair()
	for _, kind := range populationKinds {
		L := randomPopulation(rng, g.States(), g.Actions(), kind)
		checkSampler(t, "default/"+kind, g, L, n, rng)
	}
}

func TestAuctionSamplerMatchesMDPNonDefault(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	n := samplesPerPair()
	cases := nonDefaultParams()
	// Six bidders, so that many opponents tie, with skewed v and Δ (alias tables with aliases).
	six := games.DefaultAuctionParams()
	six.States, six.Actions, six.PlayersPerAuction = 7, 13, 6
	six.ConversionProbs = []float64{0.05, 0.1, 0.2, 0.3, 0.35}
	six.FulfillmentProbs = []float64{0.6, 0.3, 0.1}
	cases["M=6,skewed"] = six
	// 999 opponents: the tie terms C(n,c) x^c y^(n-c) span hundreds of orders of magnitude.
	many := games.DefaultAuctionParams()
	many.States, many.Actions, many.PlayersPerAuction = 4, 5, 1000
	cases["M=1000"] = many
	for _, name := range slices.Sorted(maps.Keys(cases)) { // in order: the draws are the seed's
		p := cases[name]
		g := mustAuction(t, p)
		for _, kind := range []string{"random", "few-bids", "point"} {
			L := randomPopulation(rng, p.States, p.Actions, kind)
			checkSampler(t, name+"/"+kind, g, L, n, rng)
		}
	}
}

// A bid of 0 against opponents who all bid 0 is a certain tie among M bidders: the representative
// wins with probability exactly 1/M at price 0 (a closed form that needs no enumeration).
func TestAuctionAllTieClosedForm(t *testing.T) {
	for _, M := range []int{2, 3, 5, 8} {
		p := games.DefaultAuctionParams()
		p.PlayersPerAuction = M
		g := mustAuction(t, p)
		L := mfg.NewPopulation(p.States, p.Actions)
		L.Mass[0] = 1 // every opponent bids 0
		m, err := g.MDP(L)
		if err != nil {
			t.Fatal(err)
		}
		mean := 6.0 // E[v] for v uniform on {4..8}
		for s := 0; s < p.States; s++ {
			if got, want := m.Reward[s*p.Actions], mean/float64(M); math.Abs(got-want) > 1e-12 {
				t.Errorf("M=%d s=%d: r(s, 0) = %v, want E[v]/M = %v", M, s, got, want)
			}
			// Any positive bid a wins for sure at price 0: reward E[v], budget unchanged.
			for a := 1; a < p.Actions; a++ {
				if got := m.Reward[s*p.Actions+a]; math.Abs(got-mean) > 1e-12 {
					t.Errorf("M=%d s=%d a=%d: r = %v, want %v", M, s, a, got, mean)
				}
			}
		}
	}
}

// A population is accepted when its mass is within 1e-9 of 1. The MDP must still be a proper
// one (rows summing to 1 up to rounding), and iterating Γ2 must not let the mass drift: a row
// sum of F^n > 1 at the top bid used to multiply the excess by about 1 + n·π(top) per step, so
// that after ~50 steps of the uniform policy the MDP was rejected.
func TestAuctionMassDoesNotDrift(t *testing.T) {
	g := mustAuction(t, games.DefaultAuctionParams())
	S, A := g.States(), g.Actions()
	for _, excess := range []float64{5e-10, -5e-10} {
		L := mfg.UniformPopulation(S, A)
		for i := range L.Mass {
			L.Mass[i] *= 1 + excess
		}
		if err := L.Validate(); err != nil {
			t.Fatalf("mass 1%+g: %v", excess, err)
		}
		m, err := g.MDP(L)
		if err != nil {
			t.Fatalf("mass 1%+g: %v", excess, err)
		}
		for s := 0; s < S; s++ {
			for a := 0; a < A; a++ {
				// A handful of terms of size <= 1: a few ulps.
				if d := sum(denseRow(m, s, a)) - 1; math.Abs(d) > 1e-14 {
					t.Errorf("mass 1%+g: P(·|%d,%d) sums to 1%+g", excess, s, a, d)
				}
			}
		}
	}
	L := g.InitialPopulation()
	pi := mfg.UniformPolicy(S, A)
	for it := 0; it < 300; it++ {
		m, err := g.MDP(L)
		if err != nil {
			t.Fatalf("Γ2 step %d: %v", it, err)
		}
		L = mfg.NextPopulation(m, L, pi)
		// Each step changes the mass by a few ulps at most: 300 steps stay far below 1e-12.
		if d := sum(L.Mass) - 1; math.Abs(d) > 1e-12 {
			t.Fatalf("after %d Γ2 steps the mass is 1%+g", it+1, d)
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Validation

func TestAuctionParamsValidation(t *testing.T) {
	type tc struct {
		name  string
		edit  func(p *games.AuctionParams)
		wants []string // substrings of the error: the parameter's name and its value
	}
	cases := []tc{
		{"zero states", func(p *games.AuctionParams) { p.States = 0 }, []string{"states", "0"}},
		{"negative states", func(p *games.AuctionParams) { p.States = -3 }, []string{"states", "-3"}},
		{"zero actions", func(p *games.AuctionParams) { p.Actions = 0 }, []string{"actions", "0"}},
		{"negative actions", func(p *games.AuctionParams) { p.Actions = -7 }, []string{"actions", "-7"}},
		{"one player", func(p *games.AuctionParams) { p.PlayersPerAuction = 1 }, []string{"players-per-auction", "1"}},
		{"zero players", func(p *games.AuctionParams) { p.PlayersPerAuction = 0 }, []string{"players-per-auction", "0"}},
		{"negative players", func(p *games.AuctionParams) { p.PlayersPerAuction = -4 }, []string{"players-per-auction", "-4"}},
		{"too many players", func(p *games.AuctionParams) { p.PlayersPerAuction = 1001 }, []string{"players-per-auction", "1001"}},
		{"discount 0", func(p *games.AuctionParams) { p.Discount = 0 }, []string{"discount", "0"}},
		{"discount 1", func(p *games.AuctionParams) { p.Discount = 1 }, []string{"discount", "1"}},
		{"discount negative", func(p *games.AuctionParams) { p.Discount = -0.5 }, []string{"discount", "-0.5"}},
		{"discount above 1", func(p *games.AuctionParams) { p.Discount = 1.5 }, []string{"discount", "1.5"}},
		{"discount NaN", func(p *games.AuctionParams) { p.Discount = math.NaN() }, []string{"discount", "NaN"}},
		{"discount Inf", func(p *games.AuctionParams) { p.Discount = math.Inf(1) }, []string{"discount", "Inf"}},
		{"negative penalty", func(p *games.AuctionParams) { p.OverbidPenalty = -0.25 }, []string{"overbid-penalty", "-0.25"}},
		{"NaN penalty", func(p *games.AuctionParams) { p.OverbidPenalty = math.NaN() }, []string{"overbid-penalty", "NaN"}},
		{"infinite penalty", func(p *games.AuctionParams) { p.OverbidPenalty = math.Inf(1) }, []string{"overbid-penalty", "+Inf"}},
		{"empty conversion values", func(p *games.AuctionParams) { p.ConversionValues = nil }, []string{"conversion-values", "empty"}},
		{"conversion probs length", func(p *games.AuctionParams) { p.ConversionProbs = []float64{0.5, 0.5} }, []string{"conversion-probs", "2"}},
		{"conversion probs sum", func(p *games.AuctionParams) { p.ConversionProbs = []float64{0.2, 0.2, 0.2, 0.2, 0.1} }, []string{"conversion-probs", "0.9"}},
		{"conversion probs negative", func(p *games.AuctionParams) { p.ConversionProbs = []float64{0.5, 0.5, 0.2, -0.2, 0} }, []string{"conversion-probs", "-0.2"}},
		{"empty fulfillment values", func(p *games.AuctionParams) { p.FulfillmentValues = []int{} }, []string{"fulfillment-values", "empty"}},
		{"negative fulfillment value", func(p *games.AuctionParams) { p.FulfillmentValues = []int{0, -1, 2} }, []string{"fulfillment-values", "-1"}},
		{"fulfillment probs sum", func(p *games.AuctionParams) { p.FulfillmentProbs = []float64{0.5, 0.3, 0.3} }, []string{"fulfillment-probs", "1.1"}},
		{"fulfillment probs length", func(p *games.AuctionParams) { p.FulfillmentProbs = []float64{1} }, []string{"fulfillment-probs", "1"}},
		{"fulfillment probs NaN", func(p *games.AuctionParams) { p.FulfillmentProbs = []float64{math.NaN(), 0.5, 0.5} }, []string{"fulfillment-probs", "NaN"}},
		{"fulfillment prob above 1", func(p *games.AuctionParams) { p.FulfillmentProbs = []float64{1.5, -0.5, 0} }, []string{"fulfillment-probs", "1.5"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := games.DefaultAuctionParams()
			c.edit(&p)
			err := p.Validate()
			if err == nil {
				t.Fatalf("Validate accepted %+v", p)
			}
			for _, w := range c.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if _, err2 := games.NewAuction(p); err2 == nil {
				t.Errorf("NewAuction accepted %+v", p)
			}
			// Through the registry too.
			gp, err := games.ParamMap(p)
			if err != nil {
				t.Fatal(err)
			}
			if _, err3 := games.New("auction", gp); err3 == nil {
				t.Errorf("games.New(auction) accepted %+v", p)
			}
		})
	}
	// The defaults and the non-default sets used above are valid.
	if err := games.DefaultAuctionParams().Validate(); err != nil {
		t.Errorf("defaults rejected: %v", err)
	}
	for name, p := range nonDefaultParams() {
		if err := p.Validate(); err != nil {
			t.Errorf("%s rejected: %v", name, err)
		}
	}
}

func TestAuctionRejectsMismatchedPopulation(t *testing.T) {
	g := mustAuction(t, games.DefaultAuctionParams())
	bad := []mfg.Population{
		mfg.UniformPopulation(9, 10),
		mfg.UniformPopulation(10, 11),
		{States: 10, Actions: 10, Mass: make([]float64, 100)}, // zero mass
	}
	for _, L := range bad {
		if _, err := g.MDP(L); err == nil {
			t.Errorf("MDP accepted a %d×%d population with mass %v", L.States, L.Actions, sum(L.Mass))
		}
		if _, err := g.Sampler(L); err == nil {
			t.Errorf("Sampler accepted a %d×%d population with mass %v", L.States, L.Actions, sum(L.Mass))
		}
	}
}

func sum(x []float64) float64 {
	var s float64
	for _, v := range x {
		s += v
	}
	return s
}

// ---------------------------------------------------------------------------------------------
// Benchmarks

func BenchmarkAuctionMDP(b *testing.B) {
	g := mustAuction(b, games.DefaultAuctionParams())
	L := randomPopulation(rand.New(rand.NewPCG(1, 2)), g.States(), g.Actions(), "random")
	for b.Loop() {
		if _, err := g.MDP(L); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAuctionSample(b *testing.B) {
	g := mustAuction(b, games.DefaultAuctionParams())
	L := randomPopulation(rand.New(rand.NewPCG(1, 2)), g.States(), g.Actions(), "random")
	sm, err := g.Sampler(L)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var sink float64
	i := 0
	for b.Loop() {
		r, _ := sm.Sample(i%10, (i/10)%10, rng)
		sink += r
		i++
	}
	_ = sink
}
