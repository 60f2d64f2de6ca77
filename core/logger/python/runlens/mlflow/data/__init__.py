# SPDX-License-Identifier: MIT
"""mlflow.data: datasets from pandas and numpy, recorded by log_input as
Runlens data versions.

A dataset logged with context "training" and name "iris" is the run's data
version "iris (training)" (or "iris" without a context) with the version
"md5:<digest>", the digest computed as MLflow 2.x computes it (8 hex digits of
an md5 over the first 10,000 rows' pandas hashes, the row count and the column
names); its source, schema and profile are kept in the run's tag
runlens.input.<that name>, which get_run() reads back as run.inputs."""
import hashlib
import json
import os
import sys

from ..entities import Dataset as _DatasetEntity
from ..exceptions import MlflowException
from ..models.signature import schema_of
from ..protos import databricks_pb2 as _codes

MAX_ROWS = 10000


def _md5(elements):
    if not elements:
        raise MlflowException("No hashable elements were provided for md5 digest creation",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    md5 = hashlib.md5()
    for element in elements:
        md5.update(element)
    return md5.hexdigest()[:8]


def compute_pandas_digest(df):
    import numpy as np
    import pandas as pd
    trimmed = df.head(MAX_ROWS)
    mapped = df.map(type) if hasattr(pd.DataFrame, "map") else df.applymap(type)
    string_columns = trimmed.columns[(mapped == str).all(0)]
    numeric_columns = trimmed.select_dtypes(include=[np.number]).columns
    trimmed = trimmed[string_columns.union(numeric_columns)]
    return _md5([pd.util.hash_pandas_object(trimmed).values, np.int64(len(df))] +
                [str(x).encode() for x in df.columns])


def compute_numpy_digest(features, targets=None):
    import numpy as np
    import pandas as pd
    elements = []

    def hash_array(array):
        flat = array.flatten()[0:MAX_ROWS]
        try:
            elements.append(pd.util.hash_array(flat))
        except TypeError:
            elements.append(np.int64(flat.size))
        for x in array.shape:
            elements.append(np.int64(x))

    for item in (features, targets):
        if item is None:
            continue
        if isinstance(item, dict):
            for key in sorted(item):
                hash_array(item[key])
        else:
            hash_array(item)
    return _md5(elements)


class DatasetSource:
    def __init__(self, source_type, uri):
        self.source_type = source_type
        self.uri = uri

    def to_json(self):
        if self.source_type == "code":
            return json.dumps({"tags": {"mlflow.source.name": self.uri, "mlflow.source.type": "LOCAL"}})
        return json.dumps({"uri": self.uri})

    def to_dict(self):
        return json.loads(self.to_json())


def _source(source):
    if source is None:
        return DatasetSource("code", os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else "<python>")
    if isinstance(source, DatasetSource):
        return source
    text = os.fspath(source) if isinstance(source, os.PathLike) else str(source)
    kind = text.split("://", 1)[0] if "://" in text else "local"
    return DatasetSource(kind, text)


class Dataset:
    """A dataset's identity as MLflow records it: name, digest, source, schema, profile."""

    def __init__(self, name, digest, source, schema, profile):
        self.name, self.digest, self.source, self._schema, self._profile = name, digest, source, schema, profile

    @property
    def source_type(self):
        return self.source.source_type

    @property
    def schema(self):
        return self._schema

    @property
    def profile(self):
        return self._profile

    def to_dict(self):
        return {"name": self.name, "digest": self.digest, "source": self.source.to_json(),
                "source_type": self.source_type, "schema": self._schema_json(), "profile": json.dumps(self._profile)}

    def _schema_json(self):
        return None

    def _to_mlflow_entity(self):
        d = self.to_dict()
        return _DatasetEntity(d["name"], d["digest"], d["source_type"], d["source"], d["schema"], d["profile"])


class PandasDataset(Dataset):
    def __init__(self, df, source=None, targets=None, name=None, digest=None, predictions=None):
        if targets is not None and targets not in df.columns:
            raise MlflowException(f"The specified pandas DataFrame does not contain the specified targets column "
                                  f"'{targets}'.", error_code=_codes.INVALID_PARAMETER_VALUE)
        self.df, self.targets, self.predictions = df, targets, predictions
        super().__init__(name or "dataset", digest or compute_pandas_digest(df), _source(source), None,
                         {"num_rows": len(df), "num_elements": int(df.size)})

    @property
    def schema(self):
        features = self.df.drop(columns=[c for c in (self.targets, self.predictions) if c is not None])
        return schema_of(features)

    def _schema_json(self):
        return json.dumps({"mlflow_colspec": self.schema.to_dict()})

    @property
    def features(self):
        return self.df.drop(columns=[c for c in (self.targets, self.predictions) if c is not None])


class NumpyDataset(Dataset):
    def __init__(self, features, source=None, targets=None, name=None, digest=None):
        import numpy as np
        self.features, self.targets = features, targets
        profile = {"features_shape": list(np.shape(features)), "features_size": int(np.size(features)),
                   "features_nbytes": int(getattr(features, "nbytes", 0))}
        if targets is not None:
            profile.update(targets_shape=list(np.shape(targets)), targets_size=int(np.size(targets)),
                           targets_nbytes=int(getattr(targets, "nbytes", 0)))
        super().__init__(name or "dataset", digest or compute_numpy_digest(features, targets), _source(source), None,
                         profile)

    @property
    def schema(self):
        return schema_of(self.features)

    def _schema_json(self):
        spec = {"features": self.schema.to_json()}
        if self.targets is not None:
            spec["targets"] = schema_of(self.targets).to_json()
        return json.dumps({"mlflow_tensorspec": spec})


def from_pandas(df, source=None, targets=None, name=None, digest=None, predictions=None):
    return PandasDataset(df, source=source, targets=targets, name=name, digest=digest, predictions=predictions)


def from_numpy(features, source=None, targets=None, name=None, digest=None):
    return NumpyDataset(features, source=source, targets=targets, name=name, digest=digest)


def version_name(name, context):
    return f"{name} ({context})" if context else name


def _record_input(run, dataset, context=None):
    """Records a dataset (ours, or an entities.Dataset) on a runlens.Run."""
    if isinstance(dataset, Dataset):
        d = dataset.to_dict()
    elif hasattr(dataset, "to_dictionary"):   # an entities.Dataset
        d = dataset.to_dictionary()
    else:
        d = dict(dataset)
    if not isinstance(d.get("source"), str):
        d["source"] = json.dumps(d.get("source"))
    profile = d.get("profile")
    record = {"name": d["name"], "digest": d["digest"], "source_type": d.get("source_type"), "source": d["source"],
              "schema": d.get("schema"), "profile": profile if isinstance(profile, str) or profile is None
              else json.dumps(profile), "context": context}
    key = version_name(d["name"], context)
    run.log_data_version(key, "md5:" + d["digest"])
    from .._backend import INPUT_TAG_PREFIX
    run.set_tag(INPUT_TAG_PREFIX + key, json.dumps(record))


def _log_input(active, dataset, context=None, tags=None):
    _record_input(active._run, dataset, context)
