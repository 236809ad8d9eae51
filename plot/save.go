package plot

import (
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
	var newCanvas func() (vg.CanvasSizer, io.WriterTo)
	switch ext {
	case "svg":
		return saveSVG(d, width, height, path)
	case "png":
		newCanvas = func() (vg.CanvasSizer, io.WriterTo) {
			c := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(PNGDPI))
			return c, fastPNG{c.Image()}
		}
	case "pdf":
		newCanvas = func() (vg.CanvasSizer, io.WriterTo) {
			c := vgpdf.New(width, height)
			return c, c
		}
	default:
		return fmt.Errorf("unknown format %q: the extension must be .png, .svg or .pdf", filepath.Ext(path))
	}
	// Encoded straight into the temporary file, which a drawing or encoding failure removes:
	// nothing is left behind, and the document is not held in memory twice.
	var failed error
	err := atomicfile.Write(path, func(w io.Writer) error {
		c, enc := newCanvas()
		if failed = drawOn(d, c); failed != nil {
			return failed
		}
		if _, err := enc.WriteTo(w); err != nil {
			failed = fmt.Errorf("encoding %s: %w", ext, err)
		}
		return failed
	})
	if failed != nil {
		return failed
	}
	return err
}

// saveSVG writes d as an SVG document (svgCanvas: vgsvg's bytes) streamed into a temporary file,
// which is put in place when all is written, and removed on a failure.
func saveSVG(d Drawer, width, height vg.Length, path string) error {
	f, err := atomicfile.Create(path)
	if err != nil {
		return err
	}
	c := newSVGCanvas(f, width, height)
	err = drawOn(d, c)
	if cerr := c.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write %s: %w", path, cerr)
	}
	if err != nil {
		f.Abort()
		return err
	}
	return f.Commit()
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
