// SPDX-License-Identifier: GPL-3.0-or-later
// Smoothing of metric curves, applied to the raw points before decimation.
#pragma once

#include <span>
#include <vector>

namespace runlens {

enum class Smoothing { None, Ema, RunningMean };

// TensorBoard's debiased exponential moving average: weight in [0, 1), 0.6 by
// default there. NaN and Inf points keep their value and do not enter the average.
std::vector<double> emaDebiased(std::span<const double> values, double weight);

// Mean of the last `window` finite points (fewer at the start).
std::vector<double> runningMean(std::span<const double> values, int window);

} // namespace runlens
