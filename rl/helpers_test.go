package rl_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"meanfield/mfg"
)

// solve returns x with M x = b by Gaussian elimination with partial pivoting on copies of M
// (row-major n×n) and b. It is written here so that the tests do not rely on the LU solver the
// package uses.
func solve(M []float64, b []float64) []float64 {
	n := len(b)
	a := append([]float64(nil), M...)
	x := append([]float64(nil), b...)
	for col := 0; col < n; col++ {
		piv := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r*n+col]) > math.Abs(a[piv*n+col]) {
				piv = r
			}
		}
		if piv != col {
			for c := 0; c < n; c++ {
				a[col*n+c], a[piv*n+c] = a[piv*n+c], a[col*n+c]
			}
			x[col], x[piv] = x[piv], x[col]
		}
		for r := col + 1; r < n; r++ {
			f := a[r*n+col] / a[col*n+col]
			if f == 0 {
				continue
			}
			for c := col; c < n; c++ {
				a[r*n+c] -= f * a[col*n+c]
			}
			x[r] -= f * x[col]
		}
	}
	for r := n - 1; r >= 0; r-- {
		s := x[r]
		for c := r + 1; c < n; c++ {
			s -= a[r*n+c] * x[c]
		}
		x[r] = s / a[r*n+r]
	}
	return x
}

// exactValues returns V^π = (I - γ P_π)^{-1} r_π computed densely with solve.
func exactValues(m *mfg.MDP, pi mfg.Policy) []float64 {
	S, A := m.States, m.Actions
	M := make([]float64, S*S)
	r := make([]float64, S)
	for s := 0; s < S; s++ {
		M[s*S+s] = 1
		for a := 0; a < A; a++ {
			p := pi.Prob[s*A+a]
			r[s] += p * m.Reward[s*A+a]
			next, prob := m.Successors(s, a)
			for k, sp := range next {
				M[s*S+sp] -= m.Discount * p * prob[k]
			}
		}
	}
	return solve(M, r)
}

// randomMDP returns an MDP with rewards uniform in [-1, 1) and random transition rows, about half
// of them sparse (a third of the successors removed).
func randomMDP(t testing.TB, rng *rand.Rand, S, A int, discount float64) *mfg.MDP {
	t.Helper()
	reward := make([]float64, S*A)
	trans := make([]float64, S*A*S)
	for i := range reward {
		reward[i] = 2*rng.Float64() - 1
		sparse := rng.IntN(2) == 0
		var sum float64
		for sp := 0; sp < S; sp++ {
			if sparse && rng.IntN(3) == 0 {
				continue
			}
			w := rng.ExpFloat64()
			trans[i*S+sp] = w
			sum += w
		}
		if sum == 0 {
			trans[i*S+rng.IntN(S)], sum = 1, 1
		}
		for sp := 0; sp < S; sp++ {
			trans[i*S+sp] /= sum
		}
	}
	m, err := mfg.NewDenseMDP(S, A, discount, reward, trans)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func randomPolicy(rng *rand.Rand, S, A int) mfg.Policy {
	pi := mfg.NewPolicy(S, A)
	for s := 0; s < S; s++ {
		row := pi.Row(s)
		var sum float64
		for a := range row {
			if rng.IntN(3) > 0 {
				row[a] = rng.ExpFloat64()
				sum += row[a]
			}
		}
		if sum == 0 {
			row[rng.IntN(A)], sum = 1, 1
		}
		for a := range row {
			row[a] /= sum
		}
	}
	return pi
}

// mdpSampler simulates an MDP: the next state is drawn from P(·|s,a) by inversion and the reward
// is r(s,a) plus uniform noise on [-noise, noise], so its mean is r(s,a).
type mdpSampler struct {
	m     *mfg.MDP
	noise float64
}

func (sm mdpSampler) Sample(s, a int, rng *rand.Rand) (float64, int) {
	next, prob := sm.m.Successors(s, a)
	u := rng.Float64()
	sp := next[len(next)-1]
	for k, p := range prob {
		u -= p
		if u < 0 {
			sp = next[k]
			break
		}
	}
	return sm.m.Reward[s*sm.m.Actions+a] + sm.noise*(2*rng.Float64()-1), sp
}

func maxAbs(x []float64) float64 {
	var m float64
	for _, v := range x {
		m = math.Max(m, math.Abs(v))
	}
	return m
}

func maxAbsDiff(x, y []float64) float64 {
	var m float64
	for i := range x {
		m = math.Max(m, math.Abs(x[i]-y[i]))
	}
	return m
}
