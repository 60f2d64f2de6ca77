# SPDX-License-Identifier: MIT
"""mlflow.sklearn.autolog: every estimator's fit() logs, as MLflow documents,
its params (get_params(deep=True)), the training metrics MLflow names
(training_score; for classifiers training_accuracy_score, _precision_score,
_recall_score, _f1_score, _log_loss, _roc_auc; for regressors
training_mean_squared_error, _root_mean_squared_error, _mean_absolute_error,
_r2_score), the tags estimator_name and estimator_class, and the model (with
its signature). A search (GridSearchCV, RandomizedSearchCV) also logs
best_<param>, best_cv_score and its best estimator. Only the outermost fit()
logs (a Pipeline's steps do not log their own). Without an active run, fit()
starts one and ends it, as MLflow's autolog does."""
import functools
import warnings

from .. import _autolog_run as _nesting
from .. import _backend

_config = {"enabled": False}
_patched = {}      # (class, method name) -> original


def _training_metrics(estimator, X, y, sample_weight):
    from sklearn import metrics as m
    from sklearn.base import is_classifier, is_regressor
    out = {}
    if y is None:
        return out
    try:
        out["training_score"] = float(estimator.score(X, y) if sample_weight is None
                                      else estimator.score(X, y, sample_weight=sample_weight))
    except Exception:
        pass
    try:
        if is_classifier(estimator):
            pred = estimator.predict(X)
            kw = {"sample_weight": sample_weight}
            out["training_accuracy_score"] = float(m.accuracy_score(y, pred, **kw))
            out["training_precision_score"] = float(m.precision_score(y, pred, average="weighted", zero_division=0,
                                                                      **kw))
            out["training_recall_score"] = float(m.recall_score(y, pred, average="weighted", zero_division=0, **kw))
            out["training_f1_score"] = float(m.f1_score(y, pred, average="weighted", zero_division=0, **kw))
            if hasattr(estimator, "predict_proba"):
                try:
                    proba = estimator.predict_proba(X)
                    out["training_log_loss"] = float(m.log_loss(y, proba, labels=estimator.classes_, **kw))
                    if proba.shape[1] == 2:
                        out["training_roc_auc"] = float(m.roc_auc_score(y, proba[:, 1], **kw))
                    else:
                        out["training_roc_auc"] = float(m.roc_auc_score(y, proba, multi_class="ovo",
                                                                        labels=estimator.classes_, **kw))
                except Exception:
                    pass
        elif is_regressor(estimator):
            import math
            pred = estimator.predict(X)
            kw = {"sample_weight": sample_weight}
            mse = float(m.mean_squared_error(y, pred, **kw))
            out["training_mean_squared_error"] = mse
            out["training_root_mean_squared_error"] = math.sqrt(mse)
            out["training_mean_absolute_error"] = float(m.mean_absolute_error(y, pred, **kw))
            out["training_r2_score"] = float(m.r2_score(y, pred, **kw))
    except Exception as e:   # a metric the estimator cannot give must not fail training
        warnings.warn(f"runlens.mlflow autolog: training metrics of {type(estimator).__name__}: {e}")
    return out


