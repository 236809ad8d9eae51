package oneline

import "testing"

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"yaml: unmarshal errors:\n  line 2: field foo not found", "yaml: unmarshal errors:; line 2: field foo not found"},
		{"a\nb\nc", "a; b; c"},
		{"a\n\nb", "a; ; b"},
		{"  lots \t of\r\n  space  ", "lots of ; space"},
		{"trailing newline\n", "trailing newline;"},
		{"\nleading newline", "; leading newline"},
	} {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
