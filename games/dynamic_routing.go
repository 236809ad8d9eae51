package games

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"meanfield/mfg"
)

// RoutingDemand is one origin-destination entry of the dynamic routing game's demand (OpenSpiel's
// OriginDestinationDemand): Counts vehicles leave link Origin for link Destination at
// DepartureTime.
type RoutingDemand struct {
	Origin        string  `yaml:"origin"`
	Destination   string  `yaml:"destination"`
	DepartureTime float64 `yaml:"departure-time"`
	Counts        float64 `yaml:"counts"`
}

// DynamicRoutingParams are the parameters of OpenSpiel's mean-field routing game
// (python_mfg_dynamic_routing), with the Python game's defaults.
type DynamicRoutingParams struct {
	Network        string          `yaml:"network" range:"braess, line or sioux-falls" help:"road network: OpenSpiel's Braess network, its line network, or Sioux Falls"`
	MaxNumTimeStep int             `yaml:"max-num-time-step" range:"1 ≤ max-num-time-step ≤ 100000" help:"number of decisions H, t = 0..H-1 (OpenSpiel's max_num_time_step)"`
	TimeStepLength float64         `yaml:"time-step-length" range:"> 0, finite" help:"length Δ of a time step, in the unit of the free-flow travel times (the C++ game's default is 1.0)"`
	Demand         []RoutingDemand `yaml:"demand" range:"empty (the network's own), or entries {origin, destination, departure-time, counts} with links of the network, origin ≠ destination, the origin not a dead end, departure-time ≥ 0 and counts > 0" help:"origin-destination entries; the representative vehicle is entry i with probability counts_i / Σ counts (empty: OpenSpiel's demand of the network)"`
}

// DefaultDynamicRoutingParams are the Python game's defaults: Braess's network and demand,
// max_num_time_step 10, time_step_length 0.5.
func DefaultDynamicRoutingParams() DynamicRoutingParams {
	return DynamicRoutingParams{Network: "braess", MaxNumTimeStep: 10, TimeStepLength: 0.5}
}

// maxRoutingSteps bounds max-num-time-step: the state space grows with it (2H waiting times).
const maxRoutingSteps = 100000

// GameSize is links × destinations × 2H waiting times (+ the arrived state) states, 1 + links
// actions and H times; every row has one successor.
func (p DynamicRoutingParams) GameSize() Size {
	n := routingNetworks[p.Network]()
	dests := map[string]bool{}
	for _, d := range p.demand(n) {
		dests[d.Destination] = true
	}
	L, H := float64(len(n.links)), float64(p.MaxNumTimeStep)
	return Size{States: L*float64(len(dests))*2*H + 1, Actions: L + 1, Times: H, Successors: 1,
		Params: []string{"max-num-time-step"}}
}

// demand is p's demand, or the network's own when p gives none.
func (p DynamicRoutingParams) demand(n *routingNetwork) []RoutingDemand {
	if len(p.Demand) == 0 {
		return n.demand
	}
	return p.Demand
}

// Validate names the first parameter out of range.
func (p DynamicRoutingParams) Validate() error {
	build, ok := routingNetworks[p.Network]
	switch {
	case !ok:
		return fmt.Errorf("network = %q: must be braess, line or sioux-falls", p.Network)
	case p.MaxNumTimeStep < 1 || p.MaxNumTimeStep > maxRoutingSteps:
		return fmt.Errorf("max-num-time-step = %d: must be in 1..%d", p.MaxNumTimeStep, maxRoutingSteps)
	case !(p.TimeStepLength > 0) || math.IsInf(p.TimeStepLength, 0):
		return fmt.Errorf("time-step-length = %v: must be positive and finite", p.TimeStepLength)
	}
	n := build()
	for i, d := range p.Demand {
		o, okO := n.index[d.Origin]
		_, okD := n.index[d.Destination]
		switch {
		case !okO:
			return fmt.Errorf("demand[%d].origin = %q: not a link of the %s network", i, d.Origin, p.Network)
		case !okD:
			return fmt.Errorf("demand[%d].destination = %q: not a link of the %s network", i, d.Destination, p.Network)
		case d.Origin == d.Destination:
			return fmt.Errorf("demand[%d].destination = %q: must differ from the origin", i, d.Destination)
		case len(n.succ[o]) == 0:
			return fmt.Errorf("demand[%d].origin = %q: a dead end (its head has no successor), where OpenSpiel's vehicle has no legal action", i, d.Origin)
		case !(d.DepartureTime >= 0) || math.IsInf(d.DepartureTime, 0):
			return fmt.Errorf("demand[%d].departure-time = %v: must be ≥ 0 and finite", i, d.DepartureTime)
		case !(d.Counts > 0) || math.IsInf(d.Counts, 0):
			return fmt.Errorf("demand[%d].counts = %v: must be positive and finite", i, d.Counts)
		}
	}
	return nil
}

