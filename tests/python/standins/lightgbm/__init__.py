"""Stand-in for LightGBM 4.x (see ../README.md): the API runlens.mlflow.lightgbm calls."""
from .basic import Booster, Dataset  # noqa: F401
from .callback import EarlyStopException, early_stopping, record_evaluation  # noqa: F401
from .engine import train  # noqa: F401
from .sklearn import LGBMRegressor  # noqa: F401

__version__ = "4.0.0"
