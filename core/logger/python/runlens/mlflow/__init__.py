# SPDX-License-Identifier: MIT
"""MLflow's tracking API over a Runlens store.

    import runlens.mlflow as mlflow
    from runlens.mlflow.tracking import MlflowClient

turns an MLflow training script into a Runlens one. The tracking URI is a
store path (also accepted: sqlite:///path and file:///path); without one, the
store is $RUNLENS_STORE, else ./runlens.db. Params keep their Python types.
Experiment ids are the experiments' names ("0" is "Default").

docs/mlflow-compatibility.md lists what is supported and what is not.
"""
import json
import os
import sys
import tempfile
import threading
import time

import runlens as _runlens

from . import _backend
from .entities import (Experiment, Metric, Param, Run, RunData, RunInfo, RunInputs, RunStatus, RunTag,  # noqa: F401
                       ViewType)
from .exceptions import MlflowException
from .protos import databricks_pb2 as _codes

__all__ = [
    "ActiveRun", "Experiment", "Run", "RunInfo", "RunData", "MlflowException", "MlflowClient", "ViewType",
    "set_tracking_uri", "get_tracking_uri", "is_tracking_uri_set", "set_registry_uri", "get_registry_uri",
    "set_experiment", "get_experiment", "get_experiment_by_name", "create_experiment", "delete_experiment",
    "search_experiments", "set_experiment_tag", "set_experiment_tags",
    "start_run", "end_run", "active_run", "last_active_run", "get_run", "get_parent_run", "delete_run",
    "search_runs", "log_param", "log_params", "log_metric", "log_metrics", "set_tag", "set_tags", "delete_tag",
    "log_artifact", "log_artifacts", "log_dict", "log_text", "log_figure", "log_image", "log_table", "load_table",
    "get_artifact_uri", "log_input", "autolog", "register_model", "evaluate", "flush_async_logging",
    "enable_system_metrics_logging", "disable_system_metrics_logging", "set_system_metrics_sampling_interval",
    "set_system_metrics_samples_before_logging", "set_system_metrics_node_id",
]

__version__ = "2.16.0+runlens"   # the MLflow API this module follows

_state = threading.local()
_tracking_uri = None
_experiment_name = None
_last_run = None


def _stack():
    if not hasattr(_state, "runs"):
        _state.runs = []
    return _state.runs


def _store_path(uri):
    return _backend.store_path(uri)


def _store():
    return _store_path(get_tracking_uri())


def set_tracking_uri(uri):
    global _tracking_uri
    _tracking_uri = os.fspath(uri)
    _store_path(_tracking_uri)   # refuses remote servers now rather than at the first log


def get_tracking_uri():
    return _tracking_uri if _tracking_uri is not None else (
        os.environ.get("MLFLOW_TRACKING_URI") if os.environ.get("MLFLOW_TRACKING_URI", "").startswith(
            ("sqlite:", "file:")) else None) or _runlens.default_store()


def is_tracking_uri_set():
    return _tracking_uri is not None


def set_registry_uri(uri):
    pass


def get_registry_uri():
    return get_tracking_uri()


