//go:build !race

package games

// raceBuild is false: the tests compare NaN payloads too.
const raceBuild = false
