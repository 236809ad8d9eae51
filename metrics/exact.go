package metrics

import (
	"fmt"
	"math"

	"meanfield/mfg"
	"meanfield/nplayer"
	"meanfield/rl"
)

// Limits of ExactC: the joint states S^N and the joint bids A^N must each be at most
// exactMaxJoint, the enumeration (joint states × joint bids × successors of one joint state) at
// most exactMaxWork steps, and the stored transitions (N bidders × joint states × bids ×
// successors) at most exactMaxEntries.
const (
	exactMaxJoint   = 20000
	exactMaxWork    = 5e8
	exactMaxEntries = 2e7
	// exactDefaultEpsilon0 is ε0 of the specification, used when ExactC is given 0.
	exactDefaultEpsilon0 = 0.1
)

// ExactResult is C(π) computed by enumerating the joint states of a small N-player game, with the
// values it is made of.
//
// Joint states are indexed k = Σ_j s_j S^(N-1-j) (bidder 0 most significant); Index and Budgets
// convert.
type ExactResult struct {
	// Value is C(π) = 1/(N S^N) Σ_i Σ_s [Best_i(s) - V_i(s,π)] / (|Best_i(s)| + ε0), each term
	// with max(Best_i(s), V_i(s,π)) for Best_i(s). Unfloored is the same with Best_i(s) itself,
	// which differs only for ExactDeviationC (elsewhere Best >= V but for rounding).
	Value, Unfloored float64
	// PerBidder[i] is bidder i's share before averaging over bidders:
	// 1/S^N Σ_s [Best_i(s) - V_i(s,π)] / (|Best_i(s)| + ε0), so Value is their mean.
	PerBidder []float64
	// Policy[i][k] is V_i(s, π) at the joint state with index k.
	Policy [][]float64
	// Best[i][k] is max over all Markov policies of the joint state of V_i(s, (π^{-i}, π^i)),
	// the others' policies fixed, by value iteration to float64 convergence. It can fall below
	// Policy[i][k] by rounding only; the terms of Value use max(Best, Policy).
	Best [][]float64
	// N, States and Epsilon0 are the number of bidders, the budget levels S and the ε0 used.
	N, States int
	Epsilon0  float64
}

// Index returns the index of the joint state with the given budgets.
func (r ExactResult) Index(budgets []int) int {
	k := 0
	for _, s := range budgets {
		k = k*r.States + s
	}
	return k
}

// Budgets writes the budgets of the joint state with index k into dst (length N) and returns it;
// a nil dst is allocated.
func (r ExactResult) Budgets(k int, dst []int) []int {
	if len(dst) != r.N {
		dst = make([]int, r.N)
	}
	for j := r.N - 1; j >= 0; j-- {
		dst[j] = k % r.States
		k /= r.States
	}
	return dst
}

// ExactC computes the metric C(π) of the specification exactly, by enumerating joint states and
// joint bids, for a stationary profile p (each bidder's bid depends on its own budget only) of an
// instance small enough to enumerate (for example N = 2 or 3, S = A = 3).
//
// The N-player game is the one nplayer.World simulates: from the joint state s every bidder j bids
// a_j ~ π_j(·|s_j) independently; then each bidder j, independently, meets M-1 of the other N-1
// bidders drawn uniformly without replacement, wins against the highest of their bids m (placed
// by c of them) if a_j > m, or if a_j = m with probability 1/(c+1), and then pays m and earns
// E[v] - m - (1+ρ)(m - s_j)^+ in expectation, its budget becoming s_j - m, or 0 if m > s_j; a
// loser earns 0 and keeps s_j. Every budget is then topped up independently, min(S-1, s'_j + Δ_j).
// Given the joint bid the bidders' outcomes are independent.
//
// For every bidder i, V_i(·, π) solves the linear system of the joint-state chain under π, and
// the best value max_{π^i} V_i(·, (π^{-i}, π^i)) is the optimal value of bidder i's MDP on the
// joint state (actions: its bid; others fixed), found by value iteration. Epsilon0 is ε0 of the
// specification; 0 means 0.1.
//
// It returns an error for a profile that is not stationary, and for an instance too large to
// enumerate: more than 20000 joint states S^N or joint bids A^N, more than 5·10^8 enumeration
// steps (S^N joint states × A^N joint bids × successors of a joint state; N = 6, S = A = 3 is
// about 4·10^8 and takes a few seconds), or more than 2·10^7 stored transitions.
func ExactC(g *nplayer.Game, p *nplayer.Profile, epsilon0 float64) (ExactResult, error) {
	e, mdps, res, err := exactSetup(g, p, epsilon0)
	if err != nil {
		return ExactResult{}, err
	}
	for i, m := range mdps {
		if res.Policy[i], err = rl.PolicyValues(m, e.lift(i)); err != nil {
			return ExactResult{}, fmt.Errorf("exact C: bidder %d: %w", i, err)
		}
		if res.Best[i], err = rl.OptimalValues(m); err != nil {
			return ExactResult{}, fmt.Errorf("exact C: bidder %d: %w", i, err)
		}
	}
	res.sum()
	return res, nil
}

