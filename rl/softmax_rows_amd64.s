#include "textflag.h"

// Rows of 5 actions, four rows (20 consecutive values) a group, one row a 64-bit lane: column j
// of a group is {x[j], x[5+j], x[10+j], x[15+j]}. The scratch tables z, e (and p, q) hold a
// group's five columns as 5 consecutive vectors, 160 bytes a group.

DATA rlUnder<>+0(SB)/8, $-746.0
GLOBL rlUnder<>(SB), RODATA|NOPTR, $8

DATA rlFifth<>+0(SB)/8, $0.2
GLOBL rlFifth<>(SB), RODATA|NOPTR, $8

DATA rlNegInf5<>+0(SB)/8, $0xfff0000000000000
GLOBL rlNegInf5<>(SB), RODATA|NOPTR, $8

// COL loads column off/8 of the group at R into Y (T a scratch X register).
#define COL(R, off, Y, X, T) \
	VMOVSD      off(R), X; \
	VMOVHPD     off+40(R), X, X; \
	VMOVSD      off+80(R), T; \
	VMOVHPD     off+120(R), T, T; \
	VINSERTF128 $1, T, Y, Y

// PUT stores column off/8 of the group at DI from Y (X its low half, T a scratch X register).
#define PUT(off, Y, X, T) \
	VMOVSD       X, off(DI); \
	VMOVHPD      X, off+40(DI); \
	VEXTRACTF128 $1, Y, T; \
	VMOVSD       T, off+80(DI); \
	VMOVHPD      T, off+120(DI)

// GOMAX sets D = Go's max(A, B): NaN if either is (all ones, a NaN), A&B if A == B (+0 over
// -0), else VMAXPD's larger. T and Y15 are scratch registers; D differs from A, B and T.
#define GOMAX(A, B, D, T) \
	VMAXPD    B, A, D; \
	VCMPPD    $0, B, A, T; \
	VANDPD    B, A, Y15; \
	VBLENDVPD T, Y15, D, D; \
	VCMPPD    $3, B, A, T; \
	VORPD     T, D, D

// SHIFT stores z = c·(V − best) at off(DI) and the exponent z' = z if z ≥ -746, else +0 (NaN
// included), at off(BX), and ORs the lanes where z' ≠ 0 into Y14.
#define SHIFT(off, V) \
	VSUBPD    Y10, V, Y11; \
	VMULPD    Y11, Y5, Y11; \
	VMOVUPD   Y11, off(DI); \
	VCMPPD    $0x1D, Y6, Y11, Y12; \
	VANDPD    Y11, Y12, Y12; \
	VMOVUPD   Y12, off(BX); \
	VXORPD    Y11, Y11, Y11; \
	VCMPPD    $0x0C, Y11, Y12, Y11; \
	VORPD     Y11, Y14, Y14

// func softmax5ZAVX(z, e, x *float64, groups int, c float64) bool
TEXT ·softmax5ZAVX(SB), NOSPLIT, $0-41
	MOVQ         z+0(FP), DI
	MOVQ         e+8(FP), BX
	MOVQ         x+16(FP), SI
	MOVQ         groups+24(FP), CX
	VBROADCASTSD c+32(FP), Y5
	VBROADCASTSD rlUnder<>(SB), Y6
	VXORPD       Y14, Y14, Y14 // the lanes where some z' ≠ 0

zgroup:
	TESTQ CX, CX
	JEQ   zdone
	COL(SI, 0, Y0, X0, X13)
	COL(SI, 8, Y1, X1, X13)
	COL(SI, 16, Y2, X2, X13)
	COL(SI, 24, Y3, X3, X13)
	COL(SI, 32, Y4, X4, X13)
	GOMAX(Y0, Y1, Y7, Y11)
	GOMAX(Y2, Y3, Y8, Y11)
	GOMAX(Y7, Y8, Y9, Y11)
	GOMAX(Y9, Y4, Y10, Y11)
	SHIFT(0, Y0)
	SHIFT(32, Y1)
	SHIFT(64, Y2)
	SHIFT(96, Y3)
	SHIFT(128, Y4)
	ADDQ  $160, SI
	ADDQ  $160, DI
	ADDQ  $160, BX
	DECQ  CX
	JMP   zgroup

