package experiment

import (
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
