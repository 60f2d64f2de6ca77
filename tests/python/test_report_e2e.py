# SPDX-License-Identifier: GPL-3.0-or-later
"""Comparison reports as their readers open them: the HTML in headless
Chromium (no console messages, no network requests, hostile names shown as
text, a screenshot to look at) and the PDF through poppler (pages, title,
text, a page image). The store is made by the Python package, the reports by
`runlens report`.

Needs PYTHONPATH=<build>/python, RUNLENS_BIN, CHROMIUM and the poppler tools
(pdfinfo, pdftotext, pdftoppm) on PATH; REPORT_ARTIFACTS names a folder for
the screenshots. ctest sets them.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
import unittest
import zlib

RUNLENS = os.environ.get("RUNLENS_BIN", "runlens")
CHROMIUM = os.environ.get("CHROMIUM", "chromium")
ARTIFACTS = os.environ.get("REPORT_ARTIFACTS")

HOSTILE = "<script>alert(1)</script>"
LONG = "a-very-long-run-name-" + "x" * 120 + "-end"


def chromium(args, profile, timeout=120):
    base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-default-apps", "--user-data-dir=" + profile]
    return subprocess.run(base + args, capture_output=True, text=True, timeout=timeout)


def open_in_chromium(html, workdir, screenshot):
    """Loads `html` and takes a screenshot (headless Chromium quits after it);
    returns (console messages, URLs the page requested)."""
    profile = tempfile.mkdtemp(dir=workdir)
    netlog = os.path.join(workdir, "net-%d.json" % len(os.listdir(workdir)))
    args = ["--enable-logging=stderr", "--v=0", "--log-net-log=" + netlog, "--hide-scrollbars",
            "--window-size=1280,2400", "--screenshot=" + screenshot]
    proc = chromium(args + ["file://" + html], profile)
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    with open(netlog) as f:
        log = json.load(f)
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    requested = set()
    for event in log["events"]:
        params = event.get("params", {})
        # The page's own requests carry its origin; Chromium's background
        # services (updates, accounts) carry none.
        if event["type"] == start_job and params.get("initiator") != "not an origin" and "url" in params:
            requested.add(params["url"])
    return console, requested


SECTION_HEADINGS = {"Runs", "What differs", "Curves", "Parallel coordinates", "Seed statistics", "Provenance", "Notes"}


def pdf_pages(pdf):
    """Each page's text as pdftotext lays it out."""
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, timeout=60).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return [unicodedata.normalize("NFKC", subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-layout", pdf, "-"],
                                                         capture_output=True, text=True, timeout=60).stdout)
            for p in range(1, pages + 1)]


