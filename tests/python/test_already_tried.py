# SPDX-License-Identifier: GPL-3.0-or-later
""""Already tried" from Python (issue 22 item 4): a sweep run twice in two
processes skips the second time what the first finished, writing nothing;
"warn" says it once on stderr; another store is not consulted.

Needs PYTHONPATH=<build>/python (ctest sets it).
"""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import unittest

SWEEP = """
import runlens, sys
store, policy = sys.argv[1], sys.argv[2]
ran = skipped = 0
for lr in (0.1, 0.01):
    for seed in (1, 2):
        try:
            with runlens.init(store=store, experiment="sweep", config={"lr": lr, "seed": seed},
                              on_duplicate=policy, git=False, environment=False) as run:
                for step in range(5):
                    run.log({"val_auc": 0.9 + lr + seed / 1000 + step / 100}, step=step)
                ran += 1
        except runlens.AlreadyTried:
            skipped += 1
print(ran, skipped)
"""


class AlreadyTriedFromPython(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.store = os.path.join(self.tmp.name, "sweep.db")

    def tearDown(self):
        self.tmp.cleanup()

    def run_script(self, body, *args, env=None):
        full_env = dict(os.environ)
        full_env.pop("RUNLENS_ON_DUPLICATE", None)
        full_env.update(env or {})
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(body), *args], cwd=self.tmp.name,
                              env=full_env, capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return proc

    def counts(self, store):
        with sqlite3.connect(store) as db:
            runs = db.execute("SELECT count(*) FROM runs").fetchone()[0]
            points = db.execute("SELECT coalesce(sum(count), 0) FROM metrics").fetchone()[0]
        return runs, points

    def test_a_sweep_run_again_skips_what_is_done(self):
        first = self.run_script(SWEEP, self.store, "skip")
        self.assertEqual(first.stdout.split(), ["4", "0"])
        # The second seed of each config was told the first had run, and ran.
        self.assertEqual(first.stderr.count("ran once before with other seeds or code"), 2, first.stderr)
        before = self.counts(self.store)
        self.assertEqual(before, (4, 20))

        again = self.run_script(SWEEP, self.store, "skip")   # another process
        self.assertEqual(again.stdout.split(), ["0", "4"], again.stderr)
        self.assertEqual(again.stderr.count("not run again (on_duplicate=skip)"), 4, again.stderr)
        self.assertEqual(self.counts(self.store), before)     # no run, no point, no empty run left

        # A new seed is new work: it runs, and the skip policy from the environment.
        more = self.run_script(SWEEP.replace("(1, 2)", "(1, 2, 3)"), self.store, "skip")
        self.assertEqual(more.stdout.split(), ["2", "4"], more.stderr)
        self.assertEqual(self.counts(self.store)[0], 6)
        env = self.run_script(SWEEP.replace("on_duplicate=policy", "on_duplicate=None"), self.store, "-",
                              env={"RUNLENS_ON_DUPLICATE": "skip"})
        self.assertEqual(env.stdout.split(), ["0", "4"], env.stderr)

    def test_warn_says_it_once_and_records_it(self):
        self.run_script(SWEEP, self.store, "warn")
        proc = self.run_script("""
            import json, runlens, sys
            with runlens.init(store=sys.argv[1], experiment="sweep", config={"lr": 0.1, "seed": 1},
                              git=False, environment=False) as run:
                found = run.already_tried()   # asked again: answered, not said again
                print(json.dumps(found))
            print(run.id)
            """, self.store)
        self.assertEqual(proc.stderr.count("runlens: experiment 'sweep': this config ran"), 1, proc.stderr)
        self.assertIn("as this exact run", proc.stderr)
        found_line, run_id = proc.stdout.split("\n")[:2]
        found = json.loads(found_line)
        self.assertEqual((found["finished"], found["exact"], found["metric"], found["n"]), (2, 1, "val_auc", 2))
        with sqlite3.connect(self.store) as db:
            tag = db.execute("SELECT value FROM tags WHERE run_id=? AND key='runlens.already_tried'",
                             (run_id,)).fetchone()
        self.assertIsNotNone(tag)
        self.assertEqual(json.loads(tag[0])["exact"], 1)

        # "ignore": no lookup, nothing said, nothing recorded.
        quiet = self.run_script(SWEEP, self.store, "ignore")
        self.assertNotIn("runlens:", quiet.stderr)

    def test_a_config_logged_after_init_is_looked_up_on_request(self):
        self.run_script(SWEEP, self.store, "warn")
        proc = self.run_script("""
            import json, runlens, sys
            with runlens.init(store=sys.argv[1], experiment="sweep", git=False, environment=False) as run:
                run.log_params({"lr": 0.01, "seed": 9})
                print(json.dumps(run.already_tried()))
            """, self.store)
        found = json.loads(proc.stdout)
        self.assertEqual((found["finished"], found["exact"]), (2, 0))
        self.assertEqual(proc.stderr.count("with other seeds or code"), 1, proc.stderr)

    def test_another_store_is_not_consulted(self):
        self.run_script(SWEEP, self.store, "skip")
        other = os.path.join(self.tmp.name, "other.db")
        proc = self.run_script(SWEEP, other, "skip")
        self.assertEqual(proc.stdout.split(), ["4", "0"], proc.stderr)
        self.assertEqual(self.counts(other)[0], 4)
        self.assertEqual(self.run_script(SWEEP, other, "skip").stdout.split(), ["0", "4"])

    def test_bad_policy_is_refused(self):
        self.run_script("""
            import runlens, sys
            try:
                runlens.init(store=sys.argv[1], config={"lr": 1}, on_duplicate="sometimes")
            except runlens.RunlensError as e:
                assert "on_duplicate" in str(e), e
            else:
                raise SystemExit("accepted")
            """, self.store)


if __name__ == "__main__":
    unittest.main()
