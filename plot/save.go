package plot

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"meanfield/internal/atomicfile"
)

// PNGDPI is the resolution at which Save and SaveFigure render PNG files.
const PNGDPI = 150

// Drawer is anything that draws itself on a canvas: a *plot.Plot, a *HeatmapFigure, or a
// caller's own composition of plots.
type Drawer interface {
	Draw(c draw.Canvas)
}

var _ Drawer = (*plot.Plot)(nil)

// Save writes p, width×height, to every path, choosing the format from the extension (case
// insensitive): .png (at PNGDPI), .svg or .pdf. See SaveFigure.
func Save(p *plot.Plot, width, height vg.Length, paths ...string) error {
	if p == nil {
		return errors.New("plot: save: nil plot")
	}
	return SaveFigure(p, width, height, paths...)
}

// SaveFigure writes d, width×height, to every path, choosing the format from the extension
// (case insensitive): .png (at PNGDPI dots per inch), .svg or .pdf.
//
// Each file is written atomically: d is rendered into a temporary file in the same directory,
// which is then renamed to path; on failure the temporary file is removed and path is left as it
// was. The directory must exist. The first failure stops the remaining paths and is returned
// as an error that names the path. A panic raised by gonum while drawing (it panics on data it
// cannot draw) is returned as an error too.
func SaveFigure(d Drawer, width, height vg.Length, paths ...string) error {
	if d == nil {
		return errors.New("plot: save: nil figure")
	}
	if !(width > 0 && height > 0) {
		return fmt.Errorf("plot: save: size %v×%v: width and height must be positive", width, height)
	}
	if len(paths) == 0 {
		return errors.New("plot: save: no path given")
	}
	for _, path := range paths {
		if err := saveOne(d, width, height, path); err != nil {
			return fmt.Errorf("plot: save %s: %w", path, err)
		}
	}
	return nil
}

func saveOne(d Drawer, width, height vg.Length, path string) error {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	var render func() (io.WriterTo, error)
	switch ext {
	case "png":
		render = func() (io.WriterTo, error) {
			c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(PNGDPI))
			if err := drawOn(d, c); err != nil {
				return nil, err
			}
			return fastPNG{c.Image()}, nil
		}
	case "svg":
		render = func() (io.WriterTo, error) {
			c := vgsvg.New(width, height)
			if err := drawOn(d, c); err != nil {
				return nil, err
			}
			return c, nil
		}
	case "pdf":
		render = func() (io.WriterTo, error) {
			c := vgpdf.New(width, height)
			if err := drawOn(d, c); err != nil {
				return nil, err
			}
			return c, nil
		}
	default:
		return fmt.Errorf("unknown format %q: the extension must be .png, .svg or .pdf", filepath.Ext(path))
	}
	w, err := render()
	if err != nil {
		return err
	}
	// Encode in memory first so that an encoding failure leaves nothing behind on disk.
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return fmt.Errorf("encoding %s: %w", ext, err)
	}
	return atomicfile.WriteBytes(path, buf.Bytes())
}

// fastPNG encodes an image as PNG with the fastest compression: the same pixels as vgimg's
// PngCanvas (png.Encode at the default level), a somewhat larger file, in a fraction of the time
// a small solve spends on its figures.
type fastPNG struct{ img image.Image }

func (f fastPNG) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(cw, f.img)
	return cw.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// drawOn draws d on c, turning a panic into an error.
func drawOn(d Drawer, c vg.CanvasSizer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing: %v", r)
		}
	}()
	d.Draw(draw.New(c))
	return nil
}
