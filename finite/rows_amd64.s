#include "textflag.h"

// The row kernels of the dense and general passes in AVX (rows.go states each in Go): every
// product rounded before its sum (VMULSD/VMULPD then VADDSD/VADDPD, never an FMA), each sum's
// first operand the running sum and each product's first operand the one Go's code names first,
// so each result has the Go forms' bits.

// MELEM takes the entry at byte offset OFF from row R10 into the maximum (X0) and the expectation
// (X1), as one pass of melem.
#define MELEM(OFF) \
	VMOVSD OFF(SI)(R10*8), X2; \
	VMAXSD X0, X2, X0; \
	VMOVSD OFF(DX)(R10*8), X3; \
	VMULSD OFF(R8)(R10*8), X3, X3; \
	VADDSD X3, X1, X1

// neginf is -Inf, for a broadcast from memory.
DATA neginf<>+0(SB)/8, $0xfff0000000000000
GLOBL neginf<>(SB), RODATA|NOPTR, $8

// COLS2 loads the entries off/8 and off/8+1 of four rows of five (40 bytes apart, from R) and
// leaves entry off/8 of the four rows in YA and entry off/8+1 in YB, lane k row k (Y12, Y13
// scratch).
#define COLS2(R, off, YA, YB) \
	VMOVUPD     off(R), X12; \
	VINSERTF128 $1, off+80(R), Y12, Y12; \
	VMOVUPD     off+40(R), X13; \
	VINSERTF128 $1, off+120(R), Y13, Y13; \
	VUNPCKLPD   Y13, Y12, YA; \
	VUNPCKHPD   Y13, Y12, YB

// func rowsMaxDotAVX(q, p, own, v []float64, A int)
//
// For the rows s < len(v)/2 of A entries: v[2s] = the largest of q[sA..sA+A-1], NaNs skipped (-Inf
// for none; of equal values, the first), v[2s+1] = Σ_a p[sA+a]·own[sA+a] from +0 in the order of
// a. VMAXSD returns its second source where either is NaN or both are zero: with the running
// maximum there, a NaN entry and an equal later zero leave it as it is (VMAXPD likewise in each
// lane). Rows of five go four at a time, transposed into lanes, then one by one. A ≥ 1; the caller
// checks every index.
TEXT ·rowsMaxDotAVX(SB), NOSPLIT, $0-104
	MOVQ q_base+0(FP), SI
	MOVQ p_base+24(FP), DX
	MOVQ own_base+48(FP), R8
	MOVQ v_base+72(FP), DI
	MOVQ v_len+80(FP), CX
	SHRQ $1, CX
	JZ   mdone
	MOVQ A+96(FP), BX
	MOVQ $0xfff0000000000000, AX // -Inf
	XORQ R10, R10
	CMPQ BX, $5
	JEQ  mquad5

mrow:
	VMOVQ  AX, X0
	VXORPD X1, X1, X1
	LEAQ   (R10)(BX*1), R11

melem:
	VMOVSD (SI)(R10*8), X2
	VMAXSD X0, X2, X0
	VMOVSD (DX)(R10*8), X3
	VMULSD (R8)(R10*8), X3, X3
	VADDSD X3, X1, X1
	INCQ   R10
	CMPQ   R10, R11
	JLT    melem
	VMOVSD X0, (DI)
	VMOVSD X1, 8(DI)
	ADDQ   $16, DI
	DECQ   CX
	JNZ    mrow

mdone:
	RET

