package nplayer

import (
	"context"
	"fmt"
	"math"

	"meanfield/internal/cancel"
	"meanfield/rl"
	"meanfield/seeds"
)

// TrainOptions are shared by the N-player learners (IL and MF-Q).
type TrainOptions struct {
	// Rounds of the N-player game to train for.
	Rounds int
	// BoltzmannC is c of the Boltzmann exploration softmax_c(Q(s,·)).
	BoltzmannC float64
	// StepExponent is h in the step size 1/n^h, n the visits of the updated entry.
	StepExponent float64
	// Bins is the number of mean-bid bins of MF-Q (ignored by IL).
	Bins int
	// Checkpoints is how many evenly spaced points of training (after rounds
	// Rounds·c/Checkpoints, c = 1..Checkpoints) deploy a profile to OnCheckpoint.
	Checkpoints int
	// Deploy maps Q-tables to deployed policies (default argmax-e).
	Deploy Deploy
	// Seed determines the training's random stream.
	Seed uint64
}

// Validate names the first parameter out of range.
func (o TrainOptions) Validate() error {
	switch {
	case o.Rounds < 1:
		return fmt.Errorf("rounds = %d: must be at least 1", o.Rounds)
	case !(o.BoltzmannC > 0) || math.IsInf(o.BoltzmannC, 0):
		return fmt.Errorf("boltzmann-c = %v: must be positive and finite", o.BoltzmannC)
	case !(o.StepExponent > 0 && o.StepExponent <= 1):
		return fmt.Errorf("step-exponent = %v: must be in (0, 1]", o.StepExponent)
	case o.Bins < 1:
		return fmt.Errorf("mean-bid-bins = %d: must be at least 1", o.Bins)
	case o.Checkpoints < 1 || o.Checkpoints > o.Rounds:
		return fmt.Errorf("checkpoints = %d: must be between 1 and rounds = %d", o.Checkpoints, o.Rounds)
	case o.Deploy.Softmax && !(o.Deploy.C > 0):
		return fmt.Errorf("temperature = %v: the deployed softmax needs c > 0", o.Deploy.C)
	}
	return nil
}

// Checkpoint is called with the round reached (1-based count) and the profile the learners
// would deploy then. An error stops training.
type Checkpoint func(round int, p *Profile) error

// table is one bidder's Q-table over (context, budget, bid) with visit counts.
type table struct {
	q      []float64
	visits []int64
}

// learner holds what IL and MF-Q share: one table per bidder, step sizes, exploration.
type learner struct {
	g        *Game
	opt      TrainOptions
	contexts int
	tables   []table
	rates    []float64 // 1/n^h for small n
	probs    []float64
}

func newLearner(g *Game, opt TrainOptions, contexts int) *learner {
	l := &learner{g: g, opt: opt, contexts: contexts, probs: make([]float64, g.Actions)}
	n := contexts * g.States * g.Actions
	l.tables = make([]table, g.N)
	for i := range l.tables {
		l.tables[i] = table{q: make([]float64, n), visits: make([]int64, n)}
	}
	l.rates = make([]float64, 1<<12)
	for k := 1; k < len(l.rates); k++ {
		l.rates[k] = math.Pow(float64(k), -opt.StepExponent)
	}
	return l
}

func (l *learner) rate(n int64) float64 {
	if n < int64(len(l.rates)) {
		return l.rates[n]
	}
	return math.Pow(float64(n), -l.opt.StepExponent)
}

// row returns bidder i's Q over bids at (ctx, s).
func (l *learner) row(i, ctx, s int) []float64 {
	k := (ctx*l.g.States + s) * l.g.Actions
	return l.tables[i].q[k : k+l.g.Actions]
}

// explore draws a bid from softmax_c(row) with the uniform u.
func (l *learner) explore(row []float64, u float64) int {
	rl.Softmax(l.probs, row, l.opt.BoltzmannC)
	return InverseCDF(l.probs, u)
}

// update moves Q_i(ctx, s, a) towards target.
func (l *learner) update(i, ctx, s, a int, target float64) {
	t := &l.tables[i]
	k := (ctx*l.g.States+s)*l.g.Actions + a
	t.visits[k]++
	t.q[k] += l.rate(t.visits[k]) * (target - t.q[k])
}

