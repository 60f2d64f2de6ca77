// SPDX-License-Identifier: MIT
// The model registry kept in a store: registered models, their numbered
// versions (each normally a run's logged model), tags, aliases ("champion")
// and stages (MLflow's, deprecated there and still used). It is an
// append-only log, `model_registry_events`, and the registry is its fold:
// so the alias history ("champion was v3 until Tuesday") is the record
// itself, an edit can never half-apply, and an older Runlens reads past an
// additional table (docs/store-format.md lists the actions).
//
// Registering a version from a run of the store also promotes that run to
// candidate (the `runlens.candidate` tag holding a promotion record that
// names the model and version, with a `run_events` entry, in the same
// transaction): "graduating a candidate" and "registering a model version"
// are one thing seen from the run and from the model.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace runlens {

class SqliteDb;

// What a refused change was refused for (MLflow's error codes map onto it).
enum class RegistryErrorKind { NotFound, AlreadyExists, Invalid };

class RegistryError : public std::runtime_error {
public:
    RegistryError(RegistryErrorKind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    RegistryErrorKind kind() const { return kind_; }

private:
    RegistryErrorKind kind_;
};

enum class RegistryAction {
    CreateModel,      // value: description
    RenameModel,      // value: the new name
    DeleteModel,
    DescribeModel,    // value: description
    SetModelTag,      // key, value (nullopt deletes)
    CreateVersion,    // runId, source, value: description; the version is the next number
    DescribeVersion,  // version, value
    SetVersionTag,    // version, key, value (nullopt deletes)
    SetStage,         // version, value: None, Staging, Production or Archived
    SetAlias,         // key: the alias; version
    DeleteAlias,      // key: the alias
    DeleteVersion,    // version
};

// In a change's `version`: the version created by an earlier CreateVersion
// of the same batch (register, then alias or tag it, in one transaction).
inline constexpr int64_t kVersionCreatedInBatch = -1;

// The action's name in the store's `action` column.
const char* registryActionName(RegistryAction action);
std::optional<RegistryAction> registryActionFromName(std::string_view name);

struct RegistryChange {
    RegistryAction action = RegistryAction::CreateModel;
    std::string model;
    int64_t version = 0;
    std::string key;
    std::optional<std::string> value;
    std::string runId, source;   // CreateVersion
    // CreateModel: nothing to do when the model exists (register_model's
    // "create when needed", decided inside the write transaction). SetStage
    // to Staging or Production: archive the model's other versions there.
    bool ifMissing = false;
    bool archiveOthers = false;
};

struct RegistryEvent {
    int64_t id = 0, timeMs = 0;
    std::string user, model;
    int64_t version = 0;
    std::string action, key;
    std::optional<std::string> value;
};

struct ModelVersionEntry {
    int64_t version = 0;
    std::string runId, source, description, user;
    std::string stage = "None";
    int64_t createdMs = 0, updatedMs = 0;
    std::map<std::string, std::string> tags;
};

struct RegisteredModelEntry {
    std::string name, description, user;
    int64_t createdMs = 0, updatedMs = 0;
    std::map<std::string, std::string> tags;
    std::map<std::string, int64_t> aliases;   // alias -> version
    std::vector<ModelVersionEntry> versions;  // by number; deleted ones left out
    int64_t lastVersion = 0;                  // numbers are never reused, as MLflow's
    std::vector<size_t> events;               // indexes into ModelRegistry::events, under any of its names

    const ModelVersionEntry* version(int64_t number) const;
    std::vector<std::string> aliasesOf(int64_t number) const;
};

struct ModelRegistry {
    std::vector<RegisteredModelEntry> models;   // by name
    std::vector<RegistryEvent> events;          // oldest first
    int skippedEvents = 0;                      // rows no fold could take (written by hand, or a newer Runlens)
    // False for a registry read from a tool that keeps only its current
    // state (MLflow): `events` are then made up from it (creations, the
    // current stages and aliases), not a history.
    bool historyKept = true;

    const RegisteredModelEntry* model(std::string_view name) const;
    // Every version registered from `runId`, as (model, version).
    std::vector<std::pair<std::string, int64_t>> versionsOfRun(std::string_view runId) const;
};

// The registry of an open store; empty when it has none (no table yet).
ModelRegistry readModelRegistry(SqliteDb& db);
// The fold itself, for events however obtained.
ModelRegistry foldModelRegistry(std::vector<RegistryEvent> events);

struct RegistryResult {
    ModelRegistry registry;        // after the changes
    int64_t createdVersion = 0;    // the last CreateVersion's number
};

// Applies `changes` to the store opened for writing at `db` as `user`, in
// one transaction: all or none. Throws RegistryError for a change the
// registry refuses (a missing model or version, a name taken, an invalid
// stage or alias) and Error for a store that cannot be written.
RegistryResult applyRegistryChanges(SqliteDb& db, std::span<const RegistryChange> changes, const std::string& user);

// The registry as JSON (the C ABI's rl_registry_read; the Python package
// builds MLflow's entities from it).
std::string modelRegistryJson(const ModelRegistry& registry);
// A JSON array of changes (the C ABI's rl_registry_apply) as changes;
// throws RegistryError (Invalid) for one that is not.
std::vector<RegistryChange> registryChangesFromJson(std::string_view json);

// The stage names MLflow accepts, case-insensitively, as MLflow spells them;
// nullopt for any other.
std::optional<std::string> canonicalStage(std::string_view stage);

} // namespace runlens
