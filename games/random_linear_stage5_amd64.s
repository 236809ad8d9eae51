#include "textflag.h"

// RL5CONST is a float64 constant four times, one per lane of a YMM register, given by its bits.
#define RL5CONST(name, bits) \
	DATA name<>+0(SB)/8, $bits; \
	DATA name<>+8(SB)/8, $bits; \
	DATA name<>+16(SB)/8, $bits; \
	DATA name<>+24(SB)/8, $bits; \
	GLOBL name<>(SB), RODATA|NOPTR, $32

// math.Exp's constants ($GOROOT/src/math/exp_amd64.s), as fastmath.expFMA4 takes them.
RL5CONST(rl5log2e, 0x3ff71547652b82fe) // 1/ln 2
RL5CONST(rl5ln2u, 0x3fe62e42fefa3000)  // ln 2 to 41 bits
RL5CONST(rl5ln2l, 0x3d53de6af278ece6)  // ln 2 - LN2U
RL5CONST(rl5sixteenth, 0x3fb0000000000000)
RL5CONST(rl5c8, 0x3efa01a01a01a01a)
RL5CONST(rl5c7, 0x3f2a01a01a01a01a)
RL5CONST(rl5c6, 0x3f56c16c16c16c17)
RL5CONST(rl5c5, 0x3f81111111111111)
RL5CONST(rl5c4, 0x3fa5555555555555)
RL5CONST(rl5c3, 0x3fc5555555555555)
RL5CONST(rl5half, 0x3fe0000000000000)
RL5CONST(rl5one, 0x3ff0000000000000)
RL5CONST(rl5two, 0x4000000000000000)
RL5CONST(rl5lo, 0xc086200000000000)   // -708, fastmath's expLo
RL5CONST(rl5bias, 0x43300000000003ff) // 2^52 + 1023

// RL5DOUBLE writes row k of mass (from R10) twice in a row into the lanes (from R9), at
// lanes[10k] and lanes[10k+5].
#define RL5DOUBLE(k) \
	VMOVUPD k*40(R10), Y0; \
	MOVQ    k*40+32(R10), DX; \
	VMOVUPD Y0, k*80(R9); \
	MOVQ    DX, k*80+32(R9); \
	VMOVUPD Y0, k*80+40(R9); \
	MOVQ    DX, k*80+72(R9)

// RL5PLANE sets z to plane p's sums at the four lanes R12 points to in the coefficients (rows of
// 28 numbers, 224 bytes; plane p's six rows from row 6p, off = 6p·224): z = b, then
// z = z + x_i·c_i for i = 1..5 in order, x_1..x_5 in Y8-Y12, t a temporary. The product's operands
// are x then c, the reverse of affinePlanesGo's: the same bits, as c is never NaN (stage5 runs
// the kernel only on planes with a tail, which newPlanes lays out where no coefficient is NaN;
// drawn ones are where m is beyond float32's range), so which operand's NaN a product keeps
// never arises.
#define RL5PLANE(off, z, t) \
	VMOVUPD off(R12), z; \
	VMULPD  off+224(R12), Y8, t; \
	VADDPD  t, z, z; \
	VMULPD  off+448(R12), Y9, t; \
	VADDPD  t, z, z; \
	VMULPD  off+672(R12), Y10, t; \
	VADDPD  t, z, z; \
	VMULPD  off+896(R12), Y11, t; \
	VADDPD  t, z, z; \
	VMULPD  off+1120(R12), Y12, t; \
	VADDPD  t, z, z

// RL5TAIL is RL5PLANE on lane 24's rows in tail (rows of eight numbers, 64 bytes, from R12).
#define RL5TAIL(off, z, t) \
	VMOVUPD off(R12), z; \
	VMULPD  off+64(R12), Y8, t; \
	VADDPD  t, z, z; \
	VMULPD  off+128(R12), Y9, t; \
	VADDPD  t, z, z; \
	VMULPD  off+192(R12), Y10, t; \
	VADDPD  t, z, z; \
	VMULPD  off+256(R12), Y11, t; \
	VADDPD  t, z, z; \
	VMULPD  off+320(R12), Y12, t; \
	VADDPD  t, z, z

// RL5RANGE ORs into acc the lanes of d that are not ≥ -708 (NaN included), tmp a temporary.
#define RL5RANGE(d, acc, tmp) \
	VCMPPD $0x19, rl5lo<>(SB), d, tmp; \
	VORPD  tmp, acc, acc

