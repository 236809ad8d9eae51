#include "textflag.h"

// func affinePlanesAVX(z, coef, x []float64, k int)
//
// For each plane p and each four lanes j..j+3 of the width w = len(x)/k:
// acc = coef[p·(k+1)·w + j]; for i = 1..k: acc = acc + coef[(p·(k+1)+i)·w + j]·x[(i-1)·w + j];
// z[p·w + j] = acc. VADDPD's first source (Intel order) is the accumulator. Eight lanes at a time
// (two independent sums, one offset for both rows), then the last four if w/4 is odd.
TEXT ·affinePlanesAVX(SB), NOSPLIT, $0-80
	MOVQ z_base+0(FP), DI
	MOVQ coef_base+24(FP), SI
	MOVQ x_base+48(FP), R8
	MOVQ x_len+56(FP), AX
	MOVQ k+72(FP), CX
	// R9 = w·8, the bytes of a row; DX = the end of z; R12 = (k+1)·w·8, the bytes of a plane's
	// rows; R14 = k·w·8, the offset past the last term's row.
	CQO
	IDIVQ CX
	MOVQ AX, R9
	SHLQ $3, R9
	MOVQ z_len+8(FP), DX // after CQO, which sets DX
	LEAQ (DI)(DX*8), DX
	MOVQ CX, R14
	IMULQ R9, R14
	LEAQ (R14)(R9*1), R12

plane:
	CMPQ DI, DX
	JGE  done
	XORQ BX, BX // the lanes' byte offset in the row

pair:
	LEAQ 32(BX), AX
	CMPQ AX, R9
	JGE  single
	VMOVUPD (SI)(BX*1), Y0   // acc = b, lanes j..j+3
	VMOVUPD 32(SI)(BX*1), Y2 // and j+4..j+7
	LEAQ (SI)(R9*1), R10
	ADDQ BX, R10             // row of c_1 at the lanes
	LEAQ (R8)(BX*1), R11     // row of x_1 at the lanes
	XORQ R13, R13

pairterm:
	VMOVUPD (R10)(R13*1), Y1
	VMOVUPD 32(R10)(R13*1), Y3
	VMULPD  (R11)(R13*1), Y1, Y1   // c·x
	VMULPD  32(R11)(R13*1), Y3, Y3
	VADDPD  Y1, Y0, Y0             // acc + c·x
	VADDPD  Y3, Y2, Y2
	ADDQ    R9, R13
	CMPQ    R13, R14
	JNE     pairterm

	VMOVUPD Y0, (DI)(BX*1)
	VMOVUPD Y2, 32(DI)(BX*1)
	ADDQ    $64, BX
	JMP     pair

single:
	CMPQ BX, R9
	JGE  nextplane
	VMOVUPD (SI)(BX*1), Y0
	LEAQ (SI)(R9*1), R10
	ADDQ BX, R10
	LEAQ (R8)(BX*1), R11
	XORQ R13, R13

term:
	VMOVUPD (R10)(R13*1), Y1
	VMULPD  (R11)(R13*1), Y1, Y1
	VADDPD  Y1, Y0, Y0
	ADDQ    R9, R13
	CMPQ    R13, R14
	JNE     term

	VMOVUPD Y0, (DI)(BX*1)

nextplane:
	ADDQ R12, SI
	ADDQ R9, DI
	JMP  plane

done:
	VZEROUPPER
	RET

DATA rlNegInf<>+0(SB)/8, $0xfff0000000000000
DATA rlNegInf<>+8(SB)/8, $0xfff0000000000000
DATA rlNegInf<>+16(SB)/8, $0xfff0000000000000
DATA rlNegInf<>+24(SB)/8, $0xfff0000000000000
GLOBL rlNegInf<>(SB), RODATA|NOPTR, $32

