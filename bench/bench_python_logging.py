# SPDX-License-Identifier: GPL-3.0-or-later
"""Python logging cost: run.log_metric per call, against a bare ctypes call
into the same library (the floor of any ctypes binding) measured in the same run.

    PYTHONPATH=build/python python3 bench/bench_python_logging.py
"""
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

    print(f"{'run.log_metric call (us)':46s} {per_call * 1e6:12.3f} us       | baseline {'bare ctypes call':34s} "
          f"{bare * 1e6:12.3f} us       | ratio {per_call / bare:.2f}x")
    print(f"{'run.log(dict of 4) per point (us)':46s} {per_point_dict * 1e6:12.3f} us       | baseline "
          f"{'bare ctypes call':34s} {bare * 1e6:12.3f} us       | ratio {per_point_dict / bare:.2f}x")


if __name__ == "__main__":
    main()
