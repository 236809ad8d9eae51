#include "textflag.h"

// CONST4 is a float64 constant four times, one per lane of a YMM register, given by its bits:
// those of the decimal constants of $GOROOT/src/math/exp_amd64.s, rounded to nearest.
#define CONST4(name, bits) \
	DATA name<>+0(SB)/8, $bits; \
	DATA name<>+8(SB)/8, $bits; \
	DATA name<>+16(SB)/8, $bits; \
	DATA name<>+24(SB)/8, $bits; \
	GLOBL name<>(SB), RODATA|NOPTR, $32

CONST4(log2e, 0x3ff71547652b82fe)     // LOG2E = 1/ln 2
CONST4(ln2u, 0x3fe62e42fefa3000)      // LN2U, ln 2 to 41 bits: k·LN2U is exact
CONST4(ln2l, 0x3d53de6af278ece6)      // LN2L ≈ ln 2 - LN2U
CONST4(sixteenth, 0x3fb0000000000000) // 0.0625
CONST4(c8, 0x3efa01a01a01a01a)        // 1/8!
CONST4(c7, 0x3f2a01a01a01a01a)        // 1/7!
CONST4(c6, 0x3f56c16c16c16c17)        // 1/6!
CONST4(c5, 0x3f81111111111111)        // 1/5!
CONST4(c4, 0x3fa5555555555555)        // 1/4!
CONST4(c3, 0x3fc5555555555555)        // 1/3!
CONST4(half, 0x3fe0000000000000)      // 1/2
CONST4(one, 0x3ff0000000000000)       // 1
CONST4(two, 0x4000000000000000)       // 2
CONST4(lo, 0xc086200000000000)        // -708, expLo
CONST4(hi, 0x4086280000000000)        // 709, expHi
CONST4(bias, 0x43300000000003ff)      // 2^52 + 1023: kd + bias holds k + 1023 in its low bits

// func expFMA4(dst, src []float64) int
//
// Four lanes at a time, math.Exp's FMA sequence (exp_amd64.s, label avxfma) on src[i:i+4] into
// dst[i:i+4], for i = 0, 4, … while i+4 ≤ len(src) and all four lanes lie in [expLo, expHi];
// returns the i where it stopped. Only AVX and FMA instructions: 256-bit integer shifts would
// need AVX2, which math.Exp does not ask for, so the shift of 2^k's bits is done in halves.
// Sixteen lanes at a time while sixteen remain in range (four independent chains interleaved,
// which the processor overlaps: a fifth faster than one chain, and than two), then four at a time.
TEXT ·expFMA4(SB), NOSPLIT, $0-56
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	ANDQ $~3, CX
	XORQ AX, AX
	LEAQ -12(CX), R8 // sixteen lanes remain while AX < R8

