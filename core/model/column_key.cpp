// SPDX-License-Identifier: GPL-3.0-or-later
#include "column_key.h"

namespace runlens {

namespace {

struct Prefix {
    ColumnKey::Kind kind;
    QLatin1String text;
};
constexpr Prefix kPrefixes[] = {{ColumnKey::Kind::Param, QLatin1String("params.")},
    {ColumnKey::Kind::Metric, QLatin1String("metrics.")}, {ColumnKey::Kind::Tag, QLatin1String("tags.")}};

} // namespace

ColumnKey ColumnKey::parse(const QString& text)
{
    for (const auto& p : kPrefixes)
        if (text.startsWith(p.text))
            return {p.kind, text.mid(p.text.size())};
    return {Kind::Field, text};
}

ColumnKey ColumnKey::parseMetric(const QString& text)
{
    const ColumnKey key = parse(text);
    return key.kind == Kind::Field ? metric(text) : key;
}

QString ColumnKey::text() const
{
    for (const auto& p : kPrefixes)
        if (p.kind == kind)
            return p.text + name;
    return name;
}

} // namespace runlens