zdone:
	VMOVMSKPD Y14, AX
	TESTL     AX, AX
	SETNE     ret+40(FP)
	VZEROUPPER
	RET

// WEIGHT sets Y = 0 where z < -746 (z from off(SI)), else e^z' from off(BX).
#define WEIGHT(off, Y) \
	VMOVUPD   off(SI), Y11; \
	VCMPPD    $0x11, Y6, Y11, Y12; \
	VANDNPD   off(BX), Y12, Y

// func softmax5EAVX(dst, z, e *float64, groups int)
TEXT ·softmax5EAVX(SB), NOSPLIT, $0-32
	MOVQ         dst+0(FP), DI
	MOVQ         z+8(FP), SI
	MOVQ         e+16(FP), BX
	MOVQ         groups+24(FP), CX
	VBROADCASTSD rlUnder<>(SB), Y6

egroup:
	TESTQ CX, CX
	JEQ   edone
	WEIGHT(0, Y0)
	WEIGHT(32, Y1)
	WEIGHT(64, Y2)
	WEIGHT(96, Y3)
	WEIGHT(128, Y4)
	VADDPD Y1, Y0, Y7 // 0 + e0 is e0: no weight is -0
	VADDPD Y2, Y7, Y7
	VADDPD Y3, Y7, Y7
	VADDPD Y4, Y7, Y7
	VDIVPD Y7, Y0, Y0
	VDIVPD Y7, Y1, Y1
	VDIVPD Y7, Y2, Y2
	VDIVPD Y7, Y3, Y3
	VDIVPD Y7, Y4, Y4
	PUT(0, Y0, X0, X13)
	PUT(8, Y1, X1, X13)
	PUT(16, Y2, X2, X13)
	PUT(24, Y3, X3, X13)
	PUT(32, Y4, X4, X13)
	ADDQ  $160, SI
	ADDQ  $160, DI
	ADDQ  $160, BX
	DECQ  CX
	JMP   egroup

edone:
	VZEROUPPER
	RET

// PBEST sets best (Y12) to V where P > 0 and V > best: PriorSoftmax's plain comparisons, NaN
// never taken.
#define PBEST(V, P) \
	VCMPPD    $0x1E, Y15, P, Y13; \
	VCMPPD    $0x1E, Y12, V, Y14; \
	VANDPD    Y14, Y13, Y13; \
	VBLENDVPD Y13, V, Y12, Y12

// PSHIFT stores, for column V with prior P: q = (V == best) at off(R10), p at off(R9),
// z = c·(V − best) at off(DI) and the exponent z' = +0 where z < -746, else z (NaN kept, whose
// e^NaN PriorSoftmax reads), at off(BX); it ORs into R11 the lanes whose weight needs e^z
// (p ≠ 0, no tie, z ≥ -746 or NaN). P and V are overwritten.
#define PSHIFT(off, V, P) \
	VCMPPD    $0, Y12, V, Y13; \
	VMOVUPD   Y13, off(R10); \
	VCMPPD    $0, Y15, P, Y14; \
	VORPD     Y14, Y13, Y13; \
	VMOVUPD   P, off(R9); \
	VSUBPD    Y12, V, Y14; \
	VMULPD    Y14, Y5, Y14; \
	VMOVUPD   Y14, off(DI); \
	VCMPPD    $0x11, Y6, Y14, P; \
	VANDNPD   Y14, P, Y14; \
	VMOVUPD   Y14, off(BX); \
	VORPD     P, Y13, Y13; \
	VMOVMSKPD Y13, AX; \
	XORL      $15, AX; \
	ORL       AX, R11

