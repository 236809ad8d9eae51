package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	err := Write(path, func(w io.Writer) error {
		_, err := fmt.Fprint(w, "hello, world\n")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, "hello, world\n")
	checkOnly(t, dir, "out.txt")
}

func TestWriteBytesReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.bin")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := []byte(strings.Repeat("0123456789", 10000)) // larger than the write buffer
	if err := WriteBytes(path, data); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, string(data))
	checkOnly(t, dir, "out.bin")
}

func TestWriterFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := os.WriteFile(path, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		fmt.Fprint(w, strings.Repeat("partial ", 2000)) // past the buffer: reaches the temp file
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want one wrapping %v", err, boom)
	}
	if want := "write " + path + ": boom"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "old content" {
		t.Errorf("%s after a failed write: %q, %v; want the old content", path, b, err)
	}
	checkOnly(t, dir, "out.txt")
}

func TestWriterFailsWithoutOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.txt")
	if err := Write(path, func(io.Writer) error { return errors.New("boom") }); err == nil {
		t.Fatal("no error from a failing writer")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stat %s after a failed write: %v, want no such file", path, err)
	}
	checkOnly(t, dir)
}

func TestMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "out.txt")
	err := WriteBytes(path, []byte("x"))
	if err == nil || !strings.HasPrefix(err.Error(), "write "+path+": ") {
		t.Errorf("error %v, want one starting with %q", err, "write "+path+": ")
	}
}

// checkFile checks that path holds want, with permissions 0644.
func checkFile(t *testing.T, path, want string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != want {
		t.Errorf("%s holds %d bytes %.20q, want %d bytes %.20q", path, len(b), b, len(want), want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o644 {
		t.Errorf("%s has permissions %v, want 0644", path, perm)
	}
}

// checkOnly checks that dir holds exactly the files names (no temporary file left behind).
func checkOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(names, ",") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// A File written in pieces appears at its path whole, readable by all, on Commit only; Abort
// leaves the old file and no temporary one; a second Commit fails.
func TestFileInPieces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trace.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := f.Write([]byte("piece\n")); err != nil {
			t.Fatal(err)
		}
		checkFile(t, path, "old")
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, "piece\npiece\npiece\n")
	checkOnly(t, dir, "trace.csv")
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v; want 0644", st.Mode(), err)
	}
	if err := f.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	g, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	g.Write([]byte("new"))
	g.Abort()
	g.Abort()
	checkFile(t, path, "piece\npiece\npiece\n")
	checkOnly(t, dir, "trace.csv")
}

// A File whose temporary file another process removed while it was written (mfg solve's
// PrepareOutDir clears the temporary files it finds, a killed run's as it thinks) is still put in
// place whole on Commit, from the descriptor it holds, and leaves no temporary file.
func TestFileRemovedWhileWritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trace.csv")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("first\n")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(f.tmp.Name()); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("second\n")); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path, "first\nsecond\n")
	checkOnly(t, dir, "trace.csv")
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v; want 0644", st.Mode(), err)
	}
}
