# SPDX-License-Identifier: MIT
"""The model registry that MlflowClient and the fluent API share, kept in the
Runlens store itself (runlens/model_registry.h, through the C ABI's
rl_registry_read and rl_registry_apply): one store file holds the runs and
the models registered from them, and registering a version promotes its
run to candidate in the same write."""
import getpass
import json
import os

from runlens import _native

from . import _backend, _filter
from .entities.model_registry import ModelVersion, RegisteredModel
from .exceptions import MlflowException
from .protos import databricks_pb2 as _codes

_KIND_CODES = {1: _codes.RESOURCE_DOES_NOT_EXIST, 2: _codes.RESOURCE_ALREADY_EXISTS,
               3: _codes.INVALID_PARAMETER_VALUE}
# MLflow's search filters over models and versions: the identifiers each takes.
_MODEL_FIELDS = {"name": "name"}
_VERSION_FIELDS = {"name": "name", "run_id": "run_id", "source_path": "source", "version_number": "version",
                   "current_stage": "stage"}


def _user():
    try:
        return getpass.getuser()
    except Exception:
        return ""


def read(store):
    """The store's registry as rl_registry_read gives it; empty for a store not yet written."""
    if not os.path.exists(store):
        return {"models": [], "events": []}
    text = _native.lib.rl_registry_read(os.fsencode(store))
    if text is None:
        raise MlflowException(_native.lib.rl_last_error().decode("utf-8", "replace"),
                              error_code=_codes.INVALID_STATE)
    return json.loads(text.decode("utf-8"))


def apply(store, *changes):
    """Applies the changes (dicts as rl_registry_apply takes), all or none; the registry after them."""
    text = _native.lib.rl_registry_apply(os.fsencode(store), json.dumps(list(changes)).encode("utf-8"),
                                         _user().encode("utf-8"))
    if text is None:
        kind = _native.lib.rl_registry_error_kind()
        raise MlflowException(_native.lib.rl_last_error().decode("utf-8", "replace"),
                              error_code=_KIND_CODES.get(kind, _codes.INVALID_STATE))
    return json.loads(text.decode("utf-8"))


def _find(registry, name):
    for m in registry["models"]:
        if m["name"] == name:
            return m
    return None


def _model(registry, name):
    m = _find(registry, name)
    if m is None:
        raise MlflowException(f"Registered Model with name={name} not found", error_code=_codes.RESOURCE_DOES_NOT_EXIST)
    return m


def version_number(version):
    try:
        return int(str(version))
    except ValueError:
        raise MlflowException(f"Parameter 'version' must be an integer, got {version!r}",
                              error_code=_codes.INVALID_PARAMETER_VALUE) from None


def _version(registry, name, version):
    m = _model(registry, name)
    number = version_number(version)
    for v in m["versions"]:
        if v["version"] == number:
            return ModelVersion.from_registry(name, v)
    raise MlflowException(f"Model Version (name={name}, version={version}) not found",
                          error_code=_codes.RESOURCE_DOES_NOT_EXIST)


def _tags_changes(action, name, tags, version=0):
    return [{"action": action, "model": name, "version": version, "key": str(k), "value": str(v)}
            for k, v in (tags or {}).items()]


# -- registered models -----------------------------------------------------------
def create_model(store, name, tags=None, description=None):
    registry = apply(store, {"action": "create_model", "model": name, "value": description},
                     *_tags_changes("model_tag", name, tags))
    return RegisteredModel.from_registry(_model(registry, name))


def get_model(store, name):
    return RegisteredModel.from_registry(_model(read(store), name))


def rename_model(store, name, new_name):
    return RegisteredModel.from_registry(_model(apply(store, {"action": "rename_model", "model": name,
                                                              "value": new_name}), new_name))


def update_model(store, name, description=None):
    registry = apply(store, {"action": "describe_model", "model": name, "value": description})
    return RegisteredModel.from_registry(_model(registry, name))


