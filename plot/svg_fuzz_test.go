package plot

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// fuzzOps reads a drawing from fuzzing bytes: each byte chooses an operation or a value, floats
// from a table of the numbers whose text is delicate at %.5g and %g (ties, the switch to
// exponents, -0, NaN, infinities, extremes) or from raw bits.
type fuzzOps struct{ data []byte }

func (r *fuzzOps) byte() byte {
	if len(r.data) == 0 {
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return b
}

// fuzzFloats are numbers whose %.5g or %g text is delicate.
var fuzzFloats = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 1.00005, 1.000049999, 1.000050001, 99999.5, 99999.49999,
	999995, 0.0001, 0.000099999, 0.00009999951, 1e-5, 1e21, 1e20, 123456789, 1e-7, 2.5e-5, 1.5, 12345.5, 12344.5,
	math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, 2.2250738585072014e-308,
	math.Pi, 2 * math.Pi, -2 * math.Pi, 4 * math.Pi, 7.5, 1e6, 1e-4 / 3, 65534.0 / 65535}

func (r *fuzzOps) float() float64 {
	b := r.byte()
	if int(b) < len(fuzzFloats) {
		return fuzzFloats[b]
	}
	if b < 200 {
		return (float64(b) - 100) * 0.37
	}
	var raw [8]byte
	for i := range raw {
		raw[i] = r.byte()
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(raw[:]))
}

func (r *fuzzOps) point() vg.Point { return vg.Point{X: vg.Length(r.float()), Y: vg.Length(r.float())} }

// invalidAlpha is a colour whose alpha is past color.Color's 0xffff (a contract broken: a
// colour written by hand).
type invalidAlpha struct{ a uint32 }

func (c invalidAlpha) RGBA() (r, g, b, a uint32) { return 0x8000, 0x4000, 0x2000, c.a }

func (r *fuzzOps) color() color.Color {
	v := [4]uint8{r.byte(), r.byte(), r.byte(), r.byte()}
	switch r.byte() % 9 {
	case 0:
		return nil
	case 1:
		return color.Black
	case 2:
		return color.RGBA{v[0], v[1], v[2], v[3]} // premultiplied or not
	case 3:
		return color.NRGBA{v[0], v[1], v[2], v[3]}
	case 4:
		return color.Gray16{Y: uint16(v[0])<<8 | uint16(v[1])}
	case 5:
		return color.Alpha16{A: uint16(v[0])<<8 | uint16(v[1])}
	case 6:
		return color.NRGBA64{R: uint16(v[0]) << 8, G: 0xffff, B: uint16(v[1]), A: uint16(v[2])<<8 | uint16(v[3])}
	case 7:
		return invalidAlpha{0xffff + uint32(v[0])}
	}
	return color.RGBA{v[0], v[1], v[2], 255}
}

func (r *fuzzOps) path() vg.Path {
	var p vg.Path
	for range r.byte() % 8 {
		switch r.byte() % 6 {
		case 0:
			p.Move(r.point())
		case 1:
			p.Line(r.point())
		case 2:
			p.Arc(r.point(), vg.Length(r.float()), r.float(), r.float())
		case 3:
			p.QuadTo(r.point(), r.point())
		case 4:
			p.CubeTo(r.point(), r.point(), r.point())
		default:
			p.Close()
		}
	}
	return p
}

// fuzzFace is a face of gonum's cache described as font f says: the canvas writes the
// description's variant, weight, style and size and the face's family.
func (r *fuzzOps) face() font.Face {
	variants := []font.Variant{"Sans", "Serif", "Mono", "SmallCaps", "", "Display", "MONOSPACE"}
	fnt := font.Font{Typeface: "Liberation", Variant: variants[int(r.byte())%3]}
	face := font.DefaultCache.Lookup(fnt, 10)
	face.Font.Variant = variants[int(r.byte())%len(variants)]
	face.Font.Weight = xfont.Weight(int(r.byte())%9 - 3)
	face.Font.Style = xfont.Style(r.byte() % 3)
	face.Font.Size = vg.Length(r.float())
	return face
}

func (r *fuzzOps) text() string {
	n := int(r.byte() % 12)
	n = min(n, len(r.data))
	s := string(r.data[:n])
	r.data = r.data[n:]
	return s
}

