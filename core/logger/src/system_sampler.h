// SPDX-License-Identifier: MIT
// What the machine does while a run trains: CPU, memory, disk, network and,
// through NVML when the NVIDIA driver is there, each GPU. Read from Linux's
// /proc and statvfs; NVML is opened with dlopen at run time, so Runlens has
// no build or package dependency on it.
//
// Keys (units in the key; mb = 2^20 bytes, gb = 2^30):
//   system/cpu_percent                 all cores, 0-100
//   system/process.cpu_percent         this process, 100 = one core (as top)
//   system/process.rss_mb
//   system/memory.used_mb, system/memory.available_mb
//   system/disk.read_mb_per_s, system/disk.write_mb_per_s   whole disks
//   system/disk.free_gb                the store's file system
//   system/network.receive_mb_per_s, system/network.transmit_mb_per_s   all but lo
//   system/gpu.N.utilization_percent, .memory_used_mb, .memory_total_mb,
//   .temperature_c, .power_w
//
// Rates are over the time since the previous sample, so the first comes one
// interval after the sampler starts. Not thread-safe: one sampler, one thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace runlens::detail {

class NvmlLibrary;

class SystemSampler {
public:
    // `store_dir`: where disk.free_gb is measured. `nvml_library`: the name
    // dlopen looks for (the default is the driver's).
    explicit SystemSampler(std::filesystem::path store_dir, const char* nvml_library = "libnvidia-ml.so.1");
    ~SystemSampler();
    SystemSampler(const SystemSampler&) = delete;
    SystemSampler& operator=(const SystemSampler&) = delete;

    // The values since the previous call (or construction), key by key.
    std::vector<std::pair<std::string, double>> sample();
    // What GPUs are sampled, or why none: for the run's environment.
    const std::string& gpuNote() const { return gpu_note_; }

private:
    struct Counters {
        std::chrono::steady_clock::time_point at;
        double process_cpu_s = -1;     // user + system time of this process
        double cpu_busy = -1, cpu_total = -1; // /proc/stat jiffies
        double disk_read = -1, disk_written = -1; // bytes
        double net_received = -1, net_sent = -1;  // bytes
    };
    Counters read() const;

    std::filesystem::path store_dir_;
    Counters last_;
    std::unique_ptr<NvmlLibrary> nvml_;
    std::string gpu_note_;
};

} // namespace runlens::detail
