# SPDX-License-Identifier: MIT
"""The error codes scripts compare MlflowException.error_code with
(mlflow.protos.databricks_pb2), with the numbers MLflow gives them."""

INTERNAL_ERROR = 1
TEMPORARILY_UNAVAILABLE = 2
IO_ERROR = 3
BAD_REQUEST = 4
INVALID_PARAMETER_VALUE = 1000
ENDPOINT_NOT_FOUND = 1001
MALFORMED_REQUEST = 1002
INVALID_STATE = 1003
PERMISSION_DENIED = 1004
FEATURE_DISABLED = 1005
CUSTOMER_UNAUTHORIZED = 1006
REQUEST_LIMIT_EXCEEDED = 1007
RESOURCE_CONFLICT = 1008
UNPARSEABLE_REQUEST = 1009
ALREADY_EXISTS = 1010
NOT_FOUND = 1011
NOT_IMPLEMENTED = 1012
RESOURCE_ALREADY_EXISTS = 3001
RESOURCE_DOES_NOT_EXIST = 3002
QUOTA_EXCEEDED = 4001
MAX_BLOCK_SIZE_EXCEEDED = 4002
MAX_READ_SIZE_EXCEEDED = 4003

_names = {v: k for k, v in dict(globals()).items() if k.isupper() and isinstance(v, int)}


class ErrorCode:
    @staticmethod
    def Name(number):
        return _names.get(number, "INTERNAL_ERROR")

    @staticmethod
    def Value(name):
        return globals()[name]