mquad5: // four rows of five at a time, lane k row k: their entries transposed (COLS2), then each
	// lane the operations of mrow5 on its row, in its order
	CMPQ         CX, $4
	JLT          mrow5
	LEAQ         (SI)(R10*8), R11
	LEAQ         (DX)(R10*8), R12
	LEAQ         (R8)(R10*8), R13
	VBROADCASTSD neginf<>(SB), Y5 // the maxima, from -Inf (from memory: from a register is AVX2)
	VXORPD       Y10, Y10, Y10   // the expectations, from +0
	COLS2(R11, 0, Y0, Y1)
	COLS2(R11, 16, Y2, Y3)
	COLS2(R11, 24, Y14, Y4)
	VMAXPD       Y5, Y0, Y5
	VMAXPD       Y5, Y1, Y5
	VMAXPD       Y5, Y2, Y5
	VMAXPD       Y5, Y3, Y5
	VMAXPD       Y5, Y4, Y5
	COLS2(R12, 0, Y0, Y1)
	COLS2(R13, 0, Y2, Y3)
	VMULPD       Y2, Y0, Y0
	VADDPD       Y0, Y10, Y10
	VMULPD       Y3, Y1, Y1
	VADDPD       Y1, Y10, Y10
	COLS2(R12, 16, Y0, Y1)
	COLS2(R13, 16, Y2, Y3)
	VMULPD       Y2, Y0, Y0
	VADDPD       Y0, Y10, Y10
	VMULPD       Y3, Y1, Y1
	VADDPD       Y1, Y10, Y10
	COLS2(R12, 24, Y14, Y1)
	COLS2(R13, 24, Y14, Y3)
	VMULPD       Y3, Y1, Y1
	VADDPD       Y1, Y10, Y10
	VUNPCKLPD    Y10, Y5, Y11    // max0 e0 max2 e2
	VUNPCKHPD    Y10, Y5, Y12    // max1 e1 max3 e3
	VPERM2F128   $0x20, Y12, Y11, Y13
	VPERM2F128   $0x31, Y12, Y11, Y14
	VMOVUPD      Y13, (DI)
	VMOVUPD      Y14, 32(DI)
	ADDQ         $64, DI
	ADDQ         $20, R10
	SUBQ         $4, CX
	JNZ          mquad5
	VZEROUPPER
	RET

mrow5: // rows of five (crowd motion's, random-linear's): the same operations without the loop
	VMOVQ  AX, X0
	VXORPD X1, X1, X1
	MELEM(0)
	MELEM(8)
	MELEM(16)
	MELEM(24)
	MELEM(32)
	VMOVSD X0, (DI)
	VMOVSD X1, 8(DI)
	ADDQ   $16, DI
	ADDQ   $5, R10
	DECQ   CX
	JNZ    mrow5
	VZEROUPPER
	RET

// func anyNaNAVX(x []float64) bool
//
// Whether an entry of x is NaN, four at a time, then one.
TEXT ·anyNaNAVX(SB), NOSPLIT, $0-25
	MOVQ   x_base+0(FP), SI
	MOVQ   x_len+8(FP), CX
	VXORPD Y0, Y0, Y0

nloop4:
	CMPQ    CX, $4
	JLT     nloop1
	VMOVUPD (SI), Y1
	VCMPPD  $3, Y1, Y1, Y2 // unordered: NaN
	VORPD   Y2, Y0, Y0
	ADDQ    $32, SI
	SUBQ    $4, CX
	JMP     nloop4

nloop1:
	TESTQ  CX, CX
	JZ     ndone
	VMOVSD (SI), X1
	VCMPSD $3, X1, X1, X2
	VORPD  Y2, Y0, Y0
	ADDQ   $8, SI
	DECQ   CX
	JMP    nloop1

ndone:
	VMOVMSKPD Y0, AX
	TESTQ     AX, AX
	SETNE     ret+24(FP)
	VZEROUPPER
	RET

// DSTORE adds the reward r[i+k] to the pair of sums in X (the row's sums against v[2j] and v[2j+1])
// and writes them to d0[i+k] and d1[i+k] (i in R15, k·8 the offset).
#define DSTORE(X, OFF) \
	VMOVDDUP OFF(R8)(R15*8), X6; \
	VADDPD   X6, X, X; \
	VMOVSD   X, OFF(R10)(R15*8); \
	VMOVHPD  X, OFF(R11)(R15*8)

