# SPDX-License-Identifier: MIT
"""mlflow.data.pandas_dataset, as MLflow 2.x and 3.x lay it out."""
from . import PandasDataset, from_pandas  # noqa: F401
