// SPDX-License-Identifier: GPL-3.0-or-later
// A confusion matrix a run logged (runlens/media.h: CSV, rows the true
// label, columns the predicted one), the per-class recall and precision
// read from it, and the difference between two runs' matrices over the
// union of their labels, so "which classes did the new model trade?" is
// one picture.
#pragma once

#include "result.h"

#include <QByteArray>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace runlens {

struct ConfusionMatrix {
    QStringList labels;
    std::vector<int64_t> counts; // labels² values, row (truth) by row

    int size() const { return int(labels.size()); }
    int64_t at(int truth, int predicted) const { return counts[size_t(truth * size() + predicted)]; }
    int64_t total() const;
    int64_t rowTotal(int truth) const;
    int64_t columnTotal(int predicted) const;
    // Of the examples of class i, the share predicted i; none without examples.
    std::optional<double> recall(int i) const;
    // Of the examples predicted i, the share that were i; none without predictions.
    std::optional<double> precision(int i) const;
    std::optional<double> accuracy() const;

    // Reads the CSV a run logged (a header of "" then the labels; a row a
    // true label). A ragged or non-integer table says which cell.
    static Result<ConfusionMatrix> parse(const QByteArray& csv);
    // `b` minus `a`, over `a`'s labels then the ones only `b` has: positive
    // where b has more.
    static ConfusionMatrix difference(const ConfusionMatrix& a, const ConfusionMatrix& b);
};

} // namespace runlens
