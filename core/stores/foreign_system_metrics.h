// SPDX-License-Identifier: GPL-3.0-or-later
// Other trackers' system metrics under Runlens's names and units, so that a
// chart, a query or a report of GPU memory means the same for an MLflow run
// (system/gpu_0_memory_usage_megabytes, MB of 10^6 bytes), a W&B run (stats
// gpu.0.memoryAllocatedBytes), a Comet run (sys.gpu.0.used_memory, bytes)
// and a run of ours (system/gpu.0.memory_used_mb,
// MiB). Only quantities that are the same thing are renamed: W&B's process
// CPU divided by the core count, or MLflow's network megabytes counted since
// the run began (ours are rates), keep the tool's own name under system/.
#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace runlens {

struct MetricSeries;
struct MetricSummary;

enum class SystemMetricSource { Mlflow, Wandb, Comet };

struct SystemMetricName {
    QString key;       // the name in the direction asked (ours, or the tool's)
    double factor = 1; // the tool's value times this is the value in Runlens's unit
};

// `toolKey` as the tool stores it ("system/gpu_0_utilization_percentage" for
// MLflow; "gpu.0.gpu", a stats item, for W&B): our key and the factor;
// nullopt when there is no exact equivalent.
std::optional<SystemMetricName> runlensSystemMetric(SystemMetricSource source, const QString& toolKey);
// The other way, for a reader asked for a series by the name its table
// shows: the names it may be stored under, in the order to try: `key` itself
// (factor 1), then the tool's names for it (MLflow's NVIDIA and ROCm monitors
// name GPU memory differently), each with the factor for the tool's values.
std::vector<SystemMetricName> storedNamesOf(SystemMetricSource source, const QString& key);

void scaleSeries(MetricSeries& series, double factor);
// A summary of the tool's series renamed and rescaled as ours, when it is a
// system metric with an equivalent; unchanged otherwise.
void asRunlensSystemMetric(SystemMetricSource source, MetricSummary& summary);

} // namespace runlens
