# SPDX-License-Identifier: MIT
"""ctypes binding of the Runlens C ABI (runlens_c.h). Internal."""
import ctypes

from . import _library


lib = _library.load("runlens", "RUNLENS_LIBRARY",
                    "runlens: cannot load the native library librunlens.so; build Runlens and use "
                    "PYTHONPATH=<build>/python")

_c = ctypes.c_char_p
_run = ctypes.c_void_p
_i64 = ctypes.c_int64
_dbl = ctypes.c_double
_int = ctypes.c_int

_signatures = {
    "rl_version": (_c, []),
    "rl_last_error": (_c, []),
    "rl_run_start": (_run, [_c, _c, _c, _c, _int, ctypes.c_uint]),
    "rl_run_resume": (_run, [_c, _c, _int, ctypes.c_uint]),
    "rl_run_start_ex": (_run, [_c, _c, _c, _c, _int, ctypes.c_uint, _i64]),
    "rl_run_resume_ex": (_run, [_c, _c, _int, ctypes.c_uint, _i64]),
    "rl_run_start_config": (_run, [_c, _c, _c, _c, _int, ctypes.c_uint, _i64, _c, _int, _c, ctypes.POINTER(_int)]),
    "rl_run_already_tried": (_c, [_run]),
    "rl_run_dropped_points": (_i64, [_run]),
    "rl_run_system_metrics": (_int, [_run, _int]),
    "rl_system_metrics_default": (_int, []),
    "rl_run_sync": (_int, [_run, _c, _int]),
    "rl_run_experiment": (_c, [_run]),
    "rl_run_free": (None, [_run]),
    "rl_run_id": (_c, [_run]),
    "rl_run_name": (_c, [_run]),
    "rl_run_enabled": (_int, [_run]),
    "rl_run_last_error": (_c, [_run]),
    "rl_log_metric": (_int, [_run, _c, _dbl, _i64]),
    "rl_log_metric_at": (_int, [_run, _c, _dbl, _i64, _dbl]),
    "rl_log_metrics": (_int, [_run, ctypes.POINTER(_c), ctypes.POINTER(_dbl), ctypes.c_size_t, _i64]),
    "rl_log_param_int": (_int, [_run, _c, _i64]),
    "rl_log_param_float": (_int, [_run, _c, _dbl]),
    "rl_log_param_bool": (_int, [_run, _c, _int]),
    "rl_log_param_string": (_int, [_run, _c, _c]),
    "rl_log_param_json": (_int, [_run, _c, _c]),
    "rl_log_config": (_int, [_run, _c, _c]),
    "rl_set_tag": (_int, [_run, _c, _c]),
    "rl_set_notes": (_int, [_run, _c]),
    "rl_set_hypothesis": (_int, [_run, _c]),
    "rl_log_data_version": (_int, [_run, _c, _c]),
    "rl_log_data_file": (_int, [_run, _c, _c]),
    "rl_log_seed": (_int, [_run, _c, _i64]),
    "rl_log_environment": (_int, [_run, _c, _c]),
    "rl_log_artifact": (_int, [_run, _c, _c]),
    "rl_log_artifact_uri": (_int, [_run, _c, _c, _i64, _c]),
    "rl_log_image": (_int, [_run, _c, ctypes.c_void_p, ctypes.c_size_t, _i64, _c]),
    "rl_log_image_pixels": (_int, [_run, _c, ctypes.c_void_p, _int, _int, _int, ctypes.c_size_t, _i64, _c]),
    "rl_log_table": (_int, [_run, _c, _c, ctypes.c_size_t, _i64]),
    "rl_log_text": (_int, [_run, _c, _c, ctypes.c_size_t, _c, _i64]),
    "rl_log_confusion_matrix": (_int, [_run, _c, ctypes.POINTER(_c), ctypes.c_size_t, ctypes.POINTER(_i64), _i64]),
    "rl_flush": (_int, [_run]),
    "rl_finish": (_int, [_run, _int]),
    "rl_store_edit_run": (_int, [_c, _c, _c, _c, _c, _c]),
    "rl_registry_read": (_c, [_c]),
    "rl_registry_apply": (_c, [_c, _c, _c]),
    "rl_registry_error_kind": (_int, []),
}

for _name, (_res, _args) in _signatures.items():
    _fn = getattr(lib, _name)
    _fn.restype = _res
    _fn.argtypes = _args

RL_OK = 0
RL_DROPPED = 2
RL_NO_STEP = -2**63
STATUS = {"finished": 1, "failed": 2, "killed": 3}
NO_GIT, NO_ENVIRONMENT, ALL_RANKS, BLOCK_WHEN_FULL, NO_SYSTEM_METRICS, NO_SYNC = 1, 2, 4, 8, 16, 32
ON_DUPLICATE = {None: 0, "warn": 1, "skip": 2, "ignore": 3}
