# SPDX-License-Identifier: MIT
"""mlflow.sklearn: scikit-learn models in MLflow's layout (model.pkl; loadable
by MLflow itself), and autolog. scikit-learn is imported only when a model is
saved or loaded or autolog is turned on."""
import os
import pickle

from ..exceptions import MlflowException
from ..models import (flavor_of, MLMODEL, Model, log_saved_model, package_version, prepare_folder, resolve_model_uri,
                      write_environment, write_input_example)
from ..models.signature import infer_signature
from ..protos import databricks_pb2 as _codes

FLAVOR_NAME = "sklearn"
SERIALIZATION_FORMAT_PICKLE = "pickle"
SERIALIZATION_FORMAT_CLOUDPICKLE = "cloudpickle"
SUPPORTED_SERIALIZATION_FORMATS = [SERIALIZATION_FORMAT_PICKLE, SERIALIZATION_FORMAT_CLOUDPICKLE]
_MODEL_FILE = "model.pkl"


def _pickler(serialization_format):
    if serialization_format == SERIALIZATION_FORMAT_CLOUDPICKLE:
        try:
            import cloudpickle
            return cloudpickle, SERIALIZATION_FORMAT_CLOUDPICKLE
        except ImportError:
            pass   # pickle writes what MLflow reads too; cloudpickle only adds classes defined in __main__
    return pickle, SERIALIZATION_FORMAT_PICKLE


def pickle_to(file, model, serialization_format):
    """Writes `model` as `serialization_format` asks (pickle when cloudpickle is
    missing); the format written, for the MLmodel to name."""
    module, written = _pickler(serialization_format)
    with open(file, "wb") as fh:
        module.dump(model, fh)
    return written


def get_default_pip_requirements(include_cloudpickle=False):
    reqs = [("scikit-learn", package_version("scikit-learn"))]
    if include_cloudpickle:
        reqs.append(("cloudpickle", package_version("cloudpickle")))
    return reqs


def save_model(sk_model, path, conda_env=None, code_paths=None, mlflow_model=None,
               serialization_format=SERIALIZATION_FORMAT_CLOUDPICKLE, signature=None, input_example=None,
               pip_requirements=None, extra_pip_requirements=None, pyfunc_predict_fn="predict", metadata=None):
    if serialization_format not in SUPPORTED_SERIALIZATION_FORMATS:
        raise MlflowException(f"Unrecognized serialization format: {serialization_format}",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    path = prepare_folder(path)
    serialization_format = pickle_to(os.path.join(path, _MODEL_FILE), sk_model, serialization_format)
    model = mlflow_model or Model()
    if signature is None and input_example is not None:
        try:
            signature = infer_signature(input_example, getattr(sk_model, pyfunc_predict_fn)(input_example))
        except Exception:
            signature = None
    model.signature = signature if signature is not False else None
    model.metadata = metadata
    write_input_example(path, model, input_example)
    import sys
    model.add_flavor("python_function", loader_module="mlflow.sklearn", model_path=_MODEL_FILE,
                     predict_fn=pyfunc_predict_fn, env={"conda": "conda.yaml", "virtualenv": "python_env.yaml"},
                     python_version=sys.version.split()[0])
    model.add_flavor(FLAVOR_NAME, pickled_model=_MODEL_FILE, sklearn_version=package_version("scikit-learn"),
                     serialization_format=serialization_format, code=None)
    model.save(os.path.join(path, MLMODEL))
    write_environment(path, get_default_pip_requirements(serialization_format == SERIALIZATION_FORMAT_CLOUDPICKLE),
                      pip_requirements, extra_pip_requirements)


def log_model(sk_model, artifact_path=None, conda_env=None, code_paths=None,
              serialization_format=SERIALIZATION_FORMAT_CLOUDPICKLE, registered_model_name=None, signature=None,
              input_example=None, await_registration_for=None, pip_requirements=None, extra_pip_requirements=None,
              pyfunc_predict_fn="predict", metadata=None, name=None, **_ignored):
    return log_saved_model(lambda path, mlflow_model: save_model(
        sk_model, path, mlflow_model=mlflow_model, serialization_format=serialization_format, signature=signature,
        input_example=input_example, pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements, pyfunc_predict_fn=pyfunc_predict_fn, metadata=metadata),
        artifact_path=artifact_path, name=name, registered_model_name=registered_model_name)


def _load_from_folder(path):
    conf = flavor_of(path, FLAVOR_NAME)
    return unpickle(os.path.join(path, conf.get("pickled_model", _MODEL_FILE)),
                    conf.get("serialization_format", SERIALIZATION_FORMAT_PICKLE))


def unpickle(file, serialization_format):
    """A model pickled as `serialization_format` says (cloudpickle when it is installed)."""
    with open(file, "rb") as fh:
        if serialization_format == SERIALIZATION_FORMAT_CLOUDPICKLE:
            try:
                import cloudpickle
                return cloudpickle.load(fh)
            except ImportError:
                pass
        return pickle.load(fh)


def load_model(model_uri, dst_path=None):
    return _load_from_folder(resolve_model_uri(model_uri))


def _load_pyfunc(path):
    if os.path.isfile(path):
        with open(path, "rb") as fh:
            return pickle.load(fh)
    return _load_from_folder(path)


from ._autolog import autolog  # noqa: E402,F401
