package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
)

// File is a file written atomically in pieces, as its content becomes known (a solve's trace as
// its iterations arrive): the pieces go to a temporary file ".BASE.tmp-*" in path's directory,
// which Commit syncs, makes readable by all (0644) and renames to path, and Abort removes.
type File struct {
	path string
	tmp  *os.File
}

// Create starts the file at path. The directory must exist. The error reads "write PATH: ...".
func Create(path string) (*File, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &File{path: path, tmp: tmp}, nil
}

// Write appends p to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.tmp.Write(p) }

// Commit puts the file in place at path, even when its temporary file was removed meanwhile (its
// content copied from the descriptor the File holds into a new one). On an error the temporary file is removed, path is left
// as it was, and the error reads "write PATH: ...". The File is done either way.
func (f *File) Commit() error {
	tmp := f.tmp
	if tmp == nil {
		return fmt.Errorf("write %s: %w", f.path, os.ErrClosed)
	}
	// The temporary file lives as long as the writing (a whole solve): another run's PrepareOutDir
	// may have removed it, taking it for a killed run's. Its content is still at hand through tmp.
	if _, err := os.Stat(tmp.Name()); errors.Is(err, fs.ErrNotExist) {
		f.tmp = nil
		err := Write(f.path, func(w io.Writer) error {
			_, err := io.Copy(w, io.NewSectionReader(tmp, 0, math.MaxInt64))
			return err
		})
		tmp.Close()
		return err // "write PATH: ..." already
	}
	return f.place()
}

// place syncs the temporary file, makes it readable by all (0644), closes it and renames it to
// path; on an error it removes it, leaves path as it was and returns "write PATH: ...". The File
// is done either way.
func (f *File) place() error {
	tmp := f.tmp
	f.tmp = nil
	err := tmp.Sync()
	if err == nil {
		err = tmp.Chmod(0o644) // CreateTemp makes 0600; results are for sharing
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", f.path, err)
	}
	return nil
}

// Abort removes the temporary file, when the File was neither committed nor aborted.
func (f *File) Abort() {
	if f.tmp != nil {
		f.tmp.Close()
		os.Remove(f.tmp.Name())
		f.tmp = nil
	}
}
