"""The table of scripts/bench-mfglib.sh: reads OUT/{mfglib.jsonl,go-bench.txt,process.tsv}.

    python3 scripts/mfglib_table.py OUT

Whole-process: for each combination, the fewest and the most iterations timed in process.tsv.
"""
import json, math, re, statistics, sys
from collections import defaultdict


def main():
    out = sys.argv[1]
    lib, order = {}, []
    with open(f"{out}/mfglib.jsonl") as f:
        for line in f:
            r = json.loads(line)
            if "game" in r:
                key = (r["game"], r["algorithm"])
                order.append(key)
                lib[key] = r.get("seconds")
    inproc = defaultdict(list)
    pat = re.compile(r"^BenchmarkMFGLibSideBySide/([^/\s]+)/(\S+?)(?:-\d+)?\s.*?([0-9.e+-]+) s/iteration")
    with open(f"{out}/go-bench.txt") as f:
        for line in f:
            m = pat.match(line)
            if m:
                inproc[(m.group(1), m.group(2))].append(float(m.group(3)))
    proc = defaultdict(lambda: defaultdict(list))
    with open(f"{out}/process.tsv") as f:
        for line in f:
            _, g, a, n, us = line.split("\t")
            proc[(g, a)][int(n)].append(int(us) * 1e-6)
    rows, ratios_in, ratios_proc = [], [], []
    for key in order:
        ours = statistics.median(inproc[key]) if inproc[key] else None
        whole = None
        if len(proc[key]) >= 2:
            n1, n2 = min(proc[key]), max(proc[key])
            whole = (statistics.median(proc[key][n2]) - statistics.median(proc[key][n1])) / (n2 - n1)
        m = lib[key]
        r_in = m / ours if m and ours and ours > 0 else None
        r_proc = m / whole if m and whole and whole > 0 else None
        if r_in:
            ratios_in.append(r_in)
        if r_proc:
            ratios_proc.append(r_proc)
        rows.append((key, m, ours, r_in, whole, r_proc))
    fmt = lambda x, spec: "n/a" if x is None else format(x, spec)  # noqa: E731
    print("| game | algorithm | MFGLib s/it | ours in-process s/it | ratio | ours whole-process s/it | ratio |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for (g, a), m, ours, r_in, whole, r_proc in rows:
        print(f"| {g} | {a} | {fmt(m, '.3g')} | {fmt(ours, '.3g')} | {fmt(r_in, '.0f')} "
              f"| {fmt(whole, '.3g')} | {fmt(r_proc, '.0f')} |")
    gm = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))  # noqa: E731
    print(f"| **geometric mean** ({len(ratios_in)} / {len(ratios_proc)}) | | | | **{gm(ratios_in):.0f}** | | "
          f"**{gm(ratios_proc):.0f}** |")
    print(f"| **minimum** | | | | **{min(ratios_in):.0f}** | | **{min(ratios_proc):.0f}** |")
    short = [(r[3], r[0]) for r in rows if r[3] is not None and r[3] < 1000]
    print(f"\nin-process below 1000x: {len(short)} of {len(ratios_in)}: "
          + ", ".join(f"{g}/{a} {x:.0f}x" for x, (g, a) in sorted(short)))
    shortp = [(r[5], r[0]) for r in rows if r[5] is not None and r[5] < 1000]
    print(f"whole-process below 1000x: {len(shortp)} of {len(ratios_proc)}: "
          + ", ".join(f"{g}/{a} {x:.0f}x" for x, (g, a) in sorted(shortp)))


if __name__ == "__main__":
    main()
