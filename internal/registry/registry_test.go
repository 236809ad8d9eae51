package registry

import (
	"slices"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := Registry[int]{What: "thing"}
	if _, ok := r.Lookup("a"); ok || len(r.Names()) != 0 {
		t.Fatal("an empty registry has entries")
	}
	r.Add("b", 2)
	r.Add("a", 1)
	if e, ok := r.Lookup("b"); !ok || e != 2 || !slices.Equal(r.Names(), []string{"a", "b"}) {
		t.Fatalf("Lookup(b) = %v, %v; Names = %v", e, ok, r.Names())
	}
	defer func() {
		if msg := recover(); msg != `thing "a" registered twice` {
			t.Errorf("duplicate: recovered %v", msg)
		}
	}()
	r.Add("a", 3)
}

// editsBFS is the fewest edits turning a into b over the alphabet, found by breadth-first search
// over strings of at most limit runes: insertions, deletions, substitutions, and (with swaps)
// swaps of adjacent runes. Without swaps it is the Levenshtein distance; with them, the
// Damerau-Levenshtein distance, which the optimal string alignment distance never goes below.
func editsBFS(a, b string, alphabet []rune, limit int, swaps bool) int {
	dist := map[string]int{a: 0}
	queue := []string{a}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if s == b {
			return dist[s]
		}
		r := []rune(s)
		var next []string
		for i := 0; i <= len(r); i++ {
			for _, c := range alphabet {
				if len(r) < limit {
					next = append(next, string(r[:i])+string(c)+string(r[i:]))
				}
				if i < len(r) {
					next = append(next, string(r[:i])+string(c)+string(r[i+1:]))
				}
			}
			if i < len(r) {
				next = append(next, string(r[:i])+string(r[i+1:]))
			}
			if swaps && i+1 < len(r) {
				next = append(next, string(r[:i])+string(r[i+1])+string(r[i])+string(r[i+2:]))
			}
		}
		for _, n := range next {
			if _, seen := dist[n]; !seen {
				dist[n] = dist[s] + 1
				queue = append(queue, n)
			}
		}
	}
	return -1
}

// The distance lies between the Damerau-Levenshtein and the Levenshtein distances found by brute
// force, equals both when no swap helps and the former on strings of at most 2 letters (where the
// two measures agree), on every pair of strings of up to 3 letters over
// {a, b, c}.
func TestDistanceAgainstBruteForce(t *testing.T) {
	alphabet := []rune("abc")
	words := []string{""}
	for n, level := 0, []string{""}; n < 3; n++ {
		var grown []string
		for _, w := range level {
			for _, c := range alphabet {
				grown = append(grown, w+string(c))
			}
		}
		words, level = append(words, grown...), grown
	}
	for _, a := range words {
		for _, b := range words {
			d := distance([]rune(a), []rune(b))
			dl, lev := editsBFS(a, b, alphabet, 4, true), editsBFS(a, b, alphabet, 4, false)
			short := len(a) <= 2 && len(b) <= 2 // too short to edit between swapped letters
			if d < dl || d > lev || (dl == lev && d != lev) || (short && d != dl) {
				t.Errorf("distance(%q, %q) = %d; Damerau-Levenshtein %d, Levenshtein %d", a, b, d, dl, lev)
			}
		}
	}
}

func TestClosest(t *testing.T) {
	known := []string{"auction", "beach-bar", "congestion", "gmf-q", "gmf-v"}
	for _, c := range []struct{ name, want string }{
		{"beach-bra", "beach-bar"}, // a swap
		{"beachbar", "beach-bar"},  // a deletion
		{"auctions", "auction"},    // an insertion
		{"gmfq", "gmf-q"},          // the first of two at the same distance
		{"gmf-x", "gmf-q"},
		{"xyz", ""},                 // nothing near
		{"auction", ""},             // known: no hint
		{"kongestin", "congestion"}, // 2 edits, at most 9/3 = 3 allowed
		{"gm", ""},                  // 3 edits, at most 1 allowed for 2 letters
	} {
		if got := Closest(c.name, known); got != c.want {
			t.Errorf("Closest(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	if got := DidYouMean("beach-bra", known); got != "; did you mean beach-bar?" {
		t.Errorf("DidYouMean = %q", got)
	}
}
