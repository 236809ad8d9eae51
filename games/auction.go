package games

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"strconv"

	"meanfield/alias"
	"meanfield/mfg"
)

// AuctionParams are the parameters of the repeated second-price auction with budgets. The YAML
// keys double as the command-line flag names.
type AuctionParams struct {
	// States is the number of budget levels S: budgets 0..S-1.
	States int `yaml:"states" range:"1 ≤ states ≤ 100000, with states × actions ≤ 1000000" help:"number of budget levels S: budgets 0..S-1"`
	// Actions is the number of bid levels A: bids 0..A-1.
	Actions int `yaml:"actions" range:"1 ≤ actions ≤ 100000, with states × actions ≤ 1000000" help:"number of bid levels A: bids 0..A-1"`
	// PlayersPerAuction is M: the representative bidder meets M-1 opponents each round.
	PlayersPerAuction int `yaml:"players-per-auction" range:"2 ≤ players-per-auction ≤ 1000" help:"bidders per auction M (2..1000): the bidder and M-1 opponents"`
	// Conversion is the distribution of the conversion v seen by the winner.
	ConversionValues []int     `yaml:"conversion-values" range:"a non-empty list of whole numbers ≥ -2147483648" help:"values of the conversion v seen by the winner"`
	ConversionProbs  []float64 `yaml:"conversion-probs" range:"empty (uniform), or one probability per value of conversion-values, summing to 1" help:"probabilities of conversion-values (empty: uniform)"`
	// OverbidPenalty is ρ: a winner whose price exceeds its budget pays (1+ρ) per unit of excess.
	OverbidPenalty float64 `yaml:"overbid-penalty" range:"0 ≤ overbid-penalty ≤ 1e6" help:"overbid penalty ρ ≥ 0: a winner pays (1+ρ) per unit of price above its budget"`
	// Fulfillment is the distribution of the budget top-up Δ added after every round.
	FulfillmentValues []int     `yaml:"fulfillment-values" range:"a non-empty list of whole numbers ≥ 0" help:"values (≥ 0) of the budget top-up Δ added after every round"`
	FulfillmentProbs  []float64 `yaml:"fulfillment-probs" range:"empty (uniform), or one probability per value of fulfillment-values, summing to 1" help:"probabilities of fulfillment-values (empty: uniform)"`
	// Discount is γ.
	Discount float64 `yaml:"discount" range:"0 < discount < 1" help:"discount factor γ in (0, 1)"`
}

// DefaultAuctionParams returns the defaults of the project's specification: S = A = 10, M = 5,
// v uniform on {4,...,8}, ρ = 0.2, Δ uniform on {0, 1, 2}, γ = 0.8.
func DefaultAuctionParams() AuctionParams {
	return AuctionParams{
		States: 10, Actions: 10, PlayersPerAuction: 5,
		ConversionValues:  []int{4, 5, 6, 7, 8},
		OverbidPenalty:    0.2,
		FulfillmentValues: []int{0, 1, 2},
		Discount:          0.8,
	}
}

func (p AuctionParams) conversion() Discrete {
	return Discrete{Values: p.ConversionValues, Probs: p.ConversionProbs}
}

func (p AuctionParams) fulfillment() Discrete {
	return Discrete{Values: p.FulfillmentValues, Probs: p.FulfillmentProbs}
}

// GameSize is S × A pairs, each row reaching at most A + |fulfillment| budgets; the closed-form
// MDP also tabulates the win probabilities of every bid at every price, A (A+1) / 2 numbers, and
// the sampler the outcomes of a round, at most 2 A |Δ| |v| (about 128 bytes each while it is built).
func (p AuctionParams) GameSize() Size {
	S, A := float64(p.States), float64(p.Actions)
	rounds := 2 * A * float64(len(p.FulfillmentValues)) * float64(len(p.ConversionValues))
	return Size{States: S, Actions: A, Times: 1, Successors: min(S, A+float64(len(p.FulfillmentValues))),
		Extra: 8*(A*(A+1)/2+2*A+S) + 128*rounds, Params: []string{"states", "actions"}}
}

