package experiment

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"

	"meanfield/games"
	"meanfield/internal/memory"
)

// Estimate is the memory a run is expected to need, found before it allocates anything: a sum of
// terms, each the product of some of the run's sizes. Check compares it with a limit.
type Estimate struct {
	// What names the run in messages: the game, "compare", "sweep NAME".
	What  string
	Terms []Term
}

// Term is one part of an Estimate.
type Term struct {
	Bytes float64
	// Product says how Bytes arises from the sizes, e.g. "states 1e10 × actions 5 × times 4 ×
	// about 330 bytes a cell".
	Product string
	// Lower are the parameters Bytes grows with: those to lower when it is too much.
	Lower []string
}

// Bytes is the estimate's total.
func (e Estimate) Bytes() float64 {
	var total float64
	for _, t := range e.Terms {
		total += t.Bytes
	}
	return total
}

// Check returns a *MemoryError when the estimate exceeds limit bytes (0: the default limit,
// 3/4 of the machine's memory).
func (e Estimate) Check(limit int64) error {
	limit = memory.Limit(limit)
	if e.Bytes() <= float64(limit) {
		return nil
	}
	return &MemoryError{Estimate: e, Limit: limit}
}

// MemoryError is a run refused before it allocates, for the memory it would need. Its message is
// one line naming the products of sizes that make most of it and the parameters to lower.
type MemoryError struct {
	Estimate
	Limit int64
}

func (e *MemoryError) Error() string {
	products, lower := e.Bulk()
	return fmt.Sprintf("%s: about %s needed (%s): over --max-memory %s; lower %s",
		e.What, memory.FormatSize(e.Bytes()), strings.Join(products, " + "), memory.FormatSize(float64(e.Limit)), orList(lower))
}

// Bulk returns the products of the terms that make the bulk of the estimate (the largest, and
// every other of at least a tenth of the total), largest first, and the parameters they grow with.
func (e Estimate) Bulk() (products, lower []string) {
	total := e.Bytes()
	terms := slices.Clone(e.Terms)
	sort.SliceStable(terms, func(i, j int) bool { return terms[i].Bytes > terms[j].Bytes })
	for i, t := range terms {
		if i > 0 && t.Bytes < total/10 {
			break
		}
		products = append(products, t.Product)
		for _, p := range t.Lower {
			if !slices.Contains(lower, p) {
				lower = append(lower, p)
			}
		}
	}
	return products, lower
}

// orList writes names as "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// bytesPerCell are the bytes a solve holds for every cell (state, action, time) of its game
// besides the recorded iterations, for a stage holding stage bytes a cell: about three
// evaluations alive at once (the current iterate's, the next one's, a best response's or the
// feasible version's), each with the mean field, the optimal and the policy's Q-functions and
// the stages; a few policies of the algorithm; and the final tables encoded in result.json.
func bytesPerCell(stage float64) float64 { return 3*(32+stage) + 32 + 200 }

// jsonBytesPerNumber is the memory an encoded number of trace.json takes while it is written.
const jsonBytesPerNumber = 50

// solveMemory estimates a solve of a game of the given size for iterations steps, recording
// tables tables (policy and population; Q too for the fixed-point scheme) of the iterations that
// trace-matrices every (resolved, see traceEvery) keeps, and keeping the final tables of a GMF-V
// reference when reference is set.
func solveMemory(game string, size games.Size, iterations, every, tables int, reference bool) Estimate {
	cells := size.Cells()
	stage := 8.0 // a time step's rewards
	if !size.SharedMoves {
		stage += 8 + 16*size.Successors // its rows' starts and successors (index and probability)
	}
	perCell := bytesPerCell(stage)
	product := fmt.Sprintf("%s × about %s a cell", cellProduct(size), memory.FormatSize(perCell))
	if size.Successors > 1 {
		product += fmt.Sprintf(" (%s successors a row)", memory.Count(size.Successors))
	}
	work := Term{Bytes: cells * perCell, Lower: size.Params, Product: product}
	if size.SharedMoves {
		work.Bytes += size.States * size.Actions * (16 + 16*size.Successors)
	}
	n := keptIterations(iterations, every)
	kept := float64(n) * cells * float64(tables)
	trace := Term{Bytes: 8 * kept,
		Lower:   append(slices.Clone(size.Params), "iterations", "trace-matrices"),
		Product: fmt.Sprintf("%d iterations kept × %s × %d tables of 8 bytes", n, cellProduct(size), tables)}
	if every > 0 { // trace.json holds the kept tables, encoded in memory
		trace.Bytes += jsonBytesPerNumber * kept
	}
	e := Estimate{What: game, Terms: []Term{work, trace}}
	if size.Extra > 0 {
		e.Terms = append(e.Terms, Term{Bytes: size.Extra, Lower: size.Params, Product: fmt.Sprintf("the game's tables, %s", memory.FormatSize(size.Extra))})
	}
	if reference {
		e.Terms = append(e.Terms, Term{Bytes: 3 * 8 * cells, Lower: append(slices.Clone(size.Params), "compare-to-gmf-v"),
			Product: fmt.Sprintf("GMF-V's reference, 3 tables of %s", cellProduct(size))})
	}
	return e
}