// DTERM adds prob[k]·(v[2j], v[2j+1]) (in X4) to the pair of sums in X, the row's probabilities
// from ROW (index R9 = 2j, so j·8 is R9·4).
#define DTERM(ROW, X) \
	VMOVDDUP (ROW)(R9*4), X5; \
	VMULPD   X4, X5, X5; \
	VADDPD   X5, X, X

// func expectDenseAVX(prob, v, r, d0, d1 []float64, S int)
//
// For the rows i < len(r) of S successors 0..S-1 (prob[iS+j] = P(j|i)):
//
//	d0[i] = (Σ_j prob[iS+j]·v[2j]) + r[i],  d1[i] = (Σ_j prob[iS+j]·v[2j+1]) + r[i],
//
// each sum from +0 in the order of j, a row's two in the lanes of one register. Four rows at a
// time (eight independent chains of additions), then one. S ≥ 1; the caller checks every index.
TEXT ·expectDenseAVX(SB), NOSPLIT, $0-128
	MOVQ prob_base+0(FP), SI
	MOVQ v_base+24(FP), DX
	MOVQ r_base+48(FP), R8
	MOVQ r_len+56(FP), CX
	MOVQ d0_base+72(FP), R10
	MOVQ d1_base+96(FP), R11
	MOVQ S+120(FP), BX
	MOVQ BX, R12
	SHLQ $3, R12 // a row of prob, in bytes
	SHLQ $1, BX  // 2S: the end of R9
	XORQ R15, R15

dloop4:
	CMPQ   CX, $4
	JLT    dloop1
	VXORPD X0, X0, X0
	VXORPD X1, X1, X1
	VXORPD X2, X2, X2
	VXORPD X3, X3, X3
	LEAQ   (SI)(R12*1), R13
	LEAQ   (SI)(R12*2), R14
	LEAQ   (R13)(R12*2), DI
	XORQ   R9, R9

dterm4:
	VMOVUPD (DX)(R9*8), X4
	DTERM(SI, X0)
	DTERM(R13, X1)
	DTERM(R14, X2)
	DTERM(DI, X3)
	ADDQ    $2, R9
	CMPQ    R9, BX
	JLT     dterm4
	DSTORE(X0, 0)
	DSTORE(X1, 8)
	DSTORE(X2, 16)
	DSTORE(X3, 24)
	ADDQ    $4, R15
	LEAQ    (SI)(R12*4), SI
	SUBQ    $4, CX
	JMP     dloop4

dloop1:
	TESTQ  CX, CX
	JZ     ddone
	VXORPD X0, X0, X0
	XORQ   R9, R9

dterm1:
	VMOVUPD (DX)(R9*8), X4
	DTERM(SI, X0)
	ADDQ    $2, R9
	CMPQ    R9, BX
	JLT     dterm1
	DSTORE(X0, 0)
	INCQ    R15
	ADDQ    R12, SI
	DECQ    CX
	JMP     dloop1

ddone:
	RET

// func nextDenseAVX(prob, mass, next []float64)
//
// For the states j < S = len(next): next[j] = Σ_i mass[i]·prob[iS+j] over the rows i < len(mass)
// whose mass is not ±0, from +0 in the order of i: four states at a time in the lanes of a
// register, then one. The caller checks every index.
TEXT ·nextDenseAVX(SB), NOSPLIT, $0-72
	MOVQ prob_base+0(FP), SI
	MOVQ mass_base+24(FP), R8
	MOVQ mass_len+32(FP), CX
	MOVQ next_base+48(FP), DI
	MOVQ next_len+56(FP), BX
	MOVQ BX, R12
	SHLQ $3, R12 // a row of prob, in bytes

xcols4:
	CMPQ   BX, $4
	JLT    xcols1
	VXORPD Y0, Y0, Y0
	MOVQ   SI, DX
	XORQ   R9, R9

xrow4:
	MOVQ         (R8)(R9*8), AX
	SHLQ         $1, AX // the sign out: zero for ±0
	JZ           xskip4
	VBROADCASTSD (R8)(R9*8), Y4
	VMULPD       (DX), Y4, Y5
	VADDPD       Y5, Y0, Y0

