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

// Figures drawn at once from several goroutines, as parallel sweeps and experiments may draw
// them, share the package's caches (texts' widths and lines, faces, glyph buffer, palette, the
// canvases' pooled memory, a plot's remembered ticks): each comes out as it does drawn alone,
// SVG and PNG files alike. Run under -race, this checks that the caches are safe to share.
func TestFiguresDrawnConcurrentlyAsAlone(t *testing.T) {
	hm, err := HeatmapWithColorBar(qTable(12, 5), 12, 5, "Q(s, a)", "action a", "state s", "Q")
	if err != nil {
		t.Fatal(err)
	}
	conv, err := Convergence("GMF-V: convergence", "iteration k", "distance (log scale)", syntheticCurves(40)...)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := Paths("distance to L*", "outer iteration k", "‖L_k − L*‖₁", true, distanceGroups(true)...)
	if err != nil {
		t.Fatal(err)
	}
	figures := []Drawer{hm, conv, paths, Grid(2, "two", hm, conv)}
	const w, h = 6 * vg.Inch, 4 * vg.Inch
	alone := make([][]byte, len(figures))
	for i, d := range figures {
		alone[i] = svgCanvasBytes(t, d, w, h)
	}
	dir := t.TempDir()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 3 {
				for k := range figures {
					i := (k + g) % len(figures) // the goroutines draw the same figures and others at once
					var buf bytes.Buffer
					c := newSVGCanvas(&buf, w, h)
					if err := drawOn(figures[i], c); err != nil {
						t.Error(err)
					}
					if err := c.Close(); err != nil {
						t.Error(err)
					}
					if !bytes.Equal(buf.Bytes(), alone[i]) {
						t.Errorf("goroutine %d, round %d: figure %d drawn at once with others differs from it drawn alone", g, round, i)
					}
				}
				if round == 0 {
					name := filepath.Join(dir, strconv.Itoa(g))
					if err := SaveFigure(figures[g], w, h, name+".png", name+".svg"); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	for g := range 4 {
		got, err := os.ReadFile(filepath.Join(dir, strconv.Itoa(g)+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, alone[g]) {
			t.Errorf("figure %d saved at once with others differs from it drawn alone", g)
		}
	}
}
