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
    case Kind::NonFinite: return std::isnan(value) ? QStringLiteral("nan") : QStringLiteral("inf");
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
        return QStringLiteral("%1 logged %2 = %3 at step %4").arg(run, metric, numberText(value)).arg(step);
    }
    return {};
}

bool RunWatch::watchesMetric(const WatchRules& rules, const QString& key)
{
    return rules.metrics.isEmpty() ? !isSystemMetric(key) : rules.metrics.contains(key);
}

std::vector<WatchEvent> RunWatch::update(const RunTable& table, std::span<const int> matching, int64_t nowMs)
{
    std::vector<WatchEvent> events;
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
    for (int row : matching)
        if (!seen_.contains(table.id(row))) {
            Seen fresh;
            // Seen for the first time after watching began: it ran since, so
            // an end already reached is news (a short run that failed between
            // two refreshes).
            if (primed_)
                fresh.status = RunStatus::Running;
            else
                fresh.status = table.status(row);
            seen_.insert(table.id(row), fresh);
        }
    running_ = 0;
    std::vector<WatchEvent> failures, metrics;
    for (auto it = seen_.begin(); it != seen_.end(); ++it) {
        const int row = table.rowOfId(it.key());
        if (row < 0)
            continue; // deleted, or a refresh that could not read it: keep what we knew
        Seen& seen = it.value();
        const RunStatus now = table.status(row);
        if (now == RunStatus::Running)
            ++running_;
        if (primed_ && rules_.failures && now != seen.status
            && (now == RunStatus::Failed || now == RunStatus::Crashed)
            // A run marked crashed that reports failed at last is no second failure.
            && !(seen.status == RunStatus::Crashed && now == RunStatus::Failed))
            failures.push_back(event(now == RunStatus::Failed ? WatchEvent::Kind::Failed : WatchEvent::Kind::Crashed, row));
        seen.status = now;
        if (!rules_.nonFinite)
            continue;
        for (const MetricColumn& m : table.metrics()) {
            if (!m.has(row) || !m.expression.isEmpty() || !watchesMetric(rules_, m.key))
                continue;
            const double last = m.last[size_t(row)];
            if (std::isfinite(last)) {
                seen.nonFinite.remove(m.key);
                continue;
            }
            if (seen.nonFinite.contains(m.key))
                continue;
            seen.nonFinite.insert(m.key);
            if (!primed_)
                continue;
            WatchEvent e = event(WatchEvent::Kind::NonFinite, row);
            e.time = nowMs;
            e.metric = m.key;
            e.value = last;
            e.step = m.lastStep[size_t(row)];
            metrics.push_back(std::move(e));
        }
    }
    primed_ = true;
    // In the order they happened as far as the store tells: failures by when
    // the run ended; then the metrics, by run and key (seen together).
    auto byRun = [](const WatchEvent& a, const WatchEvent& b) {
        return std::tie(a.time, a.runId, a.metric) < std::tie(b.time, b.runId, b.metric);
    };
    std::sort(failures.begin(), failures.end(), byRun);
    std::sort(metrics.begin(), metrics.end(), byRun);
    events = std::move(failures);
    events.insert(events.end(), std::make_move_iterator(metrics.begin()), std::make_move_iterator(metrics.end()));
    return events;
}

} // namespace runlens