// exactSetup checks the arguments of the exact computations, builds every bidder's MDP on the
// joint state and returns an ExactResult with its sizes set and its values to be filled.
func exactSetup(g *nplayer.Game, p *nplayer.Profile, epsilon0 float64) (*exactGame, []*mfg.MDP, ExactResult, error) {
	if g == nil || g.Auction == nil {
		return nil, nil, ExactResult{}, fmt.Errorf("exact C: no game")
	}
	if p == nil {
		return nil, nil, ExactResult{}, fmt.Errorf("exact C: no profile")
	}
	if epsilon0 == 0 {
		epsilon0 = exactDefaultEpsilon0
	}
	if !(epsilon0 > 0) || math.IsInf(epsilon0, 1) {
		return nil, nil, ExactResult{}, fmt.Errorf("exact C: epsilon0 = %v: must be positive and finite", epsilon0)
	}
	if err := p.Validate(g); err != nil {
		return nil, nil, ExactResult{}, fmt.Errorf("exact C: %w", err)
	}
	if !p.Stationary() {
		return nil, nil, ExactResult{}, fmt.Errorf("exact C: the profile is not stationary (a bidder's policy depends on the mean-bid context); the exact computation needs policies of own budget only")
	}
	e, err := newExactGame(g, p)
	if err != nil {
		return nil, nil, ExactResult{}, err
	}
	mdps, err := e.buildMDPs()
	if err != nil {
		return nil, nil, ExactResult{}, err
	}
	res := ExactResult{
		PerBidder: make([]float64, e.n), Policy: make([][]float64, e.n), Best: make([][]float64, e.n),
		N: e.n, States: e.S, Epsilon0: epsilon0,
	}
	return e, mdps, res, nil
}

// sum sets PerBidder and Value from Policy and Best, with the terms
// (max(Best, Policy) - Policy) / (|max(Best, Policy)| + ε0), and Unfloored with the terms
// (Best - Policy) / (|Best| + ε0).
func (r *ExactResult) sum() {
	r.Value, r.Unfloored = 0, 0
	for i, vs := range r.Policy {
		var sum, unfloored float64
		for k, v := range vs {
			best := r.Best[i][k]
			unfloored += (best - v) / (math.Abs(best) + r.Epsilon0)
			best = math.Max(best, v)
			sum += (best - v) / (math.Abs(best) + r.Epsilon0)
		}
		r.PerBidder[i] = sum / float64(len(vs))
		r.Value += r.PerBidder[i]
		r.Unfloored += unfloored / float64(len(vs))
	}
	r.Value /= float64(r.N)
	r.Unfloored /= float64(r.N)
}

// exactGame holds what the enumeration needs.
type exactGame struct {
	n, M, S, A  int
	joint, bids int // S^N, A^N
	discount    float64
	policy      [][]float64 // policy[j][s*A+a] = π_j(a|s)
	// payoff[s*A+m] and cleared[s*A+m]: a winner with budget s paying m earns payoff (in
	// expectation over v) and keeps cleared before the top-up.
	payoff  []float64
	cleared []int
	// topUp[c] lists the budgets after the top-up from c with their probabilities.
	topUp [][]exactMass
	// binom[x][y] = C(x, y) as a float64, for x, y <= N.
	binom [][]float64
}

type exactMass struct {
	to int
	p  float64
}

