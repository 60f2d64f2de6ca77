# SPDX-License-Identifier: MIT
"""What the fluent API and MlflowClient share: the store a tracking URI names,
the runs this process holds open, writes to runs it does not (resumed for the
write, then ended as they were), and reads turned into MLflow's entities.
Reads go through runlens._store_read, the one module that reads the store."""
import json
import os
import threading
import time
import warnings

import runlens as _runlens
from runlens import _store_read

from .entities import (Dataset, DatasetInput, Experiment, InputTag, LifecycleStage, Run, RunData, RunInfo, RunInputs,
                       ViewType)
from .exceptions import MlflowException
from .protos import databricks_pb2 as _codes

DEFAULT_EXPERIMENT = "Default"
DEFAULT_EXPERIMENT_ID = "0"
DELETED_TAG = "runlens.lifecycle_stage"
INPUT_TAG_PREFIX = "runlens.input."

_STATUS = {"running": "RUNNING", "finished": "FINISHED", "failed": "FAILED", "killed": "KILLED", "crashed": "FAILED"}
_TO_RUNLENS = {"FINISHED": "finished", "FAILED": "failed", "KILLED": "killed"}

_lock = threading.RLock()
_open = {}                 # (store path, run id) -> runlens.Run this process logs to
_created_experiments = {}  # store path -> {name: creation ms}: made by create_experiment, no run yet
_experiment_tags = {}      # (store path, name) -> {key: value}, kept for this process
_deleted_experiments = {}  # store path -> {name}
_warned = set()


def warn_once(key, message):
    if key not in _warned:
        _warned.add(key)
        warnings.warn("runlens.mlflow: " + message, stacklevel=3)


def store_path(uri):
    """A tracking URI as a store path: a path, sqlite:///rel.db, sqlite:////abs.db, file:///abs or
    file:./rel. A folder (MLflow's file store is one: file:./mlruns) holds the store as runlens.db."""
    uri = os.fspath(uri)
    if uri == "databricks" or uri.startswith("databricks"):
        raise MlflowException(f"runlens.mlflow logs to a local Runlens store, not to {uri!r}; "
                              "give a path (runs.db) or sqlite:///runs.db", error_code=_codes.INVALID_PARAMETER_VALUE)
    if uri.startswith("sqlite:///"):
        return uri[len("sqlite:///"):]
    folder_uri = uri.startswith("file:")
    if folder_uri:
        uri = uri[len("file://"):] if uri.startswith("file://") else uri[len("file:"):]
    elif "://" in uri:
        raise MlflowException(f"runlens.mlflow logs to a local Runlens store, not to {uri!r}; "
                              "give a path (runs.db) or sqlite:///runs.db", error_code=_codes.INVALID_PARAMETER_VALUE)
    if folder_uri and not os.path.splitext(uri)[1] and not os.path.isfile(uri):
        os.makedirs(uri, exist_ok=True)   # as MLflow makes its file store's folder
    return os.path.join(uri, "runlens.db") if os.path.isdir(uri) else uri


# -- experiments -------------------------------------------------------------
def experiment_id_of(name):
    return DEFAULT_EXPERIMENT_ID if name in (DEFAULT_EXPERIMENT, "default") else name


def experiment_name_of(experiment_id):
    experiment_id = str(experiment_id)
    return DEFAULT_EXPERIMENT if experiment_id == DEFAULT_EXPERIMENT_ID else experiment_id


def _artifact_root(store):
    return os.path.abspath(store) + ".artifacts"


def artifact_uri(store, run_id):
    return "file://" + os.path.join(_artifact_root(store), run_id)


def artifact_dir(store, run_id):
    return os.path.join(_artifact_root(store), run_id)


def _experiment(store, name, created):
    deleted = name in _deleted_experiments.get(store, set())
    return Experiment(experiment_id_of(name), name, artifact_location="file://" + _artifact_root(store),
                      lifecycle_stage=LifecycleStage.DELETED if deleted else LifecycleStage.ACTIVE,
                      tags=_experiment_tags.get((store, name), {}), creation_time=created)


