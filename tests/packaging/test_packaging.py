# SPDX-License-Identifier: GPL-3.0-or-later
"""Runlens installed like real software: the bootstrap's package list against
the CMake tree, the .deb and what it installs, the desktop files, the man page
and shell completion against the command table, and the Python package in a
fresh venv.

ctest sets RUNLENS_BIN, RUNLENS_BUILD_DIR and RUNLENS_SOURCE_DIR. The tools
these tests use are installed by `packaging/bootstrap.sh test`; a missing one
is a failure, never a skip.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

SOURCE = Path(os.environ.get("RUNLENS_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BUILD = Path(os.environ.get("RUNLENS_BUILD_DIR", SOURCE / "build"))
RUNLENS = os.environ.get("RUNLENS_BIN", str(BUILD / "bin" / "runlens"))
DEBIAN_WHEELS = Path("/usr/share/python-wheels")


def run(args, **kwargs):
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    kwargs.setdefault("timeout", 600)
    return subprocess.run(args, **kwargs)


def need(tool):
    path = shutil.which(tool)
    if not path:
        raise AssertionError(f"{tool} is missing; `packaging/bootstrap.sh test` installs it")
    return path


def cli(*args):
    proc = run([RUNLENS, *args], timeout=120)
    if proc.returncode != 0:
        raise AssertionError(f"runlens {' '.join(args)} failed ({proc.returncode}): {proc.stderr}")
    return proc.stdout


def commands():
    """The sub-commands `runlens --help` lists."""
    listing = cli("--help").split("commands:", 1)[1].split("\n\n", 1)[0]
    names = re.findall(r"^  ([a-z][a-z-]*)\b", listing, re.M)  # empty-trash whole
    assert len(names) >= 8, names
    return names


def options_of(command):
    """Every option `runlens help COMMAND` lists, long and short spellings."""
    text = cli("help", command)
    section = text.split("Options:", 1)[1] if "Options:" in text else ""
    return sorted(set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", section)) - {"-"})


def bootstrap_packages():
    out = run(["bash", str(SOURCE / "packaging" / "bootstrap.sh"), "packages"])
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def cmake_lookups():
    """(kind, name) of every dependency lookup in the CMake tree."""
    found = set()
    for path in list(SOURCE.rglob("CMakeLists.txt")) + list(SOURCE.rglob("*.cmake")):
        if BUILD in path.parents or "build" in path.relative_to(SOURCE).parts[:1]:
            continue
        text = re.sub(r"#[^\n]*", "", path.read_text())
        for args in re.findall(r"\bfind_package\s*\(([^)]*)\)", text, re.I):
            words = args.split()
            name = words[0]
            if "COMPONENTS" in words:
                comps = []
                for w in words[words.index("COMPONENTS") + 1:]:
                    if w.isupper():
                        break
                    comps.append(w)
                if name == "Qt6":
                    found.update(("find_package", f"Qt6::{c}") for c in comps)
                    continue
            found.add(("find_package", name))
        for args in re.findall(r"\bpkg_check_modules\s*\(([^)]*)\)", text, re.I):
            words = args.split()[1:]
            found.update(("pkg_check_modules", w) for w in words if not w.isupper())
        for kind in ("find_library", "find_path", "find_program"):
            for args in re.findall(rf"\b{kind}\s*\(([^)]*)\)", text, re.I):
                words = args.split()[1:]
                if words and words[0] == "NAMES":
                    words = words[1:]
                found.add((kind, words[0]))
    return found


def dependency_map():
    mapping = {}
    for line in (SOURCE / "packaging" / "dependencies.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        kind, name, *packages = line.split()
        mapping[(kind, name)] = [] if packages[0].startswith("(") else packages
    return mapping


class BootstrapCoversTheBuild(unittest.TestCase):
    def test_every_cmake_lookup_has_its_package_in_the_bootstrap(self):
        mapping = dependency_map()
        packages = bootstrap_packages()
        lookups = cmake_lookups()
        self.assertIn(("find_package", "Qt6::Charts"), lookups)  # the parser sees components
        unmapped = sorted(f"{k}({n})" for k, n in lookups if (k, n) not in mapping)
        self.assertEqual(unmapped, [], "add these to packaging/dependencies.txt and their packages to bootstrap.sh")
        missing = sorted({p for key in lookups for p in mapping.get(key, []) if p not in packages})
        self.assertEqual(missing, [], "packaging/dependencies.txt names packages bootstrap.sh does not install")

    def test_what_configure_found_comes_from_packages_the_bootstrap_pulls_in(self):
        # The fresh-machine failure in one check: every CMake package config and
        # library the configure step used must belong to a package that
        # `apt-get install --no-install-recommends <bootstrap list>` installs.
        need("dpkg")
        need("apt-cache")
        cache = (BUILD / "CMakeCache.txt").read_text()
        ours = ("LIBCSV_", "pkgcfg_lib_LIBGIT2_", "SQLite3_LIBRARY", "OPENSSL_CRYPTO_LIBRARY",
                "RUNLENS_CHROMIUM", "RUNLENS_PDFTOTEXT")
        files = []
        for key, kind, value in re.findall(r"^([\w.-]+):(PATH|FILEPATH)=(/usr/[^\n]+)$", cache, re.M):
            if value.startswith("/usr/local") or key.startswith("CMAKE_"):
                continue
            if kind == "PATH" and key.endswith("_DIR") and "/cmake/" in value:
                configs = sorted(Path(value).glob("*[Cc]onfig.cmake"))
                if configs:
                    files.append((key, str(configs[0])))
            elif kind == "FILEPATH" and key.startswith(ours):
                files.append((key, value))
        self.assertTrue(any(k == "Qt6OpenGL_DIR" for k, _ in files), "Qt6Charts pulls Qt6OpenGL in at configure")
        closure = set(run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                           "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances",
                           *sorted(bootstrap_packages())]).stdout.split())
        closure = {p.split(":")[0] for p in closure if not p.endswith(":") and not p.startswith("<")}
        outside = []
        for key, path in files:
            owner = run(["dpkg", "-S", path])
            if owner.returncode != 0:  # usrmerge: the package may have registered /lib
                owner = run(["dpkg", "-S", re.sub(r"^/usr", "", path)])
            self.assertEqual(owner.returncode, 0, f"{key}: {path} belongs to no Debian package")
            packages = {p.strip().split(":")[0] for p in owner.stdout.split(": ", 1)[0].split(",")}
            if not packages & closure:
                outside.append(f"{key} = {path} (from {', '.join(sorted(packages))})")
        self.assertEqual(outside, [], "a fresh machine would not have these; add their packages to bootstrap.sh")


class DesktopIntegration(unittest.TestCase):
    def test_desktop_entry_validates(self):
        proc = run([need("desktop-file-validate"), str(SOURCE / "resources" / "org.runlens.Runlens.desktop")])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertNotIn("error", proc.stdout.lower())

    def test_appstream_metainfo_validates(self):
        metainfo = BUILD / "packaging" / "org.runlens.Runlens.metainfo.xml"
        proc = run([need("appstreamcli"), "validate", "--no-net", str(metainfo)])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertIn(cli("--version").split()[1], metainfo.read_text())

    def test_man_page_renders_cleanly_and_covers_every_command_and_option(self):
        page = SOURCE / "packaging" / "runlens.1"
        proc = run([need("groff"), "-man", "-Tutf8", "-ww", "-z", str(page)])
        self.assertEqual(proc.stderr, "", "groff warns about the man page")
        text = run([need("groff"), "-man", "-rHY=0", "-Tutf8", "-P", "-cbou", str(page)],
                   env={**os.environ, "GROFF_NO_SGR": "1"}).stdout
        text = text.replace("\u2010", "-").replace("\u2212", "-")
        text = re.sub(r"[ \t]+", " ", text)  # justified lines pad with spaces
        for command in commands():
            self.assertRegex(text, rf"runlens {command}\b", f"the man page has no section on {command}")
            for option in options_of(command):
                self.assertIn(option, text, f"the man page does not mention {command} {option}")

    def test_bash_completion_offers_every_command_and_option(self):
        system = Path("/usr/share/bash-completion/bash_completion")
        self.assertTrue(system.exists(), "bash-completion is missing; `packaging/bootstrap.sh test` installs it")
        script = SOURCE / "packaging" / "runlens.bash-completion"

        def complete(*words):
            line = " ".join(["runlens", *words])
            probe = textwrap.dedent(f"""
                source {system}
                source {script}
                COMP_WORDS=(runlens {' '.join(words)})
                COMP_CWORD={len(words)}
                COMP_LINE="{line}"
                COMP_POINT=${{#COMP_LINE}}
                _runlens
                printf '%s\\n' "${{COMPREPLY[@]}}"
                """)
            proc = run(["bash", "-c", probe], cwd=tempfile.gettempdir())
            self.assertEqual(proc.returncode, 0, proc.stderr)
            return set(proc.stdout.split())

        self.assertEqual(set(commands()) - complete(""), set())
        for command in commands():
            offered = complete(command, "-")
            wanted = {o for o in options_of(command) if o.startswith("--")}
            self.assertEqual(wanted - offered, set(), f"completion of `runlens {command} -`")
        self.assertEqual(complete("runs", "--format", ""), {"table", "json", "csv"})
        self.assertIn("parcoords", complete("snapshot", "--view", ""))


def make_store_with_python(python, store, env=None):
    script = textwrap.dedent(f"""
        import runlens, runlens.mlflow as mlflow
        # every subpackage of the drop-in is installed, not only its top
        from runlens.mlflow.tracking import MlflowClient
        import runlens.mlflow.sklearn, runlens.mlflow.pyfunc, runlens.mlflow.models, runlens.mlflow.data
        import runlens.mlflow.entities, runlens.mlflow.protos.databricks_pb2, runlens.mlflow.xgboost
        with runlens.init(store={str(store)!r}, experiment="installed", name="from-python") as run:
            run.log({{"loss": 0.5}}, step=1)
        print(runlens.__version__)
        """)
    proc = run([python, "-c", script], env=env, cwd=str(Path(store).parent))
    if proc.returncode != 0:
        raise AssertionError(proc.stderr)
    return proc.stdout.strip()


def read_with_python(python, store, env=None):
    """The store's runs as runlens.open() reads them (the read library the package carries)."""
    script = textwrap.dedent(f"""
        import json, runlens
        from runlens import _read_native
        with runlens.open({str(store)!r}) as store:
            print(json.dumps({{"runs": [r.data for r in store.runs()], "library": _read_native.lib()._name}}))
        """)
    proc = run([python, "-c", script], env=env, cwd=str(Path(store).parent))
    if proc.returncode != 0:
        raise AssertionError(proc.stderr)
    out = json.loads(proc.stdout)
    if str(BUILD / "core") in out["library"]:
        raise AssertionError(f"read the build tree's library, not the installed one: {out['library']}")
    return out["runs"]


class PythonPackage(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def venv_install(self, *pip_args):
        self.assertTrue(list(DEBIAN_WHEELS.glob("wheel-*.whl")) and list(DEBIAN_WHEELS.glob("setuptools-*.whl")),
                        "Debian's setuptools and wheel wheels are missing (python3-setuptools-whl, python3-wheel-whl)")
        env_dir = self.dir / "venv"
        # Debian's interpreter: the one its python3-venv and its wheels are built for
        # (Debian's setuptools carries Debian's install layout; with another Python,
        # pip takes setuptools from PyPI instead).
        python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
        proc = run([python, "-m", "venv", str(env_dir)])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        python = str(env_dir / "bin" / "python")
        clean = {k: v for k, v in os.environ.items()
                 if k not in ("PYTHONPATH", "RUNLENS_LIBRARY", "RUNLENS_READ_LIBRARY") and not k.startswith("PIP_")}
        proc = run([python, "-m", "pip", "install", "--no-index", "--find-links", str(DEBIAN_WHEELS), *pip_args],
                   env=clean)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return python, clean

    def check_logs_and_reads_back(self, python, env):
        store = self.dir / "pip.db"
        version = make_store_with_python(python, store, env)
        self.assertEqual(version, cli("--version").split()[1])
        runs = json.loads(cli("runs", str(store), "--format", "json"))
        self.assertEqual([r["name"] for r in runs], ["from-python"])
        self.assertEqual(runs[0]["status"], "finished")
        self.assertEqual(read_with_python(python, store, env), runs)

    def test_pip_install_into_a_fresh_venv(self):
        python, env = self.venv_install(str(BUILD / "python"))
        where = run([python, "-c", "import runlens, os; print(os.path.dirname(runlens.__file__))"], env=env)
        self.assertIn(str(self.dir / "venv"), where.stdout)  # the installed copy, not the build's
        self.check_logs_and_reads_back(python, env)

    def test_pip_install_editable(self):
        python, env = self.venv_install("-e", str(BUILD / "python"))
        self.check_logs_and_reads_back(python, env)


class DebianPackage(unittest.TestCase):
    """The .deb CPack makes, unpacked (not installed) into a scratch root."""

    @classmethod
    def setUpClass(cls):
        need("dpkg-deb")
        need("dpkg-shlibdeps")
        cls.tmp = tempfile.TemporaryDirectory()
        out = Path(cls.tmp.name)
        proc = run(["cpack", "-G", "DEB", "-B", str(out / "pkg"), "--config", str(BUILD / "CPackConfig.cmake")],
                   cwd=str(BUILD), timeout=900)
        if proc.returncode != 0:
            raise AssertionError("cpack failed: " + proc.stdout[-3000:] + proc.stderr[-3000:])
        debs = list((out / "pkg").glob("runlens_*_amd64.deb"))
        if len(debs) != 1:
            raise AssertionError(f"expected one runlens_<version>_amd64.deb, got {debs}")
        cls.deb = debs[0]
        cls.root = out / "root"
        subprocess.run(["dpkg-deb", "-x", str(cls.deb), str(cls.root)], check=True)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_depends_come_from_the_libraries_it_links(self):
        depends = run(["dpkg-deb", "-f", str(self.deb), "Depends"]).stdout
        for package in ("libqt6charts6", "libqt6widgets6", "libgit2", "libzip4", "libsqlite3-0", "libyaml-cpp", "python3"):
            self.assertIn(package, depends)
        self.assertIn(cli("--version").split()[1], self.deb.name)

    def test_installs_what_a_user_needs(self):
        files = {str(p.relative_to(self.root)) for p in self.root.rglob("*")}
        for wanted in ("usr/bin/runlens", "usr/include/runlens/runlens.h", "usr/include/runlens/runlens_c.h",
                       "usr/include/runlens/runlens_read.h",
                       "usr/lib/python3/dist-packages/runlens/__init__.py",
                       "usr/lib/python3/dist-packages/runlens/reading.py",
                       "usr/lib/python3/dist-packages/runlens/librunlens-read.so",
                       "usr/lib/python3/dist-packages/runlens/mlflow/__init__.py",
                       "usr/lib/python3/dist-packages/runlens/mlflow/tracking/__init__.py",
                       "usr/lib/python3/dist-packages/runlens/mlflow/sklearn/__init__.py",
                       "usr/share/applications/org.runlens.Runlens.desktop",
                       "usr/share/icons/hicolor/scalable/apps/runlens.svg",
                       "usr/share/metainfo/org.runlens.Runlens.metainfo.xml",
                       "usr/share/mime/packages/runlens.xml",
                       "usr/share/bash-completion/completions/runlens",
                       "usr/share/doc/runlens/LICENSE"):
            self.assertIn(wanted, files)
        self.assertTrue(any(re.fullmatch(r"usr/share/man/man1/runlens\.1(\.gz)?", f) for f in files))
        self.assertTrue(any(f.endswith("cmake/RunlensLogger/RunlensLoggerConfig.cmake") for f in files))
        self.assertTrue(any(f.endswith("pkgconfig/runlens-logger.pc") for f in files))

    def test_the_unpacked_program_runs(self):
        proc = run([str(self.root / "usr/bin/runlens"), "--version"])
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, cli("--version"))
        ldd = run(["ldd", str(self.root / "usr/bin/runlens")]).stdout
        self.assertNotIn("not found", ldd)
        self.assertNotIn(str(BUILD), ldd)  # nothing from the build tree

    def test_python_package_finds_the_installed_library(self):
        env = {k: v for k, v in os.environ.items() if k not in ("RUNLENS_LIBRARY", "RUNLENS_READ_LIBRARY")}
        env["PYTHONPATH"] = str(self.root / "usr/lib/python3/dist-packages")
        store = Path(self.tmp.name) / "deb-python.db"
        make_store_with_python("python3", store, env)
        where = run(["python3", "-c", "import runlens._native as n; print(n.lib._name)"], env=env).stdout
        self.assertIn(str(self.root), where)
        runs = json.loads(cli("runs", str(store), "--format", "json"))
        self.assertEqual([r["name"] for r in runs], ["from-python"])
        # runlens.open() through the unpacked librunlens-read.so (the link beside the package).
        self.assertEqual(read_with_python("python3", store, env), runs)
        where = run(["python3", "-c", "from runlens import _read_native as n; print(n.lib()._name)"], env=env).stdout
        self.assertIn(str(self.root), where)

    def test_cxx_program_builds_against_the_package_config_and_pkg_config(self):
        build = Path(self.tmp.name) / "cxx"
        prefix = self.root / "usr"
        proc = run(["cmake", "-S", str(SOURCE / "examples" / "installed"), "-B", str(build),
                    f"-DCMAKE_PREFIX_PATH={prefix}"])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        proc = run(["cmake", "--build", str(build)])
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        store = build / "runs.db"
        env = {**os.environ, "LD_LIBRARY_PATH": str(next(prefix.rglob("librunlens.so.*")).parent)}
        proc = run([str(build / "log_one_run"), str(store)], env=env)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([r["name"] for r in json.loads(cli("runs", str(store), "--format", "json"))],
                         ["from-an-installed-runlens"])
        # The package is all a training program needs: no other -dev package.
        config = next(prefix.rglob("RunlensLoggerConfig.cmake")).read_text()
        self.assertNotIn("find_dependency", config)
        pc_file = next(prefix.rglob("runlens-logger.pc"))
        self.assertNotRegex(pc_file.read_text(), r"(?m)^Requires")
        pc_dir = pc_file.parent
        flags = run(["pkg-config", "--cflags", "--libs", "runlens-logger"],
                    env={**os.environ, "PKG_CONFIG_PATH": str(pc_dir)}).stdout
        self.assertIn("-lrunlens", flags)
        include = re.search(r"-I(\S+)", flags).group(1)
        self.assertTrue((Path(include) / "runlens" / "runlens.h").exists(), flags)


if __name__ == "__main__":
    unittest.main()
