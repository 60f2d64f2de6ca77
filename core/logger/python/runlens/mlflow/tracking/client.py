# SPDX-License-Identifier: MIT
from . import MlflowClient  # noqa: F401