def list_experiments(store, view_type=ViewType.ACTIVE_ONLY):
    with _read(store) as s:
        found = {e["name"]: e["created_at"] for e in s.experiments()}
    with _lock:
        for name, created in _created_experiments.get(store, {}).items():
            found.setdefault(name, created)
        found.setdefault(DEFAULT_EXPERIMENT, found.pop("default", None) or 0)
        out = [_experiment(store, name, created) for name, created in found.items()]
    return [e for e in out if _view_ok(e.lifecycle_stage, view_type)]


def _view_ok(stage, view_type):
    view_type = ViewType.from_string(view_type) if isinstance(view_type, str) else (view_type or ViewType.ACTIVE_ONLY)
    if view_type == ViewType.ALL:
        return True
    return (stage == LifecycleStage.DELETED) == (view_type == ViewType.DELETED_ONLY)


def get_experiment_by_name(store, name):
    for e in list_experiments(store, ViewType.ALL):
        if e.name == name:
            return e
    return None


def get_experiment(store, experiment_id):
    name = experiment_name_of(experiment_id)
    e = get_experiment_by_name(store, name)
    if e is None:
        raise MlflowException(f"No Experiment with id={experiment_id} exists",
                              error_code=_codes.RESOURCE_DOES_NOT_EXIST)
    return e


def create_experiment(store, name, tags=None):
    if not name:
        raise MlflowException("Invalid experiment name: ''", error_code=_codes.INVALID_PARAMETER_VALUE)
    if get_experiment_by_name(store, name) is not None:
        raise MlflowException(f"Experiment '{name}' already exists.", error_code=_codes.RESOURCE_ALREADY_EXISTS)
    with _lock:
        _created_experiments.setdefault(store, {})[name] = int(time.time() * 1000)
        if tags:
            _experiment_tags.setdefault((store, name), {}).update({k: str(v) for k, v in tags.items()})
    return experiment_id_of(name)


def set_experiment_tag(store, experiment_id, key, value):
    name = experiment_name_of(experiment_id)
    warn_once("experiment-tags", "experiment tags are kept for this process only: a Runlens store has no "
                                 "experiment tags (tag the runs instead)")
    with _lock:
        _experiment_tags.setdefault((store, name), {})[key] = str(value)


def delete_experiment(store, experiment_id, deleted=True):
    name = experiment_name_of(experiment_id)
    get_experiment(store, experiment_id)
    with _lock:
        target = _deleted_experiments.setdefault(store, set())
        if deleted:
            target.add(name)
        else:
            target.discard(name)
    warn_once("delete-experiment", "deleting an experiment hides it from this process's searches only; "
                                   "its runs stay in the store")


# -- runs this process logs to -------------------------------------------------
def start(store, experiment, run_name=None, parent_id=None, tags=None, description=None):
    run = _runlens.Run(store=store, experiment=experiment, name=run_name, parent=parent_id, notes=description)
    # MLflow's system tags (mlflow.user, mlflow.source.*) are not added: the run's
    # environment records the user, host and command already.
    for k, v in (tags or {}).items():
        run.set_tag(k, str(v))
    with _lock:
        _open[(store, run.id)] = run
    return run


def resume(store, run_id, tags=None, description=None):
    try:
        run = _runlens.Run(store=store, resume=str(run_id), tags=tags, notes=description)
    except _runlens.RunlensError as e:
        raise MlflowException(str(e), error_code=_codes.RESOURCE_DOES_NOT_EXIST
                              if "there is no run" in str(e) else _codes.INVALID_STATE) from None
    with _lock:
        _open[(store, run.id)] = run
    return run


def finished(store, run_id):
    with _lock:
        _open.pop((store, run_id), None)


def open_run(store, run_id):
    with _lock:
        run = _open.get((store, run_id))
    return run if run is not None and not run.finished else None


