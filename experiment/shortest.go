package experiment

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strconv"
)

// Shortest decimal forms of float64 without strconv's general path, written here: the digits by
// Schubfach (Raffaello Giulietti, "The Schubfach way to render doubles", 2020), the layout
// directly, eight digits at a time. For a finite nonzero x the digits d₁…dₙ are the fewest that
// read back as x (the decimals in x's rounding interval, its ends included when x's significand is
// even, as a reader rounding half to even takes them), the nearest to x among those, and the even
// one of two equally near. TestAppendShortest, TestAppendShortestHardCases and FuzzAppendShortest
// hold appendShortest to strconv.AppendFloat(b, x, 'g', -1, 64) byte for byte. It skips strconv's
// general machinery (a decimal slice, the precision rules of every verb, a byte at a time), which
// cost more than the digits in the outputs of a long solve.

//go:generate go run gen_pow10.go -o pow10tab.go

// appendShortest appends strconv.AppendFloat(b, x, 'g', -1, 64): the shortest decimal digits of
// x, in positional notation when its decimal exponent X (x = d₁.d₂…dₙ × 10^X) is in -4..5, else
// as d₁.d₂…dₙe±XX (at least two exponent digits). Zeros, NaN and ±Inf are strconv's.
func appendShortest(b []byte, x float64) []byte {
	u := math.Float64bits(x)
	be, c := int(u>>52)&0x7ff, u&(1<<52-1)
	if be == 0x7ff || be == 0 && c == 0 {
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	}
	q, irregular := -1074, false // x = c × 2^q
	if be != 0 {
		// A power of two above the least normal has its lower neighbour half as far as its upper.
		q, irregular = be-1075, c == 0 && be > 1
		c |= 1 << 52
	}
	d, e := schubfach(c, q, irregular)
	return appendG(b, u>>63 != 0, d, e)
}

// schubfach returns the shortest decimal d × 10^e (d without trailing zeros) of v = c × 2^q,
// 0 < c < 2^53, in v's rounding interval R = [v − 2^(q−1), v + 2^(q−1)] (irregular, for
// c = 2^52 above the least normal exponent: [v − 2^(q−2), v + 2^(q−1)]), its ends in R when c is
// even; of two such equally short, the nearer to v, and of two equally near, the even.
//
// With 10^k ≤ |R| < 10^(k+1), R holds at least one multiple of 10^k and at most one of 10^(k+1).
// Scaled by 4·10^-k, v and R's ends are X, Xl and Xr (see scaled), and s = ⌊X/4⌋, so that
// s·10^k ≤ v < (s+1)·10^k. If exactly one of the multiples of 10^(k+1) around v is in R, it is
// the answer; else the answer is s or s+1 (× 10^k), whichever is in R, or the nearer if both are.
func schubfach(c uint64, q int, irregular bool) (uint64, int) {
	// v and R's ends in units of 2^(q−2): 4c and 4c ± 2 (the lower 4c − 1 when irregular).
	cb, lower := c<<2, uint64(2)
	k := floorLog10Pow2(q)
	if irregular {
		k, lower = floorLog10ThreeQuartersPow2(q), 1
	}
	g := &pow10Tab[-k-pow10Min]
	h := uint(q+floorLog2Pow10(-k)+2) & 63 // 2..5
	xh, xl := scaled(g, cb<<h)
	lh, ll := scaled(g, (cb-lower)<<h)
	rh, rl := scaled(g, (cb+2)<<h)
	// m·10^k (m·4 in X's units: 2m·2^64 in the scaled words) is in R when Xl ≤ 4m ≤ Xr, or, for
	// odd c (R open), Xl < 4m < Xr: when low ≤ 2m and high ≥ 2m, with low = ⌈Xl/2⌉ (⌊Xl/2⌋ + 1
	// when R is open) and high = ⌊Xr/2⌋ (⌈Xr/2⌉ − 1 when R is open).
	out := c & 1
	_, up := bits.Sub64(0, ll|out, 0)
	_, down := bits.Sub64(rl, out, 0)
	low, high := lh+up, rh-down
	s := xh >> 1
	if s10 := s / 10; low <= 20*s10 != (20*s10+20 <= high) {
		if low > 20*s10 {
			s10++
		}
		return stripZeros(s10, k+1)
	}
	lowIn, highIn := low <= 2*s, 2*s+2 <= high
	if lowIn && highIn {
		// Both in R: the nearer; on a tie (X = 4s+2 exactly), the even.
		if xh&1 != 0 && (xl != 0 || s&1 != 0) {
			s++
		}
	} else if highIn {
		s++
	}
	return s, k
}

