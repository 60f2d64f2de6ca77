# SPDX-License-Identifier: MIT
"""mlflow.evaluate for classifiers and regressors: MLflow's default metrics,
computed in plain Python (no scikit-learn needed; the test checks each
against scikit-learn where it is installed), logged to the active run (or
a run started for it, as MLflow does), and returned as an EvaluationResult.

Data: a pandas DataFrame with `targets` (and `predictions`) naming columns,
or features as an array/list with `targets` as an array/list. The model: a
model URI (runs:/, models:/, a path), a loaded pyfunc model, an object with
predict(), a function, or None with `predictions` given."""
import math

from ..exceptions import MlflowException
from ..protos import databricks_pb2 as _codes

_EPS = 2.220446049250313e-16   # numpy.finfo(float64).eps, as scikit-learn's MAPE uses
_LOG_LOSS_EPS = 1e-15


class EvaluationResult:
    def __init__(self, metrics, artifacts=None, baseline_model_metrics=None, run_id=None):
        self.metrics = dict(metrics)
        self.artifacts = dict(artifacts or {})
        self.baseline_model_metrics = baseline_model_metrics
        self.tables = {}
        self.run_id = run_id

    def __repr__(self):
        return f"<EvaluationResult: metrics={self.metrics!r}>"


class MetricValue:
    def __init__(self, scores=None, justifications=None, aggregate_results=None):
        self.scores, self.justifications, self.aggregate_results = scores, justifications, aggregate_results


class EvaluationMetric:
    def __init__(self, eval_fn, name, greater_is_better, long_name=None, version=None, metric_details=None,
                 metric_metadata=None):
        self.eval_fn, self.name, self.greater_is_better = eval_fn, name, greater_is_better
        self.long_name, self.version = long_name or name, version


def make_metric(*, eval_fn, greater_is_better, name=None, long_name=None, version=None, metric_details=None,
                metric_metadata=None, genai_metric_args=None):
    return EvaluationMetric(eval_fn, name or eval_fn.__name__, greater_is_better, long_name, version)


# -- inputs as plain lists ---------------------------------------------------------------
def _as_list(values):
    if values is None:
        return None
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    if hasattr(values, "tolist"):
        values = values.tolist()
    return list(values)


def _scalar(v):
    if isinstance(v, list) and len(v) == 1:   # a column vector's rows
        return v[0]
    return v