multi:
	CMPQ AX, R8
	JGE  loop
	VMOVUPD (SI)(AX*8), Y0
	VMOVUPD 32(SI)(AX*8), Y3
	VMOVUPD 64(SI)(AX*8), Y6
	VMOVUPD 96(SI)(AX*8), Y9
	VCMPPD  $0x19, lo<>(SB), Y0, Y14
	VCMPPD  $0x16, hi<>(SB), Y0, Y15
	VORPD   Y14, Y15, Y13
	VCMPPD  $0x19, lo<>(SB), Y3, Y14
	VCMPPD  $0x16, hi<>(SB), Y3, Y15
	VORPD   Y14, Y15, Y14
	VORPD   Y14, Y13, Y13
	VCMPPD  $0x19, lo<>(SB), Y6, Y14
	VCMPPD  $0x16, hi<>(SB), Y6, Y15
	VORPD   Y14, Y15, Y14
	VORPD   Y14, Y13, Y13
	VCMPPD  $0x19, lo<>(SB), Y9, Y14
	VCMPPD  $0x16, hi<>(SB), Y9, Y15
	VORPD   Y14, Y15, Y14
	VORPD   Y14, Y13, Y13
	VMOVMSKPD Y13, DX
	TESTL   DX, DX
	JNZ     loop // the four-lane loop finds which four stop

	// The four-lane loop's operations on four groups of four (Y0-Y2, Y3-Y5, Y6-Y8, Y9-Y11),
	// interleaved: independent chains that the processor overlaps.
	VMULPD   log2e<>(SB), Y0, Y1
	VMULPD   log2e<>(SB), Y3, Y4
	VMULPD   log2e<>(SB), Y6, Y7
	VMULPD   log2e<>(SB), Y9, Y10
	VROUNDPD $0, Y1, Y1
	VROUNDPD $0, Y4, Y4
	VROUNDPD $0, Y7, Y7
	VROUNDPD $0, Y10, Y10
	VFNMADD231PD ln2u<>(SB), Y1, Y0
	VFNMADD231PD ln2u<>(SB), Y4, Y3
	VFNMADD231PD ln2u<>(SB), Y7, Y6
	VFNMADD231PD ln2u<>(SB), Y10, Y9
	VFNMADD231PD ln2l<>(SB), Y1, Y0
	VFNMADD231PD ln2l<>(SB), Y4, Y3
	VFNMADD231PD ln2l<>(SB), Y7, Y6
	VFNMADD231PD ln2l<>(SB), Y10, Y9
	VMULPD   sixteenth<>(SB), Y0, Y0
	VMULPD   sixteenth<>(SB), Y3, Y3
	VMULPD   sixteenth<>(SB), Y6, Y6
	VMULPD   sixteenth<>(SB), Y9, Y9
	VMOVUPD  c8<>(SB), Y2
	VMOVUPD  c8<>(SB), Y5
	VMOVUPD  c8<>(SB), Y8
	VMOVUPD  c8<>(SB), Y11
	VFMADD213PD c7<>(SB), Y0, Y2
	VFMADD213PD c7<>(SB), Y3, Y5
	VFMADD213PD c7<>(SB), Y6, Y8
	VFMADD213PD c7<>(SB), Y9, Y11
	VFMADD213PD c6<>(SB), Y0, Y2
	VFMADD213PD c6<>(SB), Y3, Y5
	VFMADD213PD c6<>(SB), Y6, Y8
	VFMADD213PD c6<>(SB), Y9, Y11
	VFMADD213PD c5<>(SB), Y0, Y2
	VFMADD213PD c5<>(SB), Y3, Y5
	VFMADD213PD c5<>(SB), Y6, Y8
	VFMADD213PD c5<>(SB), Y9, Y11
	VFMADD213PD c4<>(SB), Y0, Y2
	VFMADD213PD c4<>(SB), Y3, Y5
	VFMADD213PD c4<>(SB), Y6, Y8
	VFMADD213PD c4<>(SB), Y9, Y11
	VFMADD213PD c3<>(SB), Y0, Y2
	VFMADD213PD c3<>(SB), Y3, Y5
	VFMADD213PD c3<>(SB), Y6, Y8
	VFMADD213PD c3<>(SB), Y9, Y11
	VFMADD213PD half<>(SB), Y0, Y2
	VFMADD213PD half<>(SB), Y3, Y5
	VFMADD213PD half<>(SB), Y6, Y8
	VFMADD213PD half<>(SB), Y9, Y11
	VFMADD213PD one<>(SB), Y0, Y2
	VFMADD213PD one<>(SB), Y3, Y5
	VFMADD213PD one<>(SB), Y6, Y8
	VFMADD213PD one<>(SB), Y9, Y11
	VMULPD   Y2, Y0, Y0
	VMULPD   Y5, Y3, Y3
	VMULPD   Y8, Y6, Y6
	VMULPD   Y11, Y9, Y9
	VADDPD   two<>(SB), Y0, Y2
	VADDPD   two<>(SB), Y3, Y5
	VADDPD   two<>(SB), Y6, Y8
	VADDPD   two<>(SB), Y9, Y11
	VMULPD   Y2, Y0, Y0
	VMULPD   Y5, Y3, Y3
	VMULPD   Y8, Y6, Y6
	VMULPD   Y11, Y9, Y9
	VADDPD   two<>(SB), Y0, Y2
	VADDPD   two<>(SB), Y3, Y5
	VADDPD   two<>(SB), Y6, Y8
	VADDPD   two<>(SB), Y9, Y11
	VMULPD   Y2, Y0, Y0
	VMULPD   Y5, Y3, Y3
	VMULPD   Y8, Y6, Y6
	VMULPD   Y11, Y9, Y9
	VADDPD   two<>(SB), Y0, Y2
	VADDPD   two<>(SB), Y3, Y5
	VADDPD   two<>(SB), Y6, Y8
	VADDPD   two<>(SB), Y9, Y11
	VMULPD   Y2, Y0, Y0
	VMULPD   Y5, Y3, Y3
	VMULPD   Y8, Y6, Y6
	VMULPD   Y11, Y9, Y9
	VADDPD   two<>(SB), Y0, Y2
	VADDPD   two<>(SB), Y3, Y5
	VADDPD   two<>(SB), Y6, Y8
	VADDPD   two<>(SB), Y9, Y11
	VFMADD213PD one<>(SB), Y2, Y0
	VFMADD213PD one<>(SB), Y5, Y3
	VFMADD213PD one<>(SB), Y8, Y6
	VFMADD213PD one<>(SB), Y11, Y9
	VADDPD   bias<>(SB), Y1, Y1
	VADDPD   bias<>(SB), Y4, Y4
	VADDPD   bias<>(SB), Y7, Y7
	VADDPD   bias<>(SB), Y10, Y10
	VEXTRACTF128 $1, Y1, X2
	VEXTRACTF128 $1, Y4, X5
	VEXTRACTF128 $1, Y7, X8
	VEXTRACTF128 $1, Y10, X11
	VPSLLQ   $52, X1, X1
	VPSLLQ   $52, X4, X4
	VPSLLQ   $52, X7, X7
	VPSLLQ   $52, X10, X10
	VPSLLQ   $52, X2, X2
	VPSLLQ   $52, X5, X5
	VPSLLQ   $52, X8, X8
	VPSLLQ   $52, X11, X11
	VINSERTF128 $1, X2, Y1, Y1
	VINSERTF128 $1, X5, Y4, Y4
	VINSERTF128 $1, X8, Y7, Y7
	VINSERTF128 $1, X11, Y10, Y10
	VMULPD   Y1, Y0, Y0
	VMULPD   Y4, Y3, Y3
	VMULPD   Y7, Y6, Y6
	VMULPD   Y10, Y9, Y9
	VMOVUPD  Y0, (DI)(AX*8)
	VMOVUPD  Y3, 32(DI)(AX*8)
	VMOVUPD  Y6, 64(DI)(AX*8)
	VMOVUPD  Y9, 96(DI)(AX*8)
	ADDQ     $16, AX
	JMP      multi

