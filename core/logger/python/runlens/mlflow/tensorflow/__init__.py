# SPDX-License-Identifier: MIT
"""mlflow.tensorflow: TensorFlow 2.16 and later train through Keras 3, so its
autolog and callback are mlflow.keras's (fit() logs the same way); models are
saved in the Keras format by mlflow.keras. TensorFlow SavedModel exports and
tf-keras 2 models are not written."""
from ..keras import autolog as _keras_autolog
from ..keras import load_model, log_model, save_model  # noqa: F401


def autolog(every_n_iter=1, log_models=True, log_datasets=True, disable=False, exclusive=False,
            disable_for_unsupported_versions=False, silent=False, registered_model_name=None,
            log_input_examples=False, log_model_signatures=True, saved_model_kwargs=None, keras_model_kwargs=None,
            extra_tags=None, log_every_epoch=True, log_every_n_steps=None, checkpoint=True, **_ignored):
    _keras_autolog(log_every_epoch=log_every_epoch, log_every_n_steps=log_every_n_steps, log_models=log_models,
                   disable=disable, silent=silent, registered_model_name=registered_model_name,
                   save_model_kwargs=keras_model_kwargs, extra_tags=extra_tags)


def __getattr__(name):
    if name in ("MlflowCallback", "MLflowCallback"):
        from .. import keras
        return getattr(keras, "MlflowCallback")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
