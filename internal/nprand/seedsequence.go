package nprand

// The constants of NumPy's SeedSequence hash (numpy/random/bit_generator.pyx, after Melissa
// O'Neill's seed_seq_fe).
const (
	ssInitA    = 0x43b0d7e5
	ssMultA    = 0x931e8875
	ssInitB    = 0x8b51f9dd
	ssMultB    = 0x58f38ded
	ssMixMultL = 0xca01f9dd
	ssMixMultR = 0x4973f715
	ssXShift   = 16
	ssPoolSize = 4
)

// SeedSequence is NumPy's SeedSequence(entropy) with the default pool of four 32-bit words and
// no spawn key: the entropy's 32-bit words are hashed into the pool, the pool words mixed with
// each other, and any words beyond four mixed into every pool word.
type SeedSequence struct {
	pool [ssPoolSize]uint32
}

// NewSeedSequence is SeedSequence(seed) for a non-negative integer seed: its entropy is the
// seed's 32-bit words, least significant first, at least one word (0 gives [0]).
func NewSeedSequence(seed uint64) *SeedSequence {
	words := []uint32{uint32(seed)}
	if seed>>32 != 0 {
		words = append(words, uint32(seed>>32))
	}
	return NewSeedSequenceWords(words)
}

// NewSeedSequenceWords is SeedSequence(entropy) for entropy given as its 32-bit words, least
// significant first, as NumPy splits an integer.
func NewSeedSequenceWords(entropy []uint32) *SeedSequence {
	s := &SeedSequence{}
	h := uint32(ssInitA)
	// hashmix(v) = v' ⊕ (v' >> 16) with v' = (v ⊕ h)·h_next, the multiplier h advancing by ×MULT_A
	// at every use.
	hashmix := func(v uint32) uint32 {
		v ^= h
		h *= ssMultA
		v *= h
		return v ^ v>>ssXShift
	}
	mix := func(x, y uint32) uint32 {
		r := ssMixMultL*x - ssMixMultR*y
		return r ^ r>>ssXShift
	}
	for i := range s.pool {
		var v uint32 // a pool larger than the entropy hashes zeros
		if i < len(entropy) {
			v = entropy[i]
		}
		s.pool[i] = hashmix(v)
	}
	for src := range s.pool {
		for dst := range s.pool {
			if src != dst {
				s.pool[dst] = mix(s.pool[dst], hashmix(s.pool[src]))
			}
		}
	}
	for src := ssPoolSize; src < len(entropy); src++ {
		for dst := range s.pool {
			s.pool[dst] = mix(s.pool[dst], hashmix(entropy[src]))
		}
	}
	return s
}

// GenerateState returns n words: word i is the pool word i mod 4, w = (w ⊕ h)·h_next,
// w ⊕ (w >> 16), the multiplier h starting at INIT_B and advancing by ×MULT_B at every word.
func (s *SeedSequence) GenerateState(n int) []uint32 {
	out := make([]uint32, n)
	h := uint32(ssInitB)
	for i := range out {
		v := s.pool[i%ssPoolSize] ^ h
		h *= ssMultB
		v *= h
		out[i] = v ^ v>>ssXShift
	}
	return out
}

// GenerateState64 is generate_state(n, np.uint64): 2n 32-bit words paired little-endian, the
// first of each pair the low half.
func (s *SeedSequence) GenerateState64(n int) []uint64 {
	w := s.GenerateState(2 * n)
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(w[2*i]) | uint64(w[2*i+1])<<32
	}
	return out
}
