package gamestest

import (
	"math"
	"math/rand/v2"
	"slices"

	"meanfield/mfg"
)

// pairStat summarises the sampled rewards of one pair.
type pairStat struct {
	mean, sd, lo, hi float64
}

// agreement checks that the sampler simulates the model m (both at the probe's population): for
// each checked pair, the next-state frequencies and the mean reward of Options.Samples draws
// against P(·|s, a) and r(s, a) (see the package documentation for the bounds).
func (c *checker) agreement(m *mfg.MDP, sm mfg.Sampler, p probe) {
	where := "simulator against model " + p.where
	pairs := c.pairs()
	n := c.opt.Samples
	rng := rand.New(rand.NewPCG(c.opt.Seed, streamAgreement))
	r := &report{c: c, where: where}
	defer r.close()
	counts := make([]int, c.S)
	row := make([]float64, c.S)
	stats := make([]pairStat, len(pairs))
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, i := range pairs {
		var ok bool
		if stats[k], ok = c.samplePair(r, sm, i, n, rng, counts); !ok {
			return
		}
		c.frequencies(r, m, i, counts, row)
		lo = min(lo, stats[k].lo, m.Reward[i])
		hi = max(hi, stats[k].hi, m.Reward[i])
	}
	for k, i := range pairs {
		c.meanReward(r, i, m.Reward[i], stats[k], hi-lo)
	}
}

// pairs returns the flat indices s·A+a of the pairs to check: all of them, or maxPairs distinct
// ones chosen with the seed (in increasing order) when there are more.
func (c *checker) pairs() []int {
	n := c.S * c.A
	if n <= maxPairs {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	rng := rand.New(rand.NewPCG(c.opt.Seed, streamPairs))
	swapped := map[int]int{} // a partial Fisher–Yates shuffle of 0..n-1
	at := func(i int) int {
		if v, ok := swapped[i]; ok {
			return v
		}
		return i
	}
	out := make([]int, maxPairs)
	for k := range out {
		j := k + rng.IntN(n-k)
		out[k] = at(j)
		swapped[j] = at(k)
	}
	slices.Sort(out)
	return out
}

// samplePair draws n transitions of pair i into counts (next-state counts) and returns the
// rewards' mean, standard deviation and range. A next state out of range or a panic is
// reported and ends the check (ok false).
func (c *checker) samplePair(r *report, sm mfg.Sampler, i, n int, rng *rand.Rand, counts []int) (st pairStat, ok bool) {
	s, a := i/c.A, i%c.A
	defer func() {
		if e := recover(); e != nil {
			r.add("Sample(%d, %d, rng): panic: %v", s, a, e)
			ok = false
		}
	}()
	clear(counts)
	st.lo, st.hi = math.Inf(1), math.Inf(-1)
	var m2 float64 // Welford's running sum of squared deviations
	for j := 1; j <= n; j++ {
		reward, next := sm.Sample(s, a, rng)
		if next < 0 || next >= c.S || !isFinite(reward) {
			r.add("Sample(%d, %d, rng) returned (reward %v, next state %d): want a finite reward and a state in [0, %d)", s, a, reward, next, c.S)
			return st, false
		}
		counts[next]++
		d := reward - st.mean
		st.mean += d / float64(j)
		m2 += d * (reward - st.mean)
		st.lo, st.hi = min(st.lo, reward), max(st.hi, reward)
	}
	if n > 1 {
		st.sd = math.Sqrt(max(m2, 0) / float64(n-1))
	}
	return st, true
}

// frequencies compares the sampled next-state frequencies of pair i with P(·|s, a): a state of
// model probability 0 must never be drawn, and every frequency must be within 5 standard errors
// (the sample's, never below the model's) plus 1e-9. row is scratch space of length S.
func (c *checker) frequencies(r *report, m *mfg.MDP, i int, counts []int, row []float64) {
	s, a := i/c.A, i%c.A
	clear(row)
	for k := m.RowStart[i]; k < m.RowStart[i+1]; k++ {
		row[m.Next[k]] += m.Prob[k]
	}
	n := float64(c.opt.Samples)
	for sp, p := range row {
		f := float64(counts[sp]) / n
		if p == 0 {
			if counts[sp] > 0 {
				r.add("(s=%d, a=%d): next state %d drawn %d times in %d draws, but the model gives P(%d|s=%d, a=%d) = 0",
					s, a, sp, counts[sp], c.opt.Samples, sp, s, a)
			}
			continue
		}
		se := math.Sqrt(max(f*(1-f), p*(1-p)) / n)
		if math.Abs(f-p) > 5*se+tolerance {
			r.add("(s=%d, a=%d): next state %d drawn with frequency %.6g in %d draws, but the model gives P(%d|s=%d, a=%d) = %.6g (5 standard errors = %.3g)",
				s, a, sp, f, c.opt.Samples, sp, s, a, p, 5*se)
		}
	}
}

// meanReward compares the mean sampled reward of pair i with the model's r(s, a): within 5
// standard errors σ̂/√n, plus 10·D/n for rare outcomes the sample missed (D the range of every
// reward seen), plus 1e-9·max(1, |r|).
func (c *checker) meanReward(r *report, i int, want float64, st pairStat, D float64) {
	n := float64(c.opt.Samples)
	tol := 5*st.sd/math.Sqrt(n) + 10*D/n + tolerance*max(1, math.Abs(want))
	if math.Abs(st.mean-want) > tol {
		r.add("(s=%d, a=%d): mean sampled reward %.9g over %d draws, but the model gives r(s=%d, a=%d) = %.9g (tolerance %.3g)",
			i/c.A, i%c.A, st.mean, c.opt.Samples, i/c.A, i%c.A, want, tol)
	}
}
