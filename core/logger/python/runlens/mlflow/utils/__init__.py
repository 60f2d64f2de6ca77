# SPDX-License-Identifier: MIT
"""mlflow.utils: the parts training scripts import (mlflow_tags)."""
