"""Model and Sequential: one Dense layer trained by mini-batch gradient descent on mean squared error."""
import json
import zipfile

import numpy as np

from .callbacks import History
from .optimizers import get


class Model:
    def __init__(self, name="model"):
        self.name = name
        self.optimizer = None
        self._weights = None
        self._bias = 0.0

    def compile(self, optimizer="sgd", loss="mean_squared_error", metrics=None):
        self.optimizer = get(optimizer)
        self.loss = loss

    def _forward(self, x):
        return x @ self._weights + self._bias

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
            validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
            steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1):
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float).reshape(-1)
        if self._weights is None:
            self._weights = np.zeros(x.shape[1])
        if validation_split and validation_data is None:
            cut = int(len(x) * (1 - validation_split))
            x, y, validation_data = x[:cut], y[:cut], (x[cut:], y[cut:])
        batch_size = batch_size or 32
        history = History()
        callbacks = list(callbacks or []) + [history]
        for cb in callbacks:
            cb.set_model(self)
            cb.on_train_begin()
        rate = self.optimizer.learning_rate
        for epoch in range(initial_epoch, epochs):
            for cb in callbacks:
                cb.on_epoch_begin(epoch)
            for batch, start in enumerate(range(0, len(x), batch_size)):
                xb, yb = x[start:start + batch_size], y[start:start + batch_size]
                error = self._forward(xb) - yb
                self._weights -= rate * 2 * xb.T @ error / len(yb)
                self._bias -= rate * 2 * float(error.mean())
                for cb in callbacks:
                    cb.on_train_batch_end(batch, {"loss": float(np.mean(error ** 2))})
            logs = {"loss": float(np.mean((self._forward(x) - y) ** 2))}
            if validation_data is not None:
                for cb in callbacks:
                    cb.on_test_begin()
                vx, vy = np.asarray(validation_data[0], dtype=float), np.asarray(validation_data[1], dtype=float)
                val = {"loss": float(np.mean((self._forward(vx) - vy.reshape(-1)) ** 2))}
                for cb in callbacks:
                    cb.on_test_end(val)
                logs["val_loss"] = val["loss"]
            for cb in callbacks:
                cb.on_epoch_end(epoch, logs)
        for cb in callbacks:
            cb.on_train_end()
        return history

    def predict(self, x, batch_size=None, verbose="auto"):
        return self._forward(np.asarray(x, dtype=float)).reshape(-1, 1)

    def summary(self, print_fn=None):
        lines = [f'Model: "{self.name}"', f"dense (Dense)  (None, 1)  {0 if self._weights is None else len(self._weights) + 1}"]
        for line in lines:
            (print_fn or print)(line)

    def save(self, filepath, overwrite=True, zipped=None):
        if not str(filepath).endswith(".keras"):
            raise ValueError("The filename must end in `.keras`")
        with zipfile.ZipFile(filepath, "w") as archive:
            archive.writestr("metadata.json", json.dumps({"keras_version": "3.0.0"}))
            archive.writestr("config.json", json.dumps({"name": self.name, "units": 1}))
            archive.writestr("model.weights.json", json.dumps({"weights": self._weights.tolist(),
                                                               "bias": self._bias}))


class Sequential(Model):
    def __init__(self, layers=None, name="sequential"):
        super().__init__(name=name)
        self.layers = list(layers or [])
