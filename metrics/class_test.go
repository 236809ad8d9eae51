package metrics_test

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/internal/stats"
	"meanfield/metrics"
	"meanfield/mfg"
	"meanfield/nplayer"
)

// tinyParams is the instance of the check: S = A = 3, v uniform on {1, 2, 3} (E[v] = 2),
// Δ uniform on {0, 1}, ρ = 0.2, γ = 0.8, M = 2.
func tinyParams() games.AuctionParams {
	return games.AuctionParams{
		States: 3, Actions: 3, PlayersPerAuction: 2,
		ConversionValues: []int{1, 2, 3}, FulfillmentValues: []int{0, 1},
		OverbidPenalty: 0.2, Discount: 0.8,
	}
}

// symmetricPure is the profile of n bidders who all bid bid[s] at budget s.
func symmetricPure(n int, bid []int) *nplayer.Profile {
	return nplayer.Symmetric(enumPure(len(bid), bid), n)
}

// The finding, reproduced. On tinyParams with N = 2, both bidders bidding 1, 1, 2 at
// budgets 0, 1, 2 (the bid depends on the budget), the literal C(π) of the talk, whose best
// response sees the joint state, is 0.1921, but the best response of own budget only, the
// estimator's default class, gains ten times less: C restricted to that class is 0.0192 (the
// issue's independent check found 0.192 and 0.019). The estimate with the default class is
// therefore far below the literal C(π): a lower bound, by 0.17 here. It lies between the exact
// C(π) of its own best responses played from every joint state and played where they gain
// (ExactDeviationC); with the richer class of 3 bins of
// the others' mean budget (for N = 2, the other's budget) the estimate reaches the literal C(π).
func TestEstimateBudgetDependentGap(t *testing.T) {
	g := enumGame(t, tinyParams(), 2)
	p := symmetricPure(2, []int{1, 1, 2})
	literal, err := metrics.ExactC(g, p, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	own, err := metrics.ExactClassC(g, p, 1, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(literal.Value-0.192) > 0.0005 || math.Abs(own.Value-0.019) > 0.0005 {
		t.Errorf("literal C = %.4f (issue: 0.192), own-budget class C = %.4f (issue: 0.019)", literal.Value, own.Value)
	}
	for _, bins := range []int{1, 3} {
		est, err := metrics.EstimateC(context.Background(), g, p, estimateOptionsBins(61, bins))
		if err != nil {
			t.Fatal(err)
		}
		dev, err := metrics.ExactDeviationC(g, p, est.BestResponses, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		if allow := 3*est.StdErr + 0.003; !(est.Unfloored >= dev.Unfloored-allow && est.Unfloored <= dev.Value+allow) {
			t.Errorf("bins %d: estimate %.4f ± %.4f, its best responses exactly %.4f from every state, %.4f where they gain", bins, est.Unfloored, est.StdErr, dev.Unfloored, dev.Value)
		}
		switch bins {
		case 1:
			if !(est.Unfloored+3*est.StdErr < literal.Value-0.1) {
				t.Errorf("own budget: estimate %.4f ± %.4f, want far below the literal %.4f", est.Unfloored, est.StdErr, literal.Value)
			}
		case 3:
			if !(math.Abs(dev.Value-literal.Value) <= 0.01*literal.Value) {
				t.Errorf("3 bins: the best responses' exact C %.4f, want the literal %.4f (N = 2: the bin is the other's budget)", dev.Value, literal.Value)
			}
		}
		t.Logf("%s: estimate %.4f ± %.4f, its best responses exactly %.4f to %.4f; class %.4f, literal %.4f", est.Class, est.Unfloored, est.StdErr, dev.Unfloored, dev.Value, own.Value, literal.Value)
	}
}

// estimateOptionsBins is estimateOptions with the best response's class of bins bins.
func estimateOptionsBins(seed uint64, bins int) metrics.Options {
	o := estimateOptions(seed)
	o.BudgetBins = bins
	return o
}

// classInstances are budget-dependent profiles on which ExactClassC is checked: every symmetric
// pure profile of tinyParams with N = 2 (27), and random state-dependent profiles (some sparse)
// on enumParams with N = 2 and N = 3.
func classInstances(t testing.TB) []exactInstance {
	var out []exactInstance
	g := enumGame(t, tinyParams(), 2)
	for x := range 27 {
		bid := []int{x % 3, x / 3 % 3, x / 9}
		out = append(out, exactInstance{"tiny " + itoa(bid[0]) + itoa(bid[1]) + itoa(bid[2]), g, symmetricPure(2, bid)})
	}
	rng := rand.New(rand.NewPCG(71, 72))
	for _, in := range exactInstances(t, rng) {
		if in.g.N == 2 || in.g.M == 2 {
			out = append(out, in)
		}
	}
	return out
}

// ExactClassC's best values lie between π's (its Best includes V(π)) and the literal best (its
// class is part of all policies): V(π) <= Best_B <= Best literal, state by state, and the class with 2 bins contains the class of own budget, so
// Best_1 <= Best_2. Where π's value is at least -ε0 the relative term increases with the best
// value, so the class's term is at most the literal one. With N = 2 and 3 bins the bin is the
// other's budget: the class is every deterministic Markov policy and ExactClassC equals ExactC
// (enumeration against value iteration). For profiles whose bids ignore the budget the
// own-budget class already attains the literal best (what the bidder faces does not depend on
// the joint state). All to 1e-9.
func TestExactClassCBetweenPolicyAndLiteral(t *testing.T) {
	for _, in := range classInstances(t) {
		literal, err := metrics.ExactC(in.g, in.p, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		var prev *metrics.ExactResult
		for _, bins := range []int{1, 2} {
			res, err := metrics.ExactClassC(in.g, in.p, bins, 0.1)
			if err != nil {
				t.Fatal(err)
			}
			for i := range in.g.N {
				for k, v := range literal.Policy[i] {
					b := res.Best[i][k]
					if b < v-1e-9 || b > literal.Best[i][k]+1e-9 || (prev != nil && b < prev.Best[i][k]-1e-9) {
						t.Fatalf("%s, %d bins: bidder %d at %v: V(π) %.9f, class best %.9f, literal best %.9f", in.name, bins, i, literal.Budgets(k, nil), v, b, literal.Best[i][k])
					}
					if v >= -0.1 && relTerm(b, v) > relTerm(literal.Best[i][k], v)+1e-9 {
						t.Errorf("%s, %d bins: bidder %d at %v: class term above the literal one", in.name, bins, i, literal.Budgets(k, nil))
					}
				}
			}
			prev = &res
		}
	}
	for _, c := range []struct {
		name  string
		p     *nplayer.Profile
		g     *nplayer.Game
		bins  int
		state bool
	}{
		{"N=2, 3 bins, bids 1,1,2", symmetricPure(2, []int{1, 1, 2}), enumGame(t, tinyParams(), 2), 3, true},
		{"N=2, 3 bins, random", randomProfile(2, 81, false), enumGame(t, enumParams(2), 2), 3, true},
		{"N=3, own budget, budget-free", randomProfile(3, 82, true), enumGame(t, enumParams(2), 3), 1, false},
	} {
		literal, err := metrics.ExactC(c.g, c.p, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		res, err := metrics.ExactClassC(c.g, c.p, c.bins, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(res.Value-literal.Value) > 1e-9 {
			t.Errorf("%s: class C %.12f, literal C %.12f, want equal", c.name, res.Value, literal.Value)
		}
		t.Logf("%s: class C = literal C = %.6f", c.name, literal.Value)
	}
}

// randomProfile draws a random profile of own budget (budget-free: every row the same).
func randomProfile(n int, seed uint64, stateFree bool) *nplayer.Profile {
	rng := rand.New(rand.NewPCG(seed, 1))
	pis := make([]mfg.Policy, n)
	for j := range pis {
		pis[j] = enumPolicy(rng, 3, 3, false, stateFree)
	}
	return enumProfile(pis...)
}

// relTerm is the term of C(π) with best value b and π's value v.
func relTerm(b, v float64) float64 { return (b - v) / (math.Abs(b) + 0.1) }

// ExactDeviationC of π itself is 0 with Best = Policy, and the value of any deterministic policy
// of the class with 2 bins is at most ExactClassC's best with 2 bins, state by state (1e-9).
func TestExactDeviationCBelowClassBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(91, 92))
	for _, in := range classInstances(t)[25:] {
		self, err := metrics.ExactDeviationC(in.g, in.p, in.p.Bidders, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(self.Value) > 1e-12 {
			t.Errorf("%s: C of π deviating to itself %.3g, want 0", in.name, self.Value)
		}
		class, err := metrics.ExactClassC(in.g, in.p, 2, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		for range 5 {
			devs := make([]nplayer.BidderPolicy, in.g.N)
			for i := range devs {
				devs[i] = nplayer.BidderPolicy{States: 3, Actions: 3, Contexts: 2, Prob: make([]float64, 18)}
				for r := range 6 {
					devs[i].Prob[r*3+rng.IntN(3)] = 1
				}
			}
			dev, err := metrics.ExactDeviationC(in.g, in.p, devs, 0.1)
			if err != nil {
				t.Fatal(err)
			}
			for i := range in.g.N {
				for k, x := range dev.Best[i] {
					if x > class.Best[i][k]+1e-9 {
						t.Fatalf("%s: bidder %d at %v: a class member's value %.9f above the class best %.9f", in.name, i, dev.Budgets(k, nil), x, class.Best[i][k])
					}
				}
			}
		}
	}
}

// On budget-dependent profiles the estimate lies between the exact C(π) of the best responses it
// learned played from every joint state and played where they gain (ExactDeviationC's Unfloored
// and Value, computed by enumeration: the estimator switches where half its rollouts say it
// gains), and below the exact C(π) of its class (ExactClassC) and the literal one (ExactC),
// within the allowance of
// TestEstimateMatchesExact, 3 StdErr + 0.003 + 2% of the exact value (the bias of the relative
// term in noisy values). Classes: own budget, and own budget + the others' mean budget in 2
// bins.
func TestEstimateAgainstClassAndLiteral(t *testing.T) {
	ctx := context.Background()
	ins := []exactInstance{{"tiny N=2, bids 1,1,2", enumGame(t, tinyParams(), 2), symmetricPure(2, []int{1, 1, 2})}}
	for k, n := range []int{2, 2, 3} {
		ins = append(ins, exactInstance{"N=" + itoa(n) + " random #" + itoa(k), enumGame(t, enumParams(2), n), randomProfile(n, uint64(100+k), false)})
	}
	for _, in := range ins {
		literal, err := metrics.ExactC(in.g, in.p, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		for _, bins := range []int{1, 2} {
			class, err := metrics.ExactClassC(in.g, in.p, bins, 0.1)
			if err != nil {
				t.Fatal(err)
			}
			est, err := metrics.EstimateC(ctx, in.g, in.p, estimateOptionsBins(uint64(110+bins), bins))
			if err != nil {
				t.Fatal(err)
			}
			dev, err := metrics.ExactDeviationC(in.g, in.p, est.BestResponses, 0.1)
			if err != nil {
				t.Fatal(err)
			}
			allow := func(x float64) float64 { return 3*est.StdErr + 0.003 + 0.02*math.Abs(x) }
			if !(est.Unfloored >= dev.Unfloored-allow(dev.Unfloored) && est.Unfloored <= dev.Value+allow(dev.Value)) {
				t.Errorf("%s, %s: estimate %.4f ± %.4f, its best responses exactly %.4f from every state, %.4f where they gain", in.name, est.Class, est.Unfloored, est.StdErr, dev.Unfloored, dev.Value)
			}
			if !(est.Unfloored <= class.Value+allow(class.Value)) || !(est.Unfloored <= literal.Value+allow(literal.Value)) {
				t.Errorf("%s, %s: estimate %.4f ± %.4f above the class C %.4f or the literal C %.4f", in.name, est.Class, est.Unfloored, est.StdErr, class.Value, literal.Value)
			}
			t.Logf("%s, %s: estimate %.4f ± %.4f; its best responses exactly %.4f to %.4f; class %.4f, literal %.4f", in.name, est.Class, est.Unfloored, est.StdErr, dev.Unfloored, dev.Value, class.Value, literal.Value)
		}
	}
}

// A profile that is an exact best response has C(π) = 0, and the estimate must say so without
// bias. On tinyParams with N = 2, bidder 1 always bids 2 and bidder 0 always bids 0: bidder 1
// wins every auction at price 0, the most it can earn, and bidder 0 can only lose or tie at
// price 2, whose expected payoff E[v] - 2 - (1+ρ)(2-s)^+ is at most 0 (0 at budget 2), so its
// best value is 0 = V(π) (ExactC: C = 0). Its learned best response bids 2 at budget 2 with
// probability 1/3 (a tie of exact values, argmax-e), which changes its rewards (v - 2 in
// {-1, 0, 1}) but not their mean: a gain of exactly 0 observed with noise, divided by
// |0| + ε0 = 0.1. Over 20 seeds at the default sizes (K = 64, R = 8) the mean of Unfloored must
// be within 3 standard errors of that mean of 0, the mean of Value (= max(0, Unfloored)) within
// 1 typical StdErr of 0 (the floor of a mean of 0 is biased by 0.4 of its standard error), and
// 0 must be within 3 StdErr of at least 18 of the 20 estimates. (Measured: Unfloored
// 0.0017 ± 0.0044, Value 0.0082, StdErr 0.020 on average, 0 covered 20 times; the former
// per-state floor max(ĝ, 0), on seeds 1 to 20, gave 0.108 on average, 6.5 times its StdErr of
// 0.0166, and its interval never covered 0.)
func TestEstimateUnbiasedAtBestResponse(t *testing.T) {
	g := enumGame(t, tinyParams(), 2)
	p := enumProfile(enumPure(3, []int{0, 0, 0}), enumPure(3, []int{2, 2, 2}))
	exact, err := metrics.ExactC(g, p, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(exact.Value) > 1e-12 {
		t.Fatalf("exact C = %.3g, want 0", exact.Value)
	}
	const runs = 20
	var unfloored, value, se []float64
	covered := 0
	for seed := range uint64(runs) {
		est, err := metrics.EstimateC(context.Background(), g, p, metrics.Options{Seed: 200 + seed})
		if err != nil {
			t.Fatal(err)
		}
		unfloored, value, se = append(unfloored, est.Unfloored), append(value, est.Value), append(se, est.StdErr)
		if math.Abs(est.Unfloored) <= 3*est.StdErr {
			covered++
		}
	}
	mu, sdMean := stats.MeanStdErr(unfloored)
	mv, _ := stats.MeanStdErr(value)
	ms, _ := stats.MeanStdErr(se)
	if !(math.Abs(mu) <= 3*sdMean) {
		t.Errorf("mean Unfloored %.4f ± %.4f over %d seeds, want 0", mu, sdMean, runs)
	}
	if !(mv <= ms) {
		t.Errorf("mean Value %.4f, want within the typical StdErr %.4f of 0", mv, ms)
	}
	if covered < runs-2 {
		t.Errorf("0 within 3 StdErr of %d of %d estimates, want at least %d", covered, runs, runs-2)
	}
	t.Logf("C = 0: mean Unfloored %.4f ± %.4f, mean Value %.4f, mean StdErr %.4f, 0 covered by %d/%d", mu, sdMean, mv, ms, covered, runs)
}

// How much of the literal C(π) each best-response class finds, on the 27 symmetric pure
// profiles of tinyParams with N = 2 at the estimator's default sizes (those of mfg compare): per
// profile, the fraction of the literal C(π) (ExactC) that the exact C(π) of the class
// (ExactClassC), the C(π) of the estimator's learned best responses evaluated exactly, played
// where they gain (ExactDeviationC's Value), and the estimate (Value) reach, averaged over the profiles, with the smallest.
// Checked: with own budget the learned best responses miss part of the literal C on average, and
// with 3 bins (for N = 2 the other's budget) they reach it within 2% on every profile. The table
// is logged (go test -v) and quoted in the README.
func TestBestResponseClassGap(t *testing.T) {
	if testing.Short() {
		t.Skip("81 estimates")
	}
	g := enumGame(t, tinyParams(), 2)
	const profiles = 27
	type ratios struct{ mean, min float64 }
	add := func(r *ratios, x float64) { r.mean += x / profiles; r.min = math.Min(r.min, x) }
	var class, learned, estimate [4]ratios
	for b := range 4 {
		class[b].min, learned[b].min, estimate[b].min = math.Inf(1), math.Inf(1), math.Inf(1)
	}
	for x := range profiles {
		p := symmetricPure(2, []int{x % 3, x / 3 % 3, x / 9})
		literal, err := metrics.ExactC(g, p, 0.1)
		if err != nil {
			t.Fatal(err)
		}
		for _, bins := range []int{1, 2, 3} {
			c, err := metrics.ExactClassC(g, p, bins, 0.1)
			if err != nil {
				t.Fatal(err)
			}
			est, err := metrics.EstimateC(context.Background(), g, p, metrics.Options{Seed: 300 + uint64(x), BudgetBins: bins})
			if err != nil {
				t.Fatal(err)
			}
			dev, err := metrics.ExactDeviationC(g, p, est.BestResponses, 0.1)
			if err != nil {
				t.Fatal(err)
			}
			add(&class[bins], c.Value/literal.Value)
			add(&learned[bins], dev.Value/literal.Value)
			add(&estimate[bins], est.Value/literal.Value)
		}
	}
	for bins := 1; bins <= 3; bins++ {
		t.Logf("%-45s fraction of the literal C(π), mean (min): class %.3f (%.3f), learned %.3f (%.3f), estimate %.3f (%.3f)", metrics.BestResponseClass(bins),
			class[bins].mean, class[bins].min, learned[bins].mean, learned[bins].min, estimate[bins].mean, estimate[bins].min)
	}
	if !(learned[1].mean < 0.95) {
		t.Errorf("own budget: learned best responses reach %.3f of the literal C on average, want a gap", learned[1].mean)
	}
	if !(learned[3].min >= 0.98) {
		t.Errorf("3 bins: learned best responses reach %.3f of the literal C at worst, want 0.98", learned[3].min)
	}
}

// Bad arguments are refused with the value named: more bins than the others' mean budgets, a
// class too large to enumerate, deviations of the wrong number or size.
func TestExactClassAndDeviationRejectBadInput(t *testing.T) {
	g := enumGame(t, tinyParams(), 2)
	p := symmetricPure(2, []int{1, 1, 2})
	for _, c := range []struct {
		bins int
		want string
	}{{7, "budget-bins = 7: more bins"}, {5, "budget-bins = 5: 2 bidders × 3^15 policies"}} {
		if _, err := metrics.ExactClassC(g, p, c.bins, 0.1); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("bins %d: error %v, want %q", c.bins, err, c.want)
		}
	}
	if _, err := metrics.ExactDeviationC(g, p, p.Bidders[:1], 0.1); err == nil || !strings.Contains(err.Error(), "1 deviations for players = 2") {
		t.Errorf("one deviation for two bidders: %v", err)
	}
	bad := []nplayer.BidderPolicy{p.Bidders[0], {States: 3, Actions: 3, Contexts: 2, Prob: make([]float64, 9)}}
	if _, err := metrics.ExactDeviationC(g, p, bad, 0.1); err == nil || !strings.Contains(err.Error(), "deviation of bidder 1 is 2 contexts") {
		t.Errorf("a deviation of the wrong size: %v", err)
	}
}
