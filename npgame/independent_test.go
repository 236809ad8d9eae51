package npgame

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"meanfield/games"
	"meanfield/mfg"
)

// dominantGame is a finite-horizon game of 2 states and 2 actions over t = 0..2 in which action 0
// is strictly dominant: r(t, s, a, L) = 1[a = 0] − L(s), L(s) the mass of state s, and every move
// is to a uniformly random state whatever the action. Whatever the others do, the best response
// plays 0 everywhere, and the profile in which everyone plays 0 has ε = 0 exactly.
type dominantGame struct{}

func (dominantGame) Name() string             { return "dominant" }
func (dominantGame) States() int              { return 2 }
func (dominantGame) Actions() int             { return 2 }
func (dominantGame) Horizon() int             { return 2 }
func (dominantGame) StateShape() []int        { return []int{2} }
func (dominantGame) ActionShape() []int       { return []int{2} }
func (dominantGame) InitialStates() []float64 { return []float64{0.5, 0.5} }
func (dominantGame) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	reward, trans := make([]float64, 4), make([]float64, 8)
	for s := 0; s < 2; s++ {
		mass := L.Mass[s*2] + L.Mass[s*2+1]
		for a := 0; a < 2; a++ {
			reward[s*2+a] = -mass
			if a == 0 {
				reward[s*2+a]++
			}
			trans[(s*2+a)*2], trans[(s*2+a)*2+1] = 0.5, 0.5
		}
	}
	return mfg.NewDenseMDP(2, 2, 0.5, reward, trans) // the discount is unused
}

