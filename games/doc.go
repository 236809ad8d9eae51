// Package games holds concrete mean-field games, one file per game, each with a parameter struct
// whose zero-value-free defaults come from a Default... function and whose Validate names the
// offending parameter and value.
//
//   - auction.go: the repeated second-price ad auction with budgets of Guo, Hu, Xu and Zhang
//     (2019), model-based and model-free.
//   - congestion.go: a crowd-aversion game whose equilibrium and exploitability are known in
//     closed form, used to check solvers and metrics.
//
// registry.go maps names to constructors for the command line.
package games
