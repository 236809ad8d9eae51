// Package cancel checks a context at bounded intervals of work in loops whose length a user
// controls (Q-learning steps, sampled agents, rollouts, rounds), so that an interrupt stops them
// within milliseconds at a cost that does not show. A check draws no random numbers: results are
// the same whether or not it is made.
package cancel

import "context"

// Work is about how many elementary operations (a sample, an update, a bidder's move) are done
// between two checks: well under a millisecond.
const Work = 1 << 14

// Ticker checks a context once every n calls of Tick, the first call included.
type Ticker struct {
	ctx     context.Context
	n, left int
}

// Chunk is the number of iterations of cost elementary operations each that make about Work
// operations: at least 1. The tightest loops run in chunks of it with a check between chunks.
func Chunk(cost int) int { return max(1, Work/max(cost, 1)) }

// Every returns a ticker for a loop whose iterations each cost about cost elementary operations:
// it checks ctx every Chunk(cost) iterations, so about every Work operations, and at every
// iteration when one costs more.
func Every(ctx context.Context, cost int) Ticker {
	return Ticker{ctx: ctx, n: Chunk(cost), left: 1}
}

// Tick counts one iteration and returns ctx's error when this iteration is one that checks and
// ctx is done; nil otherwise.
func (t *Ticker) Tick() error {
	t.left--
	if t.left > 0 {
		return nil
	}
	t.left = t.n
	return t.ctx.Err()
}
