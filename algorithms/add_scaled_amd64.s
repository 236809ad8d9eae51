#include "textflag.h"

// func addScaledAVX(y, q []float64, alpha float64) int
//
// y[i] = v + y[i] with v = q[i]·alpha for i = 0, 4, … while i+4 ≤ len(q), four at a time: VMULPD
// with q[i] the first operand, then VADDPD with the product the first operand, as the Go loop's
// MULSD and ADDSD (whose destinations, the first operands, are those). Returns the i reached.
TEXT ·addScaledAVX(SB), NOSPLIT, $0-64
	MOVQ y_base+0(FP), DI
	MOVQ q_base+24(FP), SI
	MOVQ q_len+32(FP), CX
	VBROADCASTSD alpha+48(FP), Y2
	ANDQ $~3, CX
	XORQ AX, AX

loop:
	CMPQ AX, CX
	JGE  done
	VMOVUPD (SI)(AX*8), Y0
	VMULPD  Y2, Y0, Y0          // q·alpha
	VADDPD  (DI)(AX*8), Y0, Y0  // + y
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     loop

done:
	MOVQ AX, ret+56(FP)
	VZEROUPPER
	RET
