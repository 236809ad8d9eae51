#include "textflag.h"

// fifth is 1/5 = 0.2 rounded (1 / float64(5), the uniform row), for a broadcast from memory.
DATA fifth<>+0(SB)/8, $0x3fc999999999999a
GLOBL fifth<>(SB), RODATA|NOPTR, $8

// LANES2 loads the entries off/8 and off/8+1 of four rows of five (40 bytes apart, from R) and
// leaves entry off/8 of the four rows in YA and entry off/8+1 in YB, lane k row k (Y10, Y11 scratch).
#define LANES2(R, off, YA, YB) \
	VMOVUPD     off(R), X10; \
	VINSERTF128 $1, off+80(R), Y10, Y10; \
	VMOVUPD     off+40(R), X11; \
	VINSERTF128 $1, off+120(R), Y11, Y11; \
	VUNPCKLPD   Y11, Y10, YA; \
	VUNPCKHPD   Y11, Y10, YB

// SUM5 leaves in Y the four rows' sums (lane k row k) of their five entries from R, each from +0
// (Y15) and one entry at a time in their order (Y2-Y6, Y10, Y11 scratch).
#define SUM5(R, Y) \
	LANES2(R, 0, Y2, Y3); \
	LANES2(R, 16, Y4, Y5); \
	LANES2(R, 24, Y6, Y6); \
	VADDPD Y2, Y15, Y; \
	VADDPD Y3, Y, Y; \
	VADDPD Y4, Y, Y; \
	VADDPD Y5, Y, Y; \
	VADDPD Y6, Y, Y

// QUOT4 leaves in Y9 the outputs off/8 … off/8+3 of the four rows, (wOld·o + wBR·b) / den, and
// their den in Y10: wOld, wBR and den spread to those entries by VPERMILPD imm from SO, SB and SD.
#define QUOT4(off, imm, SO, SB, SD) \
	VPERMILPD $imm, SO, Y9; \
	VMULPD    off(SI), Y9, Y9; \
	VPERMILPD $imm, SB, Y10; \
	VMULPD    off(DX), Y10, Y10; \
	VADDPD    Y10, Y9, Y9; \
	VPERMILPD $imm, SD, Y10; \
	VDIVPD    Y10, Y9, Y9

// OUT4 writes QUOT4's outputs.
#define OUT4(off, imm, SO, SB, SD) \
	QUOT4(off, imm, SO, SB, SD); \
	VMOVUPD Y9, off(DI)

// OUT4U writes QUOT4's outputs, 1/5 (Y12) where !(den > 0) (GT_OQ: false on NaN; Y11 scratch).
#define OUT4U(off, imm, SO, SB, SD) \
	QUOT4(off, imm, SO, SB, SD); \
	VCMPPD    $0x1e, Y15, Y10, Y11; \
	VBLENDVPD Y11, Y9, Y12, Y9; \
	VMOVUPD   Y9, off(DI)

// func mix5AVX(out, o, b, mass, massBR []float64, beta, alpha float64) int
//
// mix on rows of five actions without a legal mask, four rows (states) at a time while four remain
// in len(out)/5: lane k of Y0, Y1 row k's μ and μBR, summed from +0 in the order of the row, then
// wOld = beta·μ (beta = 1-α), wBR = α·μBR and den = wOld + wBR, each rounded, as the Go loop's;
// these spread to the rows' 20 entries as five groups of four, lanes (s0 s0 s0 s0), (s0 s1 s1 s1),
// (s1 s1 s2 s2), (s2 s2 s2 s3), (s3 s3 s3 s3), by VPERMILPD from each one's halves (VPERM2F128:
// VPERMPD is AVX2). Each output is the Go loop's: two products, their sum, the quotient, correctly
// rounded in each lane as in scalar code (no FMA); 1/5 where !(den > 0) (GT_OQ: false on NaN), by
// a blend on the comparison only in the groups that have such a row (none in crowd motion's solves:
// the blends cost a tenth of the loop where every group paid them).
// Returns the entries done (20 a group). The slices hold at least len(out) numbers each.
TEXT ·mix5AVX(SB), NOSPLIT, $0-144
	MOVQ         out_base+0(FP), DI
	MOVQ         out_len+8(FP), CX
	MOVQ         o_base+24(FP), SI
	MOVQ         b_base+48(FP), DX
	MOVQ         mass_base+72(FP), R8
	MOVQ         massBR_base+96(FP), R9
	VBROADCASTSD beta+120(FP), Y14
	VBROADCASTSD alpha+128(FP), Y13
	VBROADCASTSD fifth<>(SB), Y12
	VXORPD       Y15, Y15, Y15 // +0
	XORQ         AX, AX

group:
	LEAQ      20(AX), BX
	CMPQ      BX, CX
	JGT       done
	SUM5(R8, Y0)
	SUM5(R9, Y1)
	VMULPD    Y14, Y0, Y0       // wOld = μ·beta
	VMULPD    Y13, Y1, Y1       // wBR = μBR·α
	VADDPD    Y1, Y0, Y2        // den = wOld + wBR
	VPERM2F128 $0x00, Y0, Y0, Y3 // (w0 w1 w0 w1)
	VPERM2F128 $0x11, Y0, Y0, Y4 // (w2 w3 w2 w3)
	VPERM2F128 $0x00, Y1, Y1, Y5
	VPERM2F128 $0x11, Y1, Y1, Y6
	VPERM2F128 $0x00, Y2, Y2, Y7
	VPERM2F128 $0x11, Y2, Y2, Y8
	VCMPPD    $0x1e, Y15, Y2, Y9 // den > 0, lane k row k
	VMOVMSKPD Y9, R10
	CMPQ      R10, $15
	JNE       uniform
	OUT4(0, 0x0, Y3, Y5, Y7)    // s0 s0 s0 s0
	OUT4(32, 0xe, Y3, Y5, Y7)   // s0 s1 s1 s1
	OUT4(64, 0x3, Y0, Y1, Y2)   // s1 s1 s2 s2
	OUT4(96, 0x8, Y4, Y6, Y8)   // s2 s2 s2 s3
	OUT4(128, 0xf, Y4, Y6, Y8)  // s3 s3 s3 s3
	JMP       next

uniform: // a row of the four is uniform: each output blended with 1/5 on its den's comparison
	OUT4U(0, 0x0, Y3, Y5, Y7)
	OUT4U(32, 0xe, Y3, Y5, Y7)
	OUT4U(64, 0x3, Y0, Y1, Y2)
	OUT4U(96, 0x8, Y4, Y6, Y8)
	OUT4U(128, 0xf, Y4, Y6, Y8)

next:
	ADDQ      $160, DI
	ADDQ      $160, SI
	ADDQ      $160, DX
	ADDQ      $160, R8
	ADDQ      $160, R9
	MOVQ      BX, AX
	JMP       group

done:
	MOVQ AX, ret+136(FP)
	VZEROUPPER
	RET
