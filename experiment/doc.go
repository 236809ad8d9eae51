// Package experiment turns a configuration into runs of the engine and files on disk: the layer
// between the library (games, algorithms, metrics) and the mfg program.
//
// SolveConfig is the complete, serialisable description of one `mfg solve` run, split by concern:
// what to run (game, algorithm, iterations, seed, arithmetic), what to record (exploitability, the
// distance to GMF-V), the game's parameters and the algorithm's, each read by its registry.
// Resolve makes every choice explicit and refuses what does not apply; Execute is the one function
// every solve of the program goes through (mfg solve, sweeps), in float64 with package engine or
// in MFGLib's float32 with package mfglib32, returning one engine.Result; RunSolve writes its
// outputs atomically (a file is either complete or absent), in one schema for every kind of run;
// RunSolveStreamed (mfg solve's) writes the same files with a memory that does not grow with the
// iterations, trace.csv and trace.json going to temporary files as the iterations arrive.
// Compare and Reproduce run the N-player comparison and the talk's experiments.
package experiment
