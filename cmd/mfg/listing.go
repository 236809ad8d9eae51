package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/internal/params"
	"meanfield/internal/registry"
	"meanfield/internal/wrap"
	"meanfield/mfg"
	"meanfield/mfglib32"
)

// listWidth is the most characters on a line of mfg games and mfg algorithms: a terminal of 100
// columns shows them unbroken.
const listWidth = 100

// listWriter writes wrapped text to w, keeping the first error.
type listWriter struct {
	w   io.Writer
	err error
}

// line writes one line as it is.
func (lw *listWriter) line(s string) {
	if lw.err == nil {
		_, lw.err = fmt.Fprintln(lw.w, s)
	}
}

// wrap writes the words as lines of at most listWidth characters: the first line starts with
// first, the others with rest (a hanging indent). A word is never cut: one longer than a line
// stands alone on its line.
func (lw *listWriter) wrap(first, rest string, words []string) {
	for _, l := range wrap.Lines(first, rest, words, listWidth) {
		lw.line(l)
	}
}

// text is wrap of the words of s.
func (lw *listWriter) text(first, rest, s string) { lw.wrap(first, rest, strings.Fields(s)) }

// defaultsWords are a parameter struct's parameters as name=value units, each kept whole on a line
// (a list's spaces do not break it) and followed by a comma but the last.
func defaultsWords(p any) []string {
	var words []string
	for _, f := range params.Fields(p) {
		words = append(words, f.Name+"="+formatValue(f.Default))
	}
	return commaUnits(words)
}

// commaUnits joins items with commas as units that wrap keeps whole: "a (the default)," stays on one
// line.
func commaUnits(items []string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it
		if i < len(items)-1 {
			out[i] += ","
		}
	}
	return out
}

// unknownNames returns an error naming the first of names that is not in known, listing known and
// the nearest known name.
func unknownNames(what string, names, known []string) error {
	for _, n := range names {
		if !slices.Contains(known, n) {
			return usage(fmt.Errorf("%s = %q: unknown %s (known: %s)%s", what, n, what, strings.Join(known, ", "), registry.DidYouMean(n, known)))
		}
	}
	return nil
}

func newGamesCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "games [NAME...]",
		Short: "List the games (kind, description, defaults, reference); with names, each game's parameters in full",
		Long: "Without arguments, list every game: its kind, description, parameters with their defaults and\n" +
			"reference. With names, describe those games: also their size at the defaults, the algorithms\n" +
			"that apply, and each parameter's meaning, default and allowed values.",
		RunE: func(_ *cobra.Command, names []string) error {
			if err := unknownNames("game", names, games.Names()); err != nil {
				return err
			}
			lw := &listWriter{w: stdout}
			if len(names) > 0 {
				for i, n := range names {
					if i > 0 {
						lw.line("")
					}
					if err := writeGameDetail(lw, n); err != nil {
						return err
					}
				}
				return lw.err
			}
			for _, n := range games.Names() {
				if err := writeGameEntry(lw, n); err != nil {
					return err
				}
			}
			lw.line("")
			lw.text("", "", fmt.Sprintf("mfg games NAME describes a game's parameters: meaning, default and allowed values. MFGLib 0.3.0's games (%s) also run in its float32 arithmetic (mfg solve --arithmetic mfglib-float32), giving its results bit for bit.", mfglib32.Games()))
			return lw.err
		},
	}
}

// writeGameEntry writes a game's entry in the list of games.
func writeGameEntry(lw *listWriter, name string) error {
	e, _ := games.Lookup(name)
	g, err := games.New(name, nil)
	if err != nil {
		return err
	}
	lw.text(name+": ", "    ", e.Description)
	lw.text("  kind: ", "      ", gameKind(g))
	lw.wrap("  defaults: ", "      ", defaultsWords(e.Defaults()))
	lw.text("  reference: ", "      ", e.Reference)
	return nil
}

// writeGameDetail writes everything about one game: kind, size and algorithms at the defaults, and
// every parameter with its meaning, default and allowed values.
func writeGameDetail(lw *listWriter, name string) error {
	e, _ := games.Lookup(name)
	g, err := games.New(name, nil)
	if err != nil {
		return err
	}
	def, err := algorithms.DefaultFor(g)
	if err != nil {
		return err
	}
	lw.text(name+": ", "    ", e.Description)
	lw.text("  kind: ", "      ", gameKind(g))
	lw.text("  size at the defaults: ", "      ", sizeText(g))
	var algs []string
	for _, a := range algorithms.Applicable(g) {
		if a == def {
			a += " (the default)"
		}
		algs = append(algs, a)
	}
	lw.wrap("  algorithms: ", "      ", commaUnits(algs))
	lw.text("  reference: ", "      ", e.Reference)
	lw.text("  parameters ", "      ", "(set with --param NAME=VALUE, or under params: in a configuration file):")
	for _, f := range params.Fields(e.Defaults()) {
		writeParamDetail(lw, f)
	}
	return nil
}