xskip4:
	ADDQ    R12, DX
	INCQ    R9
	CMPQ    R9, CX
	JLT     xrow4
	VMOVUPD Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $4, BX
	JMP     xcols4

xcols1:
	TESTQ  BX, BX
	JZ     xdone
	VXORPD X0, X0, X0
	MOVQ   SI, DX
	XORQ   R9, R9

xrow1:
	MOVQ   (R8)(R9*8), AX
	SHLQ   $1, AX
	JZ     xskip1
	VMOVSD (R8)(R9*8), X4
	VMULSD (DX), X4, X5
	VADDSD X5, X0, X0

xskip1:
	ADDQ   R12, DX
	INCQ   R9
	CMPQ   R9, CX
	JLT    xrow1
	VMOVSD X0, (DI)
	ADDQ   $8, SI
	ADDQ   $8, DI
	DECQ   BX
	JMP    xcols1

xdone:
	VZEROUPPER
	RET

// func fillAVX(dst, mu, prob []float64, A int)
//
// dst[sA+a] = mu[s]·prob[sA+a] for s < len(mu), a < A: a row's products four at a time, then one.
// The caller checks every index.
TEXT ·fillAVX(SB), NOSPLIT, $0-80
	MOVQ dst_base+0(FP), DI
	MOVQ mu_base+24(FP), R8
	MOVQ mu_len+32(FP), CX
	MOVQ prob_base+48(FP), SI
	MOVQ A+72(FP), BX
	TESTQ CX, CX
	JZ   fdone
	CMPQ BX, $5
	JEQ  frow5

frow:
	VBROADCASTSD (R8), Y0
	MOVQ         BX, R9

fcol4:
	CMPQ    R9, $4
	JLT     fcol1
	VMULPD  (SI), Y0, Y1
	VMOVUPD Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $4, R9
	JMP     fcol4

fcol1:
	TESTQ  R9, R9
	JZ     fnext
	VMULSD (SI), X0, X1
	VMOVSD X1, (DI)
	ADDQ   $8, SI
	ADDQ   $8, DI
	DECQ   R9
	JMP    fcol1

fnext:
	ADDQ $8, R8
	DECQ CX
	JNZ  frow

fdone:
	VZEROUPPER
	RET

frow5: // rows of five (crowd motion's, random-linear's): four and one without the loops
	VBROADCASTSD (R8), Y0
	VMULPD       (SI), Y0, Y1
	VMOVUPD      Y1, (DI)
	VMULSD       32(SI), X0, X1
	VMOVSD       X1, 32(DI)
	ADDQ         $8, R8
	ADDQ         $40, SI
	ADDQ         $40, DI
	DECQ         CX
	JNZ          frow5
	VZEROUPPER
	RET

// func expectSureAVX(to []int, prob, v, r, d0, d1 []float64)
//
// For the rows i < len(r), each of one successor j = to[i] with probability prob[i]:
//
//	d0[i] = (+0 + prob[i]·v[2j]) + r[i],  d1[i] = (+0 + prob[i]·v[2j+1]) + r[i],
//
// a row's two in the lanes of one register. The caller checks every index.
TEXT ·expectSureAVX(SB), NOSPLIT, $0-144
	MOVQ   to_base+0(FP), SI
	MOVQ   prob_base+24(FP), DX
	MOVQ   v_base+48(FP), R8
	MOVQ   r_base+72(FP), R9
	MOVQ   r_len+80(FP), CX
	MOVQ   d0_base+96(FP), R10
	MOVQ   d1_base+120(FP), R11
	VXORPD X7, X7, X7
	XORQ   R15, R15
	TESTQ  CX, CX
	JZ     sdone