// newExactGame prepares the enumeration of the N-player game g under the profile p, or returns an
// error when the instance is too large to enumerate (the limits of ExactC).
func newExactGame(g *nplayer.Game, p *nplayer.Profile) (*exactGame, error) {
	params := g.Auction.Params()
	e := &exactGame{n: g.N, M: g.M, S: g.States, A: g.Actions, discount: g.Discount}
	var ok bool
	if e.joint, ok = exactPower(e.S, e.n); !ok {
		return nil, fmt.Errorf("exact C: joint states = states^players = %d^%d: too many to enumerate, at most %d", e.S, e.n, exactMaxJoint)
	}
	if e.bids, ok = exactPower(e.A, e.n); !ok {
		return nil, fmt.Errorf("exact C: joint bids = actions^players = %d^%d: too many to enumerate, at most %d", e.A, e.n, exactMaxJoint)
	}
	e.topUp = exactTopUps(params.FulfillmentValues, params.FulfillmentProbs, e.S)
	if err := e.checkSize(); err != nil {
		return nil, err
	}
	e.setPayoffs(discreteMean(params.ConversionValues, params.ConversionProbs), params.OverbidPenalty)
	e.binom = binomials(e.n)
	e.policy = make([][]float64, e.n)
	for j, b := range p.Bidders {
		e.policy[j] = b.Prob[:e.S*e.A]
	}
	return e, nil
}

// exactTopUps returns, for every cleared budget c < S, the distinct budgets min(c+Δ, S-1) after
// the top-up Δ (values fv, probabilities fp, uniform when fp is empty) with their probabilities.
func exactTopUps(fv []int, fp []float64, S int) [][]exactMass {
	if len(fp) == 0 {
		fp = make([]float64, len(fv))
		for i := range fp {
			fp[i] = 1 / float64(len(fv))
		}
	}
	topUp := make([][]exactMass, S)
	for c := range topUp {
		dense := make([]float64, S)
		for k, d := range fv {
			dense[min(c+d, S-1)] += fp[k]
		}
		for to, q := range dense {
			if q != 0 {
				topUp[c] = append(topUp[c], exactMass{to, q})
			}
		}
	}
	return topUp
}

// checkSize returns an error when the enumeration would take more than exactMaxWork steps or
// store more than exactMaxEntries transitions. A bidder has at most min(S, (A+1) × top-ups)
// successor budgets (after the top-up, from at most A+1 cleared budgets), so a joint state has at
// most that to the power N successors.
func (e *exactGame) checkSize() error {
	topUps := 0
	for _, t := range e.topUp {
		topUps = max(topUps, len(t))
	}
	support, perBidder := 1, min(e.S, (e.A+1)*topUps)
	for range e.n {
		support *= perBidder
	}
	if work := float64(e.joint) * float64(e.bids) * float64(support+e.n*(e.A+e.S)); work > exactMaxWork {
		return fmt.Errorf("exact C: enumeration of %d joint states × %d joint bids × up to %d successors is too large (%.3g steps, at most %.3g)", e.joint, e.bids, support, work, float64(exactMaxWork))
	}
	if entries := float64(e.n) * float64(e.joint) * float64(e.A) * float64(support); entries > exactMaxEntries {
		return fmt.Errorf("exact C: %d bidders × %d joint states × %d bids × up to %d successors is too many transitions to store (%.3g, at most %.3g)", e.n, e.joint, e.A, support, entries, float64(exactMaxEntries))
	}
	return nil
}

// discreteMean returns Σ_k p_k v_k, the mean of the values with probabilities probs (uniform when
// probs is empty).
func discreteMean(values []int, probs []float64) float64 {
	var mean float64
	for k, v := range values {
		w := 1 / float64(len(values))
		if len(probs) > 0 {
			w = probs[k]
		}
		mean += w * float64(v)
	}
	return mean
}

// setPayoffs fills payoff and cleared: a winner with budget s paying m earns
// E[v] - m - (1+ρ)(m - s)^+ in expectation (E[v] = meanConversion, ρ = penalty) and keeps s - m,
// or 0 if m > s.
func (e *exactGame) setPayoffs(meanConversion, penalty float64) {
	e.payoff = make([]float64, e.S*e.A)
	e.cleared = make([]int, e.S*e.A)
	for s := 0; s < e.S; s++ {
		for m := 0; m < e.A; m++ {
			u, c := meanConversion-float64(m), s-m
			if m > s {
				u -= (1 + penalty) * float64(m-s)
				c = 0
			}
			e.payoff[s*e.A+m], e.cleared[s*e.A+m] = u, c
		}
	}
}

// binomials returns Pascal's triangle up to n: binom[x][y] = C(x, y) for 0 <= y <= x <= n, and 0
// for y > x.
func binomials(n int) [][]float64 {
	binom := make([][]float64, n+1)
	for x := range binom {
		binom[x] = make([]float64, n+1)
		binom[x][0] = 1
		for y := 1; y <= x; y++ {
			binom[x][y] = binom[x-1][y-1] + binom[x-1][y]
		}
	}
	return binom
}

