package mfg

import "fmt"

// Size is the number of elements of a shape: the product of its dimensions.
func Size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Shape converts between multi-dimensional coordinates and flat indices (row-major, the last
// coordinate fastest), as MFGLib and NumPy lay out tensors.
type Shape []int

// Index returns the flat index of the coordinates, which must be in range.
func (sh Shape) Index(coords ...int) int {
	if len(coords) != len(sh) {
		panic(fmt.Sprintf("mfg: %d coordinates for a %d-dimensional shape", len(coords), len(sh)))
	}
	i := 0
	for k, c := range coords {
		if c < 0 || c >= sh[k] {
			panic(fmt.Sprintf("mfg: coordinate %d = %d out of range [0, %d)", k, c, sh[k]))
		}
		i = i*sh[k] + c
	}
	return i
}

// Coords writes the coordinates of flat index i into dst (allocated when nil).
func (sh Shape) Coords(i int, dst []int) []int {
	if len(dst) != len(sh) {
		dst = make([]int, len(sh))
	}
	for k := len(sh) - 1; k >= 0; k-- {
		dst[k] = i % sh[k]
		i /= sh[k]
	}
	return dst
}
