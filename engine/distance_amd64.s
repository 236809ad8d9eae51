#include "textflag.h"

// absMask is all the bits of a float64 but its sign: ANDed, the absolute value.
DATA absMask<>+0(SB)/8, $0x7fffffffffffffff
GLOBL absMask<>(SB), RODATA|NOPTR, $8

// func absDiffSums4AVX(x, y *[4]*float64, n int, out *[8]float64)
//
// Four entries of each of the four times at a time: their absolute differences, four registers
// of one time each, are transposed into four registers of one entry each (lane j: time j), which
// are added to the sums one after the other, so that each lane adds its time's entries one at a
// time in their order, as the scalar loop does. Subtraction, absolute value (the sign bit
// cleared), addition and maximum are exact in every lane.
TEXT ·absDiffSums4AVX(SB), NOSPLIT, $0-32
	MOVQ x+0(FP), R10
	MOVQ 0(R10), AX
	MOVQ 8(R10), BX
	MOVQ 16(R10), CX
	MOVQ 24(R10), DX
	MOVQ y+8(FP), R10
	MOVQ 0(R10), SI
	MOVQ 8(R10), DI
	MOVQ 16(R10), R8
	MOVQ 24(R10), R9
	MOVQ n+16(FP), R10
	SHLQ $3, R10 // bytes
	MOVQ out+24(FP), R11
	VBROADCASTSD absMask<>(SB), Y15 // the mask of all but the sign bit (from memory: AVX, not AVX2)
	VXORPD Y0, Y0, Y0     // the sums, lane j time j
	VXORPD Y1, Y1, Y1     // the maxima
	XORQ   R12, R12       // byte offset of the entry

loop:
	VMOVUPD (AX)(R12*1), Y2
	VSUBPD  (SI)(R12*1), Y2, Y2
	VANDPD  Y15, Y2, Y2         // |x_0 - y_0| at entries i..i+3
	VMOVUPD (BX)(R12*1), Y3
	VSUBPD  (DI)(R12*1), Y3, Y3
	VANDPD  Y15, Y3, Y3
	VMOVUPD (CX)(R12*1), Y4
	VSUBPD  (R8)(R12*1), Y4, Y4
	VANDPD  Y15, Y4, Y4
	VMOVUPD (DX)(R12*1), Y5
	VSUBPD  (R9)(R12*1), Y5, Y5
	VANDPD  Y15, Y5, Y5

	// Transpose: Y2..Y5 become the entries i, i+1, i+2, i+3 of the four times.
	VUNPCKLPD  Y3, Y2, Y6        // a0 b0 a2 b2
	VUNPCKHPD  Y3, Y2, Y7        // a1 b1 a3 b3
	VUNPCKLPD  Y5, Y4, Y8        // c0 d0 c2 d2
	VUNPCKHPD  Y5, Y4, Y9        // c1 d1 c3 d3
	VPERM2F128 $0x20, Y8, Y6, Y2 // a0 b0 c0 d0
	VPERM2F128 $0x20, Y9, Y7, Y3 // a1 b1 c1 d1
	VPERM2F128 $0x31, Y8, Y6, Y4 // a2 b2 c2 d2
	VPERM2F128 $0x31, Y9, Y7, Y5 // a3 b3 c3 d3

	VADDPD Y2, Y0, Y0
	VMAXPD Y2, Y1, Y1
	VADDPD Y3, Y0, Y0
	VMAXPD Y3, Y1, Y1
	VADDPD Y4, Y0, Y0
	VMAXPD Y4, Y1, Y1
	VADDPD Y5, Y0, Y0
	VMAXPD Y5, Y1, Y1

	ADDQ $32, R12
	CMPQ R12, R10
	JLT  loop

	VMOVUPD Y0, 0(R11)
	VMOVUPD Y1, 32(R11)
	VZEROUPPER
	RET
