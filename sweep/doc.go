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
//
// # Sweep files and names
//
// A sweep file is one YAML document: an empty file and a file of several documents are refused.
// A sweep's name must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ and hold no ".." (CheckName); it is
// checked before the default results folder out/sweep-NAME is built from it, which therefore
// never leaves out/. An unnamed sweep takes its file's base name if that is a valid name.
//
// # One folder, one sweep
//
// A results folder belongs to the sweep of its sweep.json, which holds the sweep's fingerprint
// (a hash of its seed, base, axes, replicates and record format). Prepare creates sweep.json once
// and never replaces it: it writes a complete temporary file and hard-links it to sweep.json,
// which fails if sweep.json exists (an O_EXCL create where the file system has no hard links).
// Every process then reads sweep.json back and goes on only if it names its own sweep, so of
// several sweeps started at once on one empty folder exactly one owns it and the others fail with
// ErrOtherSweep before they write anything. Processes of the same sweep (its shards, or the same
// sweep started twice) share the folder.
//
// Every record also carries its sweep's fingerprint and seed, with its run's id, index,
// replicate and seed. A record that does not match its run of the folder's sweep (copied from
// another folder, or written by an older version) is a foreign record: Collect, Merge, Summarize
// and RunSweep refuse it (ErrForeignRecord, naming the file) and leave it in place; it is never
// merged, nor taken for a finished run.
//
// # One computation per run
//
// Each run is computed under an advisory lock: an exclusive flock(2) on runs/<id>.lock, taken
// without waiting. Under the lock, a run that has a record by now is counted as found; otherwise
// it is computed, its record written, and the lock file removed before it is unlocked. A run whose
// lock another process holds is left for later and, once the others are done, waited for (polling
// every 100 ms), so that RunSweep returns only when every run of its selection has a record:
// two processes of one sweep on one folder split the work between them and both can merge.
// Because the lock file is removed, a process that gets the lock checks that its file is still
// the one at the path, and tries again otherwise; so there is one holder at a time.
//
// flock was chosen over O_EXCL claim files because the kernel (or, on NFS, the lock manager)
// releases it when its process dies, however it dies: a run held by a killed process is free at
// once, with no stale claim to detect by pid, host name or age, which is unreliable across the
// nodes of a cluster. A lock file left by a killed process is only an unlocked file, taken and
// removed by the next process. Per-run locks, not one lock for the folder, let the shards of a
// Slurm job array work on one folder at once. Where the file system does not support flock (for
// example Lustre mounted without -o flock), or on systems without it, runs are not locked:
// shards still never share runs, and two processes of the same unsharded sweep may both compute
// a run, writing the same record.
package sweep
