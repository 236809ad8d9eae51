package games

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"meanfield/internal/nprand"
	"meanfield/mfg"
)

// mfGarnetRef is testdata/mf_garnet_ref.json, written by testdata/mf_garnet_ref.py with NumPy
// 1.24.2: Bench-MFG's generation and float64 kernel re-implemented on NumPy's own generator.
type mfGarnetRef struct {
	Cases []struct {
		Name                    string
		States, Actions, Noises int
		Branching               int
		Seed                    int64
		GameType                string `json:"game_type"`
		Dynamics, Reward        string
		Coef                    []float64
		Support                 []int64
		Weights, P0, R0, M, C   []float64
		CSHA256                 string `json:"C_sha256"`
		At                      []struct {
			Mu, Probs, Reward []float64
			Next              []int
		}
	}
}

func loadMFGarnetRef(t *testing.T) mfGarnetRef {
	t.Helper()
	data, err := os.ReadFile("testdata/mf_garnet_ref.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref mfGarnetRef
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in the reference")
	}
	return ref
}

// sameBits reports whether two float64 slices are equal bit for bit, and the first index that
// differs.
func sameBits(a, b []float64) (bool, int) {
	if len(a) != len(b) {
		return false, -1
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false, i
		}
	}
	return true, 0
}

// TestMFGarnetInstanceAgainstNumPy compares each drawn instance with NumPy's, bit for bit: the
// coefficients cp, ρp, cr, ρr, the dense P0 (with its last-weight-wins repeats), C (in full for
// the small cases, by the SHA-256 of its float32 bytes for the larger one), R0 and M.
func TestMFGarnetInstanceAgainstNumPy(t *testing.T) {
	for _, c := range loadMFGarnetRef(t).Cases {
		g := mfGarnetCase(t, c.States, c.Actions, c.Branching, c.Noises, c.Seed, c.GameType, c.Dynamics, c.Reward)
		for _, x := range []struct {
			what      string
			got, want []float64
		}{{"cp, ρp, cr, ρr", []float64{g.cp, g.rhoP, g.cr, g.rhoR}, c.Coef}, {"P0", g.p0, c.P0}, {"R0", g.r0, c.R0}, {"M", g.m, c.M}} {
			if ok, i := sameBits(x.got, x.want); !ok {
				t.Errorf("%s: %s differs from NumPy's at %d", c.Name, x.what, i)
			}
		}
		checkSupportDraws(t, c.Name, c.Seed, c.States, c.Actions, c.Branching, c.Support, c.Weights)
		h := sha256.New()
		var buf [4]byte
		for i := range g.c {
			v := g.c[interleavedIndex(i, c.States)]
			binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
			h.Write(buf[:])
			if c.C != nil && float64(v) != c.C[i] {
				t.Fatalf("%s: C[%d] = %v, NumPy %v", c.Name, i, v, c.C[i])
			}
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != c.CSHA256 {
			t.Errorf("%s: SHA-256 of C %s, NumPy %s", c.Name, got, c.CSHA256)
		}
	}
}

// interleavedIndex is where interleaveRows puts C's entry i = ((s·A + a)·S + y)·S + z.
func interleavedIndex(i, S int) int {
	base, y, z := i/(S*S)*(S*S), i/S%S, i%S
	if y >= S&^3 {
		return i
	}
	return base + (y&^3)*S + 4*z + y&3
}

// checkSupportDraws replays the stream's successor and weight draws (after the four
// coefficients) and compares them with NumPy's, before P0 merges repeated successors.
func checkSupportDraws(t *testing.T, name string, seed int64, S, A, b int, support []int64, weights []float64) {
	t.Helper()
	rng := nprand.DefaultRNG(uint64(seed))
	for range 4 {
		rng.Uniform(0, 1)
	}
	ys, ws := make([]int64, b), make([]float64, b)
	for i := 0; i < S*A; i++ {
		if err := rng.Integers(0, int64(S), ys); err != nil {
			t.Fatal(err)
		}
		rng.DirichletOnes(ws)
		for j := range b {
			if ys[j] != support[i*b+j] || ws[j] != weights[i*b+j] {
				t.Fatalf("%s: pair %d draw %d: successor %d weight %v, NumPy %d %v", name, i, j, ys[j], ws[j], support[i*b+j], weights[i*b+j])
			}
		}
	}
}

func mfGarnetCase(t *testing.T, S, A, b, N int, seed int64, gameType, dynamics, reward string) *MFGarnet {
	t.Helper()
	p := DefaultMFGarnetParams()
	p.States, p.Actions, p.Branching, p.Noises, p.Seed = S, A, b, N, seed
	p.GameType, p.Dynamics, p.Reward = gameType, dynamics, reward
	g, err := NewMFGarnet(p)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestMFGarnetKernelAgainstNumPy compares, at the uniform μ and a random one, the kernel before
// quantisation and the rewards with Bench-MFG's float64 model run by NumPy, bit for bit; and the
// MDP's rows with the atoms' next states NumPy's searchsorted gives: P(y|s, a) is the number of
// atoms sent to y over N.
func TestMFGarnetKernelAgainstNumPy(t *testing.T) {
	for _, c := range loadMFGarnetRef(t).Cases {
		g := mfGarnetCase(t, c.States, c.Actions, c.Branching, c.Noises, c.Seed, c.GameType, c.Dynamics, c.Reward)
		S, A, N := c.States, c.Actions, c.Noises
		for k, at := range c.At {
			mu := append([]float64(nil), at.Mu...)
			g.normalise(mu)
			probs := make([]float64, S)
			for i := 0; i < S*A; i++ {
				g.transition(i/A, i%A, mu, probs)
				if ok, y := sameBits(probs, at.Probs[i*S:(i+1)*S]); !ok {
					t.Fatalf("%s μ %d: p(·|s=%d, a=%d) differs from NumPy's at y = %d: %v, NumPy %v", c.Name, k, i/A, i%A, y, probs[y], at.Probs[i*S+y])
				}
			}
			m, err := g.MDP(popOnStatesOf(at.Mu, A))
			if err != nil {
				t.Fatal(err)
			}
			if ok, i := sameBits(m.Reward, at.Reward); !ok {
				t.Errorf("%s μ %d: reward %d = %v, NumPy %v", c.Name, k, i, m.Reward[i], at.Reward[i])
			}
			for i := 0; i < S*A; i++ {
				want := make([]float64, S)
				for _, y := range at.Next[i*N : (i+1)*N] {
					want[y] += 1 / float64(N)
				}
				ns, ps := m.Successors(i/A, i%A)
				got := make([]float64, S)
				for j, y := range ns {
					got[y] += ps[j]
				}
				if ok, y := sameBits(got, want); !ok {
					t.Errorf("%s μ %d: P(%d|s=%d, a=%d) = %v, NumPy's atoms give %v", c.Name, k, y, i/A, i%A, got[y], want[y])
				}
			}
		}
	}
}

// popOnStatesOf is the population with state marginal mu, all on action 0.
func popOnStatesOf(mu []float64, actions int) mfg.Population {
	L := mfg.NewPopulation(len(mu), actions)
	for s, m := range mu {
		L.Mass[s*actions] = m
	}
	return L
}

// TestMFGarnetStructure checks, on the default-sized instance of two seeds and both game types:
// rows of the MDP are distributions on multiples of 1/N with at most N successors, P0's rows
// hold at most b states and sum to at most 1, M is symmetric (potential) or antisymmetric
// (cyclic), and the coefficients lie in [0, 1).
func TestMFGarnetStructure(t *testing.T) {
	S, A := 30, 4
	if testing.Short() {
		S = 12
	}
	for _, gt := range []string{"potential", "cyclic"} {
		for _, seed := range []int64{0, 1} {
			g := mfGarnetCase(t, S, A, 6, 64, seed, gt, "additive", "additive")
			for _, c := range []float64{g.cp, g.rhoP, g.cr, g.rhoR} {
				if !(c >= 0 && c < 1) {
					t.Errorf("%s seed %d: coefficient %v outside [0, 1)", gt, seed, c)
				}
			}
			checkP0Rows(t, g)
			for s := 0; s < S; s++ {
				for y := 0; y < S; y++ {
					a, b := g.m[s*S+y], g.m[y*S+s]
					if (gt == "potential" && a != b) || (gt == "cyclic" && a != -b) {
						t.Fatalf("%s seed %d: M[%d,%d] = %v, M[%d,%d] = %v", gt, seed, s, y, a, y, s, b)
					}
				}
			}
			m, err := g.MDP(g.InitialPopulation())
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < S*A; i++ {
				ns, ps := m.Successors(i/A, i%A)
				sum := 0.0
				for _, p := range ps {
					sum += p
					if k := p * 64; k != math.Round(k) || k < 1 {
						t.Errorf("%s seed %d: probability %v is not a positive multiple of 1/64", gt, seed, p)
					}
				}
				if len(ns) > 64 || math.Abs(sum-1) > 1e-12 {
					t.Errorf("%s seed %d: row (%d, %d) has %d successors summing to %v", gt, seed, i/A, i%A, len(ns), sum)
				}
			}
		}
	}
}

func checkP0Rows(t *testing.T, g *MFGarnet) {
	S := g.params.States
	for i := 0; i < S*g.params.Actions; i++ {
		nz, sum := 0, 0.0
		for _, v := range g.p0[i*S : (i+1)*S] {
			if v != 0 {
				nz++
			}
			sum += v
		}
		if nz < 1 || nz > g.params.Branching || sum > 1+1e-12 {
			t.Errorf("P0 row %d: %d successors summing to %v", i, nz, sum)
		}
	}
}

// TestMFGarnetRefusesTooLarge checks that S³A above the bound is refused, naming both sizes.
func TestMFGarnetRefusesTooLarge(t *testing.T) {
	p := DefaultMFGarnetParams()
	p.States, p.Actions = 400, 7
	err := p.Validate()
	if err == nil || !strings.Contains(err.Error(), "states = 400") || !strings.Contains(err.Error(), "actions = 7") {
		t.Errorf("states 400, actions 7: %v", err)
	}
	p = DefaultMFGarnetParams()
	p.Branching = 101
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "branching = 101") {
		t.Errorf("branching 101 > states 100: %v", err)
	}
	if s := DefaultMFGarnetParams().GameSize(); s.Extra < 4*1e6*6 || s.Successors != 64 {
		t.Errorf("GameSize at the defaults: %+v", s)
	}
}

func BenchmarkMFGarnetGenerate(b *testing.B) {
	p := DefaultMFGarnetParams()
	for b.Loop() {
		newMFGarnet(p)
	}
}

func BenchmarkMFGarnetMDP(b *testing.B) {
	g := newMFGarnet(DefaultMFGarnetParams())
	L := g.InitialPopulation()
	for b.Loop() {
		if _, err := g.MDP(L); err != nil {
			b.Fatal(err)
		}
	}
}
