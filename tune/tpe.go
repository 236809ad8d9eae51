package tune

import (
	"math"
	"math/rand/v2"
	"sort"
)

// TPE is the tree-structured Parzen estimator of Bergstra, Bardenet, Bengio and Kégl,
// "Algorithms for hyper-parameter optimization" (NeurIPS 2011), with the defaults of Optuna's
// TPESampler (independent, univariate):
//
//   - the first StartupTrials (10) trials, counted among the complete and pruned trials of the
//     history, are drawn as Random draws them;
//   - then the history's n complete and pruned trials are ordered, complete ones by objective,
//     then pruned ones by the last step they reached (latest first: the later game of a suite,
//     then the later iteration in it) and their value there, and
//     split into the best n_below = γ(n) = min(⌈0.1 n⌉, 25) ("below") and the rest ("above");
//   - for each parameter, each group gives a Parzen estimator on the samplers' scale (log x for
//     a log parameter, [low-1/2, high+1/2] for an int): a mixture of normal kernels truncated to
//     the range, one at each observation x_i with σ_i the larger distance to its neighbours among
//     the sorted observations and the two ends of the range (for the first and last observation,
//     the distance to the inner neighbour), clipped ("magic clipping") to
//     [(high − low)/min(100, n_kernels + 1), high − low], plus a prior kernel N((low+high)/2,
//     high − low); weights w_i = 1 for the 25 latest observations and a ramp from 1/n to 1 for
//     the older ones, the prior's PriorWeight (1), normalised;
//   - a categorical's kernel at observation c is the distribution with mass 1 + PriorWeight/(m+1)
//     at c and PriorWeight/(m+1) at every choice (m observations), normalised; the prior kernel
//     is uniform;
//   - EICandidates (24) values are drawn from the "below" estimator l and the one maximising
//     log l(x) − log g(x) (g the "above" estimator), the expected improvement's maximiser, is
//     proposed.
//
// Where this differs from Optuna 4: an integer is a continuous value on [low-1/2, high+1/2]
// rounded to the nearest integer (Optuna discretises the truncated normal kernels on the
// integers); failed trials are left out, as Optuna does, and there is no constant liar: trials
// running at the same time are not seen, by construction of the batches (Study.History).
type TPE struct {
	Space         Space
	StartupTrials int
	EICandidates  int
	PriorWeight   float64
}

// NewTPE is TPE with Optuna's defaults.
func NewTPE(space Space) TPE {
	return TPE{Space: space, StartupTrials: 10, EICandidates: 24, PriorWeight: 1}
}

// ReadsHistory is true once the history may hold StartupTrials trials.
func (t TPE) ReadsHistory(_, h int) bool { return h >= t.StartupTrials }

// gamma is Optuna's default_gamma: the number of "below" trials among n.
func gamma(n int) int { return min(int(math.Ceil(0.1*float64(n))), 25) }

// weights is Optuna's default_weights for n observations, oldest first.
func weights(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1
	}
	if n >= 25 {
		ramp := n - 25
		for i := 0; i < ramp; i++ {
			if ramp == 1 {
				w[i] = 1.0 / float64(n)
			} else {
				w[i] = 1.0/float64(n) + (1-1.0/float64(n))*float64(i)/float64(ramp-1)
			}
		}
	}
	return w
}

// split orders the complete and pruned trials of the history and splits them into the γ(n)
// best and the rest, each in trial order.
func split(history []Observation) (below, above []Observation) {
	var complete, pruned []Observation
	for _, o := range history {
		switch o.State {
		case Complete:
			complete = append(complete, o)
		case Pruned:
			pruned = append(pruned, o)
		}
	}
	sort.SliceStable(complete, func(i, j int) bool { return less(complete[i].Value, complete[j].Value) })
	sort.SliceStable(pruned, func(i, j int) bool {
		if pruned[i].Game != pruned[j].Game { // pruned in a later game of the suite: further
			return pruned[i].Game > pruned[j].Game
		}
		if pruned[i].Step != pruned[j].Step {
			return pruned[i].Step > pruned[j].Step
		}
		return less(pruned[i].Value, pruned[j].Value)
	})
	order := append(complete, pruned...)
	n := gamma(len(order))
	below, above = append([]Observation(nil), order[:n]...), append([]Observation(nil), order[n:]...)
	byIndex := func(s []Observation) {
		sort.Slice(s, func(i, j int) bool { return s[i].Index < s[j].Index })
	}
	byIndex(below)
	byIndex(above)
	return below, above
}

