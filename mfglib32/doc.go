// Package mfglib32 reruns MFGLib 0.3.0's algorithms in MFGLib's own arithmetic, torch 1.13's
// float32, operation for operation, so that results can be checked against MFGLib bit for bit.
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
// Each of these is checked bit for bit against torch (testdata/gen_torch_ops.py), and the whole
// against MFGLib's exploitability traces. The games are the ones whose MFGLib results depend on
// float32 rounding: building evacuation, crowd motion and conservative treasure hunting. The
// algorithms are MFGLib's fictitious play, online mirror descent and prior descent.
package mfglib32
