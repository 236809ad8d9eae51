package finite

import (
	"encoding/binary"
	"math"
	"sync"

	"meanfield/mfg"
)

// Rows whose patterns are one pattern shifted (Offset[k] = base.Offset[k] + d, the same
// probabilities, bit for bit) have the sums of one function of the state shifted: with
//
//	W(u) = (Σ_k base.Prob[k]·v[2(u+base.Offset[k])], Σ_k base.Prob[k]·v[2(u+base.Offset[k])+1]),
//
// each sum from +0 in the order of k, the sums of row (s, a) of such a pattern are W(s + d): the
// same products added in the same order. On a grid whose moves are a displacement then a noise
// step (crowd motion's), every action's rows away from the edges are the noise's pattern shifted
// by the action's displacement. expectBoth then computes W once at each cell those rows read
// (bothJobsAVX with zero rewards, W's pairs as the rows of a table of two actions: a sum from +0 is
// never -0, so W + 0 is W), and each row as W(s + d) + r(s, a), one term of weight 1 (1·x is x,
// +0 + x is x for x not -0).

// shiftJobs are the jobs of expectBoth through W (see above) on a stencil: nil when no class of
// shifted patterns serves two rows or more a cell.
type shiftJobs struct {
	// cells write W at the cells the class's rows read, from v; rows write those rows from W.
	cells, rows []bothJob
	// blocks[i] and strides[i] report that st.Blocks[i] and st.Strides[i] are among rows.
	blocks, strides []bool
	// base is the class's pattern; unit[p] the one term {d, 1} by which pattern p reads W.
	base  terms
	unit  []terms
	zeros []float64 // the rewards of cells: 2·States zeros
}

// wPool recycles the memory of W.
var wPool = sync.Pool{New: func() any { return new([]float64) }}

// shifted makes p's shift jobs from the class of patterns of most rows among st's blocks and
// strides, when it pays; it leaves p's other jobs to p.bothJobs.
func (p *stencilPlan) shifted(st *mfg.Stencil) {
	class, base := p.largestClass(st)
	if base < 0 {
		return
	}
	S, A := p.states, p.actions
	sh := &shiftJobs{base: p.patterns[base], unit: make([]terms, len(p.patterns)), zeros: make([]float64, 2*S),
		blocks: make([]bool, len(st.Blocks)), strides: make([]bool, len(st.Strides))}
	for i, c := range class {
		if c == class[base] {
			d := p.patterns[i].off[0] - sh.base.off[0]
			sh.unit[i] = terms{off: []int{d}, prob: []float64{1}, lo: d, hi: d}
		}
	}
	need := make([]bool, S)
	for i, b := range st.Blocks {
		if t := pick(sh.unit, b.Pattern); t != nil {
			if job, ok := blockJob(t, b, S, A, S*A); ok {
				sh.rows, sh.blocks[i] = append(sh.rows, job), true
				for q := range b.Rows {
					for c := range b.Len {
						need[b.Start+q*b.Step+c+t.lo] = true // in range: blockJob checked it
					}
				}
			}
		}
	}
	for i, sd := range st.Strides {
		if t := pick(sh.unit, sd.Pattern); t != nil {
			if job, ok := strideJob(t, sd, S, A, S*A); ok {
				sh.rows, sh.strides[i] = append(sh.rows, job), true
				for c := range sd.Count {
					need[sd.Start+c*sd.Step+t.lo] = true
				}
			}
		}
	}
	cells := 0
	for u := 0; u < S; {
		start := u
		for u < S && need[u] {
			u++
		}
		if u > start {
			job, ok := blockJob(&sh.base, mfg.StencilBlock{Start: start, Len: u - start, Step: u - start, Rows: 1}, S, 2, 2*S)
			if !ok {
				return
			}
			sh.cells, cells = append(sh.cells, job), cells+u-start
		}
		for u < S && !need[u] {
			u++
		}
	}
	if len(sh.rows) > 0 && 2*cells <= rowsOf(sh.rows) {
		p.shift = sh
	}
}

// rowsOf is the number of rows of jobs.
func rowsOf(jobs []bothJob) int {
	n := 0
	for _, j := range jobs {
		n += j.count * max(j.rows, 1)
	}
	return n
}

// largestClass returns the class of each of p's patterns (shifted alike: the same probabilities
// and differences of offsets; -1 for none) and the first pattern of the class of most rows in st's
// blocks and strides (-1 for none).
func (p *stencilPlan) largestClass(st *mfg.Stencil) (class []int, base int) {
	class = make([]int, len(p.patterns))
	index := map[string]int{}
	var key []byte
	for i, t := range p.patterns {
		class[i] = -1
		if t.off == nil {
			continue
		}
		key = key[:0]
		for k, w := range t.prob {
			key = binary.LittleEndian.AppendUint64(key, uint64(t.off[k]-t.off[0]))
			key = binary.LittleEndian.AppendUint64(key, math.Float64bits(w))
		}
		c, ok := index[string(key)]
		if !ok {
			c = len(index)
			index[string(key)] = c
		}
		class[i] = c
	}
	rows := make([]int, len(index))
	for _, b := range st.Blocks {
		if pick(p.patterns, b.Pattern) != nil {
			rows[class[b.Pattern]] += max(b.Len, 0) * max(b.Rows, 0)
		}
	}
	for _, sd := range st.Strides {
		if pick(p.patterns, sd.Pattern) != nil {
			rows[class[sd.Pattern]] += max(sd.Count, 0)
		}
	}
	best := -1
	for c, n := range rows {
		if best < 0 || n > rows[best] {
			best = c
		}
	}
	for i, c := range class {
		if best >= 0 && c == best {
			return class, i
		}
	}
	return class, -1
}

// viaW runs p's shift jobs for k (v and k's tables of p's sizes), W in memory of wPool.
func (p *stencilPlan) viaW(k *bothKernel) {
	sh, S := p.shift, p.states
	buf := wPool.Get().(*[]float64)
	defer wPool.Put(buf)
	if cap(*buf) < 2*S {
		*buf = make([]float64, 2*S)
	}
	w := (*buf)[:2*S]
	bothJobsAVX(&k.v[0], &sh.zeros[0], &w[0], &w[1], &sh.cells[0], len(sh.cells))
	bothJobsAVX(&w[0], &k.reward[0], &k.dst0[0], &k.dst1[0], &sh.rows[0], len(sh.rows))
}