// RL5EXPA … RL5EXPD are fastmath.expFMA4's four-lane sequence (math.Exp's FMA path) on x in
// place, k and p temporaries, in four parts so that five chains interleave; 2^k's bits shifted
// in one AVX2 VPSLLQ where expFMA4 (AVX alone) shifts the halves.
#define RL5EXPA(x, k, p) \
	VMULPD   rl5log2e<>(SB), x, k; \
	VROUNDPD $0, k, k; \
	VFNMADD231PD rl5ln2u<>(SB), k, x; \
	VFNMADD231PD rl5ln2l<>(SB), k, x; \
	VMULPD   rl5sixteenth<>(SB), x, x; \
	VMOVUPD  rl5c8<>(SB), p

#define RL5EXPB(x, p) \
	VFMADD213PD rl5c7<>(SB), x, p; \
	VFMADD213PD rl5c6<>(SB), x, p; \
	VFMADD213PD rl5c5<>(SB), x, p; \
	VFMADD213PD rl5c4<>(SB), x, p

#define RL5EXPC(x, p) \
	VFMADD213PD rl5c3<>(SB), x, p; \
	VFMADD213PD rl5half<>(SB), x, p; \
	VFMADD213PD rl5one<>(SB), x, p; \
	VMULPD   p, x, x; \
	VADDPD   rl5two<>(SB), x, p; \
	VMULPD   p, x, x; \
	VADDPD   rl5two<>(SB), x, p; \
	VMULPD   p, x, x

#define RL5EXPD(x, k, p) \
	VADDPD   rl5two<>(SB), x, p; \
	VMULPD   p, x, x; \
	VADDPD   rl5two<>(SB), x, p; \
	VFMADD213PD rl5one<>(SB), p, x; \
	VADDPD   rl5bias<>(SB), k, k; \
	VPSLLQ   $52, k, k; \
	VMULPD   k, x, x

// RL5EXP8A … RL5EXP8D are RL5EXPA … RL5EXPD on eight lanes in ZMM registers (AVX-512F), every
// constant broadcast from its first number: the same operations, VRNDSCALEPD $0 rounding to the
// nearest integer, ties to even, as VROUNDPD $0 does.
#define RL5EXP8A(x, k, p) \
	VMULPD.BCST rl5log2e<>(SB), x, k; \
	VRNDSCALEPD $0, k, k; \
	VFNMADD231PD.BCST rl5ln2u<>(SB), k, x; \
	VFNMADD231PD.BCST rl5ln2l<>(SB), k, x; \
	VMULPD.BCST rl5sixteenth<>(SB), x, x; \
	VBROADCASTSD rl5c8<>(SB), p

#define RL5EXP8B(x, p) \
	VFMADD213PD.BCST rl5c7<>(SB), x, p; \
	VFMADD213PD.BCST rl5c6<>(SB), x, p; \
	VFMADD213PD.BCST rl5c5<>(SB), x, p; \
	VFMADD213PD.BCST rl5c4<>(SB), x, p

#define RL5EXP8C(x, p) \
	VFMADD213PD.BCST rl5c3<>(SB), x, p; \
	VFMADD213PD.BCST rl5half<>(SB), x, p; \
	VFMADD213PD.BCST rl5one<>(SB), x, p; \
	VMULPD   p, x, x; \
	VADDPD.BCST rl5two<>(SB), x, p; \
	VMULPD   p, x, x; \
	VADDPD.BCST rl5two<>(SB), x, p; \
	VMULPD   p, x, x

#define RL5EXP8D(x, k, p) \
	VADDPD.BCST rl5two<>(SB), x, p; \
	VMULPD   p, x, x; \
	VADDPD.BCST rl5two<>(SB), x, p; \
	VFMADD213PD.BCST rl5one<>(SB), p, x; \
	VADDPD.BCST rl5bias<>(SB), k, k; \
	VPSLLQ   $52, k, k; \
	VMULPD   k, x, x

// RL5PLANE8 is RL5PLANE on eight lanes in ZMM registers, x_1..x_5 in Z8-Z12.
#define RL5PLANE8(off, z, t) \
	VMOVUPD off(R12), z; \
	VMULPD  off+224(R12), Z8, t; \
	VADDPD  t, z, z; \
	VMULPD  off+448(R12), Z9, t; \
	VADDPD  t, z, z; \
	VMULPD  off+672(R12), Z10, t; \
	VADDPD  t, z, z; \
	VMULPD  off+896(R12), Z11, t; \
	VADDPD  t, z, z; \
	VMULPD  off+1120(R12), Z12, t; \
	VADDPD  t, z, z

