# SPDX-License-Identifier: MIT
"""Finding a native library of the package (librunlens.so, librunlens-read.so). Internal."""
import ctypes
import ctypes.util
import os
from pathlib import Path


def load(name, env_var, missing):
    """lib<name>.so from $<env_var>, beside the package, then the system's; ImportError saying
    `missing` and what was tried otherwise."""
    candidates = []
    if os.environ.get(env_var):
        candidates.append(os.environ[env_var])
    here = Path(__file__).resolve().parent
    candidates += sorted(str(p) for p in here.glob(f"lib{name}.so*"))
    found = ctypes.util.find_library(name)
    if found:
        candidates.append(found)
    errors = []
    for path in candidates:
        try:
            return ctypes.CDLL(path)
        except OSError as exc:
            errors.append(f"{path}: {exc}")
    raise ImportError(f"{missing}, or set {env_var}. Tried: " + ("; ".join(errors) or "nothing found"))