// func prior5ZAVX(z, e, p, q, x, prior *float64, groups int, c float64) bool
TEXT ·prior5ZAVX(SB), NOSPLIT, $0-65
	MOVQ         z+0(FP), DI
	MOVQ         e+8(FP), BX
	MOVQ         p+16(FP), R9
	MOVQ         q+24(FP), R10
	MOVQ         x+32(FP), SI
	MOVQ         prior+40(FP), R8
	MOVQ         groups+48(FP), CX
	VBROADCASTSD c+56(FP), Y5
	VBROADCASTSD rlUnder<>(SB), Y6
	VXORPD       Y15, Y15, Y15
	XORL         R11, R11

pzgroup:
	TESTQ CX, CX
	JEQ   pzdone
	COL(SI, 0, Y0, X0, X13)
	COL(SI, 8, Y1, X1, X13)
	COL(SI, 16, Y2, X2, X13)
	COL(SI, 24, Y3, X3, X13)
	COL(SI, 32, Y4, X4, X13)
	COL(R8, 0, Y7, X7, X13)
	COL(R8, 8, Y8, X8, X13)
	COL(R8, 16, Y9, X9, X13)
	COL(R8, 24, Y10, X10, X13)
	COL(R8, 32, Y11, X11, X13)
	VBROADCASTSD rlNegInf5<>(SB), Y12
	PBEST(Y0, Y7)
	PBEST(Y1, Y8)
	PBEST(Y2, Y9)
	PBEST(Y3, Y10)
	PBEST(Y4, Y11)
	PSHIFT(0, Y0, Y7)
	PSHIFT(32, Y1, Y8)
	PSHIFT(64, Y2, Y9)
	PSHIFT(96, Y3, Y10)
	PSHIFT(128, Y4, Y11)
	ADDQ  $160, SI
	ADDQ  $160, R8
	ADDQ  $160, DI
	ADDQ  $160, BX
	ADDQ  $160, R9
	ADDQ  $160, R10
	DECQ  CX
	JMP   pzgroup

pzdone:
	TESTL R11, R11
	SETNE ret+64(FP)
	VZEROUPPER
	RET

// PWEIGHT sets W to PriorSoftmax's weight, in its order of cases: 0 where p == 0, else p where
// q (a tie for the best), else p·0 where z < -746, else p·e^z.
#define PWEIGHT(off, W) \
	VMOVUPD   off(R9), Y7; \
	VMULPD    off(BX), Y7, Y8; \
	VMULPD    Y15, Y7, Y9; \
	VMOVUPD   off(SI), Y10; \
	VCMPPD    $0x11, Y6, Y10, Y10; \
	VBLENDVPD Y10, Y9, Y8, W; \
	VMOVUPD   off(R10), Y11; \
	VBLENDVPD Y11, Y7, W, W; \
	VCMPPD    $0, Y15, Y7, Y10; \
	VBLENDVPD Y10, Y15, W, W

// PDIV sets W = W/sum (Y12), or 1/5 where !(sum > 0) (mask Y10).
#define PDIV(W) \
	VDIVPD    Y12, W, W; \
	VBLENDVPD Y10, W, Y13, W

// func prior5EAVX(dst, z, e, p, q *float64, groups int)
TEXT ·prior5EAVX(SB), NOSPLIT, $0-48
	MOVQ         dst+0(FP), DI
	MOVQ         z+8(FP), SI
	MOVQ         e+16(FP), BX
	MOVQ         p+24(FP), R9
	MOVQ         q+32(FP), R10
	MOVQ         groups+40(FP), CX
	VBROADCASTSD rlUnder<>(SB), Y6
	VBROADCASTSD rlFifth<>(SB), Y13
	VXORPD       Y15, Y15, Y15

