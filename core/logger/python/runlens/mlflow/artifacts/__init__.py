# SPDX-License-Identifier: MIT
"""mlflow.artifacts: a run's artifacts copied out of the store's artifact folder."""
import os

from .. import _backend
from ..exceptions import MlflowException
from ..protos import databricks_pb2 as _codes


def download_artifacts(artifact_uri=None, run_id=None, artifact_path=None, dst_path=None, tracking_uri=None):
    from ..tracking import MlflowClient
    client = MlflowClient(tracking_uri)
    if artifact_uri is not None:
        if artifact_uri.startswith("runs:/"):
            run_id, _, artifact_path = artifact_uri[len("runs:/"):].lstrip("/").partition("/")
        else:
            local = artifact_uri[len("file://"):] if artifact_uri.startswith("file://") else artifact_uri
            if not os.path.exists(local):
                raise MlflowException(f"{artifact_uri}: not found", error_code=_codes.RESOURCE_DOES_NOT_EXIST)
            if dst_path is None:
                return local
            import shutil
            target = os.path.join(dst_path, os.path.basename(os.path.normpath(local)))
            (shutil.copytree if os.path.isdir(local) else shutil.copy2)(local, target)
            return target
    if run_id is None:
        raise MlflowException("give artifact_uri or run_id", error_code=_codes.INVALID_PARAMETER_VALUE)
    return client.download_artifacts(run_id, artifact_path or "", dst_path)


def list_artifacts(artifact_uri=None, run_id=None, artifact_path=None, tracking_uri=None):
    from ..tracking import MlflowClient
    if artifact_uri and artifact_uri.startswith("runs:/"):
        run_id, _, artifact_path = artifact_uri[len("runs:/"):].lstrip("/").partition("/")
    return MlflowClient(tracking_uri).list_artifacts(run_id, artifact_path)


def load_text(artifact_uri):
    with open(download_artifacts(artifact_uri), encoding="utf-8") as fh:
        return fh.read()


def load_dict(artifact_uri):
    import json
    with open(download_artifacts(artifact_uri), encoding="utf-8") as fh:
        return json.load(fh)


_ = _backend
