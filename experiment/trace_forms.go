package experiment

import (
	"math"

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
	// cache formats the numbers of the other outputs' tables (one cache of 160 KiB of fresh
	// memory rather than one each).
	cache *numberCache
}

// newTraceForms formats the exploitabilities and changes of L of trace (appendShortest), a value
// equal to the one above it in its column copied from there: a run that settles repeats its last
// values for thousands of iterations. (A numberCache found the repeats of a cycle too, but its
// look-up, about 70 instructions a number, cost more than the formatting it saved once
// appendShortest formats a number in about 350: on left-right, rock-paper-scissors and beach bar
// this is 200 to 300 instructions an iteration fewer, and a few fewer with prior descent, whose
// values settle.) The numberCache is made here all the same for the tables of the other outputs.
func newTraceForms(trace []engine.Iteration) *traceForms {
	// 24 bytes a number, the longest form: the room is never outgrown. (At 20, the length of
	// many forms, 0.1228857825122156, runs whose changes are mostly of the form
	// 5.551115123125783e-16 outgrew it, as beach bar with online mirror descent does at 21 bytes
	// a number: 1.35 times the room more allocated and the forms copied. Room not used is at
	// most cleared, and fresh memory from the system not even that.)
	c := new(numberCache)
	f := &traceForms{text: make([]byte, 0, 24*3*len(trace)), lens: make([]uint8, 0, 3*len(trace)), cache: c}
	var cols [3]lastForm
	for i := range trace {
		it := &trace[i] // not a copy of the record: it is large
		f.add(it.HasExploitability, it.Exploitability, &cols[0])
		f.add(it.HasChange, it.L1Change, &cols[1])
		f.add(it.HasChange, it.LInfChange, &cols[2])
	}
	return f
}

// lastForm is where the last form of a column is in traceForms.text (start < end once there is
// one), and its number's bits.
type lastForm struct {
	bits       uint64
	start, end int
}

// add appends the form of x, or an empty one when x is not recorded: a copy of last's when x has
// its bits, else formatted anew and made last. A float64's 'g' form has at most 24 bytes
// (-2.2250738585072014e-308): its length fits a byte.
func (f *traceForms) add(recorded bool, x float64, last *lastForm) {
	n := len(f.text)
	switch bits := math.Float64bits(x); {
	case !recorded:
	case last.end > last.start && bits == last.bits:
		f.text = append(f.text, f.text[last.start:last.end]...)
	default:
		f.text = appendShortest(f.text, x)
		*last = lastForm{bits, n, len(f.text)}
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