// exactPower returns b^n and whether it is at most exactMaxJoint.
func exactPower(b, n int) (int, bool) {
	r := 1
	for range n {
		r *= b
		if r > exactMaxJoint {
			return r, false
		}
	}
	return r, true
}

// outcome returns the expected reward of a bidder with budget s bidding bid, and writes the
// distribution of its next budget into next (dense, length S), when others[a] of the other N-1
// bidders bid a: it meets M-1 of them drawn uniformly without replacement, so the highest bid it
// meets is m, placed by c of them, with probability C(others[m], c) C(#below m, M-1-c) /
// C(N-1, M-1). win is scratch of length A (the probability of winning at each price).
func (e *exactGame) outcome(s, bid int, others []int, win, next []float64) (reward float64) {
	k := e.M - 1 // opponents per auction
	total := e.binom[e.n-1][k]
	clear(win)
	var lose float64
	below := 0 // other bidders bidding less than m
	for m, at := range others {
		if at > 0 && m >= bid { // m < bid: every subset with highest m is won, handled below
			for c := 1; c <= min(at, k); c++ {
				// c of the at bidders at m and the other k-c below m.
				q := e.binom[at][c] * e.binom[below][k-c] / total
				if q == 0 {
					continue
				}
				if m == bid {
					win[m] += q / float64(c+1)
					lose += q * float64(c) / float64(c+1)
				} else {
					lose += q
				}
			}
		} else if at > 0 {
			// Highest opponent bid m < bid: all k opponents at or below m, at least one at m.
			win[m] = (e.binom[below+at][k] - e.binom[below][k]) / total
		}
		below += at
	}
	clear(next)
	for _, t := range e.topUp[s] {
		next[t.to] += lose * t.p
	}
	for m, q := range win {
		if q == 0 {
			continue
		}
		i := s*e.A + m
		reward += q * e.payoff[i]
		for _, t := range e.topUp[e.cleared[i]] {
			next[t.to] += q * t.p
		}
	}
	return reward
}

// buildMDPs returns, for every bidder i, its MDP on the joint state when the others play their
// policies: action a_i, reward r_i(s, a_i) = E[reward of i | s, a_i] and transitions to the next
// joint state, averaged over the others' bids.
func (e *exactGame) buildMDPs() ([]*mfg.MDP, error) {
	en := e.newEnumeration()
	for k := 0; k < e.joint; k++ {
		en.addJointState(k)
	}
	mdps := make([]*mfg.MDP, e.n)
	for i, b := range en.builders {
		// The rows are sums of products of distributions; Build only checks them.
		m, err := b.Build()
		if err != nil {
			return nil, fmt.Errorf("exact C: bidder %d's joint-state MDP is invalid (a bug): %w", i, err)
		}
		mdps[i] = m
	}
	return mdps, nil
}

// enumeration is the state of buildMDPs: every bidder's MDP under construction and the scratch of
// the enumeration of the joint bids from one joint state.
type enumeration struct {
	e        *exactGame
	builders []*mfg.MDPBuilder // builders[i]: bidder i's MDP on the joint state
	budgets  []int             // budgets[j]: bidder j's budget s_j in the current joint state
	bids     []int             // bids[j]: bidder j's bid in the current joint bid
	others   []int             // others[a]: how many of the other bidders bid a
	win      []float64         // scratch of outcome
	nexts    [][]float64       // nexts[j][s']: probability that bidder j's next budget is s'
	rewards  []float64         // rewards[j]: bidder j's expected reward
	// weights[i] = Π_{j≠i} π_j(bids_j | s_j): the probability of the others' bids.
	weights []float64
	// acc[i][a*joint+k'] accumulates bidder i's transition from the current joint state with bid
	// a to the joint state k'.
	acc [][]float64
	// prod is the joint next-state distribution, as a sparse list built bidder by bidder in
	// prod and tmp.
	prod, tmp []exactMass
}

