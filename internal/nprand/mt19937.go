// Package nprand reproduces the random streams of other libraries bit for bit, so that their
// randomly drawn instances and initialisations can be rebuilt here: the 32-bit Mersenne Twister
// behind torch's CPU generator, C++'s std::mt19937 and NumPy's legacy np.random functions; and
// NumPy's default_rng (SeedSequence, PCG64 and the Generator's samplers, generator.go).
package nprand

// MT19937 is the 32-bit Mersenne Twister (Matsumoto and Nishimura 1998) with the standard
// init_genrand seeding: torch.manual_seed's generator, C++'s std::mt19937(seed), and the
// generator of NumPy's legacy np.random.seed(seed) for seeds below 2³².
type MT19937 struct {
	state [624]uint32
	i     int
}

// NewMT19937 returns the generator seeded by init_genrand(seed).
func NewMT19937(seed uint32) *MT19937 {
	m := &MT19937{i: 624}
	m.state[0] = seed
	for j := 1; j < 624; j++ {
		prev := m.state[j-1]
		m.state[j] = 1812433253*(prev^(prev>>30)) + uint32(j)
	}
	return m
}

// Uint32 returns the next 32-bit output.
func (m *MT19937) Uint32() uint32 {
	const n, k = 624, 397
	if m.i >= n {
		for j := 0; j < n; j++ {
			y := m.state[j]&0x80000000 | m.state[(j+1)%n]&0x7fffffff
			v := m.state[(j+k)%n] ^ y>>1
			if y&1 != 0 {
				v ^= 0x9908b0df
			}
			m.state[j] = v
		}
		m.i = 0
	}
	y := m.state[m.i]
	m.i++
	y ^= y >> 11
	y ^= y << 7 & 0x9d2c5680
	y ^= y << 15 & 0xefc60000
	y ^= y >> 18
	return y
}

// Float64 is the 53-bit double in [0, 1) of two outputs a, b: (a>>5 · 2²⁶ + b>>6) / 2⁵³, as
// NumPy's legacy random_sample and genrand_res53 compute it.
func (m *MT19937) Float64() float64 {
	a, b := m.Uint32()>>5, m.Uint32()>>6
	return (float64(float64(a)*67108864) + float64(b)) / 9007199254740992
}

// Uniform is NumPy's legacy np.random.uniform(lo, hi): lo + (hi - lo)·Float64().
func (m *MT19937) Uniform(lo, hi float64) float64 { return lo + (hi-lo)*m.Float64() }
