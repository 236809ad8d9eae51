package experiment

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// solveMarker is the file that marks a folder as written by mfg solve: a later solve may replace
// its files, but not those of a folder without it.
const solveMarker = ".mfg-solve"

// solveOutputs are the names of the files a solve writes, now or in earlier versions.
var solveOutputs = []string{"config.yaml", "resolved.yaml", "trace.csv", "trace.json", "result.json", ManifestName,
	"convergence.png", "convergence.svg", "exploitability.png", "exploitability.svg",
	"population.png", "population.svg"}

// PrepareOutDir checks, before any work, that dir can receive a solve's results: it is a folder
// (created if missing), writable, and holds no file that a solve does not write unless it was
// written by an earlier solve (force allows any folder); subfolders, other commands' results, do
// not count. It removes the temporary files that killed runs left there (.NAME.tmp-*), and
// marks the folder as a solve's.
func PrepareOutDir(dir string, force bool) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("out = %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("out = %s: %w", dir, err)
	}
	ours, foreign := false, ""
	for _, e := range entries {
		switch name := e.Name(); {
		case name == solveMarker:
			ours = true
		case strings.HasPrefix(name, ".") && strings.Contains(name, ".tmp-"):
			os.Remove(filepath.Join(dir, name)) // a killed run's partial file
		case e.IsDir() || slices.Contains(solveOutputs, name):
			// Folders are other commands' (out/sweep-NAME, out/reproduce): a solve writes none.
			// Files a solve writes, of an earlier version's solve, are replaced as ours.
		case foreign == "":
			foreign = name
		}
	}
	if foreign != "" && !ours && !force {
		return fmt.Errorf("out = %s: the folder holds files that mfg solve did not write (%s, ...): choose another folder, or --force to write into it", dir, foreign)
	}
	f, err := os.Create(filepath.Join(dir, solveMarker))
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("out = %s: not writable", dir)
		}
		return fmt.Errorf("out = %s: %w", dir, err)
	}
	return f.Close()
}

// CheckOutDir checks, before any work, that dir is a folder (created if missing) where files can be
// written: a file in its place, or a folder that cannot be written, is an error naming it.
func CheckOutDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("out = %s: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".mfg-check.tmp-*")
	if err != nil {
		return fmt.Errorf("out = %s: not writable (%v)", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// Fingerprint identifies a resolved configuration: the SHA-256 of its YAML as resolved.yaml
// holds it, without the keys that change nothing (a seed no random number uses, say). Two solves
// with the same fingerprint compute the same results.
func (c SolveConfig) Fingerprint() (string, error) {
	_, _, _, kind, err := c.gameSize() // the game of default parameters: the same kind, cheaply
	if err != nil {
		return "", err
	}
	v, err := c.applicableYAML(kind)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := encodeYAML(&b, v); err != nil {
		return "", err
	}
	sum := sha256.Sum256(b.Bytes())
	return hex.EncodeToString(sum[:]), nil
}

// previousRun is what a folder's manifest.json says of the solve that wrote it.
type previousRun struct {
	Game          string `json:"game"`
	Algorithm     string `json:"algorithm"`
	Iterations    int    `json:"iterations"`
	Configuration string `json:"configuration_sha256"`
}

// CheckOtherRun refuses, unless force, to write the results of the resolved configuration c into
// a folder that holds another solve's complete results (its manifest.json names another
// configuration): a folder holds one run's results, and replacing another's is asked for, not
// done by surprise. The same configuration again replaces its own results; a folder without a
// manifest holds no complete results and is reused.
func CheckOtherRun(dir string, c SolveConfig, force bool) error {
	b, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil || force {
		return nil
	}
	var prev previousRun
	if json.Unmarshal(b, &prev) != nil {
		return nil
	}
	fp, err := c.Fingerprint()
	if err != nil || prev.Configuration == fp {
		return err
	}
	what := "another solve"
	if prev.Game != "" {
		what = fmt.Sprintf("another solve (%s on %s, %d iterations)", prev.Algorithm, prev.Game, prev.Iterations)
	}
	return fmt.Errorf("out = %s: the folder holds the results of %s: choose another folder with --out, or --force to replace them", dir, what)
}
