#!/usr/bin/env bash
# Compares every file two mfg binaries write for the same solves, byte for byte: the outputs of a
# change that should only make them faster (issue 12) must not move. Usage:
#   scripts/compare-solve-outputs.sh OLD_MFG NEW_MFG [WORKDIR]
# Exits 1, naming the case and the file, at the first difference (or a run that fails with one
# binary and not the other); prints "N passed, 0 failed" otherwise.
set -u
old=$1 new=$2 work=${3:-$(mktemp -d)}
passed=0
mkdir -p "$work" || exit 1

# run CASE_ARGS...: solve with both binaries into work/old and work/new, then compare the folders.
run() {
	rm -rf "$work/old" "$work/new"
	"$old" solve "$@" --out "$work/old" --force --no-progress >"$work/old.stdout" 2>"$work/old.stderr"
	local rc_old=$?
	"$new" solve "$@" --out "$work/new" --force --no-progress >"$work/new.stdout" 2>"$work/new.stderr"
	local rc_new=$?
	if [ "$rc_old" != "$rc_new" ]; then
		echo "FAIL ($*): exit status $rc_old with the old binary, $rc_new with the new"
		exit 1
	fi
	if [ ! -d "$work/old" ] || [ ! -d "$work/new" ]; then
		echo "FAIL ($*): no output folder; the old binary said: $(tail -1 "$work/old.stderr")"
		exit 1
	fi
	local names
	names=$(cd "$work/old" && ls -A)
	if [ "$names" != "$(cd "$work/new" && ls -A)" ]; then
		echo "FAIL ($*): different files: $(echo $names) / $(cd "$work/new" && echo $(ls -A))"
		exit 1
	fi
	for f in $names; do
		if ! cmp -s "$work/old/$f" "$work/new/$f"; then
			echo "FAIL ($*): $f differs"
			cmp "$work/old/$f" "$work/new/$f" | head -1
			exit 1
		fi
	done
	passed=$((passed + 1))
	echo "ok ($*): $(echo $names)"
}

algs="fictitious-play online-mirror-descent prior-descent damped-fixed-point"
for alg in $algs; do
	for n in 1 10 1000 10010; do
		run --game left-right --algorithm "$alg" --iterations "$n" --trace-matrices 0
	done
	run --game beach-bar --algorithm "$alg" --iterations 10010 --trace-matrices 0
	run --game rock-paper-scissors --algorithm "$alg" --iterations 1000 --trace-matrices 5
	run --game random-linear --algorithm "$alg" --iterations 10010 --trace-matrices 0
	run --game susceptible-infected --algorithm "$alg" --iterations 1000 --trace-matrices 0
done
for n in 0 1 10 1000; do
	run --game beach-bar --algorithm online-mirror-descent --iterations "$n" --trace-matrices 1
	run --game random-linear --algorithm prior-descent --iterations "$n" --trace-matrices 5
done
run --game crowd-motion --algorithm fictitious-play --iterations 100 --trace-matrices 0
run --game crowd-motion --algorithm online-mirror-descent --iterations 30 --trace-matrices 1
run --game linear-quadratic --algorithm prior-descent --iterations 50 --trace-matrices 0
run --game linear-quadratic --algorithm damped-fixed-point --iterations 20 --trace-matrices 5
run --game susceptible-infected --algorithm fictitious-play --iterations 0 --trace-matrices 5
run --game equilibrium-price --algorithm online-mirror-descent --iterations 1000 --trace-matrices 0
run --game building-evacuation --algorithm prior-descent --iterations 10 --trace-matrices 1
# The default solve: GMF-Q on the stationary auction, compared with GMF-V's equilibrium.
run
run --iterations 50 --trace-matrices 1
run --game congestion --algorithm gmf-v --iterations 0 --trace-matrices 1
# Multi-population games.
run --game crowd-avoidance --algorithm fictitious-play --iterations 100 --trace-matrices 0
run --game crowd-avoidance --algorithm online-mirror-descent --iterations 10 --trace-matrices 1
run --game predator-prey --algorithm online-mirror-descent --iterations 20 --trace-matrices 5
# Runs that fail on a policy not finite in float32: NaN and ±Inf in the tables.
run --game beach-bar --arithmetic mfglib-float32 --algorithm online-mirror-descent --alpha 1e38 --iterations 10 --trace-matrices 1
run --game linear-quadratic --arithmetic mfglib-float32 --algorithm online-mirror-descent --alpha 1e38 --iterations 10 --trace-matrices 1
run --game left-right --arithmetic mfglib-float32 --algorithm prior-descent --eta 1e-38 --iterations 10 --trace-matrices 1
echo "$passed passed, 0 failed"
