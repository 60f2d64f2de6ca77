// SPDX-License-Identifier: GPL-3.0-or-later
#include "foreign_system_metrics.h"

#include "metric_series.h"
#include "run_details.h"

#include <QRegularExpression>

#include <array>
#include <cmath>

namespace runlens {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

// One row per quantity both sides mean the same way; "{i}" is a device index.
// MLflow: mlflow/system_metrics/metrics/{cpu,gpu,rocm,disk}_monitor.py
// (MLflow 2.8+; its megabytes are 10^6 bytes). W&B: the stats items of the
// system monitor, docs/guides/app/features/system-metrics.md in wandb/docs
// (its MB are MiB: psutil's bytes / 1024 / 1024).
struct Row {
    SystemMetricSource source;
    const char* tool;
    const char* ours;
    double factor;
};
const std::array kRows = {
    Row{SystemMetricSource::Mlflow, "system/cpu_utilization_percentage", "system/cpu_percent", 1},
    // Not MLflow's system_memory_usage_megabytes (psutil's "used" leaves out
    // buffers, cache and shared memory; ours is total less available) nor
    // its disk_available_megabytes (of /, ours of the store's disk).
    Row{SystemMetricSource::Mlflow, "system/gpu_{i}_utilization_percentage", "system/gpu.{i}.utilization_percent", 1},
    Row{SystemMetricSource::Mlflow, "system/gpu_{i}_memory_usage_megabytes", "system/gpu.{i}.memory_used_mb",
        1e6 / kMiB},
    Row{SystemMetricSource::Mlflow, "system/gpu_{i}_memory_usage_gigabytes", "system/gpu.{i}.memory_used_mb",
        1e9 / kMiB},
    Row{SystemMetricSource::Mlflow, "system/gpu_{i}_power_usage_watts", "system/gpu.{i}.power_w", 1},
    Row{SystemMetricSource::Wandb, "proc.memory.rssMB", "system/process.rss_mb", 1},
    Row{SystemMetricSource::Wandb, "proc.memory.availableMB", "system/memory.available_mb", 1},
    Row{SystemMetricSource::Wandb, "gpu.{i}.gpu", "system/gpu.{i}.utilization_percent", 1},
    Row{SystemMetricSource::Wandb, "gpu.{i}.memoryAllocatedBytes", "system/gpu.{i}.memory_used_mb", 1 / kMiB},
    Row{SystemMetricSource::Wandb, "gpu.{i}.temp", "system/gpu.{i}.temperature_c", 1},
    Row{SystemMetricSource::Wandb, "gpu.{i}.powerWatts", "system/gpu.{i}.power_w", 1},
    // Comet: the sys.* metrics of comet_ml's system monitor, as an archive
    // of comet_ml 3.47.6 holds them (tests/fixtures/comet/NOTES.md): bytes,
    // and the GPU's power in milliwatts, as NVML gives it (the same run's
    // gpu_static_info has a 75 W card's power_limit as 75000). Not sys.ram.used
    // (psutil's "used", as MLflow's above).
    Row{SystemMetricSource::Comet, "sys.cpu.percent.avg", "system/cpu_percent", 1},
    Row{SystemMetricSource::Comet, "sys.ram.available", "system/memory.available_mb", 1 / kMiB},
    Row{SystemMetricSource::Comet, "sys.gpu.{i}.gpu_utilization", "system/gpu.{i}.utilization_percent", 1},
    Row{SystemMetricSource::Comet, "sys.gpu.{i}.used_memory", "system/gpu.{i}.memory_used_mb", 1 / kMiB},
    Row{SystemMetricSource::Comet, "sys.gpu.{i}.temperature", "system/gpu.{i}.temperature_c", 1},
    Row{SystemMetricSource::Comet, "sys.gpu.{i}.power_usage", "system/gpu.{i}.power_w", 1e-3},
};

// "gpu_{i}_x" against `key`: the device index ("" when the pattern has none),
// or nullopt when it does not match.
std::optional<QString> match(const char* pattern, const QString& key)
{
    const QString p = QString::fromLatin1(pattern);
    const qsizetype at = p.indexOf(QLatin1String("{i}"));
    if (at < 0)
        return key == p ? std::optional(QString()) : std::nullopt;
    const QString head = p.left(at), tail = p.mid(at + 3);
    if (key.size() <= head.size() + tail.size() || !key.startsWith(head) || !key.endsWith(tail))
        return std::nullopt;
    const QString index = key.mid(head.size(), key.size() - head.size() - tail.size());
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,4}$"));
    if (!digits.match(index).hasMatch())
        return std::nullopt;
    return index;
}

QString filled(const char* pattern, const QString& index)
{
    return QString::fromLatin1(pattern).replace(QLatin1String("{i}"), index);
}

} // namespace

std::optional<SystemMetricName> runlensSystemMetric(SystemMetricSource source, const QString& toolKey)
{
    // Asked for every metric file of every run: most are not the machine's.
    if (source == SystemMetricSource::Mlflow && !toolKey.startsWith(QLatin1String("system/")))
        return std::nullopt;
    for (const Row& row : kRows)
        if (row.source == source)
            if (const auto index = match(row.tool, toolKey))
                return SystemMetricName{filled(row.ours, *index), row.factor};
    return std::nullopt;
}

std::vector<SystemMetricName> storedNamesOf(SystemMetricSource source, const QString& key)
{
    std::vector<SystemMetricName> out{{key, 1}};
    for (const Row& row : kRows)
        if (row.source == source)
            if (const auto index = match(row.ours, key))
                out.push_back({filled(row.tool, *index), row.factor});
    return out;
}

void scaleSeries(MetricSeries& series, double factor)
{
    for (double& v : series.values)
        v *= factor;
}

void asRunlensSystemMetric(SystemMetricSource source, MetricSummary& summary)
{
    if (const auto ours = runlensSystemMetric(source, summary.key)) {
        summary.key = ours->key;
        summary.last *= ours->factor;
        summary.min *= ours->factor;
        summary.max *= ours->factor;
        summary.mean *= ours->factor;
    }
}

} // namespace runlens
