// Package params reads the parameter structs of games and algorithms: structs whose exported
// fields with a `yaml:"name"` tag are the parameters, each with an optional `help:"..."` tag, an
// optional `range:"..."` tag saying in words which values are allowed (such as "0 < discount < 1"
// or "empty, or n probabilities summing to 1") and, for integers, an optional `max:"N"` bound
// (`max:"-"`: none; default MaxInt). The registries, the
// configuration files and the command-line flags all go through it, so that a parameter is
// declared once, in its struct.
package params

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"meanfield/internal/oneline"
	"meanfield/internal/registry"
)

// Field is one parameter of a parameter struct.
type Field struct {
	// Name is the YAML tag; Help the help tag and Range the range tag (either may be empty).
	Name, Help, Range string
	// Type is the field's Go type.
	Type reflect.Type
	// Default is the field's value in the struct Fields was given.
	Default any
	// Tag is the field's struct tag.
	Tag reflect.StructTag
}

// Fields lists the parameters of a parameter struct (or a pointer to one), in declaration order.
func Fields(p any) []Field {
	v := reflect.ValueOf(p)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	t := v.Type()
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if tag == "" || tag == "-" || !t.Field(i).IsExported() {
			continue
		}
		out = append(out, Field{Name: tag, Help: t.Field(i).Tag.Get("help"), Range: t.Field(i).Tag.Get("range"), Type: t.Field(i).Type, Default: v.Field(i).Interface(), Tag: t.Field(i).Tag})
	}
	return out
}

// Names lists the parameter names of a parameter struct, in declaration order.
func Names(p any) []string {
	var names []string
	for _, f := range Fields(p) {
		names = append(names, f.Name)
	}
	return names
}

// Map returns the parameters of a parameter struct by name.
func Map(p any) (map[string]any, error) {
	raw, err := yaml.Marshal(p)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	return m, yaml.Unmarshal(raw, &m)
}

// Number returns a parameter value as YAML decodes it (int, int64, uint64 or float64) as a
// float64, and whether it is a number.
func Number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// UnknownError is a parameter name the struct does not have.
type UnknownError struct {
	Name  string
	Known []string
}

func (e *UnknownError) Error() string {
	return fmt.Sprintf("parameter %q is unknown (known: %s)%s", e.Name, strings.Join(e.Known, ", "), registry.DidYouMean(e.Name, e.Known))
}

// Decode sets the parameters named in values on the struct p points to, in alphabetical order of
// names, one at a time, so that an error names its parameter: "param n = 2.9: must be a whole
// number" (a *ValueError). A name that is no parameter is an *UnknownError. Integers must be
// whole numbers of at most MaxInt in absolute value.
func Decode(p any, values map[string]any) error {
	known := Names(p)
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first unknown name in order, whatever the map's order
	for _, k := range keys {
		if !slices.Contains(known, k) {
			return &UnknownError{Name: k, Known: known}
		}
	}
	for _, k := range keys {
		if err := decodeOne(p, k, values[k]); err != nil {
			// One line whatever the value holds (a string with line breaks, say).
			return &ValueError{Name: k, msg: oneline.String(fmt.Sprintf("param %s = %s: %v", k, ShowValue(values[k]), err))}
		}
	}
	return nil
}

// ValueError is a value a parameter cannot take: "param n = 2.9: must be a whole number".
type ValueError struct {
	Name string
	msg  string
}

func (e *ValueError) Error() string { return e.msg }

// decodeOne sets parameter key of the struct p points to.
func decodeOne(p any, key string, v any) error {
	if err := checkWhole(p, key, v); err != nil {
		return err
	}
	if setDirect(p, key, v) {
		return nil
	}
	raw, err := yaml.Marshal(map[string]any{key: v})
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(p); err != nil {
		return errors.New(plainTypeError(err, ShowValue(v)))
	}
	return nil
}

