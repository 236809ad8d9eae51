#include "textflag.h"

// func feasibleRows4AVX(prob *float64, A, groups int, lo, hi float64) bool
//
// For the rows 0..4·groups-1 of A ≥ 1 entries each (row k at prob[k·A:]), four rows at a time,
// lane k row k: whether no entry is < 0 and no row's sum, from +0 in the order of its entries, is
// < lo or > hi (ordered comparisons, quiet: a NaN entry or sum is neither). Each lane adds its
// row's entries one at a time in their order, as isFeasible's loop does.
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

no:
	MOVB $0, ret+40(FP)
	VZEROUPPER
	RET
