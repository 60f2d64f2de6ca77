# SPDX-License-Identifier: MIT
"""MLflow's fluent tracking API over a Runlens store.

    import runlens.mlflow as mlflow

turns an MLflow training script into a Runlens one. The tracking URI is a
store path (also accepted: sqlite:///path and file:///path); without one, the
store is $RUNLENS_STORE, else ./runlens.db. Params keep their Python types.
"""
import json
import os
import sys
import tempfile
import threading
import time

import runlens as _runlens

__all__ = [
    "ActiveRun", "Experiment", "RunInfo", "MlflowException",
    "set_tracking_uri", "get_tracking_uri", "set_experiment", "get_experiment_by_name",
    "start_run", "end_run", "active_run", "last_active_run",
    "log_param", "log_params", "log_metric", "log_metrics", "set_tag", "set_tags",
    "log_artifact", "log_artifacts", "log_dict", "log_text",
]


class MlflowException(_runlens.RunlensError):
    pass


_state = threading.local()
_tracking_uri = None
_experiment_name = None
_last_run = None


def _stack():
    if not hasattr(_state, "runs"):
        _state.runs = []
    return _state.runs


def _store_path(uri):
    # sqlite:///rel.db and sqlite:////abs.db as SQLAlchemy reads them; file:///abs.
    for prefix in ("sqlite:///", "file://"):
        if uri.startswith(prefix):
            return uri[len(prefix):]
    return uri


def set_tracking_uri(uri):
    global _tracking_uri
    _tracking_uri = os.fspath(uri)


def get_tracking_uri():
    return _tracking_uri if _tracking_uri is not None else _runlens.default_store()


class Experiment:
    def __init__(self, name):
        self.name = name
        self.experiment_id = name
        self.lifecycle_stage = "active"

    def __repr__(self):
        return f"<Experiment: name={self.name!r}>"


def set_experiment(experiment_name=None, experiment_id=None):
    """Experiments are named; experiment_id is taken as a name too."""
    global _experiment_name
    name = experiment_name or experiment_id
    if not name:
        raise MlflowException("set_experiment needs experiment_name or experiment_id")
    _experiment_name = str(name)
    return Experiment(_experiment_name)


def get_experiment_by_name(name):
    return Experiment(name)


class RunInfo:
    def __init__(self, run, experiment):
        self.run_id = run.id
        self.run_uuid = run.id
        self.run_name = run.name
        self.experiment_id = experiment
        self.status = "RUNNING"
        self.start_time = int(time.time() * 1000)
        self.end_time = None
        self.artifact_uri = "file://" + os.path.abspath(run.store) + ".artifacts/" + run.id
        self.lifecycle_stage = "active"


class RunData:
    def __init__(self):
        self.params = {}
        self.metrics = {}
        self.tags = {}


class ActiveRun:
    """What start_run returns; a context manager that ends the run."""

    def __init__(self, run, experiment):
        self._run = run
        self.info = RunInfo(run, experiment)
        self.data = RunData()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            status = "FINISHED"
        elif issubclass(exc_type, KeyboardInterrupt):
            status = "KILLED"
        else:
            status = "FAILED"
        if exc_type is None:
            end_run(status, _run=self)
            return False
        try:
            end_run(status, _run=self)
        except _runlens.RunlensError as e:   # the block's own exception is the one to see
            print(f"runlens: {e}", file=sys.stderr)
        return False

    def __repr__(self):
        return f"<ActiveRun: run_id={self.info.run_id!r}, run_name={self.info.run_name!r}>"


