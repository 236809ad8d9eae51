package plot

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"gonum.org/v1/plot/vg"
)

// concurrentFigures are figures whose texts name goroutine g and round r: texts new to the
// package's caches, measured and split into lines while other goroutines read them.
func concurrentFigures(t *testing.T, g, r int) []Drawer {
	name := " (goroutine " + strconv.Itoa(g) + ", round " + strconv.Itoa(r) + ")"
	hm, err := HeatmapWithColorBar(qTable(12, 5), 12, 5, "Q(s, a)"+name, "action a", "state s", "Q"+name)
	if err != nil {
		t.Error(err)
		return nil
	}
	conv, err := Convergence("GMF-V: convergence"+name, "iteration k", "distance (log scale)", syntheticCurves(40+g)...)
	if err != nil {
		t.Error(err)
		return nil
	}
	paths, err := Paths("distance to L*"+name, "outer iteration k", "‖L_k − L*‖₁", true, distanceGroups(true)...)
	if err != nil {
		t.Error(err)
		return nil
	}
	return []Drawer{hm, conv, paths, Grid(2, "two"+name, hm, conv)}
}

// Figures drawn at once from several goroutines, as parallel sweeps and experiments may draw
// them, share the package's caches (texts' widths and lines, faces, glyph buffer, palette, the
// canvases' pooled memory): each comes out as it does drawn alone afterwards, SVG and PNG files
// alike. Run under -race with several threads, this checks that the caches are safe to share.
func TestFiguresDrawnConcurrentlyAsAlone(t *testing.T) {
	const w, h, goroutines, rounds = 6 * vg.Inch, 4 * vg.Inch, 4, 3
	var drawn [goroutines][rounds][][]byte
	dir := t.TempDir()
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				figures := concurrentFigures(t, g, r)
				for _, d := range figures {
					var buf bytes.Buffer
					c := newSVGCanvas(&buf, w, h)
					if err := drawOn(d, c); err != nil {
						t.Error(err)
					}
					if err := c.Close(); err != nil {
						t.Error(err)
					}
					drawn[g][r] = append(drawn[g][r], buf.Bytes())
				}
				if r == 0 && figures != nil {
					name := filepath.Join(dir, strconv.Itoa(g))
					if err := SaveFigure(figures[g%len(figures)], w, h, name+".png", name+".svg"); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	for g := range goroutines {
		for r := range rounds {
			for i, d := range concurrentFigures(t, g, r) {
				if alone := svgCanvasBytes(t, d, w, h); !bytes.Equal(drawn[g][r][i], alone) {
					t.Errorf("goroutine %d, round %d: figure %d drawn at once with others differs from it drawn alone", g, r, i)
				}
				if r == 0 && i == g%4 {
					saved, err := os.ReadFile(filepath.Join(dir, strconv.Itoa(g)+".svg"))
					if err != nil || !bytes.Equal(saved, svgCanvasBytes(t, d, w, h)) {
						t.Errorf("goroutine %d: figure saved at once with others differs from it drawn alone (err %v)", g, err)
					}
				}
			}
		}
	}
}