// rl5idxH holds, for the eight lanes 8h … 8h+7 (h < 3), their actions (8h+i) mod 5.
DATA rl5idx0<>+0(SB)/8, $0
DATA rl5idx0<>+8(SB)/8, $1
DATA rl5idx0<>+16(SB)/8, $2
DATA rl5idx0<>+24(SB)/8, $3
DATA rl5idx0<>+32(SB)/8, $4
DATA rl5idx0<>+40(SB)/8, $0
DATA rl5idx0<>+48(SB)/8, $1
DATA rl5idx0<>+56(SB)/8, $2
GLOBL rl5idx0<>(SB), RODATA|NOPTR, $64
DATA rl5idx1<>+0(SB)/8, $3
DATA rl5idx1<>+8(SB)/8, $4
DATA rl5idx1<>+16(SB)/8, $0
DATA rl5idx1<>+24(SB)/8, $1
DATA rl5idx1<>+32(SB)/8, $2
DATA rl5idx1<>+40(SB)/8, $3
DATA rl5idx1<>+48(SB)/8, $4
DATA rl5idx1<>+56(SB)/8, $0
GLOBL rl5idx1<>(SB), RODATA|NOPTR, $64
DATA rl5idx2<>+0(SB)/8, $1
DATA rl5idx2<>+8(SB)/8, $2
DATA rl5idx2<>+16(SB)/8, $3
DATA rl5idx2<>+24(SB)/8, $4
DATA rl5idx2<>+32(SB)/8, $0
DATA rl5idx2<>+40(SB)/8, $1
DATA rl5idx2<>+48(SB)/8, $2
DATA rl5idx2<>+56(SB)/8, $3
GLOBL rl5idx2<>(SB), RODATA|NOPTR, $64

// RL5LANES8 sets x_1..x_5 of the eight lanes 8h … 8h+7 (h < 3) in Z8-Z12, x_k(j) = L(k, a):
// row k of mass loaded under K6's mask (its five numbers; the lanes past them zero, their memory
// not read) and permuted by idx, the lanes' actions (VPERMPD), in registers rather than through
// memory, where an eight-lane load of numbers just stored would wait for the stores. R12 points
// at the lanes' coefficients.
#define RL5LANES8(h, idx) \
	VMOVUPD idx<>(SB), Z6; \
	VMOVUPD.Z 0(R10), K6, Z7; \
	VPERMPD Z7, Z6, Z8; \
	VMOVUPD.Z 40(R10), K6, Z7; \
	VPERMPD Z7, Z6, Z9; \
	VMOVUPD.Z 80(R10), K6, Z7; \
	VPERMPD Z7, Z6, Z10; \
	VMOVUPD.Z 120(R10), K6, Z7; \
	VPERMPD Z7, Z6, Z11; \
	VMOVUPD.Z 160(R10), K6, Z7; \
	VPERMPD Z7, Z6, Z12; \
	LEAQ    h*64(SI), R12

// RL5REWARD8 stores the rewards of the eight lanes 8h … 8h+7.
#define RL5REWARD8(h) \
	RL5PLANE8(6720, Z5, Z13); \
	VMOVUPD Z5, h*64(R8)

// RL5LOGITS8 is the first pass's logits on the eight lanes 8h … 8h+7: d(s') = z(s') - max over
// the five planes (VMAXPD, as the groups of four), its range checked (a lane not ≥ -708 sends to
// outside), stored at prob[40h + 8s' + i] for lane 8h+i.
#define RL5LOGITS8(h) \
	RL5PLANE8(0, Z0, Z13); \
	RL5PLANE8(1344, Z1, Z14); \
	RL5PLANE8(2688, Z2, Z15); \
	RL5PLANE8(4032, Z3, Z13); \
	RL5PLANE8(5376, Z4, Z14); \
	VMAXPD  Z1, Z0, Z5; \
	VMAXPD  Z2, Z5, Z5; \
	VMAXPD  Z3, Z5, Z5; \
	VMAXPD  Z4, Z5, Z5; \
	VSUBPD  Z5, Z0, Z0; \
	VSUBPD  Z5, Z1, Z1; \
	VSUBPD  Z5, Z2, Z2; \
	VSUBPD  Z5, Z3, Z3; \
	VSUBPD  Z5, Z4, Z4; \
	VCMPPD.BCST $0x19, rl5lo<>(SB), Z0, K1; \
	VCMPPD.BCST $0x19, rl5lo<>(SB), Z1, K2; \
	VCMPPD.BCST $0x19, rl5lo<>(SB), Z2, K3; \
	VCMPPD.BCST $0x19, rl5lo<>(SB), Z3, K4; \
	VCMPPD.BCST $0x19, rl5lo<>(SB), Z4, K5; \
	KORW    K2, K1, K1; \
	KORW    K3, K1, K1; \
	KORW    K4, K1, K1; \
	KORW    K5, K1, K1; \
	KORTESTW K1, K1; \
	JNZ     outside; \
	VMOVUPD Z0, h*320(DI); \
	VMOVUPD Z1, h*320+64(DI); \
	VMOVUPD Z2, h*320+128(DI); \
	VMOVUPD Z3, h*320+192(DI); \
	VMOVUPD Z4, h*320+256(DI)

