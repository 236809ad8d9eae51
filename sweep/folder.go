package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrOtherSweep marks a results folder that holds another sweep's results.
var ErrOtherSweep = errors.New("the results folder holds another sweep")

// ErrForeignRecord marks a run record that another sweep (or another run) wrote.
var ErrForeignRecord = errors.New("a foreign record")

// manifest is DIR/sweep.json: which sweep a results folder belongs to. It is created once, whole,
// and never replaced.
type manifest struct {
	Name        string `json:"name"`
	Fingerprint string `json:"fingerprint"`
	Seed        uint64 `json:"seed"`
	Runs        int    `json:"runs"`
}

// Prepare makes dir a results folder of s, or checks that it already is one. Of any number of
// processes (or goroutines) preparing one folder at once, for any sweeps, the first to create
// sweep.json owns the folder: the file appears whole (hard-linked from a complete temporary file,
// which never replaces an existing one), and every caller then reads it back and fails with
// ErrOtherSweep, naming the folder and both fingerprints, unless it names s. It never changes a
// folder that belongs to another sweep.
func Prepare(s *Sweep, dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "runs"), 0o755); err != nil {
		return fmt.Errorf("out = %s: %w", dir, err)
	}
	path := filepath.Join(dir, "sweep.json")
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		m := manifest{Name: s.File.Name, Fingerprint: s.Fingerprint, Seed: s.File.Seed, Runs: len(s.Runs)}
		b, _ := json.Marshal(m)
		if err := createOnce(path, append(b, '\n')); err != nil {
			return fmt.Errorf("out = %s: %w", dir, err)
		}
	}
	return Check(s, dir)
}

// CreateOnce creates path with data unless it exists (then it does nothing and returns nil),
// never replacing an existing file and never leaving a part of data at path: the way a results
// folder's sweep.json is created (see createOnce). Of several processes creating one path at
// once, the first one's data is kept; each should read the file back to see whose it is.
func CreateOnce(path string, data []byte) error { return createOnce(path, data) }

// createOnce creates path with data unless it exists (then it does nothing and returns nil). The
// data is written to a temporary file in the same folder, synced and hard-linked to path, so that
// path never holds a part of data and an existing path is never replaced; on a file system
// without hard links it falls back to an O_EXCL create (readManifest then waits out a half-written
// file).
func createOnce(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	err = os.Link(tmp.Name(), path)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// readManifest reads dir's sweep.json. A file that does not decode is read again for up to a
// second (another process may be writing it with the O_EXCL fallback) before it is an error.
func readManifest(dir string) (manifest, error) {
	var m manifest
	for wait := time.Duration(0); ; wait += 50 * time.Millisecond {
		b, err := os.ReadFile(filepath.Join(dir, "sweep.json"))
		if err != nil {
			return m, err
		}
		err = json.Unmarshal(b, &m)
		if err == nil || wait >= time.Second {
			return m, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Check reports whether dir is a results folder of s, without creating or changing anything.
// A folder of another sweep gives ErrOtherSweep, naming the folder and both fingerprints.
func Check(s *Sweep, dir string) error {
	m, err := readManifest(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("out = %s: no results of a sweep here (%v)", dir, err)
	}
	if err != nil {
		return fmt.Errorf("out = %s: sweep.json is unreadable (%s), so the folder may hold another sweep than this one (fingerprint %s): %w", dir, err, s.Fingerprint, ErrOtherSweep)
	}
	if m.Fingerprint != s.Fingerprint {
		return fmt.Errorf("out = %s: it holds results of sweep %q (fingerprint %s, seed %d), not of this one (fingerprint %s, seed %d): %w; choose another folder", dir, m.Name, m.Fingerprint, m.Seed, s.Fingerprint, s.File.Seed, ErrOtherSweep)
	}
	return nil
}

// belongs returns nil when rec, read from file, is the record of run r of s: same sweep
// fingerprint and seed, same run id, index, replicate and seed. Otherwise the error, wrapping
// ErrForeignRecord, names the file and what differs.
func (s *Sweep) belongs(rec *Record, r Run, file string) error {
	var diffs []string
	differ := func(what string, got, want any) {
		if got != want {
			diffs = append(diffs, fmt.Sprintf("%s %v (this sweep: %v)", what, got, want))
		}
	}
	differ("sweep fingerprint", rec.Fingerprint, s.Fingerprint)
	differ("sweep seed", rec.SweepSeed, s.File.Seed)
	differ("run id", rec.ID, r.ID)
	differ("run index", rec.Index, r.Index)
	differ("replicate", rec.Replicate, r.Replicate)
	differ("run seed", rec.Seed, r.Seed)
	if len(diffs) == 0 {
		return nil
	}
	return fmt.Errorf("record %s: %w of another sweep or run: %s; remove it or use another folder", file, ErrForeignRecord, strings.Join(diffs, ", "))
}
