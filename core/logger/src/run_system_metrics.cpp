// SPDX-License-Identifier: MIT
// The system sampler's thread of a run: every interval, what the machine did
// (system_sampler.h) goes into the run's buffer as series under system/, as
// if logged, so a full buffer or a failing store treats them as any point.
#include "run_internal.h"

#include "system_sampler.h"

#include <cstdlib>
#include <cstring>

namespace runlens {

namespace detail {

bool systemMetricsWanted(const RunOptions& options)
{
    if (options.system_metrics)
        return *options.system_metrics;
    const char* env = std::getenv("RUNLENS_SYSTEM_METRICS");
    if (!env)
        return true;
    for (const char* off : {"0", "false", "off", "no", "False", "FALSE", "OFF", "NO"})
        if (std::strcmp(env, off) == 0)
            return false;
    return true;
}

} // namespace detail

void Run::Impl::startSampler(std::chrono::milliseconds interval)
{
    stopSampler();
    if (interval.count() <= 0)
        return;
    {
        std::lock_guard lock(mu);
        if (finished)
            return;
        sampler_stop = false;
    }
    sampler = std::thread([this, interval] { samplerLoop(interval); });
}

void Run::Impl::stopSampler()
{
    {
        std::lock_guard lock(mu);
        sampler_stop = true;
    }
    sampler_wake.notify_all();
    if (sampler.joinable())
        sampler.join();
}

void Run::Impl::samplerLoop(std::chrono::milliseconds interval)
{
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::absolute(store_path, ec).parent_path();
    SystemSampler sampler(dir);
    push(EnvRecord{"system_metrics", "every " + durationText(interval) + "; GPUs: " + sampler.gpuNote()});
    auto next = std::chrono::steady_clock::now() + interval;
    std::unique_lock lock(mu);
    while (!sampler_wake.wait_until(lock, next, [this] { return sampler_stop; })) {
        const int64_t step = next_system_step++;
        lock.unlock();
        const double wall = nowSeconds();
        for (const auto& [key, value] : sampler.sample())
            logMetric(key, value, step, wall);
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
    if (!impl_->enabled)
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
