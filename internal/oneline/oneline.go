// Package oneline puts multi-line messages, such as YAML decoding errors, on one line.
package oneline

import "strings"

// String returns s on one line: every newline becomes "; ", then every run of white space
// (spaces, tabs, newlines...) becomes one space, and leading and trailing white space is dropped.
func String(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}
