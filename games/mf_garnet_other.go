//go:build !amd64

package games

// matVecGroups is matVecGroupsGo: the AVX kernel is amd64's.
func matVecGroups(c []float32, mu, out []float64) { matVecGroupsGo(c, mu, out) }

// garnetAVX is false: no assembly here.
const garnetAVX = false

// hasAVXForGarnet is false off amd64.
func hasAVXForGarnet() bool { return false }
