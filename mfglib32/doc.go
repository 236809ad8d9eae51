// Package mfglib32 reruns MFGLib 0.3.0's algorithms in MFGLib's own arithmetic, torch 1.13's
// float32, operation for operation, so that results can be checked against MFGLib bit for bit.
//
// It is an internal conformance backend, frozen at MFGLib 0.3.0: it reproduces that release's
// numbers and is not where algorithms are developed (package algorithms holds each algorithm once,
// in float64, for every game). It is reached through the games' registry (New decodes a game's
// parameters as games.New does) and through mfg solve --arithmetic mfglib-float32; Solve returns
// the engine's result type, so its runs are written and summarised like any other.
//
// The package finite solves the same games in float64, which is closer to the exact answer. The
// two differ by float32 rounding, which is usually far below any tolerance but not always: the
// exploitability is a difference of two values some 10⁴ times larger, and MFGLib's fictitious play
// picks its best response among actions whose Q-values are equal in exact arithmetic by exact
// float32 equality, so that rounding decides which actions tie. Reproducing MFGLib's numbers then
// needs its rounding, which this package has:
//
//   - every elementwise operation rounds to float32, with Python scalars rounded to float32 first,
//     as torch does;
//   - sums follow torch's CPU kernels (Sum): a cascaded sum in 4 interleaved accumulators, in
//     8-lane AVX2 vectors from 8 elements on;
//   - matrix products follow the reference BLAS that Debian's torch calls (left to right), and
//     mean_field_from_policy's three-operand einsum (the product π·L first, then the sum over
//     actions, then states);
//   - log and exp are SLEEF 3.5.1's (Logf, Expf), the library torch's vectorised kernels call,
//     including its fused multiply-adds.
//
// The sums, log and exp (SLEEF's and glibc's), softmaxes and matrix products are checked bit for
// bit against torch on random inputs (testdata/gen_torch_ops.py); the einsum, the matrix-vector
// products and the elementwise steps through whole runs, whose exploitabilities must equal every
// value of MFGLib's reference traces (finite/testdata). The games are MFGLib 0.3.0's ten (New
// builds them by name); the algorithms its fictitious play, online mirror descent and prior
// descent. Runs that MFGLib cannot give a meaningful result for are refused with the reason: its
// fictitious play on equilibrium price (it raises), a log-eps that float32 rounds to 0, and a
// policy that overflows to NaN (prior descent with a small eta).
package mfglib32
