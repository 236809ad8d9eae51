//go:build linux

package plot

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A file that cannot be written to the end (the process's file size limit: the disk full, as a
// write sees it), in each format, gives an error naming the path and leaves the file as it was
// and no temporary file: the SVG fails while the canvas streams, the PNG and PDF while encoded.
// The limit is set in a child process, this test's binary run again.
func TestSaveWriteFailureLeavesNothing(t *testing.T) {
	if dir := os.Getenv("PLOT_TEST_FSIZE_DIR"); dir != "" {
		saveUnderFileSizeLimit(dir)
		return
	}
	dir := t.TempDir()
	for _, ext := range []string{"svg", "png", "pdf"} {
		if err := os.WriteFile(filepath.Join(dir, "fig."+ext), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSaveWriteFailureLeavesNothing$")
	cmd.Env = append(os.Environ(), "PLOT_TEST_FSIZE_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	for _, ext := range []string{"svg", "png", "pdf"} {
		path := filepath.Join(dir, "fig."+ext)
		if want := "save " + path + ": "; !strings.Contains(string(out), want) || !strings.Contains(string(out), "file too large") {
			t.Errorf("%s: the child's errors %q do not name the path and the write's failure", ext, out)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != "old" {
			t.Errorf("%s: %q (err %v) after a failed save, want the old content", path, b, err)
		}
	}
	assertNoTemp(t, dir)
}

// saveUnderFileSizeLimit saves a figure of some hundred kilobytes in each format to dir under a
// file size limit of 4 KiB, printing each save's error.
func saveUnderFileSizeLimit(dir string) {
	signal.Ignore(syscall.SIGXFSZ) // a write past the limit fails with EFBIG rather than killing
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 4 << 10, Max: 4 << 10}); err != nil {
		fmt.Println("setrlimit:", err)
		os.Exit(2)
	}
	hm, err := HeatmapWithColorBar(qTable(60, 40), 60, 40, "Q(s, a)", "action a", "state s", "Q")
	if err != nil {
		fmt.Println(err)
		os.Exit(2)
	}
	for _, ext := range []string{"svg", "png", "pdf"} {
		err := SaveFigure(hm, testW, testH, filepath.Join(dir, "fig."+ext))
		fmt.Printf("%s: %v\n", ext, err)
	}
}
