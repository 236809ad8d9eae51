#include "textflag.h"

// LCONST4 is a float64 constant four times, one per lane of a YMM register, given by its bits:
// those of the constants of $GOROOT/src/math/log_amd64.s.
#define LCONST4(name, bits) \
	DATA name<>+0(SB)/8, $bits; \
	DATA name<>+8(SB)/8, $bits; \
	DATA name<>+16(SB)/8, $bits; \
	DATA name<>+24(SB)/8, $bits; \
	GLOBL name<>(SB), RODATA|NOPTR, $32

LCONST4(hsqrt2, 0x3fe6a09e667f3bcd)  // √2/2
LCONST4(ln2hi, 0x3fe62e42fee00000)
LCONST4(ln2lo, 0x3dea39ef35793c76)
LCONST4(l1, 0x3fe5555555555593)
LCONST4(l2, 0x3fd999999997fa04)
LCONST4(l3, 0x3fd2492494229359)
LCONST4(l4, 0x3fcc71c51d8e78af)
LCONST4(l5, 0x3fc7466496cb03de)
LCONST4(l6, 0x3fc39a09d078c69f)
LCONST4(l7, 0x3fc2f112df3e5244)
LCONST4(lhalf, 0x3fe0000000000000)  // 0.5
LCONST4(lone, 0x3ff0000000000000)   // 1
LCONST4(ltwo, 0x4000000000000000)   // 2
LCONST4(mant, 0x000fffffffffffff)   // the fraction's bits
LCONST4(two52, 0x4330000000000000)  // 2^52: its bits or an exponent e < 2^52 are 2^52 + e
LCONST4(bias, 0x408ff00000000000)   // 1022
LCONST4(minnorm, 0x0010000000000000) // the smallest normal number
LCONST4(maxfin, 0x7fefffffffffffff) // the largest finite one

// LOG4 is archLog's operations on the four positive normal numbers in Y0, each rounded on its
// own, in its order (see log4's comments for the steps): the logarithms in Y1. It uses Y0-Y6.
#define LOG4 \
	VANDPD mant<>(SB), Y0, Y2; \
	VORPD  lhalf<>(SB), Y2, Y2; \
	VPSRLQ $52, Y0, Y1; \
	VORPD  two52<>(SB), Y1, Y1; \
	VSUBPD two52<>(SB), Y1, Y1; \
	VSUBPD bias<>(SB), Y1, Y1; \
	VCMPPD $0x02, hsqrt2<>(SB), Y2, Y3; \
	VANDPD lone<>(SB), Y3, Y3; \
	VSUBPD Y3, Y1, Y1; \
	VADDPD lone<>(SB), Y3, Y3; \
	VMULPD Y3, Y2, Y2; \
	VSUBPD lone<>(SB), Y2, Y2; \
	VADDPD ltwo<>(SB), Y2, Y0; \
	VDIVPD Y0, Y2, Y3; \
	VMULPD Y3, Y3, Y4; \
	VMULPD Y4, Y4, Y5; \
	VMULPD l7<>(SB), Y5, Y6; \
	VADDPD l5<>(SB), Y6, Y6; \
	VMULPD Y5, Y6, Y6; \
	VADDPD l3<>(SB), Y6, Y6; \
	VMULPD Y5, Y6, Y6; \
	VADDPD l1<>(SB), Y6, Y6; \
	VMULPD Y6, Y4, Y4; \
	VMULPD l6<>(SB), Y5, Y6; \
	VADDPD l4<>(SB), Y6, Y6; \
	VMULPD Y5, Y6, Y6; \
	VADDPD l2<>(SB), Y6, Y6; \
	VMULPD Y6, Y5, Y5; \
	VADDPD Y5, Y4, Y4; \
	VMULPD lhalf<>(SB), Y2, Y0; \
	VMULPD Y2, Y0, Y0; \
	VADDPD Y0, Y4, Y4; \
	VMULPD Y4, Y3, Y3; \
	VMULPD ln2lo<>(SB), Y1, Y4; \
	VADDPD Y4, Y3, Y3; \
	VSUBPD Y3, Y0, Y0; \
	VSUBPD Y2, Y0, Y0; \
	VMULPD ln2hi<>(SB), Y1, Y1; \
	VSUBPD Y0, Y1, Y1

