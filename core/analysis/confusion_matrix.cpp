// SPDX-License-Identifier: GPL-3.0-or-later
#include "confusion_matrix.h"

#include "delimited_file.h"

#include <numeric>

namespace runlens {

int64_t ConfusionMatrix::total() const
{
    return std::accumulate(counts.begin(), counts.end(), int64_t(0));
}

int64_t ConfusionMatrix::rowTotal(int truth) const
{
    int64_t sum = 0;
    for (int c = 0; c < size(); ++c)
        sum += at(truth, c);
    return sum;
}

int64_t ConfusionMatrix::columnTotal(int predicted) const
{
    int64_t sum = 0;
    for (int r = 0; r < size(); ++r)
        sum += at(r, predicted);
    return sum;
}

std::optional<double> ConfusionMatrix::recall(int i) const
{
    const int64_t n = rowTotal(i);
    return n > 0 ? std::optional<double>(double(at(i, i)) / double(n)) : std::nullopt;
}

std::optional<double> ConfusionMatrix::precision(int i) const
{
    const int64_t n = columnTotal(i);
    return n > 0 ? std::optional<double>(double(at(i, i)) / double(n)) : std::nullopt;
}

std::optional<double> ConfusionMatrix::accuracy() const
{
    const int64_t n = total();
    if (n <= 0)
        return std::nullopt;
    int64_t right = 0;
    for (int i = 0; i < size(); ++i)
        right += at(i, i);
    return double(right) / double(n);
}

Result<ConfusionMatrix> ConfusionMatrix::parse(const QByteArray& csv)
{
    ConfusionMatrix m;
    QString problem;
    int row = 0;
    const QString why = readDelimitedText(
        csv, ',',
        [&](const DelimitedHeader& header) {
            for (size_t i = 1; i < header.names.size(); ++i)
                m.labels << QString::fromStdString(header.names[i]);
        },
        [&](const DelimitedRow& fields) {
            ++row;
            if (!problem.isEmpty())
                return;
            if (row > m.size() || fields.size() != size_t(m.size()) + 1) {
                problem = QStringLiteral("row %1 does not match the %2 labels of the header").arg(row).arg(m.size());
                return;
            }
            if (QString::fromStdString(fields[0]) != m.labels[row - 1]) {
                problem = QStringLiteral("row %1 is labelled '%2', not '%3' as the header's column")
                              .arg(row)
                              .arg(QString::fromStdString(fields[0]), m.labels[row - 1]);
                return;
            }
            for (size_t c = 1; c < fields.size(); ++c) {
                bool ok = false;
                const qlonglong v = QByteArray::fromStdString(fields[c]).trimmed().toLongLong(&ok);
                if (!ok || v < 0) {
                    problem = QStringLiteral("row %1, column %2: '%3' is not a count")
                                  .arg(row)
                                  .arg(c)
                                  .arg(QString::fromStdString(fields[c]));
                    return;
                }
                m.counts.push_back(v);
            }
        });
    if (!why.isEmpty())
        return Failure{QStringLiteral("not a confusion matrix: %1").arg(why)};
    if (!problem.isEmpty())
        return Failure{QStringLiteral("not a confusion matrix: %1").arg(problem)};
    if (m.labels.isEmpty() || row != m.size())
        return Failure{QStringLiteral("not a confusion matrix: %1 labels and %2 rows").arg(m.size()).arg(row)};
    return m;
}

ConfusionMatrix ConfusionMatrix::difference(const ConfusionMatrix& a, const ConfusionMatrix& b)
{
    ConfusionMatrix d;
    d.labels = a.labels;
    for (const QString& l : b.labels)
        if (!d.labels.contains(l))
            d.labels << l;
    const int n = d.size();
    d.counts.assign(size_t(n * n), 0);
    const auto add = [&](const ConfusionMatrix& m, int sign) {
        for (int r = 0; r < m.size(); ++r)
            for (int c = 0; c < m.size(); ++c) {
                const auto dr = d.labels.indexOf(m.labels[r]);
                const auto dc = d.labels.indexOf(m.labels[c]);
                d.counts[size_t(dr * n + dc)] += sign * m.at(r, c);
            }
    };
    add(a, -1);
    add(b, +1);
    return d;
}

} // namespace runlens
