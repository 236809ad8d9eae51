package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"meanfield/internal/registry"
)

var (
	// pflag's messages: `invalid argument "abc" for "--iterations" flag: strconv.ParseInt: ...`
	// (the flag may be "-s, --seed") and "unknown flag: --iteration".
	invalidArgRE  = compiled(`(?s)^invalid argument "(.*)" for "(?:-\w, )?--([^"]+)" flag: (.*)$`)
	unknownFlagRE = compiled(`^unknown flag: --(.+)$`)
)

// flagWants says in words what a flag of a pflag type takes.
var flagWants = map[string]string{
	"int": "a whole number", "int64": "a whole number", "int32": "a whole number",
	"uint": "a whole number ≥ 0", "uint64": "a whole number ≥ 0", "uint32": "a whole number ≥ 0",
	"float64": "a number", "float32": "a number", "bool": "true or false", "duration": "a duration such as 90s or 5m",
	"ints": "whole numbers separated by commas", "floats": "numbers separated by commas",
	"intSlice": "whole numbers separated by commas", "int64Slice": "whole numbers separated by commas",
	"uintSlice": "whole numbers ≥ 0 separated by commas", "float64Slice": "numbers separated by commas",
	"boolSlice": "values true or false separated by commas",
}

// plainFlagError is the commands' FlagErrorFunc: it says a flag's bad value in the user's words,
// "--iterations = "abc": must be a whole number", instead of the parser's (strconv.ParseInt:
// parsing "abc": invalid syntax), and adds the nearest flag to an unknown one. Either is bad
// input: exit status 2.
func plainFlagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if m := invalidArgRE().FindStringSubmatch(msg); m != nil {
		value, name, cause := m[1], m[2], m[3]
		problem := cause
		if f := cmd.Flags().Lookup(name); f != nil && strings.Contains(cause, "strconv.") {
			want := flagWants[f.Value.Type()]
			if want == "" {
				want = "a value of the kind the flag's help describes"
			}
			problem = "must be " + want
			if strings.Contains(cause, "value out of range") {
				problem = "out of range for " + want
			}
		}
		return usage(fmt.Errorf("--%s = %q: %s", name, value, problem))
	}
	if m := unknownFlagRE().FindStringSubmatch(msg); m != nil {
		var names []string
		cmd.Flags().VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
		if hint := registry.Closest(m[1], names); hint != "" {
			return usage(fmt.Errorf("%s; did you mean --%s?", msg, hint))
		}
	}
	return usage(errors.New(msg))
}

// compiled returns pattern's expression, compiled on first use rather than at start-up, which
// every run of mfg would pay for, errors or not.
func compiled(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
