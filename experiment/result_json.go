package experiment

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"reflect"
	"strings"
)

// writeIndentedJSON writes the struct v as a json.Encoder with SetIndent("", " ") writes it, byte
// for byte, but lays its tables out itself: a field of type Tables, Numbers or []Numbers (arrays
// of numbers, null where not finite) is appended in its indented layout as its numbers are
// formatted, where encoding/json validated and compacted each Marshaler's output and then
// re-scanned the whole document to indent it (on building evacuation, three quarters of
// result.json's cost). Other fields go through a json.Encoder indented at their depth. v's
// fields are read as encoding/json reads a flat struct: exported, named by their tag, left out
// when "-" or empty under omitempty.
func writeIndentedJSON(w io.Writer, v any) error {
	return writeIndentedJSONFormed(w, v, new(numberCache))
}

// formedList names a top-level field of type Numbers whose numbers' shortest forms (strconv's
// 'g', -1, as Numbers writes them) were made already: form(i) returns the i-th's, or nothing
// when it is not at hand; it is called for i = 0, 1, ... in order, once each.
type formedList struct {
	name string
	form func(i int) []byte
}

// writeIndentedJSONFormed is writeIndentedJSON with the numbers formatted through cache, and the
// lists of formed laid out from their forms where they have one (result.json's exploitabilities,
// formatted for trace.csv already).
func writeIndentedJSONFormed(w io.Writer, v any, cache *numberCache, formed ...formedList) error {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	b := append(make([]byte, 0, 1<<16+1<<10), '{')
	first := true
	// The document goes out in pieces of about 64 KiB as it is appended (a list of 10⁴
	// exploitabilities grew one buffer to 256 KiB of fresh memory); the first write error stops
	// the writing and is returned.
	var werr error
	s := &jsonStream{flush: func(b []byte) []byte {
		if len(b) < 1<<16 || werr != nil {
			return b
		}
		_, werr = w.Write(b)
		return b[:0]
	}}
	for i := range rt.NumField() {
		f, fv := rt.Field(i), rv.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if strings.Contains(","+opts+",", ",omitempty,") && emptyJSON(fv) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, "\n \""...)
		b = append(b, name...)
		b = append(b, "\": "...)
		var err error
		if form := formOf(formed, name); form != nil && fv.Type() == reflect.TypeFor[Numbers]() {
			b = appendIndentedFormed(b, fv.Interface().(Numbers), 1, form, cache, s)
		} else if b, err = appendIndentedField(b, fv, cache, s); err != nil {
			return err
		}
		if werr != nil {
			return werr
		}
	}
	if !first {
		b = append(b, '\n')
	}
	b = append(b, "}\n"...)
	_, err := w.Write(b)
	return err
}

// jsonStream passes flush, which writes out a long enough document's bytes and returns the
// buffer to append to next, to the appenders of long lists.
type jsonStream struct{ flush func(b []byte) []byte }

// appendIndentedField appends the value of a top-level field, indented at depth 1. A table is
// appended in its indented layout directly, its numbers formatted through c (result.json's
// tables repeat most of their numbers).
func appendIndentedField(b []byte, fv reflect.Value, c *numberCache, s *jsonStream) ([]byte, error) {
	switch x := fv.Interface().(type) {
	case Tables:
		return appendIndentedList(b, len(x), 1, func(b []byte, t, depth int) []byte {
			return appendIndentedList(b, len(x[t]), depth, func(b []byte, i, depth int) []byte {
				return appendIndentedNumbers(b, x[t][i], depth, c, s)
			})
		}), nil
	case Numbers:
		return appendIndentedNumbers(b, x, 1, c, s), nil
	case []Numbers:
		if x == nil {
			return append(b, "null"...), nil
		}
		return appendIndentedList(b, len(x), 1, func(b []byte, i, depth int) []byte {
			return appendIndentedNumbers(b, x[i], depth, c, s)
		}), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // escapes HTML as json.Encoder does
	enc.SetIndent(" ", " ")
	if err := enc.Encode(fv.Interface()); err != nil {
		return b, err
	}
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), nil
}

// appendIndentedList appends an array of n elements as json.Indent (prefix "", indent " ") lays
// it out when its brackets are at depth: [] when n = 0, else each element on its own line one
// space deeper, elem(b, i, depth+1) appending the i-th.
func appendIndentedList(b []byte, n, depth int, elem func(b []byte, i, depth int) []byte) []byte {
	if n == 0 {
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(appendLineBreak(b, depth+1), i, depth+1)
	}
	return append(appendLineBreak(b, depth), ']')
}

// appendIndentedNumbers appends xs as appendIndentedList lays out an array at depth, null for a
// value that is not finite, the others formatted through c; s flushes the buffer before each.
func appendIndentedNumbers(b []byte, xs []float64, depth int, c *numberCache, s *jsonStream) []byte {
	return appendIndentedList(b, len(xs), depth, func(b []byte, i, _ int) []byte {
		b = s.flush(b)
		if x := xs[i]; !math.IsNaN(x) && !math.IsInf(x, 0) {
			return c.append(b, x)
		}
		return append(b, "null"...)
	})
}

// formOf returns the form function of the list named name in formed, nil when there is none.
func formOf(formed []formedList, name string) func(i int) []byte {
	for _, f := range formed {
		if f.name == name {
			return f.form
		}
	}
	return nil
}

// appendIndentedFormed is appendIndentedNumbers with each finite number laid out from form(i)
// when it has one, else formatted through c.
func appendIndentedFormed(b []byte, xs []float64, depth int, form func(i int) []byte, c *numberCache, s *jsonStream) []byte {
	return appendIndentedList(b, len(xs), depth, func(b []byte, i, _ int) []byte {
		b = s.flush(b)
		g := form(i) // every i, in order
		switch x := xs[i]; {
		case math.IsNaN(x) || math.IsInf(x, 0):
			return append(b, "null"...)
		case len(g) > 0:
			return append(b, g...)
		default:
			return c.append(b, x)
		}
	})
}

// appendLineBreak appends a line break and depth spaces.
func appendLineBreak(b []byte, depth int) []byte {
	const spaces = "                " // 16: result.json's numbers are at depth 4
	b = append(b, '\n')
	for ; depth > len(spaces); depth -= len(spaces) {
		b = append(b, spaces...)
	}
	return append(b, spaces[:depth]...)
}

// emptyJSON reports whether encoding/json's omitempty leaves v out: false, 0, a nil pointer or
// interface, an empty string, slice, map or array.
func emptyJSON(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool:
		return !v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() == 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() == 0
	case reflect.Float32, reflect.Float64:
		return v.Float() == 0
	case reflect.Interface, reflect.Pointer:
		return v.IsNil()
	}
	return false
}
