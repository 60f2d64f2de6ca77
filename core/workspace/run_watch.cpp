// SPDX-License-Identifier: GPL-3.0-or-later
#include "run_watch.h"

#include "metric_priority.h"
#include "number_text.h"

#include <algorithm>
#include <cmath>

namespace runlens {

QString WatchEvent::kindName() const
{
    switch (kind) {
    case Kind::Failed: return QStringLiteral("failed");
    case Kind::Crashed: return QStringLiteral("crashed");
    case Kind::NonFinite:
        return std::isnan(value) ? QStringLiteral("nan") : value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    }
    return {};
}

QString WatchEvent::text() const
{
    const QString run = QStringLiteral("run '%1' (%2)").arg(runName.isEmpty() ? runId : runName, experiment);
    switch (kind) {
    case Kind::Failed: return QStringLiteral("%1 failed").arg(run);
    case Kind::Crashed: return QStringLiteral("%1 crashed: its heartbeat stopped").arg(run);
    case Kind::NonFinite:
        return QStringLiteral("%1 logged %2 = %3 (by step %4)").arg(run, metric, numberText(value)).arg(step);
    }
    return {};
}

bool RunWatch::watchesMetric(const WatchRules& rules, const QString& key)
{
    return rules.metrics.isEmpty() ? !isSystemMetric(key) : rules.metrics.contains(key);
}

std::vector<WatchEvent> RunWatch::update(
    const RunTable& table, std::span<const int> storeRows, std::span<const int> matching, int64_t nowMs)
{
    auto event = [&](WatchEvent::Kind kind, int row) {
        WatchEvent e;
        e.kind = kind;
        e.runId = table.id(row);
        e.runName = table.name(row);
        e.experiment = table.experiment(row);
        e.time = table.endTime(row) >= 0 ? table.endTime(row) : nowMs;
        return e;
    };
    // Runs the query matches now, and those it matched before: a run watched
    // while running still tells when it fails, though "status = running"
    // no longer matches it.
    for (int row : matching) {
        const QString& id = table.id(row);
        if (seen_.contains(id))
            continue;
        Seen fresh;
        if (const auto before = known_.constFind(id); before != known_.constEnd()) {
            // In the store before it matched: news only from its state then.
            fresh.status = *before;
            fresh.baseline = true;
            fresh.statusKnown = true;
        } else if (!primed_) {
            fresh.status = table.status(row);
            fresh.baseline = true;
        } else {
            // New since the last look: it ran since, so an end already
            // reached is news (a short run that failed between two reads).
            fresh.status = RunStatus::Running;
        }
        seen_.insert(id, fresh);
    }
    QHash<QString, int> rowOf;
    rowOf.reserve(qsizetype(storeRows.size()));
    for (int row : storeRows)
        rowOf.insert(table.id(row), row);

    running_ = 0;
    std::vector<WatchEvent> failures, metrics;
    for (auto it = seen_.begin(); it != seen_.end(); ++it) {
        const int row = rowOf.value(it.key(), -1);
        if (row < 0)
            continue; // deleted, or a refresh that could not read it: keep what we knew
        Seen& seen = it.value();
        const RunStatus now = table.status(row);
        const bool changed = now != seen.status;
        const bool statusNews = changed && (!seen.baseline || seen.statusKnown);
        if (now == RunStatus::Running)
            ++running_;
        // A run new since the last look ran, however short.
        if (now == RunStatus::Running || statusNews)
            sawRunning_ = true;
        if (statusNews && rules_.failures) {
            if (now == RunStatus::Failed && seen.status != RunStatus::Crashed)
                failures.push_back(event(WatchEvent::Kind::Failed, row));
            else if (now == RunStatus::Crashed && !seen.crashReported)
                failures.push_back(event(WatchEvent::Kind::Crashed, row));
        }
        if (now == RunStatus::Crashed)
            seen.crashReported = true;
        seen.status = now;
        // A run's metrics change only while it runs, or in the flush that ends it.
        const bool scan = rules_.nonFinite && (now == RunStatus::Running || changed || seen.baseline);
        if (scan) {
            for (const MetricColumn& m : table.metrics()) {
                if (!m.has(row) || !m.expression.isEmpty() || !watchesMetric(rules_, m.key))
                    continue;
                const auto r = size_t(row);
                const bool nan = m.nanCount[r] > 0 || std::isnan(m.last[r]);
                const bool inf = std::isinf(m.last[r]) || std::isinf(m.max[r]) || std::isinf(m.min[r]);
                const int bad = (nan ? 1 : 0) | (inf ? 2 : 0);
                int& known = seen.nonFinite[m.key];
                const int fresh = bad & ~known;
                known |= bad;
                if (fresh == 0 || seen.baseline)
                    continue;
                WatchEvent e = event(WatchEvent::Kind::NonFinite, row);
                e.time = nowMs;
                e.metric = m.key;
                // One event a metric a look: the NaN when both came, else the
                // infinity with its sign.
                e.value = (fresh & 1) ? NAN
                    : std::isinf(m.last[r]) ? m.last[r]
                    : std::isinf(m.max[r])  ? m.max[r]
                                            : m.min[r];
                e.step = m.lastStep[r];
                metrics.push_back(std::move(e));
            }
        }
        seen.baseline = false;
    }
    known_.clear();
    known_.reserve(rowOf.size());
    for (auto it = rowOf.cbegin(); it != rowOf.cend(); ++it)
        known_.insert(it.key(), table.status(it.value()));
    primed_ = true;
    // In the order they happened as far as the store tells: failures by when
    // the run ended; then the metrics, by run and key (seen together).
    auto byRun = [](const WatchEvent& a, const WatchEvent& b) {
        return std::tie(a.time, a.runId, a.metric) < std::tie(b.time, b.runId, b.metric);
    };
    std::sort(failures.begin(), failures.end(), byRun);
    std::sort(metrics.begin(), metrics.end(), byRun);
    std::vector<WatchEvent> events = std::move(failures);
    events.insert(events.end(), std::make_move_iterator(metrics.begin()), std::make_move_iterator(metrics.end()));
    return events;
}

} // namespace runlens