def page_break_faults(pages, last_run, chart_text=True):
    """What a reader would see go wrong at page breaks: a page (not the
    last) ending with a section heading, a chart's caption on another page
    than its chart (the x axis' "step" label is the chart's last text; with
    `chart_text` False, charts drawn as paths, this is not checked), a
    caption's legend cut before `last_run`."""
    faults = []
    for number, text in enumerate(pages, 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if number < len(pages) and lines and lines[-1] in SECTION_HEADINGS:
            faults.append(f"page {number} ends with the heading {lines[-1]!r}")
        flat = " ".join(text.split())
        for caption in re.finditer(r"(\S+) by step; every run's extremes kept\.", flat):
            if chart_text and not flat[:caption.start()].endswith("step "):
                faults.append(f"page {number}: the caption of {caption.group(1)!r} apart from its chart")
            if last_run not in flat[caption.end():]:
                faults.append(f"page {number}: the legend of {caption.group(1)!r} cut by the page break")
    return faults


def png_size_and_colours(path):
    """Width, height and how many distinct bytes the image data holds."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    pos, idat = 8, b""
    while pos < len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


class ReportInReaders(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.store = os.path.join(cls.dir, "report.db")
        script = f"""
            import math
            import runlens.mlflow as mlflow
            mlflow.set_tracking_uri({cls.store!r})
            mlflow.set_experiment("report-e2e")
            names = [{HOSTILE!r}, "O'Brien & \\"quotes\\"", {LONG!r}, "wide-s1", "wide-s2", "wide-s3"]
            for i, name in enumerate(names):
                with mlflow.start_run(run_name=name):
                    lr = 0.01 if i < 3 else 0.1
                    mlflow.log_params({{"lr": lr, "seed": i % 3, "note": "a<b & c>d"}})
                    mlflow.set_tag("owner", f"<img src=x onerror=alert({{i}})>")
                    for step in range(2000):
                        loss = 1.0 / (step + 1) + lr + 0.001 * i
                        if i == 4 and step == 1234:
                            loss = 25.0   # one spike the charts must keep
                        mlflow.log_metric("loss", loss, step=step)
                        if step % 100 == 0:
                            mlflow.log_metric("val_acc", 0.5 + step / 5000 + 0.01 * i, step=step)
                            mlflow.log_metric("<script>alert(4)</script>", step * i, step=step)
        """
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr
        cls.html = os.path.join(cls.dir, "report.html")
        cls.pdf = os.path.join(cls.dir, "report.pdf")
        for out in (cls.html, cls.pdf):
            proc = subprocess.run([RUNLENS, "report", cls.store, "--query", "params.lr > 0", "--title",
                                   "Seeds <b>&</b> spikes", "--notes", "Is lr=0.1 worth it?\nSee <below>.", "-o", out],
                                  capture_output=True, text=True, timeout=120)
            assert proc.returncode == 0, proc.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def keep(self, path, name):
        if ARTIFACTS:
            os.makedirs(ARTIFACTS, exist_ok=True)
            shutil.copy(path, os.path.join(ARTIFACTS, name))

    def test_html_is_self_contained(self):
        with open(self.html, encoding="utf-8") as f:
            text = f.read()
        for section in ("runs", "differences", "curves", "parallel", "seeds", "provenance", "notes"):
            self.assertIn('<section id="%s">' % section, text)
        self.assertNotIn("<link", text)
        self.assertNotIn("@import", text)
        self.assertIsNone(re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", text))
        self.assertIsNone(re.search(r"url\(", text))
        self.assert_escaped_and_inert(text)

    def assert_escaped_and_inert(self, html):
        """Hostile names are text, nothing can run, and the four figures are inline."""
        self.assertTrue("&lt;script&gt;alert(1)&lt;/script&gt;" in html)
        self.assertTrue("&lt;script&gt;alert(4)&lt;/script&gt;" in html)   # a metric: chart titles too
        self.assertTrue("&lt;img src=x onerror=alert(2)&gt;" in html)
        self.assertFalse("<script" in html)
        self.assertFalse("<img" in html)
        # Three metric charts and the parallel coordinates.
        self.assertEqual(html.count("<svg"), 4)

    def test_chromium_renders_it_quietly_and_offline(self):
        shot = os.path.join(self.dir, "report.png")
        console, requested = open_in_chromium(self.html, self.dir, screenshot=shot)
        self.assertEqual(console, [])
        self.assertEqual(requested, set())
        width, height, colours = png_size_and_colours(shot)
        self.assertEqual((width, height), (1280, 2400))
        self.assertGreater(colours, 50)   # drawn, not blank
        self.keep(shot, "report-chromium.png")
        # The DOM Chromium built: hostile names are text, nothing runs.
        dom = chromium(["--dump-dom", "file://" + self.html], tempfile.mkdtemp(dir=self.dir)).stdout
        self.assertTrue("<title>Seeds &lt;b&gt;&amp;&lt;/b&gt; spikes</title>" in dom)
        self.assert_escaped_and_inert(dom)

    def test_the_checks_catch_a_page_that_misbehaves(self):
        bad = os.path.join(self.dir, "bad.html")
        with open(bad, "w") as f:
            f.write('<html><body><img src="http://example.invalid/x.png">'
                    '<script>console.error("boom")</script></body></html>')
        console, requested = open_in_chromium(bad, self.dir, os.path.join(self.dir, "bad.png"))
        self.assertTrue(any("boom" in line for line in console), console)
        self.assertIn("http://example.invalid/x.png", requested)

    def test_browser_print_keeps_headings_and_figures_with_their_content(self):
        """The print style's effect, not its text: the report printed by
        Chromium, with notes of growing length moving every page break
        through the sections and figures, never leaves a heading at the foot
        of a page or a caption apart from its chart. The same reports with
        each print rule taken out must show those faults, or this test
        could not tell."""
        rules = {"figures": "div.figure,tr{break-inside:avoid}", "headings": "h2{break-after:avoid}"}
        without = {name: [] for name in rules}
        for lines in range(0, 60, 6):
            html = os.path.join(self.dir, "print-%d.html" % lines)
            notes = "\n".join("A line of notes, number %d." % i for i in range(lines)) or "Short."
            proc = subprocess.run([RUNLENS, "report", self.store, "--query", "params.lr > 0", "--notes", notes, "-o", html],
                                  capture_output=True, text=True, timeout=120)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            with open(html, encoding="utf-8") as f:
                text = f.read()
            for name, rule in rules.items():
                self.assertIn(rule, text)
            variants = {None: text}
            variants.update({name: text.replace(rule, "") for name, rule in rules.items()})
            for name, variant in variants.items():
                page = os.path.join(self.dir, "print-%d-%s.html" % (lines, name or "as-written"))
                with open(page, "w", encoding="utf-8") as f:
                    f.write(variant)
                pdf = page[:-5] + ".pdf"
                chromium(["--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + page],
                         tempfile.mkdtemp(dir=self.dir))
                faults = page_break_faults(pdf_pages(pdf), "wide-s3")
                if name is None:
                    self.assertEqual(faults, [], f"{lines} lines of notes")
                else:
                    without[name] += faults
        for name in rules:
            self.assertNotEqual(without[name], [], f"without the {name} rule no page break went wrong: the check is blind")

    def test_cli_choices_and_refusals(self):
        def report(*args):
            return subprocess.run([RUNLENS, "report", self.store, *args], capture_output=True, text=True, timeout=120)
        only = os.path.join(self.dir, "only-curves.html")
        proc = report("--runs", "wide-s1,wide-s2", "--sections", "curves", "--metrics", "val_acc", "-o", only)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(only, encoding="utf-8") as f:
            text = f.read()
        self.assertEqual(re.findall(r'<section id="(\w+)">', text), ["curves"])
        self.assertEqual(text.count("<svg"), 1)
        self.assertTrue("<title>val_acc</title>" in text)
        self.assertEqual(report("--runs", "wide-s1", "-o", os.path.join(self.dir, "r.docx")).returncode, 2)
        self.assertEqual(report("--runs", "wide-s1", "--sections", "bogus", "-o", only).returncode, 2)
        self.assertEqual(report("--runs", "wide-s1", "--x", "bogus", "-o", only).returncode, 2)
        proc = report("--runs", "wide-s1", "--sections", "curves", "--metrics", "loss", "--x", "elapsed", "-o", only)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(only, encoding="utf-8") as f:
            self.assertIn("loss by time since start (s);", f.read())
        # Against another metric of each run.
        proc = report("--runs", "wide-s1", "--sections", "curves", "--metrics", "loss", "--x", "val_acc", "-o", only)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(only, encoding="utf-8") as f:
            self.assertIn("loss by val_acc;", f.read())
        self.assertEqual(report("--runs", "nope", "-o", only).returncode, 4)
        self.assertEqual(report("--query", "params.lr >", "-o", only).returncode, 5)
        self.assertEqual(report("--query", "params.lr > 5", "-o", only).returncode, 4)   # no runs
        self.assertEqual(report("-o", only).returncode, 2)   # neither --runs nor --query

    def test_pdf_pages_and_text(self):
        info = subprocess.run(["pdfinfo", self.pdf], capture_output=True, text=True, timeout=60).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        self.assertGreaterEqual(pages, 2)
        self.assertLess(pages, 20)
        self.assertTrue("Seeds <b>&</b> spikes" in info, info)
        def pdftotext(*args):
            out = subprocess.run(["pdftotext", *args, self.pdf, "-"], capture_output=True, text=True, timeout=60)
            return unicodedata.normalize("NFKC", out.stdout)   # the PDF's fonts set "ff" as a ligature
        # In reading order, table cells wrapped onto several lines joined again.
        flat = " ".join(pdftotext().split())
        text = pdftotext("-layout")
        for expected in ("Seeds <b>&</b> spikes", "Is lr=0.1 worth it?", "See <below>.", HOSTILE, "wide-s3",
                         "<img src=x onerror=alert(2)>", "What differs", "Curves", "Parallel coordinates",
                         "Seed statistics", "Provenance"):
            self.assertTrue(expected in flat, expected)
        # The seed groups: three runs each, lr 0.01 and 0.1.
        self.assertRegex(text, r"lr=0\.01\s+3")
        self.assertRegex(text, r"lr=0\.1\s+3")
        # Six runs: landscape pages (width over height), as the report promises.
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        self.assertGreater(float(size.group(1)), float(size.group(2)), info)
        # No page ends with a section heading whose content went to the next
        # page, and no legend is cut (the charts are paths here, no text).
        self.assertEqual(page_break_faults(pdf_pages(self.pdf), "wide-s3", chart_text=False), [])
        # Two runs: a portrait page.
        narrow = os.path.join(self.dir, "narrow.pdf")
        proc = subprocess.run([RUNLENS, "report", self.store, "--runs", "wide-s1,wide-s2", "-o", narrow],
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        info = subprocess.run(["pdfinfo", narrow], capture_output=True, text=True, timeout=60).stdout
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        self.assertLess(float(size.group(1)), float(size.group(2)), info)
        prefix = os.path.join(self.dir, "page")
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", self.pdf, prefix], check=True,
                       timeout=60)
        first = sorted(p for p in os.listdir(self.dir) if p.startswith("page") and p.endswith(".png"))
        self.assertEqual(len(first), 2)
        width, height, colours = png_size_and_colours(os.path.join(self.dir, first[1]))
        self.assertGreater(colours, 20)
        self.keep(os.path.join(self.dir, first[0]), "report-pdf-page1.png")
        self.keep(os.path.join(self.dir, first[1]), "report-pdf-page2.png")


class ArtifactsInReports(unittest.TestCase):
    """`report --artifacts`: two runs' per-step images and confusion matrices
    side by side, the pictures as PNG data: URIs inline in the HTML (no
    request leaves the page) and drawn in the PDF."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.store = os.path.join(cls.dir, "media.db")
        script = f"""
            import numpy as np, runlens
            for name, shift in (("small-model", 0), ("big-model", 60)):
                with runlens.init(store={cls.store!r}, experiment="media", name=name) as run:
                    for step in (0, 50, 100):
                        img = np.zeros((48, 64, 3), np.uint8)
                        img[:, :, 0] = np.arange(64, dtype=np.uint8) * 4
                        img[:, :, 1] = (step + shift) % 256
                        run.log_image("val/samples", img, step=step)
                    truth = [0] * 40 + [1] * 40 + [2] * 40
                    pred = truth[:]
                    for i in range(0, 120, 7 if shift else 4):
                        pred[i] = (pred[i] + 1) % 3
                    run.log_confusion_matrix("val/confusion", truth, pred, labels=[0, 1, 2])
                    run.log_metric("loss", 0.5, 0)
        """
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 0, proc.stderr
        cls.html = os.path.join(cls.dir, "media.html")
        cls.pdf = os.path.join(cls.dir, "media.pdf")
        for out in (cls.html, cls.pdf):
            proc = subprocess.run([RUNLENS, "report", cls.store, "--runs", "small-model,big-model", "--artifacts",
                                   "val/samples,val/confusion,no/such", "-o", out],
                                  capture_output=True, text=True, timeout=120)
            assert proc.returncode == 0, proc.stderr

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_html_embeds_the_pictures_and_opens_offline(self):
        with open(self.html, encoding="utf-8") as f:
            text = f.read()
        self.assertIn('<section id="artifacts">', text)
        section = text[text.index('<section id="artifacts">'):]
        section = section[:section.index("</section>")]
        self.assertGreaterEqual(section.count("data:image/png;base64,"), 2)   # a picture a run
        self.assertIn("small-model", section)
        self.assertIn("big-model", section)
        self.assertIn("Difference", section)
        self.assertIn("No run here logged no/such", section)
        self.assertIsNone(re.search(r"""(src|href)\s*=\s*["']?(https?:|//|file:)""", text))
        shot = os.path.join(self.dir, "media.png")
        console, requested = open_in_chromium(self.html, self.dir, screenshot=shot)
        self.assertEqual(console, [])
        self.assertEqual({url for url in requested if not url.startswith("data:")}, set())
        if ARTIFACTS:
            os.makedirs(ARTIFACTS, exist_ok=True)
            shutil.copy(shot, os.path.join(ARTIFACTS, "report-artifacts-chromium.png"))

    def test_pdf_draws_them(self):
        flat = " ".join(unicodedata.normalize("NFKC", subprocess.run(
            ["pdftotext", self.pdf, "-"], capture_output=True, text=True, timeout=60).stdout).split())
        # The captions are text; the grids are drawn (as paths, as the charts are).
        for expected in ("Artifacts", "val/samples, image", "val/confusion, confusion matrix", "No run here logged no/such"):
            self.assertIn(expected, flat)
        images = subprocess.run(["pdfimages", "-list", self.pdf], capture_output=True, text=True, timeout=60).stdout
        self.assertGreaterEqual(len(images.strip().splitlines()) - 2, 2, images)   # two header lines, then one an image
        # The page with the pictures, as a reader's viewer draws it: the gradients are there, not blank boxes.
        pages = pdf_pages(self.pdf)
        page = next(i for i, text in enumerate(pages, 1) if "val/samples, image" in " ".join(text.split()))
        prefix = os.path.join(self.dir, "artifacts-page")
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page), self.pdf, prefix], check=True,
                       timeout=60)
        shot = next(os.path.join(self.dir, p) for p in os.listdir(self.dir) if p.startswith("artifacts-page"))
        _, _, colours = png_size_and_colours(shot)
        self.assertGreater(colours, 60)
        if ARTIFACTS:
            os.makedirs(ARTIFACTS, exist_ok=True)
            shutil.copy(shot, os.path.join(ARTIFACTS, "report-artifacts-pdf.png"))


if __name__ == "__main__":
    unittest.main()
