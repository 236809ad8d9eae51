// Package games holds concrete mean-field games, one file per game, each with a parameter struct
// (YAML tags are the parameter names), a Default...Params function, a Validate that names the
// offending parameter and value, and an init that registers the game (Register): its name, a
// one-line description, a reference, its defaults and its constructor. New builds any registered
// game by name from parameters by name; `mfg games` lists them. Adding a game is one new file
// (and its test) that does the same; package gamestest checks that a game keeps the contracts.
// Every game names its states and actions (mfg.Labeled: positions, cells, budgets, moves), as
// its transitions move them; games on a grid also give each move's displacement (mfg.Mover).
// A game that a parameter can make large also gives its parameter struct a GameSize (Sizer,
// size.go): its states, actions, times and successors a row, read from the parameters, so that a
// run too large for the memory is refused before the game is built.
//
// Stationary discounted games (mfg.Stationary):
//   - auction.go: the repeated second-price ad auction with budgets of Guo, Hu, Xu and Zhang
//     (2019), model-based (closed forms) and model-free (a bid-by-bid simulator).
//   - congestion.go: a crowd-aversion game whose equilibrium and exploitability are known in
//     closed form, used to check solvers and metrics.
//   - Bench-MFG's stationary games (commit 3ec7b28, discount 0.9, uniform start): contraction.go,
//     lasry_lions_chain.go, sis_epidemic.go, kinetic_congestion.go (100-atom rounded
//     probabilities), no_interaction.go (with the noise-atom MDP builder and chain the next
//     three share), multiple_equilibria.go, skew_rps.go, four_rooms_obstacles.go, and the
//     random generator mf_garnet.go (MF-Garnet, drawn from NumPy's default_rng bit for bit).
//
// Finite-horizon games (mfg.Finite), MFGLib 0.3.0's suite with its parameter names and defaults:
// beach_bar.go, building_evacuation.go, conservative_treasure_hunting.go, crowd_motion.go,
// equilibrium_price.go, left_right.go, linear_quadratic.go, random_linear.go,
// rock_paper_scissors.go, susceptible_infected.go; and OpenSpiel's single-population games:
// crowd_modelling.go, garnet.go, lin_quad.go, periodic_aversion.go, normal_form.go (helpers
// shared by the last four in openspiel.go), crowd_modelling_2d.go (the 2-D game, with walls
// as illegal moves through mfg.LegalActions; its FOUR_ROOMS and MAZE grids in
// crowd_modelling_2d_grids.go, registered as the factory settings crowd-modelling-2d-four-rooms
// and crowd-modelling-2d-maze); dynamic_routing.go (OpenSpiel's mean-field routing game: legal
// actions are the links leaving a link's head, transitions depend on the population through the
// links' travel times; its Sioux Falls data in dynamic_routing_data.go); and OpenSpiel's
// multi-population games (mfg.MultiPopulation),
// predator_prey.go and crowd_avoidance.go, on grid_populations.go's machinery. The games MFGLib
// builds from torch's seeded
// generator, and OpenSpiel's garnet from std::mt19937 and Abseil, rebuild the same instances
// (internal/nprand).
package games
