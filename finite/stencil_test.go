package finite

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"
	"weak"

	"golang.org/x/sys/cpu"

	"meanfield/mfg"
)

// gridMoves builds the moves of a game on an l × w grid with the given displacements as actions,
// then a noise step of the same five steps as crowd motion's with probabilities noise (zero ones
// left out), clamped at the edges, and attaches their stencil.
func gridMoves(t testing.TB, l, w int, actions [][2]int, noise [5]float64) *mfg.MDP {
	t.Helper()
	steps := [5][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	b := mfg.NewMDPBuilder(l*w, len(actions), 0)
	for s := 0; s < l*w; s++ {
		for _, a := range actions {
			var next []int
			var prob []float64
			for k, e := range steps {
				if noise[k] == 0 {
					continue
				}
				sp := min(max(s/w+a[0]+e[0], 0), l-1)*w + min(max(s%w+a[1]+e[1], 0), w-1)
				found := false
				for m := range next {
					if next[m] == sp {
						prob[m] += noise[k]
						found = true
					}
				}
				if !found {
					next, prob = append(next, sp), append(prob, noise[k])
				}
			}
			for m := range next {
				b.Add(next[m], prob[m])
			}
			b.EndRow()
		}
	}
	m, err := b.BuildStage()
	if err != nil {
		t.Fatal(err)
	}
	if err := mfg.NewStencil(m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestStencilKernelsBitForBit checks nextStates, expectNext and expectBoth with the stencil against
// the sparse rows, bit for bit, on grids of several shapes, numbers of actions (the kernels'
// general strides and the special one of five) and noises, for masses with zeros and values of
// both signs.
func TestStencilKernelsBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	moves := [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}, {2, -1}, {0, 3}}
	for _, shape := range [][2]int{{1, 1}, {1, 7}, {3, 2}, {6, 6}, {9, 13}, {16, 5}} {
		for _, A := range []int{1, 2, 3, 5, 7} {
			x := rng.Float64() / 4
			for _, noise := range [][5]float64{{x, x, x, x, 1 - 4*x}, {0, 0, 0, 0, 1}, {0.25, 0.25, 0.25, 0.25, 0}, {0.1, 0.2, 0.3, 0.15, 0.25}} {
				m := gridMoves(t, shape[0], shape[1], moves[:A], noise)
				where := fmt.Sprintf("%d × %d, %d actions, noise %v", shape[0], shape[1], A, noise)
				compareKernels(t, where, m, rng)
			}
		}
	}
}

// compareKernels compares the kernels on m with and without its stencil.
func compareKernels(t *testing.T, where string, m *mfg.MDP, rng *rand.Rand) {
	t.Helper()
	plain := *m
	plain.Stencil = nil
	S, A := m.States, m.Actions
	for trial := range 4 {
		plain.Reward, m.Reward = make([]float64, S*A), make([]float64, S*A)
		L := mfg.Population{States: S, Actions: A, Mass: make([]float64, S*A)}
		for i := range L.Mass {
			if trial == 3 || rng.IntN(4) > 0 { // trial 3: no zero, so the gather is taken
				L.Mass[i] = rng.Float64()
			}
			m.Reward[i] = rng.NormFloat64()
		}
		copy(plain.Reward, m.Reward)
		v := make([]float64, 2*S)
		for i := range v {
			v[i] = rng.NormFloat64() * 10
		}
		got, want := make([]float64, S), make([]float64, S)
		nextStates(m, L, got)
		nextStates(&plain, L, want)
		sameBitsAt(t, where+": next states", got, want)
		got, want = make([]float64, S*A), make([]float64, S*A)
		expectNext(m, v[:S], got)
		expectNext(&plain, v[:S], want)
		sameBitsAt(t, where+": expected next values", got, want)
		got0, got1, want0, want1 := make([]float64, S*A), make([]float64, S*A), make([]float64, S*A), make([]float64, S*A)
		expectBoth(m, v, got0, got1)
		expectBoth(&plain, v, want0, want1)
		sameBitsAt(t, where+": both expected values (first)", got0, want0)
		sameBitsAt(t, where+": both expected values (second)", got1, want1)
	}
}

func sameBitsAt(t *testing.T, where string, got, want []float64) {
	t.Helper()
	for i := range got {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("%s: entry %d is %v with the stencil, %v without", where, i, got[i], want[i])
		}
	}
}

