package params

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"meanfield/internal/oneline"
	"meanfield/internal/registry"
)

// DecodeError is an error of decoding a YAML document, in the user's words: the line, the key
// and its value, and what was wanted, without the Go types the decoder names.
type DecodeError struct {
	// Line is the line of the document the error is on; 0 when unknown.
	Line int
	// Key is the key whose value is wrong or unknown, dotted below the top level (axes.steps.from);
	// empty when the error is not about one key.
	Key string
	// Value is the value as written, on one line; empty when the key is unknown or there is none.
	Value string
	// Problem says what is wrong: "must be a whole number", "is unknown (known keys: ...)".
	Problem string
}

// Error is "line 2: iterations = abc: must be a whole number", or without the line when it is 0.
func (e *DecodeError) Error() string {
	return oneline.String(e.where(true) + e.what())
}

// WithoutLine is the error without its line: for a document built by the program from the
// user's values (a sweep file's base), whose lines are none of the user's.
func (e *DecodeError) WithoutLine() string { return oneline.String(e.where(false) + e.what()) }

func (e *DecodeError) where(line bool) string {
	if line && e.Line > 0 {
		return fmt.Sprintf("line %d: ", e.Line)
	}
	return ""
}

func (e *DecodeError) what() string {
	switch {
	case e.Key != "" && e.Value != "":
		return fmt.Sprintf("%s = %s: %s", e.Key, e.Value, e.Problem)
	case e.Key != "":
		return fmt.Sprintf("key %s %s", e.Key, e.Problem)
	}
	return e.Problem
}

var (
	// The messages of go.yaml.in/yaml/v3's decoder (yaml.TypeError's lines).
	typeErrorRE  = compiled("(?s)^line (\\d+): cannot unmarshal (.+?)(?: `(.*)`)? into (.+)$")
	unknownRE    = compiled(`^line (\d+): field (.*) not found in type .+$`)
	alreadySetRE = compiled(`^line (\d+): field (.*) already set in type .+$`)
	duplicateRE  = compiled(`^line (\d+): mapping key "(.*)" already defined at line (\d+)$`)
	// A syntax error: "yaml: line 3: did not find expected key".
	syntaxRE       = compiled(`(?s)^yaml: line (\d+): (.*)$`)
	invalidArrayRE = compiled(`^invalid array: want (\d+) elements but got (\d+)$`)
	fixedListRE    = compiled(`^\[(\d+)\](.+)$`)
	lineRE         = compiled(`^line \d+: `)
)

// YAMLError says err, an error of decoding the YAML document data into into (a pointer to a
// struct, a struct, or a map), in the user's words as a *DecodeError: the key at fault and its
// value read from data, what was wanted in words instead of a Go type, the keys into takes when a
// key is unknown. Only the first of several errors is told, with how many more there are. An
// error that is no decoding error (an input error) is returned as it is.
func YAMLError(err error, data []byte, into any) error {
	var doc yaml.Node
	_ = yaml.Unmarshal(data, &doc) // the document parses when the error is a type error
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		de := typeErrorLine(te.Errors[0], &doc, into)
		if n := len(te.Errors) - 1; n > 0 {
			de.Problem += fmt.Sprintf(" (and %d more %s)", n, plural(n, "error", "errors"))
		}
		return de
	}
	msg := err.Error()
	if m := syntaxRE().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &DecodeError{Line: line, Problem: "not valid YAML: " + plainYAML(m[2])}
	}
	if rest, ok := strings.CutPrefix(msg, "yaml: "); ok {
		if plain := plainYAML(rest); plain != rest { // a value of the wrong shape
			return &DecodeError{Problem: plain}
		}
		return &DecodeError{Problem: "not valid YAML: " + rest}
	}
	return err
}

