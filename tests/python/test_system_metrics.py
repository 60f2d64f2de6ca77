# SPDX-License-Identifier: GPL-3.0-or-later
"""System metrics from Python (issue 17, item 1): runlens.init's options, the
MLflow drop-in's switches, and GPUs through NVML found the way the driver's is
found (LD_LIBRARY_PATH), here a stand-in with two made-up GPUs
(tests/tools/nvml_stub.c).

Needs PYTHONPATH=<build>/python and RUNLENS_NVML_STUB_DIR (ctest sets both).
"""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

import runlens

STUB_DIR = os.environ.get("RUNLENS_NVML_STUB_DIR", "")


def in_child(script, env=None):
    """Runs `script` in a fresh interpreter (the sampler reads its own process)."""
    full = {**os.environ, **(env or {})}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                          timeout=120, env=full)
    if done.returncode != 0:
        raise AssertionError(done.stderr)
    return done.stdout.strip()


class SystemMetrics(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.store = os.path.join(self.tmp.name, "sys.db")

    def tearDown(self):
        self.tmp.cleanup()

    def system_series(self, name):
        with runlens.open(self.store) as store:
            run = store.run(name)
            return {k: m for k, m in run.metrics.items() if k.startswith("system/")}, run.details()

    def log(self, name, options, env=None, seconds=0.45):
        in_child(f"""
            import runlens, time
            with runlens.init(store={self.store!r}, name={name!r}, git=False, {options}) as run:
                run.log({{"loss": 1.0}}, step=0)
                time.sleep({seconds})
            """, env)

    def test_sampled_at_the_interval_asked(self):
        self.log("on", "system_metrics_interval=0.1")
        series, details = self.system_series("on")
        self.assertIn("system/process.rss_mb", series)
        self.assertIn("system/memory.available_mb", series)
        self.assertIn("system/cpu_percent", series)
        # Every 0.1 s for 0.45 s: 4 samples, give or take a loaded machine.
        self.assertTrue(2 <= series["system/process.rss_mb"].count <= 6, series["system/process.rss_mb"])
        self.assertGreater(series["system/process.rss_mb"].last, 5)  # an interpreter is bigger than 5 MB
        self.assertIn("every 100 ms", details["environment"]["system_metrics"])

    def test_a_forked_child_exits_and_leaves_the_run_to_its_parent(self):
        # os.fork() with a run open (what a DataLoader's fork workers inherit):
        # the child logs, finishes and exits through atexit; nothing waits on
        # the parent's threads, and the parent's run carries on.
        out = in_child(f"""
            import os, sys, time, runlens
            run = runlens.init(store={self.store!r}, name="parent", git=False, system_metrics_interval=0.05)
            run.log({{"loss": 1.0}}, step=0)
            time.sleep(0.2)
            pid = os.fork()
            if pid == 0:
                run.log({{"loss": 99.0}}, step=1)
                run.finish("failed")
                sys.exit(0)   # atexit handlers run here, as at a worker's normal exit
            deadline = time.time() + 20
            while time.time() < deadline:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
                time.sleep(0.02)
            else:
                os.kill(pid, 9)
                print("child hung")
                sys.exit(1)
            run.log({{"loss": 0.5}}, step=2)
            run.finish()
            print("child exit", os.waitstatus_to_exitcode(status))
            """)
        self.assertEqual(out, "child exit 0")
        with runlens.open(self.store) as store:
            run = store.run("parent")
            self.assertEqual(run.status, "finished")
            self.assertEqual(list(run.series("loss").steps), [0, 2])

    def test_off_by_the_option_and_the_environment(self):
        self.log("off", "system_metrics=False, system_metrics_interval=0.1")
        self.assertEqual(self.system_series("off")[0], {})
        self.log("env-off", "system_metrics_interval=0.1", env={"RUNLENS_SYSTEM_METRICS": "0"})
        self.assertEqual(self.system_series("env-off")[0], {})
        self.log("forced", "system_metrics=True, system_metrics_interval=0.1", env={"RUNLENS_SYSTEM_METRICS": "0"})
        self.assertNotEqual(self.system_series("forced")[0], {})

    def test_gpus_through_nvml_found_on_the_library_path(self):
        self.assertTrue(os.path.exists(os.path.join(STUB_DIR, "libnvidia-ml.so.1")),
                        f"the NVML stand-in is missing from {STUB_DIR!r} (built by tests/CMakeLists.txt)")
        self.log("gpu", "system_metrics_interval=0.1", env={"LD_LIBRARY_PATH": STUB_DIR})
        series, details = self.system_series("gpu")
        self.assertEqual(series["system/gpu.0.memory_used_mb"].last, 12345)
        self.assertEqual(series["system/gpu.0.memory_total_mb"].last, 81920)
        self.assertEqual(series["system/gpu.0.utilization_percent"].last, 87)
        self.assertEqual(series["system/gpu.0.power_w"].last, 250.5)
        self.assertEqual(series["system/gpu.1.temperature_c"].last, 41)
        self.assertNotIn("system/gpu.1.power_w", series)
        # And without it on the path, the normal case here: skipped with one note.
        self.log("no-gpu", "system_metrics_interval=0.1")
        series, details = self.system_series("no-gpu")
        self.assertFalse([k for k in series if k.startswith("system/gpu")])

    def test_found_by_review_the_environment_in_any_case_and_mlflows_variables(self):
        self.log("env-Off", "system_metrics_interval=0.1", env={"RUNLENS_SYSTEM_METRICS": " Off "})
        self.assertEqual(self.system_series("env-Off")[0], {})
        in_child(f"""
            import time
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            mlflow.set_system_metrics_sampling_interval(0.1)   # alone: the pace of Runlens's default sampling
            mlflow.set_system_metrics_samples_before_logging(5)
            mlflow.set_system_metrics_node_id("node-1")
            with mlflow.start_run(run_name="paced"):
                time.sleep(0.6)
            """)
        paced = self.system_series("paced")[0]
        self.assertGreaterEqual(paced["system/process.rss_mb"].count, 2)
        in_child(f"""
            import time
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            mlflow.set_system_metrics_sampling_interval(0.1)
            with mlflow.start_run(run_name="mlflow-env-off"):
                time.sleep(0.6)
            """, env={"MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING": "false"})
        self.assertEqual(self.system_series("mlflow-env-off")[0], {})

    def test_the_mlflow_switches(self):
        in_child(f"""
            import time
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({self.store!r})
            mlflow.set_system_metrics_sampling_interval(0.1)
            with mlflow.start_run(run_name="asked", log_system_metrics=True):
                mlflow.log_metric("loss", 1.0)
                time.sleep(0.6)
            with mlflow.start_run(run_name="declined", log_system_metrics=False):
                mlflow.log_metric("loss", 1.0)
                time.sleep(0.6)
            mlflow.disable_system_metrics_logging()
            with mlflow.start_run(run_name="disabled"):
                mlflow.log_metric("loss", 1.0)
                time.sleep(0.6)
            mlflow.enable_system_metrics_logging()
            with mlflow.start_run(run_name="enabled"):
                mlflow.log_metric("loss", 1.0)
                time.sleep(0.6)
            """)
        self.assertNotEqual(self.system_series("asked")[0], {})
        self.assertEqual(self.system_series("declined")[0], {})
        self.assertEqual(self.system_series("disabled")[0], {})
        self.assertNotEqual(self.system_series("enabled")[0], {})


if __name__ == "__main__":
    unittest.main()
