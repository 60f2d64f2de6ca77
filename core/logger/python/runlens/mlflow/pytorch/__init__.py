# SPDX-License-Identifier: MIT
"""mlflow.pytorch: a torch.nn.Module saved whole (torch.save) in MLflow's layout
(data/model.pth, MLmodel with the pytorch flavor; loadable by MLflow itself).
torch is imported only when a model is saved or loaded."""
import os
import sys

from ..exceptions import MlflowException
from ..models import (flavor_of, MLFLOW3_LOG_MODEL_KEYWORDS, MLMODEL, Model, log_saved_model, package_version, prepare_folder, resolve_model_uri,
                      write_environment, write_input_example)
from ..protos import databricks_pb2 as _codes

FLAVOR_NAME = "pytorch"
_DATA = "data"
_MODEL_FILE = "model.pth"


def get_default_pip_requirements():
    return [("torch", package_version("torch")), ("cloudpickle", package_version("cloudpickle"))]


def save_model(pytorch_model, path, conda_env=None, mlflow_model=None, code_paths=None, pickle_module=None,
               signature=None, input_example=None, pip_requirements=None, extra_pip_requirements=None,
               metadata=None, **kwargs):
    import torch
    if not isinstance(pytorch_model, torch.nn.Module):
        raise MlflowException("Argument 'pytorch_model' should be a torch.nn.Module",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    path = prepare_folder(path)
    os.makedirs(os.path.join(path, _DATA))
    pickle_module = pickle_module or __import__("pickle")
    torch.save(pytorch_model, os.path.join(path, _DATA, _MODEL_FILE), pickle_module=pickle_module, **kwargs)
    with open(os.path.join(path, _DATA, "pickle_module_info.txt"), "w") as fh:
        fh.write(pickle_module.__name__)
    model = mlflow_model or Model()
    model.signature = signature or None
    model.metadata = metadata
    write_input_example(path, model, input_example)
    model.add_flavor("python_function", loader_module="mlflow.pytorch", data=_DATA,
                     pickle_module_name=pickle_module.__name__, env={"conda": "conda.yaml",
                                                                      "virtualenv": "python_env.yaml"},
                     python_version=sys.version.split()[0])
    model.add_flavor(FLAVOR_NAME, model_data=_DATA, pytorch_version=package_version("torch") or torch.__version__,
                     code=None)
    model.save(os.path.join(path, MLMODEL))
    write_environment(path, get_default_pip_requirements(), pip_requirements, extra_pip_requirements)


def log_model(pytorch_model, artifact_path=None, conda_env=None, code_paths=None, pickle_module=None,
              registered_model_name=None, signature=None, input_example=None, await_registration_for=None,
              pip_requirements=None, extra_pip_requirements=None, metadata=None, name=None, **kwargs):
    # MLflow 3's log_model keywords (step, model_type, params, tags, model_id, ...) are its logged-model
    # bookkeeping, not torch.save's: not passed on.
    for keyword in MLFLOW3_LOG_MODEL_KEYWORDS:
        kwargs.pop(keyword, None)
    return log_saved_model(lambda path, mlflow_model: save_model(
        pytorch_model, path, mlflow_model=mlflow_model, pickle_module=pickle_module, signature=signature,
        input_example=input_example, pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements, metadata=metadata, **kwargs),
        artifact_path=artifact_path, name=name, registered_model_name=registered_model_name)


def _load_module(data_dir, **kwargs):
    import torch
    target = os.path.join(data_dir, _MODEL_FILE) if os.path.isdir(data_dir) else data_dir
    try:
        return torch.load(target, weights_only=False, **kwargs)
    except TypeError:   # torch before 1.13 has no weights_only
        return torch.load(target, **kwargs)


def load_model(model_uri, dst_path=None, **kwargs):
    path = resolve_model_uri(model_uri)
    conf = flavor_of(path, FLAVOR_NAME)
    return _load_module(os.path.join(path, conf.get("model_data", _DATA)), **kwargs)


class _PyFuncWrapper:
    def __init__(self, module):
        self.module = module

    def predict(self, data, params=None):
        import numpy as np
        import torch
        self.module.eval()
        values = data.values if hasattr(data, "values") else np.asarray(data)
        with torch.no_grad():
            out = self.module(torch.as_tensor(values, dtype=torch.float32))
        out = out.numpy()
        if hasattr(data, "columns"):
            import pandas as pd
            return pd.DataFrame(out)
        return out


def _load_pyfunc(path):
    return _PyFuncWrapper(_load_module(path))


def autolog(*args, **kwargs):
    from .. import _backend
    _backend.warn_once("pytorch-autolog", "mlflow.pytorch.autolog (Lightning) is not supported; log metrics "
                                          "with mlflow.log_metric")