// routingLink is a road section tail->head with its BPR volume-delay coefficients.
type routingLink struct {
	name, tail, head string
	free, a, b, cap  float64 // free-flow time f, coefficients a and b, capacity c
}

// travelTime is the BPR volume-delay function f·(1 + a·(v/c)^b), in OpenSpiel's order of
// operations (Python, in double).
func (l routingLink) travelTime(volume float64) float64 {
	return l.free * (1.0 + l.a*math.Pow(volume/l.cap, l.b))
}

// routingNetwork is a road network: links[i] is action i+1, numbered as OpenSpiel numbers them
// (nodes in sorted order, each node's successors in the adjacency list's order); succ[i] lists
// the links leaving links[i]'s head, by increasing action.
type routingNetwork struct {
	links  []routingLink
	succ   [][]int
	index  map[string]int
	demand []RoutingDemand
}

// routingAdjacency is a node and its successors, in the data's order.
type routingAdjacency struct {
	node  string
	succs []string
}

// newRoutingNetwork numbers the links of adj and sets their coefficients with coef (OpenSpiel's
// defaults a = 0, b = 1, c = 1, f = 1 when coef is nil).
func newRoutingNetwork(adj []routingAdjacency, coef func(*routingLink), demand []RoutingDemand) *routingNetwork {
	sorted := slices.Clone(adj)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].node < sorted[j].node })
	n := &routingNetwork{index: map[string]int{}, demand: demand}
	for _, nd := range sorted {
		for _, h := range nd.succs {
			l := routingLink{name: nd.node + "->" + h, tail: nd.node, head: h, free: 1, a: 0, b: 1, cap: 1}
			if coef != nil {
				coef(&l)
			}
			n.index[l.name] = len(n.links)
			n.links = append(n.links, l)
		}
	}
	n.succ = make([][]int, len(n.links))
	for i, l := range n.links {
		for j, m := range n.links {
			if m.tail == l.head {
				n.succ[i] = append(n.succ[i], j)
			}
		}
	}
	return n
}

// routingNetworks builds each network by name (afresh: a game owns its network).
var routingNetworks = map[string]func() *routingNetwork{
	"line":        lineNetwork,
	"braess":      braessNetwork,
	"sioux-falls": siouxFallsNetwork,
}

// lineNetwork is OpenSpiel's LINE_NETWORK, bef_O->O->A->D->aft_D with the default coefficients
// (every link takes free-flow time 1), and its demand: 100 vehicles from bef_O->O to D->aft_D.
func lineNetwork() *routingNetwork {
	return newRoutingNetwork([]routingAdjacency{{"bef_O", []string{"O"}}, {"O", []string{"A"}},
		{"A", []string{"D"}}, {"D", []string{"aft_D"}}, {"aft_D", nil}}, nil,
		[]RoutingDemand{{Origin: "bef_O->O", Destination: "D->aft_D", DepartureTime: 0, Counts: 100}})
}

