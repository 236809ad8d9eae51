//go:build race

package algorithms

// raceBuild: the race detector's build picks another operand order for the Go loop's additions
// (which of two NaNs a sum keeps), so the tests compare NaNs without their payloads.
const raceBuild = true
