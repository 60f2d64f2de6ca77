# SPDX-License-Identifier: MIT
"""Read runs from any store Runlens opens, as data: runlens.open().

    import runlens
    store = runlens.open("mlruns")                 # or runlens.db, a TensorBoard logdir, lightning_logs, ...
    best = store.runs("data.train = 'v3' order by metrics.val_acc desc limit 1")[0]
    steps, values = best.series("val/loss").steps, best.series("val/loss").values
    frame = store.runs_frame("status = finished")  # pandas, when installed

The store is read by librunlens-read.so, the app's own core: the query
language, run names and derived metrics mean here what they mean in the app
and the CLI, and every store kind the app opens opens here, read-only.
Runs are snapshots; store.refresh() reads a store that is still being written.
Series come back as NumPy arrays when NumPy is installed, else as
array.array, filled by the library without a Python loop over the points.
"""
import array
import ctypes
import datetime
import html
import json
import math
import os
import re
import threading

from . import _read_native

# Not open() and plot(): `from runlens.reading import *` must not replace the builtin open.
__all__ = ["Store", "Run", "Series", "MetricSummary", "StoreError", "QueryError", "RunNotFound"]

try:  # optional: series as NumPy arrays
    import numpy as _np
except ImportError:  # pragma: no cover - the NumPy-free path is tested by hiding it
    _np = None


class StoreError(ValueError):
    """A store that cannot be opened or read, or a bad argument; the message is the core's."""


class QueryError(StoreError):
    """A query that does not parse or resolve; `position` and `length` point into `query`."""

    def __init__(self, message, query=None, position=-1, length=0):
        super().__init__(message)
        self.query, self.position, self.length = query, position, length

    def __reduce__(self):  # pickles (multiprocessing) with its position
        return (QueryError, (str(self), self.query, self.position, self.length))


class RunNotFound(StoreError, LookupError):
    """No such run (or a name several runs share), or no such metric of a run."""


def _b(text):
    return None if text is None else str(text).encode("utf-8")


def _s(raw):
    return None if raw is None else raw.decode("utf-8", "replace")


def _characters(query, units):
    """A count of UTF-16 code units at the start of `query` (the library's offsets) in characters."""
    return len(query.encode("utf-16-le")[:2 * units].decode("utf-16-le", "ignore"))


def _raise(query=None):
    lib = _read_native.lib()
    message = _s(lib.rlr_last_error()) or "unknown error"
    code = lib.rlr_last_error_code()
    if code == _read_native.RLR_BAD_QUERY:
        position, length = lib.rlr_last_error_position(), lib.rlr_last_error_length()
        if query and position >= 0:
            start = _characters(query, position)
            length = _characters(query, position + length) - start
            position = start
        raise QueryError(message, query, position, length)
    if code == _read_native.RLR_NOT_FOUND:
        raise RunNotFound(message)
    raise StoreError(message)


def open(path_or_url, kind=None, *, deleted=False):  # noqa: A001 - runlens.open, as the module's verb
    """Opens a store read-only: a path (file or folder), a file:// URL or MLflow's sqlite:///PATH.

    `kind` forces a format (see runlens.reading.store_kinds()); `deleted` also
    reads the runs the other tool marked deleted. Raises StoreError."""
    return Store(path_or_url, kind, deleted)


def store_kinds():
    """The store kinds this Runlens reads."""
    return _s(_read_native.lib().rlr_store_kinds()).split(",")


