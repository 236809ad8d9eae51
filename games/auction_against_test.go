package games_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// iidHighest returns the distribution of the highest of n i.i.d. opponent bids from α and its
// multiplicity: highest[m][c-1] = C(n,c) α_m^c F(m-1)^{n-c}, F the CDF of α.
func iidHighest(alpha []float64, n int) [][]float64 {
	out := make([][]float64, len(alpha))
	var below float64 // F(m-1)
	for m, am := range alpha {
		out[m] = make([]float64, n)
		binom := 1.0
		for c := 1; c <= n; c++ {
			binom = binom * float64(n-c+1) / float64(c)
			out[m][c-1] = binom * math.Pow(am, float64(c)) * math.Pow(below, float64(n-c))
		}
		below += am
	}
	return out
}

// MDPAgainst with the statistics of n i.i.d. opponents from α is the mean-field MDP at L: rewards
// and transitions agree to 1e-12 for many populations (including ones where ties at the top are
// likely or certain) on the default and the non-default parameter sets.
func TestMDPAgainstIIDEqualsMDP(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	sets := nonDefaultParams()
	sets["default"] = games.DefaultAuctionParams()
	names := make([]string, 0, len(sets))
	for name := range sets {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		p := sets[name]
		g := mustAuction(t, p)
		for _, kind := range populationKinds {
			for trial := 0; trial < 3; trial++ {
				L := randomPopulation(rng, p.States, p.Actions, kind)
				want, err := g.MDP(L)
				if err != nil {
					t.Fatal(err)
				}
				alpha := normalise(L.ActionMarginal(nil))
				got, err := g.MDPAgainst(iidHighest(alpha, p.PlayersPerAuction-1))
				if err != nil {
					t.Fatalf("%s, %s: %v", name, kind, err)
				}
				compareMDPs(t, name+", "+kind, got, want, 1e-12)
			}
		}
	}
}

func compareMDPs(t *testing.T, what string, got, want *mfg.MDP, tol float64) {
	t.Helper()
	for s := 0; s < want.States; s++ {
		for a := 0; a < want.Actions; a++ {
			i := s*want.Actions + a
			if d := math.Abs(got.Reward[i] - want.Reward[i]); d > tol {
				t.Errorf("%s: r(s=%d, a=%d) = %.15g, want %.15g", what, s, a, got.Reward[i], want.Reward[i])
			}
			g, w := denseRow(got, s, a), denseRow(want, s, a)
			for sp := range w {
				if d := math.Abs(g[sp] - w[sp]); d > tol {
					t.Errorf("%s: P(%d|s=%d, a=%d) = %.15g, want %.15g", what, sp, s, a, g[sp], w[sp])
				}
			}
		}
	}
}

// Against a field whose highest bid is always m, placed by exactly c opponents, bidding a > m
// wins at price m, a = m wins with probability 1/(c+1), a < m loses: rewards and transitions by
// hand.
func TestMDPAgainstPointField(t *testing.T) {
	p := games.DefaultAuctionParams()
	p.States, p.Actions, p.PlayersPerAuction = 6, 7, 4
	p.FulfillmentValues, p.FulfillmentProbs = []int{0, 2}, []float64{0.7, 0.3}
	g := mustAuction(t, p)
	ev := 6.0 // mean of 4..8
	n := p.PlayersPerAuction - 1
	for m := 0; m < p.Actions; m++ {
		for c := 1; c <= n; c++ {
			highest := make([][]float64, p.Actions)
			for b := range highest {
				highest[b] = make([]float64, n)
			}
			highest[m][c-1] = 1
			got, err := g.MDPAgainst(highest)
			if err != nil {
				t.Fatal(err)
			}
			for s := 0; s < p.States; s++ {
				for a := 0; a < p.Actions; a++ {
					var win float64
					switch {
					case a > m:
						win = 1
					case a == m:
						win = 1 / float64(c+1)
					}
					u := ev - float64(m) - (1+p.OverbidPenalty)*float64(max(m-s, 0))
					cleared := max(s-m, 0)
					next := make([]float64, p.States)
					for k, d := range p.FulfillmentValues {
						next[min(cleared+d, p.States-1)] += win * p.FulfillmentProbs[k]
						next[min(s+d, p.States-1)] += (1 - win) * p.FulfillmentProbs[k]
					}
					if r := got.Reward[s*p.Actions+a]; math.Abs(r-win*u) > 1e-12 {
						t.Errorf("m=%d, c=%d, s=%d, a=%d: r = %v, want %v", m, c, s, a, r, win*u)
					}
					row := denseRow(got, s, a)
					for sp := range next {
						if math.Abs(row[sp]-next[sp]) > 1e-12 {
							t.Errorf("m=%d, c=%d, s=%d, a=%d: P(%d) = %v, want %v", m, c, s, a, sp, row[sp], next[sp])
						}
					}
				}
			}
		}
	}
}

func TestMDPAgainstRejectsBadStatistics(t *testing.T) {
	p := games.DefaultAuctionParams()
	p.States, p.Actions, p.PlayersPerAuction = 3, 3, 3
	g := mustAuction(t, p)
	ok := func() [][]float64 { return [][]float64{{0.2, 0.1}, {0.3, 0}, {0.4, 0}} }
	for _, c := range []struct {
		name  string
		edit  func(h [][]float64) [][]float64
		wants string
	}{
		{"too few bids", func(h [][]float64) [][]float64 { return h[:2] }, "cover 2 bids"},
		{"short row", func(h [][]float64) [][]float64 { h[1] = h[1][:1]; return h }, "have 1 counts"},
		{"negative", func(h [][]float64) [][]float64 { h[0][1] = -0.1; h[0][0] = 0.4; return h }, "non-negative"},
		{"NaN", func(h [][]float64) [][]float64 { h[2][1] = math.NaN(); return h }, "non-negative"},
		{"sum", func(h [][]float64) [][]float64 { h[2][0] = 0.4 + 1e-7; return h }, "sum to"},
	} {
		if _, err := g.MDPAgainst(c.edit(ok())); err == nil || !strings.Contains(err.Error(), c.wants) {
			t.Errorf("%s: err = %v, want one mentioning %q", c.name, err, c.wants)
		}
	}
	if _, err := g.MDPAgainst(ok()); err != nil {
		t.Errorf("valid statistics: %v", err)
	}
}
