//go:build !amd64

package games

// haveLog4 is false: log4 is amd64 assembly, after math.Log's amd64 assembly.
func haveLog4() bool { return false }

// log4 is never called here (exactLog4 is false).
func log4(dst, src []float64) int { panic("games: log4 without amd64") }

// crowdRewards4 is never called here (exactLog4 is false).
func crowdRewards4(near, mass, reward []float64, eps float64) int {
	panic("games: crowdRewards4 without amd64")
}
