# SPDX-License-Identifier: MIT
"""mlflow.data.numpy_dataset, as MLflow 2.x and 3.x lay it out."""
from . import NumpyDataset, from_numpy  # noqa: F401