// braessNetwork is OpenSpiel's BRAESS_NETWORK and its demand, 5 vehicles from O->A to D->E:
// capacity 5 and b = 1 everywhere; a = 1 on A->B and C->D, else 0; free-flow times O->A 0,
// A->B 1, A->C 2, B->C 0.25, B->D 2, C->D 1, D->E 0.
func braessNetwork() *routingNetwork {
	free := map[string]float64{"O->A": 0, "A->B": 1, "A->C": 2, "B->C": 0.25, "B->D": 2, "C->D": 1, "D->E": 0}
	return newRoutingNetwork([]routingAdjacency{{"O", []string{"A"}}, {"A", []string{"B", "C"}},
		{"B", []string{"C", "D"}}, {"C", []string{"D"}}, {"D", []string{"E"}}, {"E", nil}},
		func(l *routingLink) {
			l.cap, l.b, l.free = 5, 1, free[l.name]
			if l.name == "A->B" || l.name == "C->D" {
				l.a = 1
			}
		},
		[]RoutingDemand{{Origin: "O->A", Destination: "D->E", DepartureTime: 0, Counts: 5}})
}

// Routing states: state (link i, destination j, waiting time w) is (i·D + j)·W + w, with
// W = 2H waiting times 0..2H-1, the last standing for every w ≥ 2H-1; the last state is "arrived".
// A vehicle waiting w ≥ 2H-1-t at time t neither leaves its link nor is counted on it before the
// end (OpenSpiel counts only waiting times up to H-1, see DynamicRouting), so those are one state.

// DynamicRouting is OpenSpiel's mean-field routing game (python_mfg_dynamic_routing, Cabannes et
// al. 2021). A vehicle of the demand's entry i (probability counts_i / N, N = Σ counts vehicles)
// starts on link origin_i, bound for link destination_i, waiting w = int(departure_i/Δ) steps. At
// each decision t = 0..H-1 a vehicle with w > 0 waits (w ← w-1, action 0); one with w = 0 picks a
// link m leaving the head of its link (action m's id) and enters it: at its destination it has
// arrived at step t; on a dead end it is stuck (arrival H+1); else it waits
//
//	w = max(0, int(tt_m(N ρ_m(t+1)) / Δ) - 1),   tt_m(v) = f_m (1 + a_m (v/c_m)^b_m),
//
// ρ_m(t+1) the mass on m after the moves of time t: the vehicles that entered m then, and those
// still waiting on it whose new waiting time is at most H-1 (OpenSpiel's distribution support
// lists waiting times -1..H-1 only). So a vehicle entering m at t leaves it at t + max(1,
// int(tt/Δ)). The reward is paid once: -Δ·(arrival step), with H+1 for a vehicle that has not
// arrived after the last decision; the value of a policy is -Δ E[arrival step].
//
// As a finite-horizon game: T = H-1, states (link, destination, w) and "arrived", actions 0
// ("no possible action") and the links' ids; the waiting time entering m at t is computed in
// Stage(t, L_t) from L_t. Quirk kept: a vehicle that arrives at step 0 keeps, in OpenSpiel, the
// string of a vehicle on its destination link with w = 0 (its arrival time 0 reads as "still
// travelling"), so it stays counted on that link; here it stays in state (destination, destination,
// 0). Not kept: the C++ game's float32 travel times, and Python's hash-dependent order of the
// destinations when summing ρ (here: the demand's order of first appearance).
type DynamicRouting struct {
	p      DynamicRoutingParams
	net    *routingNetwork
	demand []RoutingDemand
	dests  []int // destination links, in order of first appearance in the demand
	destOf map[int]int
	H, W   int
	total  float64 // N, Σ counts in the demand's order
	mu0    []float64
	legal  []bool
	rows   []routingRow
	// rowStart and ones are every stage's row starts and probabilities: one successor a row.
	rowStart []int
	ones     []float64
}

