package seeds

import "testing"

// The same (master, ids) always gives the same stream; changing any id or the master changes it.
func TestStreamsAreDeterministicAndDistinct(t *testing.T) {
	first := func(master uint64, ids ...uint64) [4]uint64 {
		r := New(master, ids...)
		return [4]uint64{r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()}
	}
	if a, b := first(7, 1, 2), first(7, 1, 2); a != b {
		t.Fatal("same seed and ids gave different streams")
	}
	seen := map[[4]uint64]string{}
	for _, c := range []struct {
		name   string
		master uint64
		ids    []uint64
	}{
		{"master 7", 7, nil}, {"master 8", 8, nil}, {"7/1", 7, []uint64{1}}, {"7/2", 7, []uint64{2}},
		{"7/1/2", 7, []uint64{1, 2}}, {"7/2/1", 7, []uint64{2, 1}}, {"7/0", 7, []uint64{0}}, {"7/0/0", 7, []uint64{0, 0}},
	} {
		v := first(c.master, c.ids...)
		if prev, ok := seen[v]; ok {
			t.Errorf("streams %s and %s coincide", prev, c.name)
		}
		seen[v] = c.name
	}
}

// Streams for consecutive ids are uncorrelated enough that their first draws look uniform.
func TestConsecutiveIdsSpreadUniformly(t *testing.T) {
	const n = 20000
	var buckets [10]int
	for id := uint64(0); id < n; id++ {
		buckets[New(1, QLearning, id).IntN(10)]++
	}
	for b, c := range buckets {
		// Binomial(n, 0.1): sd = sqrt(n·0.09) ≈ 42; allow 5 sd.
		if c < n/10-212 || c > n/10+212 {
			t.Errorf("bucket %d has %d of %d first draws, want %d ± 212", b, c, n, n/10)
		}
	}
}