// RL5QUOTIENTS8 takes the eight lanes 8h … 8h+7 from AX = &prob[40h], their e(0) … e(4) at
// prob[40h + 8s' + i], to their rows: sum = (((e(0) + e(1)) + e(2)) + e(3)) + e(4) (+0 + e(0) is
// e(0), e ≥ +0, as dividePlanesAVX's sum; the sum the first operand of every addition) and q(s') =
// e(s') / sum in ZMM registers, the rows of the low four lanes stored from AX, those of the high
// four from AX+160 (RL5ROWS).
#define RL5QUOTIENTS8 \
	VMOVUPD (AX), Z0; \
	VMOVUPD 64(AX), Z1; \
	VMOVUPD 128(AX), Z2; \
	VMOVUPD 192(AX), Z3; \
	VMOVUPD 256(AX), Z4; \
	VADDPD  Z1, Z0, Z15; \
	VADDPD  Z2, Z15, Z15; \
	VADDPD  Z3, Z15, Z15; \
	VADDPD  Z4, Z15, Z15; \
	VDIVPD  Z15, Z0, Z0; \
	VDIVPD  Z15, Z1, Z1; \
	VDIVPD  Z15, Z2, Z2; \
	VDIVPD  Z15, Z3, Z3; \
	VDIVPD  Z15, Z4, Z4; \
	VEXTRACTF64X4 $1, Z0, Y10; \
	VEXTRACTF64X4 $1, Z1, Y11; \
	VEXTRACTF64X4 $1, Z2, Y12; \
	VEXTRACTF64X4 $1, Z3, Y13; \
	VEXTRACTF64X4 $1, Z4, Y14; \
	RL5ROWS(Y0, Y1, Y2, Y3, Y4, X4, 0); \
	RL5ROWS(Y10, Y11, Y12, Y13, Y14, X14, 160)

// RL5ROWS stores four rows' quotients q(0) … q(4) (a0 … a4, xa4 the X register of a4) from
// off(AX): q(0) … q(3) transposed into each row's first four numbers, q(4) one by one after them.
// Y5-Y9 are temporaries.
#define RL5ROWS(a0, a1, a2, a3, a4, xa4, off) \
	VUNPCKLPD a1, a0, Y6; \
	VUNPCKHPD a1, a0, Y7; \
	VUNPCKLPD a3, a2, Y8; \
	VUNPCKHPD a3, a2, Y9; \
	VPERM2F128 $0x20, Y8, Y6, a0; \
	VPERM2F128 $0x20, Y9, Y7, a1; \
	VPERM2F128 $0x31, Y8, Y6, a2; \
	VPERM2F128 $0x31, Y9, Y7, a3; \
	VMOVUPD a0, off(AX); \
	VMOVUPD a1, off+40(AX); \
	VMOVUPD a2, off+80(AX); \
	VMOVUPD a3, off+120(AX); \
	VEXTRACTF128 $1, a4, X5; \
	VMOVSD  xa4, off+32(AX); \
	VMOVHPD xa4, off+72(AX); \
	VMOVSD  X5, off+112(AX); \
	VMOVHPD X5, off+152(AX)

// RL5REWARD24 is lane 24's (s = a = 4) first part, its numbers over the planes rather than over
// lanes: x_k = L(k, 4) in every lane of Y8-Y12 (from R10), B = (z(4), r, 0, 0) in Y5 from tail's
// rows (R12; see RL5ROW24), and the reward r stored in reward[24].
#define RL5REWARD24 \
	VBROADCASTSD 32(R10), Y8; \
	VBROADCASTSD 72(R10), Y9; \
	VBROADCASTSD 112(R10), Y10; \
	VBROADCASTSD 152(R10), Y11; \
	VBROADCASTSD 192(R10), Y12; \
	RL5TAIL(32, Y5, Y13); \
	VMOVHPD X5, 192(R8)

