package games

import (
	"meanfield/internal/fastmath"
	"meanfield/mfg"

	"golang.org/x/sys/cpu"
)

// stage5AVX is planes.fillPlanes for n = 5 (MFGLib's): without wide, in one pass over the lanes,
// four at a time in AVX2 registers, every number of a group kept in registers; with wide
// (AVX-512F), eight at a time in ZMM registers, in two passes (the logits' differences from their
// row's maximum held in prob between them), so that the groups' exponentials overlap. The same
// operations, so the same bits, where it returns true. It returns false, m's numbers partly
// written, where an exponential's argument lies outside fastmath.ExpInto's vector range (a NaN or
// infinite logit, or two logits of a row 708 apart). len(prob) is 125 or 0 (stage T: the rewards
// alone), len(reward) and len(mass) 25, coef and tail the planes' coefficients.
//
//go:noescape
func stage5AVX(prob, reward, coef, tail, mass []float64, wide bool) bool

// stage5Ready is set where stage5AVX runs: AVX2 and FMA (cpu.X86, which honours GODEBUG), ExpInto
// on math.Exp's FMA path (whose exponentials stage5AVX computes), and the kernel's bits confirmed
// on a probe stage.
var stage5Ready = cpu.X86.HasAVX2 && cpu.X86.HasFMA && fastmath.ExpFMA() && probeStage5(false)

// stage5Wide is set where stage5AVX runs with wide: stage5Ready, AVX-512F (cpu.X86.HasAVX512F,
// which needs the operating system to keep the ZMM registers and honours GODEBUG=cpu.avx512f=off),
// and the bits confirmed on the probe stage. Eight lanes a vector halve the kernel's arithmetic
// instructions; on a processor with full-width AVX-512 units (an AMD Zen 5 server part) the
// kernel took about 40% less time.
var stage5Wide = stage5Ready && cpu.X86.HasAVX512F && probeStage5(true)

// stage5 is stage5AVX on m where it runs and pl has its coefficients (n = 5, none NaN: pl.tail),
// reporting whether it set m; else false. m's slices are bounded as fillPlanes's: the kernel
// writes 125 probabilities unless m.Prob is empty.
func stage5(pl *planes, mass []float64, m *mfg.MDP) bool {
	if !stage5Ready || pl.tail == nil {
		return false
	}
	prob := m.Prob
	if len(prob) != 0 {
		prob = prob[:125]
	}
	return stage5AVX(prob, m.Reward[:25], pl.coef, pl.tail, mass[:25], stage5Wide)
}

// probeStage5 reports that stage5AVX (with wide or not) gives fillPlanes's bits on a stage of the
// default game at a mean field with zeros, ties and uneven masses.
func probeStage5(wide bool) bool {
	g, err := NewRandomLinear(DefaultRandomLinearParams())
	if err != nil || g.planes == nil {
		return false
	}
	mass := make([]float64, 25)
	for i := range mass {
		mass[i] = float64(i%7) / 63
	}
	mass[3], mass[11] = 0.25, 0.25
	got := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
	want := &mfg.MDP{Reward: make([]float64, 25), Prob: make([]float64, 125)}
	if !stage5AVX(got.Prob, got.Reward, g.planes.coef, g.planes.tail, mass, wide) {
		return false
	}
	g.planes.fillPlanes(mass, want)
	return sameUpToNaNs(got.Reward, want.Reward) && sameUpToNaNs(got.Prob, want.Prob)
}
