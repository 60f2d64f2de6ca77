// SPDX-License-Identifier: MIT
#include "system_sampler.h"

#include "nvml_library.h"

#include <sys/statvfs.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string_view>

namespace runlens::detail {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr double kGiB = kMiB * 1024.0;

std::string fileText(const char* path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Whole disks in /proc/diskstats: a partition, a loop or RAM disk, or a
// device-mapper or md volume over other disks would count their bytes twice.
bool wholeDisk(const std::string& name)
{
    for (std::string_view skip : {"loop", "ram", "zram", "dm-", "md", "sr", "fd"})
        if (name.rfind(skip, 0) == 0)
            return false;
    std::error_code ec;
    return std::filesystem::exists("/sys/block/" + name, ec);
}

} // namespace

SystemSampler::SystemSampler(std::filesystem::path store_dir, const char* nvml_library)
    : store_dir_(std::move(store_dir))
{
    std::string why;
    nvml_ = NvmlLibrary::open(nvml_library, why);
    gpu_note_ = nvml_ ? std::to_string(nvml_->deviceCount()) + " GPU(s) through NVML"
                      : "none sampled: " + why;
    last_ = read();
}

SystemSampler::~SystemSampler() = default;

SystemSampler::Counters SystemSampler::read() const
{
    Counters c;
    c.at = std::chrono::steady_clock::now();
    {
        // utime and stime are fields 14 and 15; the command name before them
        // (in parentheses) may hold spaces, so count from its closing one.
        const std::string stat = fileText("/proc/self/stat");
        if (const auto close = stat.rfind(')'); close != std::string::npos) {
            std::istringstream fields(stat.substr(close + 2));
            std::string f;
            double utime = 0, stime = 0;
            for (int i = 3; i <= 15 && fields >> f; ++i) {
                if (i == 14)
                    utime = std::stod(f);
                if (i == 15)
                    stime = std::stod(f);
            }
            c.process_cpu_s = (utime + stime) / double(::sysconf(_SC_CLK_TCK));
        }
    }
    {
        std::ifstream in("/proc/stat");
        std::string cpu;
        if (in >> cpu && cpu == "cpu") {
            double v = 0, total = 0, idle = 0;
            for (int i = 0; i < 8 && in >> v; ++i) { // user nice system idle iowait irq softirq steal
                total += v;
                if (i == 3 || i == 4)
                    idle += v;
            }
            c.cpu_total = total;
            c.cpu_busy = total - idle;
        }
    }
    {
        std::ifstream in("/proc/diskstats");
        std::string line;
        double read = 0, written = 0;
        bool any = false;
        while (std::getline(in, line)) {
            std::istringstream f(line);
            std::string major, minor, name;
            double v[10] = {};
            if (!(f >> major >> minor >> name))
                continue;
            int n = 0;
            while (n < 10 && f >> v[n])
                ++n;
            if (n < 7 || !wholeDisk(name))
                continue;
            read += v[2] * 512.0;    // sectors read (the kernel's 512-byte sectors)
            written += v[6] * 512.0; // sectors written
            any = true;
        }
        if (any) {
            c.disk_read = read;
            c.disk_written = written;
        }
    }
    {
        std::ifstream in("/proc/net/dev");
        std::string line;
        double received = 0, sent = 0;
        bool any = false;
        while (std::getline(in, line)) {
            const auto colon = line.find(':');
            if (colon == std::string::npos)
                continue;
            std::string name = line.substr(0, colon);
            name.erase(0, name.find_first_not_of(' '));
            if (name == "lo")
                continue;
            std::istringstream f(line.substr(colon + 1));
            double v[9] = {};
            int n = 0;
            while (n < 9 && f >> v[n])
                ++n;
            if (n < 9)
                continue;
            received += v[0];
            sent += v[8];
            any = true;
        }
        if (any) {
            c.net_received = received;
            c.net_sent = sent;
        }
    }
    return c;
}

std::vector<std::pair<std::string, double>> SystemSampler::sample()
{
    std::vector<std::pair<std::string, double>> out;
    const Counters now = read();
    const double seconds = std::chrono::duration<double>(now.at - last_.at).count();
    auto rate = [&](const char* key, double before, double after, double scale) {
        if (before >= 0 && after >= before && seconds > 0)
            out.emplace_back(key, (after - before) / seconds / scale);
    };
    if (now.cpu_total > last_.cpu_total && last_.cpu_total >= 0)
        out.emplace_back("system/cpu_percent",
            100.0 * (now.cpu_busy - last_.cpu_busy) / (now.cpu_total - last_.cpu_total));
    rate("system/process.cpu_percent", last_.process_cpu_s, now.process_cpu_s, 0.01);
    {
        std::ifstream statm("/proc/self/statm");
        double size = 0, resident = 0;
        if (statm >> size >> resident)
            out.emplace_back("system/process.rss_mb", resident * double(::sysconf(_SC_PAGESIZE)) / kMiB);
    }
    {
        std::ifstream meminfo("/proc/meminfo");
        std::string key, unit;
        double v = 0, total = -1, available = -1;
        while (meminfo >> key >> v) {
            std::getline(meminfo, unit);
            if (key == "MemTotal:")
                total = v;
            else if (key == "MemAvailable:")
                available = v;
        }
        if (total >= 0 && available >= 0) {
            out.emplace_back("system/memory.used_mb", (total - available) / 1024.0);
            out.emplace_back("system/memory.available_mb", available / 1024.0);
        }
    }
    rate("system/disk.read_mb_per_s", last_.disk_read, now.disk_read, kMiB);
    rate("system/disk.write_mb_per_s", last_.disk_written, now.disk_written, kMiB);
    if (struct statvfs fs {}; ::statvfs(store_dir_.c_str(), &fs) == 0)
        out.emplace_back("system/disk.free_gb", double(fs.f_bavail) * double(fs.f_frsize) / kGiB);
    rate("system/network.receive_mb_per_s", last_.net_received, now.net_received, kMiB);
    rate("system/network.transmit_mb_per_s", last_.net_sent, now.net_sent, kMiB);
    if (nvml_) {
        for (unsigned i = 0; i < nvml_->deviceCount(); ++i) {
            const GpuReading g = nvml_->read(i);
            const std::string prefix = "system/gpu." + std::to_string(i) + ".";
            for (const auto& [name, value] : {std::pair{"utilization_percent", g.utilization_percent},
                     std::pair{"memory_used_mb", g.memory_used_mb}, std::pair{"memory_total_mb", g.memory_total_mb},
                     std::pair{"temperature_c", g.temperature_c}, std::pair{"power_w", g.power_w}})
                if (value)
                    out.emplace_back(prefix + name, *value);
        }
    }
    last_ = now;
    return out;
}

} // namespace runlens::detail
