package main

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"meanfield/algorithms"
	"meanfield/games"
	"meanfield/internal/params"
)

// paramFlag is a flag that sets one entry of a parameter map (the game's or the algorithm's),
// only when given: what is not given keeps the default of the game or algorithm chosen.
type paramFlag struct {
	m    *map[string]any
	name string
	typ  string
	text string
}

func (p *paramFlag) String() string { return p.text }
func (p *paramFlag) Type() string   { return p.typ }

// Set reads the value as YAML (numbers, booleans, strings, lists such as [1, 2]); the game or the
// algorithm checks its type and range.
func (p *paramFlag) Set(s string) error {
	var v any = s
	if p.typ != "string" {
		var err error
		if v, err = params.ParseValue(s); err != nil {
			return err
		}
	}
	if p.typ == "ints" || p.typ == "floats" {
		if _, isList := v.([]any); !isList && s != "" { // a comma-separated list without brackets
			var err error
			if v, err = params.ParseValue("[" + s + "]"); err != nil {
				return err
			}
		}
	}
	if *p.m == nil {
		*p.m = map[string]any{}
	}
	(*p.m)[p.name] = v
	p.text = s
	return nil
}

// typeName is the flag's type as help shows it.
func typeName(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	switch t.Kind() {
	case reflect.Float64:
		return "float"
	case reflect.Int, reflect.Int64:
		return "int"
	case reflect.Bool:
		return "bool"
	case reflect.String:
		return "string"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Int {
			return "ints"
		}
		return "floats"
	}
	return "value"
}

// addParamFlag registers a flag for the parameter f of the named owners (games or algorithms).
func addParamFlag(fs *pflag.FlagSet, m *map[string]any, f params.Field, help string) {
	pf := &paramFlag{m: m, name: f.Name, typ: typeName(f.Type)}
	flag := fs.VarPF(pf, f.Name, "", help)
	if pf.typ == "bool" {
		flag.NoOptDefVal = "true"
	}
}

// addAlgorithmFlags registers one flag per parameter of the registered algorithms, named as the
// parameter; a name shared by several algorithms is one flag whose help describes each. A flag
// given for an algorithm that lacks the parameter is refused when the configuration is resolved.
func addAlgorithmFlags(fs *pflag.FlagSet, m *map[string]any) {
	for _, f := range algorithmFlags() {
		addParamFlag(fs, m, f.field, f.help)
	}
}

// algorithmFlag is the flag of one parameter name: its field and its help.
type algorithmFlag struct {
	field params.Field
	help  string
}

// algorithmFlags are the flags of addAlgorithmFlags, in order of name, found once (mfg solve and
// mfg nplayer both take them, and every run of mfg builds both commands).
var algorithmFlags = sync.OnceValue(func() []algorithmFlag {
	uses, fields := map[string][]paramUse{}, map[string]params.Field{}
	for _, name := range algorithms.Names() {
		e, _ := algorithms.Lookup(name)
		for _, f := range params.Fields(e.Defaults()) {
			uses[f.Name] = append(uses[f.Name], paramUse{name, f.Help, formatValue(f.Default)})
			if prev, ok := fields[f.Name]; ok && typeName(prev.Type) != typeName(f.Type) {
				f.Type = nil // two types under one name: the flag takes any YAML value
			}
			fields[f.Name] = f
		}
	}
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	flags := make([]algorithmFlag, len(names))
	for i, n := range names {
		flags[i] = algorithmFlag{fields[n], paramHelp(uses[n])}
	}
	return flags
})

// paramUse is one algorithm's parameter of a given name.
type paramUse struct{ algorithm, help, def string }

// paramHelp describes a parameter for every algorithm that has it, grouping those whose help is
// the same: "gmf-q, gmf-v, naive: inner solver: ... (default q-learning; gmf-v: value-iteration)".
func paramHelp(uses []paramUse) string {
	var order []string
	byHelp := map[string][]paramUse{}
	for _, u := range uses {
		if _, ok := byHelp[u.help]; !ok {
			order = append(order, u.help)
		}
		byHelp[u.help] = append(byHelp[u.help], u)
	}
	var parts []string
	for _, h := range order {
		group := byHelp[h]
		var algs []string
		defaults := map[string][]string{}
		for _, u := range group {
			algs = append(algs, u.algorithm)
			defaults[u.def] = append(defaults[u.def], u.algorithm)
		}
		parts = append(parts, fmt.Sprintf("%s: %s (default %s)", strings.Join(algs, ", "), h, defaultsText(defaults, group)))
	}
	return strings.Join(parts, "; ")
}

// defaultsText is one default, or each default with the algorithms that have it.
func defaultsText(defaults map[string][]string, group []paramUse) string {
	if len(defaults) == 1 {
		return group[0].def
	}
	var seen []string
	var parts []string
	for _, u := range group {
		if slices.Contains(seen, u.def) {
			continue
		}
		seen = append(seen, u.def)
		parts = append(parts, fmt.Sprintf("%s for %s", u.def, strings.Join(defaults[u.def], " and ")))
	}
	return strings.Join(parts, ", ")
}

// aliasGames are the games whose parameters are also flags of their own (--states 20 is
// --param states=20): the stationary games, whose parameters were flags before every game took
// --param. Documented as aliases in the README.
var aliasGames = []string{"auction", "congestion"}

// addGameAliasFlags registers the alias flags of aliasGames' parameters.
func addGameAliasFlags(fs *pflag.FlagSet, m *map[string]any) {
	for _, g := range aliasGames {
		e, ok := games.Lookup(g)
		if !ok {
			continue
		}
		for _, f := range params.Fields(e.Defaults()) {
			if fs.Lookup(f.Name) != nil {
				continue // shared by both games (discount), or an algorithm's parameter: that one wins
			}
			addParamFlag(fs, m, f, fmt.Sprintf("alias of --param %s=VALUE (%s's parameter; default %s)", f.Name, g, formatValue(f.Default)))
		}
	}
}

// formatValue writes a parameter's value as it can be given back: YAML flow style for lists
// ([4, 5, 6]), plain for numbers, booleans and strings.
func formatValue(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		parts := make([]string, rv.Len())
		for i := range parts {
			parts[i] = formatValue(rv.Index(i).Interface())
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}
