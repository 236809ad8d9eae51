// Package experiment turns a configuration into runs of the solvers and files on disk: the layer
// between the library (games, solvers, metrics) and the mfg program.
//
// SolveConfig is the complete, serialisable description of one `mfg solve` run: the game and its
// parameters, the algorithm preset and any part swapped out of it, the seed. Its YAML keys are
// the command-line flag names. RunSolve resolves it into solver options, solves, and writes the
// outputs atomically (a file is either complete or absent).
package experiment
