package experiment

import (
	"math"
)

// appendJSONFromG appends x as appendJSONFloat does (encoding/json's form), given g, x's form in
// strconv's 'g' format with precision -1. Both take the same shortest digits; they differ in the
// layout only: 'g' writes d.ddde±XX when the decimal exponent X is < -4 or ≥ 6 and positional
// notation otherwise, encoding/json when |x| < 1e-6 or ≥ 1e21 (with no leading 0 in a negative
// exponent: e-7, not e-07), positional notation otherwise. Values that are not finite are
// appendJSONFloat's (an error).
func appendJSONFromG(b []byte, x float64, g []byte) ([]byte, error) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return appendJSONFloat(b, x)
	}
	a := math.Abs(x)
	jsonE := a != 0 && (a < 1e-6 || a >= 1e21)
	e := -1 // where 'e' is: 'g' writes two exponent digits, or three
	if n := len(g); n >= 4 && g[n-4] == 'e' {
		e = n - 4
	} else if n >= 5 && g[n-5] == 'e' {
		e = n - 5
	}
	switch {
	case e < 0 && !jsonE: // both positional
		return append(b, g...), nil
	case e >= 0 && jsonE:
		if n := len(g); g[n-3] == '-' && g[n-2] == '0' { // e-0X: encoding/json's e-X
			return append(append(b, g[:n-2]...), g[n-1]), nil
		}
		return append(b, g...), nil
	case e >= 0: // 1e-6 ≤ |x| < 1e-4 or 1e6 ≤ |x| < 1e21: positional for encoding/json
		return appendPositional(b, g[:e], g[e+1:]), nil
	}
	// 'g' positional and encoding/json exponential: not a shortest form of the same x (|x| < 1e-6
	// has a decimal exponent ≤ -7, |x| ≥ 1e21 one ≥ 21), formatted anew should it ever happen.
	return appendJSONFloat(b, x)
}

// appendPositional appends in positional notation (strconv's 'f', -1) the number whose 'e' form
// has mantissa m (-d.ddd, sign and point optional) and exponent exp (±XX): its digits with the
// point moved by the exponent, zeros filling in.
func appendPositional(b, m, exp []byte) []byte {
	if m[0] == '-' {
		b, m = append(b, '-'), m[1:]
	}
	x := 0
	for _, c := range exp[1:] { // "+06", "-05": a sign and at least two digits, strconv's
		x = 10*x + int(c-'0')
	}
	if exp[0] == '-' {
		x = -x
	}
	frac := m[min(2, len(m)):] // the digits after the first, past the point
	if x < 0 {                 // 0.000ddd
		return append(append(appendZeros(append(b, '0', '.'), -x-1), m[0]), frac...)
	}
	b = append(b, m[0])
	if x < len(frac) { // the point among the digits
		return append(append(append(b, frac[:x]...), '.'), frac[x:]...)
	}
	return appendZeros(append(b, frac...), x-len(frac))
}

// appendZeros appends n zeros.
func appendZeros(b []byte, n int) []byte {
	const zeros = "000000000000000000000000"
	for ; n > len(zeros); n -= len(zeros) {
		b = append(b, zeros...)
	}
	return append(b, zeros[:n]...)
}
