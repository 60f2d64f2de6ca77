# SPDX-License-Identifier: MIT
"""mlflow.keras: Keras 3 models in MLflow's layout (data/model.keras through
Model.save, data/keras_module.txt; MLmodel with the keras flavor; loadable by
MLflow itself), MlflowCallback, and autolog of keras.Model.fit: fit()'s
arguments and the optimizer's config as params, each epoch's logs as metrics
(step = epoch; or every n batches), the model summary as model_summary.txt,
and the model. keras is imported only when used; MlflowCallback is made the
first time it is asked for, as a subclass of keras.callbacks.Callback."""
import functools
import importlib
import os
import sys

from .. import _backend
from .._autolog_run import autolog_run, call_arguments, param_value
from ..exceptions import MlflowException
from ..models import (flavor_of, MLFLOW3_LOG_MODEL_KEYWORDS, MLMODEL, Model, log_saved_model, package_version, prepare_folder,
                      resolve_model_uri, write_environment, write_input_example)
from ..protos import databricks_pb2 as _codes

FLAVOR_NAME = "keras"
_DATA = "data"
_MODEL_FILE = "model.keras"
_MODULE_FILE = "keras_module.txt"
_config = {"enabled": False}
_originals = {}
# What MLflow's autolog leaves out of fit()'s arguments: the data and callbacks.
_NOT_PARAMS = ("self", "x", "y", "callbacks", "validation_data", "verbose")


def _keras_version():
    import keras
    return package_version("keras") or getattr(keras, "__version__", None)


def save_model(model, path, save_exported_model=False, conda_env=None, mlflow_model=None, signature=None,
               input_example=None, pip_requirements=None, extra_pip_requirements=None, save_model_kwargs=None,
               metadata=None, **_ignored):
    import keras
    if save_exported_model:
        raise MlflowException("save_exported_model=True (a TensorFlow SavedModel export) is not written by "
                              "runlens.mlflow; the .keras format is", error_code=_codes.NOT_IMPLEMENTED)
    path = prepare_folder(path)
    os.makedirs(os.path.join(path, _DATA))
    with open(os.path.join(path, _DATA, _MODULE_FILE), "w", encoding="utf-8") as fh:
        fh.write(keras.__name__)
    model.save(os.path.join(path, _DATA, _MODEL_FILE), **(save_model_kwargs or {}))
    info = mlflow_model or Model()
    info.signature = signature or None
    info.metadata = metadata
    write_input_example(path, info, input_example)
    info.add_flavor(FLAVOR_NAME, data=_DATA, keras_version=_keras_version(), keras_backend=keras.backend.backend(),
                    save_exported_model=False)
    info.add_flavor("python_function", loader_module="mlflow.keras",
                    env={"conda": "conda.yaml", "virtualenv": "python_env.yaml"},
                    python_version=sys.version.split()[0])
    info.save(os.path.join(path, MLMODEL))
    write_environment(path, [("keras", _keras_version())], pip_requirements, extra_pip_requirements)


def log_model(model, artifact_path=None, save_exported_model=False, conda_env=None, signature=None,
              input_example=None, registered_model_name=None, await_registration_for=None, pip_requirements=None,
              extra_pip_requirements=None, save_model_kwargs=None, metadata=None, name=None, **kwargs):
    for keyword in MLFLOW3_LOG_MODEL_KEYWORDS:
        kwargs.pop(keyword, None)
    return log_saved_model(lambda path, mlflow_model: save_model(
        model, path, save_exported_model=save_exported_model, mlflow_model=mlflow_model, signature=signature,
        input_example=input_example, pip_requirements=pip_requirements, extra_pip_requirements=extra_pip_requirements,
        save_model_kwargs=save_model_kwargs, metadata=metadata), artifact_path=artifact_path, name=name,
        registered_model_name=registered_model_name)


