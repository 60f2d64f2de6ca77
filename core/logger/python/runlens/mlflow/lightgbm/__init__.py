# SPDX-License-Identifier: MIT
"""mlflow.lightgbm: LightGBM models in MLflow's layout (a Booster as model.lgb
through Booster.save_model; a scikit-learn API model pickled as model.pkl;
loadable by MLflow itself), and autolog of lightgbm.train (also what
LGBMClassifier/LGBMRegressor.fit call): params and train()'s arguments,
per-iteration eval metrics (<data>-<metric>, step = iteration), with early
stopping stopped_iteration, best_iteration and the best iteration's metrics
one step after the last, feature importance (split and gain) as JSON, and the
model. lightgbm is imported only when used."""
import functools
import os
import sys

from .. import _backend
from .._autolog_run import autolog_run, call_arguments, log_json_artifact, param_value, patch_train
from ..exceptions import MlflowException
from ..models import (flavor_of, MLFLOW3_LOG_MODEL_KEYWORDS, MLMODEL, Model, log_saved_model, package_version, prepare_folder,
                      resolve_model_uri, write_environment, write_input_example)
from ..models.signature import infer_signature
from ..protos import databricks_pb2 as _codes

FLAVOR_NAME = "lightgbm"
_BOOSTER_FILE = "model.lgb"
_PICKLE_FILE = "model.pkl"
_config = {"enabled": False}
_originals = {}
# What MLflow's autolog leaves out of train()'s arguments: the data, functions and callbacks.
_NOT_PARAMS = ("params", "train_set", "valid_sets", "valid_names", "fobj", "feval", "init_model", "learning_rates",
               "callbacks", "evals_result")


def _lightgbm_version():
    import lightgbm
    return package_version("lightgbm") or getattr(lightgbm, "__version__", None)


def save_model(lgb_model, path, conda_env=None, code_paths=None, mlflow_model=None, signature=None,
               input_example=None, pip_requirements=None, extra_pip_requirements=None, metadata=None,
               serialization_format="cloudpickle", skops_trusted_types=None, extra_files=None, **kwargs):
    import lightgbm as lgb
    if serialization_format not in ("cloudpickle", "pickle"):
        raise MlflowException(f"Unrecognized serialization format: {serialization_format} (runlens.mlflow writes "
                              "pickle and cloudpickle)", error_code=_codes.INVALID_PARAMETER_VALUE)
    path = prepare_folder(path)
    if isinstance(lgb_model, lgb.Booster):
        data = _BOOSTER_FILE
        lgb_model.save_model(os.path.join(path, data))
    else:
        from ..sklearn import pickle_to
        data = _PICKLE_FILE
        serialization_format = pickle_to(os.path.join(path, data), lgb_model, serialization_format)
    model = mlflow_model or Model()
    if signature is None and input_example is not None:
        try:
            signature = infer_signature(input_example, lgb_model.predict(input_example))
        except Exception:
            signature = None
    model.signature = signature if signature is not False else None
    model.metadata = metadata
    write_input_example(path, model, input_example)
    model.add_flavor("python_function", loader_module="mlflow.lightgbm", data=data,
                     env={"conda": "conda.yaml", "virtualenv": "python_env.yaml"},
                     python_version=sys.version.split()[0])
    model.add_flavor(FLAVOR_NAME, lgb_version=_lightgbm_version(), data=data,
                     model_class=type(lgb_model).__module__ + "." + type(lgb_model).__name__, code=None,
                     serialization_format=serialization_format)
    model.save(os.path.join(path, MLMODEL))
    requirements = [("lightgbm", _lightgbm_version())]
    if data == _PICKLE_FILE and serialization_format == "cloudpickle":
        requirements.append(("cloudpickle", package_version("cloudpickle")))
    write_environment(path, requirements, pip_requirements, extra_pip_requirements)


def log_model(lgb_model, artifact_path=None, conda_env=None, code_paths=None, registered_model_name=None,
              signature=None, input_example=None, await_registration_for=None, pip_requirements=None,
              extra_pip_requirements=None, metadata=None, extra_files=None, name=None,
              serialization_format="cloudpickle", skops_trusted_types=None, **kwargs):
    for keyword in MLFLOW3_LOG_MODEL_KEYWORDS:
        kwargs.pop(keyword, None)
    return log_saved_model(lambda path, mlflow_model: save_model(
        lgb_model, path, mlflow_model=mlflow_model, signature=signature, input_example=input_example,
        pip_requirements=pip_requirements, extra_pip_requirements=extra_pip_requirements, metadata=metadata,
        serialization_format=serialization_format), artifact_path=artifact_path, name=name,
        registered_model_name=registered_model_name)