// RL5ROW24 is lane 24's row of prob after RL5REWARD24: A = z(0..3) in Y0 from tail's rows A_b
// B_b A_1 B_1 … A_5 B_5, the maximum of A's lanes and B's first (VMAXPD's, as the groups'), d
// (any d(s') not ≥ -708 sends to outside), the exponentials, sum = (((e(0) + e(1)) + e(2)) +
// e(3)) + e(4) (the sum the first operand of every addition) and the quotients in prob[120 …
// 124] (from DI).
#define RL5ROW24 \
	RL5TAIL(0, Y0, Y13); \
	VPERMPD   $0, Y5, Y6; \
	VMAXPD    Y6, Y0, Y6; \
	VPERMPD   $0x4E, Y6, Y7; \
	VMAXPD    Y7, Y6, Y6; \
	VPERMILPD $5, Y6, Y7; \
	VMAXPD    Y7, Y6, Y6; \
	VSUBPD    Y6, Y0, Y0; \
	VSUBPD    Y6, Y5, Y5; \
	VCMPPD    $0x19, rl5lo<>(SB), Y0, Y7; \
	VCMPPD    $0x19, rl5lo<>(SB), Y5, Y13; \
	VMOVMSKPD Y7, AX; \
	VMOVMSKPD Y13, DX; \
	ANDL      $1, DX; \
	ORL       DX, AX; \
	JNZ       outside; \
	RL5EXPA(Y0, Y1, Y2); \
	RL5EXPA(Y5, Y3, Y4); \
	RL5EXPB(Y0, Y2); \
	RL5EXPB(Y5, Y4); \
	RL5EXPC(Y0, Y2); \
	RL5EXPC(Y5, Y4); \
	RL5EXPD(Y0, Y1, Y2); \
	RL5EXPD(Y5, Y3, Y4); \
	VPERMILPD $1, X0, X1; \
	VADDSD    X1, X0, X7; \
	VEXTRACTF128 $1, Y0, X2; \
	VADDSD    X2, X7, X7; \
	VPERMILPD $1, X2, X3; \
	VADDSD    X3, X7, X7; \
	VADDSD    X5, X7, X7; \
	VBROADCASTSD X7, Y7; \
	VDIVPD    Y7, Y0, Y0; \
	VDIVSD    X7, X5, X5; \
	VMOVUPD   Y0, 960(DI); \
	VMOVSD    X5, 992(DI)

// func stage5AVX(prob, reward, coef, tail, mass []float64, wide bool) bool
//
// planes.fill for n = 5 over the lanes j = s·5 + a: x_k(j) = L(k, a); the reward plane's sums
// stored in reward[j]; then, unless prob is empty, the five logit planes' sums z(s'), their
// maximum over s' (VMAXPD), d(s') = z(s') - max, e(s') = exp(d(s')) by expFMA4's sequence, sum =
// (((e(0) + e(1)) + e(2)) + e(3)) + e(4) (+0 + e(0) is e(0), e ≥ +0) and prob[j·5 + s'] = e(s') /
// sum. The same operations as fillLanes, planeSums, shiftPlanes, fastmath.ExpInto and
// dividePlanes, so the same bits. Lane 24 (s = a = 4) is taken alone, over the planes
// (RL5REWARD24, RL5ROW24).
//
// Without wide, in one pass, four lanes at a time in AVX2 registers (six groups g) and every
// number of a group kept in registers, x_k read from the frame, where each row k of mass is
// written twice in a row (lanes[10k+i] = mass[5k + i mod 5]); lane 24 last.
//
// With wide (AVX-512F), eight lanes at a time in ZMM registers (three groups h), in two passes:
// lane 24 first, then the first pass (x_k permuted from row k in registers, RL5LANES8; rewards;
// d(s') of lane 8h+i stored at prob[40h + 8s' + i]), then the second (the 120 exponentials in
// place, as 8 then 7 interleaved chains of eight lanes, then each group's quotients,
// RL5QUOTIENTS8). Every group's exponentials are a long chain of dependent operations: in one
// pass the next group's sums wait behind them, in two the processor overlaps the groups' chains,
// and lane 24's, the longest, with the first pass.
//
// Where a d(s') is not ≥ -708 (a NaN or infinite logit, or logits 708 apart), it returns false,
// m's numbers partly written. len(prob) is 125 or 0 (stage T: the rewards alone), len(reward) 25,
// len(coef) 6·6·28, len(tail) 48 (tailOf5), len(mass) 25.
TEXT ·stage5AVX(SB), NOSPLIT, $400-129
	MOVQ prob_base+0(FP), DI
	MOVQ prob_len+8(FP), R11
	MOVQ reward_base+24(FP), R8
	MOVQ coef_base+48(FP), SI
	MOVQ tail_base+72(FP), R12
	MOVQ mass_base+96(FP), R10
	CMPB wide+120(FP), $0
	JNE  wide
	LEAQ 0(SP), R9 // the lanes, 50 numbers, in the frame
	RL5DOUBLE(0)
	RL5DOUBLE(1)
	RL5DOUBLE(2)
	RL5DOUBLE(3)
	RL5DOUBLE(4)

	XORQ BX, BX // the lanes' byte offset, 32·g for group g
	XORQ CX, CX // the offset of lane 4g's action, (4g mod 5)·8, in a doubled row