loop:
	CMPQ AX, CX
	JGE  done
	VMOVUPD (SI)(AX*8), Y0
	VCMPPD  $0x19, lo<>(SB), Y0, Y1 // NGE_UQ: !(x ≥ -708), NaN included
	VCMPPD  $0x16, hi<>(SB), Y0, Y2 // NLE_UQ: !(x ≤ 709)
	VORPD   Y1, Y2, Y1
	VMOVMSKPD Y1, DX
	TESTL   DX, DX
	JNZ     done

	VMULPD   log2e<>(SB), Y0, Y1      // x·LOG2E
	VROUNDPD $0, Y1, Y1               // kd: to nearest, ties to even, as CVTSD2SL
	VFNMADD231PD ln2u<>(SB), Y1, Y0   // x - kd·LN2U
	VFNMADD231PD ln2l<>(SB), Y1, Y0   // … - kd·LN2L
	VMULPD   sixteenth<>(SB), Y0, Y0  // r
	VMOVUPD  c8<>(SB), Y2             // p, by Horner: p·r + c
	VFMADD213PD c7<>(SB), Y0, Y2
	VFMADD213PD c6<>(SB), Y0, Y2
	VFMADD213PD c5<>(SB), Y0, Y2
	VFMADD213PD c4<>(SB), Y0, Y2
	VFMADD213PD c3<>(SB), Y0, Y2
	VFMADD213PD half<>(SB), Y0, Y2
	VFMADD213PD one<>(SB), Y0, Y2
	VMULPD   Y2, Y0, Y0               // s = r·p ≈ e^r - 1
	VADDPD   two<>(SB), Y0, Y2        // three times s ← s·(s + 2)
	VMULPD   Y2, Y0, Y0
	VADDPD   two<>(SB), Y0, Y2
	VMULPD   Y2, Y0, Y0
	VADDPD   two<>(SB), Y0, Y2
	VMULPD   Y2, Y0, Y0
	VADDPD   two<>(SB), Y0, Y2
	VFMADD213PD one<>(SB), Y2, Y0     // s·(s + 2) + 1 ≈ e^(16r)

	VADDPD   bias<>(SB), Y1, Y1       // 2^k = (k + 1023) << 52, k + 1023 in [2, 2046]
	VEXTRACTF128 $1, Y1, X2
	VPSLLQ   $52, X1, X1
	VPSLLQ   $52, X2, X2
	VINSERTF128 $1, X2, Y1, Y1
	VMULPD   Y1, Y0, Y0
	VMOVUPD  Y0, (DI)(AX*8)
	ADDQ     $4, AX
	JMP      loop

done:
	VZEROUPPER
	MOVQ AX, ret+48(FP)
	RET
