# SPDX-License-Identifier: GPL-3.0-or-later
"""Three 6-second "trainings" of different widths with system metrics sampled
every 0.25 s (retake.sh's system-metrics.png): their loss against time, next
to the memory and CPU each process used.

    PYTHONPATH=build/python python3 docs/screenshots/system_store.py STORE
"""
import math
import random
import sys
import time

import runlens

STORE = sys.argv[1]
for width in (256, 512, 1024):
    with runlens.init(store=STORE, experiment="mlp-width", name=f"mlp-w{width}", config={"width": width, "lr": 0.01},
                      git=False, system_metrics_interval=0.25) as run:
        blocks = []
        t0 = time.time()
        step = 0
        while time.time() - t0 < 6:
            # a "batch": some CPU, and activations that grow with the width
            x = 0.0
            for i in range(20000 * width // 256):
                x += math.sin(i)
            if step % 20 == 0:
                blocks.append(bytearray(width * 4096))
            loss = 2.0 * math.exp(-step / (150 * width / 256)) + 0.1 + random.random() * 0.02
            run.log({"train/loss": loss}, step=step)
            step += 1
