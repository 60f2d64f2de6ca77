"""Booster and Dataset: a linear model fitted by gradient descent, one step per boosting round."""
import json

import numpy as np


class Dataset:
    def __init__(self, data, label=None, reference=None, weight=None, group=None, init_score=None,
                 feature_name="auto", categorical_feature="auto", params=None, free_raw_data=True):
        self.data = np.asarray(data, dtype=float)
        self.label = None if label is None else np.asarray(label, dtype=float)
        self.reference = reference
        self.feature_names = (list(feature_name) if feature_name != "auto"
                              else [f"Column_{i}" for i in range(self.data.shape[1])])


class Booster:
    def __init__(self, params=None, train_set=None, model_file=None, model_str=None):
        self.params = dict(params or {})
        self.best_iteration = 0
        self._iterations = 0
        self._uses = None
        if model_file is not None:
            with open(model_file, encoding="utf-8") as fh:
                model_str = fh.read()
        if model_str is not None:
            header, _, body = model_str.partition("\n\n")
            if not header.startswith("tree"):
                raise ValueError("not a LightGBM model file")
            state = json.loads(body)
            self._weights = np.asarray(state["weights"])
            self._bias = state["bias"]
            self._names = state["feature_names"]
            self._iterations = state["iterations"]
            self.best_iteration = state["best_iteration"]
            self._uses = np.asarray(state["uses"])
            return
        self._weights = np.zeros(train_set.data.shape[1])
        self._bias = 0.0
        self._names = train_set.feature_names
        self._uses = np.zeros(train_set.data.shape[1], dtype=int)
        self._train = train_set

    def update(self):
        data, label = self._train.data, self._train.label
        rate = float(self.params.get("learning_rate", 0.1))
        error = data @ self._weights + self._bias - label
        gradient = data.T @ error / len(label)
        self._weights -= rate * gradient
        self._bias -= rate * float(error.mean())
        self._uses[int(np.argmax(np.abs(gradient)))] += 1
        self._iterations += 1

    def current_iteration(self):
        return self._iterations

    def predict(self, data, num_iteration=None, **kwargs):
        values = data.to_numpy() if hasattr(data, "to_numpy") else np.asarray(data, dtype=float)
        return values @ self._weights + self._bias

    def feature_name(self):
        return list(self._names)

    def feature_importance(self, importance_type="split", iteration=None):
        if importance_type == "gain":
            return np.abs(self._weights).astype(float)
        return self._uses.astype(np.int32)

    def save_model(self, filename, num_iteration=None, start_iteration=0, importance_type="split"):
        state = {"weights": self._weights.tolist(), "bias": self._bias, "feature_names": self._names,
                 "iterations": self._iterations, "best_iteration": self.best_iteration, "uses": self._uses.tolist()}
        with open(filename, "w", encoding="utf-8") as fh:
            fh.write("tree\nversion=standin\n\n" + json.dumps(state))
        return self