// NewDynamicRouting validates p and returns the game.
func NewDynamicRouting(p DynamicRoutingParams) (*DynamicRouting, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	net := routingNetworks[p.Network]()
	g := &DynamicRouting{p: p, net: net, demand: p.demand(net), destOf: map[int]int{}, H: p.MaxNumTimeStep, W: 2 * p.MaxNumTimeStep}
	for _, d := range g.demand {
		dl := net.index[d.Destination]
		if _, seen := g.destOf[dl]; !seen {
			g.destOf[dl] = len(g.dests)
			g.dests = append(g.dests, dl)
		}
		g.total += d.Counts
	}
	g.mu0 = make([]float64, g.States())
	for _, d := range g.demand {
		w := g.clampWait(d.DepartureTime / p.TimeStepLength)
		g.mu0[g.state(net.index[d.Origin], g.destOf[net.index[d.Destination]], w)] += d.Counts / g.total
	}
	g.legal = g.buildLegal()
	g.rows = g.buildRows()
	g.rowStart, g.ones = make([]int, len(g.rows)+1), make([]float64, len(g.rows))
	for i := range g.ones {
		g.rowStart[i+1], g.ones[i] = i+1, 1
	}
	return g, nil
}

// clampWait is int(x) (x ≥ 0, truncated as Python's int) capped at W-1.
func (g *DynamicRouting) clampWait(x float64) int {
	if x >= float64(g.W-1) {
		return g.W - 1
	}
	return int(x)
}

// state is the index of (link i, destination index j, waiting time w).
func (g *DynamicRouting) state(i, j, w int) int { return (i*len(g.dests)+j)*g.W + w }

// arrived is the index of the arrived (or stuck) state.
func (g *DynamicRouting) arrived() int { return len(g.net.links) * len(g.dests) * g.W }

// decode returns the link, destination index and waiting time of a state other than arrived.
func (g *DynamicRouting) decode(s int) (i, j, w int) {
	w = s % g.W
	ij := s / g.W
	return ij / len(g.dests), ij % len(g.dests), w
}

// moving reports whether state (i, j, w) picks a link: w = 0, not on its destination (a vehicle
// there arrived at step 0), and its link's head has successors.
func (g *DynamicRouting) moving(i, j, w int) bool {
	return w == 0 && i != g.dests[j] && len(g.net.succ[i]) > 0
}

// buildLegal is OpenSpiel's legal actions: the successors of the link's head for a moving vehicle,
// else only 0.
func (g *DynamicRouting) buildLegal() []bool {
	S, A := g.States(), g.Actions()
	legal := make([]bool, S*A)
	for s := 0; s < S; s++ {
		row := legal[s*A : (s+1)*A]
		if s == g.arrived() {
			row[0] = true
			continue
		}
		i, j, w := g.decode(s)
		if !g.moving(i, j, w) {
			row[0] = true
			continue
		}
		for _, m := range g.net.succ[i] {
			row[m+1] = true
		}
	}
	return legal
}

func (g *DynamicRouting) Name() string             { return "dynamic-routing" }
func (g *DynamicRouting) Horizon() int             { return g.H - 1 }
func (g *DynamicRouting) StateShape() []int        { return []int{g.arrived() + 1} }
func (g *DynamicRouting) ActionShape() []int       { return []int{len(g.net.links) + 1} }
func (g *DynamicRouting) States() int              { return mfg.Size(g.StateShape()) }
func (g *DynamicRouting) Actions() int             { return mfg.Size(g.ActionShape()) }
func (g *DynamicRouting) InitialStates() []float64 { return slices.Clone(g.mu0) }

// Legal is the mask of legal actions (mfg.LegalActions).
func (g *DynamicRouting) Legal() []bool { return g.legal }

// StateLabel is "link wW destination" (W the waiting time, "2H-1+" for the last) or "arrived".
func (g *DynamicRouting) StateLabel(s int) string {
	if s == g.arrived() {
		return "arrived"
	}
	i, j, w := g.decode(s)
	ws := fmt.Sprint(w)
	if w == g.W-1 {
		ws += "+"
	}
	return fmt.Sprintf("%s w%s %s", g.net.links[i].name, ws, g.net.links[g.dests[j]].name)
}

