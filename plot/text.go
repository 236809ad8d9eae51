package plot

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// Subscripts in figure texts. The Liberation fonts of gonum have the subscript digits (₁) but
// no subscript letters (ₖ, ₊), and gonum's LaTeX handler cannot parse \|, so subscripts are
// drawn by scriptText.
const (
	subScale = 0.7  // size of a subscript, relative to the text
	subDrop  = 0.22 // how far a subscript's baseline lies below the text's, relative to its size
)

// TextRun is a piece of a text drawn in one style: plain, or as a subscript.
type TextRun struct {
	Text string
	Sub  bool
}

// Subscripts splits s into plain runs and subscripts, as every figure of the package reads its
// texts (and a report may render them): subscripts are written as in TeX, _{k+1} (braces
// required for more than one character) or _k, where a single letter or digit is a subscript
// only when no letter or digit follows it, so that names such as l1_change or beach_bar stay
// as they are. Anything else is plain text, including an unmatched "_{".
func Subscripts(s string) []TextRun {
	var runs []TextRun
	var plain strings.Builder
	flush := func() {
		if plain.Len() > 0 {
			runs = append(runs, TextRun{Text: plain.String()})
			plain.Reset()
		}
	}
	rs := []rune(s)
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for i := 0; i < len(rs); i++ {
		if rs[i] == '_' && i+1 < len(rs) {
			if rs[i+1] == '{' {
				if j := indexRune(rs[i+2:], '}'); j >= 0 {
					flush()
					runs = append(runs, TextRun{Text: string(rs[i+2 : i+2+j]), Sub: true})
					i += 2 + j
					continue
				}
			} else if isWord(rs[i+1]) && (i+2 == len(rs) || !isWord(rs[i+2])) {
				flush()
				runs = append(runs, TextRun{Text: string(rs[i+1]), Sub: true})
				i++
				continue
			}
		}
		plain.WriteRune(rs[i])
	}
	flush()
	return runs
}

// plainRun tells whether Subscripts(s) is s itself as one plain run (none when s is empty): s
// has no subscript's markup and is valid UTF-8 (which Subscripts would rewrite). Most texts of a
// figure are, and are measured many times: measured without splitting them.
func plainRun(s string) bool {
	return strings.IndexByte(s, '_') < 0 && utf8.ValidString(s)
}

// indexRune is the index of the first r in rs, or -1.
func indexRune(rs []rune, r rune) int {
	for i, x := range rs {
		if x == r {
			return i
		}
	}
	return -1
}

// scriptText is the text handler of every figure of the package: gonum's plain text handler, in
// which subscripts (see Subscripts) are drawn at subScale of the font size, their baseline
// subDrop of that size below the text's.
type scriptText struct{ facedText }

var _ text.Handler = scriptText{}

// newScriptText returns a scriptText on gonum's default font cache.
func newScriptText() scriptText {
	if p, ok := plot.DefaultTextHandler.(text.Plain); ok {
		return scriptText{facedText{p}}
	}
	return scriptText{facedText{text.Plain{Fonts: font.DefaultCache}}}
}

// measuredText is gonum's plain text handler with its Box measured through textWidth: the same
// numbers, without a fresh glyph buffer of kilobytes for each of the many measures gonum takes of
// every tick label while laying out a plot (about 3 MB of fresh memory a building-evacuation
// solve's figures took before). Text is drawn as text.Plain draws it.
type measuredText struct{ facedText }

var _ text.Handler = measuredText{}

// Box is text.Plain's Box: the width of txt, the ascent and the descent of the font.
func (h measuredText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	face, ext := lookupFace(h.Fonts, fnt)
	return textWidth(face, txt), ext.Ascent, ext.Descent
}

// Draw draws txt as text.Plain draws it, its face and its lines' widths measured as Box measures
// them (text.Plain.Draw measures each line with font.Face.Width, a fresh glyph buffer each).
func (h measuredText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	face, ext := lookupFace(h.Fonts, sty.Font)
	drawLines(c, txt, sty, pt, ext.Ascent, func(line string) vg.Length { return textWidth(face, line) },
		func(at vg.Point, line string) { c.FillString(face, at, line) })
}

