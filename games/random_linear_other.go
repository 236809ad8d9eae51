//go:build !amd64

package games

// planeSums is affinePlanesGo: the AVX kernel is amd64's.
func planeSums(z, coef, x []float64, k int) { affinePlanesGo(z, coef, x, k) }

// shiftPlanes is shiftPlanesGo.
func shiftPlanes(z, best []float64, n int) { shiftPlanesGo(z, best, n) }

// dividePlanes is dividePlanesGo.
func dividePlanes(p, z, sum []float64, n int) { dividePlanesGo(p, z, sum, n) }

// fillLanes is fillLanesGo.
func fillLanes(x, mass []float64, action []int, n int) { fillLanesGo(x, mass, action, n) }
