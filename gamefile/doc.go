// Package gamefile reads mean-field games from game files: small programs in Starlark (Python's
// syntax, deterministic, sandboxed; go.starlark.net) that describe a finite-horizon or a
// stationary game. Load returns an mfg.Finite or an mfg.ModelBased that any algorithm solves
// (mfg solve --game-file FILE).
//
// # The file
//
// A file defines a global game, and optionally params:
//
//	params = {"n": 4, "noise": 0.5}     # parameters and their defaults; --param n=10 overrides
//
//	def reward(p, t, s, a, mf):         # r(t, s, a, L_t): a number
//	    return -math.log(mf.mu[s] + 1e-20) - abs(a - 1) / p["n"]
//
//	def transition(p, t, s, a, mf):     # P(·|t, s, a, L_t): {next state: probability}
//	    return {max(0, min(p["n"] - 1, s + a - 1)): 1.0}
//
//	def game(p):                        # or game = finite(...) when nothing depends on p
//	    return finite(horizon = 2, states = p["n"], actions = 3,
//	                  reward = reward, transition = transition)
//
// finite(horizon, states, actions, name?, mu0?, reward | reward_table, transition |
// transition_rows (or stage), r_max?, moves?) is a finite-horizon game with time steps
// t = 0..horizon; mu0 is μ0, a list of States numbers or a function of p returning one (None:
// uniform). r_max, a bound on |r|, is MFGLib's env.r_max, which MF-OMO reads (the game is then
// an mfg.RewardBound). moves, one displacement per action (a number on a line, else a list of
// one number per dimension of the states), makes the game an mfg.Mover: a solve then draws the
// population over time. name defaults to the file's name without its extension.
//
// stationary(discount, states, actions, name?, initial_population?, reward | reward_table,
// transition | transition_rows (or stage)) is a discounted game, γ = discount in (0, 1);
// initial_population is L_0, States rows of Actions numbers (or States·Actions numbers, or a
// function of p; None: uniform); its functions are called with t = 0. It may also give a
// simulator, for the model-free algorithms (GMF-Q's Q-learning, the sampled population step):
// outcomes(p, mf) returns the outcomes of one round at the mean field, a list of pairs (weight,
// outcome) drawn with probability weight / Σ weight, and settle(p, s, a, outcome) the pair
// (reward, next state) of an agent in state s playing a in a round with that outcome. The game
// is then a SamplingStationary, an mfg.ModelFree. Everything a round draws from the population
// goes into its outcome, which is hashable (a number, a string or a tuple of them): settle does
// not see mf, so it is evaluated once per outcome and pair and cached, and a draw is one 64-bit
// number of the caller's stream (an alias table) and a lookup, no Starlark. The conformance kit
// (mfg check-game --game-file) compares the simulator with the model.
//
// states and actions are a positive int n (indices 0..n-1) or a list of dimensions (a grid),
// flattened row-major as MFGLib and NumPy do: grid_index(shape, coords) and grid_coords(shape, i)
// convert. s, a and the keys of a transition are flat indices.
//
// The mean field mf has mf.mu[s] = μ(s) = Σ_a L(s, a), mf.alpha[a] = α(a) = Σ_s L(s, a) and
// mf.L[s][a] = L(s, a). Per entry, reward(p, t, s, a, mf) returns r(t, s, a, L_t) and
// transition(p, t, s, a, mf) a dict {s': P(s'|t, s, a, L_t)} (or a list of States
// probabilities). The whole-stage forms, one call per time and faster on large games, return
// tables: reward_table(p, t, mf) a list of States rows of Actions numbers, transition_rows(p, t,
// mf) a list of States rows of Actions such dicts. Give one form of each, or stage(p, t, mf)
// returning the pair (reward table, transition rows) when the two share their work. A finite
// game's transitions are not read at t = horizon.
//
// The predeclared names are finite, stationary, grid_index, grid_coords and math (Starlark's math
// module). The dialect allows set and top-level if and for, not while nor recursion; print writes
// nothing.
//
// # Validation and errors
//
// Every value a function returns is checked: numbers (not strings, None or bools), finite
// rewards, table shapes, next states in range, non-negative probabilities summing to 1 within
// 1e-9. An error is an *Error naming the position in the file (file:line:col: the statement that
// failed, or the definition of the function whose value is wrong), the evaluation (reward(t=0,
// s=3, a=1)) and the problem. A parameter override must be a name of params and have the type of
// its default (an int for an int, a number for a float, a bool, a string, a list of numbers).
//
// # Sandbox and limits
//
// A file reads no file, clock, network or random stream: its functions are pure, so a stage is
// cached per time and population, and a time whose transitions did not read mf keeps them for
// every population. Each evaluation (running the file; building one stage) is stopped after
// Options.MaxSteps Starlark steps, and when the heap grows by more than Options.MaxMemory; a game
// has at most Options.MaxEntries state-action pairs.
package gamefile
