#include "run_diff.h"

#include <QCryptographicHash>
#include <QMap>

namespace runlens {

namespace {

using Section = QMap<QString, QString>;

void diffSection(const QString& name, const Section& a, const Section& b, std::vector<DiffEntry>& out)
{
    QMap<QString, bool> keys;
    for (auto it = a.cbegin(); it != a.cend(); ++it)
        keys.insert(it.key(), true);
    for (auto it = b.cbegin(); it != b.cend(); ++it)
        keys.insert(it.key(), true);
    for (auto it = keys.cbegin(); it != keys.cend(); ++it) {
        const auto& k = it.key();
        const bool inA = a.contains(k), inB = b.contains(k);
        const QString va = a.value(k), vb = b.value(k);
        if (inA != inB || va != vb)
            out.push_back({name, k, va, vb, inA, inB});
    }
}

Section fromPairs(const KeyValues& kv)
{
    Section s;
    for (const auto& [k, v] : kv)
        s.insert(k, v);
    return s;
}

QString number(double v)
{
    return QString::number(v, 'g', 10);
}

Section metricSection(const std::vector<MetricSummary>& metrics)
{
    Section s;
    for (const auto& m : metrics) {
        s.insert(m.key + QStringLiteral(".last"), number(m.last));
        s.insert(m.key + QStringLiteral(".min"), number(m.min));
        s.insert(m.key + QStringLiteral(".max"), number(m.max));
        s.insert(m.key + QStringLiteral(".count"), QString::number(m.count));
        s.insert(m.key + QStringLiteral(".last_step"), QString::number(m.lastStep));
    }
    return s;
}

Section gitSection(const GitRecord& g)
{
    Section s;
    if (!g.present)
        return s;
    s.insert(QStringLiteral("commit"), g.commit);
    s.insert(QStringLiteral("branch"), g.branch);
    s.insert(QStringLiteral("remote"), g.remote);
    s.insert(QStringLiteral("dirty"), g.dirty ? QStringLiteral("yes") : QStringLiteral("no"));
    // Summarised, but by content: two different patches never read as equal.
    if (!g.diff.isEmpty()) {
        const QByteArray bytes = g.diff.toUtf8();
        s.insert(QStringLiteral("uncommitted diff"),
            QStringLiteral("%1 lines, sha256 %2%3")
                .arg(g.diff.count(QLatin1Char('\n')))
                .arg(QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().left(12)))
                .arg(g.diffTruncated ? QStringLiteral(" (truncated)") : QString()));
    }
    return s;
}

} // namespace

std::vector<DiffEntry> diffRuns(const RunDetails& a, const RunDetails& b)
{
    std::vector<DiffEntry> out;
    Section ra, rb;
    ra.insert(QStringLiteral("experiment"), a.experiment);
    rb.insert(QStringLiteral("experiment"), b.experiment);
    ra.insert(QStringLiteral("status"), statusName(a.status));
    rb.insert(QStringLiteral("status"), statusName(b.status));
    ra.insert(QStringLiteral("reproducibility hash"), a.reproHash);
    rb.insert(QStringLiteral("reproducibility hash"), b.reproHash);
    diffSection(QStringLiteral("run"), ra, rb, out);

    Section pa, pb;
    for (const auto& p : a.params)
        pa.insert(p.key, p.value);
    for (const auto& p : b.params)
        pb.insert(p.key, p.value);
    diffSection(QStringLiteral("params"), pa, pb, out);
    diffSection(QStringLiteral("tags"), fromPairs(a.tags), fromPairs(b.tags), out);
    diffSection(QStringLiteral("metrics"), metricSection(a.metrics), metricSection(b.metrics), out);
    diffSection(QStringLiteral("data"), fromPairs(a.dataVersions), fromPairs(b.dataVersions), out);
    diffSection(QStringLiteral("git"), gitSection(a.git), gitSection(b.git), out);

    Section ea = fromPairs(a.environment), eb = fromPairs(b.environment);
    diffSection(QStringLiteral("environment"), ea, eb, out);
    return out;
}

} // namespace runlens
