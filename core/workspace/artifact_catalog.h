// SPDX-License-Identifier: GPL-3.0-or-later
// The artifacts and media of the runs being compared, side by side: every
// path or media key any of them has (with which runs have it, and every
// step logged), and for a run the item to show at a step: per-step media
// snap to the run's nearest step, since runs log at different steps.
//
// Threading: load() reads the stores (call it off the GUI thread); the
// catalog itself is a value.
#pragma once

#include "artifact_item.h"
#include "store_reader.h"

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace runlens {

class Workspace;

class ArtifactCatalog {
public:
    struct RunSource {
        int row = -1; // in the workspace's merged table
        QString id, name;
        std::shared_ptr<StoreReader> reader;
    };
    struct Run {
        RunSource source;
        RunArtifacts artifacts;
        QString error; // when the run's artifacts could not be listed at all
    };
    struct Entry {
        QString path;
        ArtifactKind kind = ArtifactKind::File;
        QString format;
        std::vector<int> runs; // indices into runs() that have it
        std::vector<int64_t> steps; // every step any run logged it at, sorted; empty when never per step
    };

    ArtifactCatalog() = default;
    explicit ArtifactCatalog(std::vector<Run> runs);

    // The sources of `rows` (GUI thread: reads the workspace's tables).
    static std::vector<RunSource> sourcesOf(const Workspace& workspace, const std::vector<int>& rows);
    // Lists each run's artifacts (slow: the stores are read); stops early
    // when `cancelled` turns true, keeping what was listed.
    static ArtifactCatalog load(std::vector<RunSource> sources, const std::atomic<bool>* cancelled = nullptr);

    const std::vector<Run>& runs() const { return runs_; }
    const std::vector<Entry>& entries() const { return entries_; }
    const Entry* entry(const QString& path) const;
    // Run `run`'s item for `path`: at the step nearest `step` (ties: the
    // earlier), or its only one when not per step; null when it has none.
    const ArtifactItem* itemAt(int run, const QString& path, std::optional<int64_t> step = std::nullopt) const;

private:
    std::vector<Run> runs_;
    std::vector<Entry> entries_; // by path
};

} // namespace runlens
