# SPDX-License-Identifier: GPL-3.0-or-later
"""The alternative bench_foreign_stores times Runlens against: the run table
of an MLflow mlruns folder or a TensorBoard logdir, read the way those
tools' own Python readers do it, into the same summaries Runlens keeps
(params, tags, and per metric: count, last, min, max).

- mlruns: as MLflow's FileStore does for search_runs: meta.yaml through
  PyYAML (with libyaml when present, MLflow's choice), one file a param and
  tag, every metric file's lines split and the latest (step, timestamp) kept.
- logdir: as TensorBoard's event loader does: TFRecord frames (CRCs not
  checked, which flatters this side), each Event parsed by python3-protobuf
  (its C++ implementation in Debian), scalar summary values kept.

Usage: foreign_store_baseline.py mlruns|logdir PATH
Prints "runs N" on success; exits 2 with a reason when a module is missing.
"""
import math
import os
import struct
import sys


def mlruns(root):
    try:
        import yaml
    except ImportError:
        print("PyYAML missing (apt-get install python3-yaml)")
        sys.exit(2)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    runs = {}
    for experiment in os.scandir(root):
        if not experiment.is_dir():
            continue
        for run in os.scandir(experiment.path):
            meta = os.path.join(run.path, "meta.yaml")
            if not run.is_dir() or not os.path.exists(meta):
                continue
            with open(meta) as f:
                info = yaml.load(f, Loader=loader)
            record = {"info": info, "params": {}, "tags": {}, "metrics": {}}
            for kind in ("params", "tags"):
                folder = os.path.join(run.path, kind)
                if os.path.isdir(folder):
                    for entry in os.scandir(folder):
                        with open(entry.path) as f:
                            record[kind][entry.name] = f.read()
            folder = os.path.join(run.path, "metrics")
            if os.path.isdir(folder):
                for entry in os.scandir(folder):
                    latest, lo, hi, count = None, math.inf, -math.inf, 0
                    with open(entry.path) as f:
                        for line in f:
                            ts, value, step = line.split()
                            value, key = float(value), (int(step), int(ts))
                            count += 1
                            lo, hi = min(lo, value), max(hi, value)
                            if latest is None or key >= latest[0]:
                                latest = (key, value)
                    record["metrics"][entry.name] = (count, latest[1] if latest else None, lo, hi)
            runs[run.name] = record
    return len(runs)


def event_class():
    try:
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    except ImportError:
        print("python3-protobuf missing (apt-get install python3-protobuf)")
        sys.exit(2)
    # The fields of tensorboard/compat/proto/event.proto and summary.proto
    # that a scalar event uses.
    f = descriptor_pb2.FileDescriptorProto(name="bench_event.proto", package="bench")
    value = f.message_type.add(name="Value")
    value.field.add(name="tag", number=1, type=9, label=1)
    value.field.add(name="simple_value", number=2, type=2, label=1)
    summary = f.message_type.add(name="Summary")
    summary.field.add(name="value", number=1, type=11, label=3, type_name=".bench.Value")
    event = f.message_type.add(name="Event")
    event.field.add(name="wall_time", number=1, type=1, label=1)
    event.field.add(name="step", number=2, type=3, label=1)
    event.field.add(name="file_version", number=3, type=9, label=1)
    event.field.add(name="summary", number=5, type=11, label=1, type_name=".bench.Summary")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    return message_factory.MessageFactory(pool).GetPrototype(pool.FindMessageTypeByName("bench.Event"))


def logdir(root):
    Event = event_class()
    runs = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if "tfevents" not in name:
                continue
            tags = runs.setdefault(os.path.relpath(folder, root), {})
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            at = 0
            while at + 12 <= len(data):
                (length,) = struct.unpack_from("<Q", data, at)
                start = at + 12
                if start + length + 4 > len(data):
                    break
                event = Event.FromString(data[start:start + length])
                at = start + length + 4
                for v in event.summary.value:
                    s = tags.get(v.tag)
                    x = v.simple_value
                    if s is None:
                        tags[v.tag] = [1, x, x, x, event.step]
                    else:
                        s[0] += 1
                        s[2], s[3] = min(s[2], x), max(s[3], x)
                        if event.step >= s[4]:
                            s[1], s[4] = x, event.step
    return len(runs)


if __name__ == "__main__":
    kind, path = sys.argv[1], sys.argv[2]
    print("runs", mlruns(path) if kind == "mlruns" else logdir(path))
