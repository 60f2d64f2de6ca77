# SPDX-License-Identifier: MIT
"""Runlens: log training runs to a Runlens store.

    import runlens
    with runlens.init(experiment="mnist", config={"lr": 0.1, "model": {"depth": 4}}) as run:
        for step in range(1000):
            run.log({"loss": loss}, step=step)

Logging never waits for the disk: the native library buffers points and a
background thread writes them every flush interval (the first ones within
0.1 s). A run left open ends as finished at exit, as failed after an uncaught
exception and as killed after Ctrl-C; a process killed outright reads as
crashed.

When the disk fails (full, or the store deleted), flush() and finish() raise
RunlensError rather than pretend; the buffer is bounded (max_buffered_points)
and points beyond it are dropped and counted (dropped_points, a warning, the
run's tag runlens.dropped_points), or with when_buffer_full="block" wait.

The store is `store=`, else $RUNLENS_STORE, else ./runlens.db.
"""
import atexit
import ctypes
import json
import math
import os
import platform
import sys
import threading
import warnings
import weakref

from . import _media, _native

# runlens.open and runlens.plot are not in it: `from runlens import *` must
# not replace the builtin open.
__all__ = ["AlreadyTried", "Run", "RunlensError", "init", "default_store", "version", "__version__",
           "Store", "StoreError", "QueryError", "RunNotFound"]

_lib = _native.lib
DEFAULT_STORE = "runlens.db"


class RunlensError(ValueError):
    """Something Runlens refused: an invalid name or value, a store it cannot write."""


class AlreadyTried(Exception):
    """init(..., config=..., on_duplicate="skip") found a finished run that was
    this exact run (same params and seed, code and data): nothing was started
    and nothing written. A sweep catches it and goes on to the next config:

        for cfg in sweep:
            try:
                with runlens.init(config=cfg, on_duplicate="skip") as run:
                    train(cfg, run)
            except runlens.AlreadyTried:
                continue

    An exception rather than a run that logs nothing: the training inside the
    `with` block never starts, so a skipped config costs no compute even where
    the loop forgets to check."""


def version():
    return _lib.rl_version().decode()


# The native library's version: the package and the library it drives are one release.
__version__ = version()


def default_store():
    return os.environ.get("RUNLENS_STORE") or DEFAULT_STORE


def _b(text):
    # Lone surrogates pass through so that the library refuses them with its
    # message; a NUL would end the C string early ("a\0b" stored as "a").
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if b"\0" in data:
        raise RunlensError(f"{text[:40]!r} contains a NUL character")
    return data


_STEP_MIN, _STEP_MAX = -2**63, 2**63 - 1


def _step(step):
    step = int(step)
    if step < _STEP_MIN or step > _STEP_MAX:
        raise RunlensError(f"step {step} does not fit in 64 bits")
    return step


def _media_step(step):
    # None: a one-off (RL_NO_STEP, the lowest 64-bit value, which no real step is).
    return _native.RL_NO_STEP if step is None else _step(step)


_open_runs = weakref.WeakSet()
_exit_status = "finished"
_lock = threading.Lock()


_packages = None


def _installed_packages():
    """(name, version) of every installed distribution, read once a process:
    parsing each package's metadata takes ~1 ms, so a sweep of thousands of
    short runs in one process paid ~90 ms a run for the same list."""
    global _packages
    if _packages is None:
        found = []
        try:
            from importlib import metadata
            for dist in metadata.distributions():
                name = dist.metadata.get("Name")
                if name:
                    found.append((name.lower(), dist.version or ""))
        except Exception:  # an odd site-packages must not stop a training run
            pass
        _packages = found
    return _packages