// less orders values with NaN last.
func less(a, b float64) bool { return a < b || !math.IsNaN(a) && math.IsNaN(b) }

// Propose draws trial k's values: at random during the startup trials, else by TPE.
func (t TPE) Propose(k int, history []Observation, r *rand.Rand) (map[string]any, error) {
	n := 0
	for _, o := range history {
		if o.State == Complete || o.State == Pruned {
			n++
		}
	}
	if n < t.StartupTrials || n == 0 {
		return Random{Space: t.Space}.Propose(k, history, r)
	}
	below, above := split(history)
	out := map[string]any{}
	for _, p := range t.Space {
		lo, err := t.estimator(p, below)
		if err != nil {
			return nil, err
		}
		ab, err := t.estimator(p, above)
		if err != nil {
			return nil, err
		}
		best, bestScore := 0.0, math.Inf(-1)
		for range t.EICandidates {
			x := lo.sample(r)
			if s := lo.logPDF(x) - ab.logPDF(x); s > bestScore {
				best, bestScore = x, s
			}
		}
		out[p.Name] = p.external(best)
	}
	return out, nil
}

// parzen is a mixture of truncated normal kernels on [lo, hi], or of categorical distributions
// (rows) over a categorical's choices.
type parzen struct {
	w          []float64 // normalised mixture weights
	mu, sigma  []float64
	lo, hi     float64
	rows       [][]float64
	cumulative []float64
	// logScale_i = log w_i − log(σ_i √(2π)) − log P(lo ≤ N(μ_i, σ_i²) ≤ hi), the log density's
	// constant of kernel i (log w_i for a categorical), computed once.
	logScale []float64
}

// estimator is the Parzen estimator of parameter p from the observations obs.
func (t TPE) estimator(p *Param, obs []Observation) (*parzen, error) {
	xs := make([]float64, len(obs))
	for i, o := range obs {
		x, err := p.internal(o.Params[p.Name])
		if err != nil {
			return nil, err
		}
		xs[i] = x
	}
	w := append(weights(len(xs)), t.PriorWeight)
	e := &parzen{}
	if p.Type == Categorical {
		m := len(p.Choices)
		for i := 0; i <= len(xs); i++ {
			row := make([]float64, m)
			for c := range row {
				row[c] = t.PriorWeight / float64(len(xs)+1)
			}
			if i < len(xs) {
				row[int(xs[i])]++
			}
			normalise(row)
			e.rows = append(e.rows, row)
		}
	} else {
		e.lo, e.hi = p.span()
		e.mu, e.sigma = kernels(xs, e.lo, e.hi)
	}
	normalise(w)
	e.w = w
	e.logScale = make([]float64, len(w))
	for i, wi := range w {
		e.logScale[i] = math.Log(wi)
		if e.rows == nil {
			a, b := (e.lo-e.mu[i])/e.sigma[i], (e.hi-e.mu[i])/e.sigma[i]
			e.logScale[i] -= math.Log(e.sigma[i]*math.Sqrt(2*math.Pi)) + math.Log(normalMass(a, b))
		}
	}
	e.cumulative = make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		e.cumulative[i] = s
	}
	return e, nil
}

// kernels are the centres and widths of the numerical kernels of observations xs on [lo, hi],
// the prior's last (see TPE).
func kernels(xs []float64, lo, hi float64) (mu, sigma []float64) {
	n := len(xs)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xs[idx[a]] < xs[idx[b]] })
	ends := make([]float64, n+2) // lo, the sorted observations, hi
	ends[0], ends[n+1] = lo, hi
	for i, j := range idx {
		ends[i+1] = xs[j]
	}
	sorted := make([]float64, n)
	for i := range sorted {
		sorted[i] = max(ends[i+1]-ends[i], ends[i+2]-ends[i+1])
	}
	if n+2 >= 4 { // consider_endpoints = False
		sorted[0] = ends[2] - ends[1]
		sorted[n-1] = ends[n] - ends[n-1]
	}
	maxSigma := hi - lo
	minSigma := (hi - lo) / min(100, 1+float64(n+1))
	mu, sigma = make([]float64, n+1), make([]float64, n+1)
	for i, j := range idx {
		mu[j], sigma[j] = xs[j], min(max(sorted[i], minSigma), maxSigma)
	}
	mu[n], sigma[n] = 0.5*(lo+hi), hi-lo
	return mu, sigma
}

