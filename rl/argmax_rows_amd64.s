#include "textflag.h"

// AVX alone (no AVX2 form): ArgmaxERows on rows of 5 actions, four rows (20 consecutive values) a
// group, row r of a group in lane r.

DATA argmaxOne<>+0(SB)/8, $1.0
GLOBL argmaxOne<>(SB), RODATA|NOPTR, $8

DATA argmaxNegInf<>+0(SB)/8, $0xfff0000000000000
GLOBL argmaxNegInf<>(SB), RODATA|NOPTR, $8

// PAIR loads the entries off/8 and off/8+1 of the four rows of five at R (40 bytes apart) and
// leaves entry off/8 of row r in lane r of YA, entry off/8+1 in YB (Y9, Y10 scratch).
#define PAIR(R, off, YA, YB) \
	VMOVUPD     off(R), X9; \
	VINSERTF128 $1, off+80(R), Y9, Y9; \
	VMOVUPD     off+40(R), X10; \
	VINSERTF128 $1, off+120(R), Y10, Y10; \
	VUNPCKLPD   Y10, Y9, YA; \
	VUNPCKHPD   Y10, Y9, YB

// UNPAIR stores YA (entry off/8 of the four rows, lane r row r) and YB (entry off/8+1) back into
// the rows at DI: PAIR's inverse (Y9, Y10 scratch).
#define UNPAIR(off, YA, YB) \
	VUNPCKLPD    YB, YA, Y9; \
	VUNPCKHPD    YB, YA, Y10; \
	VMOVUPD      X9, off(DI); \
	VEXTRACTF128 $1, Y9, off+80(DI); \
	VMOVUPD      X10, off+40(DI); \
	VEXTRACTF128 $1, Y10, off+120(DI)

// func argmax5AVX(dst, x *float64, groups int) uint64
//
// For the rows 0..4·groups-1 of five entries at x (groups ≥ 1), row r in lane r: best is the
// first maximum by > from -Inf (VMAXPD with the running best as its second source, which it
// returns when the entry is NaN or not larger), count = #{j : x_j == best} (ordered: NaN is never
// equal), w = 1/count (+Inf for 0), and dst_j = w where x_j == best, else +0. It returns the OR
// over the rows of old dst bits XOR new ones. The rows' entries are all read, and the old dst
// entries too, before any is written, so dst may be x itself.
TEXT ·argmax5AVX(SB), NOSPLIT, $0-32
	MOVQ         dst+0(FP), DI
	MOVQ         x+8(FP), SI
	MOVQ         groups+16(FP), CX
	VBROADCASTSD argmaxOne<>(SB), Y15    // from memory: from a register is AVX2
	VBROADCASTSD argmaxNegInf<>(SB), Y14
	VXORPD       Y13, Y13, Y13           // the bits that differ

group:
	PAIR(SI, 0, Y0, Y1)
	PAIR(SI, 16, Y2, Y3)
	PAIR(SI, 24, Y8, Y4) // entry 3 again in Y8, dropped
	VMAXPD Y14, Y0, Y5 // x > best ? x : best (best on NaN)
	VMAXPD Y5, Y1, Y5
	VMAXPD Y5, Y2, Y5
	VMAXPD Y5, Y3, Y5
	VMAXPD Y5, Y4, Y5
	VCMPPD $0, Y5, Y0, Y0 // x == best (EQ_OQ)
	VCMPPD $0, Y5, Y1, Y1
	VCMPPD $0, Y5, Y2, Y2
	VCMPPD $0, Y5, Y3, Y3
	VCMPPD $0, Y5, Y4, Y4
	VANDPD Y15, Y0, Y6 // count: the masks as 1.0 or +0, added (exact)
	VANDPD Y15, Y1, Y7
	VADDPD Y7, Y6, Y6
	VANDPD Y15, Y2, Y7
	VADDPD Y7, Y6, Y6
	VANDPD Y15, Y3, Y7
	VADDPD Y7, Y6, Y6
	VANDPD Y15, Y4, Y7
	VADDPD Y7, Y6, Y6
	VDIVPD Y6, Y15, Y6 // w = 1/count
	VANDPD Y6, Y0, Y0  // the shares: w where x == best, +0 elsewhere
	VANDPD Y6, Y1, Y1
	VANDPD Y6, Y2, Y2
	VANDPD Y6, Y3, Y3
	VANDPD Y6, Y4, Y4
	PAIR(DI, 0, Y11, Y12) // the old entries, XOR the new ones, into Y13
	VXORPD Y11, Y0, Y11
	VXORPD Y12, Y1, Y12
	VORPD  Y11, Y13, Y13
	VORPD  Y12, Y13, Y13
	PAIR(DI, 16, Y11, Y12)
	VXORPD Y11, Y2, Y11
	VXORPD Y12, Y3, Y12
	VORPD  Y11, Y13, Y13
	VORPD  Y12, Y13, Y13
	PAIR(DI, 24, Y11, Y12)
	VXORPD Y12, Y4, Y12
	VORPD  Y12, Y13, Y13
	UNPAIR(0, Y0, Y1)
	UNPAIR(16, Y2, Y3)
	UNPAIR(24, Y3, Y4) // entry 3 again, the same bits
	ADDQ   $160, SI
	ADDQ   $160, DI
	DECQ   CX
	JNZ    group

	VEXTRACTF128 $1, Y13, X0
	VORPD        X0, X13, X0
	VUNPCKHPD    X0, X0, X1
	VORPD        X1, X0, X0
	VMOVQ        X0, AX
	MOVQ         AX, ret+24(FP)
	VZEROUPPER
	RET