// ActionLabel is the link entered, or "none" for action 0.
func (g *DynamicRouting) ActionLabel(a int) string {
	if a == 0 {
		return "none"
	}
	return g.net.links[a-1].name
}

// LinkAction is the action (OpenSpiel's id) of a link, 0 if the network has no such link.
func (g *DynamicRouting) LinkAction(name string) int {
	if i, ok := g.net.index[name]; ok {
		return i + 1
	}
	return 0
}

// State is the index of the state on link (name) bound for dest with waiting time w, -1 if there
// is none.
func (g *DynamicRouting) State(link, dest string, w int) int {
	i, ok := g.net.index[link]
	d, okD := g.net.index[dest]
	j, okJ := g.destOf[d]
	if !ok || !okD || !okJ || w < 0 || w >= g.W {
		return -1
	}
	return g.state(i, j, w)
}

// TravelTime is the travel time of link (name) at volume v (OpenSpiel's get_travel_time).
func (g *DynamicRouting) TravelTime(link string, v float64) float64 {
	return g.net.links[g.net.index[link]].travelTime(v)
}

// waitingTime is the waiting time of a vehicle entering link i when the mass on it is rho:
// max(0, int(tt_i(N rho)/Δ) - 1), capped at W-1.
func (g *DynamicRouting) waitingTime(i int, rho float64) int {
	steps := g.net.links[i].travelTime(g.total*rho) / g.p.TimeStepLength
	if steps >= float64(g.W) {
		return g.W - 1
	}
	return max(0, int(steps)-1)
}

// linkMasses returns ρ_m(t+1) for every link m at L_t, summed as OpenSpiel's update_distribution
// sums its support: waiting time -1 (the vehicles entering m, each destination's mass added in
// state order), then 0, 1, ..., H-1 (those waiting on m; at 0 also the step-0 arrivals on their
// destination, OpenSpiel's string of which reads waiting time 0), destinations inner.
func (g *DynamicRouting) linkMasses(t int, L mfg.Population) []float64 {
	nL, D, A := len(g.net.links), len(g.dests), g.Actions()
	enter, stay := make([]float64, nL*D), make([]float64, nL*D) // waiting times -1 and 0 at t+1
	for i := 0; i < nL; i++ {
		for j := 0; j < D; j++ {
			s := g.state(i, j, 0)
			if i == g.dests[j] {
				stay[i*D+j] += stateMass(L, s)
			}
			if !g.moving(i, j, 0) {
				continue
			}
			for _, m := range g.net.succ[i] {
				switch {
				case m == g.dests[j] && t == 0:
					stay[m*D+j] += L.Mass[s*A+m+1]
				case m != g.dests[j] && len(g.net.succ[m]) > 0: // arrived and stuck vehicles are not on a link
					enter[m*D+j] += L.Mass[s*A+m+1]
				}
			}
		}
	}
	rho := make([]float64, nL)
	for m := range rho {
		r := 0.0
		for j := 0; j < D; j++ {
			r += enter[m*D+j]
		}
		for w := 0; w < g.H; w++ { // waiting time w at t+1: w+1 at t
			for j := 0; j < D; j++ {
				if w == 0 {
					r += stay[m*D+j]
				}
				if w+1 < g.W {
					r += stateMass(L, g.state(m, j, w+1))
				}
			}
		}
		rho[m] = r
	}
	return rho
}

// Kinds of rows (s, a) of a routing stage: their successor and reward (see DynamicRouting).
const (
	rowWait    = iota // waiting (or an illegal action's placeholder): a fixed successor, nothing settled
	rowEnter          // entering a link: the successor's waiting time depends on L_t
	rowArrive         // entering the destination at t: reward -tΔ
	rowStuck          // entering a dead end: reward -(H+1)Δ
	rowSettled        // arrived before, or arrived at step 0: nothing more
)

