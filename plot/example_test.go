package plot_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"meanfield/plot"
)

// ExamplePaths draws two groups of sample paths (for instance the distance to an equilibrium at
// each outer iteration k, in three runs of each of two algorithms) with their means, on a
// logarithmic y axis, and saves the figure as a PNG.
func ExamplePaths() {
	group := func(name string, rate float64) plot.PathGroup {
		g := plot.PathGroup{Name: name}
		for k := range 20 {
			g.X = append(g.X, float64(k))
		}
		for run := range 3 {
			path := make([]float64, len(g.X))
			for k := range path {
				path[k] = float64(run+1) * math.Pow(rate, float64(k))
			}
			g.Paths = append(g.Paths, path)
		}
		return g
	}
	p, err := plot.Paths("Distance to the equilibrium", "outer iteration k", "distance", true,
		group("slow", 0.9), group("fast", 0.5))
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "plot-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "paths.png")
	if err := plot.Save(p, 400, 300, path); err != nil {
		fmt.Println(err)
		return
	}
	info, err := os.Stat(path)
	fmt.Println("PNG written:", err == nil && info.Size() > 0)
	// Output:
	// PNG written: true
}
