package wrap

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLines(t *testing.T) {
	words := strings.Fields("the quick brown fox jumps over the lazy dog")
	got := Lines("> ", "  ", words, 12)
	want := []string{"> the quick", "  brown fox", "  jumps over", "  the lazy", "  dog"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Every line fits unless it holds a single over-long word, and the words come back in order.
	words = strings.Fields("α βγ supercalifragilisticexpialidocious δ εζη θ")
	got = Lines("# ", "# ", words, 10)
	var back []string
	for _, l := range got {
		f := strings.Fields(strings.TrimPrefix(l, "#"))
		if utf8.RuneCountInString(l) > 10 && len(f) != 1 {
			t.Errorf("line %q is longer than 10 and holds more than one word", l)
		}
		back = append(back, f...)
	}
	if !slices.Equal(back, words) {
		t.Errorf("words %q, want %q", back, words)
	}
	if got := Lines("# ", "# ", nil, 10); !slices.Equal(got, []string{"# "}) {
		t.Errorf("no words: %q", got)
	}
}
