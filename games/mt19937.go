package games

// mt19937 is the 32-bit Mersenne Twister (Matsumoto and Nishimura 1998), the generator behind
// torch's CPU random numbers, with the standard init_genrand seeding. The games that MFGLib
// builds from torch.manual_seed (random linear, crowd motion) use it to reproduce MFGLib's
// instances exactly.
type mt19937 struct {
	state [624]uint32
	i     int
}

func newMT19937(seed uint32) *mt19937 {
	m := &mt19937{i: 624}
	m.state[0] = seed
	for j := 1; j < 624; j++ {
		prev := m.state[j-1]
		m.state[j] = 1812433253*(prev^(prev>>30)) + uint32(j)
	}
	return m
}

func (m *mt19937) next() uint32 {
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