// LOG4X2 is LOG4 on Y0 (logarithms in Y1) and on Y7 (in Y8), the two sequences interleaved:
// independent chains that the processor overlaps. It uses Y0-Y13.
#define LOG4X2 \
	VANDPD mant<>(SB), Y0, Y2; \
	VANDPD mant<>(SB), Y7, Y9; \
	VORPD  lhalf<>(SB), Y2, Y2; \
	VORPD  lhalf<>(SB), Y9, Y9; \
	VPSRLQ $52, Y0, Y1; \
	VPSRLQ $52, Y7, Y8; \
	VORPD  two52<>(SB), Y1, Y1; \
	VORPD  two52<>(SB), Y8, Y8; \
	VSUBPD two52<>(SB), Y1, Y1; \
	VSUBPD two52<>(SB), Y8, Y8; \
	VSUBPD bias<>(SB), Y1, Y1; \
	VSUBPD bias<>(SB), Y8, Y8; \
	VCMPPD $0x02, hsqrt2<>(SB), Y2, Y3; \
	VCMPPD $0x02, hsqrt2<>(SB), Y9, Y10; \
	VANDPD lone<>(SB), Y3, Y3; \
	VANDPD lone<>(SB), Y10, Y10; \
	VSUBPD Y3, Y1, Y1; \
	VSUBPD Y10, Y8, Y8; \
	VADDPD lone<>(SB), Y3, Y3; \
	VADDPD lone<>(SB), Y10, Y10; \
	VMULPD Y3, Y2, Y2; \
	VMULPD Y10, Y9, Y9; \
	VSUBPD lone<>(SB), Y2, Y2; \
	VSUBPD lone<>(SB), Y9, Y9; \
	VADDPD ltwo<>(SB), Y2, Y0; \
	VADDPD ltwo<>(SB), Y9, Y7; \
	VDIVPD Y0, Y2, Y3; \
	VDIVPD Y7, Y9, Y10; \
	VMULPD Y3, Y3, Y4; \
	VMULPD Y10, Y10, Y11; \
	VMULPD Y4, Y4, Y5; \
	VMULPD Y11, Y11, Y12; \
	VMULPD l7<>(SB), Y5, Y6; \
	VMULPD l7<>(SB), Y12, Y13; \
	VADDPD l5<>(SB), Y6, Y6; \
	VADDPD l5<>(SB), Y13, Y13; \
	VMULPD Y5, Y6, Y6; \
	VMULPD Y12, Y13, Y13; \
	VADDPD l3<>(SB), Y6, Y6; \
	VADDPD l3<>(SB), Y13, Y13; \
	VMULPD Y5, Y6, Y6; \
	VMULPD Y12, Y13, Y13; \
	VADDPD l1<>(SB), Y6, Y6; \
	VADDPD l1<>(SB), Y13, Y13; \
	VMULPD Y6, Y4, Y4; \
	VMULPD Y13, Y11, Y11; \
	VMULPD l6<>(SB), Y5, Y6; \
	VMULPD l6<>(SB), Y12, Y13; \
	VADDPD l4<>(SB), Y6, Y6; \
	VADDPD l4<>(SB), Y13, Y13; \
	VMULPD Y5, Y6, Y6; \
	VMULPD Y12, Y13, Y13; \
	VADDPD l2<>(SB), Y6, Y6; \
	VADDPD l2<>(SB), Y13, Y13; \
	VMULPD Y6, Y5, Y5; \
	VMULPD Y13, Y12, Y12; \
	VADDPD Y5, Y4, Y4; \
	VADDPD Y12, Y11, Y11; \
	VMULPD lhalf<>(SB), Y2, Y0; \
	VMULPD lhalf<>(SB), Y9, Y7; \
	VMULPD Y2, Y0, Y0; \
	VMULPD Y9, Y7, Y7; \
	VADDPD Y0, Y4, Y4; \
	VADDPD Y7, Y11, Y11; \
	VMULPD Y4, Y3, Y3; \
	VMULPD Y11, Y10, Y10; \
	VMULPD ln2lo<>(SB), Y1, Y4; \
	VMULPD ln2lo<>(SB), Y8, Y11; \
	VADDPD Y4, Y3, Y3; \
	VADDPD Y11, Y10, Y10; \
	VSUBPD Y3, Y0, Y0; \
	VSUBPD Y10, Y7, Y7; \
	VSUBPD Y2, Y0, Y0; \
	VSUBPD Y9, Y7, Y7; \
	VMULPD ln2hi<>(SB), Y1, Y1; \
	VMULPD ln2hi<>(SB), Y8, Y8; \
	VSUBPD Y0, Y1, Y1; \
	VSUBPD Y7, Y8, Y8

