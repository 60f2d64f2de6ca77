// SPDX-License-Identifier: GPL-3.0-or-later
#include "series_smoothing.h"

#include <cmath>

namespace runlens {

std::vector<double> emaDebiased(std::span<const double> values, double weight)
{
    std::vector<double> out(values.size());
    double last = 0;
    int n = 0;
    for (size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!std::isfinite(v)) {
            out[i] = v;
            continue;
        }
        last = last * weight + (1 - weight) * v;
        ++n;
        const double debias = weight == 0 ? 1 : 1 - std::pow(weight, n);
        out[i] = last / debias;
    }
    return out;
}

std::vector<double> runningMean(std::span<const double> values, int window)
{
    std::vector<double> out(values.size());
    if (window < 1)
        window = 1;
    std::vector<double> ring(size_t(window), 0);
    double sum = 0;
    size_t count = 0, head = 0;
    for (size_t i = 0; i < values.size(); ++i) {
        const double v = values[i];
        if (!std::isfinite(v)) {
            out[i] = v;
            continue;
        }
        if (count == size_t(window)) {
            sum -= ring[head];
        } else {
            ++count;
        }
        ring[head] = v;
        sum += v;
        head = (head + 1) % size_t(window);
        out[i] = sum / double(count);
    }
    return out;
}

} // namespace runlens
