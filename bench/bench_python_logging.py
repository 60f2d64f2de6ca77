# SPDX-License-Identifier: GPL-3.0-or-later
"""Python logging cost: run.log_metric per call, against what a training
script could do instead, measured in the same run: a CSV row a point through
csv.writer into a buffered file (as Lightning's CSVLogger and DVCLive keep
metrics), and beside the floor of any ctypes binding, a bare ctypes call into
the same library.

    PYTHONPATH=build/python python3 bench/bench_python_logging.py
"""
import csv
import os
import tempfile
import time

import runlens
from runlens import _native

N = 1_000_000


def main():
    with tempfile.TemporaryDirectory() as tmp:
        run = runlens.init(store=os.path.join(tmp, "bench.db"), name="py-bench", git=False, environment=False)
        lib, h = _native.lib, run._h
        t = time.perf_counter()
        for i in range(N):
            lib.rl_run_enabled(h)
        bare = (time.perf_counter() - t) / N

        t = time.perf_counter()
        for i in range(N):
            run.log_metric("train/loss", 0.5, i)
        per_call = (time.perf_counter() - t) / N

        t = time.perf_counter()
        for i in range(N // 4):
            run.log({"loss": 0.5, "acc": 0.9, "lr": 1e-3, "grad_norm": 2.0}, step=i)
        per_point_dict = (time.perf_counter() - t) / N
        run.finish()

        with open(os.path.join(tmp, "metrics.csv"), "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["step", "time", "train/loss"])
            t = time.perf_counter()
            for i in range(N):
                writer.writerow([i, time.time(), 0.5])
            csv_row = (time.perf_counter() - t) / N

    def row(what, value, baseline, base):
        print(f"{what:46s} {value * 1e6:12.3f} us       | baseline {baseline:34s} "
              f"{base * 1e6:12.3f} us       | ratio {value / base:.2f}x")

    row("run.log_metric call (us)", per_call, "csv.writer row, buffered file", csv_row)
    row("run.log_metric call (us)", per_call, "floor: bare ctypes call", bare)
    row("run.log(dict of 4) per point (us)", per_point_dict, "csv.writer row, buffered file", csv_row)


if __name__ == "__main__":
    main()