def _load(file, serialization_format="cloudpickle"):
    if file.endswith(".lgb"):
        import lightgbm as lgb
        return lgb.Booster(model_file=file)
    from ..sklearn import unpickle
    return unpickle(file, serialization_format)


def load_model(model_uri, dst_path=None):
    path = resolve_model_uri(model_uri)
    conf = flavor_of(path, FLAVOR_NAME)
    return _load(os.path.join(path, conf.get("data", _BOOSTER_FILE)), conf.get("serialization_format", "cloudpickle"))


def _load_pyfunc(path):
    # A Booster and a scikit-learn API model both predict from a DataFrame or an array.
    return _load(path)


class _EvalRecorder:
    """The callback autolog adds to train(): each iteration's eval results as metrics.
    LightGBM runs callbacks in their `order`; an attribute-less callable gets one
    below the built-ins', so this one records an iteration before early stopping
    ends training on it."""

    def __init__(self, run):
        self.run = run
        self.results = []

    def __call__(self, env):
        row = {}
        for entry in env.evaluation_result_list:
            data_name, eval_name, value = entry[0], entry[1], entry[2]
            # MLflow's rule: '@' (ndcg@5) is not allowed in its metric names.
            row[f"{data_name}-{eval_name}".replace("@", "_at_")] = float(value)
        for key, value in row.items():
            self.run.log_metric(key, value, env.iteration)
        self.results.append(row)


def _patched_train(original):
    @functools.wraps(original)
    def train(*args, **kwargs):
        if not _config["enabled"]:
            return original(*args, **kwargs)
        with autolog_run() as run:
            if run is None:
                return original(*args, **kwargs)
            import inspect
            bound = inspect.signature(original).bind(*args, **kwargs)
            logged = {}
            for key, value in (bound.arguments.get("params") or {}).items():
                logged[key] = param_value(value)
            for key, value in call_arguments(original, args, kwargs, _NOT_PARAMS).items():
                logged.setdefault(key, param_value(value))   # a booster param wins over train()'s argument
            for key, value in logged.items():
                run.log_param(key, value)
            for key, value in (_config.get("extra_tags") or {}).items():
                run.set_tag(key, str(value))
            recorder = _EvalRecorder(run)
            bound.arguments["callbacks"] = list(bound.arguments.get("callbacks") or []) + [recorder]
            booster = original(*bound.args, **bound.kwargs)
            best = getattr(booster, "best_iteration", 0) or 0
            if best > 0 and recorder.results:
                # MLflow's layout: the best iteration's metrics one step after the last.
                extra_step = len(recorder.results)
                run.log_metric("stopped_iteration", extra_step)
                run.log_metric("best_iteration", best)
                for key, value in recorder.results[min(best, extra_step) - 1].items():
                    run.log_metric(key, value, extra_step)
            for kind in ("split", "gain"):
                try:
                    importance = booster.feature_importance(importance_type=kind)
                    log_json_artifact(run, f"feature_importance_{kind}.json",
                                      dict(zip(booster.feature_name(), [float(v) if kind == "gain" else int(v)
                                                                         for v in importance])))
                except Exception as e:
                    if not _config.get("silent"):
                        _backend.warn_once(f"lightgbm-importance-{kind}",
                                           f"mlflow.lightgbm.autolog: no {kind} feature importance: {e}")
            if _config.get("log_models"):
                log_model(booster, "model", registered_model_name=_config.get("registered_model_name"))
            return booster
    train._runlens_autolog = True
    return train


def autolog(log_input_examples=False, log_model_signatures=True, log_models=True, log_datasets=True,
            disable=False, exclusive=False, disable_for_unsupported_versions=False, silent=False,
            registered_model_name=None, extra_tags=None, **_ignored):
    try:
        import lightgbm
        import lightgbm.engine
        import lightgbm.sklearn
    except ImportError:
        _backend.warn_once("lightgbm-missing", "mlflow.lightgbm.autolog: lightgbm is not installed; nothing is logged")
        return
    _config.update(enabled=not disable, log_models=log_models, silent=silent,
                   registered_model_name=registered_model_name, extra_tags=extra_tags)
    if disable:
        return
    # lightgbm.train is engine.train; the scikit-learn API calls the name it imported into lightgbm.sklearn.
    patch_train((lightgbm, lightgbm.engine, lightgbm.sklearn), _patched_train, _originals)