sloop:
	MOVQ     (SI)(R15*8), AX
	SHLQ     $4, AX
	VMOVDDUP (DX)(R15*8), X0
	VMULPD   (R8)(AX*1), X0, X0
	VADDPD   X0, X7, X0 // +0 first, as the Go sums start
	VMOVDDUP (R9)(R15*8), X1
	VADDPD   X1, X0, X0
	VMOVSD   X0, (R10)(R15*8)
	VMOVHPD  X0, (R11)(R15*8)
	INCQ     R15
	CMPQ     R15, CX
	JLT      sloop

sdone:
	RET

// func expectRowsAVX(start, to []int, prob, v, r, d0, d1 []float64)
//
// For the rows i < len(r), of the successors to[k] with probabilities prob[k] for k =
// start[i]..start[i+1]-1 (start not decreasing):
//
//	d0[i] = (Σ_k prob[k]·v[2 to[k]]) + r[i],  d1[i] = (Σ_k prob[k]·v[2 to[k]+1]) + r[i],
//
// each sum from +0 in the order of k, a row's two in the lanes of one register. The caller checks
// every index.
TEXT ·expectRowsAVX(SB), NOSPLIT, $0-168
	MOVQ  start_base+0(FP), SI
	MOVQ  to_base+24(FP), DI
	MOVQ  prob_base+48(FP), DX
	MOVQ  v_base+72(FP), R8
	MOVQ  r_base+96(FP), R9
	MOVQ  r_len+104(FP), CX
	MOVQ  d0_base+120(FP), R10
	MOVQ  d1_base+144(FP), R11
	XORQ  R15, R15
	TESTQ CX, CX
	JZ    edone
	MOVQ  (SI), R12 // k

erow:
	MOVQ   8(SI)(R15*8), R13 // the row's end
	VXORPD X0, X0, X0
	CMPQ   R12, R13
	JGE    estore

eterm:
	MOVQ     (DI)(R12*8), AX
	SHLQ     $4, AX
	VMOVDDUP (DX)(R12*8), X1
	VMULPD   (R8)(AX*1), X1, X1
	VADDPD   X1, X0, X0
	INCQ     R12
	CMPQ     R12, R13
	JLT      eterm

estore:
	MOVQ     R13, R12
	VMOVDDUP (R9)(R15*8), X2
	VADDPD   X2, X0, X0
	VMOVSD   X0, (R10)(R15*8)
	VMOVHPD  X0, (R11)(R15*8)
	INCQ     R15
	CMPQ     R15, CX
	JLT      erow

edone:
	RET

// func nextRowsAVX(start, to []int, prob, mass, next []float64)
//
// For the rows i < len(mass) whose mass is not ±0, in order, and their successors to[k] with
// probabilities prob[k], k = start[i]..start[i+1]-1 in order: next[to[k]] += mass[i]·prob[k] (the
// caller clears next first). The caller checks every index.
TEXT ·nextRowsAVX(SB), NOSPLIT, $0-120
	MOVQ  start_base+0(FP), SI
	MOVQ  to_base+24(FP), DI
	MOVQ  prob_base+48(FP), DX
	MOVQ  mass_base+72(FP), R8
	MOVQ  mass_len+80(FP), CX
	MOVQ  next_base+96(FP), R10
	XORQ  R15, R15
	TESTQ CX, CX
	JZ    rdone

rrow:
	MOVQ   (R8)(R15*8), AX
	SHLQ   $1, AX // the sign out: zero for ±0
	JZ     rskip
	MOVQ   (SI)(R15*8), R12
	MOVQ   8(SI)(R15*8), R13
	CMPQ   R12, R13
	JGE    rskip
	VMOVSD (R8)(R15*8), X0

rterm:
	MOVQ   (DI)(R12*8), AX
	VMULSD (DX)(R12*8), X0, X1
	VMOVSD (R10)(AX*8), X2
	VADDSD X1, X2, X2
	VMOVSD X2, (R10)(AX*8)
	INCQ   R12
	CMPQ   R12, R13
	JLT    rterm

rskip:
	INCQ R15
	CMPQ R15, CX
	JLT  rrow

rdone:
	RET