// routingRow is what a stage's row is made of: its kind, and its successor (for rowEnter, the
// state with waiting time 0 on the link entered, to which the waiting time is added).
type routingRow struct {
	kind uint8
	next int32
	link int32 // the link entered (rowEnter)
}

// buildRows classifies every row (s, a).
func (g *DynamicRouting) buildRows() []routingRow {
	S, A := g.States(), g.Actions()
	rows := make([]routingRow, S*A)
	for s := 0; s < S; s++ {
		for a := 0; a < A; a++ {
			rows[s*A+a] = g.row(s, a)
		}
	}
	return rows
}

// row classifies (s, a): an illegal action stays put (w-1 while waiting), a placeholder nothing
// reads.
func (g *DynamicRouting) row(s, a int) routingRow {
	if s == g.arrived() {
		return routingRow{kind: rowSettled, next: int32(s)}
	}
	i, j, w := g.decode(s)
	switch {
	case i == g.dests[j]: // arrived at step 0, still on its destination's link
		return routingRow{kind: rowSettled, next: int32(s)}
	case !g.legal[s*g.Actions()+a] || !g.moving(i, j, w):
		return routingRow{kind: rowWait, next: int32(g.state(i, j, max(w-1, 0)))}
	}
	switch m := a - 1; {
	case m == g.dests[j]:
		return routingRow{kind: rowArrive, next: int32(g.arrived()), link: int32(m)}
	case len(g.net.succ[m]) == 0:
		return routingRow{kind: rowStuck, next: int32(g.arrived())}
	default:
		return routingRow{kind: rowEnter, next: int32(g.state(m, j, 0)), link: int32(m)}
	}
}

// Stage returns the rewards and, for t < T, the moves at L_t: waiting decrements w; entering link
// m moves to (m, j, w_m) with w_m from ρ_m(t+1), or arrives at the destination (reward -tΔ; at
// t = 0 staying on it, as OpenSpiel's string does) or is stuck on a dead end (reward -(H+1)Δ);
// every row has one successor. At t = T a vehicle not settled then is charged -(H+1)Δ (the moves
// of stage T, never read, stay put).
func (g *DynamicRouting) Stage(t int, L mfg.Population) (*mfg.MDP, error) {
	S, A, T, dt := g.States(), g.Actions(), g.Horizon(), g.p.TimeStepLength
	var wait []int
	if t < T {
		rho := g.linkMasses(t, L)
		wait = make([]int, len(rho))
		for m, r := range rho {
			wait[m] = g.waitingTime(m, r)
		}
	}
	next, reward := make([]int, S*A), make([]float64, S*A)
	late := -float64(g.H+1) * dt
	for i, r := range g.rows {
		next[i] = int(r.next)
		switch r.kind {
		case rowEnter:
			if t < T {
				next[i] += wait[r.link]
			}
		case rowArrive:
			reward[i] = -float64(t) * dt
			if t == 0 { // OpenSpiel's arrival time 0 reads as "still travelling"
				next[i] = g.state(int(r.link), g.destOf[int(r.link)], 0)
			}
		case rowStuck:
			reward[i] = late
		}
		if t == T {
			next[i] = i / A
			if r.kind == rowWait || r.kind == rowEnter {
				reward[i] = late // not arrived after the last decision: arrival step H+1
			}
		}
	}
	return &mfg.MDP{States: S, Actions: A, Reward: reward, RowStart: g.rowStart, Next: next, Prob: g.ones}, nil
}

func init() {
	Register("dynamic-routing", "vehicles choose routes through a congested road network (OpenSpiel's mean-field routing game)",
		"OpenSpiel python_mfg_dynamic_routing and mfg_dynamic_routing (open_spiel/python/mfg/games/dynamic_routing.py, open_spiel/python/games/dynamic_routing_{utils,data}.py, open_spiel/games/mfg/dynamic_routing.cc)",
		DefaultDynamicRoutingParams, func(p DynamicRoutingParams) (mfg.Finite, error) { return NewDynamicRouting(p) })
}
