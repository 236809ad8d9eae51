#include "textflag.h"

// The stencil kernels in AVX: each lane does the scalar kernels' operations on its own, in their
// order, every product rounded before its sum (VMULPD then VADDPD, never an FMA), so each result
// has the Go kernels' bits. The sums' first operand is the running sum, as in the Go kernels.

// STORE2 adds the reward r[i] to the two sums of state s in the low lane pair of X (v[2s'] then
// v[2s'+1] weighted), writes them to d0[i] and d1[i], and steps i (R15) to the next state's row.
#define STORE2(X) \
	VMOVDDUP (R9)(R15*8), X9; \
	VADDPD   X9, X, X10; \
	VMOVSD   X10, (R10)(R15*8); \
	VMOVHPD  X10, (R11)(R15*8); \
	ADDQ     R12, R15

// STORE4 is STORE2 for the states s and s+1 of Y (X its low half).
#define STORE4(Y, X) \
	VEXTRACTF128 $1, Y, X11; \
	STORE2(X); \
	STORE2(X11)

// func bothJobsAVX(v, r, d0, d1 *float64, jobs *bothJob, n int)
//
// The jobs jobs[0..n-1] (n ≥ 1), each of len(prob) = nterms ≥ 1 terms at off and prob, for the
// states s and their rows i, from row i0 on (v from state 0, r, d0 and d1 from row 0):
//
//	d0[i] = (Σ_k prob[k]·v[2(s+off[k])]) + r[i],  d1[i] = (Σ_k prob[k]·v[2(s+off[k])+1]) + r[i],
//
// each sum from +0 in the order of k. A run job (step 0) has the states s = s0 + q·(count + skip)
// + c, q < rows, c < count (rows runs of count states, skip states apart), and the rows i = i0 +
// (s - s0)·stride: a run's states eight at a time (four registers of two states' two sums), then
// two, then one. A stride job (step ≥ 1) has the states s0 + c·step, c < count, and the rows i0 +
// c·stride: four states at a time (each state's two values side by side in v, two states' pairs put
// together in one register), then two, then one. The caller checks every index.
TEXT ·bothJobsAVX(SB), NOSPLIT, $16-48
	MOVQ jobs+32(FP), AX
	MOVQ AX, jp-8(SP)
	MOVQ n+40(FP), AX
	MOVQ AX, jn-16(SP)

job:
	MOVQ jp-8(SP), AX
	MOVQ v+0(FP), SI
	MOVQ 0(AX), BX   // s0
	SHLQ $4, BX
	ADDQ BX, SI      // &v[2·s0]
	MOVQ 8(AX), BX   // i0
	MOVQ r+8(FP), R9
	LEAQ (R9)(BX*8), R9
	MOVQ d0+16(FP), R10
	LEAQ (R10)(BX*8), R10
	MOVQ d1+24(FP), R11
	LEAQ (R11)(BX*8), R11
	MOVQ 48(AX), R12 // stride
	MOVQ 56(AX), DX  // off
	MOVQ 64(AX), R8  // prob
	MOVQ 72(AX), CX  // nterms
	XORQ R15, R15    // i - i0
	MOVQ 40(AX), R14 // step
	TESTQ R14, R14
	JNZ  stride
	MOVQ 24(AX), R14 // rows
	MOVQ 32(AX), DI
	SHLQ $4, DI      // from a run's end to the next one's start in v, in bytes

run:
	MOVQ jp-8(SP), AX
	MOVQ 16(AX), BX // count

loop8:
	CMPQ   BX, $8
	JLT    loop2
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	XORQ   R13, R13