// typeErrorLine reads one line of a yaml.TypeError.
func typeErrorLine(msg string, doc *yaml.Node, into any) *DecodeError {
	if m := typeErrorRE().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		m[2] = strings.TrimPrefix(m[2], "!!") // seq, map, str, int, ...; or a tag of the user's
		key, node := valueAt(doc, line, m[2], m[3])
		de := &DecodeError{Line: line, Key: key, Problem: "must be " + DescribeGoType(m[4], false)}
		switch {
		case node != nil:
			de.Value = shownNode(node)
		case m[3] != "":
			de.Value = m[3]
		}
		if m[2] == "seq" || m[2] == "map" {
			de.Problem += ", not " + map[string]string{"seq": "a list", "map": "a mapping"}[m[2]]
		}
		if key == "" && line <= 1+firstLine(doc) && m[2] != "map" {
			de.Value, de.Problem = "", "the document must be a mapping of keys to values (key: value), not "+kindWords(m[2])
		}
		return de
	}
	if m := unknownRE().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		known := YAMLKeys(into)
		problem := fmt.Sprintf("is unknown (known keys: %s)%s", strings.Join(known, ", "), registry.DidYouMean(m[2], known))
		return &DecodeError{Line: line, Key: m[2], Problem: problem}
	}
	if m := alreadySetRE().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &DecodeError{Line: line, Key: m[2], Problem: "is given twice"}
	}
	if m := duplicateRE().FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &DecodeError{Line: line, Key: m[2], Problem: "is given twice (first at line " + m[3] + ")"}
	}
	if line, _, ok := strings.Cut(strings.TrimPrefix(msg, "line "), ": cannot unmarshal"); ok {
		n, _ := strconv.Atoi(line)
		return &DecodeError{Line: n, Problem: "a value of the wrong kind"} // the decoder's words name Go types
	}
	return &DecodeError{Problem: plainYAML(msg)}
}

// plainYAML rewords the decoder's other messages that name Go values.
func plainYAML(msg string) string {
	msg = strings.TrimPrefix(msg, "yaml: ")
	if strings.HasPrefix(msg, "invalid map key") {
		return "a key must be a name, not a list or a mapping"
	}
	if m := invalidArrayRE().FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("a list of %s entries is wanted, not %s", m[1], m[2])
	}
	return msg
}

// firstLine is the line of the document's first node (0 for an empty document).
func firstLine(doc *yaml.Node) int {
	if len(doc.Content) == 0 {
		return 0
	}
	return doc.Content[0].Line
}

// kindWords names a YAML tag's kind of value.
func kindWords(tag string) string {
	switch tag {
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	case "str", "int", "float", "bool", "null", "binary", "timestamp":
		return "a single value"
	}
	return "a value tagged " + tag
}

// valueAt finds, in the document, the mapping entry whose value is on line with the given tag
// (seq, map, str...) and, if given, value (the decoder shortens values longer than 10 characters
// to their first 7 and "..."): its key, dotted from the top level, and its value node.
func valueAt(doc *yaml.Node, line int, tag, value string) (string, *yaml.Node) {
	prefix, short := strings.CutSuffix(value, "...")
	var walk func(n *yaml.Node, path string) (string, *yaml.Node)
	walk = func(n *yaml.Node, path string) (string, *yaml.Node) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				if k, v := walk(c, path); v != nil {
					return k, v
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				key, val := n.Content[i].Value, n.Content[i+1]
				if path != "" {
					key = path + "." + key
				}
				matches := val.Value == value || short && strings.HasPrefix(val.Value, prefix)
				if val.Line == line && strings.TrimPrefix(val.ShortTag(), "!!") == tag && (value == "" || matches) {
					return key, val
				}
				if k, v := walk(val, key); v != nil {
					return k, v
				}
			}
		}
		return "", nil
	}
	return walk(doc, "")
}

// shownNode writes a value node as the user wrote it, on one line: a list or mapping in flow style
// ([a, b]), shortened past 60 characters.
func shownNode(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && !strings.ContainsAny(n.Value, "\n\r") {
		return n.Value
	}
	s := flowText(n)
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "..."
	}
	return s
}

