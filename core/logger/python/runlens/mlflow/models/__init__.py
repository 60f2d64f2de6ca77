# SPDX-License-Identifier: MIT
"""mlflow.models: MLflow's model folder (MLmodel, the serialized model,
requirements.txt, python_env.yaml, conda.yaml), signatures, and the URIs that
name a model (a path, file://, runs:/<run id>/<path>)."""
import datetime
import json
import os
import platform
import shutil
import tempfile
import uuid

from .. import _backend
from ..exceptions import MlflowException
from ..protos import databricks_pb2 as _codes
from .signature import ModelSignature, Schema, infer_signature  # noqa: F401
from .evaluation import EvaluationMetric, EvaluationResult, MetricValue, evaluate, make_metric  # noqa: F401

MLMODEL = "MLmodel"
# What MLflow 3's log_model takes beyond MLflow 2's, for its logged-model records; accepted and left out.
MLFLOW3_LOG_MODEL_KEYWORDS = ("step", "model_type", "params", "tags", "model_id", "prompts", "resources",
                              "auth_policy", "model_config", "streamable")
MLFLOW_VERSION = "2.16.0"   # the MLflow model format written, for loaders that read it


# -- a small YAML writer and reader for MLmodel (PyYAML when it is there) ----------
def _yaml_scalar(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    return json.dumps(text) if (not text or any(c in text for c in ":#{}[],&*!|>'\"%@`\n") or text.strip() != text
                                or text.lower() in ("null", "true", "false", "yes", "no", "~")
                                or _looks_numeric(text)) else text


def _looks_numeric(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def dump_yaml(data, indent=0):
    lines = []
    pad = "  " * indent
    for key, value in data.items():
        if isinstance(value, dict) and value:
            lines.append(f"{pad}{key}:")
            lines.append(dump_yaml(value, indent + 1))
        elif isinstance(value, list) and value:
            lines.append(f"{pad}{key}:")
            for item in value:
                lines.append(f"{pad}- {_yaml_scalar(item)}")
        elif isinstance(value, (dict, list)):
            lines.append(f"{pad}{key}: {'{}' if isinstance(value, dict) else '[]'}")
        else:
            lines.append(f"{pad}{key}: {_yaml_scalar(value)}")
    return "\n".join(lines)


def load_yaml(text):
    try:
        import yaml
        return yaml.safe_load(text)
    except ImportError:
        pass
    # What dump_yaml writes: nested mappings, lists of scalars, JSON-quoted strings.
    root, stack = {}, [(-1, None)]
    stack[0] = (-1, root)
    last_key = {}
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip())
        line = raw.strip()
        while stack and indent <= stack[-1][0] and len(stack) > 1:
            stack.pop()
        parent = stack[-1][1]
        if line.startswith("- "):
            parent_list = last_key[id(parent)]
            parent[parent_list] = parent.get(parent_list) or []
            parent[parent_list].append(_parse_scalar(line[2:]))
            continue
        key, _, rest = line.partition(":")
        rest = rest.strip()
        if rest == "":
            child = {}
            parent[key] = child
            last_key[id(parent)] = key
            stack.append((indent, child))
        else:
            parent[key] = _parse_scalar(rest)
            last_key[id(parent)] = key
    return root


def _parse_scalar(text):
    if text in ("null", "~"):
        return None
    if text in ("true", "false"):
        return text == "true"
    if text == "{}":
        return {}
    if text == "[]":
        return []
    if text.startswith('"'):
        return json.loads(text)
    if text.startswith("'"):
        return text[1:-1].replace("''", "'")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


# -- the model ------------------------------------------------------------------
class Model:
    """An MLmodel file."""

    def __init__(self, artifact_path=None, run_id=None, utc_time_created=None, flavors=None, signature=None,
                 saved_input_example_info=None, model_uuid=None, metadata=None, **kwargs):
        self.artifact_path = artifact_path
        self.run_id = run_id
        self.utc_time_created = utc_time_created or datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
        self.flavors = flavors or {}
        self.signature = signature
        self.saved_input_example_info = saved_input_example_info
        self.model_uuid = model_uuid or uuid.uuid4().hex
        self.metadata = metadata
        self.mlflow_version = kwargs.pop("mlflow_version", MLFLOW_VERSION)
        self.extra = kwargs

    def add_flavor(self, name, **params):
        self.flavors[name] = params
        return self

    def get_input_schema(self):
        return self.signature.inputs if self.signature else None

    def get_output_schema(self):
        return self.signature.outputs if self.signature else None

    def to_dict(self):
        d = {}
        if self.artifact_path is not None:
            d["artifact_path"] = self.artifact_path
        d["flavors"] = self.flavors
        d["mlflow_version"] = self.mlflow_version
        d["model_uuid"] = self.model_uuid
        if self.run_id is not None:
            d["run_id"] = self.run_id
        if self.saved_input_example_info:
            d["saved_input_example_info"] = self.saved_input_example_info
        if self.signature is not None:
            d["signature"] = self.signature.to_dict()
        if self.metadata:
            d["metadata"] = self.metadata
        d["utc_time_created"] = self.utc_time_created
        return d

    def to_yaml(self):
        return dump_yaml(self.to_dict()) + "\n"

    def save(self, path):
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(self.to_yaml())

    @classmethod
    def load(cls, path):
        path = os.fspath(path)
        if os.path.isdir(path):
            path = os.path.join(path, MLMODEL)
        if not os.path.exists(path) and not path.startswith("/"):
            path = os.path.join(resolve_model_uri(os.path.dirname(path)), MLMODEL)
        with open(path, encoding="utf-8") as fh:
            d = load_yaml(fh.read()) or {}
        signature = ModelSignature.from_dict(d.pop("signature")) if d.get("signature") else None
        return cls(signature=signature, **d)


class ModelInfo:
    def __init__(self, model, model_uri):
        self.artifact_path = model.artifact_path
        self.flavors = model.flavors
        self.model_uri = model_uri
        self.model_uuid = model.model_uuid
        self.run_id = model.run_id
        self.saved_input_example_info = model.saved_input_example_info
        self.signature = model.signature
        self.utc_time_created = model.utc_time_created
        self.mlflow_version = model.mlflow_version
        self.metadata = model.metadata
        self.model_id = model.model_uuid
        self.registered_model_version = None

    @property
    def signature_dict(self):
        return self.signature.to_dict() if self.signature else None

    def __repr__(self):
        return f"<ModelInfo: model_uri={self.model_uri!r}>"


def get_model_info(model_uri):
    model = Model.load(os.path.join(resolve_model_uri(model_uri), MLMODEL))
    return ModelInfo(model, model_uri)


def resolve_model_uri(model_uri):
    """The local folder (or file) a model URI names."""
    uri = os.fspath(model_uri)
    if uri.startswith("runs:/"):
        rest = uri[len("runs:/"):].lstrip("/")
        run_id, _, path = rest.partition("/")
        from .. import _store
        return _backend.local_artifact_path(_store(), run_id, path)
    if uri.startswith("models:/"):
        from .. import _registry, _store
        return resolve_model_uri(_registry.resolve(_store(), uri))
    if uri.startswith("file://"):
        uri = uri[len("file://"):]
    if "://" in uri:
        raise MlflowException(f"{uri}: only local models and runs:/ URIs are read",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    if not os.path.exists(uri):
        raise MlflowException(f"Could not find a model at {model_uri!r}", error_code=_codes.RESOURCE_DOES_NOT_EXIST)
    return uri


# -- writing a model folder ----------------------------------------------------------
def _python_version():
    return platform.python_version()


def package_version(distribution):
    try:
        from importlib import metadata
        return metadata.version(distribution)
    except Exception:
        return None


def write_environment(path, requirements, pip_requirements=None, extra_pip_requirements=None):
    """requirements.txt, python_env.yaml and conda.yaml as MLflow writes them."""
    reqs = list(pip_requirements) if pip_requirements is not None else ["mlflow"] + [
        f"{name}=={version}" if version else name for name, version in requirements]
    reqs += list(extra_pip_requirements or [])
    with open(os.path.join(path, "requirements.txt"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(reqs) + "\n")
    pip = package_version("pip") or "23.0"
    with open(os.path.join(path, "python_env.yaml"), "w", encoding="utf-8") as fh:
        fh.write(f"python: {_python_version()}\nbuild_dependencies:\n- pip=={pip}\n- setuptools\n- wheel\n"
                 "dependencies:\n- -r requirements.txt\n")
    with open(os.path.join(path, "conda.yaml"), "w", encoding="utf-8") as fh:
        fh.write(f"channels:\n- conda-forge\ndependencies:\n- python={_python_version()}\n- pip<={pip}\n- pip:\n" +
                 "".join(f"  - {r}\n" for r in reqs) + "name: mlflow-env\n")


def write_input_example(path, model, input_example):
    if input_example is None:
        return
    try:
        import pandas as pd
        if isinstance(input_example, pd.DataFrame):
            content = {"columns": [str(c) for c in input_example.columns],
                       "data": json.loads(input_example.to_json(orient="values"))}
            info = {"artifact_path": "input_example.json", "type": "dataframe", "pandas_orient": "split"}
        else:
            raise TypeError
    except (ImportError, TypeError):
        if hasattr(input_example, "tolist"):
            content = {"inputs": input_example.tolist()}
            info = {"artifact_path": "input_example.json", "type": "ndarray", "format": "tf-serving"}
        else:
            content = input_example
            info = {"artifact_path": "input_example.json", "type": "json_object"}
    with open(os.path.join(path, "input_example.json"), "w", encoding="utf-8") as fh:
        json.dump(content, fh)
    model.saved_input_example_info = info


def prepare_folder(path):
    path = os.fspath(path)
    if os.path.exists(path) and (not os.path.isdir(path) or os.listdir(path)):
        raise MlflowException(f"Path '{path}' already exists and is not empty",
                              error_code=_codes.RESOURCE_ALREADY_EXISTS)
    os.makedirs(path, exist_ok=True)
    return path


def log_saved_model(save, artifact_path=None, name=None, registered_model_name=None, **save_kwargs):
    """Saves a model into a temporary folder with save(path, mlflow_model=...),
    then logs the folder as the current run's artifact_path; MLflow's log_model."""
    import runlens.mlflow as fluent
    artifact_path = artifact_path or name or "model"
    active = fluent._current()
    model = Model(artifact_path=artifact_path, run_id=active.info.run_id)
    with tempfile.TemporaryDirectory() as tmp:
        local = os.path.join(tmp, "model")
        save(local, mlflow_model=model, **save_kwargs)
        fluent.log_artifacts(local, artifact_path)
    info = ModelInfo(model, f"runs:/{active.info.run_id}/{artifact_path}")
    if registered_model_name:
        version = fluent.register_model(info.model_uri, registered_model_name)
        info.registered_model_version = version.version
    return info


def flavor_of(path, flavor, meta=None):
    """The `flavor` section of the MLmodel in the model folder `path` (or of
    `meta`, already loaded); MLflow's RESOURCE_DOES_NOT_EXIST when it has none."""
    conf = (meta or Model.load(os.path.join(path, MLMODEL))).flavors.get(flavor)
    if conf is None:
        raise MlflowException(f'Model does not have the "{flavor}" flavor', error_code=_codes.RESOURCE_DOES_NOT_EXIST)
    return conf


def copy_model(src, dst):
    shutil.copytree(src, dst)


def load_model(model_uri, dst_path=None):
    """Loads a model folder's MLmodel (mlflow.models.Model.load)."""
    return Model.load(os.path.join(resolve_model_uri(model_uri), MLMODEL))


def set_signature(model_uri, signature):
    raise MlflowException("set_signature is not supported: a logged model's files are kept as logged",
                          error_code=_codes.NOT_IMPLEMENTED)