// setDirect sets parameter key of the struct p points to, and reports true, when v is what
// decoding its YAML would set the field to: an int for an int field, a bool for a bool field, a
// finite float64 other than -0, or an int, for a float64 field (YAML writes a float in the
// shortest form that reads back the same; -0 would read back as 0), a string of printable ASCII
// for a string field (YAML quotes one that would read back as anything else). Anything else
// (lists, other strings, conversions, a struct that decodes itself) is left to YAML, which
// Decode's messages rely on.
func setDirect(p any, key string, v any) bool {
	if _, custom := p.(yaml.Unmarshaler); custom || v == nil {
		return false
	}
	rv := reflect.ValueOf(p)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return false
	}
	s := rv.Elem()
	for i := 0; i < s.NumField(); i++ {
		f := s.Type().Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); tag != key || !f.IsExported() {
			continue
		}
		if x, ok := v.(int); ok && f.Type == reflect.TypeFor[float64]() {
			// A whole number for a float64 field (YAML reads 2.0 back as the int 2): YAML's decoder
			// sets float64(x) too.
			s.Field(i).SetFloat(float64(x))
			return true
		}
		if reflect.TypeOf(v) != f.Type {
			return false
		}
		switch x := v.(type) {
		case int, bool:
		case float64:
			if math.Signbit(x) && x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		case string:
			if !printableASCII(x) {
				return false
			}
		default:
			return false
		}
		s.Field(i).Set(reflect.ValueOf(v))
		return true
	}
	return false
}

// printableASCII reports whether s holds only the characters from space to '~'.
func printableASCII(s string) bool {
	for i := range len(s) {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// plainTypeError says an error of decoding one parameter in the user's terms ("must be a whole
// number"), without the Go types the decoder names or the line numbers of the document this
// package built from the value (Decode's message shows the value, shown; an entry of a list that
// is at fault is named: "x must be a number").
func plainTypeError(err error, shown string) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return plainYAML(oneline.String(err.Error()))
	}
	m := typeErrorRE().FindStringSubmatch(te.Errors[0])
	if m == nil {
		return plainYAML(oneline.String(te.Errors[0]))
	}
	want := "must be " + DescribeGoType(m[4], false)
	switch m[2] {
	case "!!str", "!!int", "!!float", "!!bool", "!!null": // the entry of a list at fault, as written
		if m[3] != "" && m[3] != shown && !strings.HasSuffix(m[3], "...") {
			return oneline.String(m[3]) + " " + want
		}
	}
	return want
}

// maxOf is the bound of an integer parameter: its max tag, or MaxInt; "-" is none.
func maxOf(f Field) (float64, bool) {
	switch tag := f.Tag.Get("max"); tag {
	case "":
		return MaxInt, true
	case "-":
		return 0, false
	default:
		n, err := strconv.ParseFloat(tag, 64)
		return n, err == nil
	}
}

// MaxInt bounds every integer parameter (sizes, horizons), so that a typo fails with a message
// instead of exhausting memory.
const MaxInt = 1_000_000

// checkWhole rejects, for an integer parameter, a value that is not a whole number (YAML would
// truncate it) or that is out of bounds.
func checkWhole(p any, key string, v any) error {
	for _, f := range fieldsNamed(p, key) {
		switch f.Type.Kind() {
		case reflect.Int, reflect.Int64:
		default:
			return nil
		}
		var x float64
		switch n := v.(type) {
		case int:
			x = float64(n)
		case float64:
			if n != math.Trunc(n) {
				return fmt.Errorf("must be a whole number")
			}
			x = n
		default:
			return nil // yaml reports the type mismatch
		}
		if limit, bounded := maxOf(f); bounded && math.Abs(x) > limit {
			return fmt.Errorf("at most %d in absolute value", int64(limit))
		}
	}
	return nil
}

// fieldsNamed is what Fields(p) lists under name (one field, or none), without the values: Decode
// looks up one parameter at a time, and Fields boxes every default of the struct.
func fieldsNamed(p any, name string) []Field {
	t := reflect.TypeOf(p)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []Field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); tag == name && tag != "" && tag != "-" && f.IsExported() {
			out = append(out, Field{Name: tag, Help: f.Tag.Get("help"), Range: f.Tag.Get("range"), Type: f.Type, Tag: f.Tag})
		}
	}
	return out
}

// CheckWholeYAML refuses, in a YAML document decoded into a struct like p, a fraction given for a
// top-level integer field (YAML would truncate 2.5 to 2): the error names the key and the value.
func CheckWholeYAML(data []byte, p any) error {
	var top map[string]any
	if yaml.Unmarshal(data, &top) != nil {
		return nil // the decoder reports it
	}
	for _, f := range Fields(p) {
		switch f.Type.Kind() {
		case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64, reflect.Uint32:
		default:
			continue
		}
		if x, ok := top[f.Name].(float64); ok && x != math.Trunc(x) {
			return fmt.Errorf("%s = %v: must be a whole number", f.Name, x)
		}
	}
	return nil
}