// op is the next operation: a function of the canvas and the depth of pushed contexts.
func (r *fuzzOps) op() func(c draw.Canvas, depth *int) {
	switch r.byte() % 12 {
	case 0:
		clr := r.color()
		return func(c draw.Canvas, _ *int) { c.SetColor(clr) }
	case 1:
		w := vg.Length(r.float())
		return func(c draw.Canvas, _ *int) { c.SetLineWidth(w) }
	case 2:
		dashes := make([]vg.Length, r.byte()%4)
		for i := range dashes {
			dashes[i] = vg.Length(r.float())
		}
		off := vg.Length(r.float())
		return func(c draw.Canvas, _ *int) { c.SetLineDash(dashes, off) }
	case 3:
		p := r.path()
		return func(c draw.Canvas, _ *int) { c.Fill(p) }
	case 4:
		p := r.path()
		return func(c draw.Canvas, _ *int) { c.Stroke(p) }
	case 5:
		return func(c draw.Canvas, depth *int) { c.Push(); *depth++ }
	case 6:
		return func(c draw.Canvas, depth *int) {
			if *depth > 0 {
				c.Pop()
				*depth--
			}
		}
	case 7:
		rot := r.float()
		return func(c draw.Canvas, _ *int) { c.Rotate(rot) }
	case 8:
		pt := r.point()
		return func(c draw.Canvas, _ *int) { c.Translate(pt) }
	case 9:
		x, y := r.float(), r.float()
		return func(c draw.Canvas, _ *int) { c.Scale(x, y) }
	case 10:
		face, pt, s := r.face(), r.point(), r.text()
		return func(c draw.Canvas, _ *int) { c.FillString(face, pt, s) }
	}
	img := image.NewGray(image.Rect(0, 0, 1+int(r.byte()%3), 1+int(r.byte()%3)))
	for i := range img.Pix {
		img.Pix[i] = r.byte()
	}
	rect := vg.Rectangle{Min: r.point(), Max: r.point()}
	return func(c draw.Canvas, _ *int) { c.DrawImage(rect, img) }
}

// Any drawing, of any numbers, colours (valid or not), fonts' descriptions and texts, comes out
// of the svgCanvas as vgsvg writes it. The seeds are drawings of the delicate numbers.
func FuzzSVGCanvasAsVGSVG(f *testing.F) {
	for k := range len(fuzzFloats) {
		b := byte(k)
		f.Add([]byte{4, 3, 1, b, b, 1, b, b, 2, b, b, b, b, 0, 0, 0, 0, 0, 7, 1, b, 3, 2, 2, 3, 3, 4, 5, b})
		f.Add([]byte{10, 0, 0, 0, 0, 0, b, b, b, 5, 'a', '<', '&', 0xff, '_', 7, b, 8, b, b, 9, b, b, 6, 11, 1, 1, 7, b, b, b, b})
		f.Add([]byte{0, 9, 9, 9, b, 7, 3, 2, 0, 0, b, 1, 1, b, b, 0, 3, 2, 5, b, 11, 11, 11, 11, 8})
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &fuzzOps{data: data}
		var ops []func(c draw.Canvas, depth *int)
		for len(r.data) > 0 && len(ops) < 64 {
			ops = append(ops, r.op())
		}
		d := drawerFunc(func(c draw.Canvas) {
			depth := 0
			for _, op := range ops {
				op(c, &depth)
			}
		})
		sameSVG(t, "fuzz", d, 200, 150)
	})
}

// Arcs of every angle, past full turns and short of them, both ways, from starts and centres
// whose sums and products round (what a fused multiply-add, GOAMD64=v3, would change), come out
// of the svgCanvas as vgsvg writes them.
func TestSVGCanvasArcsAsVGSVG(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	var path vg.Path
	for range 3000 {
		ctr := vg.Point{X: vg.Length(rng.NormFloat64() * 100), Y: vg.Length(rng.NormFloat64() * 100)}
		path.Arc(ctr, vg.Length(rng.Float64()*50), rng.NormFloat64()*5, rng.NormFloat64()*12)
	}
	d := drawerFunc(func(c draw.Canvas) {
		c.SetLineWidth(1.5)
		c.Stroke(path)
		c.Fill(path)
	})
	sameSVG(t, "arcs", d, 300, 300)
}