term8:
	MOVQ         (DX)(R13*8), AX
	SHLQ         $4, AX
	VBROADCASTSD (R8)(R13*8), Y4
	VMULPD       (SI)(AX*1), Y4, Y5
	VADDPD       Y5, Y0, Y0
	VMULPD       32(SI)(AX*1), Y4, Y6
	VADDPD       Y6, Y1, Y1
	VMULPD       64(SI)(AX*1), Y4, Y7
	VADDPD       Y7, Y2, Y2
	VMULPD       96(SI)(AX*1), Y4, Y8
	VADDPD       Y8, Y3, Y3
	INCQ         R13
	CMPQ         R13, CX
	JLT          term8
	STORE4(Y0, X0)
	STORE4(Y1, X1)
	STORE4(Y2, X2)
	STORE4(Y3, X3)
	ADDQ         $128, SI
	SUBQ         $8, BX
	JMP          loop8

loop2:
	CMPQ   BX, $2
	JLT    one
	VXORPD Y0, Y0, Y0
	XORQ   R13, R13

term2:
	MOVQ         (DX)(R13*8), AX
	SHLQ         $4, AX
	VBROADCASTSD (R8)(R13*8), Y4
	VMULPD       (SI)(AX*1), Y4, Y5
	VADDPD       Y5, Y0, Y0
	INCQ         R13
	CMPQ         R13, CX
	JLT          term2
	STORE4(Y0, X0)
	ADDQ         $32, SI
	SUBQ         $2, BX
	JMP          loop2

one:
	TESTQ  BX, BX
	JZ     next
	VXORPD X0, X0, X0
	XORQ   R13, R13

term1:
	MOVQ     (DX)(R13*8), AX
	SHLQ     $4, AX
	VMOVDDUP (R8)(R13*8), X4
	VMULPD   (SI)(AX*1), X4, X5
	VADDPD   X5, X0, X0
	INCQ     R13
	CMPQ     R13, CX
	JLT      term1
	STORE2(X0)
	ADDQ     $16, SI

next:
	ADDQ  DI, SI // the next run's first state
	MOVQ  jp-8(SP), AX
	MOVQ  32(AX), AX
	IMULQ R12, AX
	ADDQ  AX, R15 // and its first row
	DECQ  R14
	JNZ   run
	JMP   jobdone

stride:
	SHLQ $4, R14 // from one state's values to the next one's, in bytes
	MOVQ 16(AX), BX // count

sloop4:
	CMPQ   BX, $4
	JLT    sloop2
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	XORQ   R13, R13

sterm4:
	MOVQ         (DX)(R13*8), AX
	SHLQ         $4, AX
	ADDQ         SI, AX
	VBROADCASTSD (R8)(R13*8), Y4
	VMOVUPD      (AX), X5
	VINSERTF128  $1, (AX)(R14*1), Y5, Y5
	VMULPD       Y5, Y4, Y5
	VADDPD       Y5, Y0, Y0
	LEAQ         (AX)(R14*2), AX
	VMOVUPD      (AX), X6
	VINSERTF128  $1, (AX)(R14*1), Y6, Y6
	VMULPD       Y6, Y4, Y6
	VADDPD       Y6, Y1, Y1
	INCQ         R13
	CMPQ         R13, CX
	JLT          sterm4
	STORE4(Y0, X0)
	STORE4(Y1, X1)
	LEAQ         (SI)(R14*4), SI
	SUBQ         $4, BX
	JMP          sloop4

sloop2:
	CMPQ   BX, $2
	JLT    sone
	VXORPD Y0, Y0, Y0
	XORQ   R13, R13

sterm2:
	MOVQ         (DX)(R13*8), AX
	SHLQ         $4, AX
	ADDQ         SI, AX
	VBROADCASTSD (R8)(R13*8), Y4
	VMOVUPD      (AX), X5
	VINSERTF128  $1, (AX)(R14*1), Y5, Y5
	VMULPD       Y5, Y4, Y5
	VADDPD       Y5, Y0, Y0
	INCQ         R13
	CMPQ         R13, CX
	JLT          sterm2
	STORE4(Y0, X0)
	ADDQ         R14, SI
	ADDQ         R14, SI
	SUBQ         $2, BX
	JMP          sloop2