// func shiftPlanesAVX(z, best []float64, n int) bool
//
// With w = len(best), a multiple of 4: best[j] = max(…max(max(-Inf, z[j]), z[w+j])…, z[(n-1)·w+j])
// by Go's max, which is NaN exactly where a z[s·w+j] is; where none is, max(a, b) = MAXPD(a, b) &
// MAXPD(b, a) (MAXPD returning its second operand on equal operands: of ±0 the AND keeps +0, as Go
// does), a two-cycle chain shorter than the NaN-keeping form Go's compiler emits. If no z is NaN,
// z[s·w+j] = z[s·w+j] - best[j] for every s < n and j < w, and true, else false and z untouched.
TEXT ·shiftPlanesAVX(SB), NOSPLIT, $0-57
	MOVQ z_base+0(FP), SI
	MOVQ best_base+24(FP), DI
	MOVQ best_len+32(FP), R9
	MOVQ n+48(FP), CX
	SHLQ $3, R9                 // the bytes of a plane
	XORQ BX, BX                 // the lanes' byte offset
	XORQ DX, DX                 // the NaN maxima's lanes, ORed

maxgroup:
	CMPQ BX, R9
	JGE  maxdone
	VMOVUPD rlNegInf<>(SB), Y0  // best
	LEAQ (SI)(BX*1), R10
	MOVQ CX, R11
	VXORPD  Y6, Y6, Y6          // the NaN lanes of the v, ORed

maxplane:
	VMOVUPD (R10), Y2           // v
	VMAXPD  Y2, Y0, Y3          // best > v ? best : v (v on equal operands: ±0)
	VMAXPD  Y0, Y2, Y4          // v > best ? v : best
	VANDPD  Y3, Y4, Y0          // max(best, v) without NaNs: +0 if either zero is
	VCMPPD  $3, Y2, Y2, Y2      // UNORD_Q: NaN lanes of v
	VORPD   Y2, Y6, Y6
	ADDQ    R9, R10
	DECQ    R11
	JNZ     maxplane

	VMOVUPD   Y0, (DI)(BX*1)
	VMOVMSKPD Y6, AX
	ORQ       AX, DX
	ADDQ      $32, BX
	JMP       maxgroup

maxdone:
	TESTQ DX, DX
	JNZ   nan
	XORQ  BX, BX

subgroup:
	CMPQ BX, R9
	JGE  subdone
	VMOVUPD (DI)(BX*1), Y0
	LEAQ (SI)(BX*1), R10
	MOVQ CX, R11

subplane:
	VMOVUPD (R10), Y1
	VSUBPD  Y0, Y1, Y1          // v - best
	VMOVUPD Y1, (R10)
	ADDQ    R9, R10
	DECQ    R11
	JNZ     subplane

	ADDQ $32, BX
	JMP  subgroup

subdone:
	MOVB $1, ret+56(FP)
	VZEROUPPER
	RET

nan:
	MOVB $0, ret+56(FP)
	VZEROUPPER
	RET

// func dividePlanesAVX(p, z []float64, n, w int) int
//
// For lanes j = 0, 4, … < rows = len(p)/n (≤ w, a multiple of 4): sum = ((+0 + z[j]) + z[w+j]) +
// … + z[(n-1)·w+j] (the sum VADDPD's first operand), then p[j·n+s] = z[s·w+j] / sum for s < n,
// four lanes at a time, the last group's lanes past rows computed but not stored; returns rows.
// For n = 5 (MFGLib's) a group of four whole rows is stored as the twenty numbers they are, the
// quotients of planes 0..3 transposed into the rows' first four, plane 4's one by one: fewer
// stores than one a number.
TEXT ·dividePlanesAVX(SB), NOSPLIT, $0-72
	MOVQ p_base+0(FP), DI
	MOVQ p_len+8(FP), AX
	MOVQ z_base+24(FP), SI
	MOVQ n+48(FP), CX
	MOVQ w+56(FP), R9
	CQO
	IDIVQ CX
	MOVQ AX, R10                // rows
	SHLQ $3, R9                 // the bytes of a plane
	LEAQ (CX*8), R11            // the bytes of a row of p
	LEAQ (R11)(R11*2), R8       // three rows
	XORQ BX, BX                 // j

