//go:build amd64 && linux

package games

import (
	"math"
	"syscall"
	"testing"
	"unsafe"

	"meanfield/mfg"
)

// guardedFloats returns n float64s that end where an inaccessible page begins (atEnd) or begin
// where one ends, so that a kernel's access past the slice's end (or before its start) faults.
func guardedFloats(t *testing.T, n int, atEnd bool) []float64 {
	t.Helper()
	page := syscall.Getpagesize()
	size := (n*8+page-1)/page*page + 2*page
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	for _, g := range [][]byte{mem[:page], mem[size-page:]} {
		if err := syscall.Mprotect(g, syscall.PROT_NONE); err != nil {
			t.Skipf("mprotect: %v", err)
		}
	}
	off := page
	if atEnd {
		off = size - page - n*8
	}
	return unsafe.Slice((*float64)(unsafe.Pointer(&mem[off])), n)
}

// stage5AVX, on either path, reads and writes its slices only within their lengths: with every
// slice against an inaccessible page on one side or the other, no access faults, and the stage
// is fillPlanes's.
func TestStage5StaysInSlices(t *testing.T) {
	if !stage5Ready {
		t.Skip("stage5AVX does not run here")
	}
	g, err := NewRandomLinear(DefaultRandomLinearParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, atEnd := range []bool{true, false} {
		coef := guardedFloats(t, len(g.planes.coef), atEnd)
		tail := guardedFloats(t, len(g.planes.tail), atEnd)
		mass := guardedFloats(t, 25, atEnd)
		copy(coef, g.planes.coef)
		copy(tail, g.planes.tail)
		for i := range mass {
			mass[i] = float64(i%6+1) / 90
		}
		for _, nProb := range []int{125, 0} {
			want := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, nProb)}
			g.planes.fillPlanes(mass, want)
			for _, wide := range stage5Variants() {
				prob := guardedFloats(t, nProb, atEnd)
				reward := guardedFloats(t, 25, atEnd)
				if !stage5AVX(prob, reward, coef, tail, mass, wide) {
					t.Fatalf("wide %v, %d probabilities: refused", wide, nProb)
				}
				for _, c := range [][2][]float64{{reward, want.Reward}, {prob, want.Prob}} {
					if same, i := sameBits(c[0], c[1]); !same {
						t.Fatalf("wide %v, %d probabilities: entry %d = %#x, fillPlanes %#x", wide, nProb, i,
							math.Float64bits(c[0][i]), math.Float64bits(c[1][i]))
					}
				}
			}
		}
	}
}
