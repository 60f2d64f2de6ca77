// SPDX-License-Identifier: MIT
// The few NVML calls the system sampler makes, resolved with dlopen/dlsym
// from the NVIDIA driver's libnvidia-ml.so.1 at run time. The signatures are
// NVML's public API (nvml.h of the CUDA toolkit; the _v2 entry points exist
// since CUDA 5.5), declared here so that no NVIDIA header or package is
// needed to build.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace runlens::detail {

struct GpuReading {
    std::optional<double> utilization_percent, memory_used_mb, memory_total_mb, temperature_c, power_w;
};

class NvmlLibrary {
public:
    // The library initialised, or null with `why` said (not found, no
    // symbol, nvmlInit failed, no GPU).
    static std::unique_ptr<NvmlLibrary> open(const char* name, std::string& why);
    ~NvmlLibrary();
    NvmlLibrary(const NvmlLibrary&) = delete;
    NvmlLibrary& operator=(const NvmlLibrary&) = delete;

    unsigned deviceCount() const { return count_; }
    // What the device reports; a value it cannot give stays empty.
    GpuReading read(unsigned index) const;

private:
    NvmlLibrary() = default;
    struct Api;
    void* handle_ = nullptr;
    std::unique_ptr<Api> api_;
    unsigned count_ = 0;
};

} // namespace runlens::detail