// textLines is text.Plain's Lines: txt without its trailing newlines, split at the others. A
// text of one line (a tick label, nearly every text measured, many times each) is answered
// with a slice of its own, remembered: gonum only reads the lines, and so must every caller.
func textLines(txt string) []string {
	txt = strings.TrimRight(txt, "\n")
	if strings.IndexByte(txt, '\n') >= 0 {
		return strings.Split(txt, "\n")
	}
	oneLines.Lock()
	defer oneLines.Unlock()
	if l, ok := oneLines.m[txt]; ok {
		return l
	}
	if oneLines.m == nil || len(oneLines.m) >= widthsLimit {
		oneLines.m = make(map[string][]string)
	}
	l := []string{txt}
	oneLines.m[txt] = l
	return l
}

// oneLines are the answers of textLines to texts of one line, at most widthsLimit of them.
var oneLines struct {
	sync.Mutex
	m map[string][]string
}

// facedText is gonum's plain text handler with the fonts' extents and the texts' lines
// remembered (lookupFace, textLines): what measuredText and scriptText share.
type facedText struct{ text.Plain }

// Extents is text.Plain's Extents, the font's, remembered (lookupFace).
func (h facedText) Extents(fnt font.Font) font.Extents {
	_, ext := lookupFace(h.Fonts, fnt)
	return ext
}

// Lines is text.Plain's Lines.
func (h facedText) Lines(txt string) []string { return textLines(txt) }

// drawLines lays txt out as text.Plain.Draw does, its trailing newlines dropped: rotated by
// sty.Rotation about pt, aligned by sty.XAlign and sty.YAlign, a line's width being width(line)
// and the font's ascent ascent; line(at, s) draws each line s from its start at.
func drawLines(c vg.Canvas, txt string, sty text.Style, pt vg.Point, ascent vg.Length,
	width func(string) vg.Length, line func(at vg.Point, s string)) {
	txt = strings.TrimRight(txt, "\n")
	if len(txt) == 0 {
		return
	}
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos, sin := vg.Length(cos64), vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	lines := textLines(txt)
	pt.Y += sty.Height(txt)*vg.Length(sty.YAlign) - ascent
	for i, s := range lines {
		line(pt.Add(vg.Point{X: vg.Length(sty.XAlign) * width(s), Y: vg.Length(len(lines)-i) * sty.Font.Size}), s)
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}

// measurePlainText gives every text style of p that gonum's plain handler draws (those not set
// to scriptText) a measuredText on the same fonts.
func measurePlainText(p *plot.Plot) {
	for _, sty := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		if plain, ok := sty.Handler.(text.Plain); ok {
			sty.Handler = measuredText{facedText{plain}}
		}
	}
}

// subFont is the font of the subscripts of text in fnt.
func subFont(fnt font.Font) font.Font {
	fnt.Size = vg.Length(math.Round(float64(fnt.Size)*subScale*100) / 100)
	return fnt
}

// Box returns the width of txt, the ascent of the font and the depth below the baseline: the
// font's descent or a subscript's, whichever is deeper.
func (h scriptText) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	face, ext := lookupFace(h.Fonts, fnt)
	height, depth = ext.Ascent, ext.Descent
	if plainRun(txt) {
		return textWidth(face, txt), height, depth
	}
	sub, subExt := lookupFace(h.Fonts, subFont(fnt))
	for _, r := range Subscripts(txt) {
		if r.Sub {
			width += textWidth(sub, r.Text)
			depth = max(depth, subExt.Descent+vg.Length(subDrop)*fnt.Size)
		} else {
			width += textWidth(face, r.Text)
		}
	}
	return width, height, depth
}

// Draw draws txt as text.Plain does, run by run.
func (h scriptText) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	face, ext := lookupFace(h.Fonts, sty.Font)
	sub, _ := lookupFace(h.Fonts, subFont(sty.Font))
	width := func(line string) vg.Length { w, _, _ := h.Box(line, sty.Font); return w }
	drawLines(c, txt, sty, pt, ext.Ascent, width, func(at vg.Point, line string) {
		if plainRun(line) {
			if line != "" {
				c.FillString(face, at, line)
			}
			return
		}
		for _, r := range Subscripts(line) {
			if r.Sub {
				c.FillString(sub, at.Add(vg.Point{Y: -vg.Length(subDrop) * sty.Font.Size}), r.Text)
				at.X += textWidth(sub, r.Text)
			} else {
				c.FillString(face, at, r.Text)
				at.X += textWidth(face, r.Text)
			}
		}
	})
}

