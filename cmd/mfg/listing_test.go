package main

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"pgregory.net/rapid"

	"meanfield/algorithms"
	"meanfield/games"
)

// listingOutputs runs every form of mfg games and mfg algorithms and returns each one's output by
// its arguments.
func listingOutputs(t *testing.T) map[string]string {
	t.Helper()
	runs := [][]string{{"games"}, {"algorithms"}, append([]string{"games"}, games.Names()...)}
	for _, g := range games.Names() {
		runs = append(runs, []string{"games", g})
	}
	for _, a := range algorithms.Names() {
		runs = append(runs, []string{"algorithms", a})
	}
	out := map[string]string{}
	for _, args := range runs {
		code, stdout, stderr := runMFG(t, args...)
		if code != 0 || stderr != "" {
			t.Fatalf("mfg %v: exit %d, stderr %q", args, code, stderr)
		}
		out[strings.Join(args, " ")] = stdout
	}
	return out
}

// Every line of every listing fits 100 columns (counted in characters, not bytes).
func TestListingsFit100Columns(t *testing.T) {
	for args, out := range listingOutputs(t) {
		for i, line := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(line); n > 100 {
				t.Errorf("mfg %s, line %d: %d characters: %q", args, i+1, n, line)
			}
		}
	}
}

// mfg games NAME shows every parameter of the game with its default: the value printed after
// "default", read back as YAML the way --param reads it, equals the parameter's default as the
// registry's parameter map holds it. Each parameter also has its allowed values.
func TestGamesNameShowsEveryParameterWithItsDefault(t *testing.T) {
	for _, g := range games.Names() {
		_, out, _ := runMFG(t, "games", g)
		joined := joinWrapped(out)
		e, _ := games.Lookup(g)
		defaults, err := games.ParamMap(e.Defaults())
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range games.ParamNames(e.Defaults()) {
			head := "\n    " + name + " (default "
			_, after, ok := strings.Cut(joined, head)
			if !ok {
				t.Errorf("mfg games %s: no line %q", g, strings.TrimSpace(head))
				continue
			}
			entry, _, _ := strings.Cut(after, "\n") // the parameter's lines, joined
			text, rest, _ := strings.Cut(entry, "):")
			var shown any
			if err := yaml.Unmarshal([]byte(text), &shown); err != nil {
				t.Errorf("mfg games %s: default of %s %q is not YAML: %v", g, name, text, err)
			}
			if !sameValue(shown, defaults[name]) {
				t.Errorf("mfg games %s: %s shown with default %q, registry default %v", g, name, text, defaults[name])
			}
			if !strings.Contains(rest, " allowed: ") {
				t.Errorf("mfg games %s: %s has no allowed values", g, name)
			}
		}
	}
}

// sameValue compares a value read back from the listing with the registry's (an empty list is
// printed [] and held as an empty or nil list).
func sameValue(a, b any) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	la, oka := a.([]any)
	lb, okb := b.([]any)
	return oka && okb && len(la) == 0 && len(lb) == 0 || oka && len(la) == 0 && b == nil
}

// joinWrapped undoes the hanging indent: a line indented deeper than the one before (by the
// listing's 4-column continuation) is joined to it, so that every entry is on one line.
func joinWrapped(out string) string {
	var b strings.Builder
	prev := 0
	for i, line := range strings.Split(out, "\n") {
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if i > 0 && indent >= prev+4 && line != "" {
			b.WriteString(" " + strings.TrimSpace(line))
			continue
		}
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(line)
		prev = indent
	}
	return b.String()
}

// The list of games names every game and every parameter of each with its default.
func TestGamesListsEveryGameAndDefault(t *testing.T) {
	_, out, _ := runMFG(t, "games")
	joined := joinWrapped(out)
	for _, g := range games.Names() {
		e, _ := games.Lookup(g)
		_, entry, ok := strings.Cut(joined, "\n"+g+": ")
		if !ok && !strings.HasPrefix(joined, g+": ") {
			t.Errorf("mfg games does not list %s", g)
			continue
		}
		if !ok {
			entry = strings.TrimPrefix(joined, g+": ")
		}
		_, defaults, _ := strings.Cut(entry, "\n  defaults: ")
		defaults, _, _ = strings.Cut(defaults, "\n")
		var shown map[string]any
		if err := yaml.Unmarshal([]byte("{"+strings.ReplaceAll(defaults, "=", ": ")+"}"), &shown); err != nil {
			t.Errorf("mfg games, %s: defaults %q do not read back: %v", g, defaults, err)
			continue
		}
		want, _ := games.ParamMap(e.Defaults())
		for name, v := range want {
			if s, ok := shown[name]; !ok || !sameValue(s, v) {
				t.Errorf("mfg games, %s: %s shown as %v, default %v", g, name, s, v)
			}
		}
	}
}

// An unknown name is refused with exit status 2, in one line listing the known names and the
// nearest one; a known name given with it changes nothing.
func TestListingUnknownName(t *testing.T) {
	assertRefused(t, []string{"games", "beach-bra"}, `game = "beach-bra"`, "unknown game", strings.Join(games.Names(), ", "), "did you mean beach-bar?")
	assertRefused(t, []string{"games", "auction", "nothing-like-it"}, `game = "nothing-like-it"`, strings.Join(games.Names(), ", "))
	assertRefused(t, []string{"algorithms", "gmfq"}, `algorithm = "gmfq"`, strings.Join(algorithms.Names(), ", "), "did you mean gmf-q?")
	_, out, _ := runMFG(t, "games", "auction", "nothing-like-it")
	if out != "" {
		t.Errorf("a refused mfg games wrote %q", out)
	}
}

// mfg games A B describes A, then B.
func TestGamesSeveralNames(t *testing.T) {
	_, out, _ := runMFG(t, "games", "left-right", "auction")
	l, a := strings.Index(out, "left-right: "), strings.Index(out, "\nauction: ")
	if l != 0 || a < 0 || strings.Count(out, "  parameters (") != 2 {
		t.Errorf("mfg games left-right auction:\n%s", out)
	}
}

// wrap keeps every word whole and in order, and a line is over the width only when it holds one
// word.
func TestWrapKeepsWords(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		words := rapid.SliceOf(rapid.StringMatching(`[a-zé=,\[\]]{1,30}`)).Draw(t, "words")
		first := rapid.SampledFrom([]string{"", "  kind: ", "name: "}).Draw(t, "first")
		var buf bytes.Buffer
		lw := &listWriter{w: &buf}
		lw.wrap(first, "    ", words)
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		var got []string
		for i, line := range lines {
			body := strings.TrimPrefix(line, "    ")
			if i == 0 {
				body = strings.TrimPrefix(line, first)
			}
			fields := strings.Fields(body)
			if utf8.RuneCountInString(line) > listWidth && len(fields) > 1 {
				t.Fatalf("line %d over %d characters with %d words: %q", i, listWidth, len(fields), line)
			}
			got = append(got, fields...)
		}
		if !reflect.DeepEqual(got, words) && !(len(got) == 0 && len(words) == 0) {
			t.Fatalf("words %q wrapped to %q", words, lines)
		}
	})
}