// flowText writes a node as YAML on one line: lists and mappings in flow style, text with line
// breaks quoted.
func flowText(n *yaml.Node) string {
	c := *n
	var flow func(n *yaml.Node)
	flow = func(n *yaml.Node) {
		switch {
		case n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode:
			n.Style = yaml.FlowStyle
		case n.Kind == yaml.ScalarNode && strings.ContainsAny(n.Value, "\n\r"):
			n.Style = yaml.DoubleQuotedStyle
		}
		for i, ch := range n.Content {
			cc := *ch
			n.Content[i] = &cc
			flow(&cc)
		}
	}
	c.Content = append([]*yaml.Node(nil), n.Content...)
	flow(&c)
	raw, err := yaml.Marshal(&c)
	if err != nil {
		return oneline.String(n.Value)
	}
	return oneline.String(strings.TrimSpace(string(raw)))
}

// ShowValue writes a value read from YAML (a number, text, a list, a mapping) as the user would
// write it, on one line: [1, 2] rather than Go's [1 2].
func ShowValue(v any) string {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return oneline.String(fmt.Sprint(v))
	}
	if s, ok := v.(string); ok && !utf8.ValidString(s) {
		return strconv.Quote(s) // YAML would write it as base64 under a !!binary tag
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && !strings.ContainsAny(n.Value, "\n\r") {
		return n.Value // as given, unquoted
	}
	return flowText(&n)
}

// DescribeGoType says in words what values a Go type (as the YAML decoder names it, such as int,
// []float64, [2]int, map[string]interface {}) takes: "a whole number", "a list of numbers". A
// struct takes "a mapping of keys to values".
func DescribeGoType(t string, plural bool) string {
	t = strings.TrimPrefix(t, "*")
	pick := func(one, many string) string {
		if plural {
			return many
		}
		return one
	}
	switch t {
	case "int", "int8", "int16", "int32", "int64":
		return pick("a whole number", "whole numbers")
	case "uint", "uint8", "uint16", "uint32", "uint64":
		return pick("a whole number ≥ 0", "whole numbers ≥ 0")
	case "float32", "float64":
		return pick("a number", "numbers")
	case "bool":
		return pick("true or false", "values true or false")
	case "string":
		return pick("text", "texts")
	case "interface {}":
		return pick("a value", "values")
	}
	if elem, ok := strings.CutPrefix(t, "[]"); ok {
		return pick("a list of ", "lists of ") + DescribeGoType(elem, true)
	}
	if m := fixedListRE().FindStringSubmatch(t); m != nil {
		return pick("a list of ", "lists of ") + m[1] + " " + DescribeGoType(m[2], true)
	}
	return pick("a mapping of keys to values", "mappings of keys to values")
}

// YAMLKeys lists the keys a struct (or a pointer to one) takes in YAML, those of its inline
// structs included, sorted; nil for anything else (a map takes any key).
func YAMLKeys(v any) []string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	keys := structKeys(t)
	sort.Strings(keys)
	return keys
}

func structKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch {
		case !f.IsExported() || name == "-":
		case strings.Contains(opts, "inline") && f.Type.Kind() == reflect.Struct:
			keys = append(keys, structKeys(f.Type)...)
		case strings.Contains(opts, "inline"): // an inline map: any other key
		case name != "":
			keys = append(keys, name)
		default:
			keys = append(keys, strings.ToLower(f.Name))
		}
	}
	return keys
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// ParseValue reads a value given on the command line (--param name=VALUE) as YAML: a number, true
// or false, text, or a list such as [1, 2]. Its error says what could not be read, without the
// decoder's line numbers.
func ParseValue(s string) (any, error) {
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = lineRE().ReplaceAllString(msg, "")
		return nil, fmt.Errorf("cannot be read as a number, true or false, text or a list [a, b] (%s)", oneline.String(msg))
	}
	return v, nil
}

// compiled returns pattern's expression, compiled on first use rather than at start-up, which
// every run of mfg would pay for, errors or not.
func compiled(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