// Validate names the first parameter that is out of range.
func (p AuctionParams) Validate() error {
	switch {
	case p.States < 1:
		return fmt.Errorf("states = %d: must be at least 1", p.States)
	case p.Actions < 1:
		return fmt.Errorf("actions = %d: must be at least 1", p.Actions)
	case p.PlayersPerAuction < 2:
		return fmt.Errorf("players-per-auction = %d: must be at least 2 (the bidder and one opponent)", p.PlayersPerAuction)
	case p.PlayersPerAuction > 1000:
		return fmt.Errorf("players-per-auction = %d: must be at most 1000", p.PlayersPerAuction)
	case !(p.OverbidPenalty >= 0 && p.OverbidPenalty <= 1e6):
		return fmt.Errorf("overbid-penalty = %v: must be in [0, 1e6]", p.OverbidPenalty)
	case p.States > 100_000:
		return fmt.Errorf("states = %d: at most 100000", p.States)
	case p.Actions > 100_000:
		return fmt.Errorf("actions = %d: at most 100000", p.Actions)
	case p.States*p.Actions > 1_000_000:
		return fmt.Errorf("states × actions = %d × %d: at most 1000000 pairs", p.States, p.Actions)
	}
	if err := validateDiscount(p.Discount); err != nil {
		return err
	}
	if err := p.conversion().validate("conversion", -1<<31); err != nil {
		return err
	}
	return p.fulfillment().validate("fulfillment", 0)
}

func validateDiscount(g float64) error {
	if !(g > 0 && g < 1) {
		return fmt.Errorf("discount = %v: must be in (0, 1)", g)
	}
	return nil
}

// Auction is the repeated second-price auction with budgets as a mean-field game.
//
// State s in {0..S-1} is the remaining budget, action a in {0..A-1} the bid. Each round the bidder
// meets M-1 opponents whose bids are i.i.d. from α, the action marginal of L. The highest bid wins
// (ties broken uniformly among the tied bidders) at the price a^M, the second-highest of the M
// bids. The winner sees the conversion v and earns
//
//	r = (v - a^M) - (1+ρ) 1{s < a^M} (a^M - s);
//
// its budget becomes s - a^M, or 0 if a^M > s; a loser keeps s. Then the budget is topped up,
// ŝ = min(S-1, s' + Δ).
//
// With n = M-1 and F the CDF of α, the bidder wins at price m < a with probability
// F(m)^n - F(m-1)^n, and at a tie (price a) with probability
// Σ_{k=1..n} C(n,k) α_a^k F(a-1)^{n-k} / (k+1); MDP uses these closed forms, and Sampler draws
// from the law of the highest opponent bid and its ties that they come from.
type Auction struct {
	params         AuctionParams
	meanConversion float64
	fulfillProbs   []float64
	conversion     *alias.Table
	fulfillment    *alias.Table
}

// NewAuction validates p and returns the game.
func NewAuction(p AuctionParams) (*Auction, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	g := &Auction{params: p, meanConversion: p.conversion().Mean(), fulfillProbs: p.fulfillment().probabilities()}
	var err error
	if g.conversion, err = alias.New(p.conversion().probabilities()); err != nil {
		return nil, fmt.Errorf("conversion-probs: %w", err)
	}
	if g.fulfillment, err = alias.New(g.fulfillProbs); err != nil {
		return nil, fmt.Errorf("fulfillment-probs: %w", err)
	}
	return g, nil
}

// Params returns the game's parameters.
func (g *Auction) Params() AuctionParams { return g.params }

func (g *Auction) Name() string      { return "auction" }
func (g *Auction) States() int       { return g.params.States }
func (g *Auction) Actions() int      { return g.params.Actions }
func (g *Auction) Discount() float64 { return g.params.Discount }

// StateLabel is "budget s", the remaining budget.
func (g *Auction) StateLabel(s int) string { return "budget " + strconv.Itoa(s) }

// ActionLabel is "bid a".
func (g *Auction) ActionLabel(a int) string { return "bid " + strconv.Itoa(a) }