class _Writer:
    """A run to write to: the open one, or the run resumed for the write and
    ended again with the status it had."""

    def __init__(self, store, run_id):
        self.store, self.run_id = store, str(run_id)
        self.resumed = None

    def __enter__(self):
        run = open_run(self.store, self.run_id)
        if run is not None:
            return run
        with _read(self.store) as s:
            row = s.run(self.run_id)
        if row is None:
            raise MlflowException(f"Run '{self.run_id}' not found", error_code=_codes.RESOURCE_DOES_NOT_EXIST)
        self.status = row["status"]
        try:
            self.resumed = _runlens.Run(store=self.store, resume=self.run_id, git=False, environment=False)
        except _runlens.RunlensError as e:
            raise MlflowException(str(e), error_code=_codes.INVALID_STATE) from None
        return self.resumed

    def __exit__(self, *exc):
        if self.resumed is not None:
            status = {"killed": "killed", "failed": "failed", "crashed": "failed"}.get(self.status, "finished")
            if self.status == "running":
                # A run logged by a process that is gone reads as crashed, not running; keep it open
                # in this process so that set_terminated can end it.
                with _lock:
                    _open[(self.store, self.run_id)] = self.resumed
                return False
            self.resumed.finish(status)
        return False


def writer(store, run_id):
    return _Writer(store, run_id)


def edit_run(store, run_id, field, key, value):
    """An edit after the run ran (a removed tag, a new name), kept in the run's edit history as the
    app's are. A run this process logs is flushed first, so that nothing it buffered lands after."""
    from runlens import _native
    import getpass
    run = open_run(store, str(run_id))
    if run is not None:
        run.flush()
    try:
        user = getpass.getuser()
    except Exception:
        user = ""
    enc = lambda v: None if v is None else str(v).encode("utf-8")  # noqa: E731
    if _native.lib.rl_store_edit_run(os.fsencode(store), enc(run_id), enc(field), enc(key), enc(value),
                                     enc(user)) != _native.RL_OK:
        message = _native.lib.rl_last_error().decode("utf-8", "replace")
        raise MlflowException(message, error_code=_codes.RESOURCE_DOES_NOT_EXIST if "no run" in message
                              else _codes.INVALID_STATE)


def terminate(store, run_id, status="FINISHED"):
    status = _TO_RUNLENS.get(str(status).upper(), "finished")
    run = open_run(store, run_id)
    if run is None:
        with _read(store) as s:
            if s.run(str(run_id)) is None:
                raise MlflowException(f"Run '{run_id}' not found", error_code=_codes.RESOURCE_DOES_NOT_EXIST)
        run = _runlens.Run(store=store, resume=str(run_id), git=False, environment=False)
    try:
        run.finish(status)
    finally:
        finished(store, str(run_id))


# -- reads ---------------------------------------------------------------------
def _read(store):
    try:
        return _store_read.Store(store)
    except _store_read.StoreReadError as e:
        raise MlflowException(str(e), error_code=_codes.INVALID_STATE) from None


def param_text(type_, text):
    """A param as MLflow gives it back: the string of the Python value."""
    if type_ == "bool":
        return "True" if text == "true" else "False"
    return text


def datasets_of(tags):
    out = []
    for key, value in tags.items():
        if key.startswith(INPUT_TAG_PREFIX):
            try:
                out.append(json.loads(value))
            except ValueError:
                continue
    return out


def run_entity(store, row):
    tags = dict(row["tags"])
    tags.setdefault("mlflow.runName", row["name"])
    if row["notes"]:
        tags.setdefault("mlflow.note.content", row["notes"])
    if row["parent_id"]:
        tags.setdefault("mlflow.parentRunId", row["parent_id"])
    datasets = datasets_of(tags)
    tags = {k: v for k, v in tags.items() if not k.startswith(INPUT_TAG_PREFIX) and k != DELETED_TAG}
    info = RunInfo(run_id=row["id"], experiment_id=experiment_id_of(row["experiment"]), run_name=row["name"],
                   user_id=tags.get("mlflow.user", ""), status=_STATUS.get(row["status"], "RUNNING"),
                   start_time=row["start_time"], end_time=row["end_time"], artifact_uri=artifact_uri(store, row["id"]),
                   lifecycle_stage=row["tags"].get(DELETED_TAG, LifecycleStage.ACTIVE))
    data = RunData(metrics={k: m["last"] for k, m in row["metrics"].items()},
                   params={k: param_text(*v) for k, v in row["params"].items()}, tags=tags)
    inputs = RunInputs([DatasetInput(Dataset(d.get("name"), d.get("digest"), d.get("source_type"), d.get("source"),
                                             d.get("schema"), d.get("profile")),
                                     [InputTag("mlflow.data.context", d["context"])] if d.get("context") else [])
                        for d in datasets])
    return Run(info, data, inputs)