class Run:
    """One training run. Use init() to make one; every method is thread-safe."""

    def __init__(self, store=None, experiment="default", name=None, parent=None, config=None, tags=None,
                 notes=None, hypothesis=None, flush_interval=1.0, git=True, environment=True, all_ranks=False,
                 resume=None, max_buffered_points=None, when_buffer_full="drop", on_duplicate=None, metric=None,
                 system_metrics=None, system_metrics_interval=None, sync=None, sync_interval=5.0):
        """resume: the id of a run of the store to carry on (a job restarted
        from a checkpoint); its experiment and name stay its own.

        max_buffered_points: at most this many points wait in memory for the
        disk (default 4,000,000, about 100 MB). when_buffer_full: "drop" (the
        default: training never waits; dropped points are counted, warned
        about once and recorded) or "block" (log() waits for room: nothing is
        lost, but training stalls while the disk refuses writes).

        on_duplicate: what a config that ran before in this store and
        experiment does ("already tried"; looked up at start when `config` is
        given, else by already_tried()): "warn" (the default: one line on
        stderr and the run's tag runlens.already_tried), "skip" (an exact
        repeat of a finished run raises AlreadyTried and is not started) or
        "ignore"; None takes $RUNLENS_ON_DUPLICATE. metric: the metric the
        message summarises (default: the first every earlier run logged).

        system_metrics: CPU, memory, disk, network and GPU (NVML) sampled on
        the logger's own thread as series under system/, every
        system_metrics_interval seconds (default 10). None: on unless
        $RUNLENS_SYSTEM_METRICS is 0; False: off; True: on whatever it says.

        sync: a team store's URL ("postgresql://user@host/db"): the run is
        pushed there while it logs, every sync_interval seconds, by a
        `runlens push` process beside this one (the local store is the spool:
        a server away never slows or stops training; the push catches up when
        it is back, and stops once the run has ended and is there whole).
        None: $RUNLENS_SYNC; False or "": none. A push that cannot start is
        said once on stderr; the run logs on."""
        self.store = os.fspath(store) if store is not None else default_store()
        if when_buffer_full not in ("drop", "block"):
            raise RunlensError(f"when_buffer_full is 'drop' or 'block', not {when_buffer_full!r}")
        flags = (0 if git else _native.NO_GIT) | (0 if environment else _native.NO_ENVIRONMENT)
        flags |= _native.ALL_RANKS if all_ranks else 0
        flags |= _native.BLOCK_WHEN_FULL if when_buffer_full == "block" else 0
        flags |= _native.NO_SYSTEM_METRICS if system_metrics is False else 0
        # The push is started here, once, with this interval, whether its URL
        # came from sync= or $RUNLENS_SYNC.
        flags |= _native.NO_SYNC
        if sync is None:
            sync = os.environ.get("RUNLENS_SYNC") or None
        if sync is not None and sync is not False and not isinstance(sync, str):
            raise RunlensError(f"sync is a team store's URL (postgresql://...), not {sync!r}")
        if not 0.1 <= float(sync_interval) <= 86400:
            raise RunlensError(f"sync_interval is 0.1 to 86400 s, not {sync_interval!r}")
        max_points = int(max_buffered_points or 0)
        if max_buffered_points is not None and max_points <= 0:
            raise RunlensError(f"max_buffered_points must be positive, not {max_buffered_points!r}")
        if on_duplicate not in _native.ON_DUPLICATE:
            raise RunlensError(f"on_duplicate is 'warn', 'skip' or 'ignore', not {on_duplicate!r}")
        if config is not None and not isinstance(config, dict):
            raise RunlensError("a config must be a dict")
        if resume:
            handle = _lib.rl_run_resume_ex(_b(self.store), _b(resume), int(flush_interval * 1000), flags, max_points)
        else:
            # The config goes with the start so that it is looked up before
            # the run exists: a skipped repeat leaves nothing in the store.
            parent_id = parent.id if isinstance(parent, Run) else parent
            skipped = ctypes.c_int(0)
            config_json = json.dumps(config, default=_json_default) if config else ""
            handle = _lib.rl_run_start_config(_b(self.store), _b(experiment or "default"), _b(name or ""),
                                              _b(parent_id or ""), int(flush_interval * 1000), flags, max_points,
                                              _b(config_json), _native.ON_DUPLICATE[on_duplicate], _b(metric or ""),
                                              ctypes.byref(skipped))
            if not handle and skipped.value:
                raise AlreadyTried(_lib.rl_last_error().decode())
            config = None   # logged by the start
        if not handle:
            raise RunlensError(_lib.rl_last_error().decode())
        self._h = handle
        self.experiment = _lib.rl_run_experiment(handle).decode() or experiment or "default"
        self.id = _lib.rl_run_id(handle).decode()
        self.name = _lib.rl_run_name(handle).decode()
        self.enabled = bool(_lib.rl_run_enabled(handle))
        self._finished = False
        self._dropped_warned = False
        self._key_cache = {}
        with _lock:
            _open_runs.add(self)
        # The library samples every 10 s unless told otherwise (the flag, or
        # $RUNLENS_SYSTEM_METRICS by the library's own rule): only another
        # interval, or True against the environment, needs a word.
        if system_metrics or (system_metrics is None and system_metrics_interval is not None
                              and _lib.rl_system_metrics_default()):
            self.set_system_metrics(10.0 if system_metrics_interval is None else system_metrics_interval)
        if sync and self.enabled and _lib.rl_run_sync(handle, _b(sync), round(float(sync_interval) * 1000)) != _native.RL_OK:
            print(f"runlens: {_lib.rl_run_last_error(handle).decode()}", file=sys.stderr)
        if self.enabled and environment:
            self._log_python_environment()
        if config:
            self.log_config(config)
        for key, value in (tags or {}).items():
            self.set_tag(key, value)
        if notes:
            self.set_notes(notes)
        if hypothesis:
            self.set_hypothesis(hypothesis)

    def set_system_metrics(self, interval):
        """Samples system metrics every `interval` seconds from now on; 0 or None stops."""
        interval = float(interval or 0)
        if interval < 0 or interval > 86400:
            raise RunlensError(f"a system metrics interval is 0 (off) to 86400 s, not {interval!r}")
        ms = 0 if interval == 0 else max(1, round(interval * 1000))   # 0.0005 s is 1 ms, not off
        self._check(_lib.rl_run_system_metrics(self._h, ms))

    # -- internals ---------------------------------------------------------
    def _check(self, rc):
        if rc != _native.RL_OK:
            raise RunlensError(_lib.rl_run_last_error(self._h).decode())

    def _check_point(self, rc):
        # A point dropped because the buffer is full must not stop training:
        # it is counted, recorded, warned about once, and flush() and finish()
        # raise. Anything else refused (a bad key) raises here.
        if rc == _native.RL_OK:
            return
        message = _lib.rl_run_last_error(self._h).decode()
        if rc != _native.RL_DROPPED:
            raise RunlensError(message)
        if not self._dropped_warned:
            self._dropped_warned = True
            warnings.warn(f"runlens: points are being dropped: {message}", RuntimeWarning, stacklevel=3)

    def _key(self, key):
        k = self._key_cache.get(key)
        if k is None:
            k = _b(key)
            if len(self._key_cache) < 10000:
                self._key_cache[key] = k
        return k

    def _log_python_environment(self):
        self.log_environment("python", sys.version.split()[0] + " (" + platform.python_implementation() + ")")
        self.log_environment("python.executable", sys.executable)
        for name, version in _installed_packages():
            self.log_environment("package." + name, version)

    # -- metrics -----------------------------------------------------------
    def log_metric(self, key, value, step=0, wall_time=None):
        if wall_time is None:
            rc = _lib.rl_log_metric(self._h, self._key(key), float(value), _step(step))
        else:
            rc = _lib.rl_log_metric_at(self._h, self._key(key), float(value), _step(step), float(wall_time))
        if rc:
            self._check_point(rc)

    def log(self, metrics, step=0):
        """Logs a dict of metrics at one step."""
        h, key = self._h, self._key
        step = _step(step)
        for k, v in metrics.items():
            rc = _lib.rl_log_metric(h, key(k), float(v), step)
            if rc:
                self._check_point(rc)

    @property
    def dropped_points(self):
        """Points dropped because the buffer was full."""
        return _lib.rl_run_dropped_points(self._h)

    # -- params and config -------------------------------------------------
    def log_param(self, key, value):
        k = _b(key)
        if isinstance(value, bool):
            rc = _lib.rl_log_param_bool(self._h, k, int(value))
        elif isinstance(value, int) and -2**63 <= value < 2**63:
            rc = _lib.rl_log_param_int(self._h, k, value)
        elif isinstance(value, float):
            rc = _lib.rl_log_param_float(self._h, k, value)
        elif isinstance(value, (dict, list, tuple)) or value is None:
            rc = _lib.rl_log_param_json(self._h, k, _b(json.dumps(value, default=str)))
        else:
            rc = _lib.rl_log_param_string(self._h, k, _b(str(value)))
        self._check(rc)
        return value

    def log_params(self, params):
        for k, v in params.items():
            self.log_param(k, v)

    def log_config(self, config, name=""):
        """A nested config: kept whole and flattened into dotted params."""
        if not isinstance(config, dict):
            raise RunlensError("a config must be a dict")
        self._check(_lib.rl_log_config(self._h, _b(name), _b(json.dumps(config, default=_json_default))))

    # -- metadata ----------------------------------------------------------
    def set_tag(self, key, value):
        self._check(_lib.rl_set_tag(self._h, _b(key), _b(str(value))))

    def set_notes(self, notes):
        self._check(_lib.rl_set_notes(self._h, _b(notes)))

    def set_hypothesis(self, hypothesis):
        self._check(_lib.rl_set_hypothesis(self._h, _b(hypothesis)))

    def log_data_version(self, name, version):
        self._check(_lib.rl_log_data_version(self._h, _b(name), _b(str(version))))

    def log_data_file(self, name, path):
        """Records a data file's version by content (sha256)."""
        self._check(_lib.rl_log_data_file(self._h, _b(name), _b(os.fspath(path))))

    def log_seed(self, seed, name="seed"):
        self._check(_lib.rl_log_seed(self._h, _b(name), int(seed)))

    def log_environment(self, key, value):
        self._check(_lib.rl_log_environment(self._h, _b(key), _b(str(value))))

    def log_artifact(self, local_path, artifact_dir=""):
        self._check(_lib.rl_log_artifact(self._h, _b(os.fspath(local_path)), _b(artifact_dir or "")))

    def log_artifact_uri(self, path, uri, size=-1, sha256=""):
        self._check(_lib.rl_log_artifact_uri(self._h, _b(path), _b(uri), int(size), _b(sha256)))

    # -- media -------------------------------------------------------------
    # Kept in the store (content-addressed: an image logged twice is stored
    # once) and shown side by side across runs in the app's Artifacts tab.
    # The call copies and returns; the library's writer thread encodes and
    # writes. `step`: for media logged again and again; None for a one-off.
    def log_image(self, key, image, step=None, caption=None):
        """A PNG/JPEG/GIF/WebP/BMP/SVG path or bytes, a NumPy array (H x W,
        H x W x 3, H x W x 4; uint8, or floats in [0, 1]), a PIL image or a
        matplotlib figure."""
        try:
            how, data = _media.image_input(image)
        except _media.MediaInputError as e:
            raise RunlensError(str(e)) from None
        step = _media_step(step)
        cap = _b(caption) if caption else None
        if how == "encoded":
            rc = _lib.rl_log_image(self._h, _b(key), data, len(data), step, cap)
        else:
            arr, height, width, channels = data
            rc = _lib.rl_log_image_pixels(self._h, _b(key), arr.ctypes.data, width, height, channels, 0, step, cap)
        self._check_point(rc)   # too many media waiting for the disk: dropped with a warning, training goes on

    def log_figure(self, figure, name, step=None):
        """A matplotlib figure: as PNG under `name` and as SVG under `name`.svg."""
        base = os.path.splitext(name)[0] if name.lower().endswith((".png", ".svg")) else name
        self.log_image(base, _media.figure_bytes(figure, "png"), step=step)
        self.log_image(base + ".svg", _media.figure_bytes(figure, "svg"), step=step)

    def log_table(self, name, data, step=None):
        """A DataFrame, a dict of columns, a list of dicts, or rows with a header row first; kept as CSV."""
        try:
            text = _b(_media.table_csv(data))
        except _media.MediaInputError as e:
            raise RunlensError(str(e)) from None
        self._check_point(_lib.rl_log_table(self._h, _b(name), text, len(text),
                                      _media_step(step)))

    def log_text(self, name, text, step=None, format=None):  # noqa: A002 - the C ABI's word
        """Text; `format` (json, yaml, md, py, ...) defaults to the name's extension."""
        data = _b(str(text))
        self._check_point(_lib.rl_log_text(self._h, _b(name), data, len(data), _b(_media.text_format(name, format)),
                                     _media_step(step)))

    def log_confusion_matrix(self, name, y_true, y_pred, labels=None, step=None):
        """Counts of each true label (rows) by predicted label (columns), as
        scikit-learn's confusion_matrix; labels default to every value seen."""
        try:
            names, counts = _media.confusion_counts(y_true, y_pred, labels)
        except _media.MediaInputError as e:
            raise RunlensError(str(e)) from None
        c_labels = (ctypes.c_char_p * len(names))(*[_b(n) for n in names])
        c_counts = (ctypes.c_int64 * len(counts))(*counts)
        self._check_point(_lib.rl_log_confusion_matrix(self._h, _b(name), c_labels, len(names), c_counts,
                                                 _media_step(step)))

    def already_tried(self):
        """Has this run's config run before in its store and experiment? For
        a config logged after init: writes what is buffered, then looks it up
        (one indexed query) and, when something is found, records it in the
        tag runlens.already_tried and says it once on stderr. Returns the
        record: {"finished": n, "exact": n, "running": n, "unfinished": n,
        "metric": ..., "mean": ..., "sd": ..., "n": ..., "text": ...}."""
        if not self.enabled:
            return {"finished": 0, "exact": 0, "running": 0, "unfinished": 0, "text": ""}
        text = _lib.rl_run_already_tried(self._h)
        if text is None:
            raise RunlensError(_lib.rl_last_error().decode())
        return json.loads(text.decode())

    # -- lifecycle ---------------------------------------------------------
    def flush(self):
        """Writes what is buffered and waits for it. Raises RunlensError when
        it is not all on disk (the store refused the write, or its file was
        deleted or replaced) or points were dropped since the last flush."""
        self._check(_lib.rl_flush(self._h))

    def finish(self, status="finished"):
        """Ends the run: status is finished, failed or killed. Raises
        RunlensError when something logged is not on disk or points were
        dropped during the run; the run is ended either way."""
        if self._finished:
            return
        code = _native.STATUS.get(str(status).lower())
        if code is None:
            raise RunlensError(f"unknown status {status!r}: use finished, failed or killed")
        self._finished = True
        with _lock:
            _open_runs.discard(self)
        self._check(_lib.rl_finish(self._h, code))

    @property
    def finished(self):
        return self._finished

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.finish("finished")   # raises if what was logged is not saved
            return False
        try:
            self.finish("killed" if issubclass(exc_type, KeyboardInterrupt) else "failed")
        except RunlensError as e:   # the block's own exception is the one to see
            print(f"runlens: {e}", file=sys.stderr)
        return False

    def __del__(self):
        h = getattr(self, "_h", None)
        if h:
            self._h = None
            _lib.rl_run_free(h)

    def __repr__(self):
        return f"<runlens.Run {self.name!r} id={self.id} store={self.store!r}>"


def _json_default(obj):
    if isinstance(obj, float) and not math.isfinite(obj):
        return str(obj)
    return str(obj)


def init(**kwargs):
    """Starts a run; see Run for the arguments."""
    return Run(**kwargs)


def _finish_open_runs():
    with _lock:
        runs = list(_open_runs)
    for run in runs:
        try:
            run.finish(_exit_status)
        except Exception as e:   # too late to raise: say it
            print(f"runlens: run {run.name}: {e}", file=sys.stderr)


_previous_hook = sys.excepthook


def _excepthook(exc_type, exc, tb):
    global _exit_status
    _exit_status = "killed" if issubclass(exc_type, KeyboardInterrupt) else "failed"
    _previous_hook(exc_type, exc, tb)


sys.excepthook = _excepthook
atexit.register(_finish_open_runs)


# The read side: every store Runlens opens, as data (reading.py). Last, since
# runlens.open is this module's name for it and must not shadow the builtin
# for the code above. The read library itself loads on the first open().
from .reading import open, plot, Store, StoreError, QueryError, RunNotFound  # noqa: E402,F401,A001
