// Package tune searches the parameters of an algorithm (or of the games) that minimise an
// objective of the exploitability over a suite of games: MFGLib's tuner (Optuna's TPE over its
// metrics), written on the machinery of package sweep.
//
// A study (File) names a base configuration of `mfg solve`, optionally a list of games merged
// over it, the tuned parameters with their ranges (Param: float, int, categorical; log scale),
// the objective (Objective), the number of trials, the sampler (TPE, Random, Grid) and
// optionally a pruner (Median, SuccessiveHalving). Trial k proposes values θ_k, solves every
// game g with them (the same seed in every trial) and records each game's exploitability trace
// e^g_0..e^g_K; its objective is, for instance,
//
//	J(θ_k) = (Π_g (min_i e^g_i + s))^(1/G) − s,
//
// MFGLib's GeometricMean of the stat "expl", with shift s.
//
// # Determinism
//
// Trial k's proposal depends only on the study (its seed gives trial k's own random stream) and
// on the records of the trials of its history, 0..h-1 with h = batch·⌊k/batch⌋: the trials of the
// batches before its own (Study.History). So are the pruner's decisions. A trial whose sampler
// or pruner reads its history waits for those records; trials of one batch run in parallel.
// The records, and so the study, are therefore the same to the last bit whatever the number
// of workers or processes, and whatever the order in which trials end; batch (1 by default:
// Optuna's sequential study) trades the information each proposal has for parallelism. TPE's
// first startup trials and every random or grid trial read no history and never wait, unless
// the pruner reads it.
//
// # Folders, resuming, clusters
//
// Each trial is written atomically to trials/<k>.json when it ends, under a lock
// (trials/<k>.lock, sweep.LockFile: flock(2), released by the kernel when its holder dies);
// the folder belongs to one study (study.json, created once, with the study's fingerprint).
// A study killed at any moment, started again, computes the missing trials only; several
// processes started on one folder (the tasks of a Slurm job array) share the trials between
// them, each computing a trial another holds only if that one dies. A process that needs a
// trial of its history that nobody computes computes it itself.
//
// Summarize and Summary.Write then give trials.parquet (one row per trial), games.parquet (one
// row per trial and game), best.yaml (the best trial's configuration, for `mfg solve --config`)
// and the figures history.svg and params.svg.
package tune