class Store:
    """A store opened for reading. Close it (or use `with`) to let go of its files.

    One Store may be shared by threads: its calls take turns (a lock). Threads
    that read at the same time do better with a Store each."""

    def __init__(self, path_or_url, kind=None, deleted=False):
        self._lock = threading.RLock()
        self._handle = None
        lib = _read_native.lib()
        path = os.fsdecode(path_or_url)
        # A relative path stays the same file after os.chdir().
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]+://", path) and not path.startswith("sqlite:"):
            path = os.path.abspath(path)
        self._handle = lib.rlr_open(os.fsencode(path), _b(kind), _read_native.RLR_DELETED_RUNS if deleted else 0)
        if not self._handle:
            _raise()
        self._describe()

    def _describe(self):
        lib = _read_native.lib()
        self.kind = _s(lib.rlr_store_kind(self._handle))
        self.location = _s(lib.rlr_store_location(self._handle))
        problems = _s(lib.rlr_store_problems(self._handle))
        self.problems = problems.split("\n") if problems else []
        self.experiments = [_s(lib.rlr_experiment_name(self._handle, i))
                            for i in range(lib.rlr_experiment_count(self._handle))]

    def _h(self):
        if not self._handle:
            raise StoreError("the store is closed")
        return self._handle

    def close(self):
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            if self._handle:
                _read_native.lib().rlr_close(self._handle)
                self._handle = None

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def __len__(self):
        """Every run of the store, the trash included."""
        with self._lock:
            return _read_native.lib().rlr_store_run_count(self._h())

    def __bool__(self):
        return self._handle is not None

    def refresh(self):
        """Reads the runs again (a store still being written); returns how many there are now.
        Runs read before stay as they were."""
        with self._lock:
            if _read_native.lib().rlr_refresh(self._h()) != _read_native.RLR_OK:
                _raise()
            self._describe()
            return len(self)

    # -- runs --------------------------------------------------------------
    def runs(self, query=None, *, trash=False):
        """The runs `query` selects (Runlens's query language; None: all), in its order."""
        lib = _read_native.lib()
        with self._lock:
            handle = lib.rlr_query(self._h(), _b(query or ""), _read_native.RLR_WITH_TRASH if trash else 0)
            if not handle:
                _raise(query)
            try:
                data = self._json(lib.rlr_runs_json(handle))
            finally:
                lib.rlr_runs_free(handle)
        return [Run(self, d) for d in data]

    def run(self, id_or_name):
        """One run by id, unique id prefix or unique name (trashed runs too); RunNotFound otherwise."""
        lib = _read_native.lib()
        with self._lock:
            handle = lib.rlr_find(self._h(), _b(_run_id(id_or_name)))
            if not handle:
                _raise()
            try:
                return Run(self, self._json(lib.rlr_runs_json(handle))[0])
            finally:
                lib.rlr_runs_free(handle)

    def runs_frame(self, query=None, *, trash=False):
        """The runs as a pandas DataFrame: id, name, experiment, status, start_time, end_time,
        params.X, tags.X, metrics.X (the last value), metrics.X.min, metrics.X.max and metrics.X.mean
        (NaN where the store does not know it)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Store.runs_frame needs pandas (apt install python3-pandas); "
                              "Store.runs() gives the same runs without it") from None
        rows = []
        runs = self.runs(query, trash=trash)
        metric_keys = {k for r in runs for k in r.metrics}
        for r in runs:
            row = {"id": r.id, "name": r.name, "experiment": r.experiment, "status": r.status,
                   "start_time": r.start_time, "end_time": r.end_time}
            for k, v in r.params.items():
                row["params." + k] = json.dumps(v) if isinstance(v, (list, dict)) else v
            for k, v in r.tags.items():
                row["tags." + k] = v
            for k, m in r.metrics.items():
                row["metrics." + k] = m.last
                # A metric itself named K.min keeps its column; K's minimum then stays out.
                for stat in ("min", "max", "mean"):
                    if f"{k}.{stat}" not in metric_keys:
                        row[f"metrics.{k}.{stat}"] = getattr(m, stat)
            rows.append(row)
        frame = pd.DataFrame(rows, columns=None if rows else
                             ["id", "name", "experiment", "status", "start_time", "end_time"])
        for column in ("start_time", "end_time"):
            frame[column] = pd.to_datetime(frame[column], unit="ms", utc=True)
        return frame

    # -- one run, two runs, seeds ----------------------------------------------
    def details(self, run):
        """A run's details as `runlens show --format json`: typed params, metric summaries,
        tags, git, environment, data versions, artifacts, configs, notes."""
        with self._lock:
            return self._json(_read_native.lib().rlr_run_details_json(self._h(), _b(_run_id(run))))

    def diff(self, a, b, *, tool_tags=False):
        """What differs between two runs, as `runlens diff A B --format json`:
        {"a": id, "b": id, "differences": [{"section", "key", "a", "b"}]}."""
        flags = _read_native.RLR_TOOL_TAGS if tool_tags else 0
        with self._lock:
            return self._json(_read_native.lib().rlr_diff_json(self._h(), _b(_run_id(a)), _b(_run_id(b)), flags))

    def seeds(self, metric, query=None, *, seed_keys=None):
        """Runs that differ only by seed, grouped, best mean first, as `runlens seeds --format json`:
        [{"config", "n", "mean", "sd", "min", "max", "runs", "welch_vs_best"}]."""
        if isinstance(seed_keys, str):
            seed_keys = [seed_keys]
        keys = ",".join(seed_keys) if seed_keys else None
        with self._lock:
            return self._json(_read_native.lib().rlr_seeds_json(self._h(), _b(metric), _b(query or ""), _b(keys)),
                              query)

    def _json(self, raw, query=None):
        """The library's JSON (copied out under the lock the caller holds)."""
        if raw is None:
            _raise(query)
        return json.loads(_s(raw))

    # -- series ------------------------------------------------------------
    def series(self, run, key, *, width=None, x_range=None):
        """A metric of a run (logged or derived), every point, or, with `width`, as a chart that
        many pixels wide draws it (M4: each pixel's first, min, max and last point; spikes kept)."""
        if width is not None:
            width = int(width)
            if width <= 0:
                raise StoreError("width must be a positive number of pixels")
        if x_range is not None:
            x0, x1 = float(x_range[0]), float(x_range[1])
            if math.isnan(x0) or math.isnan(x1) or x0 > x1:
                raise StoreError(f"x_range must be (first step, last step), not {x_range!r}")
        lib = _read_native.lib()
        with self._lock:
            handle = lib.rlr_series_load(self._h(), _b(_run_id(run)), _b(key))
            if not handle:
                _raise()
        try:
            problems = _s(lib.rlr_series_problems(handle))
            n = lib.rlr_series_size(handle)
            if width is None:
                steps, times, values = _buffer("q", n), _buffer("d", n), _buffer("d", n)
                lib.rlr_series_copy(handle, 0, n, _address(steps), _address(times), _address(values))
                return Series(_run_id(run), key, steps, times, values, problems)
            x0, x1 = (1.0, 0.0) if x_range is None else (float(x_range[0]), float(x_range[1]))
            capacity = min(4 * width + 2, n + 2)  # never more than the points and the two beside
            xs, ys = _buffer("d", capacity), _buffer("d", capacity)
            got = lib.rlr_series_decimate(handle, x0, x1, width, _address(xs), _address(ys), capacity)
            if got > capacity:  # gap marks beyond the guess: once more with room for all
                capacity = got
                xs, ys = _buffer("d", capacity), _buffer("d", capacity)
                got = lib.rlr_series_decimate(handle, x0, x1, width, _address(xs), _address(ys), capacity)
            return Series(_run_id(run), key, xs[:got], None, ys[:got], problems, decimated=True)
        finally:
            lib.rlr_series_free(handle)

    # -- notebooks -----------------------------------------------------------
    def __repr__(self):
        state = f"{len(self)} runs" if self._handle else "closed"
        return f"<runlens.Store {self.kind} {self.location!r}: {state}>"

    def _repr_html_(self, limit=20):
        if not self._handle:
            return html.escape(repr(self))
        runs = self.runs(trash=True)
        head = (f"<p><b>{html.escape(self.kind)}</b> store <code>{html.escape(self.location)}</code>: "
                f"{len(runs)} runs in {len(self.experiments)} experiment(s)</p>")
        if self.problems:
            head += "<p>" + "<br>".join("&#9888; " + html.escape(p) for p in self.problems) + "</p>"
        return head + _runs_table(runs[:limit]) + (
            f"<p>&hellip; and {len(runs) - limit} more</p>" if len(runs) > limit else "")