// On a game with a strictly dominant action, every independent learner deploys it at every time
// and state, and the profile's ε is 0: exactly, by enumerating the joint states at N = 3, and in
// the Monte Carlo estimate, whose interval is [0, 0] at any N.
func TestIndependentLearnersFindTheDominantAction(t *testing.T) {
	for _, n := range []int{3, 10} {
		g := nGame(t, dominantGame{}, n, Others)
		p, err := TrainIndependent(context.Background(), g, ILOptions{Episodes: 300, Seed: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Policies) != 1 {
			t.Errorf("N = %d: %d distinct deployed policies, want 1 (everyone plays the dominant action)", n, len(p.Policies))
		}
		for k, pol := range p.Policies {
			for tt, pi := range pol {
				for s := 0; s < 2; s++ {
					if pi.Row(s)[0] != 1 {
						t.Errorf("N = %d: policy %d at t = %d, s = %d is %v, want the dominant action 0", n, k, tt, s, pi.Row(s))
					}
				}
			}
		}
		res, err := EstimateEpsilon(context.Background(), g, p, Options{Seed: 2, Episodes: 200, TrainEpisodes: 50})
		if err != nil {
			t.Fatal(err)
		}
		if e := res.Epsilon(); e.Epsilon != 0 || e.Upper != 0 {
			t.Errorf("N = %d: ε = %v in [%v, %v], want 0 in [0, 0]", n, e.Epsilon, e.Lower, e.Upper)
		}
		if n != 3 {
			continue
		}
		ex, err := NewExact(context.Background(), g, p, nil)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ex.Epsilon(context.Background(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.OwnGain) > 1e-12 || math.Abs(r.JointGain) > 1e-12 {
			t.Errorf("N = 3 exact: own-state gain %v, joint-state gain %v, want 0", r.OwnGain, r.JointGain)
		}
	}
}

// On left-right and rock-paper-scissors with a few players the deployed profile is a valid
// per-agent profile: one entry per agent, time-indexed policies of Times() tables whose rows are
// argmax-e (equal mass on k actions, 0 elsewhere); agents sharing an entry deploy equal tables.
// The same seed gives the same profile, and the checkpoints come at E·c/C.
func TestIndependentLearnersDeployValidProfiles(t *testing.T) {
	for _, name := range []string{"left-right", "rock-paper-scissors"} {
		mf, err := games.New(name, nil)
		if err != nil {
			t.Fatal(err)
		}
		g := nGame(t, mf, 4, Others)
		var at []int
		opt := ILOptions{Episodes: 200, Checkpoints: 4, Seed: 3}
		p, err := TrainIndependent(context.Background(), g, opt, func(e int, q Profile) error {
			at = append(at, e)
			return q.validate(g)
		})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(at, []int{50, 100, 150, 200}) {
			t.Errorf("%s: checkpoints at %v, want 50, 100, 150, 200", name, at)
		}
		if err := p.validate(g); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(p.Of) != g.N {
			t.Fatalf("%s: Of has %d entries, want %d", name, len(p.Of), g.N)
		}
		for k, pol := range p.Policies {
			if len(pol) != g.Times() {
				t.Errorf("%s: policy %d has %d tables, want %d", name, k, len(pol), g.Times())
			}
			for _, pi := range pol {
				for s := 0; s < g.S; s++ {
					checkArgmaxRow(t, name, pi.Row(s))
				}
			}
		}
		again, err := TrainIndependent(context.Background(), g, opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(p, again) {
			t.Errorf("%s: the same seed gave two profiles", name)
		}
	}
}

// checkArgmaxRow fails unless the row puts 1/k on k actions and 0 on the others.
func checkArgmaxRow(t *testing.T, name string, row []float64) {
	t.Helper()
	k := 0
	for _, x := range row {
		if x != 0 {
			k++
		}
	}
	for _, x := range row {
		if x != 0 && x != 1/float64(k) {
			t.Errorf("%s: row %v is not argmax-e", name, row)
		}
	}
}

// With no mean-field term (Bench-MFG's no-interaction chain, stationary) the game is N copies of
// one MDP and each learner's problem is stationary: every learner's greedy policy is the optimal
// one at the states it visits often, and what one learner gains by deviating to the best policy
// of its own state is below 10⁻⁴ of its value (it errs only at states rarely reached).
func TestIndependentLearnersSolveTheStationaryMDP(t *testing.T) {
	mf, err := games.New("no-interaction", nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(mf, 3, Others, 1e-2)
	if err != nil {
		t.Fatal(err)
	}
	p, err := TrainIndependent(context.Background(), g, ILOptions{Episodes: 3000, Seed: 5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := EstimateEpsilon(context.Background(), g, p, Options{Seed: 6, Episodes: 400, TrainEpisodes: 100, Initial: g.InitialStates()})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Estimates {
		if !(e.Upper <= 1e-4*math.Abs(e.Value)) {
			t.Errorf("agent %d: ε = %v in [%v, %v], V = %v: above 10⁻⁴ of the value", e.Deviator, e.Epsilon, e.Lower, e.Upper, e.Value)
		}
	}
}

// Bad options are refused naming the field; a cancelled context stops training.
func TestIndependentLearnersErrors(t *testing.T) {
	mf, err := games.New("left-right", nil)
	if err != nil {
		t.Fatal(err)
	}
	g := nGame(t, mf, 3, Others)
	for _, c := range []struct {
		opt  ILOptions
		want string
	}{
		{ILOptions{}, "episodes = 0"},
		{ILOptions{Episodes: 5, ExploreStart: 2}, "explore-start = 2"},
		{ILOptions{Episodes: 5, ExploreEnd: -1}, "explore-end = -1"},
		{ILOptions{Episodes: 5, Checkpoints: 6}, "checkpoints = 6"},
		{ILOptions{Episodes: 5, Initial: []float64{1}}, "initial distribution"},
	} {
		if _, err := TrainIndependent(context.Background(), g, c.opt, nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want one naming %q", c.opt, err, c.want)
		}
	}
	ctx, stop := context.WithCancel(context.Background())
	stop()
	if _, err := TrainIndependent(ctx, g, ILOptions{Episodes: 1 << 30}, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// On a game with illegal actions (the dynamic routing game: a vehicle can only take the roads
// leaving its node) the learners explore and deploy legal actions only.
func TestIndependentLearnersKeepToLegalActions(t *testing.T) {
	mf, err := games.New("dynamic-routing", nil)
	if err != nil {
		t.Fatal(err)
	}
	legal := mfg.LegalMask(mf)
	if legal == nil {
		t.Fatal("dynamic-routing has no mask of legal actions")
	}
	g := nGame(t, mf, 5, Others)
	p, err := TrainIndependent(context.Background(), g, ILOptions{Episodes: 100, Seed: 7}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, pol := range p.Policies {
		for tt, pi := range pol {
			if s, a, bad := mfg.IllegalMass(pi, legal); bad {
				t.Errorf("policy %d at t = %d puts mass on the illegal action %d of state %d", k, tt, a, s)
			}
		}
	}
}

// ExploreLiteral keeps zeros as given (no exploration), where the zero value means the defaults.
func TestExploreLiteralKeepsZeros(t *testing.T) {
	o, err := ILOptions{Episodes: 3, ExploreStart: 1, ExploreLiteral: true}.resolve()
	if err != nil {
		t.Fatal(err)
	}
	l := &learners{opt: o}
	if got := []float64{l.explore(0), l.explore(1), l.explore(2)}; !reflect.DeepEqual(got, []float64{1, 0.5, 0}) {
		t.Errorf("literal 1 → 0 over 3 episodes: %v, want [1 0.5 0]", got)
	}
	if o, _ := (ILOptions{Episodes: 3}).resolve(); o.ExploreStart != 1 || o.ExploreEnd != DefaultExploreEnd {
		t.Errorf("defaults: %v → %v, want 1 → %v", o.ExploreStart, o.ExploreEnd, DefaultExploreEnd)
	}
}
