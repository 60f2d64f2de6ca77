# SPDX-License-Identifier: MIT
"""Reading a Runlens store from Python, read-only. Internal.

Every read of the store's tables by the Python package is here, and only
here: when the logging library grows a C read ABI, this module moves onto it
and nothing else changes. It follows docs/store-format.md (schema version 2):
the file is opened with SQLite's mode=ro and never written; a store that does
not exist yet reads as empty; a newer schema is refused.
"""
import math
import os
import socket
import sqlite3
import struct
import time

SCHEMA_VERSION = 2
_MIN_STALE_MS = 30_000
_STALE_INTERVALS = 10


class StoreReadError(Exception):
    pass


class Store:
    """A store opened for reading. Cheap: open one per question."""

    def __init__(self, path):
        self.path = os.fspath(path)
        self.db = None
        if not os.path.exists(self.path):
            return
        uri = "file:" + _quote_path(os.path.abspath(self.path)) + "?mode=ro"
        try:
            self.db = sqlite3.connect(uri, uri=True, timeout=10)
            self.db.row_factory = sqlite3.Row
            row = self.db.execute("SELECT value FROM store_meta WHERE key='schema_version'").fetchone()
        except sqlite3.Error as e:
            raise StoreReadError(f"'{self.path}' cannot be read as a Runlens store: {e}") from None
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreReadError(f"'{self.path}' was written by a newer Runlens (store schema {version}); "
                                 f"this package reads schema {SCHEMA_VERSION}. Upgrade Runlens.")

    def close(self):
        if self.db is not None:
            self.db.close()
            self.db = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # -- experiments -------------------------------------------------------
    def experiments(self):
        """[{id, name, created_at}] in creation order."""
        if self.db is None:
            return []
        return [dict(r) for r in self.db.execute("SELECT id, name, created_at FROM experiments ORDER BY id")]

    # -- runs --------------------------------------------------------------
    def runs(self, run_ids=None, experiments=None):
        """Every run (or those with these ids / in these experiment names), each a dict:
        id, name, experiment, status (crashed when its process is gone), start_time,
        end_time, parent_id, notes, params {key: (type, text)}, tags {key: text},
        metrics {key: {last, min, max, count, last_step, last_time}},
        data_versions {name: version}."""
        if self.db is None:
            return []
        where, args = [], []
        if run_ids is not None:
            run_ids = list(run_ids)
            if not run_ids:
                return []
            where.append("r.id IN (%s)" % ",".join("?" * len(run_ids)))
            args += run_ids
        if experiments is not None:
            experiments = list(experiments)
            if not experiments:
                return []
            where.append("e.name IN (%s)" % ",".join("?" * len(experiments)))
            args += experiments
        sql = ("SELECT r.id, r.name, e.name AS experiment, r.status, r.start_time, r.end_time, r.heartbeat, "
               "r.heartbeat_interval_ms, r.host, r.pid, r.parent_id, r.notes FROM runs r "
               "JOIN experiments e ON e.id = r.experiment_id")
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY r.start_time DESC, r.id"
        runs = {}
        now = int(time.time() * 1000)
        host = socket.gethostname()
        for r in self.db.execute(sql, args):
            run = {k: r[k] for k in ("id", "name", "experiment", "status", "start_time", "end_time", "parent_id",
                                     "notes")}
            if r["status"] == "running" and not _alive(r, now, host):
                run["status"] = "crashed"
            run.update(params={}, tags={}, metrics={}, data_versions={})
            runs[r["id"]] = run
        if not runs:
            return []
        ids = list(runs)
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT run_id, key, type, value FROM params WHERE run_id IN ({marks})", chunk):
                runs[r[0]]["params"][r[1]] = (r[2], r[3])
            for r in self.db.execute(f"SELECT run_id, key, value FROM tags WHERE run_id IN ({marks})", chunk):
                runs[r[0]]["tags"][r[1]] = r[2]
            for r in self.db.execute(f"SELECT run_id, name, version FROM data_versions WHERE run_id IN ({marks})",
                                     chunk):
                runs[r[0]]["data_versions"][r[1]] = r[2]
            for r in self.db.execute(
                    "SELECT run_id, key, count, last_step, last_value, last_time, min_value, max_value FROM metrics "
                    f"WHERE run_id IN ({marks}) AND count > 0", chunk):
                runs[r[0]]["metrics"][r[1]] = {
                    "last": r[4] if r[4] is not None else math.nan, "count": r[2], "last_step": r[3],
                    "last_time": r[5], "min": r[6] if r[6] is not None else math.nan,
                    "max": r[7] if r[7] is not None else math.nan}
        return list(runs.values())

    def run(self, run_id):
        found = self.runs(run_ids=[run_id])
        return found[0] if found else None

    def run_ids_by_prefix(self, prefix):
        if self.db is None:
            return []
        return [r[0] for r in self.db.execute("SELECT id FROM runs WHERE substr(id, 1, ?) = ?", (len(prefix), prefix))]

    # -- points ------------------------------------------------------------
    def metric_history(self, run_id, key):
        """[(step, wall time in s, value)] in the order they were logged."""
        if self.db is None:
            return []
        points = []
        for (blob,) in self.db.execute(
                "SELECT c.points FROM metric_chunks c JOIN metrics m ON m.id = c.metric_id "
                "WHERE m.run_id = ? AND m.key = ? ORDER BY c.seq", (run_id, key)):
            points += decode_chunk(bytes(blob))
        return points

    # -- artifacts ---------------------------------------------------------
    def artifacts(self, run_id):
        """[{path, uri, size, sha256}] sorted by path."""
        if self.db is None:
            return []
        return [dict(r) for r in self.db.execute(
            "SELECT path, uri, size, sha256 FROM artifacts WHERE run_id = ? ORDER BY path", (run_id,))]


