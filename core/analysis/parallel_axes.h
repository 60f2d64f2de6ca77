// SPDX-License-Identifier: GPL-3.0-or-later
// The axes of a parallel-coordinates plot over runs, without drawing: each
// axis maps a param or metric to [0, 1] (linear, log, or categorical), can
// be flipped and brushed; a run is kept when it lies inside every brush.
// Missing values map to kMissing, below the axis, and never pass a brush.
#pragma once

#include "run_table.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace runlens {

struct ParallelAxis {
    QString key;              // params.X or metrics.X
    QString title;            // X
    bool categorical = false;
    bool log = false;         // numeric axes whose values are all > 0
    bool canLog = false;
    bool flipped = false;
    double min = 0, max = 1;  // numeric range (of log10 when log)
    QStringList categories;   // categorical axes, in natural order
    std::optional<std::pair<double, double>> brush;   // fractions, lo <= hi
};

class ParallelAxes {
public:
    static constexpr double kMissing = -1;

    // Params that vary across the rows, then `sortMetric` (or the first metric).
    // At most `maxParams`: those most of the rows have (several stores side
    // by side share few params; ninety axes read as none), in name order.
    // `varyingParams` gets how many vary in all.
    static QStringList defaultKeys(const RunTable& table, const std::vector<int>& rows, const QString& sortMetric = {},
        int maxParams = 12, int* varyingParams = nullptr);

    void build(const RunTable& table, const std::vector<int>& rows, const QStringList& keys);
    const std::vector<ParallelAxis>& axes() const { return axes_; }
    const std::vector<int>& rows() const { return rows_; }

    void setLog(int axis, bool log);
    void setFlipped(int axis, bool flipped);
    void setBrush(int axis, std::optional<std::pair<double, double>> brush);
    void clearBrushes();
    void moveAxis(int from, int to);

    // Position of a table row on an axis: [0, 1] from bottom to top, or kMissing.
    double fraction(int axis, int row) const;
    // The value at a fraction, as an axis label shows it.
    QString labelAt(int axis, double fraction) const;
    // Rows inside every brush (all rows when nothing is brushed).
    std::vector<int> brushed() const;
    bool passes(int row) const;

private:
    struct Column {
        const ValueColumn* value = nullptr;
        const MetricColumn* metric = nullptr;
        std::vector<double> fractions;   // per table row, unflipped; kMissing where absent
    };
    void computeFractions(int axis);
    std::optional<double> number(int axis, int row) const;
    std::optional<QString> text(int axis, int row) const;

    const RunTable* table_ = nullptr;
    std::vector<int> rows_;
    std::vector<ParallelAxis> axes_;
    std::vector<Column> columns_;
};

} // namespace runlens
