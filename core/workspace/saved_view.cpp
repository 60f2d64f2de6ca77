// SPDX-License-Identifier: GPL-3.0-or-later
#include "saved_view.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace runlens {

namespace {

QJsonArray array(const QStringList& list)
{
    return QJsonArray::fromStringList(list);
}

QStringList strings(const QJsonValue& v)
{
    QStringList out;
    for (const QJsonValue& item : v.toArray())
        if (item.isString())
            out << item.toString();
    return out;
}

} // namespace

QString SavedView::toJson() const
{
    const QJsonObject o{{QStringLiteral("format"), QStringLiteral("runlens-view 1")},
                        {QStringLiteral("query"), query},
                        {QStringLiteral("hidden"), array(hiddenColumns)},
                        {QStringLiteral("pinned"), array(pinnedColumns)},
                        {QStringLiteral("groupBy"), groupBy},
                        {QStringLiteral("metrics"), array(metrics)},
                        {QStringLiteral("curves"), curves},
                        {QStringLiteral("tab"), tab}};
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

Result<SavedView> SavedView::fromJson(const QString& text)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!doc.isObject())
        return Failure{QStringLiteral("not a saved view: %1").arg(doc.isNull() ? error.errorString() : QStringLiteral("not a JSON object"))};
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("format")).toString() != QLatin1String("runlens-view 1"))
        return Failure{QStringLiteral("not a saved view (no \"format\": \"runlens-view 1\")")};
    SavedView v;
    v.query = o.value(QStringLiteral("query")).toString();
    v.hiddenColumns = strings(o.value(QStringLiteral("hidden")));
    v.pinnedColumns = strings(o.value(QStringLiteral("pinned")));
    v.groupBy = o.value(QStringLiteral("groupBy")).toString();
    v.metrics = strings(o.value(QStringLiteral("metrics")));
    v.curves = o.value(QStringLiteral("curves")).toObject();
    v.tab = o.value(QStringLiteral("tab")).toString();
    return v;
}

} // namespace runlens
