package experiment

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"slices"
	"strings"
)

// writeIndentedJSON writes the struct v as a json.Encoder with SetIndent("", " ") writes it, byte
// for byte, but lays its tables out itself: a field of type Tables, Numbers or []Numbers (arrays
// of numbers and nulls, a Marshaler's compact output) is indented by a single pass over its
// bytes, where encoding/json validated and compacted a Marshaler's output and then re-scanned the
// whole document to indent it (on building evacuation, three quarters of result.json's cost).
// Other fields go through a json.Encoder indented at their depth. v's fields are read as encoding/json
// reads a flat struct: exported, named by their tag, left out when "-" or empty under omitempty.
func writeIndentedJSON(w io.Writer, v any) error {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	b := append(make([]byte, 0, 1<<16), '{')
	first := true
	var scratch []byte
	cache := new(numberCache)
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
		if b, err = appendIndentedField(b, fv, &scratch, cache); err != nil {
			return err
		}
	}
	if !first {
		b = append(b, '\n')
	}
	b = append(b, "}\n"...)
	_, err := w.Write(b)
	return err
}

// appendIndentedField appends the value of a top-level field, indented at depth 1. A table's
// compact form is built in *scratch (reused from field to field) with the numbers formatted
// through c: result.json's tables repeat most of their numbers.
func appendIndentedField(b []byte, fv reflect.Value, scratch *[]byte, c *numberCache) ([]byte, error) {
	compact := (*scratch)[:0]
	switch x := fv.Interface().(type) {
	case Tables:
		compact = append(compact, '[')
		for t, m := range x {
			if t > 0 {
				compact = append(compact, ',')
			}
			compact = append(compact, '[')
			for i, row := range m {
				if i > 0 {
					compact = append(compact, ',')
				}
				compact = appendNumbersCached(compact, row, c)
			}
			compact = append(compact, ']')
		}
		compact = append(compact, ']')
	case Numbers:
		compact = appendNumbersCached(compact, x, c)
	case []Numbers:
		if x == nil {
			return append(b, "null"...), nil
		}
		compact = append(compact, '[')
		for i, n := range x {
			if i > 0 {
				compact = append(compact, ',')
			}
			compact = appendNumbersCached(compact, n, c)
		}
		compact = append(compact, ']')
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf) // escapes HTML as json.Encoder does
		enc.SetIndent(" ", " ")
		if err := enc.Encode(x); err != nil {
			return b, err
		}
		return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...), nil
	}
	*scratch = compact
	return appendIndentedArrays(b, compact, 1), nil
}

// appendIndentedArrays appends src, compact JSON of nested arrays of numbers and nulls (no
// strings, no objects), laid out at depth as json.Indent with prefix "" and indent " " does: an
// empty array as [], else each element on its own line, one space deeper than its array.
func appendIndentedArrays(b, src []byte, depth int) []byte {
	// The indentation of every line is cut from one line break and run of spaces, as long as
	// the deepest nesting needs.
	deepest, d := depth, depth
	for _, c := range src {
		if c == '[' {
			d++
			deepest = max(deepest, d)
		} else if c == ']' {
			d--
		}
	}
	indent := "\n" + strings.Repeat(" ", deepest)
	b = slices.Grow(b, len(src)+(deepest+1)*bytes.Count(src, []byte(",")))
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '[':
			if i+1 < len(src) && src[i+1] == ']' {
				b, i = append(b, '[', ']'), i+1
				continue
			}
			depth++
			b = append(append(b, '['), indent[:depth+1]...)
		case ',':
			b = append(append(b, ','), indent[:depth+1]...)
		case ']':
			depth--
			b = append(append(b, indent[:depth+1]...), ']')
		default:
			b = append(b, c)
		}
	}
	return b
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
