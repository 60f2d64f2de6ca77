#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes an MLflow file store (mlruns/) of nested runs as tuning projects make
# them: studies with their trials as children (mlflow.parentRunId), a
# cross-validation sweep two levels deep (folds, seeds), and a few runs of
# their own. Deterministic; the README's nested-runs screenshot is taken of it.
#   docs/screenshots/nested_store.py OUT_DIR
import math
import os
import random
import sys
import uuid

out = sys.argv[1] if len(sys.argv) > 1 else "mlruns"
rng = random.Random(21)
T0 = 1710400000000  # 2024-03-14


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


exp_id = "412"
write(f"{out}/{exp_id}/meta.yaml",
      f"artifact_location: file://{os.path.abspath(out)}/{exp_id}\ncreation_time: {T0}\nexperiment_id: '{exp_id}'\n"
      f"last_update_time: {T0}\nlifecycle_stage: active\nname: resnet50-imagenet100-hpo\n")
clock = [T0]


def run(name, params, curve=None, parent=None, minutes=20.0, status=3):
    rid = uuid.UUID(int=rng.getrandbits(128)).hex
    d = f"{out}/{exp_id}/{rid}"
    start = clock[0]
    end = start + int(minutes * 60000)
    clock[0] += int(minutes * 60000 * 0.3) + 60000
    write(f"{d}/meta.yaml",
          f"artifact_uri: file://{os.path.abspath(d)}/artifacts\nend_time: {end if status != 1 else 'null'}\n"
          f"entry_point_name: ''\nexperiment_id: '{exp_id}'\nlifecycle_stage: active\nname: ''\nrun_id: {rid}\n"
          f"run_uuid: {rid}\nsource_name: ''\nsource_type: 4\nsource_version: ''\nstart_time: {start}\n"
          f"status: {status}\ntags: []\nuser_id: mira\n")
    tags = {"mlflow.runName": name, "mlflow.user": "mira", "mlflow.source.name": "tune.py", "mlflow.source.type": "LOCAL"}
    if parent:
        tags["mlflow.parentRunId"] = parent
    for k, v in tags.items():
        write(f"{d}/tags/{k}", v)
    for k, v in params.items():
        write(f"{d}/params/{k}", str(v))
    for key, values in (curve or {}).items():
        lines = "".join(f"{start + 30000 * (i + 1)} {v!r} {i}\n" for i, v in enumerate(values))
        write(f"{d}/metrics/{key}", lines)
    return rid


def training(quality, epochs=30):
    """val/acc, val/loss and train/loss curves of a plausible run (quality 0..1)."""
    acc, vloss, tloss = [], [], []
    ceiling = 0.62 + 0.2 * quality
    for e in range(epochs):
        p = 1 - math.exp(-(e + 1) / (6 + 3 * (1 - quality)))
        acc.append(round(ceiling * p + rng.gauss(0, 0.004), 6))
        vloss.append(round(2.9 - 1.9 * p * (0.8 + 0.2 * quality) + rng.gauss(0, 0.01), 6))
        tloss.append(round(3.0 - 2.3 * p * (0.85 + 0.15 * quality) + rng.gauss(0, 0.01), 6))
    return {"val/acc": acc, "val/loss": vloss, "train/loss": tloss}


run("baseline-resnet50-torchvision-recipe", {"optimizer": "sgd", "lr": 0.1, "batch_size": 256},
    training(0.55), minutes=95)
studies = [("optuna-tpe-adamw-cosine-lr-weight-decay", "adamw", 14, 0.25),
           ("random-search-sgd-nesterov-step-schedule", "sgd", 12, 0.0),
           ("optuna-tpe-lion-label-smoothing-mixup", "lion", 10, 0.15)]
for title, opt, trials, edge in studies:
    parent = run(f"study/{title}", {"optimizer": opt},
                 minutes=trials * 9)
    for t in range(trials):
        lr = 10 ** rng.uniform(-4, -1.5) if opt != "sgd" else 10 ** rng.uniform(-2, -0.5)
        wd = 10 ** rng.uniform(-5, -1)
        bs = rng.choice([128, 256, 512])
        quality = min(1.0, max(0.0, edge + 0.6 * math.exp(-((math.log10(lr) + (2.7 if opt != "sgd" else 1.0)) ** 2))
                               + rng.gauss(0, 0.08)))
        status = 3 if rng.random() > 0.08 else 4   # a few trials pruned or failed
        run(f"trial-{t:03d}-lr{lr:.1e}-wd{wd:.0e}-bs{bs}",
            {"optimizer": opt, "lr": round(lr, 7), "batch_size": bs},
            training(quality, epochs=30 if status == 3 else rng.randint(4, 12)), parent=parent, minutes=18 + bs / 64,
            status=status)
# Two levels: a cross-validation sweep of the best config, five folds of three seeds each.
cv = run("cv/best-adamw-config-5fold-3seed", {"optimizer": "adamw", "lr": 0.0018}, minutes=240)
for f in range(5):
    fold = run(f"cv/fold-{f}", {"optimizer": "adamw", "lr": 0.0018, "fold": f}, parent=cv, minutes=45)
    for s in range(3):
        run(f"cv/fold-{f}/seed-{s}", {"optimizer": "adamw", "lr": 0.0018, "fold": f, "seed": s},
            training(0.8 + rng.gauss(0, 0.03)), parent=fold, minutes=15)
run("debug-overfit-one-batch", {"optimizer": "adamw", "lr": 0.001, "batch_size": 32}, training(0.1, epochs=8),
    minutes=3)
print(out)