class MetricSummary:
    """A metric's summary over a run: last (at the highest step), min, max, mean (NaN when the
    store does not know it), count, last_step."""
    __slots__ = ("last", "min", "max", "mean", "count", "last_step")

    def __init__(self, data):
        self.last, self.min, self.max, self.mean = (float(_number(data.get(k))) for k in ("last", "min", "max", "mean"))
        self.count, self.last_step = data.get("count", 0), data.get("last_step")

    def __repr__(self):
        return (f"MetricSummary(last={self.last!r}, min={self.min!r}, max={self.max!r}, mean={self.mean!r}, "
                f"count={self.count})")


class Run:
    """One run as the store had it when read: id, name, experiment, status, start_time and
    end_time (ms since the Unix epoch; end None while running), parent_id, params (typed as
    logged), tags, metrics ({key: MetricSummary})."""

    def __init__(self, store, data):
        self.store = store
        self.data = data
        self.id = data["id"]
        self.name = data.get("name", "")
        self.experiment = data.get("experiment", "")
        self.status = data.get("status", "")
        self.start_time = data.get("start_time")
        self.end_time = data.get("end_time")
        self.parent_id = data.get("parent_id")
        self.params = data.get("params", {})
        self.tags = data.get("tags", {})
        self.metrics = {k: MetricSummary(v) for k, v in data.get("metrics", {}).items()}

    @property
    def started(self):
        return None if self.start_time is None else datetime.datetime.fromtimestamp(
            self.start_time / 1000, datetime.timezone.utc)

    def series(self, key, *, width=None, x_range=None):
        return self.store.series(self, key, width=width, x_range=x_range)

    def details(self):
        return self.store.details(self)

    def __repr__(self):
        return f"<runlens.reading.Run {self.id[:8]} {self.name!r} ({self.status})>"

    def _repr_html_(self):
        rows = [("id", self.id), ("experiment", self.experiment), ("status", self.status)]
        if self.started:
            rows.append(("started", self.started.strftime("%Y-%m-%d %H:%M:%S UTC")))
        rows += [("params." + k, _text(v)) for k, v in sorted(self.params.items())]
        rows += [("metrics." + k, f"{_text(m.last)} (min {_text(m.min)}, max {_text(m.max)}, {m.count} points)")
                 for k, m in sorted(self.metrics.items())]
        body = "".join(f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in rows)
        return f"<p><b>{html.escape(self.name)}</b></p><table>{body}</table>"


