# SPDX-License-Identifier: GPL-3.0-or-later
"""runlens.open(): every store kind read from Python through librunlens-read.so,
checked against what the CLI prints for the same store (issue 16).

Stores: a Runlens store logged by this test (different steps per run, NaN and
Inf, a derived metric, seeds, a run created after the store was opened), the
shared fixtures (MLflow file store and SQLite, TensorBoard), W&B's own sample
run, and Lightning CSV and DVCLive folders written here.

Needs PYTHONPATH=<build>/python and RUNLENS_BIN=<build>/bin/runlens (ctest sets both).
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

import runlens
from runlens import reading

RUNLENS = os.environ.get("RUNLENS_BIN", "runlens")
HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "fixtures"))
WANDB = os.path.join(HERE, "..", "fixtures", "wandb", "wandb")


def cli(*args, check=True):
    done = subprocess.run([RUNLENS, *args], capture_output=True, text=True, timeout=120)
    if check and done.returncode != 0:
        raise AssertionError(f"runlens {' '.join(args)}: {done.returncode}\n{done.stderr}")
    return done


def cli_json(*args):
    return json.loads(cli(*args, "--format", "json").stdout)


def log_store(path, script):
    """Runs a training script that logs into `path` with the Python logger."""
    body = f"import math, runlens\nSTORE = {path!r}\n" + textwrap.dedent(script)
    # Seeds of one config on purpose: the logger need not say it ran before.
    env = {**os.environ, "RUNLENS_ON_DUPLICATE": "ignore"}
    subprocess.run([sys.executable, "-c", body], check=True, timeout=120, env=env)


def json_value(v):
    """A value as the CLI's JSON writes it: NaN null, infinities "inf" / "-inf"."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


