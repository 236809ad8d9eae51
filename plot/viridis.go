package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/palette"
)

// viridisAnchors are the colours of matplotlib's viridis at 0, 0.1, ..., 1.
var viridisAnchors = [...]color.RGBA{
	{0x44, 0x01, 0x54, 0xFF}, {0x48, 0x24, 0x75, 0xFF}, {0x41, 0x44, 0x87, 0xFF},
	{0x35, 0x5F, 0x8D, 0xFF}, {0x2A, 0x78, 0x8E, 0xFF}, {0x21, 0x91, 0x8C, 0xFF},
	{0x22, 0xA8, 0x84, 0xFF}, {0x44, 0xBF, 0x70, 0xFF}, {0x7A, 0xD1, 0x51, 0xFF},
	{0xBD, 0xDF, 0x26, 0xFF}, {0xFD, 0xE7, 0x25, 0xFF},
}

// Viridis returns a viridis-like palette.ColorMap (perceptually ordered dark purple, blue, green,
// yellow; readable in grey scale and by most colour-blind readers), interpolated linearly between
// eleven samples of matplotlib's viridis. Its range is [0, 1] until changed with SetMin/SetMax.
func Viridis() palette.ColorMap { return &viridis{min: 0, max: 1, alpha: 1} }

type viridis struct{ min, max, alpha float64 }

func (v *viridis) At(x float64) (color.Color, error) {
	if !(v.min < v.max) {
		return nil, fmt.Errorf("viridis: empty range [%v, %v]", v.min, v.max)
	}
	if !(v.min <= x && x <= v.max) {
		return nil, fmt.Errorf("viridis: %v outside [%v, %v]", x, v.min, v.max)
	}
	t := (x - v.min) / (v.max - v.min) * float64(len(viridisAnchors)-1)
	i := min(int(t), len(viridisAnchors)-2)
	f := t - float64(i)
	a, b := viridisAnchors[i], viridisAnchors[i+1]
	mix := func(p, q uint8) uint8 {
		return uint8(math.Round(((1-f)*float64(p) + f*float64(q)) * v.alpha))
	}
	return color.RGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: uint8(math.Round(255 * v.alpha))}, nil
}

func (v *viridis) Max() float64     { return v.max }
func (v *viridis) SetMax(x float64) { v.max = x }
func (v *viridis) Min() float64     { return v.min }
func (v *viridis) SetMin(x float64) { v.min = x }
func (v *viridis) Alpha() float64   { return v.alpha }

func (v *viridis) SetAlpha(a float64) {
	if !(0 <= a && a <= 1) {
		panic(fmt.Sprintf("viridis: alpha %v outside [0, 1]", a))
	}
	v.alpha = a
}

// Palette returns n colours evenly spaced over the map, from its minimum to its maximum.
func (v *viridis) Palette(n int) palette.Palette {
	u := viridis{min: 0, max: 1, alpha: v.alpha}
	cs := make(viridisPalette, n)
	for i := range cs {
		x := 0.0
		if n > 1 {
			x = float64(i) / float64(n-1)
		}
		cs[i], _ = u.At(x)
	}
	return cs
}

type viridisPalette []color.Color

func (p viridisPalette) Colors() []color.Color { return p }