func normalise(w []float64) {
	s := 0.0
	for _, x := range w {
		s += x
	}
	for i := range w {
		w[i] /= s
	}
}

// sample draws from the mixture: a kernel by weight, then a value from it.
func (e *parzen) sample(r *rand.Rand) float64 {
	u := r.Float64()
	i := sort.SearchFloat64s(e.cumulative, u)
	i = min(i, len(e.w)-1)
	if e.rows != nil {
		row, v, c := e.rows[i], r.Float64(), 0.0
		for j, p := range row {
			if c += p; v < c {
				return float64(j)
			}
		}
		return float64(len(row) - 1)
	}
	return e.mu[i] + e.sigma[i]*truncNormal(r, (e.lo-e.mu[i])/e.sigma[i], (e.hi-e.mu[i])/e.sigma[i])
}

// logPDF is the log density (log mass for a categorical) of the mixture at x.
func (e *parzen) logPDF(x float64) float64 {
	terms := make([]float64, len(e.w))
	for i, c := range e.logScale {
		if e.rows != nil {
			terms[i] = c + math.Log(e.rows[i][int(x)])
			continue
		}
		z := (x - e.mu[i]) / e.sigma[i]
		terms[i] = c - 0.5*z*z
	}
	return logSumExp(terms)
}

func logSumExp(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = max(m, x)
	}
	if math.IsInf(m, -1) {
		return m
	}
	s := 0.0
	for _, x := range xs {
		s += math.Exp(x - m)
	}
	return m + math.Log(s)
}

// tailNormal draws a standard normal conditioned on [a, b], 5 < a < b, by rejection (Robert 1995,
// "Simulation of truncated normal variables"): a + Exp(a) accepted with probability
// exp(−(z−a)²/2), or, on an interval narrower than 1/a, a uniform proposal accepted with
// probability exp(−(z²−a²)/2). (Inverting the CDF there loses every digit: math.Erfcinv(x) is
// Erfinv(1 − x).) The TPE kernels never need it (each range holds its kernel's centre); it
// keeps truncNormal exact on any interval.
func tailNormal(r *rand.Rand, a, b float64) float64 {
	for {
		if b-a < 1/a {
			z := a + (b-a)*r.Float64()
			if r.Float64() <= math.Exp(-(z*z-a*a)/2) {
				return z
			}
			continue
		}
		z := a + r.ExpFloat64()/a
		if z <= b && r.Float64() <= math.Exp(-(z-a)*(z-a)/2) {
			return z
		}
	}
}

// phi is the standard normal CDF, q its complement.
func phi(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
func q(x float64) float64   { return 0.5 * math.Erfc(x/math.Sqrt2) }

// normalMass is P(a ≤ Z ≤ b) for a standard normal Z, computed in the tail it lies in.
func normalMass(a, b float64) float64 {
	if a >= 0 {
		return q(a) - q(b)
	}
	if b <= 0 {
		return phi(b) - phi(a)
	}
	return 1 - q(b) - phi(a)
}

// truncNormal draws a standard normal conditioned on [a, b] by inverting its CDF (on the side
// of 0 where the interval lies, so that far tails keep their precision).
func truncNormal(r *rand.Rand, a, b float64) float64 {
	if a >= 0 {
		return -truncNormal(r, -b, -a)
	}
	if b < -5 {
		return -tailNormal(r, -b, -a)
	}
	pa, pb := phi(a), phi(b)
	p := pa + r.Float64()*(pb-pa)
	z := -math.Sqrt2 * math.Erfcinv(2*p)
	return min(max(z, a), b)
}
