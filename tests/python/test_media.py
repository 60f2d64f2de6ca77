# SPDX-License-Identifier: GPL-3.0-or-later
"""Media from Python (run.log_image, log_figure, log_table, log_text,
log_confusion_matrix, and runlens.mlflow's log_image(key=, step=)), read back
through `runlens artifacts` / `runlens artifact` exactly as logged: PNG bytes
byte for byte, NumPy pixels as the same pixels (decoded here with the
standard library's zlib, not with anything Runlens wrote), tables as CSV,
confusion matrices as scikit-learn counts them. A script without NumPy or
PIL logs PNG files and bytes. Bad input raises with a reason, never crashes.

Needs PYTHONPATH=<build>/python and RUNLENS_BIN=<build>/bin/runlens (ctest sets both).
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import textwrap
import unittest
import zlib

RUNLENS = os.environ.get("RUNLENS_BIN", "runlens")


def png_pixels(data):
    """(width, height, channels, rows) of a non-interlaced 8-bit PNG: the
    test's own reading, independent of the code under test."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _c, _f, interlace = header
    assert depth == 8 and interlace == 0
    channels = {0: 1, 4: 2, 2: 3, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def tiny_png():
    """A 2 x 1 RGB PNG made with zlib, no imaging library."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"\x00" + bytes([255, 0, 0, 0, 0, 255])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class MediaFromPython(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.store = os.path.join(self.tmp.name, "media.db")

    def tearDown(self):
        self.tmp.cleanup()

    def script(self, body, expect_rc=0, env=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(body)], cwd=self.tmp.name, env=full_env,
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, expect_rc, proc.stderr)
        return proc

    def artifacts(self, run):
        proc = subprocess.run([RUNLENS, "artifacts", self.store, run, "--format", "json"], capture_output=True,
                              text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["artifacts"]

    def artifact(self, run, path, step=None):
        out = os.path.join(self.tmp.name, "out.bin")
        args = [RUNLENS, "artifact", self.store, run, path, "-o", out] + (["--step", str(step)] if step is not None else [])
        proc = subprocess.run(args, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(out, "rb") as fh:
            return fh.read()

    def test_numpy_pixels_tables_text_and_confusion_matrices_read_back(self):
        self.script(f"""
            import numpy as np, runlens
            rng = np.random.default_rng(7)
            img = rng.integers(0, 256, size=(17, 33, 3), dtype=np.uint8)
            np.save("img.npy", img)
            with runlens.init(store={self.store!r}, experiment="media", name="np") as run:
                for step in (0, 10, 20):
                    run.log_image("samples/val", img if step == 10 else img[::-1].copy(), step=step, caption=f"s{{step}}")
                run.log_image("grey", (img[:, :, 0] > 128))                         # bool mask
                run.log_image("float", img.astype(np.float32) / 255.0)              # floats in [0, 1]
                run.log_image("rgba", np.dstack([img, np.full(img.shape[:2], 200, np.uint8)]))
                run.log_image("cropped", img[2:9, 3:20])                            # not contiguous
                run.log_table("importance", {{"feature": ["a", "b, c"], "gain": [0.5, 0.25]}})
                run.log_table("rows", [{{"x": 1, "y": 2}}, {{"x": 3}}], step=4)
                run.log_text("config.yaml", "lr: 0.1\\nseed: 3\\n")
                run.log_confusion_matrix("val/cm", [0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 0], step=20)
            """)
        import_np = __import__("numpy")
        img = import_np.load(os.path.join(self.tmp.name, "img.npy"))
        items = self.artifacts("np")
        by = {(a["path"], a.get("step")): a for a in items}
        self.assertEqual(sorted({a["path"] for a in items}),
                         ["config.yaml", "cropped", "float", "grey", "importance", "rgba", "rows", "samples/val",
                          "val/cm"])
        self.assertEqual([a.get("step") for a in items if a["path"] == "samples/val"], [0, 10, 20])
        self.assertEqual(by[("samples/val", 10)]["caption"], "s10")
        self.assertEqual(by[("samples/val", 10)]["kind"], "image")
        self.assertEqual((by[("samples/val", 10)]["width"], by[("samples/val", 10)]["height"]), (33, 17))
        # Steps 0 and 20 logged the same picture: one blob.
        self.assertEqual(by[("samples/val", 0)]["sha256"], by[("samples/val", 20)]["sha256"])
        self.assertNotEqual(by[("samples/val", 0)]["sha256"], by[("samples/val", 10)]["sha256"])
        w, h, c, rows = png_pixels(self.artifact("np", "samples/val", step=10))
        self.assertEqual((w, h, c), (33, 17, 3))
        self.assertEqual(b"".join(rows), img.tobytes())
        w, h, c, rows = png_pixels(self.artifact("np", "cropped"))
        self.assertEqual((w, h, c), (17, 7, 3))
        self.assertEqual(b"".join(rows), img[2:9, 3:20].copy().tobytes())
        _, _, c, rows = png_pixels(self.artifact("np", "grey"))
        self.assertEqual(c, 1)
        self.assertEqual(rows[0][0], 255 if img[0, 0, 0] > 128 else 0)
        _, _, c, rows = png_pixels(self.artifact("np", "float"))
        self.assertEqual(b"".join(rows), img.tobytes())  # x/255*255 rounds back
        _, _, c, rows = png_pixels(self.artifact("np", "rgba"))
        self.assertEqual((c, rows[0][3]), (4, 200))
        self.assertEqual(self.artifact("np", "importance").decode(), 'feature,gain\na,0.5\n"b, c",0.25\n')
        self.assertEqual(self.artifact("np", "rows", step=4).decode(), "x,y\n1,2\n3,\n")
        self.assertEqual(self.artifact("np", "config.yaml").decode(), "lr: 0.1\nseed: 3\n")
        self.assertEqual(by[("config.yaml", None)]["format"], "yaml")
        # As scikit-learn's confusion_matrix([0,1,1,2,2,2], [0,1,2,2,2,0]).
        self.assertEqual(by[("val/cm", 20)]["kind"], "confusion matrix")
        self.assertEqual(self.artifact("np", "val/cm").decode(), ",0,1,2\n0,1,0,0\n1,0,1,1\n2,1,0,2\n")
        from sklearn.metrics import confusion_matrix
        expected = confusion_matrix([0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 0])
        lines = self.artifact("np", "val/cm").decode().splitlines()[1:]
        self.assertEqual([[int(v) for v in line.split(",")[1:]] for line in lines], expected.tolist())

    def test_without_numpy_or_pil_files_and_bytes_log(self):
        png = tiny_png()
        path = os.path.join(self.tmp.name, "plot.png")
        with open(path, "wb") as fh:
            fh.write(png)
        # NumPy and PIL made unimportable: the package must not need them.
        self.script(f"""
            import sys
            sys.modules["numpy"] = None
            sys.modules["PIL"] = None
            import runlens
            with runlens.init(store={self.store!r}, experiment="media", name="plain") as run:
                run.log_image("from-path", {path!r})
                run.log_image("from-bytes", open({path!r}, "rb").read(), step=3)
                run.log_table("t", [["a", "b"], [1, 2]])
                run.log_confusion_matrix("cm", ["cat", "dog", "dog"], ["cat", "cat", "dog"], labels=["dog", "cat"])
            """)
        self.assertEqual(self.artifact("plain", "from-path"), png)
        self.assertEqual(self.artifact("plain", "from-bytes", step=3), png)
        self.assertEqual(self.artifact("plain", "t").decode(), "a,b\n1,2\n")
        self.assertEqual(self.artifact("plain", "cm").decode(), ",dog,cat\ndog,1,1\ncat,0,1\n")

    def test_figures_and_the_mlflow_drop_in(self):
        self.script(f"""
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt, numpy as np
            import runlens, runlens.mlflow as mlflow
            fig, ax = plt.subplots(figsize=(3, 2))
            ax.plot([0, 1, 2], [2, 1, 3])
            mlflow.set_tracking_uri({self.store!r})
            with mlflow.start_run(run_name="mlf"):
                for step in range(3):
                    mlflow.log_image(np.full((8, 8, 3), step * 40, np.uint8), key="val/sample", step=step)
                mlflow.log_image(np.zeros((4, 4, 3), np.uint8), artifact_file="plots/zero.png")
                mlflow.log_figure(fig, "plots/curve.png")
            with runlens.init(store={self.store!r}, experiment="media", name="fig") as run:
                run.log_figure(fig, "curve")
            """)
        items = self.artifacts("mlf")
        self.assertEqual([a["step"] for a in items if a["path"] == "val/sample"], [0, 1, 2])
        _, _, _, rows = png_pixels(self.artifact("mlf", "val/sample", step=2))
        self.assertEqual(rows[0][:3], bytes([80, 80, 80]))
        paths = {a["path"]: a for a in items}
        self.assertEqual(paths["plots/zero.png"]["kind"], "image")
        self.assertEqual(paths["plots/curve.png"]["kind"], "image")
        fig = {a["path"]: a for a in self.artifacts("fig")}
        self.assertEqual((fig["curve"]["format"], fig["curve.svg"]["format"]), ("png", "svg"))
        self.assertTrue(self.artifact("fig", "curve.svg").lstrip().startswith((b"<?xml", b"<svg")))

    def test_bad_input_raises_with_a_reason(self):
        proc = self.script(f"""
            import numpy as np, runlens
            with runlens.init(store={self.store!r}, experiment="media", name="bad") as run:
                for bad in (b"not an image", np.zeros((2, 2, 5), np.uint8), np.full((2, 2), 300), object()):
                    try:
                        run.log_image("x", bad)
                    except runlens.RunlensError as e:
                        print("refused:", e)
                    else:
                        raise SystemExit("accepted " + repr(type(bad)))
                try:
                    run.log_confusion_matrix("cm", [1, 2], [1])
                except runlens.RunlensError as e:
                    print("refused:", e)
                run.log_text("still", "fine")
            """)
        self.assertEqual(proc.stdout.count("refused:"), 5, proc.stdout)
        self.assertIn("not a PNG", proc.stdout)
        self.assertEqual([a["path"] for a in self.artifacts("bad")], ["still"])


if __name__ == "__main__":
    unittest.main()
