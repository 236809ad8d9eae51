#!/usr/bin/env bash
# MFGLib 0.3.0 and this module side by side, one core each (issue 12): for each of MFGLib's ten
# games at its defaults and each of its algorithms we have (fictitious play, online mirror
# descent, prior descent, and the damped fixed point = its FictitiousPlay(alpha=0.5)), the cost of
# one iteration with its exploitability
#   - in MFGLib: scripts/mfglib_timing.py (torch on one thread), the median of the per-iteration
#     times of solve();
#   - ours in-process: BenchmarkMFGLibSideBySide in games/ (-cpu 1, GOMAXPROCS=1), the marginal
#     cost of engine.Solve from N1 to N2 iterations, median over the repetitions;
#   - ours whole-process: (time of `mfg solve ... --iterations N2` - time with N1) / (N2 - N1),
#     medians over the repetitions; N2 = N1 + 1000 on the two largest games (crowd motion,
#     building evacuation), N1 + 10000 on the eight whose iterations cost microseconds (a
#     process's time varies by tens of milliseconds); every output written (--trace-matrices 0, the default since issue
#     12, given explicitly: before, a short run kept every iteration's matrices by default and a
#     long one none).
# Everything runs pinned to one CPU (taskset -c $BENCH_CPU). The table (markdown) goes to stdout,
# the raw measurements to $BENCH_OUT.
#
#   MFGLIB_SRC=/tmp/mfglib bash scripts/bench-mfglib.sh
#
# MFGLIB_SRC holds MFGLib 0.3.0's source (the folder with the package directory mfglib/: the
# v0.3.0 tag of github.com/radar-research-lab/MFGLib); Debian's python3-torch must be installed.
# Environment (optional): BENCH_OUT (default a new temporary directory), BENCH_CPU (default 1),
# BENCH_REPEATS (default 5), BENCH_N1 (default 10), BENCH_N2 / BENCH_N2_SMALL (default 1010 /
# 10010; the in-process benchmark uses 10 and 110 iterations), MFGLIB_ITERS (iterations of
# each MFGLib solve, default 10), MFGLIB_REPEATS (MFGLib solves per combination, default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${MFGLIB_SRC:?set MFGLIB_SRC to the source of MFGLib 0.3.0}"
OUT=${BENCH_OUT:-$(mktemp -d -t bench-mfglib.XXXXXX)}
CPU=${BENCH_CPU:-1}
REPS=${BENCH_REPEATS:-5}
N1=${BENCH_N1:-10}
N2=${BENCH_N2:-1010}
N2_SMALL=${BENCH_N2_SMALL:-10010}
SMALL=" beach-bar conservative-treasure-hunting equilibrium-price left-right linear-quadratic random-linear rock-paper-scissors susceptible-infected "
mkdir -p "$OUT"
PIN=(taskset -c "$CPU")
GAMES="beach-bar building-evacuation conservative-treasure-hunting crowd-motion equilibrium-price left-right linear-quadratic random-linear rock-paper-scissors susceptible-infected"
ALGS="fictitious-play online-mirror-descent prior-descent damped-fixed-point"

{
	echo "date: $(date -u +%FT%TZ)"
	echo "commit: $(git rev-parse HEAD)$(git diff --quiet || echo ' (dirty)')"
	echo "go: $(go version)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-) ($(nproc) cores), pinned to CPU $CPU"
	echo "loadavg before: $(cat /proc/loadavg)"
	echo "python: $(/usr/bin/python3 --version 2>&1)"
	echo "python3-torch: $(dpkg-query -W -f '${Version}' python3-torch 2>/dev/null || echo '?')"
	echo "libblas.so.3: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
	echo "MFGLib: $(grep -m1 '^version' "$MFGLIB_SRC/pyproject.toml" 2>/dev/null || echo '?') from $MFGLIB_SRC"
	echo "repeats: $REPS, N1 = $N1, N2 = $N2 ($N2_SMALL for$SMALL)"
} >"$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

echo "building mfg" >&2
go build -o "$OUT/mfg" ./cmd/mfg
go test -c -o "$OUT/games.test" ./games/

echo "MFGLib (python, torch on one thread)" >&2
PYTHONPATH="$MFGLIB_SRC:finite/testdata/mfglib_driver/stubs" OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
	"${PIN[@]}" /usr/bin/python3 scripts/mfglib_timing.py "${MFGLIB_ITERS:-10}" "${MFGLIB_REPEATS:-3}" \
	>"$OUT/mfglib.jsonl"

echo "ours in-process (go test -bench, -cpu 1)" >&2
GOMAXPROCS=1 "${PIN[@]}" "$OUT/games.test" -test.run '^$' -test.bench 'MFGLibSideBySide' \
	-test.cpu 1 -test.count "$REPS" -test.benchtime 3x >"$OUT/go-bench.txt"

echo "ours whole-process (mfg solve, GOMAXPROCS=1)" >&2
: >"$OUT/process.tsv"
for rep in $(seq "$REPS"); do
	for g in $GAMES; do
		for a in $ALGS; do
			n2=$N2
			[[ $SMALL == *" $g "* ]] && n2=$N2_SMALL
			for n in "$N1" "$n2"; do
				t0=$(date +%s%N)
				GOMAXPROCS=1 "${PIN[@]}" "$OUT/mfg" solve --game "$g" --algorithm "$a" --iterations "$n" \
					--trace-matrices 0 --out "$OUT/run" --force --no-progress >/dev/null
				t1=$(date +%s%N)
				printf '%s\t%s\t%s\t%s\t%s\n' "$rep" "$g" "$a" "$n" "$(((t1 - t0) / 1000))" >>"$OUT/process.tsv"
			done
		done
	done
done
echo "loadavg after: $(cat /proc/loadavg)" >>"$OUT/machine.txt"

/usr/bin/python3 scripts/mfglib_table.py "$OUT"
echo "raw measurements in $OUT" >&2
