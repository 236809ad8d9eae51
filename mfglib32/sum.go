package mfglib32

import "math/bits"

// Sum adds x as torch 1.13's CPU sum does for a contiguous float32 reduction of len(x) elements
// (a whole contiguous tensor, or its last dimension): below 8 elements one cascaded scalar row sum
// (rowSum); from 8 on, AVX2 vectors of 8 lanes summed the same way, then the leftover elements,
// then the 8 lanes, one after the other (aten/src/ATen/native/cpu/SumKernel.cpp). The order of
// the additions decides the last bit, which is all this is for.
func Sum(x []float32) float32 {
	const lanes = 8
	if len(x) < lanes {
		return rowSum(x)
	}
	nvec := len(x) / lanes
	partial := cascade(x, lanes, nvec)
	var acc float32
	for _, v := range x[nvec*lanes:] {
		acc += v
	}
	for _, p := range partial {
		acc += p
	}
	return acc
}

// rowSum is torch's scalar row_sum: the row is read as rows of 4 columns summed column by column
// (cascaded over blocks), the leftover elements go to column 0, then columns 1..3 are added to it.
func rowSum(x []float32) float32 {
	const ilp = 4
	rows := len(x) / ilp
	if rows >= 16 { // multi_row_sum carries between levels only from 16 rows on
		return cascade(x, 1, len(x))[0]
	}
	var p [ilp]float32
	for r := 0; r < rows; r++ {
		for k := range p {
			p[k] += x[r*ilp+k]
		}
	}
	for _, v := range x[rows*ilp:] {
		p[0] += v
	}
	return ((p[0] + p[1]) + p[2]) + p[3]
}

// cascade is torch's row_sum over n "elements" of w lanes each (element i, lane l is x[i*w+l]),
// returning the w lane sums: with an instruction-level-parallelism factor of 4, element i goes to
// accumulator i mod 4 through multi_row_sum's levels, leftovers to accumulator 0, and then
// accumulators 1..3 are added to accumulator 0.
func cascade(x []float32, w, n int) []float32 {
	const ilp = 4
	rows := n / ilp
	acc := multiRowSum(x, w, ilp, rows)
	out := acc[0]
	for i := rows * ilp; i < n; i++ {
		for l := 0; l < w; l++ {
			out[l] += x[i*w+l]
		}
	}
	for k := 1; k < ilp; k++ {
		for l := 0; l < w; l++ {
			out[l] += acc[k][l]
		}
	}
	return out
}

// multiRowSum is torch's multi_row_sum: nrows accumulators (each of w lanes) over size rows,
// summing in chunks of 2^levelPower rows carried up through 4 levels so that only partial sums of
// similar size meet.
func multiRowSum(x []float32, w, nrows, size int) [][]float32 {
	const levels = 4
	levelPower := max(4, ceilLog2(size)/levels)
	step := 1 << levelPower
	mask := step - 1
	acc := make([][][]float32, levels)
	for j := range acc {
		acc[j] = make([][]float32, nrows)
		for k := range acc[j] {
			acc[j][k] = make([]float32, w)
		}
	}
	add := func(dst []float32, i, k int) {
		base := (i*nrows + k) * w
		for l := range dst {
			dst[l] += x[base+l]
		}
	}
	i := 0
	for i+step <= size {
		for j := 0; j < step; j, i = j+1, i+1 {
			for k := 0; k < nrows; k++ {
				add(acc[0][k], i, k)
			}
		}
		for j := 1; j < levels; j++ {
			for k := 0; k < nrows; k++ {
				for l := 0; l < w; l++ {
					acc[j][k][l] += acc[j-1][k][l]
					acc[j-1][k][l] = 0
				}
			}
			if i&(mask<<(j*levelPower)) != 0 {
				break
			}
		}
	}
	for ; i < size; i++ {
		for k := 0; k < nrows; k++ {
			add(acc[0][k], i, k)
		}
	}
	for j := 1; j < levels; j++ {
		for k := 0; k < nrows; k++ {
			for l := 0; l < w; l++ {
				acc[0][k][l] += acc[j][k][l]
			}
		}
	}
	return acc[0]
}

// ceilLog2 is torch's utils::CeilLog2: 1 for x <= 2, else ⌈log2 x⌉.
func ceilLog2(x int) int {
	if x <= 2 {
		return 1
	}
	return bits.Len64(uint64(x - 1))
}