sone:
	TESTQ  BX, BX
	JZ     jobdone
	VXORPD X0, X0, X0
	XORQ   R13, R13

sterm1:
	MOVQ     (DX)(R13*8), AX
	SHLQ     $4, AX
	VMOVDDUP (R8)(R13*8), X4
	VMULPD   (SI)(AX*1), X4, X5
	VADDPD   X5, X0, X0
	INCQ     R13
	CMPQ     R13, CX
	JLT      sterm1
	STORE2(X0)

jobdone:
	ADDQ $80, jp-8(SP)
	DECQ jn-16(SP)
	JNZ  job
	VZEROUPPER
	RET

// func gatherJobsAVX(lt, next *float64, jobs *gatherJob, n int)
//
// The jobs jobs[0..n-1] (n ≥ 1), each of nterms ≥ 1 terms at shift and prob: for the states j =
// j0 + c·step, c < count, next[j] = Σ_m lt[shift[m] + j]·prob[m], from +0 in the order of m. A run
// (step 1) sixteen states at a time (four registers), then four, then one; a stride (step ≥ 2)
// four at a time (each lane's term loaded on its own), then two, then one. The caller checks every
// index.
TEXT ·gatherJobsAVX(SB), NOSPLIT, $16-32
	MOVQ jobs+16(FP), AX
	MOVQ AX, jp-8(SP)
	MOVQ n+24(FP), AX
	MOVQ AX, jn-16(SP)

gjob:
	MOVQ jp-8(SP), AX
	MOVQ 0(AX), BX // j0
	MOVQ lt+0(FP), SI
	LEAQ (SI)(BX*8), SI // &lt[j0]
	MOVQ next+8(FP), DI
	LEAQ (DI)(BX*8), DI // &next[j0]
	MOVQ 24(AX), DX     // shift
	MOVQ 32(AX), R8     // prob
	MOVQ 40(AX), CX     // nterms
	MOVQ 16(AX), R14    // step
	MOVQ 8(AX), BX      // count
	CMPQ R14, $1
	JNE  xstride

gloop16:
	CMPQ   BX, $16
	JLT    gloop4
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	XORQ   R13, R13

gterm16:
	MOVQ         (DX)(R13*8), AX
	VBROADCASTSD (R8)(R13*8), Y4
	VMULPD       (SI)(AX*8), Y4, Y5
	VADDPD       Y5, Y0, Y0
	VMULPD       32(SI)(AX*8), Y4, Y6
	VADDPD       Y6, Y1, Y1
	VMULPD       64(SI)(AX*8), Y4, Y7
	VADDPD       Y7, Y2, Y2
	VMULPD       96(SI)(AX*8), Y4, Y8
	VADDPD       Y8, Y3, Y3
	INCQ         R13
	CMPQ         R13, CX
	JLT          gterm16
	VMOVUPD      Y0, (DI)
	VMOVUPD      Y1, 32(DI)
	VMOVUPD      Y2, 64(DI)
	VMOVUPD      Y3, 96(DI)
	ADDQ         $128, SI
	ADDQ         $128, DI
	SUBQ         $16, BX
	JMP          gloop16

gloop4:
	CMPQ   BX, $4
	JLT    gone
	VXORPD Y0, Y0, Y0
	XORQ   R13, R13

gterm4:
	MOVQ         (DX)(R13*8), AX
	VBROADCASTSD (R8)(R13*8), Y4
	VMULPD       (SI)(AX*8), Y4, Y5
	VADDPD       Y5, Y0, Y0
	INCQ         R13
	CMPQ         R13, CX
	JLT          gterm4
	VMOVUPD      Y0, (DI)
	ADDQ         $32, SI
	ADDQ         $32, DI
	SUBQ         $4, BX
	JMP          gloop4

gone:
	TESTQ  BX, BX
	JZ     gjobdone
	VXORPD X0, X0, X0
	XORQ   R13, R13