group:
	LEAQ    (R9)(CX*1), AX
	VMOVUPD (AX), Y8
	VMOVUPD 80(AX), Y9
	VMOVUPD 160(AX), Y10
	VMOVUPD 240(AX), Y11
	VMOVUPD 320(AX), Y12
	LEAQ    (SI)(BX*1), R12

	RL5PLANE(6720, Y5, Y13) // the rewards' plane, 5
	VMOVUPD Y5, (R8)(BX*1)
	TESTQ R11, R11
	JZ    nextgroup

	RL5PLANE(0, Y0, Y13)
	RL5PLANE(1344, Y1, Y14)
	RL5PLANE(2688, Y2, Y15)
	RL5PLANE(4032, Y3, Y13)
	RL5PLANE(5376, Y4, Y14)

	// The maximum over s' by VMAXPD, the shifts, and the range of the exponentials' arguments.
	// Where no z is NaN (else a d is NaN, out of range), VMAXPD's maximum is shiftPlanesAVX's but
	// for the sign of a zero maximum, which changes no d but that of a zero d (z - (±0) is z for
	// z ≠ 0), and exp(±0) is 1 in either case: the same bits after.
	VMAXPD Y1, Y0, Y5
	VMAXPD Y2, Y5, Y5
	VMAXPD Y3, Y5, Y5
	VMAXPD Y4, Y5, Y5
	VSUBPD Y5, Y0, Y0
	VSUBPD Y5, Y1, Y1
	VSUBPD Y5, Y2, Y2
	VSUBPD Y5, Y3, Y3
	VSUBPD Y5, Y4, Y4
	VCMPPD $0x19, rl5lo<>(SB), Y0, Y6
	RL5RANGE(Y1, Y6, Y7)
	RL5RANGE(Y2, Y6, Y7)
	RL5RANGE(Y3, Y6, Y7)
	RL5RANGE(Y4, Y6, Y7)
	VMOVMSKPD Y6, AX
	TESTL AX, AX
	JNZ   outside

	RL5EXPA(Y0, Y5, Y6)
	RL5EXPA(Y1, Y7, Y8)
	RL5EXPA(Y2, Y9, Y10)
	RL5EXPA(Y3, Y11, Y12)
	RL5EXPA(Y4, Y13, Y14)
	RL5EXPB(Y0, Y6)
	RL5EXPB(Y1, Y8)
	RL5EXPB(Y2, Y10)
	RL5EXPB(Y3, Y12)
	RL5EXPB(Y4, Y14)
	RL5EXPC(Y0, Y6)
	RL5EXPC(Y1, Y8)
	RL5EXPC(Y2, Y10)
	RL5EXPC(Y3, Y12)
	RL5EXPC(Y4, Y14)
	RL5EXPD(Y0, Y5, Y6)
	RL5EXPD(Y1, Y7, Y8)
	RL5EXPD(Y2, Y9, Y10)
	RL5EXPD(Y3, Y11, Y12)
	RL5EXPD(Y4, Y13, Y14)

	VADDPD Y1, Y0, Y15 // the sum, e(0) the first operand as dividePlanesAVX's +0 + e(0)
	VADDPD Y2, Y15, Y15
	VADDPD Y3, Y15, Y15
	VADDPD Y4, Y15, Y15
	VDIVPD Y15, Y0, Y0
	VDIVPD Y15, Y1, Y1
	VDIVPD Y15, Y2, Y2
	VDIVPD Y15, Y3, Y3
	VDIVPD Y15, Y4, Y4

	// Rows 4g … 4g+3 of prob from &prob[20g] = DI + 5·BX: q(0) … q(3) transposed into each row's
	// first four, q(4) one by one after them.
	LEAQ (BX)(BX*4), AX
	ADDQ DI, AX
	VUNPCKLPD Y1, Y0, Y6        // q0[0] q1[0] q0[2] q1[2]
	VUNPCKHPD Y1, Y0, Y7        // q0[1] q1[1] q0[3] q1[3]
	VUNPCKLPD Y3, Y2, Y8        // q2[0] q3[0] q2[2] q3[2]
	VUNPCKHPD Y3, Y2, Y9        // q2[1] q3[1] q2[3] q3[3]
	VPERM2F128 $0x20, Y8, Y6, Y0 // row 4g: q0[0] q1[0] q2[0] q3[0]
	VPERM2F128 $0x20, Y9, Y7, Y1
	VPERM2F128 $0x31, Y8, Y6, Y2
	VPERM2F128 $0x31, Y9, Y7, Y3
	VMOVUPD Y0, (AX)
	VMOVUPD Y1, 40(AX)
	VMOVUPD Y2, 80(AX)
	VMOVUPD Y3, 120(AX)
	VEXTRACTF128 $1, Y4, X5
	VMOVSD  X4, 32(AX)
	VMOVHPD X4, 72(AX)
	VMOVSD  X5, 112(AX)
	VMOVHPD X5, 152(AX)