# -- experiments -------------------------------------------------------------
def set_experiment(experiment_name=None, experiment_id=None):
    """Makes the experiment current (created if missing) and returns it."""
    global _experiment_name
    if experiment_name is None and experiment_id is None:
        raise MlflowException("Must specify exactly one of: `experiment_id` or `experiment_name`.",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    store = _store()
    if experiment_id is not None:
        experiment = _backend.get_experiment_by_name(store, _backend.experiment_name_of(experiment_id))
        if experiment is None:
            # A Runlens experiment exists once a run is in it: a name given as an id is taken as is.
            _backend.create_experiment(store, _backend.experiment_name_of(experiment_id))
            experiment = _backend.get_experiment_by_name(store, _backend.experiment_name_of(experiment_id))
    else:
        experiment = _backend.get_experiment_by_name(store, str(experiment_name))
        if experiment is None:
            _backend.create_experiment(store, str(experiment_name))
            experiment = _backend.get_experiment_by_name(store, str(experiment_name))
    if experiment.lifecycle_stage == "deleted":
        raise MlflowException(f"Cannot set a deleted experiment {experiment.name!r} as the active experiment.",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    _experiment_name = experiment.name
    return experiment


def get_experiment_by_name(name):
    return _backend.get_experiment_by_name(_store(), name)


def get_experiment(experiment_id):
    return _backend.get_experiment(_store(), experiment_id)


def create_experiment(name, artifact_location=None, tags=None):
    return _backend.create_experiment(_store(), name, tags)


def delete_experiment(experiment_id):
    _backend.delete_experiment(_store(), experiment_id)


def search_experiments(view_type=ViewType.ACTIVE_ONLY, max_results=None, filter_string=None, order_by=None):
    experiments = _backend.list_experiments(_store(), view_type)
    if filter_string:
        import re
        m = re.fullmatch(r"\s*(?:attribute\.)?name\s*(=|!=|LIKE|ILIKE)\s*['\"](.*)['\"]\s*", filter_string, re.I)
        if not m:
            raise MlflowException(f"runlens.mlflow filters experiments by name only: {filter_string!r}",
                                  error_code=_codes.INVALID_PARAMETER_VALUE)
        from ._filter import _compare
        op = m.group(1).lower()
        experiments = [e for e in experiments if _compare(e.name, op, m.group(2))]
    experiments.sort(key=lambda e: -(e.creation_time or 0))
    return experiments[:max_results] if max_results else experiments


def set_experiment_tag(key, value):
    _backend.set_experiment_tag(_store(), _backend.experiment_id_of(_experiment_name or "Default"), key, value)


def set_experiment_tags(tags):
    for k, v in tags.items():
        set_experiment_tag(k, v)


# -- runs ----------------------------------------------------------------------
class ActiveRun(Run):
    """What start_run returns: a Run whose .data follows what is logged, and a
    context manager that ends the run."""

    def __init__(self, run, experiment):
        self._run = run
        store = run.store
        super().__init__(RunInfo(run.id, _backend.experiment_id_of(experiment), run.name, status="RUNNING",
                                 start_time=int(time.time() * 1000),
                                 artifact_uri=_backend.artifact_uri(store, run.id)), RunData(), RunInputs())

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            end_run("FINISHED", _run=self)
            return False
        status = "KILLED" if issubclass(exc_type, KeyboardInterrupt) else "FAILED"
        try:
            end_run(status, _run=self)
        except _runlens.RunlensError as e:   # the block's own exception is the one to see
            print(f"runlens: {e}", file=sys.stderr)
        return False

    def __repr__(self):
        return f"<ActiveRun: run_id={self.info.run_id!r}, run_name={self.info.run_name!r}>"


# MLflow's switches for system metrics, in MLflow's order: start_run's
# log_system_metrics, then enable_/disable_system_metrics_logging(), then
# $MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING; with none of them, Runlens's default
# (on unless $RUNLENS_SYSTEM_METRICS is 0; MLflow's own default is off).
_system_metrics = None
_system_metrics_interval = None


def enable_system_metrics_logging():
    global _system_metrics
    _system_metrics = True


def disable_system_metrics_logging():
    global _system_metrics
    _system_metrics = False


def set_system_metrics_sampling_interval(interval):
    """Seconds between samples (None: the default, 10)."""
    global _system_metrics_interval
    _system_metrics_interval = None if interval is None else float(interval)


def set_system_metrics_samples_before_logging(samples):
    """Accepted for MLflow's scripts: Runlens logs each sample as it is taken."""


def set_system_metrics_node_id(node_id):
    """Accepted for MLflow's scripts: a Runlens run's environment names its host."""


def _env_flag(name):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


def _apply_system_metrics(run, log_system_metrics):
    if not hasattr(run, "set_system_metrics"):
        return
    enabled = log_system_metrics
    if enabled is None:
        enabled = _system_metrics
    if enabled is None:
        enabled = _env_flag("MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING")
    interval = _system_metrics_interval
    if interval is None and os.environ.get("MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL"):
        interval = float(os.environ["MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL"])
    if enabled is False:
        run.set_system_metrics(0)
    elif enabled or (interval is not None and _runlens._native.lib.rl_system_metrics_default()):
        run.set_system_metrics(10.0 if interval is None else interval)


def start_run(run_id=None, experiment_id=None, run_name=None, nested=False, parent_run_id=None, tags=None,
              description=None, log_system_metrics=None):
    global _last_run
    stack = _stack()
    if stack and not nested and parent_run_id is None and run_id is None:
        raise MlflowException(
            f"Run with UUID {stack[-1].info.run_id} is already active. To start a nested run, call start_run "
            "with nested=True", error_code=_codes.INVALID_STATE)
    parent = parent_run_id or (stack[-1].info.run_id if stack and nested else None)
    experiment = _backend.experiment_name_of(experiment_id) if experiment_id is not None else (
        _experiment_name or os.environ.get("MLFLOW_EXPERIMENT_NAME") or _backend.DEFAULT_EXPERIMENT)
    store = _store()
    if run_id is not None:
        # Carry on an existing run (a job restarted from a checkpoint), as MLflow does.
        run = _backend.open_run(store, str(run_id)) or _backend.resume(store, run_id, tags=tags,
                                                                        description=description)
        experiment = run.experiment
    else:
        if run_name is None and tags and tags.get("mlflow.runName"):
            run_name = str(tags["mlflow.runName"])   # MLflow names the run by this tag too
        try:
            run = _backend.start(store, experiment, run_name=run_name, parent_id=parent, tags=tags,
                                 description=description)
        except MlflowException:
            raise
        except _runlens.RunlensError as e:
            raise MlflowException(str(e), error_code=_codes.INVALID_PARAMETER_VALUE) from None
    _apply_system_metrics(run, log_system_metrics)
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
        _backend.finished(target._run.store, target.info.run_id)
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


def _target(run_id):
    """(the runlens.Run to write to, the ActiveRun or None); run_id names another run."""
    active = active_run()
    if run_id is None or (active is not None and active.info.run_id == run_id):
        active = active or start_run()
        return active._run, active
    return None, None


def get_run(run_id):
    return _backend.get_run(_store(), run_id)


def get_parent_run(run_id):
    parent = get_run(run_id).data.tags.get("mlflow.parentRunId")
    return get_run(parent) if parent else None


def delete_run(run_id):
    from .tracking import MlflowClient
    MlflowClient().delete_run(run_id)


def search_runs(experiment_ids=None, filter_string="", run_view_type=ViewType.ACTIVE_ONLY, max_results=100000,
                order_by=None, output_format="pandas", search_all_experiments=False, experiment_names=None):
    """Runs matching MLflow's filter syntax, as a pandas DataFrame (MLflow's
    columns: run_id, experiment_id, status, artifact_uri, start_time, end_time,
    metrics.*, params.*, tags.*), or a list of Run with output_format="list".
    Without pandas, a list of dicts with those keys."""
    if experiment_names:
        experiment_ids = list(experiment_ids or []) + [_backend.experiment_id_of(n) for n in experiment_names]
    if not experiment_ids and not search_all_experiments:
        experiment_ids = [_backend.experiment_id_of(_experiment_name or _backend.DEFAULT_EXPERIMENT)]
    runs, _total = _backend.search(_store(), experiment_ids or None, filter_string, run_view_type, max_results,
                                   order_by)
    if output_format == "list":
        return runs
    rows = []
    for run in runs:
        row = {"run_id": run.info.run_id, "experiment_id": run.info.experiment_id, "status": run.info.status,
               "artifact_uri": run.info.artifact_uri, "start_time": run.info.start_time,
               "end_time": run.info.end_time}
        row.update({"metrics." + k: v for k, v in run.data.metrics.items()})
        row.update({"params." + k: v for k, v in run.data.params.items()})
        row.update({"tags." + k: v for k, v in run.data.tags.items()})
        rows.append(row)
    try:
        import pandas as pd
    except ImportError:
        return rows
    columns = ["run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time"]
    extra = sorted({k for r in rows for k in r if k not in columns},
                   key=lambda k: (("metrics.", "params.", "tags.").index(k.split(".", 1)[0] + "."), k))
    df = pd.DataFrame(rows, columns=columns + extra)
    for col in ("start_time", "end_time"):
        df[col] = pd.to_datetime(df[col], unit="ms", utc=True)
    return df


# -- logging -------------------------------------------------------------------
def log_param(key, value, synchronous=None):
    active = _current()
    active._run.log_param(key, value)
    active.data.params[key] = str(value)
    return value


def log_params(params, synchronous=None, run_id=None):
    run, active = _target(run_id)
    if run is None:
        from .tracking import MlflowClient
        return MlflowClient().log_batch(run_id, params=[Param(k, v) for k, v in params.items()])
    for k, v in params.items():
        run.log_param(k, v)
        active.data.params[k] = str(v)


def log_metric(key, value, step=None, synchronous=None, timestamp=None, run_id=None, **_ignored):
    run, active = _target(run_id)
    if run is None:
        from .tracking import MlflowClient
        return MlflowClient().log_metric(run_id, key, value, timestamp, step)
    wall = timestamp / 1000.0 if timestamp is not None else None
    run.log_metric(key, value, step or 0, wall)
    active.data.metrics[key] = float(value)


def log_metrics(metrics, step=None, synchronous=None, run_id=None, timestamp=None, **_ignored):
    run, active = _target(run_id)
    if run is None:
        from .tracking import MlflowClient
        ts = timestamp or int(time.time() * 1000)
        return MlflowClient().log_batch(run_id, metrics=[Metric(k, v, ts, step or 0) for k, v in metrics.items()])
    if timestamp is None:
        run.log(metrics, step=step or 0)
    else:
        for k, v in metrics.items():
            run.log_metric(k, v, step or 0, timestamp / 1000.0)
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


def delete_tag(key):
    from .tracking import MlflowClient
    MlflowClient().delete_tag(_current().info.run_id, key)
    _current().data.tags.pop(key, None)


def flush_async_logging():
    active = active_run()
    if active is not None:
        active._run.flush()


# -- artifacts -----------------------------------------------------------------
def log_artifact(local_path, artifact_path=None, run_id=None):
    run, _active = _target(run_id)
    if run is None:
        with _backend.writer(_store(), run_id) as run:
            run.log_artifact(local_path, artifact_path or "")
        return
    run.log_artifact(local_path, artifact_path or "")


def _log_dir(run, local_dir, artifact_path):
    base = os.fspath(local_dir)
    for root, _dirs, files in os.walk(base):
        rel = os.path.relpath(root, base)
        target = os.path.normpath(os.path.join(artifact_path or "", "" if rel == "." else rel))
        for name in sorted(files):
            run.log_artifact(os.path.join(root, name), "" if target == "." else target)


def log_artifacts(local_dir, artifact_path=None, run_id=None):
    run, _active = _target(run_id)
    if run is None:
        with _backend.writer(_store(), run_id) as run:
            _log_dir(run, local_dir, artifact_path)
        return
    _log_dir(run, local_dir, artifact_path)


def _log_file(artifact_file, write, run_id=None, binary=False):
    directory, name = os.path.split(artifact_file)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, name)
        with open(path, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as fh:
            write(fh, path)
        log_artifact(path, directory, run_id=run_id)


def log_text(text, artifact_file, run_id=None):
    _log_file(artifact_file, lambda fh, _p: fh.write(text), run_id)


def log_dict(dictionary, artifact_file, run_id=None):
    if artifact_file.endswith((".yaml", ".yml")):
        try:
            import yaml
            content = yaml.safe_dump(dictionary, default_flow_style=False)
        except ImportError:
            content = json.dumps(dictionary, indent=2)
    else:
        content = json.dumps(dictionary, indent=2)
    _log_file(artifact_file, lambda fh, _p: fh.write(content), run_id)


def log_figure(figure, artifact_file, *, save_kwargs=None, run_id=None):
    """A matplotlib or plotly figure, saved as artifact_file (.png, .svg, .pdf, .html)."""
    def write(fh, path):
        fh.close()
        if hasattr(figure, "savefig"):
            figure.savefig(path, **(save_kwargs or {}))
        elif path.endswith(".html") and hasattr(figure, "write_html"):
            figure.write_html(path, **(save_kwargs or {}))
        elif hasattr(figure, "write_image"):
            figure.write_image(path, **(save_kwargs or {}))
        else:
            raise MlflowException(f"cannot save a {type(figure).__name__} as a figure",
                                  error_code=_codes.INVALID_PARAMETER_VALUE)
    _log_file(artifact_file, write, run_id, binary=True)


def log_image(image, artifact_file=None, key=None, step=None, timestamp=None, synchronous=None, run_id=None):
    """A numpy array (HxW, HxWx3, HxWx4; uint8, or floats in [0, 1]) or a PIL image, as PNG.
    With key= (MLflow 2.x's per-step images): kept as the run's media, one a
    step, which the app shows with a step slider; neither Pillow nor an
    artifact file is needed."""
    if artifact_file is None:
        if key is None:
            raise MlflowException("log_image needs artifact_file or key", error_code=_codes.INVALID_PARAMETER_VALUE)
        run, _active = _target(run_id)
        try:
            if run is None:
                with _backend.writer(_store(), run_id) as run:
                    run.log_image(key, image, step=step or 0)
            else:
                run.log_image(key, image, step=step or 0)
        except _runlens.RunlensError as e:
            raise MlflowException(str(e), error_code=_codes.INVALID_PARAMETER_VALUE) from None
        return

    def write(fh, path):
        fh.close()
        img = image
        if not hasattr(img, "save"):
            try:
                from PIL import Image
            except ImportError:
                raise MlflowException("log_image of an array needs Pillow (python3-pil)",
                                      error_code=_codes.INVALID_PARAMETER_VALUE) from None
            import numpy as np
            arr = np.asarray(img)
            if arr.dtype.kind == "f":
                arr = (np.clip(arr, 0, 1) * 255).round()
            img = Image.fromarray(arr.astype("uint8"))
        img.save(path)
    _log_file(artifact_file, write, run_id, binary=True)


def log_table(data, artifact_file, run_id=None):
    """A dict of columns or a DataFrame, as MLflow writes it (JSON, orient=split)."""
    try:
        import pandas as pd
        df = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
        content = df.to_json(orient="split", index=False)
    except ImportError:
        columns = list(data)
        rows = list(zip(*[data[c] for c in columns]))
        content = json.dumps({"columns": columns, "data": rows})
    _log_file(artifact_file, lambda fh, _p: fh.write(content), run_id)


def load_table(artifact_file, run_ids=None, extra_columns=None):
    import pandas as pd
    store = _store()
    if not run_ids:
        run_ids = [r.info.run_id for r in _backend.search(store, None, "", ViewType.ACTIVE_ONLY)[0]]
    frames = []
    for run_id in run_ids:
        try:
            path = _backend.local_artifact_path(store, run_id, artifact_file)
        except MlflowException:
            continue
        with open(path, encoding="utf-8") as fh:
            df = pd.read_json(fh, orient="split")
        for col in extra_columns or []:
            df[col] = run_id if col == "run_id" else None
        frames.append(df)
    if not frames:
        raise MlflowException(f"no run has the table {artifact_file!r}", error_code=_codes.RESOURCE_DOES_NOT_EXIST)
    return pd.concat(frames, ignore_index=True)


def get_artifact_uri(artifact_path=None):
    uri = _current().info.artifact_uri
    return uri + "/" + artifact_path.lstrip("/") if artifact_path else uri


# -- datasets, autolog, models -----------------------------------------------------
def log_input(dataset, context=None, tags=None, model=None):
    from .data import _log_input
    _log_input(_current(), dataset, context, tags)


def log_inputs(datasets=None, contexts=None, tags_list=None, models=None):
    for i, dataset in enumerate(datasets or []):
        log_input(dataset, (contexts or [None] * (i + 1))[i], (tags_list or [None] * (i + 1))[i])


def autolog(log_input_examples=False, log_model_signatures=True, log_models=True, log_datasets=True,
            disable=False, exclusive=False, disable_for_unsupported_versions=False, silent=False,
            extra_tags=None, **_ignored):
    """Autologging for every supported framework that is installed (scikit-learn, XGBoost, LightGBM, Keras)."""
    import importlib.util
    from . import keras as _keras, lightgbm as _lgb, sklearn as _sk, xgboost as _xgb
    found = False
    for module, flavor in (("sklearn", _sk), ("xgboost", _xgb), ("lightgbm", _lgb), ("keras", _keras)):
        if importlib.util.find_spec(module) is None:
            continue
        found = True
        flavor.autolog(log_input_examples=log_input_examples, log_model_signatures=log_model_signatures,
                       log_models=log_models, log_datasets=log_datasets, disable=disable, exclusive=exclusive,
                       silent=silent, extra_tags=extra_tags)
    if not found and not disable and not silent:
        _backend.warn_once("autolog-none", "autolog found no supported framework installed (scikit-learn, xgboost, "
                                           "lightgbm, keras)")


def evaluate(*args, **kwargs):
    """MLflow's evaluate for classifiers and regressors (runlens.mlflow.models.evaluation)."""
    from .models.evaluation import evaluate as _evaluate
    return _evaluate(*args, **kwargs)


def register_model(model_uri, name, await_registration_for=300, *, tags=None, env_pack=None):
    """Registers the model at model_uri (runs:/RUN/PATH, or a path) as the next version of `name`,
    creating the registered model when needed; its run becomes a candidate in the app."""
    from . import _registry
    uri = os.fspath(model_uri)
    if uri.startswith("models:/"):
        uri = _registry.resolve(_store(), uri)
    return _registry.register(_store(), name, _registry.source_of(uri), _registry.run_of(uri), tags)


from .tracking import MlflowClient  # noqa: E402
from . import data, models, pyfunc, sklearn, pytorch, xgboost, lightgbm, keras, tensorflow, artifacts, entities, exceptions, tracking, utils  # noqa: E402,F401,E501
