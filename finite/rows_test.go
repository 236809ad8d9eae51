package finite

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"golang.org/x/sys/cpu"
	"meanfield/mfg"
)

// specialSlice is n values special one time in two (see specialValue).
func specialSlice(rng *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = specialValue(rng)
	}
	return x
}

// TestRowKernelsAVXBitForBit checks rowsMaxDotAVX, anyNaNAVX, expectDenseAVX, expectSureAVX,
// expectRowsAVX, nextRowsAVX, nextDenseAVX and fillAVX against their Go forms on random tables (1 to 13 states or rows, 1 to 9 actions or
// successors, lengths of every remainder by four) of values special one time in two (±0, ±Inf,
// NaN, subnormals), bit for bit (the maxima with their zeros' signs; a NaN's payload aside in the
// sums and products).
func TestRowKernelsAVXBitForBit(t *testing.T) {
	if !rowsAVX {
		if runtime.GOARCH == "amd64" && cpu.X86.HasAVX {
			t.Fatal("the probe disagrees with the Go forms: the AVX row kernels are off")
		}
		t.Skip("no AVX row kernels here")
	}
	rng := rand.New(rand.NewPCG(13, 17))
	for trial := range 3000 {
		S, A := 1+rng.IntN(13), 1+rng.IntN(9)
		q, p, own := specialSlice(rng, S*A), specialSlice(rng, S*A), specialSlice(rng, S*A)
		got, want := specialSlice(rng, 2*S), make([]float64, 2*S)
		rowsMaxDotAVX(q, p, own, got, A)
		rowsMaxDotGo(q, p, own, want, A)
		for s := range S {
			if math.Float64bits(got[2*s]) != math.Float64bits(want[2*s]) || !sameOrNaN(got[2*s+1], want[2*s+1]) {
				t.Fatalf("trial %d (%d×%d): rowsMaxDot row %d is (%v, %v), want (%v, %v)", trial, S, A, s, got[2*s], got[2*s+1], want[2*s], want[2*s+1])
			}
		}
		x := specialSlice(rng, rng.IntN(14))
		if anyNaNAVX(x) != anyNaNGo(x) {
			t.Fatalf("trial %d: anyNaN(%v) = %v", trial, x, anyNaNAVX(x))
		}
		// Dense rows: n = S·A rows of S successors.
		n := S * A
		prob, v, r := specialSlice(rng, n*S), specialSlice(rng, 2*S), specialSlice(rng, n)
		g0, g1, w0, w1 := specialSlice(rng, n), specialSlice(rng, n), make([]float64, n), make([]float64, n)
		expectDenseAVX(prob, v, r, g0, g1, S)
		expectDenseGo(prob, v, r, w0, w1, S)
		mass := specialSlice(rng, n)
		gn, wn := specialSlice(rng, S), make([]float64, S)
		nextDenseAVX(prob, mass, gn)
		nextDenseGo(prob, mass, wn)
		to := make([]int, n)
		for i := range to {
			to[i] = rng.IntN(S)
		}
		gs0, gs1, ws0, ws1 := specialSlice(rng, n), specialSlice(rng, n), make([]float64, n), make([]float64, n)
		expectSureAVX(to, prob[:n], v, r, gs0, gs1)
		expectSureGo(to, prob[:n], v, r, ws0, ws1)
		start := make([]int, n+1) // rows of 0 to 4 successors
		for i := range n {
			start[i+1] = start[i] + rng.IntN(5)
		}
		succ := make([]int, start[n])
		for k := range succ {
			succ[k] = rng.IntN(S)
		}
		pk := specialSlice(rng, start[n])
		gr0, gr1, wr0, wr1 := specialSlice(rng, n), specialSlice(rng, n), make([]float64, n), make([]float64, n)
		expectRowsAVX(start, succ, pk, v, r, gr0, gr1)
		expectRowsGo(start, succ, pk, v, r, wr0, wr1)
		gx, wx := make([]float64, S), make([]float64, S)
		nextRowsAVX(start, succ, pk, mass, gx)
		nextRowsGo(start, succ, pk, mass, wx)
		gf, wf := specialSlice(rng, n), make([]float64, n)
		fillAVX(gf, mass[:S], q, A)
		fillGo(wf, mass[:S], q, A)
		for _, c := range []struct {
			name      string
			got, want []float64
		}{{"expectDense d0", g0, w0}, {"expectDense d1", g1, w1}, {"nextDense", gn, wn}, {"fill", gf, wf},
			{"expectSure d0", gs0, ws0}, {"expectSure d1", gs1, ws1}, {"expectRows d0", gr0, wr0}, {"expectRows d1", gr1, wr1},
			{"nextRows", gx, wx}} {
			for i := range c.want {
				if !sameOrNaN(c.got[i], c.want[i]) {
					t.Fatalf("trial %d (%d×%d): %s[%d] is %v, want %v", trial, S, A, c.name, i, c.got[i], c.want[i])
				}
			}
		}
	}
}

// TestRowKernelsAsWithout checks that QFunctions and ExploitabilityFromQ give the same bits with
// the AVX row kernels as without them (the builtin max then maxOf), on random dense, sure-move and
// general stages of values special one time in two, legal-action masks and policies included.
func TestRowKernelsAsWithout(t *testing.T) {
	if !rowsAVX {
		t.Skip("no AVX row kernels here")
	}
	defer func() { rowsAVX = true }()
	rng := rand.New(rand.NewPCG(19, 23))
	for trial := range 600 {
		T, S, A := rng.IntN(4), 1+rng.IntN(7), 1+rng.IntN(6)
		stages := make([]*mfg.MDP, T+1)
		var legal []bool
		if trial%3 == 0 {
			legal = make([]bool, S*A)
			for i := range legal {
				legal[i] = i%A == 0 || rng.IntN(2) == 0
			}
		}
		for t := range stages {
			stages[t] = randomStage(rng, S, A, trial%3)
			stages[t].Legal = legal
		}
		pi := make(Policy, T+1)
		for t := range pi {
			pi[t] = mfg.Policy{States: S, Actions: A, Prob: specialSlice(rng, S*A)}
		}
		mu0 := specialSlice(rng, S)
		var qs, qp [2][][]float64
		var e [2]float64
		for k, on := range []bool{true, false} {
			rowsAVX = on
			qs[k], qp[k] = QFunctions(stages, pi)
			e[k] = ExploitabilityFromQ(mu0, pi[0], qs[k][0], qp[k][0])
		}
		for tt := range qs[0] {
			for i := range qs[0][tt] {
				if !sameOrNaN(qs[0][tt][i], qs[1][tt][i]) || !sameOrNaN(qp[0][tt][i], qp[1][tt][i]) {
					t.Fatalf("trial %d: Q_%d(%d) is (%v, %v) with AVX, (%v, %v) without", trial, tt, i, qs[0][tt][i], qp[0][tt][i], qs[1][tt][i], qp[1][tt][i])
				}
			}
		}
		if !sameOrNaN(e[0], e[1]) {
			t.Fatalf("trial %d: exploitability %v with AVX, %v without", trial, e[0], e[1])
		}
	}
}
