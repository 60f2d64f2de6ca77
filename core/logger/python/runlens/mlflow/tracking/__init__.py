# SPDX-License-Identifier: MIT
"""MLflow's MlflowClient over a Runlens store (mlflow.tracking, mlflow.client).

Runs this process created or started are written through their open handle;
a write to another run of the store resumes it for the write and ends it
again with the status it had (refused while another live process logs it)."""
import os
import shutil
import tempfile

from .. import _backend, _registry
from ..entities import FileInfo, Metric, Param, RunTag, ViewType  # noqa: F401
from ..entities.paged_list import PagedList
from ..exceptions import MlflowException
from ..protos import databricks_pb2 as _codes

SEARCH_MAX_RESULTS_DEFAULT = 1000

__all__ = ["MlflowClient"]


def _page(items, max_results, page_token):
    offset = int(page_token) if page_token else 0
    end = offset + int(max_results) if max_results else None
    page = items[offset:end]
    token = str(end) if end is not None and end < len(items) else None
    return PagedList(page, token)


class MlflowClient:
    def __init__(self, tracking_uri=None, registry_uri=None):
        from .. import get_tracking_uri
        self._tracking_uri = tracking_uri or get_tracking_uri()
        self._store = _backend.store_path(self._tracking_uri)

    @property
    def tracking_uri(self):
        return self._tracking_uri

    # -- experiments -------------------------------------------------------------
    def create_experiment(self, name, artifact_location=None, tags=None):
        return _backend.create_experiment(self._store, name, tags)

    def get_experiment(self, experiment_id):
        return _backend.get_experiment(self._store, experiment_id)

    def get_experiment_by_name(self, name):
        return _backend.get_experiment_by_name(self._store, name)

    def search_experiments(self, view_type=ViewType.ACTIVE_ONLY, max_results=SEARCH_MAX_RESULTS_DEFAULT,
                           filter_string=None, order_by=None, page_token=None):
        from .. import search_experiments
        experiments = [e for e in _backend.list_experiments(self._store, view_type)]
        if filter_string:
            wanted = {e.experiment_id for e in _with_store(self._tracking_uri, search_experiments, view_type,
                                                            None, filter_string)}
            experiments = [e for e in experiments if e.experiment_id in wanted]
        experiments.sort(key=lambda e: -(e.creation_time or 0))
        return _page(experiments, max_results, page_token)

    def delete_experiment(self, experiment_id):
        _backend.delete_experiment(self._store, experiment_id)

    def restore_experiment(self, experiment_id):
        _backend.delete_experiment(self._store, experiment_id, deleted=False)

    def set_experiment_tag(self, experiment_id, key, value):
        _backend.set_experiment_tag(self._store, experiment_id, key, value)

    def rename_experiment(self, experiment_id, new_name):
        raise MlflowException("a Runlens experiment is its name and cannot be renamed",
                              error_code=_codes.NOT_IMPLEMENTED)

    # -- runs --------------------------------------------------------------------
    def create_run(self, experiment_id, start_time=None, tags=None, run_name=None):
        tags = dict(tags or {})
        run_name = run_name or tags.pop("mlflow.runName", None)
        parent = tags.get("mlflow.parentRunId")
        try:
            run = _backend.start(self._store, _backend.experiment_name_of(experiment_id), run_name=run_name,
                                 parent_id=parent, tags={k: v for k, v in tags.items() if k != "mlflow.parentRunId"})
        except MlflowException:
            raise
        except Exception as e:
            raise MlflowException(str(e), error_code=_codes.INVALID_PARAMETER_VALUE) from None
        run.flush()
        return self.get_run(run.id)

    def get_run(self, run_id):
        return _backend.get_run(self._store, run_id)

    def get_parent_run(self, run_id):
        parent = self.get_run(run_id).data.tags.get("mlflow.parentRunId")
        return self.get_run(parent) if parent else None

    def get_metric_history(self, run_id, key):
        run = _backend.open_run(self._store, str(run_id))
        if run is not None:
            run.flush()
        return _backend.metric_history(self._store, run_id, key)

    def search_runs(self, experiment_ids, filter_string="", run_view_type=ViewType.ACTIVE_ONLY,
                    max_results=SEARCH_MAX_RESULTS_DEFAULT, order_by=None, page_token=None):
        offset = int(page_token) if page_token else 0
        runs, total = _backend.search(self._store, experiment_ids, filter_string, run_view_type, max_results,
                                      order_by, offset)
        end = offset + len(runs)
        return PagedList(runs, str(end) if end < total else None)

    def set_terminated(self, run_id, status=None, end_time=None):
        _backend.terminate(self._store, run_id, status or "FINISHED")

    def update_run(self, run_id, status=None, name=None):
        if name is not None:
            _backend.edit_run(self._store, run_id, "name", None, str(name))
        if status is not None and status.upper() != "RUNNING":
            self.set_terminated(run_id, status)

    def delete_run(self, run_id):
        self._lifecycle(run_id, "deleted")

    def restore_run(self, run_id):
        self._lifecycle(run_id, "active")

    def _lifecycle(self, run_id, stage):
        # A Runlens store keeps every run: a deleted run is tagged, hidden from
        # searches (run_view_type) and shown by the app with its tag.
        with _backend.writer(self._store, run_id) as run:
            run.set_tag(_backend.DELETED_TAG, stage)

    # -- logging ----------------------------------------------------------------
    def log_metric(self, run_id, key, value, timestamp=None, step=None, synchronous=None, **_ignored):
        with _backend.writer(self._store, run_id) as run:
            run.log_metric(key, value, step or 0, timestamp / 1000.0 if timestamp is not None else None)

    def log_param(self, run_id, key, value, synchronous=None):
        with _backend.writer(self._store, run_id) as run:
            run.log_param(key, value)
        return value

    def set_tag(self, run_id, key, value, synchronous=None):
        with _backend.writer(self._store, run_id) as run:
            if key == "mlflow.note.content":
                run.set_notes(str(value))
            run.set_tag(key, str(value))

    def delete_tag(self, run_id, key):
        run = _backend.open_run(self._store, str(run_id))
        if run is not None:
            run.flush()   # a tag set a moment ago is in the store to be found
        tags = self.get_run(run_id).data.tags
        if key not in tags:
            raise MlflowException(f"No tag with name: {key} in run with id {run_id}",
                                  error_code=_codes.RESOURCE_DOES_NOT_EXIST)
        _backend.edit_run(self._store, run_id, "tag", key, None)

    def log_batch(self, run_id, metrics=(), params=(), tags=(), synchronous=None):
        with _backend.writer(self._store, run_id) as run:
            for p in params:
                run.log_param(p.key, p.value)
            for t in tags:
                run.set_tag(t.key, str(t.value))
            for m in metrics:
                run.log_metric(m.key, m.value, m.step or 0, m.timestamp / 1000.0 if m.timestamp else None)

    def log_inputs(self, run_id, datasets=None, models=None):
        from ..data import _record_input
        with _backend.writer(self._store, run_id) as run:
            for ds_input in datasets or []:
                context = next((t.value for t in ds_input.tags if t.key == "mlflow.data.context"), None)
                _record_input(run, ds_input.dataset, context)

    # -- artifacts ----------------------------------------------------------------
    def log_artifact(self, run_id, local_path, artifact_path=None):
        with _backend.writer(self._store, run_id) as run:
            run.log_artifact(local_path, artifact_path or "")

    def log_artifacts(self, run_id, local_dir, artifact_path=None):
        from .. import _log_dir
        with _backend.writer(self._store, run_id) as run:
            _log_dir(run, local_dir, artifact_path)

    def _fluent(self, fn, run_id, *args, **kwargs):
        return _with_store(self._tracking_uri, fn, *args, run_id=run_id, **kwargs)

    def log_text(self, run_id, text, artifact_file):
        from .. import log_text
        self._fluent(log_text, run_id, text, artifact_file)

    def log_dict(self, run_id, dictionary, artifact_file):
        from .. import log_dict
        self._fluent(log_dict, run_id, dictionary, artifact_file)

    def log_figure(self, run_id, figure, artifact_file, *, save_kwargs=None):
        from .. import log_figure
        self._fluent(log_figure, run_id, figure, artifact_file, save_kwargs=save_kwargs)

    def log_image(self, run_id, image, artifact_file=None, key=None, step=None, timestamp=None, synchronous=None):
        from .. import log_image
        self._fluent(log_image, run_id, image, artifact_file, key=key, step=step)

    def log_table(self, run_id, data, artifact_file):
        from .. import log_table
        self._fluent(log_table, run_id, data, artifact_file)

    def load_table(self, experiment_id, artifact_file, run_ids=None, extra_columns=None):
        from .. import load_table
        if not run_ids:
            run_ids = [r.info.run_id for r in self.search_runs([experiment_id], max_results=None)]
        return _with_store(self._tracking_uri, load_table, artifact_file, run_ids=run_ids,
                           extra_columns=extra_columns)

    def list_artifacts(self, run_id, path=None):
        return _backend.list_artifacts(self._store, run_id, path)

    def download_artifacts(self, run_id, path, dst_path=None):
        source = _backend.local_artifact_path(self._store, run_id, path)
        dst = dst_path or tempfile.mkdtemp(prefix="runlens-artifacts-")
        target = os.path.join(dst, os.path.basename(os.path.normpath(path)) if path else run_id)
        if os.path.isdir(source):
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target)
        return target

    # -- model registry (kept in the store: mlflow/_registry.py) --------------------
    def create_registered_model(self, name, tags=None, description=None, deployment_job_id=None):
        return _registry.create_model(self._store, name, tags, description)

    def get_registered_model(self, name):
        return _registry.get_model(self._store, name)

    def rename_registered_model(self, name, new_name):
        return _registry.rename_model(self._store, name, new_name)

    def update_registered_model(self, name, description=None, deployment_job_id=None):
        return _registry.update_model(self._store, name, description)

    def delete_registered_model(self, name):
        _registry.delete_model(self._store, name)

    def search_registered_models(self, filter_string=None, max_results=SEARCH_MAX_RESULTS_DEFAULT, order_by=None,
                                 page_token=None):
        return _page(_registry.search_models(self._store, filter_string, order_by), max_results, page_token)

    def set_registered_model_tag(self, name, key, value):
        _registry.set_model_tag(self._store, name, key, value)

    def delete_registered_model_tag(self, name, key):
        _registry.delete_model_tag(self._store, name, key)

    def create_model_version(self, name, source, run_id=None, tags=None, run_link=None, description=None,
                             await_creation_for=None, model_id=None):
        return _registry.create_version(self._store, name, _registry.source_of(source),
                                        run_id or _registry.run_of(source), tags, description)

    def get_model_version(self, name, version):
        return _registry.get_version(self._store, name, version)

    def update_model_version(self, name, version, description=None):
        return _registry.update_version(self._store, name, version, description)

    def delete_model_version(self, name, version):
        _registry.delete_version(self._store, name, version)

    def search_model_versions(self, filter_string=None, max_results=SEARCH_MAX_RESULTS_DEFAULT, order_by=None,
                              page_token=None):
        return _page(_registry.search_versions(self._store, filter_string, order_by), max_results, page_token)

    def get_latest_versions(self, name, stages=None):
        return _registry.latest_versions(self._store, name, stages)

    def transition_model_version_stage(self, name, version, stage, archive_existing_versions=False):
        return _registry.transition_stage(self._store, name, version, stage, archive_existing_versions)

    def set_model_version_tag(self, name, version=None, key=None, value=None, stage=None):
        if version is None and stage is not None:
            version = _registry.version_in_stage(self._store, name, stage)
        _registry.set_version_tag(self._store, name, version, key, value)

    def delete_model_version_tag(self, name, version=None, key=None, stage=None):
        if version is None and stage is not None:
            version = _registry.version_in_stage(self._store, name, stage)
        _registry.delete_version_tag(self._store, name, version, key)

    def set_registered_model_alias(self, name, alias, version):
        _registry.set_alias(self._store, name, alias, version)

    def delete_registered_model_alias(self, name, alias):
        _registry.delete_alias(self._store, name, alias)

    def get_model_version_by_alias(self, name, alias):
        return _registry.version_by_alias(self._store, name, alias)

    def get_model_version_download_uri(self, name, version):
        source = _registry.get_version(self._store, name, version).source
        if source and source.startswith("runs:/"):
            run_id, _, path = source[len("runs:/"):].lstrip("/").partition("/")
            return "file://" + _backend.local_artifact_path(self._store, run_id, path)
        return source

    def __repr__(self):
        return f"<MlflowClient: tracking_uri={self._tracking_uri!r}>"


def _with_store(uri, fn, *args, **kwargs):
    """Calls a fluent function against this client's store."""
    from .. import get_tracking_uri, set_tracking_uri
    import runlens.mlflow as fluent
    previous = fluent._tracking_uri
    if uri == get_tracking_uri():
        return fn(*args, **kwargs)
    set_tracking_uri(uri)
    try:
        return fn(*args, **kwargs)
    finally:
        fluent._tracking_uri = previous


__all__ += ["SEARCH_MAX_RESULTS_DEFAULT"]
