package games

import (
	"fmt"
	"sort"
	"strings"

	"meanfield/mfg"
)

// Params gathers the parameters of every game, so that one configuration can name any of them.
type Params struct {
	Auction    AuctionParams    `yaml:",inline"`
	Congestion CongestionParams `yaml:",inline"`
}

// DefaultParams returns every game's defaults.
func DefaultParams() Params {
	return Params{Auction: DefaultAuctionParams(), Congestion: DefaultCongestionParams()}
}

// Info describes a game for listings.
type Info struct {
	Name, Description, Reference string
	build                        func(Params) (mfg.Stationary, error)
}

var registry = map[string]Info{
	"auction": {
		Name:        "auction",
		Description: "repeated second-price ad auction with budgets (states = budgets, actions = bids)",
		Reference:   "Guo, Hu, Xu, Zhang, Learning Mean-Field Games, NeurIPS 2019",
		build:       func(p Params) (mfg.Stationary, error) { return NewAuction(p.Auction) },
	},
	"congestion": {
		Name:        "congestion",
		Description: "crowd aversion: pick a place, pay the share of the population that picked it; closed-form equilibrium",
		Reference:   "this project (a test game)",
		build: func(p Params) (mfg.Stationary, error) {
			c := p.Congestion
			c.Discount = p.Auction.Discount // one discount flag serves every game
			return NewCongestion(c)
		},
	},
}

// Names lists the stationary (discounted, infinite-horizon) games in alphabetical order.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the description of a game.
func Lookup(name string) (Info, bool) {
	info, ok := registry[name]
	return info, ok
}

// New builds the named game from the parameters.
func New(name string, p Params) (mfg.Stationary, error) {
	info, ok := registry[name]
	if !ok {
		if IsFinite(name) {
			return nil, fmt.Errorf("game = %q is a finite-horizon game: build it with NewFinite", name)
		}
		return nil, fmt.Errorf("game = %q: unknown game (known: %s)", name, strings.Join(AllNames(), ", "))
	}
	return info.build(p)
}
