// Package seeds derives independent random streams from one master seed.
//
// Every random stream in meanfield comes from New(master, ids...): the ids name the stream (an
// outer iteration, a sample path, a purpose), and the stream's PCG state is a hash of the master
// seed and the ids. Streams therefore do not depend on the order in which goroutines ask for
// them, which is what makes results bit-identical whatever the number of workers.
package seeds

import "math/rand/v2"

// Purposes used as the first id of a stream, so that streams for different jobs never coincide.
const (
	QLearning uint64 = iota + 1
	PopulationSampling
	Exploration
	Evaluation
	Training
	Swarm
)

// New returns a *rand.Rand whose stream is determined by master and ids alone.
func New(master uint64, ids ...uint64) *rand.Rand {
	a, b := Derive(master, ids...)
	return rand.New(rand.NewPCG(a, b))
}

// Derive returns the two 64-bit PCG seed words for (master, ids...).
func Derive(master uint64, ids ...uint64) (uint64, uint64) {
	h := mix(master ^ 0x9e3779b97f4a7c15)
	for _, id := range ids {
		h = mix(h ^ mix(id+0x632be59bd9b4e019))
	}
	return h, mix(h ^ 0xd1b54a32d192ed03)
}

// mix is the splitmix64 finaliser: a bijection on uint64 with good avalanche.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Sub returns a master seed for a sub-task, derived from master and ids, for APIs that take a
// single seed.
func Sub(master uint64, ids ...uint64) uint64 {
	a, _ := Derive(master, ids...)
	return a
}
