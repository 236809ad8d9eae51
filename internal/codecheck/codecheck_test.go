package codecheck

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// root is the module's root, two levels up from this package.
var root = filepath.Join("..", "..")

// goFiles returns the module's Go files (tests included or not), skipping testdata and hidden
// folders.
func goFiles(t *testing.T, tests bool) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") || d.Name() == "out") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && (tests || !strings.HasSuffix(path, "_test.go")) {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// No function outside tests is longer than 80 lines, from its func line to its closing brace;
// function literals count on their own.
func TestNoLongFunctions(t *testing.T) {
	fset := token.NewFileSet()
	for _, path := range goFiles(t, false) {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			var body *ast.BlockStmt
			name := "a function literal"
			switch x := n.(type) {
			case *ast.FuncDecl:
				body, name = x.Body, x.Name.Name
			case *ast.FuncLit:
				body = x.Body
			}
			if body != nil {
				start, end := fset.Position(n.Pos()), fset.Position(body.Rbrace)
				if lines := end.Line - start.Line + 1; lines > 80 {
					t.Errorf("%s:%d: %s is %d lines long (at most 80)", path, start.Line, name, lines)
				}
			}
			return true
		})
	}
}

// Each of the policy methods is implemented once outside the frozen MFGLib conformance backend
// (mfglib32): one type of each name, in package algorithms.
func TestEveryAlgorithmOnce(t *testing.T) {
	for _, name := range []string{"FictitiousPlay", "OnlineMirrorDescent", "PriorDescent", "DampedFixedPoint", "FixedPoint", "MFOMO", "OccupationMeasureInclusion", "MFPSO", "Swarm"} {
		decl := regexp.MustCompile(`(?m)^type ` + name + ` struct`)
		var where []string
		for _, path := range goFiles(t, false) {
			if strings.Contains(filepath.ToSlash(path), "/mfglib32/") {
				continue
			}
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if decl.Match(src) {
				where = append(where, path)
			}
		}
		if len(where) != 1 || !strings.Contains(filepath.ToSlash(where[0]), "/algorithms/") {
			t.Errorf("type %s is declared in %v, want once, in package algorithms", name, where)
		}
	}
}

// Every public package (not internal, not a command) has a runnable example: a func Example... in
// its tests, which go test runs and checks against its // Output: comment.
func TestEveryPublicPackageHasAnExample(t *testing.T) {
	has := map[string]bool{}
	for _, path := range goFiles(t, true) {
		dir, _ := filepath.Rel(root, filepath.Dir(path))
		dir = filepath.ToSlash(dir)
		if strings.HasPrefix(dir, "internal/") || strings.HasPrefix(dir, "cmd/") {
			continue
		}
		if _, seen := has[dir]; !seen {
			has[dir] = false
		}
		if strings.HasSuffix(path, "_test.go") {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if regexp.MustCompile(`(?m)^func Example\w*\(\)`).Match(src) && strings.Contains(string(src), "// Output:") {
				has[dir] = true
			}
		}
	}
	for dir, ok := range has {
		if !ok {
			t.Errorf("package %s has no runnable example (func Example... with // Output:)", dir)
		}
	}
}

// The README's table of packages lists exactly the packages of the tree (those `go list ./...`
// prints, without the module prefix).
func TestReadmeListsEveryPackage(t *testing.T) {
	var tree []string
	for _, path := range goFiles(t, false) {
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			t.Fatal(err)
		}
		if rel = filepath.ToSlash(rel); !slices.Contains(tree, rel) {
			tree = append(tree, rel)
		}
	}
	sort.Strings(tree)
	listed := readmePackages(t)
	sort.Strings(listed)
	if !slices.Equal(tree, listed) {
		t.Errorf("README package table lists %v\nthe tree has %v", listed, tree)
	}
}

// readmePackages reads the first column of the README's package table: rows whose first cell
// names a package as `path` or [`path`](link); a cell may name several, separated by commas.
func readmePackages(t *testing.T) []string {
	f, err := os.Open(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cell := regexp.MustCompile("`([a-z0-9/]+)`")
	var out []string
	inTable := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "| package |") {
			inTable = true
			continue
		}
		if inTable && !strings.HasPrefix(line, "|") {
			break
		}
		if !inTable || strings.HasPrefix(line, "|---") {
			continue
		}
		first := strings.SplitN(strings.TrimPrefix(line, "|"), "|", 2)[0]
		for _, m := range cell.FindAllStringSubmatch(first, -1) {
			out = append(out, m[1])
		}
	}
	if len(out) == 0 {
		t.Fatal("README.md has no table starting with | package |")
	}
	return out
}