// TestStencilDescribes checks that the stencil describes the MDP it was made for and its shallow
// copies (a stage sharing the moves), not a copy with other transitions, and that every row is its
// pattern.
func TestStencilDescribes(t *testing.T) {
	m := gridMoves(t, 5, 4, [][2]int{{1, 0}, {0, -1}, {0, 0}}, [5]float64{0.1, 0.1, 0.1, 0.1, 0.6})
	st := m.Stencil
	stage := *m
	stage.Reward = make([]float64, len(m.Reward))
	clone := stage
	clone.Next = append([]int(nil), m.Next...)
	switch {
	case !st.Describes(m) || !st.Describes(&stage):
		t.Error("the stencil does not describe its MDP or a shallow copy")
	case st.Describes(&clone):
		t.Error("the stencil describes a copy with other successors")
	case (*mfg.Stencil)(nil).Describes(m):
		t.Error("a nil stencil describes an MDP")
	}
	for i := range st.Pattern {
		pat, s := st.Patterns[st.Pattern[i]], i/m.Actions
		lo, hi := m.RowStart[i], m.RowStart[i+1]
		if len(pat.Offset) != hi-lo {
			t.Fatalf("row %d has %d successors, its pattern %d", i, hi-lo, len(pat.Offset))
		}
		for k := range pat.Offset {
			if m.Next[lo+k] != s+pat.Offset[k] || m.Prob[lo+k] != pat.Prob[k] {
				t.Fatalf("row %d, successor %d: %d with %v, its pattern says %d with %v", i, k, m.Next[lo+k], m.Prob[lo+k], s+pat.Offset[k], pat.Prob[k])
			}
		}
	}
	if len(st.Patterns) > 3*9 { // each action: inside, 4 edges, 4 corners at most
		t.Errorf("%d patterns for 3 actions", len(st.Patterns))
	}
}

// TestStencilKernelsBitForBitWithoutAVX is TestStencilKernelsBitForBit on the Go kernels, which
// other machines run (and this one with GODEBUG=cpu.avx=off).
func TestStencilKernelsBitForBitWithoutAVX(t *testing.T) {
	if !stencilAVX {
		t.Skip("the Go kernels are the ones TestStencilKernelsBitForBit tests here")
	}
	stencilAVX = false
	defer func() { stencilAVX = true }()
	TestStencilKernelsBitForBit(t)
}

// The AVX kernels are used where the machine has AVX: a probe that disagrees turns them off.
func TestStencilAVXOnWithAVX(t *testing.T) {
	if runtime.GOARCH == "amd64" && cpu.X86.HasAVX && !stencilAVX {
		t.Fatal("the probe disagrees with the Go kernels: the AVX kernels are off")
	}
}

// specialValue is a random float64, one time in two a special one: ±0, ±Inf, NaN, a subnormal, the
// largest or the smallest normal, of either sign.
func specialValue(rng *rand.Rand) float64 {
	specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 5e-324,
		math.SmallestNonzeroFloat64 * 3, 2.2250738585072014e-308, math.MaxFloat64, 1}
	if rng.IntN(2) == 0 {
		x := specials[rng.IntN(len(specials))]
		if rng.IntN(2) == 0 {
			x = -x
		}
		return x
	}
	return rng.NormFloat64() * math.Exp2(float64(rng.IntN(40)-20))
}

// sameOrNaN reports whether x and y have the same bits, or are both NaN (a sum of two NaNs keeps
// the one its first operand holds, which the Go compiler's choice of registers decides).
func sameOrNaN(x, y float64) bool {
	return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
}