// func log4(dst, src []float64) int
//
// math.Log's amd64 assembly (archLog), its operations in its order and each rounded on its own,
// on src[i:i+4] into dst[i:i+4] for i = 0, 4, … while i+4 ≤ len(src) and all four lanes are
// positive normal numbers; returns the i where it stopped. Needs AVX2 (the 256-bit shift). Eight
// lanes at a time while eight remain in range (two chains interleaved), then four at a time.
TEXT ·log4(SB), NOSPLIT, $0-56
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	ANDQ $~3, CX
	XORQ AX, AX

pair:
	LEAQ 8(AX), DX
	CMPQ DX, CX
	JGT  loop // fewer than eight left
	VMOVUPD   (SI)(AX*8), Y0
	VMOVUPD   32(SI)(AX*8), Y7
	VCMPPD    $0x19, minnorm<>(SB), Y0, Y1
	VCMPPD    $0x16, maxfin<>(SB), Y0, Y2
	VCMPPD    $0x19, minnorm<>(SB), Y7, Y8
	VCMPPD    $0x16, maxfin<>(SB), Y7, Y9
	VORPD     Y1, Y2, Y1
	VORPD     Y8, Y9, Y8
	VORPD     Y1, Y8, Y1
	VMOVMSKPD Y1, DX
	TESTL     DX, DX
	JNZ       loop // the four-lane loop finds which four stop
	LOG4X2
	VMOVUPD Y1, (DI)(AX*8)
	VMOVUPD Y8, 32(DI)(AX*8)
	ADDQ    $8, AX
	JMP     pair

loop:
	CMPQ      AX, CX
	JGE       done
	VMOVUPD   (SI)(AX*8), Y0              // x
	VCMPPD    $0x19, minnorm<>(SB), Y0, Y1 // NGE_UQ: !(x ≥ smallest normal), NaN included
	VCMPPD    $0x16, maxfin<>(SB), Y0, Y2  // NLE_UQ: !(x ≤ largest finite)
	VORPD     Y1, Y2, Y1
	VMOVMSKPD Y1, DX
	TESTL     DX, DX
	JNZ       done

	// The steps, as archLog's:
	// f1, ki := Frexp(x); k := float64(ki): f1 = x's fraction with the exponent of 0.5,
	// k = e - 1022 for the biased exponent e (exact: 2^52 + e - 2^52, then - 1022);
	// if f1 ≤ √2/2 (archLog's comparison: not less than): k -= 1; f1 *= 2;
	// f := f1 - 1; s := f / (2 + f); s2 := s·s; s4 := s2·s2;
	// t1 := s2 * (L1 + s4*(L3+s4*(L5+s4*L7))); t2 := s4 * (L2 + s4*(L4+s4*L6)); R := t1 + t2;
	// hfsq := 0.5 * f * f; k*Ln2Hi - ((hfsq - (s*(hfsq+R) + k*Ln2Lo)) - f).
	LOG4
	VMOVUPD Y1, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     loop

done:
	MOVQ AX, ret+48(FP)
	VZEROUPPER
	RET