def delete_model(store, name):
    apply(store, {"action": "delete_model", "model": name})


def set_model_tag(store, name, key, value):
    apply(store, {"action": "model_tag", "model": name, "key": str(key), "value": str(value)})


def delete_model_tag(store, name, key):
    apply(store, {"action": "model_tag", "model": name, "key": str(key), "value": None})


def _matches(tree, attrs, tags):
    return _filter.matches(tree, {"attrs": attrs, "tags": tags, "metrics": {}, "params": {}})


def search_models(store, filter_string=None, order_by=None):
    tree = _filter.parse_filter(filter_string, attributes=_MODEL_FIELDS)
    out = [RegisteredModel.from_registry(m) for m in read(store)["models"]
           if _matches(tree, {"name": m["name"]}, m["tags"])]
    return _ordered(out, order_by, {"name": "name", "timestamp": "last_updated_timestamp",
                                    "last_updated_timestamp": "last_updated_timestamp",
                                    "creation_timestamp": "creation_timestamp"}, default=[("name", True)])


def _ordered(items, order_by, fields, default):
    keys = []
    for clause in order_by or []:
        words = str(clause).split()
        field = fields.get(words[0].lower()) if words else None
        if field is None:
            raise MlflowException(f"Invalid order_by clause '{clause}'", error_code=_codes.INVALID_PARAMETER_VALUE)
        keys.append((field, len(words) < 2 or words[1].upper() != "DESC"))
    # Fields the caller did not order by keep the default order behind the caller's.
    keys += [(field, ascending) for field, ascending in default if field not in {k for k, _ in keys}]
    for field, ascending in reversed(keys):
        items.sort(key=lambda e: (getattr(e, field) is None, getattr(e, field)), reverse=not ascending)
    return items


# -- versions ----------------------------------------------------------------------
def create_version(store, name, source, run_id=None, tags=None, description=None, create_model=False):
    """The next version of `name` with its tags, in one write (`create_model`: the model too, when
    it is not there yet, decided inside that write)."""
    # A run this process is logging: what it logged so far goes to the store first, so that the
    # run's promotion record holds its metrics at registration.
    run = _backend.open_run(store, run_id) if run_id else None
    if run is not None:
        run.flush()
    changes = [{"action": "create_model", "model": name, "if_missing": True}] if create_model else []
    changes.append({"action": "create_version", "model": name, "run_id": run_id or "", "source": source or "",
                    "value": description})
    changes += _tags_changes("version_tag", name, tags, "created")
    registry = apply(store, *changes)
    return _version(registry, name, registry["created_version"])


def register(store, name, source, run_id=None, tags=None):
    """MLflow's register_model: the model is created when it is not there yet."""
    return create_version(store, name, source, run_id, tags, create_model=True)


def get_version(store, name, version):
    return _version(read(store), name, version)


def update_version(store, name, version, description=None):
    number = version_number(version)
    return _version(apply(store, {"action": "describe_version", "model": name, "version": number,
                                  "value": description}), name, number)


def delete_version(store, name, version):
    apply(store, {"action": "delete_version", "model": name, "version": version_number(version)})


def set_version_tag(store, name, version, key, value):
    apply(store, {"action": "version_tag", "model": name, "version": version_number(version), "key": str(key),
                  "value": str(value)})


def delete_version_tag(store, name, version, key):
    apply(store, {"action": "version_tag", "model": name, "version": version_number(version), "key": str(key),
                  "value": None})


def transition_stage(store, name, version, stage, archive_existing_versions=False):
    number = version_number(version)
    return _version(apply(store, {"action": "stage", "model": name, "version": number, "value": str(stage),
                                  "archive_others": bool(archive_existing_versions)}), name, number)


