# SPDX-License-Identifier: MIT
"""ctypes binding of the Runlens read ABI (runlens_read.h). Internal.

librunlens-read.so comes with the Runlens app (it reads every store kind
through the app's core, and so needs Qt Core); the logging library does not
need it, so `import runlens` works without it and only runlens.open() asks.
"""
import ctypes

from . import _library

_lib = None


class MetricSummary(ctypes.Structure):
    _fields_ = [("last", ctypes.c_double), ("min", ctypes.c_double), ("max", ctypes.c_double),
                ("count", ctypes.c_int64), ("last_step", ctypes.c_int64)]


_c = ctypes.c_char_p
_p = ctypes.c_void_p
_z = ctypes.c_size_t
_i64 = ctypes.c_int64
_dbl = ctypes.c_double
_int = ctypes.c_int
_u = ctypes.c_uint
_pc = ctypes.POINTER(ctypes.c_char_p)

_signatures = {
    "rlr_version": (_c, []),
    "rlr_last_error": (_c, []),
    "rlr_last_error_code": (_int, []),
    "rlr_last_error_position": (_int, []),
    "rlr_last_error_length": (_int, []),
    "rlr_open": (_p, [_c, _c, _u]),
    "rlr_close": (None, [_p]),
    "rlr_refresh": (_int, [_p]),
    "rlr_store_kinds": (_c, []),
    "rlr_store_kind": (_c, [_p]),
    "rlr_store_location": (_c, [_p]),
    "rlr_store_problems": (_c, [_p]),
    "rlr_store_run_count": (_z, [_p]),
    "rlr_experiment_count": (_z, [_p]),
    "rlr_experiment_name": (_c, [_p, _z]),
    "rlr_query": (_p, [_p, _c, _u]),
    "rlr_find": (_p, [_p, _c]),
    "rlr_runs_free": (None, [_p]),
    "rlr_runs_count": (_z, [_p]),
    "rlr_run_id": (_c, [_p, _z]),
    "rlr_run_name": (_c, [_p, _z]),
    "rlr_run_experiment": (_c, [_p, _z]),
    "rlr_run_status": (_c, [_p, _z]),
    "rlr_run_parent_id": (_c, [_p, _z]),
    "rlr_run_start_time": (_i64, [_p, _z]),
    "rlr_run_end_time": (_i64, [_p, _z]),
    "rlr_run_param_count": (_z, [_p, _z]),
    "rlr_run_param": (_int, [_p, _z, _z, _pc, _pc]),
    "rlr_run_tag_count": (_z, [_p, _z]),
    "rlr_run_tag": (_int, [_p, _z, _z, _pc, _pc]),
    "rlr_run_metric_count": (_z, [_p, _z]),
    "rlr_run_metric": (_int, [_p, _z, _z, _pc, ctypes.POINTER(MetricSummary)]),
    "rlr_runs_json": (_c, [_p]),
    "rlr_run_details_json": (_c, [_p, _c]),
    "rlr_diff_json": (_c, [_p, _c, _c, _u]),
    "rlr_seeds_json": (_c, [_p, _c, _c, _c]),
    "rlr_series_load": (_p, [_p, _c, _c]),
    "rlr_series_free": (None, [_p]),
    "rlr_series_size": (_z, [_p]),
    "rlr_series_problems": (_c, [_p]),
    "rlr_series_copy": (_z, [_p, _z, _z, _p, _p, _p]),
    "rlr_series_decimate": (_z, [_p, _dbl, _dbl, _int, _p, _p, _z]),
}

RLR_OK, RLR_ERROR, RLR_BAD_QUERY, RLR_NOT_FOUND = 0, 1, 2, 3
RLR_DELETED_RUNS = 1
RLR_WITH_TRASH = 1
RLR_TOOL_TAGS = 1


def lib():
    """The loaded library, loaded on first use (ImportError when it is not there)."""
    global _lib
    if _lib is None:
        loaded = _library.load(
            "runlens-read", "RUNLENS_READ_LIBRARY",
            "runlens.open: cannot load librunlens-read.so, which comes with the Runlens app (apt install "
            "./runlens_*.deb, or PYTHONPATH=<build>/python after a build)")
        for name, (res, args) in _signatures.items():
            fn = getattr(loaded, name)
            fn.restype = res
            fn.argtypes = args
        _lib = loaded
    return _lib
