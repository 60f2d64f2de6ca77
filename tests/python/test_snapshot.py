# SPDX-License-Identifier: GPL-3.0-or-later
"""`runlens snapshot` as a script uses it: every view renders a PNG of the
size asked for, without a display, and bad arguments get their exit codes.

Needs PYTHONPATH=<build>/python and RUNLENS_BIN=<build>/bin/runlens (ctest sets both).
"""
import os
import re
import struct
import subprocess
import sys
import tempfile
import textwrap
import unittest

RUNLENS = os.environ.get("RUNLENS_BIN", "runlens")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


class Snapshot(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.store = os.path.join(cls.tmp.name, "snap.db")
        script = textwrap.dedent(f"""
            import math, runlens
            for lr in (0.1, 0.01):
                for seed in (1, 2, 3):
                    with runlens.init(store={cls.store!r}, experiment="snap", name=f"lr{{lr}}-s{{seed}}",
                                      config={{"lr": lr, "seed": seed}}, git=False) as run:
                        for step in range(200):
                            run.log({{"loss": math.exp(-lr * step) + seed / 100, "acc": 1 - math.exp(-lr * step)}},
                                    step=step)
            """)
        subprocess.run([sys.executable, "-c", script], check=True, timeout=120, cwd=cls.tmp.name)
        env = dict(os.environ)
        env.pop("DISPLAY", None)  # headless, as CI and ssh sessions are
        env.pop("WAYLAND_DISPLAY", None)
        env.pop("QT_QPA_PLATFORM", None)
        cls.env = env

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def snapshot(self, *args):
        return subprocess.run([RUNLENS, "snapshot", *args], capture_output=True, text=True, timeout=180, env=self.env)

    def views(self):
        text = subprocess.run([RUNLENS, "help", "snapshot"], capture_output=True, text=True, check=True).stdout
        return re.search(r"--view (\S+)", text).group(1).split("|")

    def test_every_view_renders_at_the_size_asked(self):
        views = self.views()
        self.assertGreaterEqual(len(views), 9)
        for view in views:
            out = os.path.join(self.tmp.name, f"{view}.png")
            # 1024 x 700: the smallest screen the window is laid out for.
            proc = self.snapshot(self.store, "--view", view, "--size", "1024x700", "-o", out)
            self.assertEqual(proc.returncode, 0, f"{view}: {proc.stderr}")
            width, height = png_size(out)
            if view == "report":  # the dialog keeps its own minimum size
                self.assertGreaterEqual(width, 600)
            else:
                self.assertEqual((width, height), (1024, 700), view)
            self.assertGreater(os.path.getsize(out), 5000, f"{view}: an empty picture")

    def test_selection_query_and_groups(self):
        out = os.path.join(self.tmp.name, "grouped.png")
        proc = self.snapshot(self.store, "--view", "curves", "--query", "params.lr = 0.1", "--metrics", "loss",
                             "--group-by", "params.lr", "--bands", "sd", "-o", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(png_size(out), (1400, 900))  # the default size
        proc = self.snapshot(self.store, "--view", "diff", "--runs", "lr0.1-s1,lr0.01-s1", "-o", out)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_bad_arguments_get_their_exit_codes(self):
        out = os.path.join(self.tmp.name, "bad.png")
        cases = [
            (["--view", "nosuch"], 2, "unknown view"),
            (["--size", "10x10"], 2, "--size"),
            (["--query", "params.lr >"], 5, "invalid query"),
            (["--runs", "nobody"], 4, "nobody"),
            (["--group-by", "params.nosuch"], 1, "no column"),
        ]
        for extra, code, message in cases:
            proc = self.snapshot(self.store, *extra, "-o", out)
            self.assertEqual(proc.returncode, code, f"{extra}: {proc.stderr}")
            self.assertIn(message, proc.stderr)
        proc = self.snapshot(os.path.join(self.tmp.name, "missing.db"), "-o", out)
        self.assertEqual(proc.returncode, 3, proc.stderr)
        proc = self.snapshot(self.store)  # no -o
        self.assertEqual(proc.returncode, 2)
        self.assertIn("usage: runlens snapshot", proc.stderr)


if __name__ == "__main__":
    unittest.main()