nextgroup:
	ADDQ $32, BX
	SUBQ $8, CX // 4(g+1) mod 5 = (4g mod 5) - 1, or 4 after 0
	JGE  nextlanes
	MOVQ $32, CX

nextlanes:
	CMPQ BX, $192
	JNE  group

	MOVQ tail_base+72(FP), R12
	RL5REWARD24
	TESTQ R11, R11
	JZ    taken
	RL5ROW24
	JMP   taken

wide:
	RL5REWARD24
	TESTQ R11, R11
	JZ    widelanes
	RL5ROW24

	// With wide: the first pass eight lanes at a time (lanes 0-7, 8-15, 16-23), then the
	// exponentials of the 120 numbers in place, 15 vectors as 8 then 7 interleaved chains (x, k
	// and p of chain c in Zc, Z(8+c), Z(16+c): ZMM16-31 exist with AVX-512 alone, so SSE code
	// cannot read them; they are zeroed on the way out all the same, see leave), then the
	// quotients.
widelanes:
	MOVL  $0x1f, DX
	KMOVW DX, K6 // the five numbers of a row of mass
	TESTQ R11, R11
	JZ    widerewards
	RL5LANES8(0, rl5idx0)
	RL5REWARD8(0)
	RL5LOGITS8(0)
	RL5LANES8(1, rl5idx1)
	RL5REWARD8(1)
	RL5LOGITS8(1)
	RL5LANES8(2, rl5idx2)
	RL5REWARD8(2)
	RL5LOGITS8(2)
	// Vectors 0-7 (prob[0 … 63]), then 8-14 (prob[64 … 119]).
	VMOVUPD 0(DI), Z0
	VMOVUPD 64(DI), Z1
	VMOVUPD 128(DI), Z2
	VMOVUPD 192(DI), Z3
	VMOVUPD 256(DI), Z4
	VMOVUPD 320(DI), Z5
	VMOVUPD 384(DI), Z6
	VMOVUPD 448(DI), Z7
	RL5EXP8A(Z0, Z8, Z16)
	RL5EXP8A(Z1, Z9, Z17)
	RL5EXP8A(Z2, Z10, Z18)
	RL5EXP8A(Z3, Z11, Z19)
	RL5EXP8A(Z4, Z12, Z20)
	RL5EXP8A(Z5, Z13, Z21)
	RL5EXP8A(Z6, Z14, Z22)
	RL5EXP8A(Z7, Z15, Z23)
	RL5EXP8B(Z0, Z16)
	RL5EXP8B(Z1, Z17)
	RL5EXP8B(Z2, Z18)
	RL5EXP8B(Z3, Z19)
	RL5EXP8B(Z4, Z20)
	RL5EXP8B(Z5, Z21)
	RL5EXP8B(Z6, Z22)
	RL5EXP8B(Z7, Z23)
	RL5EXP8C(Z0, Z16)
	RL5EXP8C(Z1, Z17)
	RL5EXP8C(Z2, Z18)
	RL5EXP8C(Z3, Z19)
	RL5EXP8C(Z4, Z20)
	RL5EXP8C(Z5, Z21)
	RL5EXP8C(Z6, Z22)
	RL5EXP8C(Z7, Z23)
	RL5EXP8D(Z0, Z8, Z16)
	RL5EXP8D(Z1, Z9, Z17)
	RL5EXP8D(Z2, Z10, Z18)
	RL5EXP8D(Z3, Z11, Z19)
	RL5EXP8D(Z4, Z12, Z20)
	RL5EXP8D(Z5, Z13, Z21)
	RL5EXP8D(Z6, Z14, Z22)
	RL5EXP8D(Z7, Z15, Z23)
	VMOVUPD Z0, 0(DI)
	VMOVUPD Z1, 64(DI)
	VMOVUPD Z2, 128(DI)
	VMOVUPD Z3, 192(DI)
	VMOVUPD Z4, 256(DI)
	VMOVUPD Z5, 320(DI)
	VMOVUPD Z6, 384(DI)
	VMOVUPD Z7, 448(DI)
	VMOVUPD 512(DI), Z0
	VMOVUPD 576(DI), Z1
	VMOVUPD 640(DI), Z2
	VMOVUPD 704(DI), Z3
	VMOVUPD 768(DI), Z4
	VMOVUPD 832(DI), Z5
	VMOVUPD 896(DI), Z6
	RL5EXP8A(Z0, Z8, Z16)
	RL5EXP8A(Z1, Z9, Z17)
	RL5EXP8A(Z2, Z10, Z18)
	RL5EXP8A(Z3, Z11, Z19)
	RL5EXP8A(Z4, Z12, Z20)
	RL5EXP8A(Z5, Z13, Z21)
	RL5EXP8A(Z6, Z14, Z22)
	RL5EXP8B(Z0, Z16)
	RL5EXP8B(Z1, Z17)
	RL5EXP8B(Z2, Z18)
	RL5EXP8B(Z3, Z19)
	RL5EXP8B(Z4, Z20)
	RL5EXP8B(Z5, Z21)
	RL5EXP8B(Z6, Z22)
	RL5EXP8C(Z0, Z16)
	RL5EXP8C(Z1, Z17)
	RL5EXP8C(Z2, Z18)
	RL5EXP8C(Z3, Z19)
	RL5EXP8C(Z4, Z20)
	RL5EXP8C(Z5, Z21)
	RL5EXP8C(Z6, Z22)
	RL5EXP8D(Z0, Z8, Z16)
	RL5EXP8D(Z1, Z9, Z17)
	RL5EXP8D(Z2, Z10, Z18)
	RL5EXP8D(Z3, Z11, Z19)
	RL5EXP8D(Z4, Z12, Z20)
	RL5EXP8D(Z5, Z13, Z21)
	RL5EXP8D(Z6, Z14, Z22)
	VMOVUPD Z0, 512(DI)
	VMOVUPD Z1, 576(DI)
	VMOVUPD Z2, 640(DI)
	VMOVUPD Z3, 704(DI)
	VMOVUPD Z4, 768(DI)
	VMOVUPD Z5, 832(DI)
	VMOVUPD Z6, 896(DI)
	MOVQ DI, AX
	MOVQ $3, DX

