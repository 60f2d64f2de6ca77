# SPDX-License-Identifier: MIT
"""MLflow's model registry entities (mlflow.entities.model_registry), built
from a Runlens store's registry (runlens/model_registry.h)."""
from . import Param, _Entity, _NamedValues


class ModelVersionStatus(_NamedValues):
    PENDING_REGISTRATION, FAILED_REGISTRATION, READY = 1, 2, 3
    _names = {"PENDING_REGISTRATION": 1, "FAILED_REGISTRATION": 2, "READY": 3}


class RegisteredModelTag(Param):
    pass


class ModelVersionTag(RegisteredModelTag):
    pass


class RegisteredModelAlias(_Entity):
    _fields = ("alias", "version")

    def __init__(self, alias, version):
        self.alias, self.version = alias, version


class ModelVersion(_Entity):
    _fields = ("name", "version", "creation_timestamp", "last_updated_timestamp", "description", "user_id",
               "current_stage", "source", "run_id", "status", "status_message", "tags", "run_link", "aliases")

    def __init__(self, name, version, creation_timestamp=None, last_updated_timestamp=None, description=None,
                 user_id=None, current_stage="None", source=None, run_id=None, status="READY",
                 status_message=None, tags=None, run_link=None, aliases=None, **_ignored):
        self.name, self.version = name, version
        self.creation_timestamp, self.last_updated_timestamp = creation_timestamp, last_updated_timestamp
        self.description, self.user_id, self.current_stage = description, user_id, current_stage
        self.source, self.run_id, self.status, self.status_message = source, run_id, status, status_message
        self.tags = dict(tags or {})
        self.run_link = run_link
        self.aliases = list(aliases or [])

    @classmethod
    def from_registry(cls, name, v):
        return cls(name, v["version"], v["created"], v["updated"], v["description"] or None, v["user"],
                   v["stage"], v["source"], v["run_id"] or None, tags=v["tags"], aliases=v["aliases"])


class RegisteredModel(_Entity):
    _fields = ("name", "creation_timestamp", "last_updated_timestamp", "description", "latest_versions", "tags",
               "aliases")

    def __init__(self, name, creation_timestamp=None, last_updated_timestamp=None, description=None,
                 latest_versions=None, tags=None, aliases=None, **_ignored):
        self.name = name
        self.creation_timestamp, self.last_updated_timestamp = creation_timestamp, last_updated_timestamp
        self.description = description
        self.latest_versions = list(latest_versions or [])
        self.tags = dict(tags or {})
        # MLflow gives a dict alias -> version here, and RegisteredModelAlias lists elsewhere.
        self.aliases = dict(aliases or {})

    @classmethod
    def from_registry(cls, m):
        versions = [ModelVersion.from_registry(m["name"], v) for v in m["versions"]]
        # MLflow's latest_versions: the newest version in each stage.
        latest = {}
        for v in versions:
            latest[v.current_stage] = v
        return cls(m["name"], m["created"], m["updated"], m["description"] or None,
                   sorted(latest.values(), key=lambda v: v.version), m["tags"], m["aliases"])


__all__ = ["ModelVersion", "ModelVersionStatus", "ModelVersionTag", "RegisteredModel", "RegisteredModelAlias",
           "RegisteredModelTag"]