def start_run(run_id=None, experiment_id=None, run_name=None, nested=False, parent_run_id=None, tags=None,
              description=None, log_system_metrics=None):
    global _last_run
    stack = _stack()
    if stack and not nested and parent_run_id is None:
        raise MlflowException(
            f"Run with UUID {stack[-1].info.run_id} is already active. To start a nested run, call start_run "
            "with nested=True")
    parent = parent_run_id or (stack[-1].info.run_id if stack and nested else None)
    experiment = str(experiment_id) if experiment_id is not None else (_experiment_name or "Default")
    if run_id is not None:
        # Carry on an existing run (a job restarted from a checkpoint), as MLflow does.
        try:
            run = _runlens.Run(store=_store_path(get_tracking_uri()), resume=str(run_id), tags=tags,
                               notes=description)
        except _runlens.RunlensError as e:
            raise MlflowException(str(e)) from None
        experiment = run.experiment
    else:
        run = _runlens.Run(store=_store_path(get_tracking_uri()), experiment=experiment, name=run_name,
                           parent=parent, tags=tags, notes=description)
    active = ActiveRun(run, experiment)
    if tags:
        active.data.tags.update({k: str(v) for k, v in tags.items()})
    stack.append(active)
    _last_run = active
    return active


def end_run(status="FINISHED", _run=None):
    stack = _stack()
    target = _run if _run is not None else (stack[-1] if stack else None)
    if target is None:
        return
    mapping = {"FINISHED": "finished", "FAILED": "failed", "KILLED": "killed"}
    try:
        # Raises when what was logged is not all saved; the run is ended either way.
        target._run.finish(mapping.get(str(status).upper(), "finished"))
    finally:
        target.info.status = str(status).upper()
        target.info.end_time = int(time.time() * 1000)
        if target in stack:
            stack.remove(target)


def active_run():
    stack = _stack()
    return stack[-1] if stack else None


def last_active_run():
    return _last_run


def _current():
    # MLflow starts a run on first use; so do we.
    return active_run() or start_run()


def log_param(key, value, synchronous=None):
    active = _current()
    active._run.log_param(key, value)
    active.data.params[key] = str(value)
    return value


def log_params(params, synchronous=None, run_id=None):
    for k, v in params.items():
        log_param(k, v)


def log_metric(key, value, step=None, synchronous=None, timestamp=None, run_id=None, **_ignored):
    active = _current()
    wall = timestamp / 1000.0 if timestamp is not None else None
    active._run.log_metric(key, value, step or 0, wall)
    active.data.metrics[key] = float(value)


def log_metrics(metrics, step=None, synchronous=None, run_id=None, timestamp=None, **_ignored):
    active = _current()
    if timestamp is None:
        active._run.log(metrics, step=step or 0)
    else:
        for k, v in metrics.items():
            active._run.log_metric(k, v, step or 0, timestamp / 1000.0)
    active.data.metrics.update({k: float(v) for k, v in metrics.items()})


def set_tag(key, value, synchronous=None):
    active = _current()
    if key == "mlflow.note.content":
        active._run.set_notes(str(value))
    active._run.set_tag(key, value)
    active.data.tags[key] = str(value)


def set_tags(tags, synchronous=None):
    for k, v in tags.items():
        set_tag(k, v)


def log_artifact(local_path, artifact_path=None, run_id=None):
    _current()._run.log_artifact(local_path, artifact_path or "")


def log_artifacts(local_dir, artifact_path=None, run_id=None):
    run = _current()._run
    base = os.fspath(local_dir)
    for root, _dirs, files in os.walk(base):
        rel = os.path.relpath(root, base)
        target = os.path.normpath(os.path.join(artifact_path or "", "" if rel == "." else rel))
        for name in sorted(files):
            run.log_artifact(os.path.join(root, name), "" if target == "." else target)


def _log_file_content(content, artifact_file):
    directory, name = os.path.split(artifact_file)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(content)
        _current()._run.log_artifact(path, directory)


def log_text(text, artifact_file, run_id=None):
    _log_file_content(text, artifact_file)


def log_dict(dictionary, artifact_file, run_id=None):
    if artifact_file.endswith((".yaml", ".yml")):
        try:
            import yaml
            content = yaml.safe_dump(dictionary, default_flow_style=False)
        except ImportError:
            content = json.dumps(dictionary, indent=2)
    else:
        content = json.dumps(dictionary, indent=2)
    _log_file_content(content, artifact_file)