def filter_row(run):
    """A run entity as the filter evaluator reads it."""
    info = run.info
    return {"metrics": run.data.metrics, "params": run.data.params, "tags": run.data.tags,
            "attrs": {"run_id": info.run_id, "run_name": info.run_name, "status": info.status,
                      "start_time": info.start_time, "end_time": info.end_time, "artifact_uri": info.artifact_uri,
                      "user_id": info.user_id, "lifecycle_stage": info.lifecycle_stage,
                      "experiment_id": info.experiment_id},
            "datasets": [{"name": d.dataset.name, "digest": d.dataset.digest,
                          "context": next((t.value for t in d.tags if t.key == "mlflow.data.context"), None)}
                         for d in run.inputs.dataset_inputs],
            "run": run}


def get_run(store, run_id):
    with _read(store) as s:
        row = s.run(str(run_id))
    if row is None:
        raise MlflowException(f"Run '{run_id}' not found", error_code=_codes.RESOURCE_DOES_NOT_EXIST)
    return run_entity(store, row)


def search(store, experiment_ids=None, filter_string="", run_view_type=ViewType.ACTIVE_ONLY, max_results=None,
           order_by=None, offset=0):
    """(runs, total) matching, in order."""
    from . import _filter
    node = _filter.parse_filter(filter_string)
    order = _filter.parse_order_by(order_by)
    names = None
    if experiment_ids:
        if isinstance(experiment_ids, (str, int)):
            experiment_ids = [experiment_ids]
        names = [experiment_name_of(e) for e in experiment_ids]
        if DEFAULT_EXPERIMENT in names:
            names.append("default")
    with _read(store) as s:
        rows = s.runs(experiments=names)
    deleted_experiments = _deleted_experiments.get(store, set())
    candidates = []
    for row in rows:
        run = run_entity(store, row)
        stage = run.info.lifecycle_stage
        if row["experiment"] in deleted_experiments:
            stage = LifecycleStage.DELETED
        if not _view_ok(stage, run_view_type):
            continue
        r = filter_row(run)
        if _filter.matches(node, r):
            candidates.append(r)
    _filter.sort_runs(candidates, order)
    total = len(candidates)
    end = None if max_results is None else offset + int(max_results)
    return [r["run"] for r in candidates[offset:end]], total


def metric_history(store, run_id, key):
    from .entities import Metric
    with _read(store) as s:
        if s.run(str(run_id)) is None:
            raise MlflowException(f"Run '{run_id}' not found", error_code=_codes.RESOURCE_DOES_NOT_EXIST)
        points = s.metric_history(str(run_id), key)
    return [Metric(key, value, int(round(wall * 1000)), step) for step, wall, value in points]


def list_artifacts(store, run_id, path=None):
    from .entities import FileInfo
    with _read(store) as s:
        entries = s.artifacts(str(run_id))
    prefix = (path or "").strip("/")
    prefix = prefix + "/" if prefix else ""
    seen, out = set(), []
    for a in entries:
        p = a["path"]
        if not p.startswith(prefix):
            continue
        rest = p[len(prefix):]
        head = rest.split("/", 1)[0]
        full = prefix + head
        if full in seen:
            continue
        seen.add(full)
        is_dir = "/" in rest
        out.append(FileInfo(full, is_dir, None if is_dir else a["size"]))
    return sorted(out, key=lambda f: f.path)


def local_artifact_path(store, run_id, path=""):
    """Where a run's artifact (file or folder) is on disk; artifacts logged by
    reference (s3://...) are not here."""
    base = artifact_dir(store, str(run_id))
    target = os.path.normpath(os.path.join(base, path or ""))
    if not (target == base or target.startswith(base + os.sep)):
        raise MlflowException(f"artifact path {path!r} leaves the run's folder",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    if not os.path.exists(target):
        raise MlflowException(f"run {run_id} has no artifact {path!r}", error_code=_codes.RESOURCE_DOES_NOT_EXIST)
    return target

