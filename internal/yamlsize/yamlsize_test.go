package yamlsize

import "testing"

func TestWithin(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want bool
	}{
		{"a: 3\nb: [1, 2, -4]\n", true},
		{"a: {b: 65}\n", false},
		{"a: -64.5\n", false},
		{"a: [1, 2, 3, 4, 5]\n", false},
		{"a: [\n", true},
		{"a: text\n", true},
	} {
		if got := Within([]byte(c.doc), 64, 4); got != c.want {
			t.Errorf("%q: %v, want %v", c.doc, got, c.want)
		}
	}
}