divgroup:
	MOVQ R10, AX
	SUBQ BX, AX                 // the rows left
	JLE  divdone
	VXORPD  Y0, Y0, Y0          // sum = +0
	LEAQ (SI)(BX*8), R12
	MOVQ CX, R13

sumplane:
	VADDPD (R12), Y0, Y0        // sum + e
	ADDQ   R9, R12
	DECQ   R13
	JNZ    sumplane

	LEAQ (SI)(BX*8), R12
	MOVQ BX, R14
	IMULQ R11, R14
	ADDQ DI, R14                // &p[j·n]
	CMPQ CX, $5
	JNE  divplanes
	CMPQ AX, $4
	JGE  div5                   // n = 5 and four rows: twenty numbers in a run

divplanes:
	MOVQ CX, R13

divplane:
	VMOVUPD (R12), Y1
	VDIVPD  Y0, Y1, Y1          // e / sum
	VEXTRACTF128 $1, Y1, X2
	VMOVSD  X1, (R14)
	CMPQ    AX, $2
	JLT     divnext
	VMOVHPD X1, (R14)(R11*1)
	CMPQ    AX, $3
	JLT     divnext
	VMOVSD  X2, (R14)(R11*2)
	CMPQ    AX, $4
	JLT     divnext
	VMOVHPD X2, (R14)(R8*1)

divnext:
	ADDQ    R9, R12
	ADDQ    $8, R14
	DECQ    R13
	JNZ     divplane

	ADDQ $4, BX
	JMP  divgroup

	// n = 5, four whole rows: the quotients of planes 0..3 transposed (rows j..j+3 of four
	// numbers, stored at p[(j+i)·5]), plane 4's stored one by one after them.
div5:
	VMOVUPD (R12), Y1
	VDIVPD  Y0, Y1, Y1          // e / sum, plane 0
	VMOVUPD (R12)(R9*1), Y2
	VDIVPD  Y0, Y2, Y2
	VMOVUPD (R12)(R9*2), Y3
	VDIVPD  Y0, Y3, Y3
	LEAQ    (R12)(R9*2), R13
	VMOVUPD (R13)(R9*1), Y4
	VDIVPD  Y0, Y4, Y4
	VMOVUPD (R12)(R9*4), Y5
	VDIVPD  Y0, Y5, Y5          // plane 4
	VUNPCKLPD Y2, Y1, Y6        // q0[0] q1[0] q0[2] q1[2]
	VUNPCKHPD Y2, Y1, Y7        // q0[1] q1[1] q0[3] q1[3]
	VUNPCKLPD Y4, Y3, Y8        // q2[0] q3[0] q2[2] q3[2]
	VUNPCKHPD Y4, Y3, Y9        // q2[1] q3[1] q2[3] q3[3]
	VPERM2F128 $0x20, Y8, Y6, Y1 // row j: q0[0] q1[0] q2[0] q3[0]
	VPERM2F128 $0x20, Y9, Y7, Y2 // row j+1
	VPERM2F128 $0x31, Y8, Y6, Y3 // row j+2
	VPERM2F128 $0x31, Y9, Y7, Y4 // row j+3
	VMOVUPD Y1, (R14)
	VMOVUPD Y2, 40(R14)
	VMOVUPD Y3, 80(R14)
	VMOVUPD Y4, 120(R14)
	VEXTRACTF128 $1, Y5, X6
	VMOVSD  X5, 32(R14)
	VMOVHPD X5, 72(R14)
	VMOVSD  X6, 112(R14)
	VMOVHPD X6, 152(R14)
	ADDQ $4, BX
	JMP  divgroup

divdone:
	MOVQ R10, ret+64(FP)
	VZEROUPPER
	RET

