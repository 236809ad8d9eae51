package experiment

import (
	"bytes"
	"math"
	"strconv"

	"meanfield/engine"
)

// traceForms holds the shortest decimal forms (strconv's 'g', -1: trace.csv's cells) of every
// iteration's exploitability and changes of L in l1 and l∞, formatted once for trace.csv and
// trace.json. Every shortest form of x (strconv's 'e', 'f' and 'g' with precision -1, and so
// encoding/json's) has the same digits d₁…dₙ, the fewest that round back to x; the formats differ
// only in where the point goes, so trace.json's numbers are laid out from trace.csv's text
// (appendJSONFromG) instead of generating their digits a second time.
type traceForms struct {
	text []byte
	// lens holds three lengths an iteration, in order: its exploitability's form, its l1 and its
	// l∞ change's; 0 where the iteration does not record the value.
	lens []uint8
	// cache formatted the forms; the other outputs of the solve format their numbers through it
	// too (one cache of 160 KiB of fresh memory rather than one each).
	cache *numberCache
}

// newTraceForms formats the exploitabilities and changes of L of trace, through a numberCache: a
// run that settles repeats its last values for thousands of iterations (left-right with prior
// descent has about 115 distinct values in each column of 10⁴ rows), found there for a copy.
func newTraceForms(trace []engine.Iteration) *traceForms {
	// 24 bytes a number, the longest form: the room is never outgrown. (At 20, the length of
	// many forms, 0.1228857825122156, runs whose changes are mostly of the form
	// 5.551115123125783e-16 outgrew it, as beach bar with online mirror descent does at 21 bytes
	// a number: 1.35 times the room more allocated and the forms copied. Room not used is at
	// most cleared, and fresh memory from the system not even that.)
	c := new(numberCache)
	f := &traceForms{text: make([]byte, 0, 24*3*len(trace)), lens: make([]uint8, 0, 3*len(trace)), cache: c}
	for _, it := range trace {
		f.add(it.HasExploitability, it.Exploitability, c)
		f.add(it.HasChange, it.L1Change, c)
		f.add(it.HasChange, it.LInfChange, c)
	}
	return f
}

// add appends the form of x, or an empty one when x is not recorded; c formats the finite ones.
// A float64's 'g' form has at most 24 bytes (-2.2250738585072014e-308): its length fits a byte.
func (f *traceForms) add(recorded bool, x float64, c *numberCache) {
	n := len(f.text)
	switch {
	case !recorded:
	case math.IsNaN(x) || math.IsInf(x, 0):
		f.text = strconv.AppendFloat(f.text, x, 'g', -1, 64)
	default:
		f.text = c.append(f.text, x)
	}
	f.lens = append(f.lens, uint8(len(f.text)-n))
}

// formReader reads a traceForms's forms in order.
type formReader struct {
	f       *traceForms
	pos, at int // the next form's start in f.text and its index in f.lens
}

// next returns the next form: the exploitability, the l1 and the l∞ change of the next iteration.
func (r *formReader) next() []byte {
	end := r.pos + int(r.f.lens[r.at])
	s := r.f.text[r.pos:end:end]
	r.pos, r.at = end, r.at+1
	return s
}

// exploitabilities returns the forms of the iterations' exploitabilities as a formedList's form
// (empty where not recorded): the i-th call returns iteration i's.
func (f *traceForms) exploitabilities() func(i int) []byte {
	r := formReader{f: f}
	return func(int) []byte {
		e := r.next()
		r.next() // the changes of L
		r.next()
		return e
	}
}

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
	e := bytes.IndexByte(g, 'e')
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
	digits := len(m)
	if digits > 1 {
		digits-- // the point after the first digit
	}
	digit := func(i int) byte { // the i-th digit, from 0
		if i > 0 {
			i++ // past the point
		}
		return m[i]
	}
	if x < 0 { // 0.000ddd
		b = append(b, '0', '.')
		for range -x - 1 {
			b = append(b, '0')
		}
		for i := range digits {
			b = append(b, digit(i))
		}
		return b
	}
	for i := range max(digits, x+1) { // the integer part, then the fraction's digits after a point
		if i == x+1 {
			b = append(b, '.')
		}
		if i < digits {
			b = append(b, digit(i))
		} else {
			b = append(b, '0')
		}
	}
	return b
}
