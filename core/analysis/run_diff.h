// SPDX-License-Identifier: GPL-3.0-or-later
// What differs between runs: params, tags, metric summaries, data versions,
// environment and git, section by section. Two runs for `runlens diff`; up
// to dozens side by side for the diff view, with deltas against a baseline.
#pragma once

#include "run_details.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <vector>

namespace runlens {

struct DiffEntry {
    QString section;   // run, params, tags, metrics, data, git, environment
    QString key;
    QString a, b;      // as text; empty with present false where the run lacks it
    bool inA = true, inB = true;
};

// What a diff or comparison includes beyond the defaults.
struct CompareOptions {
    bool toolTags = false; // other tools' internal tags (tool_tags.h): left out unless asked
};

// Only the entries that differ, grouped by section, keys in natural order.
std::vector<DiffEntry> diffRuns(const RunDetails& a, const RunDetails& b, const CompareOptions& options = {});
// {a: id, b: id, differences: [{section, key, a, b}]} (null where a run lacks
// the key): what `runlens diff --format json` prints and Python's store.diff() returns.
QJsonObject runDiffToJson(const RunDetails& a, const RunDetails& b, const std::vector<DiffEntry>& entries);

// Several runs side by side: one row per (section, key) any of them has.
struct ComparisonRow {
    QString section;
    QString key;
    std::vector<std::optional<QString>> values;   // per run; nullopt where the run lacks it
    bool differs = false;
    bool quantity = true;   // deltas make sense (not for seeds, which are labels)
};

struct RunComparison {
    std::vector<QString> runIds, runNames;
    std::vector<ComparisonRow> rows;   // sections in a fixed order, keys in natural order
};

RunComparison compareRuns(const std::vector<RunDetails>& runs, const CompareOptions& options = {});

// True for the sections whose values may be numbers as logged (params, tags,
// metric summaries), which read in compact form (compactValue); the rest
// (data versions, git, the environment) is recorded text, shown as it is.
bool sectionHoldsNumbers(const QString& section);

// value - baseline and its percentage, when both read as numbers.
struct Delta {
    double absolute = 0;
    std::optional<double> percent;   // none when the baseline is 0
};
std::optional<Delta> deltaOf(const std::optional<QString>& value, const std::optional<QString>& baseline);
// "+0.1, +100.0%" (the percentage left out when there is none).
QString deltaText(const Delta& delta);

// A Markdown table (pipes and newlines in values escaped; numbers compact, as in reports).
QString comparisonToMarkdown(const RunComparison& c, bool onlyDifferences, int baseline = -1);
// A booktabs LaTeX tabular (every LaTeX special character escaped).
QString comparisonToLatex(const RunComparison& c, bool onlyDifferences, int baseline = -1);
// Text as it reads in LaTeX: \ & % $ # _ { } ~ ^ < > | escaped, line breaks as spaces.
QString latexEscape(const QString& text);

} // namespace runlens