// rlLaneMask is, at lanes 8-n … 15-n, the mask of the lanes a < n of eight (all ones, then zeros).
DATA rlLaneMask<>+0(SB)/8, $-1
DATA rlLaneMask<>+8(SB)/8, $-1
DATA rlLaneMask<>+16(SB)/8, $-1
DATA rlLaneMask<>+24(SB)/8, $-1
DATA rlLaneMask<>+32(SB)/8, $-1
DATA rlLaneMask<>+40(SB)/8, $-1
DATA rlLaneMask<>+48(SB)/8, $-1
DATA rlLaneMask<>+56(SB)/8, $-1
DATA rlLaneMask<>+64(SB)/8, $0
DATA rlLaneMask<>+72(SB)/8, $0
DATA rlLaneMask<>+80(SB)/8, $0
DATA rlLaneMask<>+88(SB)/8, $0
DATA rlLaneMask<>+96(SB)/8, $0
DATA rlLaneMask<>+104(SB)/8, $0
DATA rlLaneMask<>+112(SB)/8, $0
DATA rlLaneMask<>+120(SB)/8, $0
GLOBL rlLaneMask<>(SB), RODATA|NOPTR, $128

// func fillLanesAVX(x, mass []float64, n int)
//
// For k < n, with w = len(x)/n: the row mass[k·n : k·n+n] loaded into eight lanes (VMASKMOVPD:
// lanes a ≥ n zero, their memory not read), stored at x[k·w + s·n : … + 8] for s = 0, 1, …, n-1
// in turn. Needs n ≤ 8 and (n-1)·n + 8 ≤ w.
TEXT ·fillLanesAVX(SB), NOSPLIT, $0-56
	MOVQ x_base+0(FP), DI
	MOVQ x_len+8(FP), AX
	MOVQ mass_base+24(FP), SI
	MOVQ n+48(FP), CX
	CQO
	IDIVQ CX
	SHLQ $3, AX                 // w·8, the bytes of a row of x
	LEAQ (CX*8), R11            // n·8, the bytes of a row of mass
	MOVQ $8, DX
	SUBQ CX, DX
	LEAQ rlLaneMask<>(SB), R8
	LEAQ (R8)(DX*8), R8
	VMOVUPD (R8), Y4            // the lanes a < n of 0..3
	VMOVUPD 32(R8), Y5          // of 4..7
	MOVQ CX, R9                 // rows k left

lanerow:
	VMASKMOVPD (SI), Y4, Y0
	VMASKMOVPD 32(SI), Y5, Y1
	MOVQ DI, R10
	MOVQ CX, R12

lanecopy:
	VMOVUPD Y0, (R10)
	VMOVUPD Y1, 32(R10)
	ADDQ    R11, R10
	DECQ    R12
	JNZ     lanecopy

	ADDQ R11, SI
	ADDQ AX, DI
	DECQ R9
	JNZ  lanerow

	VZEROUPPER
	RET

// func affinePlanes5AVX(z, coef, x []float64)
//
// affinePlanesAVX for k = 5, the lanes' order turned about: for each four lanes j..j+3 of the
// width w = len(x)/5, x_1..x_5 at those lanes are loaded once into Y8-Y12 and kept there for every
// plane p (z[p·w + j] for p < len(z)/w): acc = b, then acc = acc + c_i·x_i for i = 1..5 in order,
// c_i the first operand of the product (as affinePlanesAVX's) and acc that of the addition. The
// same operations, so the same bits, with five loads fewer a plane. Two planes at a time while
// two remain (independent sums interleaved, which the processor overlaps), then one.
TEXT ·affinePlanes5AVX(SB), NOSPLIT, $0-72
	MOVQ z_base+0(FP), DI
	MOVQ coef_base+24(FP), SI
	MOVQ x_base+48(FP), R8
	MOVQ x_len+56(FP), AX
	MOVQ $5, CX
	CQO
	IDIVQ CX
	MOVQ AX, R9
	SHLQ $3, R9                 // w·8, the bytes of a row
	LEAQ (R9)(R9*2), CX         // 3 rows
	LEAQ (R9)(R9*4), R12        // 5 rows
	MOVQ z_len+8(FP), DX
	LEAQ (DI)(DX*8), R13        // the end of z
	XORQ BX, BX                 // the lanes' byte offset

