package fastmath

import "math"

// exactTable reports that expTable4 runs here (amd64 with AVX2) and gives Exp's bits on the probes;
// it is set per architecture at start-up. (Its initializer calls Exp, which reads table, so Go
// initializes table first, as expTable4, reading it from assembly, needs.)
var exactTable = haveExactTable()

// tableProbes are arguments on which Exp as written (every product rounded, then added) and Exp
// with r + r·r·q or scale + scale·p fused into an FMA, alone or with any of its Horner steps, round
// differently: the Go compiler fuses such steps where the target allows (GOARCH=arm64, amd64 with
// GOAMD64=v3 and above), and expTable4, which does not, must then not be used. (Fusing 1/2 + r·q
// alone changed none of 10^8 random results, so no probe could be found for it.) 1 and -0.5 are
// plain arguments.
var tableProbes = []float64{-4.625126242195641, -27.950627482386178, 1, -0.5}

// ExpTableInto sets dst[i] = Exp(src[i]) for every i < len(src), bit for bit; dst must be at least
// as long as src, and may be src itself (but no other slice overlapping it). Exp computes, rounding
// after every operation,
//
//	z = x·128/ln 2, k = round(z) (to nearest, ties to even, by adding and subtracting 1.5·2^52),
//	r = (x - k·ln2HiN) - k·ln2LoN, scale = 2^(k/128) (from the table),
//	p = r + (r·r)·(1/2 + r·(1/6 + r·(1/24 + r·(1/120)))), e^x ≈ scale + scale·p,
//
// and on amd64 machines with AVX2 ExpTableInto does the same operations, in the same order and
// unfused, on four arguments at once. A group of four with an argument outside [-690, 709] (or
// NaN), the last one to three arguments, and every other machine get Exp itself.
func ExpTableInto(dst, src []float64) {
	dst = dst[:len(src)]
	if exactTable {
		for {
			done := expTable4(dst, src) // up to the first four with an argument outside the range
			dst, src = dst[done:], src[done:]
			if len(src) < 4 {
				break
			}
			for i, x := range src[:4] { // Exp hands the out-of-range ones to math.Exp
				dst[i] = Exp(x)
			}
			dst, src = dst[4:], src[4:]
		}
	}
	for i, x := range src { // src[i] is read before dst[i], which may be the same number, is set
		dst[i] = Exp(x)
	}
}

// probeTable reports whether expTable4 gives Exp's bits on every probe.
func probeTable() bool {
	e := make([]float64, len(tableProbes))
	if expTable4(e, tableProbes) != len(tableProbes) {
		return false
	}
	for i, x := range tableProbes {
		if math.Float64bits(e[i]) != math.Float64bits(Exp(x)) {
			return false
		}
	}
	return true
}