// widths remembers the widths textWidth measured. Laying out a plot, gonum measures each label
// several times (the axes' sizes, the padding, the legend, the drawing). The width is a function
// of the font's data, its size and the text: the same answer, remembered. Figures may be drawn
// concurrently (sweeps), hence the lock; the map is emptied when it reaches widthsLimit
// entries, which bounds it in a long-lived process.
var widths struct {
	sync.Mutex
	m map[widthKey]vg.Length
}

// widthKey is a face (its font data, a pointer, and its size) and a text.
type widthKey struct {
	data *opentype.Font
	size vg.Length
	text string
}

// widthsLimit is the most widths remembered.
const widthsLimit = 4096

// textWidth is face.Width(s), remembered.
func textWidth(face font.Face, s string) vg.Length {
	k := widthKey{face.Face, face.Font.Size, s}
	widths.Lock()
	w, ok := widths.m[k]
	widths.Unlock()
	if ok {
		return w
	}
	w = measureWidth(face, s)
	widths.Lock()
	if widths.m == nil || len(widths.m) >= widthsLimit {
		widths.m = make(map[widthKey]vg.Length)
	}
	widths.m[k] = w
	widths.Unlock()
	return w
}

// glyphs is the buffer measureWidth reads the fonts' glyphs with: font.Face.Width takes a fresh
// one of kilobytes for each text, fresh memory in mfg, whose figures measure hundreds of texts.
var glyphs struct {
	sync.Mutex
	buf sfnt.Buffer
}

// measureWidth is face.Width(s): the sum of the advances of s's glyphs and of the kerning
// between consecutive ones, in the font's units (unhinted), scaled by size/units-per-em.
func measureWidth(face font.Face, s string) vg.Length {
	f := face.Face
	units := fixed.Int26_6(f.UnitsPerEm())
	scale := face.Font.Size / vg.Length(float64(units))
	glyphs.Lock()
	defer glyphs.Unlock()
	buf := &glyphs.buf
	width, prev, first := 0, sfnt.GlyphIndex(0), true
	for _, r := range s {
		idx, err := f.GlyphIndex(buf, r)
		if err != nil {
			panic(fmt.Errorf("could not get glyph index: %v", err))
		}
		if !first {
			kern, err := f.Kern(buf, prev, idx, units, xfont.HintingNone)
			if err == nil {
				width += int(kern)
			} else if !errors.Is(err, sfnt.ErrNotFound) {
				panic(fmt.Errorf("could not get kerning: %v", err))
			}
		}
		adv, err := f.GlyphAdvance(buf, idx, units, xfont.HintingNone)
		if err != nil {
			panic(fmt.Errorf("could not retrieve glyph's advance: %v", err))
		}
		width += int(adv)
		prev, first = idx, false
	}
	return vg.Length(float64(width)) * scale
}

// faces remembers the faces the handlers looked up last, with their extents. Laying out a figure,
// gonum asks for a font's extents and face with every text it measures (thousands of times for a
// figure of 20 heat maps), and each answer takes a look-up in the font cache's map and a
// reading of the font's metrics; a figure uses a handful of fonts. (The fonts of a cache are
// those gonum adds when the program starts: a face, once looked up, stays the answer.)
var faces struct {
	sync.Mutex
	entries [16]faceEntry
	next    int // the entry to replace next
	hit     int // the entry found last
}

// faceEntry is fonts.Lookup(fnt, fnt.Size) and its extents.
type faceEntry struct {
	fonts *font.Cache
	fnt   font.Font
	face  font.Face
	ext   font.Extents
}

// lookupFace is fonts.Lookup(fnt, fnt.Size) and the face's Extents, remembered.
func lookupFace(fonts *font.Cache, fnt font.Font) (font.Face, font.Extents) {
	faces.Lock()
	for k := range faces.entries {
		// From the entry found last: the same font is asked for many times in a row.
		i := (faces.hit + k) % len(faces.entries)
		if e := &faces.entries[i]; e.fonts == fonts && e.fnt == fnt && fonts != nil {
			face, ext := e.face, e.ext
			faces.hit = i
			faces.Unlock()
			return face, ext
		}
	}
	faces.Unlock()
	face := fonts.Lookup(fnt, fnt.Size)
	ext := face.Extents()
	faces.Lock()
	faces.entries[faces.next] = faceEntry{fonts: fonts, fnt: fnt, face: face, ext: ext}
	faces.next = (faces.next + 1) % len(faces.entries)
	faces.Unlock()
	return face, ext
}
