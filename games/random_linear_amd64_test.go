package games

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"golang.org/x/sys/cpu"
)

// On a machine with AVX the kernels are in use: their probe passed.
func TestRandomLinearPlanesAVXOn(t *testing.T) {
	if cpu.X86.HasAVX && !planesAVX {
		t.Fatal("the processor has AVX but affinePlanesAVX failed its probe")
	}
	if !cpu.X86.HasAVX {
		t.Skip("no AVX")
	}
}

// The AVX kernels give their Go twins' bits, NaN payloads included, on random planes with
// NaNs of several payloads, infinities, signed zeros, subnormals and huge numbers.
func TestRandomLinearPlanesAVXMatchesGo(t *testing.T) {
	if !planesAVX {
		t.Skip("no AVX")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	odd := func(size int, scale float64) []float64 {
		v := make([]float64, size)
		for i := range v {
			v[i] = oddFloat(rng, scale)
		}
		return v
	}
	for trial := 0; trial < 3000; trial++ {
		k, planes, w := 1+rng.IntN(9), 1+rng.IntN(10), 4*(1+rng.IntN(8))
		coef, x := odd(planes*(k+1)*w, 10), odd(k*w, 1)
		got, want := make([]float64, planes*w), make([]float64, planes*w)
		affinePlanesAVX(got, coef, x, k)
		affinePlanesGo(want, coef, x, k)
		if ok, i := sameStageBits(got, want); !ok {
			t.Fatalf("affinePlanes k = %d, w = %d: z[%d] = %#x, Go %#x", k, w, i, math.Float64bits(got[i]), math.Float64bits(want[i]))
		}
		coef, x = odd(planes*6*w, 10), odd(5*w, 1)
		got, want = make([]float64, planes*w), make([]float64, planes*w)
		affinePlanes5AVX(got, coef, x)
		affinePlanesGo(want, coef, x, 5)
		if ok, i := sameStageBits(got, want); !ok {
			t.Fatalf("affinePlanes5 w = %d: z[%d] = %#x, Go %#x", w, i, math.Float64bits(got[i]), math.Float64bits(want[i]))
		}

		n := 1 + rng.IntN(planesMaxN)
		lanesGo, guarded := make([]float64, n*planesWidth(n)), make([]float64, (n+1)*planesWidth(n))
		mass := odd(n*n, 1)
		pl := newPlanes(n, make([]float64, n*n), make([]float64, n*n), make([]float64, n*n*n), make([]float64, n*n*n))
		fillLanesGo(lanesGo, mass, pl.action, n)
		for i := len(lanesGo); i < len(guarded); i++ {
			guarded[i] = math.NaN()
		}
		fillLanesAVX(guarded[:len(lanesGo)], mass, n)
		if ok, i := sameBits(guarded, append(lanesGo, guarded[len(lanesGo):]...)); !ok {
			t.Fatalf("fillLanes n = %d: x[%d] = %v, Go %v", n, i, guarded[i], append(lanesGo, guarded[len(lanesGo):]...)[i])
		}
		for i, v := range guarded[len(lanesGo):] {
			if v == v {
				t.Fatalf("fillLanesAVX wrote %v at x[%d], past its %d lanes", v, len(lanesGo)+i, len(lanesGo))
			}
		}

		n = 1 + rng.IntN(9)
		z := make([]float64, n*w)
		for i := range z {
			z[i] = 50 * (2*rng.Float64() - 1)
			if trial%2 == 0 && rng.IntN(4*n*w) == 0 {
				z[i] = oddFloat(rng, 800)
			}
			if trial%3 == 1 && rng.IntN(2) == 0 { // maxima tied between +0 and -0
				z[i] = math.Copysign(0, float64(rng.IntN(2)*2-1))
			}
		}
		zGo, zAVX := slices.Clone(z), slices.Clone(z)
		bestGo, bestAVX := make([]float64, w), make([]float64, w)
		shiftPlanesGo(zGo, bestGo, n)
		if shiftPlanesAVX(zAVX, bestAVX, n) {
			if slices.ContainsFunc(bestGo, math.IsNaN) {
				t.Fatalf("shiftPlanesAVX took planes with a NaN maximum: %v", z)
			}
			if ok, i := sameStageBits(zAVX, zGo); !ok {
				t.Fatalf("shiftPlanes n = %d, w = %d: z[%d] = %#x, Go %#x", n, w, i, math.Float64bits(zAVX[i]), math.Float64bits(zGo[i]))
			}
		} else if ok, _ := sameBits(zAVX, z); !ok || !slices.ContainsFunc(bestGo, math.IsNaN) {
			t.Fatalf("shiftPlanesAVX refused planes (changed: %v) whose maxima %v", !ok, bestGo)
		}

		rows := w - rng.IntN(4)
		e := odd(n*w, 2)
		for i := range e {
			e[i] = math.Abs(e[i])
		}
		pGo, guarded := make([]float64, rows*n), make([]float64, (rows+4)*n)
		dividePlanesGo(pGo, e, make([]float64, w), n)
		for i := range guarded { // NaN: every entry up to rows is written, none past it
			guarded[i] = math.NaN()
		}
		pAVX := guarded[:rows*n]
		if j := dividePlanesAVX(pAVX, e, n, w); j != rows {
			t.Fatalf("dividePlanesAVX stopped at lane %d of %d", j, rows)
		}
		for i, v := range guarded[rows*n:] {
			if v == v {
				t.Fatalf("dividePlanesAVX wrote %v at p[%d], past its %d rows of %d", v, rows*n+i, rows, n)
			}
		}
		if ok, i := sameStageBits(pAVX, pGo); !ok {
			t.Fatalf("dividePlanes n = %d, %d rows: p[%d] = %#x, Go %#x", n, rows, i, math.Float64bits(pAVX[i]), math.Float64bits(pGo[i]))
		}
	}
}

// Without AVX (the Go kernels), the stages in planes are still the row-by-row stages.
func TestRandomLinearPlanesGoMatchRows(t *testing.T) {
	if !planesAVX {
		t.Skip("the Go kernels are in use anyway")
	}
	planesAVX = false
	defer func() { planesAVX = true }()
	TestRandomLinearPlanesMatchRows(t)
	TestSoftmaxPlanesMatchesRows(t)
}
