#include "textflag.h"

// func matVecGroupsAVX(c []float32, mu, out []float64)
//
// With S = len(mu), for each group j of four rows (len(out)/4 groups), whose entries at column z
// are the four float32 at c[4jS + 4z:]: acc = 0; for z = 0..S-1: acc = acc + float64(c[...])·μ[z]
// in four lanes; out[4j:4j+4] = acc. VADDPD's first source (Intel order) is the accumulator.
// Four groups at a time (four independent sums, the groups 16S bytes apart), then one at a time.
TEXT ·matVecGroupsAVX(SB), NOSPLIT, $0-72
	MOVQ c_base+0(FP), SI
	MOVQ mu_base+24(FP), R8
	MOVQ mu_len+32(FP), CX
	MOVQ out_base+48(FP), DI
	MOVQ out_len+56(FP), DX
	SHRQ $2, DX          // groups
	MOVQ CX, R9
	SHLQ $4, R9          // bytes of a group: 4 rows × S × 4
	LEAQ (R9)(R9*1), R10 // two groups
	LEAQ (R10)(R9*1), R11 // three groups

quad:
	CMPQ DX, $4
	JLT  single
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	MOVQ   SI, AX // the groups' entries at z
	XORQ   BX, BX // z

quadz:
	CMPQ         BX, CX
	JGE          quadstore
	VBROADCASTSD (R8)(BX*8), Y15
	VCVTPS2PD    (AX), Y4
	VCVTPS2PD    (AX)(R9*1), Y5
	VCVTPS2PD    (AX)(R10*1), Y6
	VCVTPS2PD    (AX)(R11*1), Y7
	VMULPD       Y15, Y4, Y4 // c·μ[z]
	VMULPD       Y15, Y5, Y5
	VMULPD       Y15, Y6, Y6
	VMULPD       Y15, Y7, Y7
	VADDPD       Y4, Y0, Y0  // acc + c·μ[z]
	VADDPD       Y5, Y1, Y1
	VADDPD       Y6, Y2, Y2
	VADDPD       Y7, Y3, Y3
	ADDQ         $16, AX
	INCQ         BX
	JMP          quadz

quadstore:
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ    $128, DI
	LEAQ    (SI)(R9*4), SI
	SUBQ    $4, DX
	JMP     quad

single:
	TESTQ  DX, DX
	JZ     done
	VXORPD Y0, Y0, Y0
	MOVQ   SI, AX
	XORQ   BX, BX

singlez:
	CMPQ         BX, CX
	JGE          singlestore
	VBROADCASTSD (R8)(BX*8), Y15
	VCVTPS2PD    (AX), Y4
	VMULPD       Y15, Y4, Y4
	VADDPD       Y4, Y0, Y0
	ADDQ         $16, AX
	INCQ         BX
	JMP          singlez

singlestore:
	VMOVUPD Y0, (DI)
	ADDQ    $32, DI
	ADDQ    R9, SI
	DECQ    DX
	JMP     single

done:
	VZEROUPPER
	RET
