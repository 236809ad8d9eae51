// Package wrap breaks text into lines of a given width between words.
package wrap

import "unicode/utf8"

// Lines fills lines of at most width characters (runes) with the words, greedily: the first line
// starts with first, the others with rest (a hanging indent), and words are separated by one
// space. A word is never cut: one longer than a line stands alone on its line. Without words it
// is the one line first.
func Lines(first, rest string, words []string, width int) []string {
	var out []string
	cur, n, empty := first, utf8.RuneCountInString(first), true
	for _, w := range words {
		wn := utf8.RuneCountInString(w)
		switch {
		case empty:
			cur, n = cur+w, n+wn
		case n+1+wn <= width:
			cur, n = cur+" "+w, n+1+wn
		default:
			out = append(out, cur)
			cur, n = rest+w, utf8.RuneCountInString(rest)+wn
		}
		empty = false
	}
	return append(out, cur)
}
