# SPDX-License-Identifier: MIT
"""mlflow.pyfunc: any MLflow-layout model as a predict() (its loader_module's
flavor: sklearn, pytorch, xgboost, lightgbm, keras, or a PythonModel), and PythonModel models
saved and logged as MLflow does (python_model.pkl)."""
import importlib
import os
import pickle
import shutil
import sys

from ..exceptions import MlflowException
from ..models import (flavor_of, MLMODEL, Model, log_saved_model, package_version, prepare_folder, resolve_model_uri,
                      write_environment, write_input_example)
from ..models.signature import infer_signature  # noqa: F401
from ..protos import databricks_pb2 as _codes

FLAVOR_NAME = "python_function"
_PYTHON_MODEL = "python_model.pkl"
_OURS = {"mlflow.sklearn": "runlens.mlflow.sklearn", "mlflow.pytorch": "runlens.mlflow.pytorch",
         "mlflow.xgboost": "runlens.mlflow.xgboost", "mlflow.lightgbm": "runlens.mlflow.lightgbm",
         "mlflow.keras": "runlens.mlflow.keras", "mlflow.pyfunc.model": "runlens.mlflow.pyfunc"}


class PythonModelContext:
    def __init__(self, artifacts, model_config=None):
        self._artifacts = artifacts
        self._model_config = model_config or {}

    @property
    def artifacts(self):
        return self._artifacts

    @property
    def model_config(self):
        return self._model_config


class PythonModel:
    """Subclass and define predict(self, context, model_input, params=None)."""

    def load_context(self, context):
        pass

    def predict(self, context, model_input, params=None):
        raise NotImplementedError


class PyFuncModel:
    def __init__(self, model_meta, impl, predict_fn="predict"):
        self._meta = model_meta
        self._impl = impl
        self._predict_fn = predict_fn

    @property
    def metadata(self):
        return self._meta

    def predict(self, data, params=None):
        fn = getattr(self._impl, self._predict_fn)
        return fn(data, params=params) if params is not None else fn(data)

    def unwrap_python_model(self):
        impl = self._impl
        return getattr(impl, "python_model", impl)

    def __repr__(self):
        return f"<PyFuncModel: flavor={self._meta.flavors.get(FLAVOR_NAME, {}).get('loader_module')}>"


class _PythonModelWrapper:
    def __init__(self, python_model, context):
        self.python_model = python_model
        self.context = context

    def predict(self, data, params=None):
        if params is None:
            return self.python_model.predict(self.context, data)
        return self.python_model.predict(self.context, data, params=params)


def _dump(obj, path):
    try:
        import cloudpickle
        with open(path, "wb") as fh:
            cloudpickle.dump(obj, fh)
        return "cloudpickle"
    except ImportError:
        with open(path, "wb") as fh:
            pickle.dump(obj, fh)
        return "pickle"


def _load_pyfunc(path):
    """The loader of PythonModel models (mlflow.pyfunc.model)."""
    model = Model.load(os.path.join(path, MLMODEL))
    conf = model.flavors[FLAVOR_NAME]
    with open(os.path.join(path, conf.get("python_model", _PYTHON_MODEL)), "rb") as fh:
        try:
            import cloudpickle
            python_model = cloudpickle.load(fh)
        except ImportError:
            python_model = pickle.load(fh)
    artifacts = {k: os.path.join(path, v["path"] if isinstance(v, dict) else v)
                 for k, v in (conf.get("artifacts") or {}).items()}
    context = PythonModelContext(artifacts, conf.get("model_config"))
    python_model.load_context(context)
    return _PythonModelWrapper(python_model, context)


def save_model(path, loader_module=None, data_path=None, code_paths=None, code_path=None, conda_env=None,
               mlflow_model=None, python_model=None, artifacts=None, signature=None, input_example=None,
               pip_requirements=None, extra_pip_requirements=None, metadata=None, model_config=None, **_ignored):
    if python_model is None:
        raise MlflowException("runlens.mlflow.pyfunc.save_model saves a python_model (a PythonModel); "
                              "use the framework's flavor for other models", error_code=_codes.INVALID_PARAMETER_VALUE)
    path = prepare_folder(path)
    model = mlflow_model or Model()
    saved_artifacts = {}
    for name, uri in (artifacts or {}).items():
        local = resolve_model_uri(uri)
        rel = os.path.join("artifacts", os.path.basename(os.path.normpath(local)))
        dest = os.path.join(path, rel)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        (shutil.copytree if os.path.isdir(local) else shutil.copy2)(local, dest)
        saved_artifacts[name] = {"path": rel, "uri": str(uri)}
    fmt = _dump(python_model, os.path.join(path, _PYTHON_MODEL))
    if signature is None and input_example is not None:
        try:
            context = PythonModelContext({k: os.path.join(path, v["path"]) for k, v in saved_artifacts.items()},
                                         model_config)
            python_model.load_context(context)
            signature = infer_signature(input_example, python_model.predict(context, input_example))
        except Exception:
            signature = None
    model.signature = signature or None
    model.metadata = metadata
    write_input_example(path, model, input_example)
    conf = dict(loader_module="mlflow.pyfunc.model", python_model=_PYTHON_MODEL,
                env={"conda": "conda.yaml", "virtualenv": "python_env.yaml"}, python_version=sys.version.split()[0])
    if fmt == "cloudpickle":
        conf["cloudpickle_version"] = package_version("cloudpickle")
    if saved_artifacts:
        conf["artifacts"] = saved_artifacts
    if model_config:
        conf["model_config"] = model_config
    model.add_flavor(FLAVOR_NAME, **conf)
    model.save(os.path.join(path, MLMODEL))
    write_environment(path, [("cloudpickle", package_version("cloudpickle"))] if fmt == "cloudpickle" else [],
                      pip_requirements, extra_pip_requirements)


def log_model(artifact_path=None, loader_module=None, data_path=None, code_paths=None, code_path=None,
              conda_env=None, python_model=None, artifacts=None, registered_model_name=None, signature=None,
              input_example=None, await_registration_for=None, pip_requirements=None, extra_pip_requirements=None,
              metadata=None, model_config=None, name=None, **_ignored):
    return log_saved_model(lambda path, mlflow_model: save_model(
        path, mlflow_model=mlflow_model, python_model=python_model, artifacts=artifacts, signature=signature,
        input_example=input_example, pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements, metadata=metadata, model_config=model_config),
        artifact_path=artifact_path, name=name, registered_model_name=registered_model_name)


def load_model(model_uri, suppress_warnings=False, dst_path=None, model_config=None):
    """Any model with a python_function flavor, loaded by its flavor's loader."""
    path = resolve_model_uri(model_uri)
    meta = Model.load(os.path.join(path, MLMODEL))
    conf = flavor_of(path, FLAVOR_NAME, meta)
    loader = conf.get("loader_module")
    module = importlib.import_module(_OURS.get(loader, loader))
    data = os.path.join(path, conf["data"]) if conf.get("data") else (
        os.path.join(path, conf["model_path"]) if conf.get("model_path") and loader != "mlflow.sklearn" else path)
    impl = module._load_pyfunc(data)
    return PyFuncModel(meta, impl, conf.get("predict_fn", "predict") if loader == "mlflow.sklearn" else "predict")


def get_model_dependencies(model_uri, format="pip"):
    return os.path.join(resolve_model_uri(model_uri), "requirements.txt")


model = sys.modules[__name__]   # mlflow.pyfunc.model names this module's loader in MLmodel files