// scaled returns X·2^63 as two words, for X = m·2^q·10^-k (4·10^-k times m·2^(q−2)) given
// g = pow10Tab's entry for 10^-k and cp = m·2^h < 2^60 (m = 4c, or one of R's ends, in units of
// 2^(q−2); h = q + ⌊-k·log₂10⌋ + 2): ⌊g·cp/2^64⌋, g·2^h/2^127 being 2^q·10^-k to within 2^-125
// relatively (g is 10^-k's leading 126 bits rounded up). Only its integer part (the result's
// bits from 63 up) and whether its fraction is zero (its lower 63 bits) are used: an exact
// integer X, which the rounding up of g raises by less than 2^-67, reads as one, and Schubfach's
// analysis (through the continued fractions of 2^q·10^-k) bounds a fraction, when there is one,
// far enough from 0 and 1 for every m and q of a float64 that both are X's. These are the 126-bit
// powers and the 63-bit fraction of the paper's round-to-odd products; the tests check the
// outcome against strconv.
func scaled(g *[2]uint64, cp uint64) (hi, lo uint64) {
	// ⌊g·cp/2^64⌋ = g₁·cp + ⌊g₀·cp/2^64⌋ for g = g₁·2^64 + g₀.
	hi, lo = bits.Mul64(g[0], cp)
	y1, _ := bits.Mul64(g[1], cp)
	lo, carry := bits.Add64(lo, y1, 0)
	return hi + carry, lo
}

// floorLog10Pow2 returns ⌊q·log₁₀2⌋, for |q| ≤ 1100 (TestFloorLogs).
func floorLog10Pow2(q int) int { return q * 315653 >> 20 }

// floorLog10ThreeQuartersPow2 returns ⌊log₁₀(¾·2^q)⌋, for |q| ≤ 1100 (TestFloorLogs).
func floorLog10ThreeQuartersPow2(q int) int { return (q*315653 - 131008) >> 20 }

// floorLog2Pow10 returns ⌊e·log₂10⌋, for |e| ≤ 400 (TestFloorLogs).
func floorLog2Pow10(e int) int { return e * 1741647 >> 19 }

// stripZeros returns d without its trailing decimal zeros and e plus their count; d > 0.
func stripZeros(d uint64, e int) (uint64, int) {
	for d%10 == 0 {
		d /= 10
		e++
	}
	return d, e
}

// digitPairs holds "00" to "99".
const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// put8 writes the eight digits of n < 10⁸, leading zeros included (digits8's word).
func put8(b *[8]byte, n uint32) { binary.LittleEndian.PutUint64(b[:], digits8(n)) }

// digits8 returns the eight ASCII digits of n < 10⁸, leading zeros included, as the bytes of a
// little-endian word (the first digit lowest): n's halves abcd and efgh in two 32-bit lanes,
// each split into two 16-bit lanes ab, cd (⌊g/100⌋ = ⌊5243g/2¹⁹⌋ for g < 10⁴), each of those into
// two bytes a, b (⌊v/10⌋ = ⌊103v/2¹⁰⌋ for v < 100), no lane carrying into the next.
func digits8(n uint32) uint64 {
	x := uint64(n/1e4) | uint64(n%1e4)<<32
	q := (x * 5243 >> 19) & 0x7f_0000_007f
	x = x<<16 - q*(100<<16-1) // g → ⌊g/100⌋ | (g mod 100)<<16
	t := (x * 103 >> 10) & 0xf_000f_000f_000f
	x = x<<8 - t*(10<<8-1) // v → ⌊v/10⌋ | (v mod 10)<<8
	return x | 0x3030303030303030
}

// pow10s holds 10⁰ to 10¹⁹.
var pow10s = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18, 1e19}

// decimalLen returns the number of decimal digits of q, 1 for 0.
func decimalLen(q uint64) int {
	n := (bits.Len64(q|1) * 1233) >> 12 // ⌊log₁₀ 2^len⌋: the digits or one fewer
	if q >= pow10s[n] {
		n++
	}
	return max(n, 1)
}

// appendInt appends strconv.AppendInt(b, n, 10): through digits8 for 0 ≤ n < 10⁸ (iterations
// and inner work), else strconv's. Its d digits are the word's last d bytes, shifted down to its
// first: stored whole in b's room (appendWord) rather than copied.
func appendInt(b []byte, n int64) []byte {
	if uint64(n) < 10 { // one digit: inner work 0, for most algorithms at every iteration
		return append(b, byte('0'+n))
	}
	if n < 0 || n >= 1e8 {
		return strconv.AppendInt(b, n, 10)
	}
	d := decimalLen(uint64(n))
	return appendWord(b, digits8(uint32(n))>>(8*(8-d)), d)
}

// appendWord appends the first n ≤ 8 bytes of the little-endian word w: one store of eight bytes
// where b has their room (the bytes past n are left beyond b's length), else through append. A
// store costs less than the call that copies a slice of unknown length.
func appendWord(b []byte, w uint64, n int) []byte {
	if l := len(b); cap(b)-l >= 8 {
		binary.LittleEndian.PutUint64(b[l:l+8], w)
		return b[:l+n]
	}
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], w)
	return append(b, buf[:n]...)
}