gterm1:
	MOVQ   (DX)(R13*8), AX
	VMOVSD (R8)(R13*8), X4
	VMULSD (SI)(AX*8), X4, X5
	VADDSD X5, X0, X0
	INCQ   R13
	CMPQ   R13, CX
	JLT    gterm1
	VMOVSD X0, (DI)
	ADDQ   $8, SI
	ADDQ   $8, DI
	DECQ   BX
	JMP    gone

xstride:
	SHLQ $3, R14          // from one state to the next, in bytes
	LEAQ (R14)(R14*2), R15 // three states

xloop4:
	CMPQ   BX, $4
	JLT    xloop2
	VXORPD Y0, Y0, Y0
	XORQ   R13, R13

xterm4:
	MOVQ         (DX)(R13*8), AX
	LEAQ         (SI)(AX*8), AX
	VBROADCASTSD (R8)(R13*8), Y4
	VMOVSD       (AX), X5
	VMOVHPD      (AX)(R14*1), X5, X5
	VMOVSD       (AX)(R14*2), X6
	VMOVHPD      (AX)(R15*1), X6, X6
	VINSERTF128  $1, X6, Y5, Y5
	VMULPD       Y5, Y4, Y5
	VADDPD       Y5, Y0, Y0
	INCQ         R13
	CMPQ         R13, CX
	JLT          xterm4
	VMOVSD       X0, (DI)
	VMOVHPD      X0, (DI)(R14*1)
	VEXTRACTF128 $1, Y0, X1
	VMOVSD       X1, (DI)(R14*2)
	VMOVHPD      X1, (DI)(R15*1)
	LEAQ         (SI)(R14*4), SI
	LEAQ         (DI)(R14*4), DI
	SUBQ         $4, BX
	JMP          xloop4

xloop2:
	CMPQ   BX, $2
	JLT    xone
	VXORPD X0, X0, X0
	XORQ   R13, R13

xterm2:
	MOVQ     (DX)(R13*8), AX
	LEAQ     (SI)(AX*8), AX
	VMOVDDUP (R8)(R13*8), X4
	VMOVSD   (AX), X5
	VMOVHPD  (AX)(R14*1), X5, X5
	VMULPD   X5, X4, X5
	VADDPD   X5, X0, X0
	INCQ     R13
	CMPQ     R13, CX
	JLT      xterm2
	VMOVSD   X0, (DI)
	VMOVHPD  X0, (DI)(R14*1)
	LEAQ     (SI)(R14*2), SI
	LEAQ     (DI)(R14*2), DI
	SUBQ     $2, BX
	JMP      xloop2

xone:
	TESTQ  BX, BX
	JZ     gjobdone
	VXORPD X0, X0, X0
	XORQ   R13, R13

xterm1:
	MOVQ   (DX)(R13*8), AX
	VMOVSD (R8)(R13*8), X4
	VMULSD (SI)(AX*8), X4, X5
	VADDSD X5, X0, X0
	INCQ   R13
	CMPQ   R13, CX
	JLT    xterm1
	VMOVSD X0, (DI)

gjobdone:
	ADDQ $48, jp-8(SP)
	DECQ jn-16(SP)
	JNZ  gjob
	VZEROUPPER
	RET


// PAIR4 loads the entries off/8 and off/8+1 of four rows of five (40 bytes apart, from SI) and
// leaves entry off/8 of the four rows in Y2 and entry off/8+1 in Y3, lane k row k.
#define PAIR4(off) \
	VMOVUPD     off(SI), X0; \
	VINSERTF128 $1, off+80(SI), Y0, Y0; \
	VMOVUPD     off+40(SI), X1; \
	VINSERTF128 $1, off+120(SI), Y1, Y1; \
	VUNPCKLPD   Y1, Y0, Y2; \
	VUNPCKHPD   Y1, Y0, Y3

