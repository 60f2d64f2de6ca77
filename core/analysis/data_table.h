// SPDX-License-Identifier: GPL-3.0-or-later
// A table a run produced, ready to show: a CSV or TSV (Runlens's log_table,
// any .csv artifact) or MLflow's log_table JSON ({"columns": [...],
// "data": [[...]]}), parsed by libcsv and Qt's JSON, at most kMaxRows rows.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace runlens {

struct DataTable {
    static constexpr int kMaxRows = 100000;

    QStringList columns;
    std::vector<QStringList> rows;
    QString problem; // why it stopped early or is empty; the rows before it are there

    // `format`: "csv", "tsv" or "json".
    static DataTable parse(const QByteArray& bytes, const QString& format);
    // Whether `json` has MLflow's table shape (a text artifact that is a table).
    static bool isTableJson(const QByteArray& json);
};

} // namespace runlens
