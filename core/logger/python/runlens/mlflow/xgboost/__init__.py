# SPDX-License-Identifier: MIT
"""mlflow.xgboost: Boosters saved in MLflow's layout (model.xgb), and autolog of
xgboost.train (also what XGBClassifier/XGBRegressor.fit call): params, per-
iteration eval metrics (<data>-<metric>, step = iteration), best_iteration and
stopped_iteration with early stopping, feature importance, and the model.
xgboost is imported only when used."""
import functools
import os
import sys

from .. import _backend
from .._autolog_run import autolog_run, log_json_artifact, param_value, patch_train
from ..models import (flavor_of, MLMODEL, Model, log_saved_model, package_version, prepare_folder, resolve_model_uri,
                      write_environment, write_input_example)

FLAVOR_NAME = "xgboost"
_MODEL_FILE = "model.xgb"
_config = {"enabled": False}
_originals = {}


def save_model(xgb_model, path, conda_env=None, code_paths=None, mlflow_model=None, signature=None,
               input_example=None, pip_requirements=None, extra_pip_requirements=None, model_format="xgb",
               metadata=None):
    path = prepare_folder(path)
    model_file = f"model.{model_format}"
    xgb_model.save_model(os.path.join(path, model_file))
    model = mlflow_model or Model()
    model.signature = signature or None
    model.metadata = metadata
    write_input_example(path, model, input_example)
    model.add_flavor("python_function", loader_module="mlflow.xgboost", data=model_file,
                     env={"conda": "conda.yaml", "virtualenv": "python_env.yaml"},
                     python_version=sys.version.split()[0])
    model.add_flavor(FLAVOR_NAME, xgb_version=package_version("xgboost"), data=model_file,
                     model_class=type(xgb_model).__module__ + "." + type(xgb_model).__name__, model_format=model_format,
                     code=None)
    model.save(os.path.join(path, MLMODEL))
    write_environment(path, [("xgboost", package_version("xgboost"))], pip_requirements, extra_pip_requirements)


def log_model(xgb_model, artifact_path=None, conda_env=None, code_paths=None, registered_model_name=None,
              signature=None, input_example=None, await_registration_for=None, pip_requirements=None,
              extra_pip_requirements=None, model_format="xgb", metadata=None, name=None, **_ignored):
    return log_saved_model(lambda path, mlflow_model: save_model(
        xgb_model, path, mlflow_model=mlflow_model, signature=signature, input_example=input_example,
        pip_requirements=pip_requirements, extra_pip_requirements=extra_pip_requirements, model_format=model_format,
        metadata=metadata), artifact_path=artifact_path, name=name, registered_model_name=registered_model_name)


def _load(path_or_file, model_class="xgboost.core.Booster"):
    import importlib
    module, _, cls = model_class.rpartition(".")
    model = getattr(importlib.import_module(module), cls)()
    model.load_model(path_or_file)
    return model


def load_model(model_uri, dst_path=None):
    path = resolve_model_uri(model_uri)
    conf = flavor_of(path, FLAVOR_NAME)
    return _load(os.path.join(path, conf.get("data", _MODEL_FILE)), conf.get("model_class", "xgboost.core.Booster"))


class _PyFuncWrapper:
    def __init__(self, model):
        self.model = model

    def predict(self, data, params=None):
        import xgboost as xgb
        if isinstance(self.model, xgb.Booster):
            return self.model.predict(xgb.DMatrix(data))
        return self.model.predict(data)


def _load_pyfunc(path):
    return _PyFuncWrapper(_load(path))


def _callback(run):
    import xgboost as xgb

    class _Log(xgb.callback.TrainingCallback):
        logged = -1

        def after_iteration(self, model, epoch, evals_log):
            for data_name, metrics in evals_log.items():
                for metric_name, values in metrics.items():
                    value = values[-1]
                    run.log_metric(f"{data_name}-{metric_name}", float(value[0] if isinstance(value, tuple)
                                                                         else value), epoch)
            self.logged = epoch
            return False

        def log_rest(self, evals_result):
            # xgboost stops calling the callbacks after the one that stops training
            # (early stopping) returns: the last iterations come from evals_result.
            for data_name, metrics in evals_result.items():
                for metric_name, values in metrics.items():
                    for epoch in range(self.logged + 1, len(values)):
                        value = values[epoch]
                        run.log_metric(f"{data_name}-{metric_name}", float(value[0] if isinstance(value, tuple)
                                                                             else value), epoch)
    return _Log()


def _patched_train(original):
    @functools.wraps(original)
    def train(params, dtrain, num_boost_round=10, *args, **kwargs):
        if not _config["enabled"]:
            return original(params, dtrain, num_boost_round, *args, **kwargs)
        with autolog_run() as run:
            if run is None:
                return original(params, dtrain, num_boost_round, *args, **kwargs)
            for key, value in (params or {}).items():
                run.log_param(key, param_value(value))
            run.log_param("num_boost_round", num_boost_round)
            if kwargs.get("early_stopping_rounds") is not None:
                run.log_param("early_stopping_rounds", kwargs["early_stopping_rounds"])
            callbacks = list(kwargs.pop("callbacks", None) or [])
            logger = _callback(run)
            callbacks.append(logger)
            if kwargs.get("evals_result") is None:
                kwargs["evals_result"] = {}
            booster = original(params, dtrain, num_boost_round, *args, callbacks=callbacks, **kwargs)
            logger.log_rest(kwargs["evals_result"])
            best = getattr(booster, "best_iteration", None)
            if kwargs.get("early_stopping_rounds") is not None and best is not None:
                run.log_metric("stopped_iteration", booster.num_boosted_rounds() - 1)
                run.log_metric("best_iteration", best)
            try:
                importance = booster.get_score(importance_type="weight")
                if importance:
                    log_json_artifact(run, "feature_importance_weight.json", importance)
            except Exception:
                pass
            if _config.get("log_models"):
                log_model(booster, "model")
            return booster
    train._runlens_autolog = True
    return train


def autolog(importance_types=None, log_input_examples=False, log_model_signatures=True, log_models=True,
            log_datasets=True, disable=False, exclusive=False, disable_for_unsupported_versions=False, silent=False,
            registered_model_name=None, model_format="xgb", extra_tags=None, **_ignored):
    try:
        import xgboost
        import xgboost.sklearn
        import xgboost.training
    except ImportError:
        _backend.warn_once("xgboost-missing", "mlflow.xgboost.autolog: xgboost is not installed; nothing is logged")
        return
    _config.update(enabled=not disable, log_models=log_models)
    if disable:
        return
    patch_train((xgboost, xgboost.training, xgboost.sklearn), _patched_train, _originals)
