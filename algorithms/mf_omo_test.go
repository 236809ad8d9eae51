package algorithms

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"meanfield/engine"
	"meanfield/games"
	"meanfield/internal/mfglibref"
	"meanfield/mfg"
)

// mfomoVariants are the non-default settings of finite/testdata/mfglib_driver/mf_omo_reference.py.
var mfomoVariants = map[string]func(*MFOMO){
	"loss=l1":                  func(o *MFOMO) { o.Loss = "l1" },
	"loss=l2":                  func(o *MFOMO) { o.Loss = "l2" },
	"rb_freq=5":                func(o *MFOMO) { o.RBFreq = 5 },
	"rb_freq=3,loss=l1,c1=4":   func(o *MFOMO) { o.RBFreq, o.Loss, o.C1 = 3, "l1", 4 },
	"parameterize=True":        func(o *MFOMO) { o.Parameterize = true },
	"hat_init=False":           func(o *MFOMO) { o.HatInit = false },
	"SGD,lr=0.01":              func(o *MFOMO) { o.Optimizer, o.LR = "sgd", 0.01 },
	"Adam,lr=0.01,c2=0.5,c3=2": func(o *MFOMO) { o.LR, o.C2, o.C3 = 0.01, 0.5, 2 },
}

// omoTrace solves the game of MFGLib's name with o for n iterations and returns the
// exploitabilities.
func omoTrace(t *testing.T, mfglibName string, o MFOMO, n int) []float64 {
	t.Helper()
	g, err := games.New(strings.ReplaceAll(mfglibName, "_", "-"), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, o, engine.Options{Iterations: n, Exploitability: true})
	if err != nil {
		t.Fatalf("%s: %v", mfglibName, err)
	}
	return res.Exploitabilities()
}

// omoRel is |a - b| / max(|b|, 1e-3): exploitabilities near 0 are compared absolutely.
func omoRel(a, b float64) float64 {
	if a == b || (math.IsNaN(a) && math.IsNaN(b)) {
		return 0
	}
	return math.Abs(a-b) / max(math.Abs(b), 1e-3)
}

// agreeing is the number of leading entries of a and b within tol of each other (omoRel).
func agreeing(a, b []float64, tol float64) int {
	for k := range min(len(a), len(b)) {
		if !(omoRel(a[k], b[k]) <= tol) {
			return k
		}
	}
	return min(len(a), len(b))
}

// detTol is the relative change of MFGLib's float64 trace under a rounding-sized perturbation of
// its start (the reference's 'perturbed' twin) beyond which an iteration counts as decided by
// rounding; f64Tol is the agreement asked of this port on the iterations before.
const detTol, f64Tol = 1e-6, 1e-7

// checkOMOFloat64 compares a trace with MFGLib's float64 run over the iterations its perturbed
// twin agrees on (to detTol), and returns that number and the largest relative difference.
func checkOMOFloat64(t *testing.T, what string, got []float64, ref mfglibref.MFOMORun) (int, float64) {
	t.Helper()
	if ref.Error != "" || ref.Perturbed == nil {
		t.Fatalf("%s: MFGLib reference: error %q, perturbed twin %v", what, ref.Error, ref.Perturbed != nil)
	}
	if len(got) != len(ref.Expl) {
		t.Fatalf("%s: %d exploitabilities, MFGLib has %d", what, len(got), len(ref.Expl))
	}
	det := agreeing(ref.Perturbed.Expl, ref.Expl, detTol)
	var worst float64
	for k := range det {
		worst = max(worst, omoRel(got[k], ref.Expl[k]))
	}
	if worst > f64Tol {
		k := agreeing(got, ref.Expl, f64Tol)
		t.Errorf("%s: iteration %d: exploitability %.15g, MFGLib float64 %.15g (relative %.2g > %g; MFGLib decided by rounding from iteration %d)",
			what, k, got[k], ref.Expl[k], omoRel(got[k], ref.Expl[k]), f64Tol, det)
	}
	return det, worst
}

