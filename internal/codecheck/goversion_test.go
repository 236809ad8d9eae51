package codecheck

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// go.mod's go line asks for no newer Go than the README's "Go (X.Y or later)" promises: the same
// X.Y, at its first release (X.Y or X.Y.0), since a go line of X.Y.8 makes the go command refuse,
// or download a newer toolchain, on Go X.Y.0 to X.Y.7.
func TestGoVersionAgreesWithReadme(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)(\.\d+)?\s*$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	version, patch := string(m[1]), string(m[2])
	if patch != "" && patch != ".0" {
		t.Errorf("go.mod says go %s%s: a patch release newer than the README's Go %s or later", version, patch, version)
	}
	promise := regexp.MustCompile(`Go \(?(\d+\.\d+) or later\)?`).FindSubmatch(readme)
	if promise == nil {
		t.Fatal(`README.md does not say which Go it needs ("Go (X.Y or later)")`)
	}
	if string(promise[1]) != version {
		t.Errorf("README.md says Go %s or later, go.mod says go %s%s", promise[1], version, patch)
	}
}