def version_in_stage(store, name, stage):
    """The newest version of `name` in `stage` (MLflow's set_model_version_tag(stage=...))."""
    versions = latest_versions(store, name, [stage])
    if not versions:
        raise MlflowException(f"No versions of model {name!r} in stage {stage!r}",
                              error_code=_codes.RESOURCE_DOES_NOT_EXIST)
    return versions[-1].version


def latest_versions(store, name, stages=None):
    m = _model(read(store), name)
    wanted = {str(s).lower() for s in stages} if stages else None
    latest = {}
    for v in m["versions"]:
        if wanted is None or v["stage"].lower() in wanted:
            latest[v["stage"]] = v
    return [ModelVersion.from_registry(name, v) for v in sorted(latest.values(), key=lambda v: v["version"])]


def search_versions(store, filter_string=None, order_by=None):
    tree = _filter.parse_filter(filter_string, attributes=_VERSION_FIELDS)
    out = []
    for m in read(store)["models"]:
        for v in m["versions"]:
            attrs = {"name": m["name"], "run_id": v["run_id"], "source": v["source"], "version": v["version"],
                     "stage": v["stage"]}
            if _matches(tree, attrs, v["tags"]):
                out.append(ModelVersion.from_registry(m["name"], v))
    return _ordered(out, order_by, {"name": "name", "version_number": "version",
                                    "creation_timestamp": "creation_timestamp",
                                    "last_updated_timestamp": "last_updated_timestamp", "timestamp":
                                    "last_updated_timestamp"},
                    default=[("name", True), ("version", False)])   # MLflow's: name, then newest version first


# -- aliases -------------------------------------------------------------------------
def set_alias(store, name, alias, version):
    apply(store, {"action": "alias", "model": name, "key": str(alias), "version": version_number(version)})


def delete_alias(store, name, alias):
    apply(store, {"action": "delete_alias", "model": name, "key": str(alias)})


def version_by_alias(store, name, alias):
    registry = read(store)
    m = _model(registry, name)
    number = m["aliases"].get(alias)
    if number is None:
        raise MlflowException(f"Registered model alias {alias} not found.",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    return _version(registry, name, number)


# -- models:/ URIs -------------------------------------------------------------------
def resolve(store, uri):
    """models:/NAME/VERSION, models:/NAME/STAGE, models:/NAME/latest and models:/NAME@ALIAS as the
    version's source (a runs:/ URI or a local path)."""
    rest = uri[len("models:/"):].lstrip("/")
    if "@" in rest and "/" not in rest.split("@", 1)[1]:
        name, alias = rest.split("@", 1)
        v = version_by_alias(store, name, alias)
    else:
        name, _, which = rest.rpartition("/")
        if not name:
            raise MlflowException(f"Not a valid models:/ URI: {uri!r} (models:/NAME/VERSION, models:/NAME@ALIAS)",
                                  error_code=_codes.INVALID_PARAMETER_VALUE)
        which, _, sub = which.partition("/")
        if which.isdigit():
            v = get_version(store, name, which)
        else:
            versions = latest_versions(store, name, None if which.lower() == "latest" else [which])
            if not versions:
                raise MlflowException(f"No versions of model {name!r} in stage {which!r}",
                                      error_code=_codes.RESOURCE_DOES_NOT_EXIST)
            v = max(versions, key=lambda v: v.version)
    if not v.source:
        raise MlflowException(f"{uri}: version {v.version} of {v.name!r} has no source",
                              error_code=_codes.RESOURCE_DOES_NOT_EXIST)
    return v.source


def source_of(model_uri):
    """What a version is registered from: runs:/ URIs stay as they are (they name the run), paths become
    absolute."""
    uri = os.fspath(model_uri)
    if "://" in uri or uri.startswith("runs:/"):
        return uri
    return os.path.abspath(uri)


def run_of(model_uri):
    uri = os.fspath(model_uri)
    if uri.startswith("runs:/"):
        return uri[len("runs:/"):].lstrip("/").partition("/")[0]
    return None

