package finite

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"golang.org/x/sys/cpu"

	"meanfield/mfg"
)

// fillByAction writes fill's products by state, bit for bit (a NaN's payload aside), and the same
// values by action, as byAction copies them; on 1 to 41 states (every remainder by four) of 1 to
// 7 actions, values special one time in two (±0, ±Inf, NaN, subnormals).
func TestFillByActionBitForBit(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 13))
	for S := 1; S <= 41; S++ {
		for _, A := range []int{1, 2, 5, 7} {
			mu, prob := specialSlice(rng, S), specialSlice(rng, S*A)
			dst, lt := make([]float64, S*A), make([]float64, S*A)
			fillByAction(dst, lt, mu, prob, A)
			wantDst, wantLt := make([]float64, S*A), make([]float64, S*A)
			fillGo(wantDst, mu, prob, A)
			for i, v := range wantDst {
				wantLt[(i%A)*S+i/A] = v
			}
			goDst, goLt := make([]float64, S*A), make([]float64, S*A)
			fillByActionGo(goDst, goLt, mu, prob, A)
			for i := range dst {
				if !sameOrNaN(dst[i], wantDst[i]) || !sameOrNaN(lt[i], wantLt[i]) || !sameOrNaN(goDst[i], wantDst[i]) || !sameOrNaN(goLt[i], wantLt[i]) {
					t.Fatalf("%d states, %d actions, value %d: by state %v (Go %v), by action %v (Go %v), want %v and %v",
						S, A, i, dst[i], goDst[i], lt[i], goLt[i], wantDst[i], wantLt[i])
				}
			}
			// By action, the kernel's values are the ones it wrote by state, bit for bit.
			byA := make([]float64, S*A)
			byAction(byA, dst, S, A)
			if !slices.EqualFunc(byA, lt, sameBits) {
				t.Fatalf("%d states, %d actions: the values by action are not those by state", S, A)
			}
		}
	}
}

// The fused kernel runs where the stencil kernels do: a probe that disagrees turns it off.
func TestFillByActionAVXOnWithAVX(t *testing.T) {
	if runtime.GOARCH == "amd64" && cpu.X86.HasAVX && !fillByActionAVX {
		t.Fatal("the probe disagrees with fillByActionGo: fillByAction5AVX is off")
	}
}

// A mean field's step through gatherNext, which gathers L_{t+1} from the copy by action that its
// fill made, gives fill's L_{t+1} and nextStatesOf's inflows bit for bit, when the next stage's
// moves are the same stencil and when they are another (the copy then unused).
func TestGatherNextAsFillAndNextStates(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 14))
	moves := [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {0, 0}}
	for _, shape := range [][2]int{{1, 1}, {3, 2}, {6, 6}, {9, 13}, {16, 5}} {
		for _, A := range []int{3, 5} {
			S := shape[0] * shape[1]
			m := gridMoves(t, shape[0], shape[1], moves[:A], [5]float64{0.1, 0.2, 0.3, 0.15, 0.25})
			other := gridMoves(t, shape[0], shape[1], moves[:A], [5]float64{0.2, 0.2, 0.2, 0.2, 0.2})
			for _, nextMoves := range []*mfg.MDP{m, other} {
				where := fmt.Sprintf("%d × %d, %d actions, same moves %v", shape[0], shape[1], A, nextMoves == m)
				mu := make([]float64, S)
				for i := range mu {
					mu[i] = rng.Float64()
				}
				prob := make([]float64, S*A)
				for i := range prob {
					prob[i] = rng.Float64()
				}
				var gn gatherNext
				got, want := make([]float64, S*A), make([]float64, S*A)
				gn.fill(m, got, mu, prob, A)
				fill(want, mu, prob, A)
				sameBitsAt(t, where+": L_{t+1}", got, want)
				if stencilAVX && gn.lt == nil && S > 1 {
					t.Errorf("%s: no copy by action", where)
				}
				var layout rowLayout
				next, wantNext := make([]float64, S), make([]float64, S)
				gn.nextStates(nextMoves, mfg.Population{States: S, Actions: A, Mass: got}, next, &layout)
				nextStatesOf(nextMoves, mfg.Population{States: S, Actions: A, Mass: want}, wantNext, &layout)
				sameBitsAt(t, where+": inflows", next, wantNext)
				gn.release()
			}
		}
	}
}
