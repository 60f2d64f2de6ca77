# SPDX-License-Identifier: MIT
"""Model signatures as MLflow writes them in MLmodel (column specs for
DataFrames and dicts, tensor specs for arrays). numpy and pandas are used
only when the data is theirs."""
import json

_NUMPY_TO_COL = {"b": "boolean", "i": "long", "u": "long", "f": "double", "U": "string", "S": "binary",
                 "O": "string", "M": "datetime"}


def _col_type(dtype):
    kind = getattr(dtype, "kind", "O")
    if kind == "i" and getattr(dtype, "itemsize", 8) <= 4:
        return "integer"
    if kind == "f" and getattr(dtype, "itemsize", 8) <= 4:
        return "float"
    return _NUMPY_TO_COL.get(kind, "string")


def _py_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, bytes):
        return "binary"
    return "string"


class Schema:
    """A list of column specs or tensor specs (dicts as MLflow serializes them)."""

    def __init__(self, inputs):
        self.inputs = list(inputs)

    def to_dict(self):
        return self.inputs

    def to_json(self):
        return json.dumps(self.inputs)

    def input_names(self):
        return [s.get("name") for s in self.inputs if s.get("name") is not None]

    def is_tensor_spec(self):
        return any(s.get("type") == "tensor" for s in self.inputs)

    def __eq__(self, other):
        return isinstance(other, Schema) and self.inputs == other.inputs

    def __repr__(self):
        return f"Schema({self.inputs!r})"


def schema_of(data):
    """MLflow's schema of a DataFrame, Series, numpy array, list, or dict of columns; None if unknown."""
    if data is None:
        return None
    module = type(data).__module__
    if module.startswith("pandas"):
        if type(data).__name__ == "Series":
            return Schema([{"type": _col_type(data.dtype), "name": data.name, "required": True}]
                          if data.name is not None else [{"type": _col_type(data.dtype), "required": True}])
        return Schema([{"type": _col_type(data[c].dtype), "name": str(c), "required": True} for c in data.columns])
    if hasattr(data, "dtype") and hasattr(data, "shape"):
        dtype = str(getattr(data.dtype, "name", data.dtype))
        shape = [-1] + [int(x) for x in data.shape[1:]]
        return Schema([{"type": "tensor", "tensor-spec": {"dtype": dtype, "shape": shape}}])
    if isinstance(data, dict):
        return Schema([{"type": _py_type(v[0] if isinstance(v, (list, tuple)) and v else v), "name": str(k),
                        "required": True} for k, v in data.items()])
    if isinstance(data, (list, tuple)) and data:
        first = data[0]
        if isinstance(first, dict):
            return schema_of({k: [first[k]] for k in first})
        return Schema([{"type": _py_type(first), "required": True}])
    if isinstance(data, (str, int, float, bool)):
        return Schema([{"type": _py_type(data), "required": True}])
    return None


class ModelSignature:
    def __init__(self, inputs=None, outputs=None, params=None):
        self.inputs, self.outputs, self.params = inputs, outputs, params

    def to_dict(self):
        return {"inputs": self.inputs.to_json() if self.inputs is not None else None,
                "outputs": self.outputs.to_json() if self.outputs is not None else None,
                "params": json.dumps(self.params) if self.params else None}

    @classmethod
    def from_dict(cls, d):
        def load(text):
            return Schema(json.loads(text)) if text else None
        return cls(load(d.get("inputs")), load(d.get("outputs")), json.loads(d["params"]) if d.get("params") else None)

    def __eq__(self, other):
        return isinstance(other, ModelSignature) and self.to_dict() == other.to_dict()

    def __repr__(self):
        return f"inputs: {self.inputs!r}\noutputs: {self.outputs!r}\nparams: {self.params!r}"


def infer_signature(model_input=None, model_output=None, params=None):
    """MLflow's infer_signature: the input and output schemas of example data."""
    param_specs = None
    if params:
        param_specs = [{"name": k, "type": _py_type(v), "default": v, "shape": None} for k, v in params.items()]
    return ModelSignature(schema_of(model_input), schema_of(model_output), param_specs)