pegroup:
	TESTQ CX, CX
	JEQ   pedone
	PWEIGHT(0, Y0)
	PWEIGHT(32, Y1)
	PWEIGHT(64, Y2)
	PWEIGHT(96, Y3)
	PWEIGHT(128, Y4)
	VADDPD Y0, Y15, Y12 // sum = 0 + w0: +0 where w0 is -0
	VADDPD Y1, Y12, Y12
	VADDPD Y2, Y12, Y12
	VADDPD Y3, Y12, Y12
	VADDPD Y4, Y12, Y12
	VCMPPD $0x1E, Y15, Y12, Y10
	PDIV(Y0)
	PDIV(Y1)
	PDIV(Y2)
	PDIV(Y3)
	PDIV(Y4)
	PUT(0, Y0, X0, X14)
	PUT(8, Y1, X1, X14)
	PUT(16, Y2, X2, X14)
	PUT(24, Y3, X3, X14)
	PUT(32, Y4, X4, X14)
	ADDQ  $160, SI
	ADDQ  $160, DI
	ADDQ  $160, BX
	ADDQ  $160, R9
	ADDQ  $160, R10
	DECQ  CX
	JMP   pegroup

pedone:
	VZEROUPPER
	RET

// Rows of any number A of actions, four rows (4·A consecutive values) a group, one row a lane:
// the kernels below loop over the columns, gathered from the rows and scattered back, rather
// than keep them in registers as the kernels of rows of 5 do. DX holds a row's stride (8·A
// bytes), R12 three strides. The first pass writes a group's A columns of z into the group's
// own place in dst (32·A bytes), the exponents z' into the scratch table e; the second reads
// them back before it writes the group's rows there.

// GATHER loads into Y the column at R of the group's rows (X its low half, T a scratch X register).
#define GATHER(R, Y, X, T) \
	VMOVSD      (R), X; \
	VMOVHPD     (R)(DX*1), X, X; \
	VMOVSD      (R)(DX*2), T; \
	VMOVHPD     (R)(R12*1), T, T; \
	VINSERTF128 $1, T, Y, Y

// SCATTER stores Y into the column at R of the group's rows.
#define SCATTER(R, Y, X, T) \
	VMOVSD       X, (R); \
	VMOVHPD      X, (R)(DX*1); \
	VEXTRACTF128 $1, Y, T; \
	VMOVSD       T, (R)(DX*2); \
	VMOVHPD      T, (R)(R12*1)

// STRIDES sets DX = 8·A and R12 = 24·A from A in R.
#define STRIDES(R) \
	LEAQ 0(R)(R*2), R12; \
	SHLQ $3, R12; \
	MOVQ R, DX; \
	SHLQ $3, DX

// func softmaxNZAVX(z, e, x *float64, groups, a int, c float64) bool
TEXT ·softmaxNZAVX(SB), NOSPLIT, $0-49
	MOVQ         z+0(FP), DI
	MOVQ         e+8(FP), BX
	MOVQ         x+16(FP), SI
	MOVQ         groups+24(FP), CX
	MOVQ         a+32(FP), R8
	VBROADCASTSD c+40(FP), Y5
	VBROADCASTSD rlUnder<>(SB), Y6
	STRIDES(R8)
	MOVQ         R8, R9
	SHLQ         $5, R9        // 32·A, the bytes of a group's columns
	VXORPD       Y14, Y14, Y14 // the lanes where some z' ≠ 0

nzgroup:
	TESTQ   CX, CX
	JEQ     nzdone
	GATHER(SI, Y10, X10, X13) // the row maxima, from column 0 on
	VMOVUPD Y10, (DI)
	MOVQ    $32, AX

nzmax: // the columns of x into z, their maxima into Y10
	CMPQ    AX, R9
	JEQ     nzshift
	ADDQ    $8, SI
	GATHER(SI, Y0, X0, X13)
	VMOVUPD Y0, (DI)(AX*1)
	GOMAX(Y10, Y0, Y1, Y11)
	VMOVAPD Y1, Y10
	ADDQ    $32, AX
	JMP     nzmax

nzshift:
	LEAQ 8(SI)(R12*1), SI // the next group
	MOVQ R8, R13

