package main

import (
	"encoding/csv"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Adding a game or an algorithm is one new file, with no other file edited: the README's
// Extending section shows games/testdata/extending/my_left_right.go (left-right with the right
// side's cost as a parameter) and algorithms/testdata/extending/best_response.go (the undamped
// best-response iteration). This test copies the module, drops the two files in, builds mfg and
// checks that the game and the algorithm are listed, that the game solves with every algorithm
// that applies to it, that it is left-right at its default cost (same exploitabilities), and that
// best-response is damped-fixed-point at damping 1.
func TestExtendingIsOneFile(t *testing.T) {
	if testing.Short() {
		t.Skip("copies the module and builds mfg")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	root := filepath.Join("..", "..")
	game := readFile(t, filepath.Join(root, "games", "testdata", "extending", "my_left_right.go"))
	alg := readFile(t, filepath.Join(root, "algorithms", "testdata", "extending", "best_response.go"))
	readme := readFile(t, filepath.Join(root, "README.md"))
	for name, src := range map[string]string{"my_left_right.go": game, "best_response.go": alg} {
		if !strings.Contains(readme, strings.TrimSpace(src)) {
			t.Errorf("the README's Extending section does not show %s as it is", name)
		}
	}
	mod := t.TempDir()
	copyModule(t, root, mod)
	writeTestFile(t, filepath.Join(mod, "games", "my_left_right.go"), game)
	writeTestFile(t, filepath.Join(mod, "algorithms", "best_response.go"), alg)
	bin := filepath.Join(t.TempDir(), "mfg")
	build := exec.Command("go", "build", "-o", bin, "./cmd/mfg")
	build.Dir = mod
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	mfgRun := func(args ...string) string {
		out, err := exec.Command(bin, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("mfg %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	if g := mfgRun("games"); !strings.Contains(g, "\nmy-left-right: ") || !strings.Contains(mfgRun("games", "my-left-right"), "kind: finite horizon") {
		t.Error("mfg games does not list my-left-right")
	}
	listing := mfgRun("algorithms")
	if !strings.Contains(listing, "best-response: the greedy best response") {
		t.Error("mfg algorithms does not list best-response")
	}
	solved := 0
	for _, line := range strings.Split(listing, "\n") {
		name, rest, ok := strings.Cut(line, ": ")
		if !ok || strings.HasPrefix(line, " ") || !strings.Contains(listing, name+":") {
			continue
		}
		_ = rest
		if games := gamesOf(listing, name); strings.Contains(games, "my-left-right") {
			mfgRun("solve", "--game", "my-left-right", "--algorithm", name, "--iterations", "3", "--out", t.TempDir(), "--no-progress")
			solved++
		}
	}
	if solved < 5 {
		t.Errorf("my-left-right solved with %d algorithms, want every policy method and best-response", solved)
	}
	same := func(a, b []string) {
		t.Helper()
		x, y := exploitabilities(t, bin, a), exploitabilities(t, bin, b)
		if len(x) != len(y) {
			t.Fatalf("%v: %d iterations, %v: %d", a, len(x), b, len(y))
		}
		for k := range x {
			if d := x[k] - y[k]; d > 1e-12 || d < -1e-12 {
				t.Errorf("iteration %d: %v gives %v, %v gives %v", k, a, x[k], b, y[k])
			}
		}
	}
	same([]string{"--game", "my-left-right", "--algorithm", "online-mirror-descent"}, []string{"--game", "left-right", "--algorithm", "online-mirror-descent"})
	same([]string{"--game", "beach-bar", "--algorithm", "best-response"}, []string{"--game", "beach-bar", "--algorithm", "damped-fixed-point", "--damping", "1"})
}

// gamesOf returns the "games:" entry of an algorithm in mfg algorithms' listing, its wrapped lines
// joined.
func gamesOf(listing, name string) string {
	_, after, ok := strings.Cut(listing, "\n"+name+": ")
	if !ok {
		_, after, ok = strings.Cut(listing, name+": ")
	}
	if !ok {
		return ""
	}
	_, games, _ := strings.Cut(after, "  games: ")
	lines := strings.Split(games, "\n")
	entry := lines[0]
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "    ") { // continuation lines have the hanging indent
			break
		}
		entry += " " + strings.TrimSpace(l)
	}
	return entry
}

// exploitabilities solves with the arguments for 8 iterations and returns trace.csv's column.
func exploitabilities(t *testing.T, bin string, args []string) []float64 {
	t.Helper()
	out := t.TempDir()
	cmd := exec.Command(bin, append([]string{"solve", "--iterations", "8", "--out", out, "--no-progress"}, args...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mfg solve %v: %v\n%s", args, err, b)
	}
	f, err := os.Open(filepath.Join(out, "trace.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var ex []float64
	for _, row := range rows[1:] {
		x, err := strconv.ParseFloat(row[1], 64)
		if err != nil {
			t.Fatal(err)
		}
		ex = append(ex, x)
	}
	return ex
}

// copyModule copies the module's files (not .git or results) from src into dst.
func copyModule(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "out") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