// InitialPopulation is uniform on S×A.
func (g *Auction) InitialPopulation() mfg.Population {
	return mfg.UniformPopulation(g.params.States, g.params.Actions)
}

func (g *Auction) checkPopulation(L mfg.Population) error {
	if L.States != g.params.States || L.Actions != g.params.Actions {
		return fmt.Errorf("auction: population is %d×%d, want states×actions = %d×%d", L.States, L.Actions, g.params.States, g.params.Actions)
	}
	return L.Validate()
}

// WinPrices returns, for the bid a against n = M-1 opponents drawn i.i.d. from alpha, the
// probability of winning at each price: q[m] for m = 0..a (q[a] is the probability of winning a
// tie, when the price equals the bid), and the probability of losing.
func WinPrices(alpha []float64, a, opponents int) (q []float64, lose float64) {
	q = make([]float64, a+1)
	var below float64 // F(m-1)
	powBelow := 0.0   // F(m-1)^n, with F(-1)^n = 0
	for m := 0; m < a; m++ {
		F := below + alpha[m]
		powF := pow(F, opponents)
		q[m] = powF - powBelow
		below, powBelow = F, powF
	}
	// Ties at a: k of the n opponents bid a, the rest bid below.
	tieWin, tieLose := tieOdds(alpha[a], below, opponents, make([]float64, opponents+1))
	q[a] = tieWin
	// Losing outright: some opponent bids above a.
	lose = 1 - pow(below+alpha[a], opponents)
	if lose < 0 { // F(a) may round above 1
		lose = 0
	}
	return q, lose + tieLose
}

func pow(x float64, n int) float64 {
	r := 1.0
	for ; n > 0; n-- {
		r *= x
	}
	return r
}

// MDP returns the closed-form expected reward and transitions at L.
func (g *Auction) MDP(L mfg.Population) (*mfg.MDP, error) {
	prices, lose, err := g.outcomes(L)
	if err != nil {
		return nil, err
	}
	p := g.params
	S, A := p.States, p.Actions
	b := mfg.NewMDPBuilder(S, A, p.Discount)
	b.Grow(g.successorBound())
	next := make([]float64, S)
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			clear(next)
			b.MDP.Reward[s*A+a] = g.row(next, s, prices[a], lose[a])
			for sp, w := range next {
				if w != 0 {
					b.Add(sp, w)
				}
			}
			b.EndRow()
		}
	}
	return b.Build()
}

// successorBound bounds the number of successor entries of MDP's rows, to reserve their room at
// once (Go zeroes what it allocates, so room reserved and unused costs as much as room used). From
// budget s with bid a, the budget after clearing is s - m for a price m <= min(a, s), or 0 after
// an overbid, and then rises by a top-up Δ <= max Δ: at most min(a, s) + 1 + max Δ successors in
// one run, and max Δ + 1 more from 0, capped at S. That is about |S||A|²/3 entries in all, where
// |S||A|·min(|S|, |A| + |Δ|) reserved three times too much at |S| = |A| = 100.
func (g *Auction) successorBound() int {
	p := g.params
	maxDelta := 0
	for _, d := range p.FulfillmentValues {
		maxDelta = max(maxDelta, d)
	}
	n := 0
	for s := 0; s < p.States; s++ {
		for a := 0; a < p.Actions; a++ {
			n += min(p.States, min(a, s)+2*maxDelta+2)
		}
	}
	return n
}