def _param_value(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _log_fit(estimator, args, kwargs):
    import runlens.mlflow as mlflow
    X = args[0] if args else kwargs.get("X")
    y = args[1] if len(args) > 1 else kwargs.get("y")
    sample_weight = kwargs.get("sample_weight")
    active = mlflow.active_run()
    started = active is None
    if started:
        active = mlflow.start_run()
    try:
        run = active._run
        params = estimator.get_params(deep=True)
        for key, value in params.items():
            run.log_param(key, _param_value(value))
        run.set_tag("estimator_name", type(estimator).__name__)
        run.set_tag("estimator_class", type(estimator).__module__ + "." + type(estimator).__name__)
        for key, value in (_config.get("extra_tags") or {}).items():
            run.set_tag(key, str(value))
        if _config.get("log_datasets") and X is not None:
            _log_training_dataset(active, X, y)
        for key, value in _training_metrics(estimator, X, y, sample_weight).items():
            run.log_metric(key, value)
        if hasattr(estimator, "best_params_"):
            for key, value in estimator.best_params_.items():
                run.log_param("best_" + key, _param_value(value))
            if hasattr(estimator, "best_score_"):
                run.log_metric("best_cv_score", float(estimator.best_score_))
        if _config.get("log_models"):
            from . import log_model
            signature = None
            example = None
            if _config.get("log_model_signatures") or _config.get("log_input_examples"):
                example = X[:5] if hasattr(X, "__getitem__") else None
                if hasattr(X, "iloc"):
                    example = X.iloc[:5]
            if _config.get("log_model_signatures") and example is not None:
                from ..models.signature import infer_signature
                try:
                    signature = infer_signature(example, estimator.predict(example))
                except Exception:
                    signature = None
            log_model(estimator, "model", signature=signature if signature is not None else False,
                      input_example=example if _config.get("log_input_examples") else None)
            if hasattr(estimator, "best_estimator_"):
                log_model(estimator.best_estimator_, "best_estimator", signature=signature or False)
    finally:
        if started:
            mlflow.end_run()


def _log_training_dataset(active, X, y):
    from .. import data
    try:
        if hasattr(X, "columns"):
            import pandas as pd
            df = X.copy()
            if y is not None:
                df = pd.concat([df.reset_index(drop=True), pd.Series(getattr(y, "values", y), name="target")
                                .reset_index(drop=True)], axis=1) if "target" not in df.columns else df
            ds = data.from_pandas(df, targets="target" if y is not None and "target" in df.columns else None)
        else:
            import numpy as np
            ds = data.from_numpy(np.asarray(X), targets=None if y is None else np.asarray(y))
        data._record_input(active._run, ds, "train")
    except Exception as e:
        warnings.warn(f"runlens.mlflow autolog: the training dataset was not recorded: {e}")


def _wrap(cls, name, original):
    @functools.wraps(original)
    def fit(self, *args, **kwargs):
        if not _config["enabled"]:
            return original(self, *args, **kwargs)
        outermost = _nesting.depth() == 0
        # Fits inside this one (a Pipeline's steps, a search's folds, whatever
        # framework they train with) and inside its logging (the
        # LabelBinarizer of roc_auc_score) are not logged.
        with _nesting.inside():
            result = original(self, *args, **kwargs)
            if outermost:
                try:
                    _log_fit(self, args, kwargs)
                except Exception as e:
                    if not _config.get("silent"):
                        warnings.warn(f"runlens.mlflow autolog: logging {type(self).__name__}.{name} failed: {e}")
        return result
    fit._runlens_autolog = True
    return fit


def _estimators():
    from sklearn.utils import all_estimators
    from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
    from sklearn.pipeline import Pipeline
    classes = {cls for _name, cls in all_estimators()}
    classes |= {GridSearchCV, RandomizedSearchCV, Pipeline}
    return classes


def autolog(log_input_examples=False, log_model_signatures=True, log_models=True, log_datasets=True,
            disable=False, exclusive=False, disable_for_unsupported_versions=False, silent=False,
            max_tuning_runs=5, log_post_training_metrics=True, serialization_format="cloudpickle",
            registered_model_name=None, pos_label=None, extra_tags=None, **_ignored):
    try:
        import sklearn  # noqa: F401
    except ImportError:
        _backend.warn_once("sklearn-missing", "mlflow.sklearn.autolog: scikit-learn is not installed; nothing is "
                                              "logged")
        return
    _config.update(enabled=not disable, log_input_examples=log_input_examples,
                   log_model_signatures=log_model_signatures, log_models=log_models, log_datasets=log_datasets,
                   silent=silent, extra_tags=extra_tags)
    if disable:
        return
    for cls in _estimators():
        for name in ("fit",):
            # Inherited fit() (RandomForestClassifier's is BaseForest's) is wrapped on the class itself.
            original = getattr(cls, name, None)
            if original is None or getattr(original, "_runlens_autolog", False) or (cls, name) in _patched:
                continue
            _patched[(cls, name)] = original
            setattr(cls, name, _wrap(cls, name, original))
