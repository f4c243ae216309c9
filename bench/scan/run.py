#!/usr/bin/env python3
"""Scan benchmark: one command, prints a table and writes bench/out/scan.json.

    python3 bench/scan/run.py            # from the repo root

Measures on ../shared/data/news-bbc/bbc_dev.jsonl (read in place, never
copied into the repo; the 10x input is written to bench/out/, which is not
committed):

1. `unspin scan` throughput on 1 core (`taskset -c 0`, `-j 1`) and 2 cores
   (`taskset -c 0,1`, `-j 2`), and their ratio (target >= 1.8);
2. `wc -w` on the same input on 1 core, and scan-1-core / wc-w (target
   >= 0.08);
3. peak RSS (/usr/bin/time -v) of `unspin scan -j 2` on the 1x and the 10x
   input, and their ratio (target <= 1.2);
4. the Python batch API (`unspin.detect_batch`, 2 cores, with JSON parsing
   and serialising in Python) vs the CLI on 2 cores (target >= 0.8), and
   `Unspinner.scan_lines` (JSONL in, JSONL out, parsing in Rust).

Each timing is the best of --repeat runs (the machine is shared).
Env: UNSPIN_BIN (default target/release/unspin, built if missing),
UNSPIN_BENCH_PYTHON (a python with the unspin wheel; the Python row is
skipped without one).
"""

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "..", "shared", "data", "news-bbc", "bbc_dev.jsonl")
OUT = os.path.join(ROOT, "bench", "out")

PY_BENCH = r"""
import json, sys, time, unspin
path, mode = sys.argv[1], sys.argv[2]
u = unspin.default_unspinner()
u.detect("warm up")
t0, c0 = time.perf_counter(), time.process_time()
n = 0
with open(path, "rb") as f:
    while True:
        chunk = f.readlines(1 << 20)
        if not chunk:
            break
        if mode == "detect_batch":
            recs = [json.loads(l) for l in chunk if l.strip()]
            res = u.detect_batch([r.pop("text") for r in recs])
            out = [json.dumps({**r, **d}) for r, d in zip(recs, res)]
        else:
            out, _ = u.scan_lines(chunk)
        n += len(out)
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "records": n}))
"""


def children_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd, repeat, env=None):
    """(best wall seconds, CPU seconds of that run)."""
    best = None
    for _ in range(repeat):
        c0, t0 = children_cpu(), time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        dt, cpu = time.perf_counter() - t0, children_cpu() - c0
        if r.returncode not in (0, 2):
            raise SystemExit(f"{cmd} failed:\n{r.stderr.decode()[-2000:]}")
        if best is None or dt < best[0]:
            best = (dt, cpu)
    return best


def peak_rss_kb(cmd):
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    if r.returncode not in (0, 2) or not m:
        raise SystemExit(f"measuring {cmd} failed:\n{r.stderr[-2000:]}")
    return int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--input", default=DATA, help="a JSONL corpus (default: the BBC dev set)")
    ap.add_argument("--mb", type=float, default=1.0, help="size of the 1x input: the first MB of --input")
    args = ap.parse_args()
    if not os.path.exists(args.input):
        print(f"bench/scan: skipped: {args.input} not found")
        return 0
    os.makedirs(OUT, exist_ok=True)
    bin_ = os.environ.get("UNSPIN_BIN") or os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "unspin")
    if not os.environ.get("UNSPIN_BIN"):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "unspin-cli"], cwd=ROOT, check=True)
    # the 1x input: whole records from the start of --input, about --mb MB
    data = bytearray()
    with open(args.input, "rb") as f:
        for line in f:
            if len(data) + len(line) > args.mb * 1e6 and data:
                break
            data += line
    src = os.path.join(OUT, "scan-1x.jsonl")
    big = os.path.join(OUT, "scan-10x.jsonl")
    with open(src, "wb") as f:
        f.write(data)
    with open(big, "wb") as f:
        for _ in range(10):
            f.write(data)
    size = len(data)
    mb = size / 1e6
    scan = [bin_, "scan", "-q"]
    (one, one_cpu) = timed(["taskset", "-c", "0"] + scan + ["-j", "1", src], args.repeat)
    (two, two_cpu) = timed(["taskset", "-c", "0,1"] + scan + ["-j", "2", src], args.repeat)
    (wc, wc_cpu) = timed(["taskset", "-c", "0", "wc", "-w", src], max(args.repeat, 5))
    rss1 = peak_rss_kb(scan + ["-j", "2", src])
    rss10 = peak_rss_kb(scan + ["-j", "2", big])
    rows = {
        "input_mb": mb,
        "scan_1core_mb_s": mb / one,
        "scan_2core_mb_s": mb / two,
        "scaling_2_vs_1": one / two,
        "wc_w_mb_s": mb / wc,
        "scan_1core_vs_wc_w": wc / one,
        "scan_mb_per_cpu_s_j1": mb / one_cpu,
        "scan_mb_per_cpu_s_j2": mb / two_cpu,
        "cpu_efficiency_j2_vs_j1": one_cpu / two_cpu,
        "wc_w_mb_per_cpu_s": mb / max(wc_cpu, 1e-3),
        "load_avg_1min": os.getloadavg()[0],
        "peak_rss_1x_mb": rss1 / 1024,
        "peak_rss_10x_mb": rss10 / 1024,
        "peak_rss_10x_vs_1x": rss10 / rss1,
    }
    py = os.environ.get("UNSPIN_BENCH_PYTHON")
    if py:
        env = dict(os.environ, RAYON_NUM_THREADS="2")
        for mode in ("detect_batch", "scan_lines"):
            best = None
            for _ in range(args.repeat):
                r = subprocess.run(["taskset", "-c", "0,1", py, "-c", PY_BENCH, src, mode], check=True,
                                   capture_output=True, text=True, env=env)
                m = json.loads(r.stdout)
                if best is None or m["seconds"] < best["seconds"]:
                    best = m
            rows[f"python_{mode}_mb_s"] = mb / best["seconds"]
            rows[f"python_{mode}_vs_cli"] = two / best["seconds"]
            rows[f"python_{mode}_vs_cli_cpu"] = two_cpu / best["cpu"]
    targets = {
        "scaling_2_vs_1": (">=", 1.8),
        "scan_1core_vs_wc_w": (">=", 0.08),
        "peak_rss_10x_vs_1x": ("<=", 1.2),
        "python_detect_batch_vs_cli": (">=", 0.8),
    }
    print(f"{'measure':32} {'value':>10}  target")
    for k, v in rows.items():
        t = targets.get(k)
        mark = ""
        if t:
            ok = v >= t[1] if t[0] == ">=" else v <= t[1]
            mark = f"{t[0]} {t[1]}  {'ok' if ok else 'MISSED'}"
        print(f"{k:32} {v:10.3f}  {mark}")
    with open(os.path.join(OUT, "scan.json"), "w") as f:
        json.dump(rows, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