class Reading(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.store = os.path.join(cls.tmp.name, "lab.db")
        # Runs that log at different steps, NaN and Inf, nested config, seeds.
        log_store(cls.store, """
            for lr in (0.1, 0.01):
                for seed in (1, 2, 3):
                    with runlens.init(store=STORE, experiment="sweep", name=f"lr{lr}-s{seed}",
                                      config={"lr": lr, "seed": seed, "model": {"depth": 4, "act": "relu"}},
                                      git=False) as run:
                        every = 1 if lr == 0.1 else 7
                        for step in range(0, 500, every):
                            run.log({"train_loss": math.exp(-lr * step) + seed / 100,
                                     "val_loss": math.exp(-lr * step) + seed / 50}, step=step)
                        run.log({"val_acc": 0.8 + lr + seed / 1000}, step=500)
            with runlens.init(store=STORE, experiment="odd", name="nan-and-inf", git=False) as run:
                run.log({"loss": float("nan")}, step=0)
                run.log({"loss": float("inf")}, step=1)
                run.log({"loss": -0.0}, step=2)
                run.log({"loss": 2.5}, step=3)
            """)
        cli("derive", cls.store, "gap", "metrics.val_loss - metrics.train_loss")
        cls.lightning = os.path.join(cls.tmp.name, "lightning_logs")
        os.makedirs(os.path.join(cls.lightning, "version_0"))
        with open(os.path.join(cls.lightning, "version_0", "metrics.csv"), "w") as f:
            f.write("epoch,step,train_loss,val_loss\n0,0,1.0,\n0,1,0.8,\n0,1,,0.9\n1,2,0.5,\n1,3,0.4,0.6\n")
        with open(os.path.join(cls.lightning, "version_0", "hparams.yaml"), "w") as f:
            f.write("lr: 0.001\nbatch_size: 32\n")
        cls.dvclive = os.path.join(cls.tmp.name, "dvc")
        os.makedirs(os.path.join(cls.dvclive, "dvclive", "plots", "metrics"))
        with open(os.path.join(cls.dvclive, "dvclive", "plots", "metrics", "acc.tsv"), "w") as f:
            f.write("step\tacc\n0\t0.5\n1\t0.7\n2\t0.75\n")
        with open(os.path.join(cls.dvclive, "dvclive", "metrics.json"), "w") as f:
            f.write('{"step": 2, "acc": 0.75}')
        with open(os.path.join(cls.dvclive, "dvclive", "params.yaml"), "w") as f:
            f.write("epochs: 3\n")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def stores(self):
        found = {"runlens": self.store, "lightning": self.lightning, "dvclive": self.dvclive,
                 "wandb": WANDB,
                 "mlflow-file": os.path.join(SHARED, "mlflow-filestore-v1"),
                 "mlflow-sqlite": os.path.join(SHARED, "mlflow-sqlite", "mlflow.db"),
                 "mlflow-sqlite-failed": os.path.join(SHARED, "mlflow-sqlite", "mlflow-failed-runs.db"),
                 "tensorboard-strict": os.path.join(SHARED, "tensorboard", "strict"),
                 "tensorboard-lax": os.path.join(SHARED, "tensorboard", "lax")}
        for name, path in found.items():
            # The shared fixtures are test data, not an option: missing fails.
            self.assertTrue(os.path.exists(path), f"{name}: {path} is missing")
        return found

    # -- parity with the CLI on every store kind --------------------------------
    def test_runs_details_and_every_point_agree_with_the_cli_on_every_store_kind(self):
        kinds = set()
        for name, path in self.stores().items():
            with self.subTest(store=name), runlens.open(path) as store:
                kinds.add(store.kind)
                runs = store.runs()
                self.assertEqual([r.data for r in runs], cli_json("runs", path))
                self.assertGreater(len(runs), 0)
                for r in runs[:4]:
                    self.assertEqual(store.details(r), cli_json("show", path, r.id))
                    for key in sorted(r.metrics)[:3]:
                        series = store.series(r, key)
                        points = cli_json("metric", path, r.id, key)
                        self.assertEqual(len(series), len(points), f"{r.name} {key}")
                        self.assertEqual([int(s) for s in series.steps], [p["step"] for p in points])
                        self.assertEqual([json_value(float(v)) for v in series.values], [p["value"] for p in points])
                        self.assertEqual([float(t) for t in series.times], [p["timestamp"] for p in points])
        self.assertTrue({"runlens", "mlflow-file", "mlflow-sqlite", "tensorboard", "lightning", "dvclive",
                         "wandb"} <= kinds, kinds)

    def test_query_diff_and_seeds_are_the_clis(self):
        q = "params.lr = 0.1 order by metrics.val_acc desc"
        with runlens.open(self.store) as store:
            self.assertEqual([r.data for r in store.runs(q)], cli_json("runs", self.store, "--query", q))
            self.assertEqual([r.name for r in store.runs(q)], ["lr0.1-s3", "lr0.1-s2", "lr0.1-s1"])
            self.assertEqual(store.diff("lr0.1-s1", "lr0.01-s2"),
                             cli_json("diff", self.store, "lr0.1-s1", "lr0.01-s2"))
            seeds = store.seeds("val_acc")
            self.assertEqual(seeds, cli_json("seeds", self.store, "--metric", "val_acc"))
            self.assertEqual([g["n"] for g in seeds], [3, 3])
            self.assertIn("lr=0.1", seeds[0]["config"])

    def test_a_derived_metric_is_a_column_and_a_series(self):
        with runlens.open(self.store) as store:
            run = store.run("lr0.01-s1")
            self.assertIn("gap", run.metrics)
            gap = store.series(run, "gap")
            train, val = store.series(run, "train_loss"), store.series(run, "val_loss")
            self.assertEqual(list(gap.steps), list(train.steps))
            for g, t, v in zip(gap.values, train.values, val.values):
                self.assertAlmostEqual(g, v - t, places=12)

    def test_values_are_typed_nan_inf_and_minus_zero_survive(self):
        with runlens.open(self.store) as store:
            run = store.run("lr0.1-s2")
            self.assertEqual(run.params["lr"], 0.1)
            self.assertEqual(run.params["seed"], 2)
            self.assertEqual(run.params["model.act"], "relu")
            self.assertEqual(run.status, "finished")
            self.assertEqual(run.experiment, "sweep")
            self.assertEqual(run.metrics["val_acc"].count, 1)
            self.assertEqual(len(run.series("train_loss")), 500)
            self.assertEqual(len(store.run("lr0.01-s2").series("train_loss")), len(range(0, 500, 7)))
            odd = store.run("nan-and-inf").series("loss")
            values = list(odd.values)
            self.assertTrue(math.isnan(values[0]))
            self.assertEqual(values[1], math.inf)
            self.assertEqual(math.copysign(1, values[2]), -1.0)
            self.assertEqual(values[3], 2.5)
            summary = store.run("nan-and-inf").metrics["loss"]
            self.assertEqual(summary.last, 2.5)
            self.assertEqual(summary.max, math.inf)
            self.assertEqual(summary.mean, math.inf)   # NaN left out, +inf kept

    def test_decimated_series_keeps_a_spike_and_the_ends(self):
        path = os.path.join(self.tmp.name, "spike.db")
        log_store(path, """
            with runlens.init(store=STORE, experiment="e", name="long", git=False) as run:
                for step in range(200_000):
                    run.log({"loss": 1000.0 if step == 123_457 else math.sin(step / 1000)}, step=step)
            """)
        with runlens.open(path) as store:
            run = store.run("long")
            full = store.series(run, "loss")
            self.assertEqual(len(full), 200_000)
            drawn = store.series(run, "loss", width=300)
            self.assertTrue(drawn.decimated)
            self.assertLessEqual(len(drawn), 4 * 300 + 2)
            self.assertGreater(len(drawn), 300)
            self.assertEqual(max(drawn.values), 1000.0)
            self.assertEqual(drawn.steps[0], 0)
            self.assertEqual(drawn.steps[-1], 199_999)
            zoomed = store.series(run, "loss", width=100, x_range=(1000, 1050))
            self.assertEqual([int(x) for x in zoomed.steps][:3], [999, 1000, 1001])

    # -- a store that changes while Python reads it ----------------------------
    def test_a_run_created_after_the_store_was_opened_appears_on_refresh(self):
        path = os.path.join(self.tmp.name, "live.db")
        log_store(path, """
            with runlens.init(store=STORE, experiment="e", name="first", git=False) as run:
                run.log({"loss": 1.0}, step=0)
            """)
        store = runlens.open(path)
        before = store.runs()
        self.assertEqual([r.name for r in before], ["first"])
        log_store(path, """
            with runlens.init(store=STORE, experiment="e", name="second", git=False) as run:
                for step in range(10):
                    run.log({"loss": 1.0 / (step + 1)}, step=step)
            """)
        self.assertEqual(len(store), 1)  # a snapshot until refreshed
        self.assertEqual(store.refresh(), 2)
        second = store.run("second")
        self.assertEqual(second.metrics["loss"].count, 10)
        self.assertEqual(len(second.series("loss")), 10)
        self.assertEqual(before[0].name, "first")  # runs read before stay as they were
        store.close()
        with self.assertRaises(runlens.StoreError):
            store.runs()

    def test_a_store_being_written_reads_as_far_as_it_got(self):
        path = os.path.join(self.tmp.name, "writing.db")
        writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
            import runlens, sys, time
            run = runlens.init(store={path!r}, experiment="e", name="live", git=False, flush_interval=0.05)
            for step in range(100000):
                run.log({{"loss": 1.0 / (step + 1)}}, step=step)
                if step == 500:
                    run.flush()
                    print("flushed", flush=True)
                    sys.stdin.readline()
            run.finish()
            """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(writer.stdout.readline().strip(), "flushed")
            with runlens.open(path) as store:
                run = store.run("live")
                self.assertEqual(run.status, "running")
                n = len(run.series("loss"))
                self.assertGreaterEqual(n, 501)
                writer.stdin.write("\n")
                writer.stdin.flush()
                self.assertEqual(writer.wait(timeout=60), 0)
                store.refresh()
                done = store.run("live")
                self.assertEqual(done.status, "finished")
                self.assertEqual(len(done.series("loss")), 100000)
        finally:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
            writer.stdin.close()
            writer.stdout.close()

    # -- what the review found (helper-15) -----------------------------------------
    def test_a_metric_logged_once_decimates_and_plots(self):
        path = os.path.join(self.tmp.name, "once.db")
        log_store(path, """
            with runlens.init(store=STORE, experiment="e", name="once", git=False) as run:
                run.log({"test/acc": 0.91}, step=100)
            with runlens.init(store=STORE, experiment="e", name="parent", git=False) as run:
                run.log({"other": 1.0}, step=0)
            """)
        with runlens.open(path) as store:
            drawn = store.series("once", "test/acc", width=100)
            self.assertEqual([float(v) for v in drawn.values], [0.91])
            self.assertEqual([float(x) for x in drawn.steps], [100.0])
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
            fig, ax = plt.subplots()
            runlens.plot(store.runs(), "test/acc", ax=ax)  # "parent" never logged it: left out
            self.assertEqual(len(ax.lines), 1)
            plt.close(fig)
            with self.assertRaises(runlens.StoreError):
                store.series("once", "test/acc", width=10, x_range=(100, 0))

    def test_one_store_shared_by_threads_answers_each_its_own(self):
        from concurrent.futures import ThreadPoolExecutor
        with runlens.open(self.store) as store:
            runs = store.runs()
            expected = {r.id: store.details(r)["id"] for r in runs}

            def job(i):
                r = runs[i % len(runs)]
                if i % 7 == 0:
                    store.refresh()
                got = store.details(r)["id"]
                n = len(store.series(r, sorted(r.metrics)[0]))
                return r.id, got, n

            with ThreadPoolExecutor(4) as pool:
                results = list(pool.map(job, range(80)))
        for run_id, got, n in results:
            self.assertEqual(got, expected[run_id])
            self.assertGreater(n, 0)

    def test_query_positions_count_characters_and_errors_pickle(self):
        import pickle
        query = "name = '\U0001F680\U0001F680' and bogus!!"
        with runlens.open(self.store) as store:
            with self.assertRaises(runlens.QueryError) as caught:
                store.runs(query)
        e = caught.exception
        self.assertEqual(query[e.position], "!", (e.position, e.length))
        again = pickle.loads(pickle.dumps(e))
        self.assertEqual((str(again), again.position, again.query), (str(e), e.position, query))

    def test_seed_keys_as_one_string_and_a_relative_path_after_chdir(self):
        with runlens.open(self.store) as store:
            self.assertEqual(store.seeds("val_acc", seed_keys="seed"), store.seeds("val_acc", seed_keys=["seed"]))
            self.assertEqual([g["n"] for g in store.seeds("val_acc", seed_keys="seed")], [3, 3])
        here = os.getcwd()
        try:
            os.chdir(self.tmp.name)
            store = runlens.open(os.path.basename(self.store))
            os.chdir(os.path.dirname(self.tmp.name))
            self.assertEqual(len(store.series("lr0.1-s1", "train_loss")), 500)
            store.close()
        finally:
            os.chdir(here)

    def test_a_store_that_goes_away_is_a_store_error_not_a_missing_run(self):
        import shutil
        path = os.path.join(self.tmp.name, "gone.db")
        shutil.copy(self.store, path)
        with runlens.open(path) as store:
            os.remove(path)
            with self.assertRaises(runlens.StoreError) as caught:
                store.series("lr0.1-s1", "train_loss")
            self.assertNotIsInstance(caught.exception, runlens.RunNotFound)

    # -- errors -----------------------------------------------------------------
    def test_errors_are_exceptions_with_the_cores_message(self):
        with self.assertRaises(runlens.StoreError) as bad_path:
            runlens.open(os.path.join(self.tmp.name, "nowhere"))
        self.assertIn("nowhere", str(bad_path.exception))
        with self.assertRaises(runlens.StoreError) as scheme:
            runlens.open("postgresql://team@db/runs")
        self.assertIn("postgresql", str(scheme.exception))
        with self.assertRaises(runlens.StoreError):
            runlens.open(self.store, kind="no-such-kind")
        with runlens.open(self.store) as store:
            with self.assertRaises(runlens.QueryError) as bad_query:
                store.runs("params.lr < ")
            cli_error = cli("runs", self.store, "--query", "params.lr < ", check=False)
            self.assertEqual(cli_error.returncode, 5)
            self.assertIn(str(bad_query.exception), cli_error.stderr)
            self.assertEqual(bad_query.exception.position, len("params.lr < "))
            with self.assertRaises(runlens.RunNotFound) as missing:
                store.run("no-such-run")
            self.assertIn("no-such-run", str(missing.exception))
            with self.assertRaises(LookupError):
                store.series("lr0.1-s1", "no_such_metric")
            with self.assertRaises(runlens.RunNotFound) as metric:
                store.series("lr0.1-s1", "no_such_metric")
            self.assertIn("train_loss", str(metric.exception))  # says which it has
            with self.assertRaises(runlens.RunNotFound):
                store.seeds("no_such_metric")

    def test_urls_open_the_same_store(self):
        with runlens.open("file://" + self.store) as by_url, runlens.open(self.store) as by_path:
            self.assertEqual([r.data for r in by_url.runs()], [r.data for r in by_path.runs()])
        mlflow_db = os.path.join(SHARED, "mlflow-sqlite", "mlflow.db")
        with runlens.open("sqlite:///" + mlflow_db) as store:
            self.assertEqual(store.kind, "mlflow-sqlite")

    def test_reading_changes_no_file(self):
        def stamp(path):
            out = []
            for root, _, files in os.walk(path) if os.path.isdir(path) else [(os.path.dirname(path), [], [path])]:
                for f in sorted(files):
                    p = os.path.join(root, f)
                    with open(p, "rb") as fh:
                        out.append((p, fh.read()))
            return out
        mlflow_db = os.path.join(SHARED, "mlflow-sqlite", "mlflow.db")
        before = stamp(mlflow_db)
        with runlens.open(mlflow_db) as store:
            for r in store.runs():
                for key in r.metrics:
                    store.series(r, key)
        self.assertEqual(stamp(mlflow_db), before)

    # -- without NumPy, without pandas; notebooks ------------------------------
    def test_without_numpy_series_are_arrays(self):
        script = textwrap.dedent(f"""
            import sys, array
            sys.modules["numpy"] = None  # as if it were not installed
            import runlens
            with runlens.open({self.store!r}) as store:
                s = store.series("lr0.1-s1", "train_loss")
                assert isinstance(s.values, array.array) and s.values.typecode == "d", type(s.values)
                assert isinstance(s.steps, array.array) and s.steps.typecode == "q"
                assert len(s) == 500 and s.steps[499] == 499, (len(s), s.steps[-1])
                d = store.series("lr0.1-s1", "train_loss", width=50)
                assert isinstance(d.values, array.array) and len(d) <= 202
                print(s.values[0])
            """)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertAlmostEqual(float(done.stdout), 1.01)

    def test_numpy_arrays_when_numpy_is_installed(self):
        import numpy as np
        with runlens.open(self.store) as store:
            s = store.series("lr0.1-s1", "train_loss")
            self.assertIsInstance(s.values, np.ndarray)
            self.assertEqual(s.steps.dtype, np.int64)
            np.testing.assert_allclose(s.values, np.exp(-0.1 * np.arange(500)) + 0.01)

    def test_runs_frame(self):
        import pandas as pd
        with runlens.open(self.store) as store:
            frame = store.runs_frame("experiment = sweep order by metrics.val_acc desc")
            self.assertEqual(len(frame), 6)
            self.assertEqual(list(frame["name"][:1]), ["lr0.1-s3"])
            self.assertIn("params.lr", frame.columns)
            self.assertAlmostEqual(frame["metrics.val_acc"].iloc[0], 0.903)
            self.assertIn("metrics.train_loss.min", frame.columns)
            self.assertAlmostEqual(frame["metrics.val_acc.mean"].iloc[0], 0.903)   # one point: its value
            self.assertIn("metrics.gap", frame.columns)
            self.assertTrue(pd.api.types.is_datetime64_any_dtype(frame["start_time"]))
            empty = store.runs_frame("params.lr > 100")
            self.assertEqual(len(empty), 0)
            self.assertIn("name", empty.columns)
        script = textwrap.dedent(f"""
            import sys
            sys.modules["pandas"] = None
            import runlens
            with runlens.open({self.store!r}) as store:
                assert len(store.runs()) == 7
                try:
                    store.runs_frame()
                except ImportError as e:
                    print(e)
            """)
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("needs pandas", done.stdout)

    def test_html_for_notebooks_is_escaped(self):
        path = os.path.join(self.tmp.name, "html.db")
        log_store(path, """
            with runlens.init(store=STORE, experiment="<b>exp</b>", name="<script>alert(1)</script>",
                              config={"note": "a & b"}, git=False) as run:
                run.log({"loss": 1.0}, step=0)
            """)
        with runlens.open(path) as store:
            page = store._repr_html_()
            self.assertIn("&lt;script&gt;", page)
            self.assertNotIn("<script>", page)
            run_page = store.runs()[0]._repr_html_()
            self.assertIn("a &amp; b", run_page)
            self.assertNotIn("<script>", run_page)
            self.assertIn("1 runs", repr(store))

    def test_plot_draws_each_run_decimated(self):
        try:
            import matplotlib
        except ImportError:
            self.fail("matplotlib is missing: packaging/bootstrap.sh test installs python3-matplotlib")
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        with runlens.open(self.store) as store:
            runs = store.runs("params.lr = 0.1")
            fig, ax = plt.subplots()
            runlens.plot(runs, "train_loss", ax=ax, width=100)
            self.assertEqual(len(ax.lines), 3)
            self.assertLessEqual(len(ax.lines[0].get_xdata()), 402)
            self.assertEqual(ax.get_ylabel(), "train_loss")
            out = os.path.join(self.tmp.name, "plot.png")
            fig.savefig(out)
            self.assertGreater(os.path.getsize(out), 1000)
            plt.close(fig)


if __name__ == "__main__":
    unittest.main()
