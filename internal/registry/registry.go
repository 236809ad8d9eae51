// Package registry is the name → entry table behind the registries of games and of algorithms.
package registry

import (
	"fmt"
	"sort"
)

// Registry maps names to entries. Entries are added from init functions, before any lookup, so
// it needs no lock.
type Registry[E any] struct {
	// What names the kind of entry in errors, e.g. "game".
	What    string
	entries map[string]E
}

// Add registers e under name; a name registered twice is a programming error and panics.
func (r *Registry[E]) Add(name string, e E) {
	if r.entries == nil {
		r.entries = map[string]E{}
	}
	if _, dup := r.entries[name]; dup {
		panic(fmt.Sprintf("%s %q registered twice", r.What, name))
	}
	r.entries[name] = e
}

// Lookup returns the entry of name.
func (r *Registry[E]) Lookup(name string) (E, bool) {
	e, ok := r.entries[name]
	return e, ok
}

// Names lists the names in alphabetical order.
func (r *Registry[E]) Names() []string {
	names := make([]string, 0, len(r.entries))
	for n := range r.entries {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Closest returns the known name nearest to name, for a "did you mean" hint: the one at the
// smallest edit distance (insertions, deletions, substitutions, and swaps of adjacent letters,
// each counting 1), first in known's order on ties, when that distance is at most a third of
// name's length (at least 1) and name is not itself known; else "".
func Closest(name string, known []string) string {
	best, bestD := "", max(1, len([]rune(name))/3)+1
	for _, k := range known {
		if k == name {
			return ""
		}
		if d := distance([]rune(name), []rune(k)); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b: the fewest insertions,
// deletions, substitutions and swaps of adjacent runes turning a into b, no rune edited twice.
func distance(a, b []rune) int {
	// d[i][j] is the distance between a[:i] and b[:j].
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// DidYouMean is Closest as a hint to append to a message: "; did you mean beach-bar?", or "".
func DidYouMean(name string, known []string) string {
	if c := Closest(name, known); c != "" {
		return fmt.Sprintf("; did you mean %s?", c)
	}
	return ""
}