// TestStencilAVXKernelsBitForBit checks bothRunAVX, bothStrideAVX, gatherAVX and gatherStrideAVX
// against their Go forms on random runs (1 to 40 states, 1 to 9 terms, random offsets, strides, steps and starts) of values that are
// special one time in two (±0, ±Inf, NaN, subnormals), probabilities included, bit for bit.
func TestStencilAVXKernelsBitForBit(t *testing.T) {
	if !stencilAVX {
		t.Skip("no AVX kernels on this machine")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 3000 {
		count, terms, stride := 1+rng.IntN(40), 1+rng.IntN(9), 1+rng.IntN(6)
		off, shift, prob := make([]int, terms), make([]int, terms), make([]float64, terms)
		for k := range off {
			off[k], shift[k], prob[k] = rng.IntN(21)-10, rng.IntN(21)-10, specialValue(rng)
		}
		s0 := 10 + rng.IntN(3)
		v := make([]float64, 2*(s0+count+10))
		for i := range v {
			v[i] = specialValue(rng)
		}
		r := make([]float64, count*stride)
		for i := range r {
			r[i] = specialValue(rng)
		}
		got0, got1, want0, want1 := make([]float64, len(r)), make([]float64, len(r)), make([]float64, len(r)), make([]float64, len(r))
		rows := 1 + rng.IntN(3) // runs of count/rows states, skip apart, within count states
		skip := rng.IntN(count/rows + 1)
		run := max(1, (count-(rows-1)*skip)/rows)
		if (rows-1)*(run+skip)+run > count {
			rows, skip, run = 1, 0, count
		}
		bothRunAVX(v, s0, off, prob, r, got0, got1, stride, run, rows, skip)
		bothRunGo(v, s0, off, prob, r, want0, want1, stride, run, rows, skip)
		for i := range r {
			if !sameOrNaN(got0[i], want0[i]) || !sameOrNaN(got1[i], want1[i]) {
				t.Fatalf("trial %d, row %d: bothRunAVX (%v, %v), Go (%v, %v)", trial, i, got0[i], got1[i], want0[i], want1[i])
			}
		}
		step, n := 1+rng.IntN(4), 1+(count-1)/4 // n states at step, within v's count
		clear(got0)
		clear(want0)
		bothStrideAVX(v, s0, step, off, prob, r, got0, got1, stride*step, n)
		bothStrideGo(v, s0, step, off, prob, r, want0, want1, stride*step, n)
		for i := range r {
			if !sameOrNaN(got0[i], want0[i]) || !sameOrNaN(got1[i], want1[i]) {
				t.Fatalf("trial %d, row %d: bothStrideAVX (%v, %v), Go (%v, %v)", trial, i, got0[i], got1[i], want0[i], want1[i])
			}
		}
		got, want := make([]float64, s0+count+1), make([]float64, s0+count+1)
		gatherAVX(v, shift, prob, got, s0, count)
		gatherRunGo(v, shift, prob, want, s0, count)
		for j := range got {
			if !sameOrNaN(got[j], want[j]) {
				t.Fatalf("trial %d, state %d: gatherAVX %v, Go %v", trial, j, got[j], want[j])
			}
		}
		clear(got)
		clear(want)
		gatherStrideAVX(v, shift, prob, got, s0, step, n)
		gatherStrideGo(v, shift, prob, want, s0, step, n)
		for j := range got {
			if !sameOrNaN(got[j], want[j]) {
				t.Fatalf("trial %d, state %d: gatherStrideAVX %v, Go %v", trial, j, got[j], want[j])
			}
		}
	}
}

// block is expectBoth for the rows of b, of pattern pat, in AVX, if every index it reads and
// writes is in range (false, nothing written, otherwise): one block's job run alone, for the tests.
func (k *bothKernel) block(pat *mfg.StencilPattern, b mfg.StencilBlock) bool {
	t, ok := termsOf(pat.Offset, pat.Prob)
	if !ok {
		return false
	}
	job, ok := blockJob(&t, b, len(k.v)/2, k.A, len(k.reward))
	if ok {
		bothJobsAVX(&k.v[0], &k.reward[0], &k.dst0[0], &k.dst1[0], &job, 1)
	}
	return ok
}

// strided is expectBoth for the rows of sd, of pattern pat, in AVX, if every index it reads and
// writes is in range (false, nothing written, otherwise): one stride's job run alone, for the tests.
func (k *bothKernel) strided(pat *mfg.StencilPattern, sd mfg.StencilStride) bool {
	t, ok := termsOf(pat.Offset, pat.Prob)
	if !ok {
		return false
	}
	job, ok := strideJob(&t, sd, len(k.v)/2, k.A, len(k.reward))
	if ok {
		bothJobsAVX(&k.v[0], &k.reward[0], &k.dst0[0], &k.dst1[0], &job, 1)
	}
	return ok
}

// The AVX kernels' index checks refuse a block or a stride whose rows lie past the rewards (and
// destinations), even where the action alone is past them: with fewer rewards than actions,
// (n-1-a)/A truncates a negative numerator to 0, which let row a of state 0 through and had
// bothRunAVX and bothStrideAVX write d0[a] and d1[a] past the slices' ends.
func TestStencilAVXChecksRowsPastRewards(t *testing.T) {
	const A, n = 5, 2 // two rewards, five actions: action 2's row of state 0 is past them
	pat := &mfg.StencilPattern{Offset: []int{0}, Prob: []float64{1}}
	for _, kernel := range []string{"block", "stride"} {
		v := make([]float64, 2*3) // three states
		buf0, buf1, reward := make([]float64, 8), make([]float64, 8), make([]float64, 8)
		k := bothKernel{v: v, dst0: buf0[:n], dst1: buf1[:n], reward: reward[:n], A: A}
		for i := n; i < len(buf0); i++ {
			buf0[i], buf1[i] = -1, -1
		}
		var ok bool
		if kernel == "block" {
			ok = k.block(pat, mfg.StencilBlock{Action: 2, Start: 0, Len: 1, Step: 1, Rows: 1})
		} else {
			ok = k.strided(pat, mfg.StencilStride{Action: 2, Start: 0, Step: 1, Count: 1}) // bothStrideAVX takes one state too
		}
		if ok {
			t.Errorf("%s: rows of action 2 accepted with %d rewards", kernel, n)
		}
		for i := n; i < len(buf0); i++ {
			if buf0[i] != -1 || buf1[i] != -1 {
				t.Fatalf("%s: the destinations written past their length at %d", kernel, i)
			}
		}
	}
}

// byAction stores L by action, bit for bit (NaN's payload included: it only moves values), for 1
// to 41 states (byAction5AVX's four at a time and the last ones) of 1 to 7 actions, with the AVX
// kernel and without.
func TestByActionTransposes(t *testing.T) {
	defer func(avx bool) { stencilAVX = avx }(stencilAVX)
	rng := rand.New(rand.NewPCG(31, 32))
	for _, avx := range []bool{false, stencilAVX} {
		stencilAVX = avx
		for trial := range 300 {
			S, A := 1+rng.IntN(41), []int{5, 5, 1, 3, 7}[trial%5]
			mass := make([]float64, S*A)
			for i := range mass {
				mass[i] = specialValue(rng)
			}
			lt := make([]float64, S*A)
			byAction(lt, mass, S, A)
			for s := range S {
				for a := range A {
					if math.Float64bits(lt[a*S+s]) != math.Float64bits(mass[s*A+a]) {
						t.Fatalf("AVX %v, %d×%d: L(%d, %d) by action is %v, want %v", avx, S, A, s, a, lt[a*S+s], mass[s*A+a])
					}
				}
			}
		}
	}
}

// A stencil's plan is made once and kept while the stencil lives, whichever stencil the kernels
// saw last; a collected stencil's plan goes with it.
func TestStencilPlansFollowStencils(t *testing.T) {
	moves := [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	noise := [5]float64{0.125, 0.125, 0.125, 0.125, 0.5}
	a, b := gridMoves(t, 6, 5, moves, noise).Stencil, gridMoves(t, 4, 7, moves, noise).Stencil
	pa, pb := planOf(a), planOf(b)
	if planOf(a) != pa || planOf(b) != pb || pa == pb || len(pa.patterns) != len(a.Patterns) {
		t.Fatal("a stencil's plan is made anew, or shared with another stencil's")
	}
	key := weak.Make(a)
	a = nil // b is the stencil last seen
	for i := 0; i < 200; i++ {
		if _, ok := plans.Load(key); !ok {
			runtime.KeepAlive(b)
			return
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the plan of a collected stencil stays")
}

// expectBoth through W (shiftJobs: crowd motion's moves, a displacement then a noise step) gives
// the sparse rows' sums, bit for bit but for NaN's payload, on values that are special one time in
// two (±0, ±Inf, NaN, subnormals); on grids whose blocks hold BlockRows runs and, wider, five
// (12 × 60) or one (8 × 200: mfg.BlockStates).
func TestStencilShiftedRowsSpecialValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	moves := [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	for _, shape := range [][2]int{{6, 6}, {9, 13}, {20, 20}, {12, 60}, {8, 200}} {
		m := gridMoves(t, shape[0], shape[1], moves, [5]float64{0.125, 0.125, 0.125, 0.125, 0.5})
		if stencilAVX && planOf(m.Stencil).shift == nil {
			t.Fatalf("%v: no rows through W", shape)
		}
		plain := *m
		plain.Stencil = nil
		S, A := m.States, m.Actions
		for range 4 {
			m.Reward = make([]float64, S*A)
			v := make([]float64, 2*S)
			for i := range m.Reward {
				m.Reward[i] = specialValue(rng)
			}
			for i := range v {
				v[i] = specialValue(rng)
			}
			plain.Reward = m.Reward
			got0, got1, want0, want1 := make([]float64, S*A), make([]float64, S*A), make([]float64, S*A), make([]float64, S*A)
			expectBoth(m, v, got0, got1)
			expectBoth(&plain, v, want0, want1)
			for i := range got0 {
				if !sameOrNaN(got0[i], want0[i]) || !sameOrNaN(got1[i], want1[i]) {
					t.Fatalf("%v, row %d: (%v, %v), want (%v, %v)", shape, i, got0[i], got1[i], want0[i], want1[i])
				}
			}
		}
	}
}