// StepPopulation is Γ2(π, L) without the MDP (mfg.PopulationStepper). For each budget s it sums
// the mass w(s, a) = μ(s)π(a|s) by outcome first, lost rounds (the budget stays s) and rounds won
// at each price m (the budget falls to s - m, or to 0 after an overbid), and spreads each total
// over the top-ups Δ once:
//
//	μ'(s') = Σ_s [Σ_a w(s,a) lose_a] D(s, s') + Σ_m [Σ_a w(s,a) q_a(m)] D(clear(s, m), s'),
//
// D(x, ·) the law of min(x + Δ, S-1). That is MDP's P summed in another order (equal to rounding,
// 1e-15 relative), at O(|S|·|A|²/2) multiply-adds per step instead of a dense row per pair.
func (g *Auction) StepPopulation(L mfg.Population, pi mfg.Policy) (mfg.Population, error) {
	prices, lose, err := g.outcomes(L)
	if err != nil {
		return mfg.Population{}, err
	}
	if pi.States != L.States || pi.Actions != L.Actions {
		return mfg.Population{}, fmt.Errorf("auction: policy is %d×%d, population %d×%d", pi.States, pi.Actions, L.States, L.Actions)
	}
	mu := L.StateMarginal(nil)
	next := make([]float64, g.params.States)
	won := make([]float64, g.params.Actions) // won[m]: mass of rounds won at price m
	for s, ms := range mu {
		if ms == 0 {
			continue
		}
		clear(won)
		var lost float64
		for a, pa := range pi.Row(s) {
			w := ms * pa
			if w == 0 {
				continue
			}
			lost += w * lose[a]
			for m, q := range prices[a] {
				won[m] += w * q
			}
		}
		g.spread(next, s, lost)
		var overbid float64
		for m, x := range won {
			switch {
			case x == 0:
			case m > s:
				overbid += x
			default:
				g.spread(next, s-m, x)
			}
		}
		g.spread(next, 0, overbid)
	}
	return mfg.PopulationFromStates(next, pi), nil
}

// outcomes returns, for each bid a at L, the probabilities prices[a][m] of winning at price m and
// lose[a] of losing, against M-1 opponents drawn from L's action marginal α.
func (g *Auction) outcomes(L mfg.Population) (prices [][]float64, lose []float64, err error) {
	if err := g.checkPopulation(L); err != nil {
		return nil, nil, err
	}
	alpha := L.ActionMarginal(nil)
	// L sums to 1 only within Validate's tolerance. Normalise α: with Σα > 1 the CDF exceeds 1,
	// the clamped P(lose) makes rows sum to F^n > 1, and iterating Γ2 multiplies the excess mass.
	var total float64
	for _, x := range alpha {
		total += x
	}
	for a := range alpha {
		alpha[a] /= total
	}
	A := g.params.Actions
	prices, lose = make([][]float64, A), make([]float64, A)
	for a := range prices {
		prices[a], lose[a] = WinPrices(alpha, a, g.params.PlayersPerAuction-1)
	}
	return prices, lose, nil
}

// row writes the transitions P(·|s, a) of the bid a with outcomes prices (win at each price) and
// lose into next (zero on entry) and returns the expected reward r(s, a).
func (g *Auction) row(next []float64, s int, prices []float64, lose float64) float64 {
	var r float64
	g.spread(next, s, lose)
	for price, q := range prices {
		if q == 0 {
			continue
		}
		r += q * (g.meanConversion - float64(price))
		cleared := s - price
		if price > s {
			r -= q * (1 + g.params.OverbidPenalty) * float64(price-s)
			cleared = 0
		}
		g.spread(next, cleared, q)
	}
	return r
}

// spread adds mass w at budget s' after clearing, distributed over the top-ups Δ.
func (g *Auction) spread(next []float64, cleared int, w float64) {
	top := g.params.States - 1
	for i, pd := range g.fulfillProbs {
		sp := min(cleared+g.params.FulfillmentValues[i], top)
		next[sp] += w * pd
	}
}

