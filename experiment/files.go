package experiment

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"meanfield/internal/atomicfile"
	"meanfield/internal/wrap"
	"meanfield/mfg"
)

// output is one result file: its name in the output folder and how to write it.
type output struct {
	name  string
	write func(w io.Writer) error
}

// writeOutputs writes each output atomically into dir and returns their paths.
func writeOutputs(dir string, outs []output) ([]string, error) {
	return writeOutputsCommitting(dir, outs, nil)
}

// writeOutputsCommitting is writeOutputs, but an output named in commits is a file written
// already, which the function there puts in place (a solve's trace, streamed).
func writeOutputsCommitting(dir string, outs []output, commits map[string]func() error) ([]string, error) {
	var paths []string
	for _, o := range outs {
		path := filepath.Join(dir, o.name)
		if commit, ok := commits[o.name]; ok {
			if err := commit(); err != nil {
				return paths, err
			}
		} else if err := atomicfile.Write(path, o.write); err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// configOutput is config.yaml: the configuration of the run under header, a comment saying what
// it holds and how to rerun it.
func configOutput(header string, cfg any) output {
	return output{"config.yaml", func(w io.Writer) error {
		if err := writeComment(w, header); err != nil {
			return err
		}
		return encodeYAML(w, cfg)
	}}
}

// commentWidth is the most characters on a line of the comments heading a configuration file.
const commentWidth = 100

// writeComment writes text as YAML comment lines ("# ...") of at most commentWidth characters,
// breaking between words.
func writeComment(w io.Writer, text string) error {
	for _, l := range wrap.Lines("# ", "# ", strings.Fields(text), commentWidth) {
		if _, err := fmt.Fprintln(w, l); err != nil {
			return err
		}
	}
	return nil
}

// solveConfigOutputs are config.yaml, the configuration as given (defaults, file and flags, before
// the algorithm's presets are filled in: rerunning it, possibly with another --algorithm, resolves
// it afresh), and resolved.yaml, every choice made explicit and only the keys that apply to a
// solve of g. The other outputs of a solve follow them.
func solveConfigOutputs(given, resolved SolveConfig, g mfg.Game, more ...output) []output {
	return append([]output{
		configOutput("The choices given for this run: mfg solve's defaults, then the configuration file, then the flags. "+
			"What is not here (the algorithm, its number of iterations, the game's and the algorithm's parameters, "+
			"when not given) takes its default; resolved.yaml holds every choice made explicit. "+
			"`mfg solve --config config.yaml` repeats the run; with another --algorithm, that algorithm's defaults apply.", given),
		{"resolved.yaml", func(w io.Writer) error {
			if err := writeComment(w, "The configuration with every choice made explicit. `mfg solve --config resolved.yaml` repeats this exact run; "+
				"to try another algorithm start from config.yaml, whose parameters are only those given. "+
				"Keys that change nothing in this run (a seed no random number uses, say) are left out."); err != nil {
				return err
			}
			v, err := resolved.applicableYAML(g)
			if err != nil {
				return err
			}
			return encodeYAML(w, v)
		}},
	}, more...)
}