def _load_folder(path, custom_objects=None, load_model_kwargs=None):
    conf = flavor_of(path, FLAVOR_NAME)
    if conf.get("save_exported_model"):
        raise MlflowException("a Keras model saved as a TensorFlow export is not loaded by runlens.mlflow",
                              error_code=_codes.NOT_IMPLEMENTED)
    data = os.path.join(path, conf.get("data", _DATA))
    module_name = "keras"
    spec = os.path.join(data, _MODULE_FILE)
    if os.path.exists(spec):
        with open(spec, encoding="utf-8") as fh:
            module_name = fh.read().strip() or "keras"
    if module_name not in ("keras", "tensorflow.keras", "tf_keras"):
        raise MlflowException(f"{spec} names {module_name!r}, not a Keras module",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    keras = importlib.import_module(module_name)
    return keras.saving.load_model(os.path.join(data, _MODEL_FILE), custom_objects=custom_objects,
                                   **(load_model_kwargs or {}))


def load_model(model_uri, dst_path=None, custom_objects=None, load_model_kwargs=None):
    return _load_folder(resolve_model_uri(model_uri), custom_objects, load_model_kwargs)


class _PyFuncWrapper:
    def __init__(self, model):
        self.model = model

    def predict(self, data, params=None):
        values = data.to_numpy() if hasattr(data, "to_numpy") else data
        return self.model.predict(values, verbose=0)


def _load_pyfunc(path):
    return _PyFuncWrapper(_load_folder(path))


def _make_callback_class():
    import keras

    class MlflowCallback(keras.callbacks.Callback):
        """MLflow's Keras callback: the optimizer's config and the model summary when
        training begins, each epoch's logs (or every n batches'), validation logs."""

        def __init__(self, log_every_epoch=True, log_every_n_steps=None):
            super().__init__()
            if log_every_epoch and log_every_n_steps is not None:
                raise ValueError("`log_every_n_steps` must be None if `log_every_epoch=True`")
            if not log_every_epoch and log_every_n_steps is None:
                raise ValueError("`log_every_n_steps` must be specified if `log_every_epoch=False`")
            self.log_every_epoch = log_every_epoch
            self.log_every_n_steps = log_every_n_steps
            self._batches = 0

        def _log(self, logs, step=None):
            import runlens.mlflow as mlflow
            metrics = {}
            for key, value in (logs or {}).items():
                try:
                    metrics[key] = float(value)
                except (TypeError, ValueError):
                    continue
            if metrics:
                mlflow.log_metrics(metrics, step=step)

        def on_train_begin(self, logs=None):
            import runlens.mlflow as mlflow
            optimizer = getattr(self.model, "optimizer", None)
            if optimizer is not None and hasattr(optimizer, "get_config"):
                mlflow.log_params({f"optimizer_{k}": param_value(v) for k, v in optimizer.get_config().items()})
            lines = []
            try:
                self.model.summary(print_fn=lambda line, *a, **k: lines.append(line))
            except Exception:
                lines = []
            if lines:
                mlflow.log_text("\n".join(lines), artifact_file="model_summary.txt")

        def on_epoch_end(self, epoch, logs=None):
            if self.log_every_epoch:
                self._log(logs, step=epoch)

        def on_batch_end(self, batch, logs=None):
            if self.log_every_n_steps is None:
                return
            self._batches += 1
            if self._batches % self.log_every_n_steps == 0:
                self._log(logs, step=self._batches)

        def on_test_end(self, logs=None):
            self._log({"validation_" + k: v for k, v in (logs or {}).items()})

    MlflowCallback.__qualname__ = "MlflowCallback"
    MlflowCallback.__module__ = __name__
    return MlflowCallback


def _callback_class():
    cls = globals().get("MlflowCallback")
    if cls is None:
        cls = _make_callback_class()
        globals()["MlflowCallback"] = globals()["MLflowCallback"] = cls
    return cls


def __getattr__(name):
    # PEP 562: the callback class exists only where keras does.
    if name in ("MlflowCallback", "MLflowCallback"):
        return _callback_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _batch_size(args, kwargs):
    # fit(x, y, batch_size, ...): given by name or third.
    given = kwargs.get("batch_size", args[2] if len(args) >= 3 else None)
    if given is not None:
        return given
    data = kwargs["x"] if "x" in kwargs else (args[0] if args else None)
    return getattr(data, "batch_size", None) or getattr(data, "_batch_size", None)


def _patched_fit(original):
    @functools.wraps(original)
    def fit(self, *args, **kwargs):
        if not _config["enabled"]:
            return original(self, *args, **kwargs)
        with autolog_run() as run:
            if run is None:
                return original(self, *args, **kwargs)
            callback_class = _callback_class()
            # fit(x, y, batch_size, epochs, verbose, callbacks, ...): callbacks may come sixth.
            positional = len(args) >= 6
            callbacks = list((args[5] if positional else kwargs.get("callbacks")) or [])
            if any(isinstance(c, callback_class) for c in callbacks):
                raise MlflowException("MLflow autologging must be turned off if an `MLflowCallback` is explicitly "
                                      "added to the callback list: call mlflow.keras.autolog(disable=True) or remove "
                                      "the callback", error_code=_codes.INVALID_PARAMETER_VALUE)
            params = {}
            batch_size = _batch_size(args, kwargs)
            if batch_size is not None:
                params["batch_size"] = batch_size
            # fit()'s arguments by name, however they were passed, with its defaults (the data left out).
            for key, value in call_arguments(original, (self,) + tuple(args), kwargs, _NOT_PARAMS).items():
                params.setdefault(key, param_value(value))
            for key, value in params.items():
                run.log_param(key, value)
            for key, value in (_config.get("extra_tags") or {}).items():
                run.set_tag(key, str(value))
            callbacks.append(callback_class(log_every_epoch=_config["log_every_epoch"],
                                            log_every_n_steps=_config["log_every_n_steps"]))
            if positional:
                args = args[:5] + (callbacks,) + args[6:]
            else:
                kwargs["callbacks"] = callbacks
            history = original(self, *args, **kwargs)
            if _config.get("log_models"):
                log_model(self, "model", save_model_kwargs=_config.get("save_model_kwargs"),
                          registered_model_name=_config.get("registered_model_name"))
            return history
    fit._runlens_autolog = True
    return fit


def autolog(log_every_epoch=True, log_every_n_steps=None, log_models=True, log_model_signatures=True,
            save_exported_model=False, log_datasets=True, log_input_examples=False, disable=False, exclusive=False,
            disable_for_unsupported_versions=False, silent=False, registered_model_name=None, save_model_kwargs=None,
            extra_tags=None, **_ignored):
    try:
        import keras
    except ImportError:
        _backend.warn_once("keras-missing", "mlflow.keras.autolog: keras is not installed; nothing is logged")
        return
    if log_every_epoch and log_every_n_steps is not None:
        log_every_epoch = False     # asking for every n steps is the stronger wish
    _config.update(enabled=not disable, log_every_epoch=log_every_epoch, log_every_n_steps=log_every_n_steps,
                   log_models=log_models, save_model_kwargs=save_model_kwargs,
                   registered_model_name=registered_model_name, extra_tags=extra_tags)
    if disable:
        return
    current = keras.Model.fit
    if not getattr(current, "_runlens_autolog", False):
        _originals[keras.Model] = current
        keras.Model.fit = _patched_fit(current)
