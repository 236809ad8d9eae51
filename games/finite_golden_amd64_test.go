// The digests depend on how float64 operations round: they hold on amd64 at every GOAMD64 level,
// as the code rounds each product that feeds a sum (float64(x*y)), which v3 would otherwise fuse
// into one multiply-add, and where math.Exp takes its FMA path (processors with AVX and FMA).

//go:build amd64

package games_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"

	"meanfield/algorithms"
	"meanfield/engine"
	"meanfield/games"
	"meanfield/mfg"

	"golang.org/x/sys/cpu"
)

// Every finite-horizon game solved by every algorithm of MFGLib's gives, bit for bit, what it gave
// before the finite-horizon core was tuned (issue 12): the digests below were computed at commit
// e2050f1, before the changes, from every float of every iteration's record (exploitability, the
// changes of the population, the policy, the population, Q), 15 iterations from the uniform
// policy. Random-linear with n = 7 and a 7 × 5 crowd motion with T = 6 add other sizes, and
// random-linear the algorithms' other settings.
func TestFiniteSolvesGolden(t *testing.T) {
	if !cpu.X86.HasFMA || !cpu.X86.HasAVX {
		t.Skip("math.Exp rounds differently without FMA; the digests were computed with it")
	}
	type variant struct {
		name string
		alg  engine.Algorithm
	}
	defaults := []variant{
		{"fp", algorithms.FictitiousPlay{}},
		{"omd", algorithms.OnlineMirrorDescent{Alpha: 1}},
		{"pd", algorithms.PriorDescent{Eta: 1}},
		{"dfp", algorithms.DampedFixedPoint{Damping: 0.5}},
	}
	others := []variant{
		{"fp-tie", algorithms.FictitiousPlay{TieTolerance: 1e-9}},
		{"fp-alpha", algorithms.FictitiousPlay{Alpha: 0.3}},
		{"omd-2.5", algorithms.OnlineMirrorDescent{Alpha: 2.5}},
		{"pd-inner", algorithms.PriorDescent{Eta: 0.3, Inner: 3}},
		{"dfp-1", algorithms.DampedFixedPoint{Damping: 1}},
	}
	cases := []struct {
		game     string
		params   map[string]any
		variants []variant
	}{
		{"beach-bar", nil, defaults},
		{"building-evacuation", nil, defaults},
		{"conservative-treasure-hunting", nil, defaults},
		// OpenSpiel's accounting, the default when the digests were computed (now off by default).
		{"crowd-modelling", map[string]any{"openspiel-costs": true}, defaults},
		{"crowd-motion", nil, defaults},
		{"crowd-motion", map[string]any{"torus-l": 7, "torus-w": 5, "T": 6}, defaults},
		{"equilibrium-price", nil, defaults},
		{"left-right", nil, defaults},
		{"linear-quadratic", nil, defaults},
		{"random-linear", nil, defaults},
		{"random-linear", map[string]any{"n": 7, "T": 4, "seed": 3}, append(append([]variant{}, defaults...), others...)},
		{"rock-paper-scissors", nil, defaults},
		{"susceptible-infected", nil, defaults},
	}
	var got []string
	for _, c := range cases {
		g, err := games.New(c.game, c.params)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range c.variants {
			res, err := engine.Solve(context.Background(), g, v.alg, engine.Options{Iterations: 15, Exploitability: true})
			if err != nil {
				t.Fatalf("%s %v %s: %v", c.game, c.params, v.name, err)
			}
			got = append(got, c.game+" "+v.name+" "+traceDigest(res))
		}
	}
	if len(got) != len(finiteGolden) {
		t.Fatalf("%d runs, %d digests", len(got), len(finiteGolden))
	}
	for i, g := range got {
		if g != finiteGolden[i] {
			t.Errorf("run %d: %s, want %s", i, g, finiteGolden[i])
		}
	}
}

