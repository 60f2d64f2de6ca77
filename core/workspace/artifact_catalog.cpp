// SPDX-License-Identifier: GPL-3.0-or-later
#include "artifact_catalog.h"

#include "workspace.h"

#include <algorithm>
#include <map>
#include <set>

namespace runlens {

ArtifactCatalog::ArtifactCatalog(std::vector<Run> runs)
    : runs_(std::move(runs))
{
    std::map<QString, Entry> byPath;
    std::map<QString, std::set<int64_t>> steps;
    for (int r = 0; r < int(runs_.size()); ++r) {
        for (const auto& item : runs_[size_t(r)].artifacts.items) {
            Entry& e = byPath[item.path];
            if (e.path.isEmpty()) {
                e.path = item.path;
                e.kind = item.kind;
                e.format = item.format;
            }
            if (e.runs.empty() || e.runs.back() != r)
                e.runs.push_back(r);
            if (item.stepped)
                steps[item.path].insert(item.step);
        }
    }
    for (auto& [path, e] : byPath) {
        const auto& s = steps[path];
        e.steps.assign(s.begin(), s.end());
        entries_.push_back(std::move(e));
    }
}

std::vector<ArtifactCatalog::RunSource> ArtifactCatalog::sourcesOf(const Workspace& workspace, const std::vector<int>& rows)
{
    std::vector<RunSource> out;
    const auto table = workspace.runs();
    for (int row : rows) {
        if (row < 0 || row >= table->rowCount())
            continue;
        const int s = table->storeIndex(row);
        if (s >= workspace.storeCount())
            continue;
        out.push_back({row, table->id(row), table->name(row), workspace.store(s).reader});
    }
    return out;
}

ArtifactCatalog ArtifactCatalog::load(std::vector<RunSource> sources, const std::atomic<bool>* cancelled)
{
    std::vector<Run> runs;
    for (auto& source : sources) {
        if (cancelled && cancelled->load())
            break;
        Run run{source, {}, {}};
        if (auto listed = source.reader->loadArtifacts(source.id))
            run.artifacts = std::move(*listed);
        else
            run.error = listed.error();
        runs.push_back(std::move(run));
    }
    return ArtifactCatalog(std::move(runs));
}

const ArtifactCatalog::Entry* ArtifactCatalog::entry(const QString& path) const
{
    const auto it = std::lower_bound(
        entries_.begin(), entries_.end(), path, [](const Entry& e, const QString& p) { return e.path < p; });
    return it != entries_.end() && it->path == path ? &*it : nullptr;
}

const ArtifactItem* ArtifactCatalog::itemAt(int run, const QString& path, std::optional<int64_t> step) const
{
    if (run < 0 || run >= int(runs_.size()))
        return nullptr;
    const ArtifactItem* best = nullptr;
    for (const auto& item : runs_[size_t(run)].artifacts.items) {
        if (item.path != path)
            continue;
        if (!step || !item.stepped)
            return &item; // the first (its earliest step) when no step is asked
        const auto distance = [&](const ArtifactItem& i) {
            return i.step > *step ? uint64_t(i.step) - uint64_t(*step) : uint64_t(*step) - uint64_t(i.step);
        };
        if (!best || distance(item) < distance(*best))
            best = &item;
    }
    return best;
}

} // namespace runlens
