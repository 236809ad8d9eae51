#include "textflag.h"

// posinf is +Inf, for a broadcast from memory.
DATA posinf<>+0(SB)/8, $0x7ff0000000000000
GLOBL posinf<>(SB), RODATA|NOPTR, $8

// COLS2 loads the entries off/8 and off/8+1 of four rows of five (40 bytes apart, from SI) and
// leaves entry off/8 of the four rows in YA and entry off/8+1 in YB, lane k row k (Y7, Y8 scratch).
#define COLS2(off, YA, YB) \
	VMOVUPD     off(SI), X7; \
	VINSERTF128 $1, off+80(SI), Y7, Y7; \
	VMOVUPD     off+40(SI), X8; \
	VINSERTF128 $1, off+120(SI), Y8, Y8; \
	VUNPCKLPD   Y8, Y7, YA; \
	VUNPCKHPD   Y8, Y7, YB

// func feasibleRows4AVX(prob *float64, A, groups int, lo, hi float64) bool
//
// For the rows 0..4·groups-1 of A ≥ 1 entries each (row k at prob[k·A:]), four rows at a time,
// lane k row k: whether no entry is < 0 and no row's sum, from +0 in the order of its entries, is
// < lo or > hi (ordered comparisons, quiet: a NaN entry or sum is neither). Each lane adds its
// row's entries one at a time in their order, as isFeasible's loop does; rows of five are loaded
// by pairs of entries and unpacked into lanes (group5), others an entry at a time.
TEXT ·feasibleRows4AVX(SB), NOSPLIT, $0-41
	MOVQ         prob+0(FP), SI
	MOVQ         A+8(FP), CX
	MOVQ         groups+16(FP), BX
	LEAQ         (CX*8), DX      // a row, in bytes
	LEAQ         (DX)(DX*2), R8  // three rows
	LEAQ         (DX*4), R10     // four rows: from a group to the next
	VBROADCASTSD lo+24(FP), Y14
	VBROADCASTSD hi+32(FP), Y15
	VXORPD       Y13, Y13, Y13   // +0
	VXORPD       Y12, Y12, Y12   // the lanes found wanting
	VBROADCASTSD posinf<>(SB), Y11 // +Inf (from memory: from a register is AVX2)

	CMPQ         CX, $5
	JEQ          group5

group:
	VXORPD Y0, Y0, Y0 // the four rows' sums
	MOVQ   SI, DI
	MOVQ   CX, R9

entry:
	VMOVSD      (DI), X1
	VMOVHPD     (DI)(DX*1), X1, X1
	VMOVSD      (DI)(DX*2), X2
	VMOVHPD     (DI)(R8*1), X2, X2
	VINSERTF128 $1, X2, Y1, Y1     // entry j of the four rows
	VCMPPD      $0x11, Y13, Y1, Y3 // < 0 (LT_OQ)
	VORPD       Y3, Y12, Y12
	VADDPD      Y1, Y0, Y0
	ADDQ        $8, DI
	DECQ        R9
	JNZ         entry
	VCMPPD      $0x11, Y14, Y0, Y3 // sum < lo
	VCMPPD      $0x1e, Y15, Y0, Y4 // sum > hi (GT_OQ)
	VORPD       Y3, Y4, Y3
	VORPD       Y3, Y12, Y12
	VMOVMSKPD   Y12, AX
	TESTL       AX, AX
	JNZ         no
	ADDQ        R10, SI
	DECQ        BX
	JNZ         group
	MOVB        $1, ret+40(FP)
	VZEROUPPER
	RET

group5: // rows of five (crowd motion's): the entries transposed by pairs (COLS2), each lane's least
	// entry (from +Inf, VMINPD keeping it where an entry is NaN, as x < 0 is false) compared with 0
	COLS2(0, Y1, Y2)
	COLS2(16, Y3, Y4)
	COLS2(24, Y6, Y5)
	VXORPD     Y0, Y0, Y0
	VADDPD     Y1, Y0, Y0
	VADDPD     Y2, Y0, Y0
	VADDPD     Y3, Y0, Y0
	VADDPD     Y4, Y0, Y0
	VADDPD     Y5, Y0, Y0
	VMINPD     Y11, Y1, Y6
	VMINPD     Y6, Y2, Y6
	VMINPD     Y6, Y3, Y6
	VMINPD     Y6, Y4, Y6
	VMINPD     Y6, Y5, Y6
	VCMPPD     $0x11, Y13, Y6, Y3  // < 0 (LT_OQ)
	VCMPPD     $0x11, Y14, Y0, Y4  // sum < lo
	VCMPPD     $0x1e, Y15, Y0, Y5  // sum > hi
	VORPD      Y3, Y4, Y3
	VORPD      Y3, Y5, Y3
	VMOVMSKPD  Y3, AX
	TESTL      AX, AX
	JNZ        no
	ADDQ       $160, SI
	DECQ       BX
	JNZ        group5
	MOVB       $1, ret+40(FP)
	VZEROUPPER
	RET

no:
	MOVB $0, ret+40(FP)
	VZEROUPPER
	RET