// func byAction5AVX(lt, mass []float64, S, count int)
//
// lt[a·S + s] = mass[5s + a] for a < 5 and s < count, a positive multiple of 4: four states at
// a time, their twenty entries loaded as pairs and unpacked into one register per action.
TEXT ·byAction5AVX(SB), NOSPLIT, $0-64
	MOVQ lt_base+0(FP), DI
	MOVQ mass_base+24(FP), SI
	MOVQ S+48(FP), R8
	SHLQ $3, R8            // an action's column, in bytes
	LEAQ (R8)(R8*2), R9    // three columns
	MOVQ count+56(FP), BX

quad:
	PAIR4(0)
	VMOVUPD Y2, (DI)
	VMOVUPD Y3, (DI)(R8*1)
	PAIR4(16)
	VMOVUPD Y2, (DI)(R8*2)
	VMOVUPD Y3, (DI)(R9*1)
	PAIR4(24)
	VMOVUPD Y3, (DI)(R8*4)
	ADDQ    $160, SI
	ADDQ    $32, DI
	SUBQ    $4, BX
	JNZ     quad
	VZEROUPPER
	RET

// func fillByAction5AVX(dst, lt, mu, prob []float64, S, count int)
//
// dst[5s + a] = mu[s]·prob[5s + a] and lt[a·S + s] = the same product, for a < 5 and s < count,
// a positive multiple of 4: four states at a time, the rows by state as fillAVX writes them, the
// products by action from prob's entries unpacked as byAction5AVX unpacks a population's (each
// product is one multiplication of the same two values: the same bits either way).
TEXT ·fillByAction5AVX(SB), NOSPLIT, $0-112
	MOVQ dst_base+0(FP), DI
	MOVQ lt_base+24(FP), DX
	MOVQ mu_base+48(FP), R10
	MOVQ prob_base+72(FP), SI
	MOVQ S+96(FP), R8
	SHLQ $3, R8            // an action's column, in bytes
	LEAQ (R8)(R8*2), R9    // three columns
	MOVQ count+104(FP), BX

fquad:
	VBROADCASTSD (R10), Y0
	VMULPD       (SI), Y0, Y1
	VMOVUPD      Y1, (DI)
	VMULSD       32(SI), X0, X1
	VMOVSD       X1, 32(DI)
	VBROADCASTSD 8(R10), Y0
	VMULPD       40(SI), Y0, Y1
	VMOVUPD      Y1, 40(DI)
	VMULSD       72(SI), X0, X1
	VMOVSD       X1, 72(DI)
	VBROADCASTSD 16(R10), Y0
	VMULPD       80(SI), Y0, Y1
	VMOVUPD      Y1, 80(DI)
	VMULSD       112(SI), X0, X1
	VMOVSD       X1, 112(DI)
	VBROADCASTSD 24(R10), Y0
	VMULPD       120(SI), Y0, Y1
	VMOVUPD      Y1, 120(DI)
	VMULSD       152(SI), X0, X1
	VMOVSD       X1, 152(DI)
	VMOVUPD      (R10), Y6 // mu[s..s+3], lane k state s+k
	PAIR4(0)
	VMULPD       Y2, Y6, Y2
	VMULPD       Y3, Y6, Y3
	VMOVUPD      Y2, (DX)
	VMOVUPD      Y3, (DX)(R8*1)
	PAIR4(16)
	VMULPD       Y2, Y6, Y2
	VMULPD       Y3, Y6, Y3
	VMOVUPD      Y2, (DX)(R8*2)
	VMOVUPD      Y3, (DX)(R9*1)
	PAIR4(24)
	VMULPD       Y3, Y6, Y3
	VMOVUPD      Y3, (DX)(R8*4)
	ADDQ         $160, SI
	ADDQ         $160, DI
	ADDQ         $32, R10
	ADDQ         $32, DX
	SUBQ         $4, BX
	JNZ          fquad
	VZEROUPPER
	RET
