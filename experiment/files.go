package experiment

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file through write into a temporary file in the same directory, then
// renames it into place, so that readers see the old file or the complete new one, never a part.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err = write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600; results are for sharing
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// output is one result file: its name in the output folder and how to write it.
type output struct {
	name  string
	write func(w io.Writer) error
}

// writeOutputs writes each output atomically into dir and returns their paths.
func writeOutputs(dir string, outs []output) ([]string, error) {
	var paths []string
	for _, o := range outs {
		path := filepath.Join(dir, o.name)
		if err := WriteFileAtomic(path, o.write); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// configOutput is config.yaml: the resolved configuration, with a comment on how to rerun it.
func configOutput(command string, cfg any) output {
	return output{"config.yaml", func(w io.Writer) error {
		fmt.Fprintf(w, "# Resolved configuration of this run: `mfg %s --config config.yaml` repeats it.\n", command)
		return encodeYAML(w, cfg)
	}}
}

// solveConfigOutputs are config.yaml, the configuration as given (defaults, file and flags, before
// the algorithm's presets are filled in: rerunning it, possibly with another --algorithm, resolves
// it afresh), and resolved.yaml, every choice made explicit.
// The other outputs of a solve follow them.
func solveConfigOutputs(given, resolved SolveConfig, more ...output) []output {
	return append([]output{
		configOutput("solve", given),
		{"resolved.yaml", func(w io.Writer) error {
			fmt.Fprintln(w, "# The configuration with every preset choice made explicit (also valid for --config).")
			return encodeYAML(w, resolved)
		}},
	}, more...)
}
