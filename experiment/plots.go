package experiment

import (
	"fmt"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot/vg"

	"meanfield/plot"
)

// writeConvergencePlots draws the per-iteration change of L, exploitability and distance to GMF-V.
func writeConvergencePlots(r *SolveReport, dir string) ([]string, error) {
	title := fmt.Sprintf("%s on %s: convergence of the fixed-point scheme", strings.ToUpper(r.Config.Algorithm), r.Config.Game)
	p, err := plot.Convergence(r.Result, title)
	if err != nil {
		return nil, fmt.Errorf("convergence plot: %w", err)
	}
	paths := []string{filepath.Join(dir, "convergence.png"), filepath.Join(dir, "convergence.svg")}
	if err := plot.Save(p, 7*vg.Inch, 4.5*vg.Inch, paths...); err != nil {
		return nil, err
	}
	return paths, nil
}