nzcol:
	VMOVUPD (DI), Y0
	SHIFT(0, Y0)
	ADDQ    $32, DI
	ADDQ    $32, BX
	DECQ    R13
	JNE     nzcol
	DECQ    CX
	JMP     nzgroup

nzdone:
	VMOVMSKPD Y14, AX
	TESTL     AX, AX
	SETNE     ret+48(FP)
	VZEROUPPER
	RET

// func softmaxNEAVX(dst, e *float64, groups, a int)
TEXT ·softmaxNEAVX(SB), NOSPLIT, $0-32
	MOVQ         dst+0(FP), DI
	MOVQ         e+8(FP), BX
	MOVQ         groups+16(FP), CX
	MOVQ         a+24(FP), R8
	VBROADCASTSD rlUnder<>(SB), Y6
	STRIDES(R8)
	MOVQ         R8, R9
	SHLQ         $5, R9

negroup:
	TESTQ  CX, CX
	JEQ    nedone
	MOVQ   DI, SI     // the group's z
	VXORPD Y7, Y7, Y7 // the row sums, 0 + w0 + w1 + …
	MOVQ   BX, AX     // the group's first column, where the weights go
	LEAQ   (BX)(R9*1), R13

nesum:
	WEIGHT(0, Y0)
	VMOVUPD Y0, (BX)
	VADDPD  Y0, Y7, Y7
	ADDQ    $32, SI
	ADDQ    $32, BX
	CMPQ    BX, R13
	JNE     nesum

nediv:
	VMOVUPD (AX), Y0
	VDIVPD  Y7, Y0, Y0
	SCATTER(DI, Y0, X0, X13)
	ADDQ    $8, DI
	ADDQ    $32, AX
	CMPQ    AX, R13
	JNE     nediv
	ADDQ    R12, DI // the next group
	DECQ    CX
	JMP     negroup

nedone:
	VZEROUPPER
	RET

// PSHIFTN stores, for column V of x with prior P: zs = c·(V − best) at (DI), +0 where V == best
// (whose weight is p, as where zs is ±0: p·e^±0 is p), and the exponent z' at (BX): zs where
// the weight needs e^zs (p ≠ 0, zs ≠ 0, zs not < -746), else +0. It ANDs into Y10 the lanes
// whose weight needs none. V is overwritten.
#define PSHIFTN(V, P) \
	VCMPPD    $0, Y12, V, Y13; \
	VSUBPD    Y12, V, Y14; \
	VMULPD    Y14, Y5, Y14; \
	VANDNPD   Y14, Y13, Y14; \
	VMOVUPD   Y14, (DI); \
	VCMPPD    $0x11, Y6, Y14, V; \
	VCMPPD    $0, Y15, Y14, Y13; \
	VORPD     Y13, V, V; \
	VCMPPD    $0, Y15, P, Y13; \
	VORPD     Y13, V, V; \
	VANDNPD   Y14, V, Y14; \
	VMOVUPD   Y14, (BX); \
	VANDPD    V, Y10, Y10

// func priorNZAVX(z, e, x, prior *float64, groups, a int, c float64) bool
TEXT ·priorNZAVX(SB), NOSPLIT, $0-57
	MOVQ         z+0(FP), DI
	MOVQ         e+8(FP), BX
	MOVQ         x+16(FP), SI
	MOVQ         prior+24(FP), R8
	MOVQ         groups+32(FP), CX
	MOVQ         a+40(FP), R9
	VBROADCASTSD c+48(FP), Y5
	VBROADCASTSD rlUnder<>(SB), Y6
	STRIDES(R9)
	SHLQ         $5, R9 // 32·A
	VXORPD       Y15, Y15, Y15
	VPCMPEQQ     Y10, Y10, Y10 // the lanes whose weights need no e^z

pnzgroup:
	TESTQ        CX, CX
	JEQ          pnzdone
	VBROADCASTSD rlNegInf5<>(SB), Y12
	XORL         AX, AX

