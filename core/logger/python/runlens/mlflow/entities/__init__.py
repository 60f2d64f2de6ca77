# SPDX-License-Identifier: MIT
"""MLflow's entity types (mlflow.entities), built from a Runlens store."""


class _Entity:
    _fields = ()

    def __iter__(self):   # dict(entity) as MLflow's entities allow
        for name in self._fields:
            yield name, getattr(self, name)

    def to_dictionary(self):
        out = {}
        for name, value in self:
            out[name] = value.to_dictionary() if isinstance(value, _Entity) else value
        return out

    def __eq__(self, other):
        return type(self) is type(other) and dict(self) == dict(other)

    def __repr__(self):
        inner = ", ".join(f"{k}={v!r}" for k, v in self)
        return f"<{type(self).__name__}: {inner}>"


class _NamedValues:
    """MLflow's int-valued enums with names (ViewType, RunStatus, ModelVersionStatus)."""
    _names = {}

    @classmethod
    def from_string(cls, name):
        return cls._names[str(name).upper()]

    @classmethod
    def to_string(cls, value):
        return {v: k for k, v in cls._names.items()}[value]


class ViewType(_NamedValues):
    ACTIVE_ONLY, DELETED_ONLY, ALL = 1, 2, 3
    _names = {"ACTIVE_ONLY": 1, "DELETED_ONLY": 2, "ALL": 3}


class LifecycleStage:
    ACTIVE = "active"
    DELETED = "deleted"


class RunStatus(_NamedValues):
    RUNNING, SCHEDULED, FINISHED, FAILED, KILLED = 1, 2, 3, 4, 5
    _names = {"RUNNING": 1, "SCHEDULED": 2, "FINISHED": 3, "FAILED": 4, "KILLED": 5}

    @classmethod
    def is_terminated(cls, status):
        if isinstance(status, str):
            status = cls.from_string(status)
        return status in (cls.FINISHED, cls.FAILED, cls.KILLED)

    @classmethod
    def all_status(cls):
        return list(cls._names.values())


class Metric(_Entity):
    _fields = ("key", "value", "timestamp", "step")

    def __init__(self, key, value, timestamp, step, **_ignored):
        self.key, self.value, self.timestamp, self.step = key, value, timestamp, step


class Param(_Entity):
    _fields = ("key", "value")

    def __init__(self, key, value):
        self.key, self.value = key, value


class RunTag(Param):
    pass


class ExperimentTag(Param):
    pass


class InputTag(Param):
    pass


class FileInfo(_Entity):
    _fields = ("path", "is_dir", "file_size")

    def __init__(self, path, is_dir, file_size):
        self.path, self.is_dir, self.file_size = path, is_dir, file_size


class Dataset(_Entity):
    _fields = ("name", "digest", "source_type", "source", "schema", "profile")

    def __init__(self, name, digest, source_type, source, schema=None, profile=None):
        self.name, self.digest, self.source_type, self.source = name, digest, source_type, source
        self.schema, self.profile = schema, profile


class DatasetInput(_Entity):
    _fields = ("dataset", "tags")

    def __init__(self, dataset, tags=None):
        self.dataset, self.tags = dataset, list(tags or [])


class RunInputs(_Entity):
    _fields = ("dataset_inputs",)

    def __init__(self, dataset_inputs=None, model_inputs=None):
        self.dataset_inputs = list(dataset_inputs or [])
        self.model_inputs = list(model_inputs or [])


class RunInfo(_Entity):
    _fields = ("run_uuid", "run_id", "run_name", "experiment_id", "user_id", "status", "start_time", "end_time",
               "artifact_uri", "lifecycle_stage")

    def __init__(self, run_id, experiment_id, run_name="", user_id="", status="RUNNING", start_time=None,
                 end_time=None, artifact_uri="", lifecycle_stage=LifecycleStage.ACTIVE, run_uuid=None):
        self.run_id = run_id
        self.run_uuid = run_uuid or run_id
        self.run_name = run_name
        self.experiment_id = experiment_id
        self.user_id = user_id
        self.status = status
        self.start_time = start_time
        self.end_time = end_time
        self.artifact_uri = artifact_uri
        self.lifecycle_stage = lifecycle_stage


class RunData(_Entity):
    _fields = ("metrics", "params", "tags")

    def __init__(self, metrics=None, params=None, tags=None):
        # MLflow's RunData takes lists of entities; dicts are what scripts read.
        self._metric_objs = [m for m in metrics or [] if isinstance(m, Metric)]
        self.metrics = {m.key: m.value for m in metrics or []} if isinstance(metrics, list) else dict(metrics or {})
        self.params = {p.key: p.value for p in params or []} if isinstance(params, list) else dict(params or {})
        self.tags = {t.key: t.value for t in tags or []} if isinstance(tags, list) else dict(tags or {})


class Run(_Entity):
    _fields = ("info", "data", "inputs")

    def __init__(self, run_info, run_data, run_inputs=None):
        self.info = run_info
        self.data = run_data
        self.inputs = run_inputs or RunInputs()


class Experiment(_Entity):
    _fields = ("experiment_id", "name", "artifact_location", "lifecycle_stage", "tags", "creation_time",
               "last_update_time")

    def __init__(self, experiment_id, name, artifact_location="", lifecycle_stage=LifecycleStage.ACTIVE, tags=None,
                 creation_time=None, last_update_time=None):
        self.experiment_id = experiment_id
        self.name = name
        self.artifact_location = artifact_location
        self.lifecycle_stage = lifecycle_stage
        self.tags = dict(tags or {})
        self.creation_time = creation_time
        self.last_update_time = last_update_time if last_update_time is not None else creation_time


from . import model_registry  # noqa: E402
from .model_registry import (ModelVersion, ModelVersionStatus, ModelVersionTag, RegisteredModel,  # noqa: E402,F401
                             RegisteredModelAlias, RegisteredModelTag)