// Sampler returns a simulator of one round at L. It is safe for concurrent use.
//
// A round reaches the bidder only through the highest opponent bid m (the price if the bidder
// wins), whether a bid of m would win the tie, the top-up Δ and the conversion v. With n = M-1,
// x = α_m and y = F(m-1), c opponents bid m and the others less with probability
// C(n,c) x^c y^{n-c}, and a bidder tied with them wins with probability 1/(c+1); summing over c,
//
//	P(m, tie won)  = Σ_{c=1..n} C(n,c) x^c y^{n-c} / (c+1),
//	P(m, tie lost) = Σ_{c=1..n} C(n,c) x^c y^{n-c} c / (c+1),
//
// and Δ and v are independent of m, of the ties and of each other. Sampler tabulates these
// outcomes (m, tie, Δ, v) once, at most 2|A||Δ||v| of them (those of probability zero left
// out), in one alias table: a round draws one number, and the bid a wins when a > m, or a = m
// with the tie won. Drawing the M-1 bids one by one took M+1 numbers or more. The terms are
// products, as in WinPrices; the table normalises them by their total, (Σα)^n.
func (g *Auction) Sampler(L mfg.Population) (mfg.Sampler, error) {
	if err := g.checkPopulation(L); err != nil {
		return nil, err
	}
	p := &g.params
	n := p.PlayersPerAuction - 1
	sm := &auctionSampler{top: p.States - 1, penalty: 1 + p.OverbidPenalty}
	var weights []float64
	var rounds []round
	powers := make([]float64, n+1)
	conversion := p.conversion().probabilities()
	var below float64 // F(m-1)
	for m, x := range L.ActionMarginal(nil) {
		if x > 0 {
			win, lose := tieOdds(x, below, n, powers)
			for i, pd := range g.fulfillProbs {
				// Δ beyond S-1 tops up to S-1 as well; capping it here keeps next+Δ in range.
				topUp := int32(min(p.FulfillmentValues[i], sm.top))
				for j, pv := range conversion {
					o := round{gain: float64(p.ConversionValues[j] - m), price: int32(m), winFrom: int32(m), topUp: topUp}
					for _, w := range [2]float64{win * pd * pv, lose * pd * pv} {
						if w > 0 {
							weights, rounds = append(weights, w), append(rounds, o)
						}
						o.winFrom++ // the tie lost: only bids above m win
					}
				}
			}
		}
		below += x
	}
	var err error
	if sm.rounds, err = alias.NewOutcomes(weights, rounds); err != nil {
		return nil, fmt.Errorf("auction: round outcomes: %w", err)
	}
	return sm, nil
}

// tieOdds returns the probabilities that the highest of n opponent bids is a given bid b, with
// P(bid = b) = x and P(bid < b) = y, and that a bidder bidding b wins (win) or loses (lose) the
// tie: Σ_{c=1..n} C(n,c) x^c y^{n-c} / (c+1) and the same with c/(c+1). powers, of length n+1,
// is scratch for y^0..y^n.
func tieOdds(x, y float64, n int, powers []float64) (win, lose float64) {
	powers[0] = 1
	for k := 1; k <= n; k++ {
		powers[k] = powers[k-1] * y
	}
	binom, xk := 1.0, 1.0
	for k := 1; k <= n; k++ {
		binom = binom * float64(n-k+1) / float64(k)
		xk *= x
		pk := binom * xk * powers[n-k]
		win += pk / float64(k+1)
		lose += pk * float64(k) / float64(k+1)
	}
	return win, lose
}

// auctionSampler draws a round's outcome from one alias table. It is read-only after Sampler.
type auctionSampler struct {
	rounds  *alias.Outcomes[round]
	top     int     // S-1
	penalty float64 // 1+ρ
}

// round is one outcome of a round: the winner's gain v - m before any penalty, the price m (the
// highest opponent bid), the lowest bid that wins (m, or m+1 when the tie is lost) and the
// top-up Δ, capped at S-1.
type round struct {
	gain                  float64
	price, winFrom, topUp int32
}

// Sample draws a round and settles it as win does, without a branch: whether a bid wins is a coin
// toss that a branch predictor would lose about as often as it costs to compute both outcomes.
func (sm *auctionSampler) Sample(s, a int, rng *rand.Rand) (reward float64, next int) {
	o := sm.rounds.Pick(rng.Uint64())
	over := max(int(o.price)-s, 0) // the price above the budget
	gain := o.gain - sm.penalty*float64(over)
	cleared := s - int(o.price) + over
	_, lost := bits.Sub64(uint64(a), uint64(o.winFrom), 0) // 1 iff a < winFrom
	won := lost - 1                                        // all ones iff the bid wins, else 0
	reward = math.Float64frombits(math.Float64bits(gain) & won)
	next = int(uint64(cleared)&won | uint64(s)&^won)
	return reward, min(next+int(o.topUp), sm.top)
}