pnzbest: // the columns of x into z, the best allowed x into Y12
	GATHER(SI, Y0, X0, X13)
	GATHER(R8, Y1, X1, X13)
	VMOVUPD Y0, (DI)(AX*1)
	PBEST(Y0, Y1)
	ADDQ    $8, SI
	ADDQ    $8, R8
	ADDQ    $32, AX
	CMPQ    AX, R9
	JNE     pnzbest
	SUBQ    DX, R8 // the group's prior again
	LEAQ    (DI)(R9*1), R13 // the end of the group's columns in z

pnzshift:
	VMOVUPD (DI), Y0
	GATHER(R8, Y1, X1, X13)
	PSHIFTN(Y0, Y1)
	ADDQ    $8, R8
	ADDQ    $32, DI
	ADDQ    $32, BX
	CMPQ    DI, R13
	JNE     pnzshift
	ADDQ    R12, SI // the next group
	ADDQ    R12, R8
	DECQ    CX
	JMP     pnzgroup

pnzdone:
	VMOVMSKPD Y10, AX
	CMPL      AX, $15
	SETNE     ret+56(FP)
	VZEROUPPER
	RET

// PWEIGHTN sets W to PriorSoftmax's weight from the prior's column P, zs at (SI) and e^z' at
// (BX), in its order of cases: 0 where p == 0, else p where zs is ±0 (a tie for the best, or
// e^±0 = 1), else p·0 where zs < -746, else p·e^z'.
#define PWEIGHTN(P, W) \
	VMOVUPD   (SI), Y10; \
	VMULPD    (BX), P, Y8; \
	VMULPD    Y15, P, Y9; \
	VCMPPD    $0x11, Y6, Y10, Y11; \
	VBLENDVPD Y11, Y9, Y8, W; \
	VCMPPD    $0, Y15, Y10, Y11; \
	VBLENDVPD Y11, P, W, W; \
	VCMPPD    $0, Y15, P, Y11; \
	VBLENDVPD Y11, Y15, W, W

// func priorNEAVX(dst, e, prior *float64, groups, a int, u float64)
TEXT ·priorNEAVX(SB), NOSPLIT, $0-48
	MOVQ         dst+0(FP), DI
	MOVQ         e+8(FP), BX
	MOVQ         prior+16(FP), R8
	MOVQ         groups+24(FP), CX
	MOVQ         a+32(FP), R9
	VBROADCASTSD u+40(FP), Y13
	VBROADCASTSD rlUnder<>(SB), Y6
	VXORPD       Y15, Y15, Y15
	STRIDES(R9)
	SHLQ         $5, R9 // 32·A

pegroupn:
	TESTQ  CX, CX
	JEQ    pedonen
	MOVQ   DI, SI        // the group's zs
	VXORPD Y12, Y12, Y12 // the row sums, 0 + w0 + w1 + …
	MOVQ   BX, AX        // the group's first column, where the weights go
	LEAQ   (BX)(R9*1), R13

pesumn:
	GATHER(R8, Y7, X7, X14)
	PWEIGHTN(Y7, Y0)
	VMOVUPD Y0, (BX)
	VADDPD  Y0, Y12, Y12
	ADDQ    $8, R8
	ADDQ    $32, SI
	ADDQ    $32, BX
	CMPQ    BX, R13
	JNE     pesumn
	ADDQ    R12, R8 // the next group's prior
	VCMPPD  $0x1E, Y15, Y12, Y10 // sum > 0

pedivn:
	VMOVUPD (AX), Y0
	PDIV(Y0)
	SCATTER(DI, Y0, X0, X14)
	ADDQ    $8, DI
	ADDQ    $32, AX
	CMPQ    AX, R13
	JNE     pedivn
	ADDQ    R12, DI // the next group
	DECQ    CX
	JMP     pegroupn

pedonen:
	VZEROUPPER
	RET
