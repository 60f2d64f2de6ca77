# SPDX-License-Identifier: MIT
from .tracking import MlflowClient  # noqa: F401