// traceDigest is the first 16 hexadecimal digits of the SHA-256 of every float of the trace.
func traceDigest(res *engine.Result) string {
	h := sha256.New()
	put := func(x float64) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(x))
		h.Write(b[:])
	}
	rows := func(pi []mfg.Policy, L []mfg.Population, Q [][]float64) {
		for _, p := range pi {
			for _, x := range p.Prob {
				put(x)
			}
		}
		for _, l := range L {
			for _, x := range l.Mass {
				put(x)
			}
		}
		for _, q := range Q {
			for _, x := range q {
				put(x)
			}
		}
	}
	for _, it := range res.Trace {
		put(it.Exploitability)
		put(it.L1Change)
		put(it.LInfChange)
		rows(it.Policy, it.Population, it.Q)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// finiteGolden are the digests of TestFiniteSolvesGolden, computed at commit e2050f1.
var finiteGolden = []string{
	"beach-bar fp 6a419ea062f1bfe5",
	"beach-bar omd afb071a0208b432d",
	"beach-bar pd 0ef83121d53734f4",
	"beach-bar dfp 41cf15d5244321e3",
	"building-evacuation fp 525d1df0053bf75a",
	"building-evacuation omd 7f6566b93f4dfb1f",
	"building-evacuation pd 54ed528a070362b5",
	"building-evacuation dfp 476691dc20565819",
	"conservative-treasure-hunting fp d602dcb56f8aad30",
	"conservative-treasure-hunting omd 0a57d17e9eccf559",
	"conservative-treasure-hunting pd b5b82b5a2c0d8121",
	"conservative-treasure-hunting dfp b899ca7c2a3c1059",
	"crowd-modelling fp ab63aefb6e86ca28",
	"crowd-modelling omd dadc23830598d22c",
	"crowd-modelling pd bcb5f6cf36ba2e39",
	"crowd-modelling dfp d608696e2d3bcaab",
	"crowd-motion fp a5b6bfa5c8e61b6a",
	"crowd-motion omd 0d800d2815b1f4a9",
	"crowd-motion pd fd8b74f8f6e42213",
	"crowd-motion dfp 688105bf320901f6",
	"crowd-motion fp 8390a28a4eccef81",
	"crowd-motion omd 3aa1fedbf83e74ea",
	"crowd-motion pd ba8998e42c0740e6",
	"crowd-motion dfp f4677e5eafe810ff",
	"equilibrium-price fp ca11d05842935651",
	"equilibrium-price omd d46a143ae7ae633a",
	"equilibrium-price pd d7ff396a0d2607bf",
	"equilibrium-price dfp e9520d5c4ee0a520",
	"left-right fp a2b5ca30ad1be84c",
	"left-right omd 0f836e0d832a3373",
	"left-right pd c048f34341a0c34a",
	"left-right dfp 72d580027fdb1ebf",
	"linear-quadratic fp 7ce0fa8ceb1a7bce",
	"linear-quadratic omd afd81fe986c8d1a4",
	"linear-quadratic pd db9f8ee38e6ae072",
	"linear-quadratic dfp ca2c72e15fb01fcb",
	"random-linear fp 6d935e97ee924a04",
	"random-linear omd 0b1dc2308ec62080",
	"random-linear pd 1097f6d97134dcba",
	"random-linear dfp 716271cc4d723dfc",
	"random-linear fp ee286c7eef56d6dd",
	"random-linear omd 2bea8d44c40c2a07",
	"random-linear pd 011d4244f4d4c6ea",
	"random-linear dfp 608212a5b6837da1",
	"random-linear fp-tie ee286c7eef56d6dd",
	"random-linear fp-alpha 6e56b85e0a787e37",
	"random-linear omd-2.5 8136072edc9c3b67",
	"random-linear pd-inner a4ff85039d9538fc",
	"random-linear dfp-1 bf9ce659ed8a7332",
	"rock-paper-scissors fp 2a2808bb53c08edc",
	"rock-paper-scissors omd 7dbce261f5b85515",
	"rock-paper-scissors pd 4924c112d3cfdd25",
	"rock-paper-scissors dfp adc306bb5492190d",
	"susceptible-infected fp dbb95948125db8a3",
	"susceptible-infected omd 88246ea423afa579",
	"susceptible-infected pd 41373ec1e0e34bdc",
	"susceptible-infected dfp 3bb9fa414ac939d1",
}