// cellProduct writes the cells of a game as the product of its sizes.
func cellProduct(s games.Size) string {
	p := fmt.Sprintf("states %s × actions %s", memory.Count(s.States), memory.Count(s.Actions))
	if s.Times != 1 {
		p += " × times " + memory.Count(s.Times)
	}
	return p
}

// CheckWorkers refuses a negative number of workers and more than 4 × the machine's cores (more
// goroutines only hold more memory at once; they do not finish sooner).
func CheckWorkers(workers int) error { return memory.CheckWorkers(workers) }

// Memory estimates the memory of a resolved comparison run on workers goroutines (0: all cores).
// Its sample paths run workers at a time, each holding, per bidder, the learners' Q-tables and
// visit counts (times the mean-bid bins for MF-Q), the deployed policies, the best responses of
// the C(π) estimator (with its tallies, by bin of the others' mean budget, when its best responses
// see that bin) and the bidder's place in every simulated world (one per evaluated deviator,
// every bidder with eval-deviators 0); every (algorithm, path, checkpoint) keeps its estimate.
func (c CompareConfig) Memory(workers int) Estimate {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	jobs := float64(len(c.Algorithms)) * float64(c.Paths)
	at := min(float64(workers), jobs)
	atOnce := fmt.Sprintf("%s jobs at once (workers %d; algorithms %d × paths %d)", memory.Count(at), workers, len(c.Algorithms), c.Paths)
	lowerWorkers := func(names ...string) []string {
		if at > 1 {
			names = append(names, "workers")
		}
		return names
	}
	N, S, A, M := float64(c.Players), float64(c.States), float64(c.Actions), float64(c.PlayersPerAuction)
	contexts, shape := 1.0, fmt.Sprintf("states %d × actions %d", c.States, c.Actions)
	lower := []string{"players", "states", "actions"}
	if slices.Contains(c.Algorithms, "mf-q") {
		contexts, shape = float64(c.MeanBidBins), shape+fmt.Sprintf(" × mean-bid-bins %d of MF-Q", c.MeanBidBins)
		lower = append(lower, "mean-bid-bins")
	}
	perBidder := S*A*(32*contexts+24) + A*(8*(M-1)+24) + 150
	deviators, perWorld := float64(c.EvalDeviators), 104+8*(M-1)
	if deviators == 0 || deviators > N {
		deviators = N
	}
	e := Estimate{What: "compare", Terms: []Term{
		{Bytes: at * N * perBidder, Lower: lowerWorkers(lower...),
			Product: fmt.Sprintf("players %s × about %s a bidder (%s) × %s", memory.Count(N), memory.FormatSize(perBidder), shape, atOnce)},
		{Bytes: at * N * (deviators + 3) * perWorld, Lower: lowerWorkers("players", "eval-deviators"),
			Product: fmt.Sprintf("players %s × %s simulated worlds × %s a bidder × %s", memory.Count(N), memory.Count(deviators+3), memory.FormatSize(perWorld), atOnce)},
		{Bytes: at * 8 * float64(c.EvalStates), Lower: lowerWorkers("eval-states"),
			Product: fmt.Sprintf("eval-states %d × 8 bytes × %s", c.EvalStates, atOnce)},
		{Bytes: jobs * (64*float64(c.Checkpoints) + 16), Lower: []string{"paths", "checkpoints"},
			Product: fmt.Sprintf("algorithms %d × paths %d × checkpoints %d × 64 bytes", len(c.Algorithms), c.Paths, c.Checkpoints)},
	}}
	if B := float64(c.BestResponseBudgetBins); B > 1 {
		e.Terms = append(e.Terms, Term{Bytes: at * N * B * B * A * A * (M - 1) * 8, Lower: lowerWorkers("players", "best-response-budget-bins", "actions"),
			Product: fmt.Sprintf("players %s × best-response-budget-bins² %s × actions² %d × %d opponents × 8 bytes of best-response tallies × %s", memory.Count(N), memory.Count(B*B), c.Actions*c.Actions, c.PlayersPerAuction-1, atOnce)})
	}
	if slices.Contains(c.Algorithms, "gmf-q") {
		solve := solveMemory("auction", c.AuctionParams.GameSize(), 1, 0, 3, false)
		e.Terms = append(e.Terms, Term{Bytes: at * solve.Bytes(), Lower: lowerWorkers("states", "actions"),
			Product: fmt.Sprintf("GMF-Q's solve of about %s × %s", memory.FormatSize(solve.Bytes()), atOnce)})
	}
	return e
}
