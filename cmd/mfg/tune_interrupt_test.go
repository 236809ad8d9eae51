package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// mfg tune sent SIGTERM midway exits with status 130 and one line saying what it kept; it writes
// no summary (trials.parquet, best.yaml), and every trial record it left is a whole one, which
// the same command resumes from.
func TestSignalStopsTune(t *testing.T) {
	bin := mfgBinary(t)
	file := writeFile(t, "long.yaml", strings.Replace(killStudy, "trials: 36", "trials: 400", 1))
	out := filepath.Join(t.TempDir(), "out")
	line, _ := interrupt(t, bin, []string{"tune", file, "--out", out, "--no-progress", "--workers", "2"}, syscall.SIGTERM, 700*time.Millisecond)
	if !strings.Contains(line, "the same command resumes the study") {
		t.Errorf("the line does not say how to resume: %s", line)
	}
	for _, f := range []string{"trials.parquet", "games.parquet", "best.yaml"} {
		if _, err := os.Stat(filepath.Join(out, f)); !os.IsNotExist(err) {
			t.Errorf("%s written by an interrupted study (%v)", f, err)
		}
	}
	entries, err := os.ReadDir(filepath.Join(out, "trials"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		var r map[string]any
		if b, err := os.ReadFile(filepath.Join(out, "trials", e.Name())); err != nil || json.Unmarshal(b, &r) != nil || r["state"] == nil {
			t.Errorf("trials/%s is not a whole record", e.Name())
		}
	}
}