// profile deploys every bidder's table.
func (l *learner) profile() *Profile {
	p := &Profile{Bidders: make([]BidderPolicy, l.g.N), Bins: 1}
	if l.contexts > 1 {
		p.Bins = l.contexts
	}
	for i, t := range l.tables {
		p.Bidders[i] = BidderPolicy{
			States: l.g.States, Actions: l.g.Actions, Contexts: l.contexts,
			Prob: l.opt.Deploy.Policy(t.q, l.contexts*l.g.States, l.g.Actions),
		}
	}
	return p
}

// RoundCost is about the work of one round of g for cancel.Every: each of the N bidders draws
// its M-1 opponents and its bid among A and is settled.
func RoundCost(g *Game) int { return g.N * (g.M + g.Actions + 4) }

// run trains for opt.Rounds rounds from a uniform joint state; step plays and learns one round.
// It checks ctx every few thousand bidder moves (cancel.Every) and returns its error when done.
func (l *learner) run(ctx context.Context, step func(w *World, n *Noise), onCheckpoint Checkpoint) error {
	rng := seeds.New(l.opt.Seed, seeds.Training)
	start := make([]int, l.g.N)
	l.g.RandomBudgets(start, rng)
	w := l.g.NewWorld(start, l.contexts)
	noise := l.g.NewNoise()
	next := 1
	tick := cancel.Every(ctx, RoundCost(l.g))
	for r := 1; r <= l.opt.Rounds; r++ {
		if err := tick.Tick(); err != nil {
			return err
		}
		l.g.DrawNoise(noise, rng)
		step(w, noise)
		if r == l.opt.Rounds*next/l.opt.Checkpoints {
			if onCheckpoint != nil {
				if err := onCheckpoint(r, l.profile()); err != nil {
					return err
				}
			}
			next++
		}
	}
	return nil
}

// TrainIL trains N independent learners: bidder i runs tabular Q-learning on (own budget, own
// bid), treating everything else as its environment, with Boltzmann exploration:
//
//	Q_i(s, a) <- Q_i(s, a) + β [r + γ max_{a'} Q_i(s', a') - Q_i(s, a)].
func TrainIL(ctx context.Context, g *Game, opt TrainOptions, onCheckpoint Checkpoint) error {
	if err := opt.Validate(); err != nil {
		return err
	}
	l := newLearner(g, opt, 1)
	prev := make([]int, g.N)
	return l.run(ctx, func(w *World, n *Noise) {
		for i := range w.Bids {
			w.Bids[i] = l.explore(l.row(i, 0, w.Budgets[i]), n.BidU[i])
		}
		copy(prev, w.Budgets)
		w.SettleNoise(n)
		for i, a := range w.Bids {
			best := math.Inf(-1)
			for _, x := range l.row(i, 0, w.Budgets[i]) {
				best = math.Max(best, x)
			}
			l.update(i, 0, prev[i], a, w.Rewards[i]+g.Discount*best)
		}
	}, onCheckpoint)
}

// TrainMFQ trains mean-field Q-learners (Yang et al. 2018, first-order mean-field approximation):
// bidder i learns Q_i(s, a, ā) with ā the mean bid of the other bidders, binned into opt.Bins
// equal bins of [0, A-1]. It bids by Boltzmann over Q_i(s, ·, ā of the previous round) and, after
// the round reveals the current ā, updates
//
//	Q_i(s, a, ā) <- Q_i(s, a, ā) + β [r + γ v_i(s', ā) - Q_i(s, a, ā)],
//	v_i(s', ā) = Σ_{a'} π_i(a' | s', ā) Q_i(s', a', ā),  π_i = softmax_c(Q_i(s', ·, ā)).
func TrainMFQ(ctx context.Context, g *Game, opt TrainOptions, onCheckpoint Checkpoint) error {
	if err := opt.Validate(); err != nil {
		return err
	}
	l := newLearner(g, opt, opt.Bins)
	prev := make([]int, g.N)
	return l.run(ctx, func(w *World, n *Noise) {
		for i := range w.Bids {
			w.Bids[i] = l.explore(l.row(i, w.Context[i], w.Budgets[i]), n.BidU[i])
		}
		copy(prev, w.Budgets)
		w.SettleNoise(n) // sets w.Context to the bins of this round's mean bids
		for i, a := range w.Bids {
			ctxNow := w.Context[i]
			row := l.row(i, ctxNow, w.Budgets[i])
			rl.Softmax(l.probs, row, opt.BoltzmannC)
			var v float64
			for b, p := range l.probs {
				v += p * row[b]
			}
			l.update(i, ctxNow, prev[i], a, w.Rewards[i]+g.Discount*v)
		}
	}, onCheckpoint)
}