// MF-OMO's exploitability traces agree with MFGLib 0.3.0's run in float64 on every MFGLib game
// with the defaults, and on the three small games with eight other settings, over the iterations
// where MFGLib's own trace is decided by its arithmetic rather than its rounding (see
// checkOMOFloat64); the test logs how many those are and the largest difference. On
// linear-quadratic only π_0's exploitability is compared, and TestMFOMOLinearQuadraticPolicies
// compares the policies.
func TestMFOMOMatchesMFGLibFloat64(t *testing.T) {
	ref, err := mfglibref.LoadMFOMO()
	if err != nil {
		t.Fatal(err)
	}
	for game, run := range ref.Defaults["float64"] {
		got := omoTrace(t, game, *DefaultMFOMO(), len(run.Expl)-1)
		if game == "linear_quadratic" {
			// Its exploitability is decided by rounding from the first iteration (see
			// TestMFOMOLinearQuadraticPolicies): only π_0's is compared here.
			got, run.Expl, run.Perturbed.Expl = got[:1], run.Expl[:1], run.Perturbed.Expl[:1]
		}
		det, worst := checkOMOFloat64(t, game+" defaults", got, run)
		t.Logf("%s defaults: %d of %d iterations decided by arithmetic; largest relative difference %.2g", game, det, len(run.Expl), worst)
	}
	for name, set := range mfomoVariants {
		for game, run := range ref.Variants["float64"][name] {
			o := DefaultMFOMO()
			set(o)
			got := omoTrace(t, game, *o, len(run.Expl)-1)
			det, worst := checkOMOFloat64(t, game+" "+name, got, run)
			t.Logf("%s %s: %d of %d iterations decided by arithmetic; largest relative difference %.2g", game, name, det, len(run.Expl), worst)
		}
	}
}

// f32Tol is the agreement asked of this port (float64) with MFGLib as shipped (float32), over the
// iterations where MFGLib's own float32 and float64 traces agree to it: all of them on beach bar
// and rock-paper-scissors, the first 1 to 3 elsewhere. Hat initialisation makes the residual
// A_Lᵀy + z - c_L zero in exact arithmetic, so its gradient is rounding noise, and Adam's step
// lr·g/(|g| + 1e-8) turns noise larger than ε = 1e-8 (float32's, about 1e-7 of the values) into
// steps of ±lr decided by the noise's signs, while float64's noise (1e-15) moves by 1e-8 only.
const f32Tol = 1e-3

// MF-OMO's traces agree with MFGLib's float32 runs to f32Tol where those agree with MFGLib's float64
// runs.
func TestMFOMOMatchesMFGLibFloat32(t *testing.T) {
	ref, err := mfglibref.LoadMFOMO()
	if err != nil {
		t.Fatal(err)
	}
	for game, run := range ref.Defaults["float32"] {
		f64 := ref.Defaults["float64"][game]
		if run.Error != "" || f64.Error != "" {
			t.Fatalf("%s: MFGLib errors %q, %q", game, run.Error, f64.Error)
		}
		got := omoTrace(t, game, *DefaultMFOMO(), len(run.Expl)-1)
		upto := agreeing(run.Expl, f64.Expl, f32Tol)
		if k := agreeing(got, run.Expl, f32Tol); k < upto {
			t.Errorf("%s: iteration %d: exploitability %.9g, MFGLib float32 %.9g (relative %.2g > %g)", game, k, got[k], run.Expl[k], omoRel(got[k], run.Expl[k]), f32Tol)
		}
		t.Logf("%s: float32 and float64 MFGLib agree to %g on %d of %d iterations", game, f32Tol, upto, len(run.Expl))
	}
}

// omoObjective is f at theta (see MFOMO), for the finite-difference check of the gradient.
func omoObjective(t *testing.T, r *omoRun) float64 {
	t.Helper()
	r.variables()
	_, o, _, err := r.objective()
	if err != nil {
		t.Fatal(err)
	}
	return r.c1*o[0] + r.c2*o[1] + r.o.C3*o[2]
}