// appendG appends -q × 10^x10 (neg) or q × 10^x10, 0 < q < 10¹⁷, in the layout of strconv's 'g'
// with precision -1 (see appendShortest). Where b has room for gRoom bytes more, the form is
// stored there in words of eight bytes (bytes written past its end are left beyond b's length);
// else appendGBytes appends it.
func appendG(b []byte, neg bool, q uint64, x10 int) []byte {
	l := len(b)
	if cap(b)-l < gRoom {
		return appendGBytes(b, neg, q, x10)
	}
	// The 17 places of digits at buf[7:24], eight more bytes read past them by the last words.
	var buf [48]byte
	hi := q / 1e8
	top := hi / 1e8
	binary.LittleEndian.PutUint64(buf[16:], digits8(uint32(q-hi*1e8)))
	binary.LittleEndian.PutUint64(buf[8:], digits8(uint32(hi-top*1e8)))
	buf[7] = byte('0' + top)
	nd := decimalLen(q)
	d := buf[24-nd:] // the digits, then the words' spare bytes
	dp := nd + x10   // the point's place: x = 0.d₁d₂…dₙ × 10^dp
	w := b[l : l+gRoom : l+gRoom]
	pos := 0
	if neg {
		w[0], pos = '-', 1
	}
	switch {
	case dp-1 < -4 || dp-1 >= 6: // d₁.d₂…dₙe±XX
		w[pos] = d[0]
		pos++
		if nd > 1 {
			w[pos] = '.'
			put16(w[pos+1:], d[1:])
			pos += nd
		}
		x, sign := dp-1, byte('+')
		if x < 0 {
			x, sign = -x, '-'
		}
		w[pos], w[pos+1] = 'e', sign
		pos += 2
		if x >= 100 {
			w[pos] = byte('0' + x/100)
			x %= 100
			pos++
		}
		w[pos], w[pos+1] = digitPairs[2*x], digitPairs[2*x+1]
		pos += 2
	case dp <= 0: // 0.000d₁…dₙ, at most three zeros after the point
		binary.LittleEndian.PutUint64(w[pos:], zeroPoint)
		pos += 2 - dp
		put16(w[pos:], d)
		binary.LittleEndian.PutUint64(w[pos+16:], binary.LittleEndian.Uint64(d[16:]))
		pos += nd
	case dp >= nd: // d₁…dₙ000, at most six digits
		binary.LittleEndian.PutUint64(w[pos:], binary.LittleEndian.Uint64(d))
		binary.LittleEndian.PutUint64(w[pos+nd:], zeros8)
		pos += dp
	default: // d₁…d_dp.d_dp+1…dₙ, dp ≤ 6
		binary.LittleEndian.PutUint64(w[pos:], binary.LittleEndian.Uint64(d))
		w[pos+dp] = '.'
		put16(w[pos+dp+1:], d[dp:])
		pos += nd + 1
	}
	return b[:l+pos]
}

// gRoom is the room appendG writes in: a form of at most 24 bytes and the words' spare bytes.
const gRoom = 48

// zeroPoint and zeros8 are the words of "0.000000" and "00000000".
const (
	zeroPoint = 0x3030303030302e30
	zeros8    = 0x3030303030303030
)

// put16 copies the first 16 bytes of src to dst, as two words.
func put16(dst, src []byte) {
	binary.LittleEndian.PutUint64(dst[:8], binary.LittleEndian.Uint64(src[:8]))
	binary.LittleEndian.PutUint64(dst[8:16], binary.LittleEndian.Uint64(src[8:16]))
}

// appendGBytes is appendG by appends, for a b without its room.
func appendGBytes(b []byte, neg bool, q uint64, x10 int) []byte {
	// All 17 places written (the leading zeros cost less than finding where to stop), then the
	// number's digits taken from the end: n of them, 10ⁿ⁻¹ ≤ q < 10ⁿ.
	var buf [24]byte
	hi := q / 1e8
	top := hi / 1e8
	put8((*[8]byte)(buf[16:]), uint32(q-hi*1e8))
	put8((*[8]byte)(buf[8:]), uint32(hi-top*1e8))
	buf[7] = byte('0' + top)
	d := buf[len(buf)-decimalLen(q):]
	dp := len(d) + x10 // the point's place: x = 0.d₁d₂…dₙ × 10^dp
	if neg {
		b = append(b, '-')
	}
	switch {
	case dp-1 < -4 || dp-1 >= 6:
		b = append(b, d[0])
		if len(d) > 1 {
			b = append(append(b, '.'), d[1:]...)
		}
		b = append(b, 'e', '+')
		x := dp - 1
		if x < 0 {
			b[len(b)-1], x = '-', -x
		}
		if x >= 100 {
			b = append(b, byte('0'+x/100))
			x %= 100
		}
		return append(b, digitPairs[2*x], digitPairs[2*x+1])
	case dp <= 0:
		b = append(b, "0.0000"[:2-dp]...)
		return append(b, d...)
	case dp >= len(d):
		b = append(b, d...)
		return append(b, "000000"[:dp-len(d)]...)
	}
	return append(append(append(b, d[:dp]...), '.'), d[dp:]...)
}
