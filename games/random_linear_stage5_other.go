//go:build !amd64

package games

import "meanfield/mfg"

// stage5 is false: its kernel is amd64's, and planes.fillPlanes computes every stage.
func stage5(pl *planes, mass []float64, m *mfg.MDP) bool { return false }
