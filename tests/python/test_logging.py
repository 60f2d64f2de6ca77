# SPDX-License-Identifier: GPL-3.0-or-later
"""The Python package and the MLflow drop-in, end to end: a script logs in a
child process, `runlens runs --format json` / `show --format json` read it back.

Needs PYTHONPATH=<build>/python and RUNLENS_BIN=<build>/bin/runlens (ctest sets both).
"""
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

RUNLENS = os.environ.get("RUNLENS_BIN", "runlens")


class LoggingEndToEnd(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.store = os.path.join(self.tmp.name, "py.db")

    def tearDown(self):
        self.tmp.cleanup()

    def script(self, body, env=None, expect_rc=0):
        full_env = dict(os.environ)
        full_env.pop("RUNLENS_SYNC", None)   # a developer's own team store is no place for test runs
        full_env.update(env or {})
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(body)], cwd=self.tmp.name, env=full_env,
                              capture_output=True, text=True, timeout=120)
        if expect_rc is None:
            self.assertNotEqual(proc.returncode, 0, proc.stderr)
        else:
            self.assertEqual(proc.returncode, expect_rc, proc.stderr)
        return proc

    def cli(self, *args):
        proc = subprocess.run([RUNLENS, *args], capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc.stdout

    def runs(self):
        return {r["name"]: r for r in json.loads(self.cli("runs", self.store, "--format", "json"))}

    def show(self, run):
        return json.loads(self.cli("show", self.store, run, "--format", "json"))

    def test_mlflow_script_runs_unchanged_but_for_its_import(self):
        out = self.script(f"""
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            assert mlflow.get_tracking_uri() == {self.store!r}
            exp = mlflow.set_experiment("py-exp")
            with mlflow.start_run(run_name="mlp", tags={{"team": "vision"}}, description="baseline MLP") as run:
                assert mlflow.active_run().info.run_id == run.info.run_id
                mlflow.log_param("lr", 0.01)
                mlflow.log_params({{"layers": 3, "act": "relu", "amp": True}})
                for step in range(100):
                    mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
                mlflow.log_metrics({{"acc": 0.9, "f1": 0.8}}, step=99)
                mlflow.log_metric("weird", float("nan"), step=1)
                mlflow.set_tag("stage", "dev")
                mlflow.set_tags({{"owner": "ada", "n": 3}})
                mlflow.log_dict({{"optimizer": {{"name": "adam"}}}}, "cfg/config.json")
                mlflow.log_text("hello", "notes.txt")
                os_dir = __import__("tempfile").mkdtemp()
                open(os_dir + "/a.txt", "w").write("a")
                __import__("os").makedirs(os_dir + "/sub")
                open(os_dir + "/sub/b.txt", "w").write("bb")
                mlflow.log_artifacts(os_dir, "bundle")
                with mlflow.start_run(run_name="child", nested=True) as child:
                    mlflow.log_metric("x", 1.0)
                assert mlflow.active_run().info.run_id == run.info.run_id
                print(run.info.run_id, run.info.run_name, child.info.run_id)
            assert mlflow.active_run() is None
            """)
        run_id, run_name, child_id = out.stdout.split()
        self.assertEqual(run_name, "mlp")
        runs = self.runs()
        self.assertEqual(set(runs), {"mlp", "child"})
        mlp = runs["mlp"]
        self.assertEqual(mlp["id"], run_id)
        self.assertEqual(mlp["experiment"], "py-exp")
        self.assertEqual(mlp["status"], "finished")
        self.assertEqual(mlp["params"], {"lr": 0.01, "layers": 3, "act": "relu", "amp": True})
        self.assertEqual(mlp["tags"], {"team": "vision", "stage": "dev", "owner": "ada", "n": "3"})
        self.assertEqual(mlp["metrics"]["loss"]["count"], 100)
        self.assertAlmostEqual(mlp["metrics"]["loss"]["last"], 0.01)
        self.assertEqual(mlp["metrics"]["loss"]["max"], 1.0)
        self.assertEqual(mlp["metrics"]["loss"]["last_step"], 99)
        self.assertEqual(mlp["metrics"]["acc"]["last"], 0.9)
        self.assertIsNone(mlp["metrics"]["weird"]["last"])   # NaN kept, shown as null
        self.assertEqual(runs["child"]["parent_id"], run_id)
        self.assertEqual(runs["child"]["id"], child_id)

        details = self.show(run_id)
        self.assertEqual(details["notes"], "baseline MLP")
        paths = {a["path"]: a for a in details["artifacts"]}
        self.assertEqual(set(paths), {"cfg/config.json", "notes.txt", "bundle/a.txt", "bundle/sub/b.txt"})
        self.assertEqual(paths["notes.txt"]["size"], 5)
        self.assertEqual(paths["notes.txt"]["sha256"],
                         "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        self.assertIn("python", details["environment"])
        points = self.cli("metric", self.store, run_id, "loss").splitlines()
        self.assertEqual(points[0], "step,timestamp,value")
        self.assertEqual(len(points), 101)
        self.assertEqual(points[3].split(",")[0], "2")
        self.assertAlmostEqual(float(points[3].split(",")[2]), 1 / 3)

    def test_uncaught_exception_marks_the_run_failed(self):
        self.script(f"""
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            mlflow.start_run(run_name="boom")
            mlflow.log_metric("loss", 1.0)
            raise RuntimeError("diverged")
            """, expect_rc=1)
        self.assertEqual(self.runs()["boom"]["status"], "failed")

    def test_ctrl_c_marks_the_run_killed(self):
        self.script(f"""
            import runlens
            run = runlens.init(store={self.store!r}, name="interrupted")
            run.log({{"loss": 1.0}}, step=0)
            raise KeyboardInterrupt
            """, expect_rc=None)   # Python ends by re-raising SIGINT
        self.assertEqual(self.runs()["interrupted"]["status"], "killed")

    def test_with_block_failure_and_context(self):
        self.script(f"""
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri("sqlite:///" + {self.store!r})   # SQLAlchemy form, absolute path
            try:
                with mlflow.start_run(run_name="inner-fail"):
                    raise ValueError("bad batch")
            except ValueError:
                pass
            with mlflow.start_run(run_name="ok"):
                pass
            """)
        runs = self.runs()
        self.assertEqual(runs["inner-fail"]["status"], "failed")
        self.assertEqual(runs["ok"]["status"], "finished")

    def test_native_api_config_seeds_and_store_from_environment(self):
        self.script("""
            import math, runlens
            with runlens.init(experiment="native", name="cfg", hypothesis="depth helps",
                              config={"model": {"depth": 4, "widths": [64, 32]}, "lr": 3e-4}) as run:
                run.log_seed(1234)
                run.log_data_version("train", "v3")
                for i in range(10):
                    run.log({"loss": 1.0 / (i + 1), "lr_now": 3e-4}, step=i)
                run.log_metric("inf", math.inf, step=0)
            """, env={"RUNLENS_STORE": self.store})
        run = self.runs()["cfg"]
        self.assertEqual(run["params"]["model.depth"], 4)
        self.assertEqual(run["params"]["model.widths"], [64, 32])
        self.assertEqual(run["params"]["lr"], 3e-4)
        self.assertEqual(run["metrics"]["loss"]["count"], 10)
        self.assertEqual(run["metrics"]["inf"]["last"], "inf")
        details = self.show("cfg")
        self.assertEqual(details["hypothesis"], "depth helps")
        self.assertEqual(details["environment"]["seed.seed"], "1234")
        self.assertEqual(details["data_versions"], {"train": "v3"})
        self.assertEqual(details["configs"]["config"]["model"]["depth"], 4)

    def test_mlflow_run_resumes_by_run_id(self):
        # A job checkpoints and dies; its restart passes the run id back to start_run.
        out = self.script(f"""
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            mlflow.set_experiment("long")
            with mlflow.start_run(run_name="job") as run:
                mlflow.log_param("lr", 0.1)
                for step in range(100):
                    mlflow.log_metric("loss", 100 - step, step=step)
                print(run.info.run_id)
            """)
        run_id = out.stdout.strip()
        self.script(f"""
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            with mlflow.start_run(run_id={run_id!r}) as run:
                assert run.info.run_id == {run_id!r}
                assert run.info.run_name == "job", run.info.run_name
                assert run.info.experiment_id == "long", run.info.experiment_id
                for step in range(100, 200):
                    mlflow.log_metric("loss", 200 - step, step=step)
            try:
                mlflow.start_run(run_id="no-such-run")
            except mlflow.MlflowException as e:
                assert "there is no run" in str(e), e
            else:
                raise AssertionError("resumed a run that does not exist")
            """)
        runs = self.runs()
        self.assertEqual(len(runs), 1)
        job = runs["job"]
        self.assertEqual(job["status"], "finished")
        self.assertEqual(job["params"]["lr"], 0.1)
        self.assertEqual(job["metrics"]["loss"]["count"], 200)
        self.assertEqual(job["metrics"]["loss"]["last"], 1)

    def test_every_run_of_a_sweep_records_the_packages(self):
        # The package list is read once a process; each run still records it. The test
        # makes the distribution it expects (a fresh Python has no third-party ones).
        site = os.path.join(self.tmp.name, "site")
        dist_info = os.path.join(site, "runlens_probe_dist-1.2.3.dist-info")
        os.makedirs(dist_info)
        with open(os.path.join(dist_info, "METADATA"), "w") as f:
            f.write("Metadata-Version: 2.1\nName: runlens-probe-dist\nVersion: 1.2.3\n")
        self.script("""
            import runlens
            for i in range(3):
                with runlens.init(experiment="sweep", name=f"s{i}") as run:
                    run.log({"loss": 1.0}, step=0)
            """, env={"RUNLENS_STORE": self.store,
                      "PYTHONPATH": os.pathsep.join([site, os.environ.get("PYTHONPATH", "")])})
        packages = []
        for i in range(3):
            env = self.show(f"s{i}")["environment"]
            packages.append({k: v for k, v in env.items() if k.startswith("package.")})
        self.assertEqual(packages[0].get("package.runlens-probe-dist"), "1.2.3")
        self.assertEqual(packages[0], packages[1])
        self.assertEqual(packages[0], packages[2])

    def test_what_would_be_stored_wrong_is_refused(self):
        # A NUL would end the key early ("a\0b" merged into "a"), a lone
        # surrogate would be stored as invalid UTF-8, 2**63 would wrap to -2**63.
        out = self.script(f"""
            import runlens
            with runlens.init(store={self.store!r}, name="strict") as run:
                run.log_metric("a", 1.0, step=0)
                for attempt in (lambda: run.log_metric("a\\0b", 2.0, step=1),
                                lambda: run.log_metric("\\ud800", 2.0, step=1),
                                lambda: run.log_metric("a", 2.0, step=2**63),
                                lambda: run.log({{"a": 2.0}}, step=-2**63 - 1),
                                lambda: run.log_param("p", "x\\0y"),
                                lambda: run.set_tag("t\\ud800", "v")):
                    try:
                        attempt()
                        print("accepted")
                    except runlens.RunlensError as e:
                        print("refused:", e)
                run.log_metric("a", 3.0, step=2**63 - 1)  # the largest step is fine
            """)
        lines = out.stdout.splitlines()
        self.assertEqual(len(lines), 6, out.stdout)
        self.assertTrue(all(line.startswith("refused:") for line in lines), out.stdout)
        points = json.loads(self.cli("metric", self.store, "strict", "a", "--format", "json"))
        self.assertEqual([p["step"] for p in points], [0, 2**63 - 1])
        self.assertEqual([p["value"] for p in points], [1.0, 3.0])

    def test_a_config_nested_without_end_is_refused_not_fatal(self):
        # 50,000 levels (300 KB, under the size cap) once overflowed the stack
        # of the training process in the flattener; through the C ABI as any
        # binding would pass it.
        out = self.script(f"""
            import runlens
            from runlens import _native
            with runlens.init(store={self.store!r}, name="deep") as run:
                deep = b'{{"a":' * 50000 + b'1' + b'}}' * 50000
                print("config", _native.lib.rl_log_config(run._h, b"cfg", deep) != _native.RL_OK)
                print("param", _native.lib.rl_log_param_json(run._h, b"p", b'[' * 50000 + b']' * 50000) != _native.RL_OK)
                print(_native.lib.rl_run_last_error(run._h).decode())
                run.log_config({{"ok": {{"depth": 2}}}})
            print("alive")
            """)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[:2], ["config True", "param True"], out.stdout)
        self.assertIn("nests deeper than 64 levels", lines[2])
        self.assertEqual(lines[-1], "alive")
        self.assertEqual(self.show("deep")["params"]["ok.depth"], 2)  # a sane config still lands

    def test_only_rank_zero_logs(self):
        self.script(f"""
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            with mlflow.start_run(run_name="rank1"):
                mlflow.log_metric("loss", 1.0)
            """, env={"RANK": "1"})
        self.script(f"""
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            with mlflow.start_run(run_name="rank0"):
                mlflow.log_metric("loss", 1.0)
            """, env={"RANK": "0", "LOCAL_RANK": "0"})
        self.assertEqual(set(self.runs()), {"rank0"})

    def test_a_deleted_store_raises_instead_of_claiming_the_write(self):
        # `rm` of the store while training: flush() and finish() raise with
        # the reason; they used to return as if everything was saved.
        out = self.script(f"""
            import os, runlens
            run = runlens.init(store={self.store!r}, name="gone", flush_interval=0.05, git=False)
            run.log({{"loss": 1.0}}, step=0)
            run.flush()
            os.remove({self.store!r})
            run.log({{"loss": 2.0}}, step=1)
            for what in (run.flush, run.finish):
                try:
                    what()
                    print(what.__name__, "claimed success")
                except runlens.RunlensError as e:
                    print(what.__name__, "raised:", e)
            """)
        lines = out.stdout.splitlines()
        self.assertEqual(len(lines), 2, out.stdout)
        self.assertTrue(lines[0].startswith("flush raised:"), out.stdout)
        self.assertTrue(lines[1].startswith("finish raised:"), out.stdout)
        self.assertIn("was deleted while the run was logging", lines[0])
        self.assertIn("was deleted while the run was logging", lines[1])

    def test_a_with_block_on_a_deleted_store_ends_in_an_error(self):
        proc = self.script(f"""
            import os, runlens
            with runlens.init(store={self.store!r}, name="gone", git=False) as run:
                run.log({{"loss": 1.0}}, step=0)
                run.flush()
                os.remove({self.store!r})
                run.log({{"loss": 2.0}}, step=1)
            """, expect_rc=1)
        self.assertIn("RunlensError", proc.stderr)
        self.assertIn("was deleted while the run was logging", proc.stderr)

    def test_a_full_buffer_drops_counts_and_warns_without_stopping_training(self):
        # The buffer is bounded (max_buffered_points); with the store gone
        # nothing drains it, so points beyond it are dropped and counted, and
        # logging goes on (a warning, not an exception, in the training loop).
        out = self.script(f"""
            import os, warnings, runlens
            warnings.simplefilter("always")
            run = runlens.init(store={self.store!r}, name="bounded", git=False, max_buffered_points=100)
            run.flush()
            os.remove({self.store!r})
            try:
                run.flush()
            except runlens.RunlensError:
                pass
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for step in range(500):
                    run.log({{"loss": 1.0}}, step=step)
            print("dropped", run.dropped_points)
            print("warnings", len(caught), caught[0].message if caught else "")
            for policy in ("block", "wait"):
                try:
                    runlens.init(store={self.store!r} + "2", git=False, when_buffer_full=policy).finish()
                    print(policy, "accepted")
                except runlens.RunlensError as e:
                    print(policy, "refused:", e)
            """)
        lines = out.stdout.splitlines()
        self.assertEqual(lines[0], "dropped 400", out.stdout)
        self.assertTrue(lines[1].startswith("warnings 1 "), out.stdout)
        self.assertIn("dropped", lines[1])
        self.assertEqual(lines[2], "block accepted", out.stdout)
        self.assertTrue(lines[3].startswith("wait refused:"), out.stdout)

    def test_refusals_raise_clear_errors(self):
        proc = self.script(f"""
            import runlens, runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            mlflow.start_run(run_name="first")
            try:
                mlflow.start_run(run_name="second")
            except mlflow.MlflowException as e:
                print("nested:", e)
            try:
                mlflow.log_metric("", 1.0)
            except runlens.RunlensError as e:
                print("key:", e)
            try:
                mlflow.log_param("x" * 300, 1)
            except runlens.RunlensError as e:
                print("long:", e)
            mlflow.end_run()
            try:
                runlens.init(store={self.tmp.name!r} + "/missing-dir/x.db")
            except runlens.RunlensError as e:
                print("store:", e)
            """)
        self.assertIn("nested: Run with UUID", proc.stdout)
        self.assertIn("key: metric name is empty", proc.stdout)
        self.assertIn("long: param name is longer than 250 bytes", proc.stdout)
        self.assertIn("store: cannot open", proc.stdout)
        self.assertEqual(set(self.runs()), {"first"})

    def test_sync_starts_a_push_beside_training_as_told(self):
        # A stand-in for the runlens command, recording how the logger ran it.
        record = os.path.join(self.tmp.name, "push-calls")
        fake = os.path.join(self.tmp.name, "fake-runlens")
        with open(fake, "w") as f:
            # One line a call, in one write: two stand-ins run at once.
            f.write(f"#!/bin/sh\nline=$(printf '%s|' \"$@\")\necho \"$line sync=$RUNLENS_SYNC\" >> {record}\n")
        os.chmod(fake, 0o755)
        env = {"RUNLENS_BIN": fake, "RUNLENS_SYNC": "postgresql://team@db.lab/env"}
        proc = self.script(f"""
            import runlens, time
            a = runlens.init(store={self.store!r}, name="from-env", git=False, sync_interval=0.5)
            b = runlens.init(store={self.store!r}, name="told", git=False, sync="postgresql://team:pw@db.lab/told")
            c = runlens.init(store={self.store!r}, name="off", git=False, sync=False)
            for run in (a, b, c):
                run.log({{"loss": 1.0}}, step=0)
                run.finish()
            print(a.id, b.id)
            """, env=env)
        ids = proc.stdout.split()
        calls = []
        for _ in range(100):   # the stand-in runs beside, and may write after the script ended
            if os.path.exists(record):
                with open(record) as f:
                    calls = f.read().splitlines()
            if len(calls) >= 2:
                break
            time.sleep(0.1)
        time.sleep(0.3)   # a third call, were there one, would be in by now
        with open(record) as f:
            calls = f.read().splitlines()
        self.assertEqual(len(calls), 2, calls)
        by_run = {line.split("--run|")[1].split("|")[0]: line for line in calls}
        self.assertRegex(by_run[ids[0]], rf"^push\|{re.escape(self.store)}\|--watch\|--interval\|0\.5\|--run\|{ids[0]}"
                                         rf"\|--logger-pid\|[0-9]+\| sync=postgresql://team@db\.lab/env$")
        # The URL given replaces $RUNLENS_SYNC's, and its password is in the
        # environment only, not the command line.
        self.assertRegex(by_run[ids[1]], rf"^push\|{re.escape(self.store)}\|--watch\|--interval\|5\|--run\|{ids[1]}"
                                         rf"\|--logger-pid\|[0-9]+\| sync=postgresql://team:pw@db\.lab/told$")
        self.assertEqual(set(self.runs()), {"from-env", "told", "off"})

    def test_a_sync_that_cannot_start_is_said_and_the_run_logs_on(self):
        proc = self.script(f"""
            import runlens
            with runlens.init(store={self.store!r}, name="alone", git=False, sync="postgresql://team@db.lab/x") as run:
                run.log({{"loss": 0.5}}, step=3)
            """, env={"RUNLENS_BIN": os.path.join(self.tmp.name, "missing")})
        self.assertIn("cannot start", proc.stderr)
        self.assertIn("runlens push", proc.stderr)
        self.assertEqual(set(self.runs()), {"alone"})
        refused = self.script(f"""
            import runlens
            runlens.init(store={self.store!r}, git=False, sync=42)
            """, expect_rc=None)
        self.assertIn("sync is a team store's URL", refused.stderr)


if __name__ == "__main__":
    unittest.main()
