# SPDX-License-Identifier: MIT
"""Logistic regression on the Breast Cancer Wisconsin data, in plain Python,
written against MLflow's tracking API. The only Runlens-specific line is the
import: `import runlens.mlflow as mlflow`.

    PYTHONPATH=<build>/python python3 train_logreg.py --store runs.db [--sweep]
"""
import argparse
import csv
import math
import os
import random

import runlens.mlflow as mlflow

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "breast_cancer.csv")


def load(path):
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))[1:]   # scikit-learn's header line
    x = [[float(v) for v in r[:-1]] for r in rows]
    y = [int(float(r[-1])) for r in rows]
    return x, y


def split_and_standardise(x, y, seed):
    order = list(range(len(x)))
    random.Random(seed).shuffle(order)
    cut = len(order) * 4 // 5
    tr, va = order[:cut], order[cut:]
    cols = len(x[0])
    mean = [sum(x[i][j] for i in tr) / len(tr) for j in range(cols)]
    sd = [math.sqrt(sum((x[i][j] - mean[j]) ** 2 for i in tr) / len(tr)) + 1e-12 for j in range(cols)]

    def norm(i):
        return [(x[i][j] - mean[j]) / sd[j] for j in range(cols)]

    return [norm(i) for i in tr], [y[i] for i in tr], [norm(i) for i in va], [y[i] for i in va]


def sigmoid(z):
    if z < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def evaluate(w, b, x, y):
    loss, correct = 0.0, 0
    for xi, yi in zip(x, y):
        p = min(max(sigmoid(sum(wj * xj for wj, xj in zip(w, xi)) + b), 1e-12), 1 - 1e-12)
        loss -= math.log(p) if yi else math.log(1 - p)
        correct += (p >= 0.5) == (yi == 1)
    return loss / len(y), correct / len(y)


def train(x, y, lr, l2, epochs, seed, store):
    xtr, ytr, xva, yva = split_and_standardise(x, y, seed)
    mlflow.set_tracking_uri(store)
    mlflow.set_experiment("breast-cancer-logreg")
    with mlflow.start_run(run_name=f"logreg-lr{lr}-l2{l2}-s{seed}", tags={"model": "logistic-regression"}):
        mlflow.log_params({"lr": lr, "l2": l2, "epochs": epochs, "seed": seed, "optimizer": "full-batch GD"})
        w, b = [0.0] * len(xtr[0]), 0.0
        for epoch in range(epochs):
            gw, gb = [0.0] * len(w), 0.0
            for xi, yi in zip(xtr, ytr):
                d = sigmoid(sum(wj * xj for wj, xj in zip(w, xi)) + b) - yi
                for j, xj in enumerate(xi):
                    gw[j] += d * xj
                gb += d
            n = len(ytr)
            w = [wj - lr * (g / n + l2 * wj) for wj, g in zip(w, gw)]
            b -= lr * gb / n
            train_loss, train_acc = evaluate(w, b, xtr, ytr)
            val_loss, val_acc = evaluate(w, b, xva, yva)
            mlflow.log_metrics({"train/loss": train_loss, "train/acc": train_acc,
                                "val/loss": val_loss, "val/acc": val_acc}, step=epoch)
        mlflow.log_dict({"weights": w, "bias": b}, "model/weights.json")
        # The coefficients as MLflow's log_table writes them: the Artifacts tab shows a sortable table.
        order = sorted(range(len(w)), key=lambda j: -abs(w[j]))
        mlflow.log_table({"feature": [f"x{j}" for j in order], "weight": [round(w[j], 4) for j in order]},
                         "coefficients.json")
    return val_acc


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", default=os.environ.get("RUNLENS_STORE", "runlens.db"))
    ap.add_argument("--lr", type=float, default=0.5)
    ap.add_argument("--l2", type=float, default=0.0)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sweep", action="store_true", help="lr {0.1, 0.5} x l2 {0, 0.01}")
    args = ap.parse_args()
    x, y = load(DATA)
    grid = [(lr, l2) for lr in (0.1, 0.5) for l2 in (0.0, 0.01)] if args.sweep else [(args.lr, args.l2)]
    for lr, l2 in grid:
        acc = train(x, y, lr, l2, args.epochs, args.seed, args.store)
        print(f"lr={lr} l2={l2}: val acc {acc:.3f}")


if __name__ == "__main__":
    main()