// win is the reward and budget after clearing of a winner with budget s paying price with
// conversion v.
func (g *Auction) win(s, price, v int) (reward float64, next int) {
	reward = float64(v - price)
	if price > s {
		return reward - (1+g.params.OverbidPenalty)*float64(price-s), 0
	}
	return reward, s - price
}

// MDPAgainst returns the single-bidder MDP when, every round, the highest opponent bid is m and
// exactly c opponents place it with probability highest[m][c-1] (c = 1..M-1), independently of
// the past: the bidder's problem against any stationary field of opponents, described by what it
// faces. The mean-field MDP is the case highest[m][c-1] = C(n,c) α_m^c F(m-1)^{n-c}.
func (g *Auction) MDPAgainst(highest [][]float64) (*mfg.MDP, error) {
	p := g.params
	S, A, n := p.States, p.Actions, p.PlayersPerAuction-1
	if len(highest) != A {
		return nil, fmt.Errorf("auction: opponent statistics cover %d bids, want actions = %d", len(highest), A)
	}
	var total float64
	for m, row := range highest {
		if len(row) != n {
			return nil, fmt.Errorf("auction: opponent statistics for bid %d have %d counts, want players-per-auction-1 = %d", m, len(row), n)
		}
		for c, q := range row {
			if !(q >= 0) {
				return nil, fmt.Errorf("auction: P(highest = %d, count = %d) = %v: must be non-negative", m, c+1, q)
			}
			total += q
		}
	}
	if math.Abs(total-1) > 1e-9 {
		return nil, fmt.Errorf("auction: opponent statistics sum to %.12g, want 1", total)
	}
	b := mfg.NewMDPBuilder(S, A, p.Discount)
	next := make([]float64, S)
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			clear(next)
			var r, lose float64
			for m, row := range highest {
				for ci, q := range row {
					if q == 0 {
						continue
					}
					win := 0.0
					switch {
					case a > m:
						win = q
					case a == m:
						win = q / float64(ci+2)
					}
					lose += q - win
					if win == 0 {
						continue
					}
					reward, cleared := g.win(s, m, 0)
					r += win * (reward + g.meanConversion)
					g.spread(next, cleared, win)
				}
			}
			g.spread(next, s, lose)
			b.MDP.Reward[s*A+a] = r / total
			for sp, w := range next {
				if w != 0 {
					b.Add(sp, w/total)
				}
			}
			b.EndRow()
		}
	}
	return b.Build()
}

// Draws are the random quantities of one auction from one bidder's point of view, drawn once so
// that several bids can be settled against the same randomness (common random numbers).
type Draws struct {
	// TieU is uniform in [0,1): at a tie with c opponents the bidder wins iff floor(TieU*(c+1)) = 0.
	TieU float64
	// Conversion and TopUp are the values of v and Δ.
	Conversion, TopUp int
}

// Draw samples the conversion, the top-up and the tie-breaking uniform.
func (g *Auction) Draw(rng *rand.Rand) Draws {
	return Draws{
		TieU:       rng.Float64(),
		Conversion: g.params.ConversionValues[g.conversion.Draw(rng)],
		TopUp:      g.params.FulfillmentValues[g.fulfillment.Draw(rng)],
	}
}

// Settle clears one auction with the randomness given: the reward and next budget of a bidder with
// budget s and bid a against a highest opponent bid placed by atHighest opponents (ties broken
// uniformly by d.TieU), after the conversion d.Conversion and the top-up d.TopUp.
func (g *Auction) Settle(s, a, highest, atHighest int, d Draws) (reward float64, next int) {
	next = s
	if a > highest || (a == highest && int(d.TieU*float64(atHighest+1)) == 0) {
		reward, next = g.win(s, highest, d.Conversion)
	}
	return reward, min(next+d.TopUp, g.params.States-1)
}

func init() {
	Register("auction", "repeated second-price ad auction with budgets (states = budgets, actions = bids)",
		"Guo, Hu, Xu, Zhang, Learning Mean-Field Games, NeurIPS 2019", DefaultAuctionParams, NewAuction)
}
