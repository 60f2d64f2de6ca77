// SPDX-License-Identifier: GPL-3.0-or-later
// A column of the run model as queries, settings and views name it
// ("params.lr", "metrics.val/auc", "tags.owner", "status"), typed: no caller
// cuts a prefix off a string to learn what a column is.
#pragma once

#include <QString>

namespace runlens {

struct ColumnKey {
    enum class Kind { Field, Param, Metric, Tag }; // Field: name, status, start_time, ...
    Kind kind = Kind::Field;
    QString name; // the key without its prefix ("lr"), or the field ("status")

    static ColumnKey param(const QString& key) { return {Kind::Param, key}; }
    static ColumnKey metric(const QString& key) { return {Kind::Metric, key}; }
    static ColumnKey tag(const QString& key) { return {Kind::Tag, key}; }
    // "params.lr" -> {Param, "lr"}; without a known prefix, a Field.
    static ColumnKey parse(const QString& text);
    // A metric named bare ("val/auc") or with its prefix ("metrics.val/auc");
    // another prefix ("params.lr") keeps its kind.
    static ColumnKey parseMetric(const QString& text);

    QString text() const; // back to "params.lr"
    bool isMetric() const { return kind == Kind::Metric; }
    bool isParam() const { return kind == Kind::Param; }
    bool operator==(const ColumnKey&) const = default;
};

} // namespace runlens