class Series:
    """A metric's points: steps, times (s since the Unix epoch) and values; NumPy arrays when
    NumPy is installed, else array.array. Decimated: steps are the x of each drawn point
    (float) and times is None."""

    def __init__(self, run_id, key, steps, times, values, problems="", decimated=False):
        self.run_id, self.key = run_id, key
        self.steps, self.times, self.values = steps, times, values
        self.problems = problems.split("\n") if problems else []
        self.decimated = decimated

    def __len__(self):
        return len(self.values)

    def __repr__(self):
        kind = "decimated " if self.decimated else ""
        return f"<runlens.Series {self.key!r} of {self.run_id[:8]}: {len(self)} {kind}points>"


def plot(runs, key, *, ax=None, width=1200, x_range=None):
    """Draws `key` of each run that has it with matplotlib (installed separately), decimated to
    `width` pixels so that a million-point series plots at once; returns the Axes."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("runlens.plot needs matplotlib (apt install python3-matplotlib)") from None
    if isinstance(runs, Run):
        runs = [runs]
    if ax is None:
        ax = plt.gca()
    drawn = 0
    for r in runs:
        if key not in r.metrics:  # a sweep's parent, a run that never logged it
            continue
        s = r.series(key, width=width, x_range=x_range)
        label = r.name or r.id[:8]
        ax.plot(s.steps, s.values, label=label if len(label) <= 40 else label[:39] + "\u2026", linewidth=1)
        drawn += 1
    ax.set_xlabel("step")
    ax.set_ylabel(key)
    if x_range is not None:
        ax.set_xlim(x_range)
    if drawn:
        ax.legend(fontsize="small")
    return ax


def _run_id(run):
    return run.id if isinstance(run, Run) else run


def _number(v):
    if v is None:
        return math.nan
    if v == "inf":
        return math.inf
    if v == "-inf":
        return -math.inf
    return v


def _text(v):
    if isinstance(v, float):
        return f"{v:.6g}"
    return json.dumps(v) if isinstance(v, (list, dict)) else str(v)


def _runs_table(runs):
    metrics = sorted({k for r in runs for k in r.metrics})[:8]
    head = "".join(f"<th>{html.escape(h)}</th>" for h in ["name", "status", *metrics])
    body = ""
    for r in runs:
        cells = [r.name or r.id[:8], r.status] + [_text(r.metrics[k].last) if k in r.metrics else "" for k in metrics]
        body += "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>"
    return f"<table><tr>{head}</tr>{body}</table>"


def _buffer(code, n):
    """n zeros as a NumPy array, else an array.array, for the library to fill."""
    if _np is not None:
        return _np.empty(n, dtype=_np.int64 if code == "q" else _np.float64)
    return array.array(code, bytes(8 * n))


def _address(buffer):
    if _np is not None and isinstance(buffer, _np.ndarray):
        return buffer.ctypes.data if len(buffer) else None
    return buffer.buffer_info()[0] if len(buffer) else None
