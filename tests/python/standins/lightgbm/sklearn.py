"""The scikit-learn API: fit() calls the `train` this module imported, as LightGBM's does;
a scikit-learn estimator where scikit-learn is installed, as LightGBM's models are."""
from .basic import Dataset
from .engine import train

try:
    from sklearn.base import BaseEstimator, RegressorMixin
    _BASES = (RegressorMixin, BaseEstimator)
except ImportError:
    _BASES = (object,)


class LGBMRegressor(*_BASES):
    def __init__(self, n_estimators=100, learning_rate=0.1, num_leaves=31, random_state=None):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.random_state = random_state

    def fit(self, X, y, eval_set=None, eval_names=None, callbacks=None):
        params = {"objective": "regression", "learning_rate": self.learning_rate, "num_leaves": self.num_leaves}
        valid = [Dataset(vx, vy) for vx, vy in (eval_set or [])]
        self._Booster = train(params, Dataset(X, y), num_boost_round=self.n_estimators, valid_sets=valid,
                              valid_names=eval_names, callbacks=callbacks)
        return self

    @property
    def booster_(self):
        return self._Booster

    def predict(self, X):
        return self._Booster.predict(X)
