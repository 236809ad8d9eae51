// Package sweep runs many solves described by one sweep file: a base configuration (the YAML of
// `mfg solve`), axes of parameter values, and replicates. The runs are the cartesian product of
// the axes times the replicates, in a fixed order, each with a stable identifier derived from its
// parameter values; each run's seed is derived from the sweep's seed and that identifier, so the
// same sweep file always gives the same runs, ids and results.
//
// Runs execute in parallel; every finished run (successful or failed, with its error) is written
// atomically to runs/<id>.json in the results folder, so a sweep that is stopped and started again
// computes only what is missing. A sweep can be cut into n disjoint shards (run i of the sweep
// belongs to shard i mod n), one per process of a Slurm job array or a Kubernetes Indexed Job,
// all writing into a shared folder; Merge then checks that every run is there and writes
// runs.parquet (one row per run) and iterations.parquet (one row per run and iteration), with
// every parameter as a column. Results do not depend on the number of workers or shards.
package sweep
