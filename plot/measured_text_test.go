package plot

import (
	"testing"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// measuredText measures as gonum's plain handler does, number for number, on tick labels, labels
// with subscripts' markup, empty and repeated texts, at several sizes; and measurePlainText swaps
// in measuredText for every plain style of a plot while leaving scriptText styles as they are.
func TestMeasuredTextIsPlainText(t *testing.T) {
	plain := text.Plain{Fonts: font.DefaultCache}
	h := measuredText{facedText{plain}}
	for _, size := range []float64{7, 9.5, 11, 14} {
		fnt := font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
		for _, s := range []string{"", "0", "0.25", "−1e-05", "1000000", "L_t(x)", "Exploitability", "0.25", "π_0 ≥ ε"} {
			w, ht, d := h.Box(s, fnt)
			pw, pht, pd := plain.Box(s, fnt)
			if w != pw || ht != pht || d != pd {
				t.Errorf("size %v, %q: measuredText box (%v, %v, %v), text.Plain (%v, %v, %v)", size, s, w, ht, d, pw, pht, pd)
			}
		}
	}
	p := newPlot("title", "x_1", "y")
	for name, sty := range map[string]text.Style{"x tick": p.X.Tick.Label, "y tick": p.Y.Tick.Label} {
		if _, ok := sty.Handler.(measuredText); !ok {
			t.Errorf("%s label handler %T, want measuredText", name, sty.Handler)
		}
	}
	for name, sty := range map[string]text.Style{"title": p.Title.TextStyle, "x label": p.X.Label.TextStyle, "legend": p.Legend.TextStyle} {
		if _, ok := sty.Handler.(scriptText); !ok {
			t.Errorf("%s handler %T, want scriptText", name, sty.Handler)
		}
	}
	bar := colorBarPlot(0, 1, "mass")
	if _, ok := bar.Y.Tick.Label.Handler.(measuredText); !ok {
		t.Errorf("colour bar's tick label handler %T, want measuredText", bar.Y.Tick.Label.Handler)
	}
}
