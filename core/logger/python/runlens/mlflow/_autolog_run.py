# SPDX-License-Identifier: MIT
"""The run an autologged training call logs to, for every flavor's autolog:
the active run, or one the call starts and ends itself (FAILED when training
raises), as MLflow's autolog does. A training call made inside another one
(LightGBM's scikit-learn fit calls lightgbm.train; a Keras fit inside a fit
callback) gets None and logs nothing of its own."""
import contextlib
import inspect
import threading

# How deep the calling thread is inside autologged calls, for every flavor
# (scikit-learn's fit() counts too): a LightGBM model fitted by GridSearchCV
# logs through the search, not a run per fold.
_depth = threading.local()


def depth():
    return getattr(_depth, "n", 0)


@contextlib.contextmanager
def inside():
    """Marks the calls made in the block as nested."""
    before = depth()
    _depth.n = before + 1
    try:
        yield
    finally:
        _depth.n = before


@contextlib.contextmanager
def autolog_run():
    if depth():
        yield None
        return
    import runlens.mlflow as mlflow
    active = mlflow.active_run()
    started = active is None
    if started:
        active = mlflow.start_run()
    try:
        with inside():
            yield active._run
    except BaseException:
        if started:
            mlflow.end_run("FAILED")
            started = False
        raise
    finally:
        if started:
            mlflow.end_run()


def param_value(value):
    """What a param is logged as: scalars as they are, anything else as its text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def call_arguments(function, args, kwargs, leave_out):
    """The arguments a call gives `function`, with its defaults for the rest, as
    MLflow's autolog logs them (the data, callbacks and the like left out)."""
    try:
        signature = inspect.signature(function)
        bound = signature.bind(*args, **kwargs)
    except (TypeError, ValueError):
        return {}
    bound.apply_defaults()
    out = {}
    for name, value in bound.arguments.items():
        kind = signature.parameters[name].kind
        if name in leave_out or kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        out[name] = value
    return out


def log_json_artifact(run, file_name, content):
    """A JSON artifact at the run's top level (feature importances)."""
    import json
    import os
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, file_name)
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(content, fh, indent=2)
        run.log_artifact(path)


def patch_train(modules, patched, originals):
    """Replaces `train` in each module that has one with patched(original),
    once (a second autolog() leaves the patched one); keeps the originals."""
    for module in modules:
        current = getattr(module, "train", None)
        if current is None or getattr(current, "_runlens_autolog", False):
            continue
        originals[module] = current
        setattr(module, "train", patched(current))