// newEnumeration allocates the MDP builders and the scratch of buildMDPs.
func (e *exactGame) newEnumeration() *enumeration {
	n, S, A := e.n, e.S, e.A
	en := &enumeration{
		e:        e,
		builders: make([]*mfg.MDPBuilder, n),
		budgets:  make([]int, n),
		bids:     make([]int, n),
		others:   make([]int, A),
		win:      make([]float64, A),
		nexts:    make([][]float64, n),
		rewards:  make([]float64, n),
		weights:  make([]float64, n),
		acc:      make([][]float64, n),
		prod:     []exactMass{{0, 1}},
	}
	for i := range en.builders {
		en.builders[i] = mfg.NewMDPBuilder(e.joint, A, e.discount)
	}
	for j := range en.nexts {
		en.nexts[j] = make([]float64, S)
	}
	for i := range en.acc {
		en.acc[i] = make([]float64, A*e.joint)
	}
	return en
}

// addJointState enumerates the joint bids from the joint state with index k and appends every
// bidder's rows of that state (one per own bid) to its MDP.
func (en *enumeration) addJointState(k int) {
	e := en.e
	for j, x := 0, k; j < e.n; j++ { // bidder 0 most significant
		en.budgets[e.n-1-j] = x % e.S
		x /= e.S
	}
	for i := range en.acc {
		clear(en.acc[i])
	}
	clear(en.bids)
	for range e.bids {
		if en.setWeights() {
			en.addJointBid(k)
		}
		en.nextJointBid()
	}
	for i, b := range en.builders {
		for a := 0; a < e.A; a++ {
			for to, q := range en.acc[i][a*e.joint : (a+1)*e.joint] {
				if q != 0 {
					b.Add(to, q)
				}
			}
			b.EndRow()
		}
	}
}

// setWeights sets weights[i] = Π_{j≠i} π_j(bids_j | s_j), the probability of the others' bids in
// the current joint bid, and returns whether any is nonzero.
func (en *enumeration) setWeights() (live bool) {
	for i := range en.weights {
		w := 1.0
		for j, b := range en.bids {
			if j != i {
				w *= en.e.policy[j][en.budgets[j]*en.e.A+b]
			}
		}
		en.weights[i] = w
		live = live || w != 0
	}
	return live
}

// addJointBid adds the current joint bid from the joint state with index k: every bidder i's
// expected reward, weighted by weights[i], to r_i(s, bids_i), and the joint next-state
// distribution, with the same weight, to its transitions from s with bid bids_i.
func (en *enumeration) addJointBid(k int) {
	e := en.e
	clear(en.others)
	for _, b := range en.bids {
		en.others[b]++
	}
	for j, b := range en.bids {
		en.others[b]--
		en.rewards[j] = e.outcome(en.budgets[j], b, en.others, en.win, en.nexts[j])
		en.others[b]++
	}
	en.jointNext()
	for i, w := range en.weights {
		if w == 0 {
			continue
		}
		bid := en.bids[i]
		row := en.acc[i][bid*e.joint : (bid+1)*e.joint]
		for _, x := range en.prod {
			row[x.to] += w * x.p
		}
		en.builders[i].MDP.Reward[k*e.A+bid] += w * en.rewards[i]
	}
}

// jointNext sets prod to the distribution of the next joint state, the product of the bidders'
// independent next-budget distributions nexts[j] (zero entries dropped), the index of the joint
// state built bidder 0 first (most significant).
func (en *enumeration) jointNext() {
	S := en.e.S
	en.prod = append(en.prod[:0], exactMass{0, 1})
	for _, next := range en.nexts {
		en.tmp = en.tmp[:0]
		for _, x := range en.prod {
			for to, q := range next {
				if q != 0 {
					en.tmp = append(en.tmp, exactMass{x.to*S + to, x.p * q})
				}
			}
		}
		en.prod, en.tmp = en.tmp, en.prod
	}
}

// nextJointBid advances bids to the next joint bid, as an odometer (last bidder fastest); after
// the last it wraps around to all zeros.
func (en *enumeration) nextJointBid() {
	for j := len(en.bids) - 1; j >= 0; j-- {
		if en.bids[j]++; en.bids[j] < en.e.A {
			break
		}
		en.bids[j] = 0
	}
}

// lift returns bidder i's policy as a policy of the joint state: π̃(a|s) = π_i(a|s_i).
func (e *exactGame) lift(i int) mfg.Policy {
	pi := mfg.NewPolicy(e.joint, e.A)
	// s_i = (k / S^(N-1-i)) % S.
	div := 1
	for range e.n - 1 - i {
		div *= e.S
	}
	for k := 0; k < e.joint; k++ {
		s := (k / div) % e.S
		copy(pi.Row(k), e.policy[i][s*e.A:(s+1)*e.A])
	}
	return pi
}
