// SPDX-License-Identifier: GPL-3.0-or-later
// Seed statistics of the shown runs: runs that differ only by their seed
// form a group; per group n, mean ± SD, min and max of a metric, and Welch's
// t-test of each group against the best (or between two chosen groups).
// The groups can be drawn as bands in the curves.
#pragma once

#include "run_table.h"
#include "seed_statistics.h"

#include <QHash>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableWidget;

namespace runlens::ui {

class SeedsView : public QWidget {
    Q_OBJECT

public:
    explicit SeedsView(QWidget* parent = nullptr);
    void setRuns(std::shared_ptr<const RunTable> table, const std::vector<int>& rows);
    void setMetric(const QString& metric);
    // Group by one param (its values, the rest pooled); empty: by seed.
    void setGroupBy(const QString& paramKey);
    // The groups shown, best first, and what the summary says.
    const std::vector<SeedGroup>& groups() const { return groups_; }
    QString summary() const;
    QString metric() const;
    QTableWidget* table() const { return table_; }

signals:
    // Group labels and each run's group, for band mode in the curves.
    void bandsRequested(const QStringList& labels, const QHash<int, int>& groupOfRow);

private:
    void recompute();

    std::shared_ptr<const RunTable> runs_;
    std::vector<int> rows_;
    std::vector<SeedGroup> groups_;
    std::vector<SampleStats> stats_;
    QComboBox* metric_;
    QComboBox* groupBy_; // runs that differ only by seed, or one param's values
    QLineEdit* seedKeys_;
    QTableWidget* table_;
    QLabel* summary_;
};

} // namespace runlens::ui