def _features_and_targets(data, targets, predictions, feature_names):
    """(features for predict, targets as a list, predictions as a list or None)."""
    if hasattr(data, "columns"):   # a pandas DataFrame
        if targets is None or targets not in data.columns:
            raise MlflowException(f"targets must name a column of the data; got {targets!r}",
                                  error_code=_codes.INVALID_PARAMETER_VALUE)
        y = _as_list(data[targets])
        given = _as_list(data[predictions]) if isinstance(predictions, str) and predictions in data.columns else None
        drop = [c for c in (targets, predictions if given is not None else None) if c is not None]
        features = data.drop(columns=drop)
        if feature_names:
            features = features[list(feature_names)]
        return features, y, given
    if targets is None or isinstance(targets, str):
        raise MlflowException("with array data, targets must be an array of the true values",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    return data, _as_list(targets), None


def _predictor(model):
    """(predict function, predict_proba function or None, the classes predict_proba's columns are
    for, or None) of what evaluate was given."""
    if model is None:
        return None, None, None
    if isinstance(model, str):
        from ..pyfunc import load_model
        model = load_model(model)
    impl = getattr(model, "_impl", None)   # a loaded pyfunc model: its flavor's model
    proba = getattr(impl, "predict_proba", None) or getattr(model, "predict_proba", None)
    classes = getattr(impl, "classes_", None)
    classes = _as_list(classes if classes is not None else getattr(model, "classes_", None))
    if hasattr(model, "predict"):
        return model.predict, proba, classes
    if callable(model):
        return model, None, None
    raise MlflowException(f"cannot predict with {type(model).__name__}: give a model URI, a model, or a function",
                          error_code=_codes.INVALID_PARAMETER_VALUE)


# -- the metrics, as scikit-learn defines them ------------------------------------------------
def _divide(a, b):
    return a / b if b else 0.0


def _roc_auc(truth, scores):
    """Area under the ROC curve of binary truth (bools) against scores: the Mann-Whitney U with ties
    counted half, as scikit-learn's roc_auc_score."""
    pos = sum(1 for t in truth if t)
    neg = len(truth) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum, i = 0.0, 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        average_rank = (i + j) / 2 + 1
        rank_sum += average_rank * sum(1 for k in range(i, j + 1) if truth[order[k]])
        i = j + 1
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def _average_precision(truth, scores):
    """Average precision: the sum over thresholds (highest first) of precision times the recall
    gained, as scikit-learn's average_precision_score, which MLflow logs as precision_recall_auc."""
    pos = sum(1 for t in truth if t)
    if pos == 0:
        return float("nan")
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    tps = fps = 0
    area, recall_before = 0.0, 0.0
    for n, i in enumerate(order):
        tps += 1 if truth[i] else 0
        fps += 0 if truth[i] else 1
        if n + 1 == len(order) or scores[order[n + 1]] != scores[i]:
            recall = tps / pos
            area += (recall - recall_before) * tps / (tps + fps)
            recall_before = recall
    return area


def _per_class(y_true, y_pred, label):
    tp = sum(1 for t, p in zip(y_true, y_pred) if t == label and p == label)
    fp = sum(1 for t, p in zip(y_true, y_pred) if t != label and p == label)
    fn = sum(1 for t, p in zip(y_true, y_pred) if t == label and p != label)
    precision, recall = _divide(tp, tp + fp), _divide(tp, tp + fn)
    return tp, fp, fn, precision, recall, _divide(2 * precision * recall, precision + recall)


def classifier_metrics(y_true, y_pred, y_proba=None, labels=None, pos_label=None):
    """MLflow's default classifier metrics (binary, or weighted over classes for multiclass)."""
    y_true, y_pred = [_scalar(v) for v in y_true], [_scalar(v) for v in y_pred]
    labels = list(labels) if labels is not None else sorted(set(y_true) | set(y_pred), key=lambda v: (str(type(v)), v))
    n = len(y_true)
    metrics = {"example_count": n, "accuracy_score": _divide(sum(1 for t, p in zip(y_true, y_pred) if t == p), n)}
    if len(labels) <= 2:
        # MLflow's default positive label: the last of the sorted labels (1 of 0 and 1).
        positive = pos_label if pos_label is not None else labels[-1]
        tp, fp, fn, precision, recall, f1 = _per_class(y_true, y_pred, positive)
        metrics.update({"recall_score": recall, "precision_score": precision, "f1_score": f1,
                        "true_negatives": n - tp - fp - fn, "false_positives": fp, "false_negatives": fn,
                        "true_positives": tp})
        if y_proba is not None:
            rows = [_as_list(r) if not isinstance(r, (int, float)) else [1 - r, r] for r in y_proba]
            column = labels.index(positive) if len(rows[0]) == len(labels) else len(rows[0]) - 1
            scores = [float(r[column]) for r in rows]
            truth = [t == positive for t in y_true]
            metrics["roc_auc"] = _roc_auc(truth, scores)
            metrics["precision_recall_auc"] = _average_precision(truth, scores)
            metrics["log_loss"] = -sum(math.log(min(max(s if t else 1 - s, _LOG_LOSS_EPS), 1 - _LOG_LOSS_EPS))
                                       for t, s in zip(truth, scores)) / n
        return metrics
    support = {label: sum(1 for t in y_true if t == label) for label in labels}
    precision = recall = f1 = 0.0
    for label in labels:
        _, _, _, p, r, f = _per_class(y_true, y_pred, label)
        weight = _divide(support[label], n)
        precision, recall, f1 = precision + weight * p, recall + weight * r, f1 + weight * f
    metrics.update({"recall_score": recall, "precision_score": precision, "f1_score": f1})
    if y_proba is not None:
        rows = [_as_list(r) for r in y_proba]
        index = {label: i for i, label in enumerate(labels)}
        loss = 0.0
        for t, row in zip(y_true, rows):
            total = sum(row) or 1.0   # scikit-learn renormalizes each row
            loss -= math.log(min(max(row[index[t]] / total, _LOG_LOSS_EPS), 1 - _LOG_LOSS_EPS))
        metrics["log_loss"] = loss / n
        auc = 0.0
        for label in labels:
            if support[label]:   # a class this data lacks weighs nothing (and has no AUC)
                auc += _divide(support[label], n) * _roc_auc([t == label for t in y_true], [r[index[label]] for r in rows])
        metrics["roc_auc"] = auc
    return metrics


def regressor_metrics(y_true, y_pred):
    """MLflow's default regressor metrics."""
    y_true = [float(_scalar(v)) for v in y_true]
    y_pred = [float(_scalar(v)) for v in y_pred]
    n = len(y_true)
    errors = [p - t for t, p in zip(y_true, y_pred)]
    mean = _divide(sum(y_true), n)
    ss_res = sum(e * e for e in errors)
    ss_tot = sum((t - mean) ** 2 for t in y_true)
    mse = _divide(ss_res, n)
    return {
        "example_count": n,
        "mean_absolute_error": _divide(sum(abs(e) for e in errors), n),
        "mean_squared_error": mse,
        "root_mean_squared_error": math.sqrt(mse),
        "sum_on_target": sum(y_true),
        "mean_on_target": mean,
        # scikit-learn's r2_score: 1 when both sums are 0, 0 when only the total is.
        "r2_score": 1.0 - ss_res / ss_tot if ss_tot else (1.0 if ss_res == 0 else 0.0),
        "max_error": max((abs(e) for e in errors), default=0.0),
        "mean_absolute_percentage_error": _divide(sum(abs(e) / max(abs(t), _EPS) for t, e in zip(y_true, errors)), n),
    }


# -- mlflow.evaluate -------------------------------------------------------------------------
def evaluate(model=None, data=None, *, model_type=None, targets=None, predictions=None, dataset_path=None,
             feature_names=None, evaluators=None, evaluator_config=None, extra_metrics=None, custom_metrics=None,
             custom_artifacts=None, validation_thresholds=None, baseline_model=None, env_manager="local",
             model_config=None, baseline_config=None, inference_params=None, **_ignored):
    import runlens.mlflow as fluent

    if model_type not in ("classifier", "regressor"):
        raise MlflowException(f"runlens.mlflow evaluates classifier and regressor models, not {model_type!r} "
                              "(docs/mlflow-compatibility.md)", error_code=_codes.NOT_IMPLEMENTED)
    if data is None:
        raise MlflowException("evaluate needs data", error_code=_codes.INVALID_PARAMETER_VALUE)
    # A dataset of mlflow.data: its frame or arrays, and the targets it names.
    if hasattr(data, "df") and not hasattr(data, "columns"):
        targets = targets if targets is not None else data.targets
        predictions = predictions if predictions is not None else getattr(data, "predictions", None)
        data = data.df
    elif hasattr(data, "features") and hasattr(data, "targets"):
        targets = targets if targets is not None else data.targets
        data = data.features
    features, y_true, y_pred = _features_and_targets(data, targets, predictions, feature_names)
    if not y_true:
        raise MlflowException("the data has no rows to evaluate", error_code=_codes.INVALID_PARAMETER_VALUE)
    predict, predict_proba, classes = _predictor(model)
    if y_pred is None:
        if predict is None:
            raise MlflowException("give a model, or predictions= naming the data's column of predictions",
                                  error_code=_codes.INVALID_PARAMETER_VALUE)
        y_pred = _as_list(predict(features))
    if len(y_pred) != len(y_true):
        raise MlflowException(f"{len(y_pred)} predictions for {len(y_true)} targets",
                              error_code=_codes.INVALID_PARAMETER_VALUE)
    config = dict(evaluator_config or {})
    if model_type == "classifier":
        y_proba = _as_list(predict_proba(features)) if predict_proba is not None else None
        # The probabilities' columns are the model's classes, whatever labels this data holds.
        labels = config.get("label_list") or (classes if y_proba is not None else None)
        if y_proba is not None and labels is not None and len(_as_list(y_proba[0])) != len(labels):
            raise MlflowException(f"the model gives {len(_as_list(y_proba[0]))} probabilities a row for "
                                  f"{len(labels)} labels", error_code=_codes.INVALID_PARAMETER_VALUE)
        metrics = classifier_metrics(y_true, y_pred, y_proba, labels, config.get("pos_label"))
    else:
        metrics = regressor_metrics(y_true, y_pred)
    for metric in list(extra_metrics or []) + list(custom_metrics or []):
        value = metric.eval_fn(_series(y_pred), _series(y_true), dict(metrics))
        if isinstance(value, MetricValue):
            for name, v in (value.aggregate_results or {}).items():
                metrics[f"{metric.name}/{name}"] = v
        elif value is not None:
            metrics[metric.name] = value

    active = fluent.active_run()
    run = active or fluent.start_run()
    try:
        fluent.log_metrics({k: float(v) for k, v in metrics.items() if isinstance(v, (int, float))})
        run_id = run.info.run_id
    finally:
        if active is None:
            fluent.end_run()
    return EvaluationResult(metrics, run_id=run_id)


def _series(values):
    try:
        import pandas as pd
        return pd.Series(values)
    except ImportError:
        return values
