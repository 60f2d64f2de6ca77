# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a 1,000,000-point series from Python: runlens.open(...).series()
against, in the same run, what a script can do without it: `runlens metric
--format json` piped into json.loads (the CLI route), and the package's own
pure-Python store reader (runlens._store_read, sqlite3 + struct, which the
MLflow drop-in uses). Each three times; wall time and the peak of
Python-side allocations (tracemalloc, which NumPy reports its arrays to).

    PYTHONPATH=build/python RUNLENS_BIN=build/bin/runlens python3 bench/bench_python_read.py
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc

import runlens
from runlens import _store_read

N = 1_000_000
RUNLENS = os.environ.get("RUNLENS_BIN", "runlens")


def measure(fn, repeat=3):
    """[(seconds, peak bytes of Python allocations)] of `repeat` calls."""
    out = []
    for _ in range(repeat):
        tracemalloc.start()
        t = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert len(result) == N, len(result)
        del result
        out.append((elapsed, peak))
    return out


def span(samples, index, scale, unit):
    values = [s[index] * scale for s in samples]
    return f"{min(values):.1f}-{max(values):.1f} {unit}"


def main():
    with tempfile.TemporaryDirectory() as tmp:
        store = os.path.join(tmp, "bench.db")
        with runlens.init(store=store, experiment="bench", name="long", git=False, environment=False) as run:
            for i in range(N):
                run.log_metric("loss", 1.0 / (i + 1), i)
        with runlens.open(store) as s:
            run_id = s.run("long").id

            def via_read_api():
                return s.series(run_id, "loss").values

            def decimated():
                return s.series(run_id, "loss", width=1920).values

            def via_cli_json():
                text = subprocess.run([RUNLENS, "metric", store, run_id, "loss", "--format", "json"],
                                      capture_output=True, check=True).stdout
                return [p["value"] for p in json.loads(text)]

            def via_python_reader():
                with _store_read.Store(store) as r:
                    return r.metric_history(run_id, "loss")

            api = measure(via_read_api)
            cli = measure(via_cli_json)
            python = measure(via_python_reader)
            drawn = []
            for _ in range(3):
                t = time.perf_counter()
                values = decimated()
                drawn.append((time.perf_counter() - t, len(values)))

    print(f"series of {N:,} points, three runs each (min-max)")
    def row(what, samples, ratio=""):
        print(f"{what:52s} {span(samples, 0, 1e3, 'ms'):>20s}   peak Python allocations "
              f"{span(samples, 1, 1 / 2**20, 'MiB'):>18s}{ratio}")

    def ratio(samples):  # best against best, worst against worst
        best = min(s[0] for s in samples) / min(a[0] for a in api)
        worst = max(s[0] for s in samples) / max(a[0] for a in api)
        return f"   ratio {best:.0f}x (worst {worst:.0f}x)"

    row("runlens.open(...).series()", api)
    row("baseline: runlens metric --format json + json.loads", cli, ratio(cli))
    row("baseline: runlens._store_read (pure Python)", python, ratio(python))
    print(f"{'series(width=1920), M4':52s} "
          f"{min(d[0] for d in drawn) * 1e3:.1f}-{max(d[0] for d in drawn) * 1e3:.1f} ms, {drawn[0][1]} points")


if __name__ == "__main__":
    sys.exit(main())
