// SPDX-License-Identifier: MIT
#include "nvml_library.h"

#include <dlfcn.h>

namespace runlens::detail {

namespace {

// NVML's types as nvml.h declares them.
using nvmlReturn_t = int;
constexpr nvmlReturn_t kNvmlSuccess = 0;
using nvmlDevice_t = struct nvmlDevice_st*;
struct nvmlUtilization_t {
    unsigned int gpu, memory;
};
struct nvmlMemory_t {
    unsigned long long total, free, used;
};
constexpr int kNvmlTemperatureGpu = 0;
constexpr double kMiB = 1024.0 * 1024.0;

} // namespace

struct NvmlLibrary::Api {
    nvmlReturn_t (*init)();
    nvmlReturn_t (*shutdown)();
    nvmlReturn_t (*deviceCount)(unsigned int*);
    nvmlReturn_t (*handleByIndex)(unsigned int, nvmlDevice_t*);
    nvmlReturn_t (*utilization)(nvmlDevice_t, nvmlUtilization_t*);
    nvmlReturn_t (*memory)(nvmlDevice_t, nvmlMemory_t*);
    nvmlReturn_t (*temperature)(nvmlDevice_t, int, unsigned int*);
    nvmlReturn_t (*power)(nvmlDevice_t, unsigned int*); // milliwatts
};

std::unique_ptr<NvmlLibrary> NvmlLibrary::open(const char* name, std::string& why)
{
    void* handle = ::dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        why = std::string(name) + " not found (no NVIDIA driver)";
        return nullptr;
    }
    std::unique_ptr<NvmlLibrary> lib(new NvmlLibrary);
    lib->handle_ = handle;
    lib->api_ = std::make_unique<Api>();
    Api& api = *lib->api_;
    bool missing = false;
    auto resolve = [&](auto& fn, const char* symbol) {
        fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(handle, symbol));
        missing = missing || !fn;
    };
    resolve(api.init, "nvmlInit_v2");
    resolve(api.shutdown, "nvmlShutdown");
    resolve(api.deviceCount, "nvmlDeviceGetCount_v2");
    resolve(api.handleByIndex, "nvmlDeviceGetHandleByIndex_v2");
    resolve(api.utilization, "nvmlDeviceGetUtilizationRates");
    resolve(api.memory, "nvmlDeviceGetMemoryInfo");
    resolve(api.temperature, "nvmlDeviceGetTemperature");
    resolve(api.power, "nvmlDeviceGetPowerUsage");
    if (missing) {
        why = std::string(name) + " lacks the NVML functions used (a driver older than CUDA 5.5?)";
        api.shutdown = nullptr; // never initialised
        return nullptr;
    }
    if (api.init() != kNvmlSuccess) {
        why = "NVML did not initialise (driver not loaded?)";
        api.shutdown = nullptr;
        return nullptr;
    }
    unsigned int count = 0;
    if (api.deviceCount(&count) != kNvmlSuccess || count == 0) {
        why = "NVML found no GPU";
        return nullptr;
    }
    lib->count_ = count;
    return lib;
}

NvmlLibrary::~NvmlLibrary()
{
    if (api_ && api_->shutdown)
        api_->shutdown();
    if (handle_)
        ::dlclose(handle_);
}

GpuReading NvmlLibrary::read(unsigned index) const
{
    GpuReading r;
    nvmlDevice_t device = nullptr;
    if (api_->handleByIndex(index, &device) != kNvmlSuccess)
        return r;
    if (nvmlUtilization_t u{}; api_->utilization(device, &u) == kNvmlSuccess)
        r.utilization_percent = u.gpu;
    if (nvmlMemory_t m{}; api_->memory(device, &m) == kNvmlSuccess) {
        r.memory_used_mb = double(m.used) / kMiB;
        r.memory_total_mb = double(m.total) / kMiB;
    }
    if (unsigned int t = 0; api_->temperature(device, kNvmlTemperatureGpu, &t) == kNvmlSuccess)
        r.temperature_c = t;
    if (unsigned int mw = 0; api_->power(device, &mw) == kNvmlSuccess)
        r.power_w = mw / 1000.0;
    return r;
}

} // namespace runlens::detail
