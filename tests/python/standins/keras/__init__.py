"""Stand-in for Keras 3 (see ../README.md): the API runlens.mlflow.keras calls."""
from . import backend, callbacks, layers, optimizers, saving  # noqa: F401
from .models import Model, Sequential  # noqa: F401

__version__ = "3.0.0"