group5:
	CMPQ BX, R9
	JGE  done5
	LEAQ (R8)(BX*1), R11
	VMOVUPD (R11), Y8
	VMOVUPD (R11)(R9*1), Y9
	VMOVUPD (R11)(R9*2), Y10
	VMOVUPD (R11)(CX*1), Y11
	VMOVUPD (R11)(R9*4), Y12
	LEAQ (SI)(BX*1), R10        // b of plane 0 at the lanes
	LEAQ (DI)(BX*1), R11        // z of plane 0 at the lanes

pair5:
	LEAQ (R11)(R9*1), R14       // plane p+1's z
	CMPQ R14, R13
	JGE  plane5                 // fewer than two planes left
	LEAQ (R10)(CX*2), R15       // plane p+1's b
	VMOVUPD (R10), Y0
	VMOVUPD (R15), Y6
	VMOVUPD (R10)(R9*1), Y1
	VMOVUPD (R15)(R9*1), Y7
	VMULPD  Y8, Y1, Y1
	VMULPD  Y8, Y7, Y7
	VADDPD  Y1, Y0, Y0
	VADDPD  Y7, Y6, Y6
	VMOVUPD (R10)(R9*2), Y2
	VMOVUPD (R15)(R9*2), Y13
	VMULPD  Y9, Y2, Y2
	VMULPD  Y9, Y13, Y13
	VADDPD  Y2, Y0, Y0
	VADDPD  Y13, Y6, Y6
	VMOVUPD (R10)(CX*1), Y3
	VMOVUPD (R15)(CX*1), Y14
	VMULPD  Y10, Y3, Y3
	VMULPD  Y10, Y14, Y14
	VADDPD  Y3, Y0, Y0
	VADDPD  Y14, Y6, Y6
	VMOVUPD (R10)(R9*4), Y4
	VMOVUPD (R15)(R9*4), Y15
	VMULPD  Y11, Y4, Y4
	VMULPD  Y11, Y15, Y15
	VADDPD  Y4, Y0, Y0
	VADDPD  Y15, Y6, Y6
	VMOVUPD (R10)(R12*1), Y5
	VMOVUPD (R15)(R12*1), Y7
	VMULPD  Y12, Y5, Y5
	VMULPD  Y12, Y7, Y7
	VADDPD  Y5, Y0, Y0
	VADDPD  Y7, Y6, Y6
	VMOVUPD Y0, (R11)
	VMOVUPD Y6, (R14)
	LEAQ (R15)(CX*2), R10       // plane p+2's six rows
	LEAQ (R14)(R9*1), R11
	JMP  pair5

plane5:
	CMPQ R11, R13
	JGE  next5
	VMOVUPD (R10), Y0
	VMOVUPD (R10)(R9*1), Y1
	VMULPD  Y8, Y1, Y1
	VADDPD  Y1, Y0, Y0
	VMOVUPD (R10)(R9*2), Y2
	VMULPD  Y9, Y2, Y2
	VADDPD  Y2, Y0, Y0
	VMOVUPD (R10)(CX*1), Y3
	VMULPD  Y10, Y3, Y3
	VADDPD  Y3, Y0, Y0
	VMOVUPD (R10)(R9*4), Y4
	VMULPD  Y11, Y4, Y4
	VADDPD  Y4, Y0, Y0
	VMOVUPD (R10)(R12*1), Y5
	VMULPD  Y12, Y5, Y5
	VADDPD  Y5, Y0, Y0
	VMOVUPD Y0, (R11)
	LEAQ (R10)(CX*2), R10       // the next plane's six rows
	ADDQ R9, R11
	JMP  plane5

next5:
	ADDQ $32, BX
	JMP  group5

done5:
	VZEROUPPER
	RET
