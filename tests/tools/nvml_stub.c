/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A stand-in for the NVIDIA driver's libnvidia-ml.so.1 with two made-up GPUs,
 * exporting the NVML functions Runlens's system sampler calls (signatures as
 * in NVML's nvml.h), so that the tests prove the decoding on machines without
 * a GPU: tests/test_system_metrics.cpp and tests/python/test_system_metrics.py. */
#include <string.h>

typedef int nvmlReturn_t;
struct nvmlDevice_st {
    unsigned utilization;
    unsigned long long total, used;
    unsigned temperature, milliwatts;
};
typedef struct nvmlDevice_st* nvmlDevice_t;
typedef struct {
    unsigned int gpu, memory;
} nvmlUtilization_t;
typedef struct {
    unsigned long long total, free, used;
} nvmlMemory_t;

#define MIB (1024ull * 1024ull)
static struct nvmlDevice_st devices[2] = {
    {87, 81920 * MIB, 12345 * MIB, 64, 250500},
    {3, 24576 * MIB, 512 * MIB, 41, 35000},
};
static int initialised = 0;

nvmlReturn_t nvmlInit_v2(void)
{
    initialised = 1;
    return 0;
}

nvmlReturn_t nvmlShutdown(void)
{
    initialised = 0;
    return 0;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* count)
{
    *count = 2;
    return initialised ? 0 : 1;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t* device)
{
    if (!initialised || index >= 2)
        return 2; /* NVML_ERROR_INVALID_ARGUMENT */
    *device = &devices[index];
    return 0;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t device, nvmlUtilization_t* u)
{
    u->gpu = device->utilization;
    u->memory = device->utilization / 2;
    return 0;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t device, nvmlMemory_t* m)
{
    m->total = device->total;
    m->used = device->used;
    m->free = device->total - device->used;
    return 0;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t device, int sensor, unsigned int* t)
{
    if (sensor != 0)
        return 2;
    *t = device->temperature;
    return 0;
}

/* The second GPU cannot report its power, as some boards cannot. */
nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t device, unsigned int* milliwatts)
{
    if (device == &devices[1])
        return 3; /* NVML_ERROR_NOT_SUPPORTED */
    *milliwatts = device->milliwatts;
    return 0;
}
