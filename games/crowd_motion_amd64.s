#include "textflag.h"

// COLS2 loads the entries off/8 and off/8+1 of four rows of five (40 bytes apart, from SI) and
// leaves entry off/8 of the four rows in YA and entry off/8+1 in YB, lane k row k (Y6, Y7 scratch).
#define COLS2(off, YA, YB) \
	VMOVUPD     off(SI), X6; \
	VINSERTF128 $1, off+80(SI), Y6, Y6; \
	VMOVUPD     off+40(SI), X7; \
	VINSERTF128 $1, off+120(SI), Y7, Y7; \
	VUNPCKLPD   Y7, Y6, YA; \
	VUNPCKHPD   Y7, Y6, YB

// func rowSums5AVX(lg, mass []float64, eps float64)
//
// lg[s] = ((((m[5s] + m[5s+1]) + m[5s+2]) + m[5s+3]) + m[5s+4]) + eps for s < len(lg), a positive
// multiple of 4: four states at a time, lane k state s+k (the rows loaded by pairs of entries and
// unpacked), each sum in the scalar loop's order, its running sum the first operand. len(mass) ≥
// 5·len(lg).
TEXT ·rowSums5AVX(SB), NOSPLIT, $0-56
	MOVQ         lg_base+0(FP), DI
	MOVQ         lg_len+8(FP), BX
	MOVQ         mass_base+24(FP), SI
	VBROADCASTSD eps+48(FP), Y15

sums:
	COLS2(0, Y0, Y1)
	COLS2(16, Y2, Y3)
	COLS2(24, Y5, Y4)
	VADDPD  Y1, Y0, Y0
	VADDPD  Y2, Y0, Y0
	VADDPD  Y3, Y0, Y0
	VADDPD  Y4, Y0, Y0
	VADDPD  Y15, Y0, Y0
	VMOVUPD Y0, (DI)
	ADDQ    $160, SI
	ADDQ    $32, DI
	SUBQ    $4, BX
	JNZ     sums
	VZEROUPPER
	RET

// func spread5AVX(reward, near, lg []float64)
//
// reward[5s+a] = near[s] - lg[s] for a < 5 and s < len(near), a positive multiple of 4: four
// states at a time, their lg read before their rewards are written (lg may be the end of reward:
// a group's rewards end below the next group's lg when lg = reward[4·len(near):]).
TEXT ·spread5AVX(SB), NOSPLIT, $0-72
	MOVQ reward_base+0(FP), DI
	MOVQ near_base+24(FP), SI
	MOVQ near_len+32(FP), BX
	MOVQ lg_base+48(FP), DX

spread:
	VMOVUPD (SI), Y0
	VSUBPD  (DX), Y0, Y0
	VPERMPD $0x00, Y0, Y1
	VMOVUPD Y1, (DI)
	VMOVUPD Y1, 8(DI)
	VPERMPD $0x55, Y0, Y1
	VMOVUPD Y1, 40(DI)
	VMOVUPD Y1, 48(DI)
	VPERMPD $0xaa, Y0, Y1
	VMOVUPD Y1, 80(DI)
	VMOVUPD Y1, 88(DI)
	VPERMPD $0xff, Y0, Y1
	VMOVUPD Y1, 120(DI)
	VMOVUPD Y1, 128(DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $160, DI
	SUBQ    $4, BX
	JNZ     spread
	VZEROUPPER
	RET