// The gradient of MF-OMO's objective, with every loss and both parameterisations, agrees with
// central differences of the objective itself in every variable, at random points of a game whose
// rewards and transitions depend on L (conservative treasure hunting): an independent check of
// the chain rule through A_L, c_L, the losses and the parameterisation.
func TestMFOMOGradientMatchesFiniteDifferences(t *testing.T) {
	g, err := games.NewConservativeTreasureHunting(games.ConservativeTreasureHuntingParams{T: 2, N: 3, R: []float64{1, 2, 0.5}, C: []float64{1, 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, loss := range []string{"l1_l2", "l2", "l1"} {
		for _, param := range []bool{false, true} {
			o := DefaultMFOMO()
			o.Loss, o.Parameterize, o.C1, o.C2, o.C3 = loss, param, 1.5, 0.7, 1.3
			r := newOMORun(*o, g, g.RewardBound())
			for i := range r.theta {
				r.theta[i] = rng.Float64()
			}
			if !param {
				r.project() // L on the simplex, as MF-OMO evaluates it
			}
			r.variables()
			if err := r.gradient(); err != nil {
				t.Fatal(err)
			}
			const h = 1e-6
			for i := range r.theta {
				x := r.theta[i]
				r.theta[i] = x + h
				up := omoObjective(t, r)
				r.theta[i] = x - h
				down := omoObjective(t, r)
				r.theta[i] = x
				fd := (up - down) / (2 * h)
				if math.Abs(fd-r.grad[i]) > 1e-5*max(1, math.Abs(fd)) {
					t.Errorf("loss %s, parameterize %v: ∂f/∂θ_%d = %.9g, central difference %.9g", loss, param, i, r.grad[i], fd)
				}
			}
		}
	}
}

// hiddenGradient is a game without its mfg.StageGradient, for the finite-difference fallback.
type hiddenGradient struct {
	mfg.Finite
	bound float64
}

func (h hiddenGradient) RewardBound() float64 { return h.bound }

// On a game without mfg.StageGradient MF-OMO differentiates the stages by central differences:
// its trace stays within 1e-6 of the exact one's over 10 iterations of conservative treasure
// hunting (T = 5, rewards and transitions depending on L).
func TestMFOMOFiniteDifferenceFallback(t *testing.T) {
	g, err := games.New("conservative-treasure-hunting", nil)
	if err != nil {
		t.Fatal(err)
	}
	hidden := hiddenGradient{g.(mfg.Finite), g.(mfg.RewardBound).RewardBound()}
	if _, ok := any(hidden).(mfg.StageGradient); ok {
		t.Fatal("the wrapper has a StageGradient")
	}
	solve := func(g mfg.Game) []float64 {
		res, err := engine.Solve(context.Background(), g, *DefaultMFOMO(), engine.Options{Iterations: 10, Exploitability: true})
		if err != nil {
			t.Fatal(err)
		}
		return res.Exploitabilities()
	}
	exact, approx := solve(g), solve(hidden)
	for k := range exact {
		if omoRel(approx[k], exact[k]) > 1e-6 {
			t.Errorf("iteration %d: exploitability %.12g with finite differences, %.12g exact", k, approx[k], exact[k])
		}
	}
}

// Bad parameters and games are refused with the parameter and its value named.
func TestMFOMORefuses(t *testing.T) {
	for _, c := range []struct {
		set  func(*MFOMO)
		want string
	}{
		{func(o *MFOMO) { o.Loss = "l3" }, `loss = "l3"`},
		{func(o *MFOMO) { o.LR = 0 }, "lr = 0"},
		{func(o *MFOMO) { o.RBFreq = -1 }, "rb-freq = -1"},
		{func(o *MFOMO) { o.Optimizer = "rmsprop" }, `optimizer = "rmsprop"`},
		{func(o *MFOMO) { o.C2 = math.NaN() }, "c2 = NaN"},
		{func(o *MFOMO) { o.RMax = -1 }, "r-max = -1"},
	} {
		o := DefaultMFOMO()
		c.set(o)
		if err := o.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate() = %v, want an error naming %s", err, c.want)
		}
	}
	g, _ := games.New("conservative-treasure-hunting", nil)
	noBound := struct{ mfg.Finite }{g.(mfg.Finite)}
	if err := DefaultMFOMO().Applies(noBound); err == nil || !strings.Contains(err.Error(), "r-max") {
		t.Errorf("Applies(a game without r_max) = %v, want an error asking for r-max", err)
	}
	o := DefaultMFOMO()
	o.RMax = 3
	if err := o.Applies(noBound); err != nil {
		t.Errorf("Applies with r-max = 3: %v", err)
	}
	st, _ := games.New("sis-epidemic", nil)
	if err := DefaultMFOMO().Applies(st); err == nil || !strings.Contains(err.Error(), "finite-horizon") {
		t.Errorf("Applies(a stationary game) = %v, want an error asking for a finite-horizon game", err)
	}
}

// BenchmarkMFOMO times one MF-OMO iteration (Step: the stages and residuals at L, the gradient with
// the games' exact VJPs, one Adam step, the projections and the policy of L; not the engine's
// exploitability) on beach bar and building evacuation at MFGLib's defaults; the sub-benchmarks
// "+expl" time engine.Solve's 10 iterations with every exploitability recorded, reported per
// iteration (s/iteration), as MFGLib's solve() times them.
func BenchmarkMFOMO(b *testing.B) {
	for _, name := range []string{"beach-bar", "building-evacuation"} {
		b.Run(name+"+expl", func(b *testing.B) {
			g, err := games.New(name, nil)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := engine.Solve(context.Background(), g, *DefaultMFOMO(), engine.Options{Iterations: 10, Exploitability: true}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N*10), "s/iteration")
		})
		b.Run(name, func(b *testing.B) {
			g, err := games.New(name, nil)
			if err != nil {
				b.Fatal(err)
			}
			p, err := engine.NewProblem(g, engine.EvaluationOptions{})
			if err != nil {
				b.Fatal(err)
			}
			run, _, err := DefaultMFOMO().Begin(context.Background(), engine.Start{Problem: p, Policy: p.Uniform()})
			if err != nil {
				b.Fatal(err)
			}
			k := 0
			for b.Loop() {
				k++
				if _, err := run.Step(context.Background(), k, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// On linear-quadratic the policies of MF-OMO's iterations 0 and 1 agree with MFGLib's float64 ones
// to 1e-9 (observed 1.3e-11), those of iterations 2 and 3 to 1e-5 (observed 7.6e-7 and 6.1e-7).
// That later gap is not traced to its cause; it is not the stages' rounding of positions (MFGLib's
// means m_t after iteration 1 are ±4e-16, where both round alike), and the likely one is the
// initial ∇y, rounding noise of about 1e-16 whose signs differ between the two, which Adam turns
// into steps of about 1e-8 on y. Their exploitabilities are not compared: the game rounds y = x + (k (m - x) + u) δ + σ ε √δ
// to a position, which falls on exact halves at the symmetric mean m = 0, where MF-OMO's mean
// fields sit up to rounding; MFGLib float64 rounds by the sign of that noise (m = -1e-12 gives
// -4.5000000000001 → -5), games.LinearQuadratic snaps y to 1e-9 first (→ -4.5 → -4, half to even),
// so that the exploitability of the same policy differs (1.197 here against MFGLib's 1.110 at
// iteration 1).
func TestMFOMOLinearQuadraticPolicies(t *testing.T) {
	ref, err := mfglibref.LoadMFOMO()
	if err != nil {
		t.Fatal(err)
	}
	want := ref.LinearQuadraticPolicies
	if len(want) == 0 {
		t.Fatal("no linear_quadratic_policies_float64 in the reference")
	}
	g, err := games.New("linear-quadratic", nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := engine.Solve(context.Background(), g, *DefaultMFOMO(), engine.Options{Iterations: len(want) - 1})
	if err != nil {
		t.Fatal(err)
	}
	for k, it := range res.Trace {
		var worst float64
		for tt, p := range it.Policy {
			for i, x := range p.Prob {
				worst = max(worst, math.Abs(x-want[k][tt*len(p.Prob)+i]))
			}
		}
		tol := 1e-9
		if k >= 2 {
			tol = 1e-5 // observed 7.6e-7 and 6.1e-7 at iterations 2 and 3 (see the comment above)
		}
		if worst > tol {
			t.Errorf("iteration %d: policy differs from MFGLib's float64 by %.3g (tolerance %g)", k, worst, tol)
		}
		t.Logf("iteration %d: largest policy difference %.3g", k, worst)
	}
}

// omoRunAt returns a run of o on the game of MFGLib's name, started as Begin starts it.
func omoRunAt(t *testing.T, mfglibName string, o MFOMO) *omoRun {
	t.Helper()
	g, err := games.New(strings.ReplaceAll(mfglibName, "_", "-"), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := engine.NewProblem(g, engine.EvaluationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	run, _, err := o.Begin(context.Background(), engine.Start{Problem: p, Policy: p.Uniform()})
	if err != nil {
		t.Fatal(err)
	}
	r := run.(*omoRun)
	if mfglibName == "random_linear" {
		// The reference builds random_linear in float32 and up-casts it, μ0 = 1/5 included:
		// float32(0.2) = 0.20000000298..., which enters R1's last block.
		for s := range r.mu0 {
			r.mu0[s] = float64(float32(0.2))
		}
	}
	return r
}

// gradTol is the agreement asked of a gradient entry with MFGLib's autograd, relative to the
// block's largest entry: the two sum the same terms in orders that differ in places.
const gradTol = 1e-12

// checkBlock compares a gradient block with MFGLib's, given in full or as a digest.
func checkBlock(t *testing.T, what string, got []float64, want json.RawMessage) {
	t.Helper()
	var full []float64
	if json.Unmarshal(want, &full) == nil {
		if len(full) != len(got) {
			t.Fatalf("%s: %d entries, MFGLib %d", what, len(got), len(full))
		}
		var scale, worst float64
		for i, w := range full {
			scale = max(scale, math.Abs(w))
			worst = max(worst, math.Abs(got[i]-w))
		}
		if worst > gradTol*max(scale, 1) {
			t.Errorf("%s: gradient differs from MFGLib's by %.3g (largest entry %.3g)", what, worst, scale)
		}
		return
	}
	var d mfglibref.Digest
	if err := json.Unmarshal(want, &d); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var sq, dot float64
	for i, x := range got {
		sq += x * x
		dot += x * math.Sin(float64(i+1))
	}
	// Relative 1e-10, with an absolute floor of 1e-12 per entry for blocks of rounding noise (∇y
	// at the hat initialisation, where A_Lᵀy + z - c_L is 0 in exact arithmetic).
	n, norm := float64(len(got)), math.Sqrt(d.SumSquares)
	if math.Abs(math.Sqrt(sq)-norm) > 1e-10*norm+1e-12*math.Sqrt(n) || math.Abs(dot-d.DotSin) > 1e-10*norm*math.Sqrt(n)+1e-12*n {
		t.Errorf("%s: Σg² = %.15g, Σ g sin = %.15g; MFGLib %.15g, %.15g", what, sq, dot, d.SumSquares, d.DotSin)
	}
}

// The gradient of the MF-OMO objective agrees with MFGLib's (torch autograd through env.prob and
// env.reward, float64) to 1e-12 of its largest entry, on every MFGLib game at MFGLib's initial
// point, and on the eight small games at a random point with each loss and parameterised: the
// check of "the gradient is exact" that does not go through the iterations (whose traces are
// decided by rounding after a few steps on most games).
func TestMFOMOGradientMatchesMFGLib(t *testing.T) {
	ref, err := mfglibref.LoadMFOMOGradients()
	if err != nil {
		t.Fatal(err)
	}
	for game, e := range ref.Games {
		r := omoRunAt(t, game, *DefaultMFOMO())
		if err := r.gradient(); err != nil {
			t.Fatal(err)
		}
		gL, gz, gy := r.parts(r.grad)
		checkBlock(t, game+" init ∇L", gL, e.Init.GL)
		checkBlock(t, game+" init ∇z", gz, e.Init.GZ)
		checkBlock(t, game+" init ∇y", gy, e.Init.GY)
		if e.Random == nil {
			continue
		}
		rnd := e.Random
		for loss, want := range map[string]mfglibref.MFOMOGradient{"l1_l2": rnd.L1L2, "l2": rnd.L2, "l1": rnd.L1} {
			o := DefaultMFOMO()
			o.Loss, o.C1, o.C2, o.C3 = loss, rnd.C[0], rnd.C[1], rnd.C[2]
			r := omoRunAt(t, game, *o)
			xL, xz, xy := r.parts(r.theta)
			copy(xL, rnd.L)
			copy(xz, rnd.Z)
			copy(xy, rnd.Y)
			r.variables()
			if err := r.gradient(); err != nil {
				t.Fatal(err)
			}
			gL, gz, gy := r.parts(r.grad)
			checkBlock(t, game+" random "+loss+" ∇L", gL, want.GL)
			checkBlock(t, game+" random "+loss+" ∇z", gz, want.GZ)
			checkBlock(t, game+" random "+loss+" ∇y", gy, want.GY)
		}
		o := DefaultMFOMO()
		o.Parameterize, o.C1, o.C2, o.C3 = true, rnd.C[0], rnd.C[1], rnd.C[2]
		r = omoRunAt(t, game, *o)
		xu, xv, xw := r.parts(r.theta)
		for i, l := range rnd.L {
			xu[i] = math.Log(l)
		}
		copy(xv, rnd.V)
		copy(xw, rnd.W)
		r.variables()
		if err := r.gradient(); err != nil {
			t.Fatal(err)
		}
		gu, gv, gw := r.parts(r.grad)
		for _, b := range []struct {
			name      string
			got, want []float64
		}{{"∇u", gu, rnd.Parameterized.GU}, {"∇v", gv, rnd.Parameterized.GV}, {"∇w", gw, rnd.Parameterized.GW}} {
			raw, _ := json.Marshal(b.want)
			checkBlock(t, game+" random parameterised "+b.name, b.got, raw)
		}
	}
}
