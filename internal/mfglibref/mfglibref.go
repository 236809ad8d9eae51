// Package mfglibref reads MFGLib 0.3.0's reference results, finite/testdata/mfglib_reference.json
// (finite/testdata/MFGLIB_NOTES.md says how they were produced), for the tests of every package
// that checks numbers against MFGLib.
package mfglibref

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Reference is the part of the file the tests read.
type Reference struct {
	// Games[game][algorithm] is MFGLib's exploitability of π_0 (uniform) and after iterations
	// 1..10 with the algorithm's defaults, float32 values stored as float64; null where MFGLib
	// raised, with the message in Errors["game/algorithm"]. Names are MFGLib's (beach_bar,
	// fictitious_play, ...).
	Games  map[string]map[string][]float64 `json:"games"`
	Errors map[string]string               `json:"errors"`
	// Extra[game][algorithm] is like Games for runs with other algorithm parameters.
	Extra map[string]map[string][]float64 `json:"extra"`
}

// Path is the reference file's path, found from this source file's location so that tests in any
// package's directory can read it.
func Path() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "finite", "testdata", "mfglib_reference.json")
}

// Load reads the reference file.
func Load() (*Reference, error) {
	raw, err := os.ReadFile(Path())
	if err != nil {
		return nil, err
	}
	var ref Reference
	if err := json.Unmarshal(raw, &ref); err != nil {
		return nil, fmt.Errorf("%s: %w", Path(), err)
	}
	if len(ref.Games) == 0 {
		return nil, fmt.Errorf("%s: no games", Path())
	}
	return &ref, nil
}