// writeParamDetail writes a parameter: name and default, meaning, allowed values.
func writeParamDetail(lw *listWriter, f params.Field) {
	meaning := f.Help
	if meaning == "" {
		meaning = "(no description)"
	}
	head := []string{f.Name + " (default " + formatValue(f.Default) + "):"}
	if utf8.RuneCountInString(head[0]) > listWidth-8 { // a long default breaks at its spaces
		head = strings.Fields(head[0])
	}
	lw.wrap("    ", "        ", append(head, strings.Fields(meaning)...))
	if f.Range != "" {
		lw.text("        allowed: ", "          ", f.Range)
	}
}

// sizeText says how large a game is: states, actions and, for a finite-horizon game, time steps.
func sizeText(g mfg.Game) string {
	text := fmt.Sprintf("%d states, %d actions", g.States(), g.Actions())
	if f, ok := g.(mfg.Finite); ok {
		text += ", " + mfg.TimeSteps(f.Horizon())
	}
	return text
}

// gameKind says which kind a game is and what access it offers.
func gameKind(g mfg.Game) string {
	if f, ok := g.(mfg.Finite); ok {
		return "finite horizon, " + mfg.TimeSteps(f.Horizon()) + " by default"
	}
	var access []string
	if _, ok := g.(mfg.ModelBased); ok {
		access = append(access, "its model")
	}
	if _, ok := g.(mfg.ModelFree); ok {
		access = append(access, "a simulator")
	}
	return "stationary, discounted; offers " + strings.Join(access, " and ")
}

func newAlgorithmsCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "algorithms [NAME...]",
		Short: "List the algorithms (description, defaults, reference, games); with names, each one's parameters in full",
		Long: "Without arguments, list every algorithm: its description, reference, default number of\n" +
			"iterations, the games it applies to and its parameters with their defaults. With names,\n" +
			"describe those algorithms: also each parameter's meaning.",
		RunE: func(_ *cobra.Command, names []string) error {
			if err := unknownNames("algorithm", names, algorithms.Names()); err != nil {
				return err
			}
			lw := &listWriter{w: stdout}
			all := len(names) == 0
			if all {
				names = algorithms.Names()
			}
			for i, n := range names {
				if i > 0 && !all {
					lw.line("")
				}
				if err := writeAlgorithm(lw, n, !all); err != nil {
					return err
				}
			}
			if all {
				lw.line("")
				lw.text("", "", fmt.Sprintf("mfg algorithms NAME describes an algorithm's parameters. On MFGLib's games (%s), %s also run in MFGLib's float32 arithmetic (--arithmetic mfglib-float32), giving MFGLib 0.3.0's results bit for bit.", mfglib32.Games(), mfglib32.Algorithms()))
			}
			return lw.err
		},
	}
}

// writeAlgorithm writes an algorithm's entry: in full (each parameter's meaning), or as in the
// list (the parameters' defaults).
func writeAlgorithm(lw *listWriter, name string, full bool) error {
	e, _ := algorithms.Lookup(name)
	alg, err := algorithms.New(name)
	if err != nil {
		return err
	}
	lw.text(name+": ", "    ", e.Description)
	lw.text("  reference: ", "      ", e.Reference)
	lw.text("  default iterations: ", "      ", fmt.Sprint(e.Iterations))
	lw.text("  games: ", "      ", strings.Join(applicableGames(alg), ", "))
	if !full {
		lw.wrap("  defaults: ", "      ", defaultsWords(e.Defaults()))
		return nil
	}
	lw.text("  parameters ", "      ", "(set with --NAME VALUE, or as top-level keys of a configuration file):")
	for _, f := range params.Fields(e.Defaults()) {
		writeParamDetail(lw, f)
	}
	return nil
}

// applicableGames lists the games (at their defaults) the algorithm applies to.
func applicableGames(alg engine.Algorithm) []string {
	var ok []string
	for _, n := range games.Names() {
		if g, err := games.New(n, nil); err == nil && alg.Applies(g) == nil {
			ok = append(ok, n)
		}
	}
	return ok
}
