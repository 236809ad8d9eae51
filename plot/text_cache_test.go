package plot

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// testFonts are fonts of gonum's default cache in several variants, weights, styles and sizes,
// and one it lacks (looked up as the default typeface).
var testFonts = []font.Font{
	{Typeface: "Liberation", Variant: "Sans", Size: 10},
	{Typeface: "Liberation", Variant: "Serif", Weight: xfont.WeightBold, Style: xfont.StyleItalic, Size: 13.5},
	{Typeface: "Liberation", Variant: "Mono", Size: 7.7},
	{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold, Size: 15},
	{Typeface: "Missing", Variant: "Sans", Size: 11},
}

// testTexts are texts with kerning pairs, characters beyond ASCII, subscripts' markup, invalid
// UTF-8, several lines and trailing newlines.
var testTexts = []string{"", "0", "-0.25", "AVATAR Tower Wa", "‖L_k − L*‖₁ μ_t(x) π ≤ ε", "\xff\xfeab", "line 1\nline 2\n\n", "1e-16", "share of the population"}

// measureWidth measures as font.Face.Width, number for number; lookupFace answers as the font
// cache's Lookup and the face's Extents, the first time and when remembered, past the number of
// faces it remembers.
func TestMeasureWidthAndLookupFaceAsGonum(t *testing.T) {
	for round := range 3 {
		for _, fnt := range testFonts {
			for _, size := range []vg.Length{fnt.Size, fnt.Size * 1.5, vg.Length(round + 6)} {
				fnt := fnt
				fnt.Size = size
				want := font.DefaultCache.Lookup(fnt, fnt.Size)
				face, ext := lookupFace(font.DefaultCache, fnt)
				if face != want || ext != want.Extents() {
					t.Errorf("%+v: lookupFace %+v, %+v; Lookup %+v, %+v", fnt, face, ext, want, want.Extents())
				}
				for _, s := range testTexts {
					if got, want := measureWidth(face, s), face.Width(s); got != want {
						t.Errorf("%+v, %q: measureWidth %v, Face.Width %v", fnt, s, got, want)
					}
				}
			}
		}
	}
}

// measuredText draws as gonum's plain handler draws: the same SVG, byte for byte, for texts of
// one and several lines, at every alignment and at several rotations and colours.
func TestMeasuredTextDrawsAsPlainText(t *testing.T) {
	plain := text.Plain{Fonts: font.DefaultCache}
	draw := func(h text.Handler) []byte {
		c := vgsvg.New(300, 300)
		for i, fnt := range testFonts {
			for j, s := range testTexts {
				sty := text.Style{Color: color.RGBA{R: uint8(40 * i), A: 255}, Font: fnt, Handler: h,
					XAlign: text.XAlignment(float64(j%3) / -2), YAlign: text.YAlignment(float64(i%3) / -2),
					Rotation: []float64{0, math.Pi / 2, -0.3}[(i+j)%3]}
				h.Draw(c, s, sty, vg.Point{X: vg.Length(10 * j), Y: vg.Length(20 * i)})
			}
		}
		var buf bytes.Buffer
		if _, err := c.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	if got, want := draw(measuredText{facedText{plain}}), draw(plain); !bytes.Equal(got, want) {
		t.Errorf("measuredText drew %d bytes of SVG, text.Plain %d:\n%s\n----\n%s", len(got), len(want), got, want)
	}
}

// lastTicks answers as the ticks it remembers, for ranges asked again, changed, asked back, and
// for -0 after 0 and NaN (ranges of other bits); it calls them only when the range changed.
func TestLastTicksAsItsTicks(t *testing.T) {
	calls := 0
	f := func(min, max float64) []plot.Tick {
		calls++
		return []plot.Tick{{Value: min, Label: fmt.Sprint(min)}, {Value: max, Label: fmt.Sprint(max)}}
	}
	ticker := lastTicks(f)
	ranges := [][2]float64{{0, 1}, {0, 1}, {0, 1}, {-0.5, 9.5}, {-0.5, 9.5}, {0, 1}, {math.Copysign(0, -1), 1}, {math.NaN(), 1}, {math.NaN(), 1}}
	for i, r := range ranges {
		got, want := ticker.Ticks(r[0], r[1]), f(r[0], r[1])
		if fmt.Sprint(got) != fmt.Sprint(want) || math.Signbit(got[0].Value) != math.Signbit(want[0].Value) {
			t.Errorf("range %v: ticks %v, want %v", r, got, want)
		}
		calls--
		if i == 2 && calls != 1 {
			t.Errorf("%d calls for a range asked three times, want 1", calls)
		}
	}
	if calls != 5 {
		t.Errorf("%d calls for 9 ranges of 5 changes of bits: want 5", calls)
	}
}

// plainRun holds exactly when Subscripts makes one plain run of the whole text (none of an empty
// one), on random texts of letters, digits, markup, non-ASCII and invalid bytes; and scriptText
// measures every text as the sum of its runs' widths.
func TestPlainRunAsSubscripts(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"a", "k", "1", " ", "_", "{", "}", "μ", "‖", "\xff", "\xe2\x80", "t = 3"}
	h := newScriptText()
	fnt := font.Font{Typeface: "Liberation", Variant: "Sans", Size: 11}
	face, ext := lookupFace(h.Fonts, fnt)
	sub, subExt := lookupFace(h.Fonts, subFont(fnt))
	for range 3000 {
		var s string
		for range rng.IntN(6) {
			s += pieces[rng.IntN(len(pieces))]
		}
		runs := Subscripts(s)
		whole := len(runs) == 0 && s == "" || len(runs) == 1 && runs[0] == TextRun{Text: s}
		if plainRun(s) && !whole {
			t.Errorf("plainRun(%q) but Subscripts gives %+v", s, runs)
		}
		if !plainRun(s) && strings.IndexByte(s, '_') < 0 && utf8.ValidString(s) {
			t.Errorf("plainRun(%q) false for a valid text without markup", s)
		}
		var w vg.Length
		depth := ext.Descent
		for _, r := range runs {
			if r.Sub {
				w += textWidth(sub, r.Text)
				depth = max(depth, subExt.Descent+vg.Length(subDrop)*fnt.Size)
			} else {
				w += textWidth(face, r.Text)
			}
		}
		if gw, gh, gd := h.Box(s, fnt); gw != w || gh != ext.Ascent || gd != depth {
			t.Errorf("%q: box (%v, %v, %v), runs' (%v, %v, %v)", s, gw, gh, gd, w, ext.Ascent, depth)
		}
	}
}
