#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small mutation pass over the core's comparison, decimation and parsing.

Each mutant changes one line of product code the way a slip would; the test
that guards that code is rebuilt and run, and must fail. A mutant that passes
is a gap in the tests: it is printed as a survivor (docs/testing.md keeps the
list). The source is restored after each mutant, also on Ctrl+C.

    tests/mutation/run_mutants.py [BUILD_DIR]
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build"))

# (file, what is there, what a slip would make it, the test that must catch it)
MUTANTS = [
    ("core/query/query_evaluation.cpp", "        case Cmp::Gt:\n            return *c > 0;",
     "        case Cmp::Gt:\n            return *c >= 0;", "test_run_query"),
    ("core/query/query_evaluation.cpp", "        const bool litNumeric = lit.isNumber || !std::isnan(lit.number);",
     "        const bool litNumeric = lit.isNumber;", "test_run_query"),
    ("core/query/query_parser.cpp", "std::unique_ptr<Node> parseOr() { return parseList(Node::Or, \"or\", &Parser::parseAnd); }",
     "std::unique_ptr<Node> parseOr() { return parseList(Node::Or, \"and\", &Parser::parseAnd); }", "test_run_query"),
    ("core/series/plot_series.cpp", "    const size_t lo = i0 > 0 ? i0 - 1 : 0;",
     "    const size_t lo = i0;", "test_plot_series"),
    ("core/model/metric_series.cpp", "        if (i == 0 || s.steps[i] < m.firstStep)",
     "        if (i == 0)", "test_plot_series"),
    ("core/series/group_bands.cpp", "            if (next == 0 || next == points.size())",
     "            if (next == points.size())", "test_plot_series"),
    ("core/model/metric_priority.cpp", "    return lower.match(metric).hasMatch();",
     "    return !lower.match(metric).hasMatch();", "test_seed_statistics"),
    ("core/analysis/seed_statistics.cpp", "            return tb.isNull(); // missing last",
     "            return ta.isNull(); // missing last", "test_seed_statistics"),
    ("ui/report/column_fit.cpp", "        n.minimum = std::min(n.minimum, available * kWidestPiece);",
     "        n.minimum = std::min(n.minimum, available * 0.05);", "test_report"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, cwd=BUILD, capture_output=True, text=True, **kw)


def main():
    survivors = []
    for path, before, after, test in MUTANTS:
        full = os.path.join(ROOT, path)
        with open(full, encoding="utf-8") as f:
            source = f.read()
        if source.count(before) != 1:
            print(f"STALE   {path}: the line to mutate is not there once; update the list")
            survivors.append((path, before, "stale"))
            continue
        try:
            with open(full, "w", encoding="utf-8") as f:
                f.write(source.replace(before, after))
            built = run(["cmake", "--build", ".", "-j2", "--target", test])
            if built.returncode != 0:
                print(f"KILLED  {path}: does not build")
                continue
            result = run([os.path.join("bin", test)], env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
                         timeout=600)
            if result.returncode == 0:
                print(f"SURVIVED {path}: {after.strip()} ({test} passed)")
                survivors.append((path, after, test))
            else:
                print(f"KILLED  {path}: {after.strip()} ({test} failed)")
        finally:
            with open(full, "w", encoding="utf-8") as f:
                f.write(source)
    run(["cmake", "--build", ".", "-j2"])
    print(f"{len(MUTANTS) - len(survivors)} of {len(MUTANTS)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
