// SPDX-License-Identifier: MIT
// The system sampler's thread of a run: every interval, what the machine did
// (system_sampler.h) goes into the run's buffer as series under system/, as
// if logged, so a full buffer or a failing store treats them as any point.
#include "run_internal.h"

#include "system_sampler.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace runlens {

namespace detail {

bool systemMetricsByDefault()
{
    const char* env = std::getenv("RUNLENS_SYSTEM_METRICS");
    if (!env)
        return true;
    std::string value;
    for (const char* c = env; *c; ++c)
        if (!std::isspace(static_cast<unsigned char>(*c)))
            value += char(std::tolower(static_cast<unsigned char>(*c)));
    return !(value == "0" || value == "false" || value == "off" || value == "no");
}

bool systemMetricsWanted(const RunOptions& options)
{
    return options.system_metrics ? *options.system_metrics : systemMetricsByDefault();
}

} // namespace detail

void Run::Impl::startSampler(std::chrono::milliseconds interval)
{
    std::lock_guard guard(sampler_mu);
    {
        std::lock_guard lock(mu);
        sampler_stop = true;
    }
    sampler_wake.notify_all();
    if (sampler.joinable())
        sampler.join();
    if (interval.count() <= 0)
        return;
    {
        std::lock_guard lock(mu);
        if (sampler_closed || finished)
            return;
        sampler_stop = false;
    }
    sampler = std::thread([this, interval] { samplerLoop(interval); });
}

void Run::Impl::closeSampler()
{
    {
        std::lock_guard lock(mu);
        sampler_closed = true;
        sampler_stop = true;
    }
    sampler_wake.notify_all();
    std::lock_guard guard(sampler_mu);
    if (sampler.joinable())
        sampler.join();
}

void Run::Impl::samplerLoop(std::chrono::milliseconds interval)
{
    // The store's folder as it was when the run opened it (the cwd may have moved since).
    const std::filesystem::path path(store_path);
    const std::filesystem::path dir = (path.is_absolute() ? path : cwd / path).parent_path();
    // Made at the first sample, not at start: a sampler restarted at once
    // (another interval asked for just after start) never waits on dlopen or
    // nvmlInit, and a run shorter than the interval opens neither.
    std::unique_ptr<SystemSampler> sampler;
    auto next = std::chrono::steady_clock::now() + std::min(interval, std::chrono::milliseconds(1000));
    std::unique_lock lock(mu);
    while (!sampler_wake.wait_until(lock, next, [this] { return sampler_stop; })) {
        lock.unlock();
        try {
            if (!sampler) {
                // Counters from now: the first values come one interval later.
                sampler = std::make_unique<SystemSampler>(dir);
                push(EnvRecord{"system_metrics", "every " + durationText(interval) + "; GPUs: " + sampler->gpuNote()});
                next = std::chrono::steady_clock::now(); // the first values one interval from now
            } else {
                int64_t step = 0;
                {
                    std::lock_guard stepLock(mu);
                    step = next_system_step++;
                }
                const double wall = nowSeconds();
                for (const auto& [key, value] : sampler->sample())
                    logMetric(key, value, step, wall, false);
            }
        } catch (const std::exception& e) {
            // Never the training process's end: say it once and stop sampling.
            std::fprintf(stderr, "runlens: system metrics stopped: %s\n", e.what());
            lock.lock();
            return;
        }
        next += interval;
        // A machine that slept (a suspended laptop) resumes from now, not
        // with a burst of catch-up samples.
        if (const auto now = std::chrono::steady_clock::now(); next < now)
            next = now + interval;
        lock.lock();
    }
}

bool Run::setSystemMetricsInterval(std::chrono::milliseconds interval)
{
    if (!impl_->live())
        return true;
    {
        std::lock_guard lock(impl_->mu);
        if (impl_->finished) {
            impl_->last_error = "the run has finished; nothing more is logged";
            return false;
        }
    }
    impl_->startSampler(interval);
    return true;
}

} // namespace runlens