quotients8:
	RL5QUOTIENTS8
	ADDQ $320, AX
	DECQ DX
	JNZ  quotients8
	JMP  taken

widerewards: // stage T
	RL5LANES8(0, rl5idx0)
	RL5REWARD8(0)
	RL5LANES8(1, rl5idx1)
	RL5REWARD8(1)
	RL5LANES8(2, rl5idx2)
	RL5REWARD8(2)

taken:
	MOVB $1, ret+128(FP)
	JMP  leave

outside:
	MOVB $0, ret+128(FP)

leave:
	// VZEROUPPER clears the upper halves of ZMM0-15 only: the wide path zeroes the ZMM16-23 it
	// used as well, so that no dirty upper state outlives the call (on some processors such
	// state is said to hold the core at AVX-512's lower clock).
	CMPB wide+120(FP), $0
	JEQ  narrow
	VPXORQ Z16, Z16, Z16
	VPXORQ Z17, Z17, Z17
	VPXORQ Z18, Z18, Z18
	VPXORQ Z19, Z19, Z19
	VPXORQ Z20, Z20, Z20
	VPXORQ Z21, Z21, Z21
	VPXORQ Z22, Z22, Z22
	VPXORQ Z23, Z23, Z23

narrow:
	VZEROUPPER
	RET
