"""lightgbm.train with LightGBM 4.x's signature."""
import numpy as np

from .basic import Booster
from .callback import CallbackEnv, EarlyStopException


def train(params, train_set, num_boost_round=100, valid_sets=None, valid_names=None, feval=None, init_model=None,
          feature_name="auto", categorical_feature="auto", keep_training_booster=False, callbacks=None):
    booster = Booster(params=params, train_set=train_set)
    valid_sets = list(valid_sets or [])
    names = list(valid_names or [f"valid_{i}" for i in range(len(valid_sets))])
    metric = params.get("metric", "l2")
    callbacks = list(callbacks or [])
    for i, cb in enumerate(callbacks):
        cb.__dict__.setdefault("order", i - len(callbacks))   # what LightGBM does for plain callables
    callbacks.sort(key=lambda cb: cb.order)
    for iteration in range(num_boost_round):
        booster.update()
        results = []
        for name, data in zip(names, valid_sets):
            error = booster.predict(data.data) - data.label
            results.append((name, metric, float(np.mean(error ** 2)), False))
        env = CallbackEnv(booster, params, iteration, 0, num_boost_round, results)
        try:
            for cb in callbacks:
                cb(env)
        except EarlyStopException as stop:
            booster.best_iteration = stop.best_iteration + 1
            break
    return booster
