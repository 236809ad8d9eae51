package plot

import (
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// renderPNG writes d as a testW×testH PNG and decodes it.
func renderPNG(t *testing.T, d Drawer) image.Image {
	t.Helper()
	path := filepath.Join(t.TempDir(), "figure.png")
	if err := SaveFigure(d, testW, testH, path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// colourAt is the colour of img at the centre of the cell (x, y) of heat map p drawn on c.
func colourAt(img image.Image, p *plot.Plot, c draw.Canvas, x, y float64) color.RGBA {
	data := p.DataCanvas(c)
	trX, trY := p.Transforms(&data)
	px := int(trX(x).Points() / 72 * PNGDPI)
	py := pixels(testH) - 1 - int(trY(y).Points()/72*PNGDPI)
	return color.RGBAModel.Convert(img.At(px, py)).(color.RGBA)
}

// scratch is a canvas of the size renderPNG draws on.
func scratch() draw.Canvas {
	return draw.New(vgimg.NewWith(vgimg.UseWH(testW, testH), vgimg.UseDPI(PNGDPI)))
}

// OverTime draws values[t][i] at column t (time across) and row i, on the values' own scale or
// on [Min, Max] with the values outside clamped to its ends.
func TestOverTimeLaysTimeAcross(t *testing.T) {
	values := [][]float64{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 10, 11}} // 4 times, 3 positions
	f, err := OverTime(values, OverTimeSpec{Title: "μ", YLabel: "x", BarLabel: "share"})
	if err != nil {
		t.Fatal(err)
	}
	img := renderPNG(t, f.Heat)
	for tt, v := range values {
		for i, x := range v {
			if got, want := colourAt(img, f.Heat, scratch(), float64(tt), float64(i)), expectedColor(x, 0, 11); !closeColors(got, want) {
				t.Errorf("cell t = %d, x = %d: colour %v, want %v (value %v)", tt, i, got, want, x)
			}
		}
	}
	save(t, f, "over-time")

	clamped, err := OverTime([][]float64{{-3, 0.5}, {2, 0}}, OverTimeSpec{Min: -1, Max: 1, Label: func(i int) string { return []string{"a", "b"}[i] }})
	if err != nil {
		t.Fatal(err)
	}
	img = renderPNG(t, clamped.Heat)
	for _, c := range []struct {
		t, i int
		want float64
	}{{0, 0, -1}, {0, 1, 0.5}, {1, 0, 1}, {1, 1, 0}} {
		if got, want := colourAt(img, clamped.Heat, scratch(), float64(c.t), float64(c.i)), expectedColor(c.want, -1, 1); !closeColors(got, want) {
			t.Errorf("clamped cell t = %d, x = %d: colour %v, want that of %v", c.t, c.i, got, c.want)
		}
	}
}

func TestOverTimeRejects(t *testing.T) {
	for _, c := range []struct {
		name   string
		values [][]float64
		want   string
	}{
		{"none", nil, "no values"},
		{"ragged", [][]float64{{1, 2}, {3}}, "time step 1 has 1"},
		{"Inf", [][]float64{{1, math.Inf(1)}}, "Inf"},
		{"all NaN", [][]float64{{math.NaN()}}, "NaN"},
	} {
		if _, err := OverTime(c.values, OverTimeSpec{}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// Snapshots colour every panel on one scale, from the least value of all panels to the greatest,
// with row r at y = r and column c at x = c.
func TestSnapshotsShareOneScale(t *testing.T) {
	const rows, cols = 2, 3
	panels := [][]float64{{0, 1, 2, 3, 4, 5}, {10, 10, 10, 10, 10, 10}, {5, 4, 3, 2, 1, 0}}
	f, err := Snapshots(panels, rows, cols, 3, []string{"t = 0", "t = 1", "t = 2"}, "population", "w", "l", "share")
	if err != nil {
		t.Fatal(err)
	}
	img := renderPNG(t, f)
	ps, cells, bar := f.layout(scratch())
	if bar == nil {
		t.Fatal("no colour bar")
	}
	for k, p := range ps {
		for r := range rows {
			for c := range cols {
				v := panels[k][r*cols+c]
				if got, want := colourAt(img, p.(*plot.Plot), cells[k], float64(c), float64(r)), expectedColor(v, 0, 10); !closeColors(got, want) {
					t.Errorf("panel %d, cell (%d, %d): colour %v, want %v (value %v)", k, r, c, got, want, v)
				}
			}
		}
	}
	save(t, f, "snapshots")
	two, err := Snapshots(append(panels, nil), rows, cols, 2, []string{"a", "b", "c", ""}, "", "w", "l", "share")
	if err != nil {
		t.Fatal(err)
	}
	saveSized(t, two, "snapshots-2x2", 5*vg.Inch, 5*vg.Inch)
}

func TestSnapshotsRejects(t *testing.T) {
	ok := []float64{1, 2, 3, 4}
	for _, c := range []struct {
		name       string
		panels     [][]float64
		rows, cols int
		titles     []string
		want       string
	}{
		{"no rows", [][]float64{ok}, 0, 4, []string{""}, "rows"},
		{"short panel", [][]float64{ok, ok[:3]}, 2, 2, []string{"", ""}, "panel 1 has 3"},
		{"titles", [][]float64{ok}, 2, 2, nil, "titles"},
		{"no panels", [][]float64{nil}, 2, 2, []string{""}, "no panels"},
		{"Inf", [][]float64{{1, 2, math.Inf(-1), 4}}, 2, 2, []string{""}, "Inf"},
	} {
		if _, err := Snapshots(c.panels, c.rows, c.cols, 2, c.titles, "", "", "", ""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}
