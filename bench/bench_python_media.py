# SPDX-License-Identifier: GPL-3.0-or-later
"""Logging images from a training loop: 1,000 NumPy 256 x 256 RGB images
with run.log_image(key, array, step=...), against what a script does
without a tracker, measured in the same run: Pillow encoding each array as
PNG into a file of its own on the training thread (MLflow's log_image does
that, then copies the file). Prints the training thread's cost per call
(mean, 99th percentile, worst) and the throughput to the disk (until
finish() has written everything), and the store's bytes per image.

    PYTHONPATH=build/python python3 bench/bench_python_media.py
"""
import os
import statistics
import tempfile
import time

import numpy as np

import runlens

N = 1000
SIDE = 256


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main():
    rng = np.random.default_rng(0)
    # Training images are not noise: smooth gradients with a little noise,
    # as samples, masks and reconstructions are; and each differs.
    base = np.linspace(0, 255, SIDE, dtype=np.float32)
    frames = []
    for i in range(16):
        img = np.empty((SIDE, SIDE, 3), np.uint8)
        img[:, :, 0] = base[None, :]
        img[:, :, 1] = base[:, None]
        img[:, :, 2] = (i * 16) % 256
        img = np.clip(img.astype(np.int16) + rng.integers(-8, 9, img.shape), 0, 255).astype(np.uint8)
        frames.append(img)

    with tempfile.TemporaryDirectory() as tmp:
        run = runlens.init(store=os.path.join(tmp, "media.db"), name="media-bench", git=False, environment=False,
                           system_metrics=False)
        calls = []
        start = time.perf_counter()
        for i in range(N):
            img = frames[i % len(frames)].copy()
            img[0, 0, 0] = i % 256   # every image distinct: nothing is deduplicated
            t = time.perf_counter()
            run.log_image("val/samples", img, step=i)
            calls.append(time.perf_counter() - t)
        run.finish()
        runlens_total = time.perf_counter() - start
        store_bytes = sum(os.path.getsize(os.path.join(tmp, f)) for f in os.listdir(tmp) if f.startswith("media.db"))

        try:
            from PIL import Image
        except ImportError:
            Image = None
        base_calls, base_bytes = [], 0
        if Image is not None:
            out = os.path.join(tmp, "pngs")
            os.makedirs(out)
            start = time.perf_counter()
            for i in range(N):
                img = frames[i % len(frames)].copy()
                img[0, 0, 0] = i % 256
                t = time.perf_counter()
                Image.fromarray(img).save(os.path.join(out, f"samples_{i}.png"))
                base_calls.append(time.perf_counter() - t)
            base_total = time.perf_counter() - start
            base_bytes = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))

    def row(what, value, unit, baseline=None):
        text = f"{what:52s} {value:12.1f} {unit:5s}"
        if baseline is not None:
            text += f" | baseline Pillow PNG file per image {baseline:12.1f} {unit:5s} | ratio {value / baseline:.3f}x"
        print(text)

    have = bool(base_calls)
    us = 1e6
    row("log_image call, mean (training thread)", statistics.mean(calls) * us, "us",
        statistics.mean(base_calls) * us if have else None)
    row("log_image call, p99", percentile(calls, 0.99) * us, "us", percentile(base_calls, 0.99) * us if have else None)
    row("log_image call, worst", max(calls) * us, "us", max(base_calls) * us if have else None)
    row("images a second to the disk (until finish)", N / runlens_total, "/s", N / base_total if have else None)
    row("store bytes per image (PNG, lossless)", store_bytes / N, "B", base_bytes / N if have else None)
    if not have:
        print("baseline: Pillow is not installed (python3-pil); no ratio")


if __name__ == "__main__":
    main()
