//go:build !race

package algorithms

// raceBuild: the ordinary build, whose NaN payloads the tests compare.
const raceBuild = false
