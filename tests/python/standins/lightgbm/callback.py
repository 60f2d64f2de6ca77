"""Callbacks as LightGBM 4.x calls them: f(env) after each iteration, sorted by `order`."""
import collections

CallbackEnv = collections.namedtuple("CallbackEnv", ["model", "params", "iteration", "begin_iteration",
                                                     "end_iteration", "evaluation_result_list"])


class EarlyStopException(Exception):
    def __init__(self, best_iteration, best_score):
        super().__init__()
        self.best_iteration = best_iteration
        self.best_score = best_score


class _EarlyStopping:
    def __init__(self, stopping_rounds):
        self.order = 30          # an instance attribute, as LightGBM's: train() keeps it
        self.stopping_rounds = stopping_rounds
        self.best = None
        self.best_iteration = 0
        self.best_score = None

    def __call__(self, env):
        first = env.evaluation_result_list[0]
        if self.best is None or first[2] < self.best:
            self.best, self.best_iteration, self.best_score = first[2], env.iteration, env.evaluation_result_list
        if env.iteration - self.best_iteration >= self.stopping_rounds or env.iteration == env.end_iteration - 1:
            raise EarlyStopException(self.best_iteration, self.best_score)


def early_stopping(stopping_rounds, first_metric_only=False, verbose=True, min_delta=0.0):
    return _EarlyStopping(stopping_rounds)


def record_evaluation(eval_result):
    def _record(env):
        for data_name, eval_name, value, _ in env.evaluation_result_list:
            eval_result.setdefault(data_name, {}).setdefault(eval_name, []).append(value)
    _record.order = 20
    return _record