def _quote_path(path):
    return path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def _chunks(items, n):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _alive(row, now, host):
    stale_after = max(_MIN_STALE_MS, (row["heartbeat_interval_ms"] or 0) * _STALE_INTERVALS)
    if now - (row["heartbeat"] or 0) > stale_after:
        return False
    if row["host"] and row["host"] == host and (row["pid"] or 0) > 0:
        try:
            os.kill(int(row["pid"]), 0)
        except ProcessLookupError:
            return False
        except OSError:
            pass
    return True


_MAGIC_V2 = 0x32434C52


def decode_chunk(blob):
    """A metric chunk's points as (step, wall, value); docs/store-format.md.
    A damaged chunk reads as no points."""
    if len(blob) < 4:
        return []
    (first,) = struct.unpack_from("<I", blob, 0)
    if first == _MAGIC_V2:
        if len(blob) < 8:
            return []
        (count,) = struct.unpack_from("<I", blob, 4)
        head = 8 + 16 * count
        if len(blob) < head:
            return []
        walls = struct.unpack_from(f"<{count}d", blob, 8)
        values = struct.unpack_from(f"<{count}d", blob, 8 + 8 * count)
        steps, pos, prev = [], head, 0
        for _ in range(count):
            shift, raw = 0, 0
            while True:
                if pos >= len(blob) or shift > 63:
                    return []
                b = blob[pos]
                pos += 1
                raw |= (b & 0x7F) << shift
                shift += 7
                if not b & 0x80:
                    break
            delta = (raw >> 1) ^ -(raw & 1)
            prev = (prev + delta + 2**63) % 2**64 - 2**63
            steps.append(prev)
        if pos != len(blob):
            return []
        return list(zip(steps, walls, values))
    count = first
    if len(blob) != 4 + 24 * count:
        return []
    steps = struct.unpack_from(f"<{count}q", blob, 4)
    walls = struct.unpack_from(f"<{count}d", blob, 4 + 8 * count)
    values = struct.unpack_from(f"<{count}d", blob, 4 + 16 * count)
    return list(zip(steps, walls, values))
