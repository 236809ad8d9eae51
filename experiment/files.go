package experiment

import (
	"fmt"
	"io"
	"path/filepath"

	"meanfield/internal/atomicfile"
	"meanfield/mfg"
)

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
		if err := atomicfile.Write(path, o.write); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// configOutput is config.yaml: the configuration of the run, with a comment on how to rerun it.
func configOutput(command, what string, cfg any) output {
	return output{"config.yaml", func(w io.Writer) error {
		fmt.Fprintf(w, "# %s: `mfg %s --config config.yaml` repeats the run.\n", what, command)
		return encodeYAML(w, cfg)
	}}
}

// solveConfigOutputs are config.yaml, the configuration as given (defaults, file and flags, before
// the algorithm's presets are filled in: rerunning it, possibly with another --algorithm, resolves
// it afresh), and resolved.yaml, every choice made explicit and only the keys that apply to a
// solve of g. The other outputs of a solve follow them.
func solveConfigOutputs(given, resolved SolveConfig, g mfg.Game, more ...output) []output {
	return append([]output{
		configOutput("solve", "The configuration of this run as given (defaults, file, flags); with another --algorithm, that algorithm's defaults apply", given),
		{"resolved.yaml", func(w io.Writer) error {
			fmt.Fprintln(w, "# The configuration with every choice made explicit. `mfg solve --config resolved.yaml` repeats this exact run;")
			fmt.Fprintln(w, "# to try another algorithm start from config.yaml, whose parameters are only those given.")
			fmt.Fprintln(w, "# Keys that change nothing in this run (a seed no random number uses, say) are left out.")
			v, err := resolved.applicableYAML(g)
			if err != nil {
				return err
			}
			return encodeYAML(w, v)
		}},
	}, more...)
}
