# SPDX-License-Identifier: MIT
"""MLflow's exceptions, with its error codes (mlflow.exceptions)."""
import runlens as _runlens

from .protos import databricks_pb2 as _codes

_HTTP = {"INTERNAL_ERROR": 500, "INVALID_PARAMETER_VALUE": 400, "RESOURCE_DOES_NOT_EXIST": 404,
         "RESOURCE_ALREADY_EXISTS": 400, "INVALID_STATE": 400, "BAD_REQUEST": 400, "NOT_IMPLEMENTED": 501}


class MlflowException(_runlens.RunlensError):
    """As MLflow's: .error_code is the name of a databricks_pb2 code
    ("RESOURCE_DOES_NOT_EXIST"), .message the text. Also a RunlensError."""

    def __init__(self, message, error_code=_codes.INTERNAL_ERROR, **kwargs):
        if isinstance(error_code, int):
            error_code = _codes.ErrorCode.Name(error_code)
        self.error_code = error_code or "INTERNAL_ERROR"
        self.message = str(message)
        self.json_kwargs = kwargs
        super().__init__(self.message)

    def get_http_status_code(self):
        return _HTTP.get(self.error_code, 500)

    def serialize_as_json(self):
        import json
        return json.dumps({"error_code": self.error_code, "message": self.message, **self.json_kwargs})

    @classmethod
    def invalid_parameter_value(cls, message, **kwargs):
        return cls(message, error_code=_codes.INVALID_PARAMETER_VALUE, **kwargs)


class RestException(MlflowException):
    pass


class MlflowTracingException(MlflowException):
    pass


class MissingConfigException(MlflowException):
    pass


class InvalidUrlException(MlflowException):
    pass
