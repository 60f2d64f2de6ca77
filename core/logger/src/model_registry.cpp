// SPDX-License-Identifier: MIT
#include "runlens/model_registry.h"

#include "runlens/run_edits.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <ctime>
#include <utility>

namespace runlens {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<RegistryAction, const char*>, 12> kActionNames{{
    {RegistryAction::CreateModel, "create_model"},
    {RegistryAction::RenameModel, "rename_model"},
    {RegistryAction::DeleteModel, "delete_model"},
    {RegistryAction::DescribeModel, "describe_model"},
    {RegistryAction::SetModelTag, "model_tag"},
    {RegistryAction::CreateVersion, "create_version"},
    {RegistryAction::DescribeVersion, "describe_version"},
    {RegistryAction::SetVersionTag, "version_tag"},
    {RegistryAction::SetStage, "stage"},
    {RegistryAction::SetAlias, "alias"},
    {RegistryAction::DeleteAlias, "delete_alias"},
    {RegistryAction::DeleteVersion, "delete_version"},
}};

// A promotion record keeps the run's metrics then; a run logging hundreds
// keeps the record small (core/notebook/promotion.cpp keeps as many).
constexpr int kMaxRecordedMetrics = 200;
constexpr size_t kMaxNameBytes = 256;
constexpr const char* kCandidateTag = "runlens.candidate";

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int64_t nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// "2026-12-01T14:03:00.123Z", as Qt::ISODateWithMs writes and reads it.
std::string isoUtc(int64_t ms)
{
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char text[40];
    const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms % 1000));
    return text;
}

[[noreturn]] void refuse(RegistryErrorKind kind, const std::string& what)
{
    throw RegistryError(kind, what);
}

void checkName(const std::string& name, const char* what)
{
    if (name.empty())
        refuse(RegistryErrorKind::Invalid, std::string(what) + " must not be empty");
    if (name.size() > kMaxNameBytes)
        refuse(RegistryErrorKind::Invalid, std::string(what) + " is longer than 256 bytes");
    // C0, DEL, and C1 (U+0080-U+009F, 0xC2 0x80-0x9F in UTF-8): a name is
    // printed in terminals, where such characters rewrite what is shown.
    for (size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        const bool c1 = c == 0xC2 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) >= 0x80
            && static_cast<unsigned char>(name[i + 1]) <= 0x9F;
        if (c < 0x20 || c == 0x7f || c1)
            refuse(RegistryErrorKind::Invalid, std::string(what) + " must not hold control characters");
    }
}

// MLflow refuses "latest" (it names the newest version in URIs) and
// "v<digits>" (a version number in URIs) as alias names.
void checkAlias(const std::string& alias)
{
    checkName(alias, "an alias");
    std::string lower(alias);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (lower == "latest")
        refuse(RegistryErrorKind::Invalid, "'latest' is reserved: models:/NAME/latest names the newest version");
    if (lower.size() > 1 && lower[0] == 'v' && std::all_of(lower.begin() + 1, lower.end(), isDigit))
        refuse(RegistryErrorKind::Invalid, "'" + alias + "' would read as a version number; choose another alias");
}

RegisteredModelEntry* findModel(std::vector<RegisteredModelEntry>& models, std::string_view name)
{
    for (auto& m : models)
        if (m.name == name)
            return &m;
    return nullptr;
}

ModelVersionEntry* findVersion(RegisteredModelEntry& m, int64_t number)
{
    for (auto& v : m.versions)
        if (v.version == number)
            return &v;
    return nullptr;
}

// Applies one event to `models`; false when it does not apply (the change
// checks refuse such events before they are written, so only a hand-made
// row or a newer writer's action gets here).
bool foldOne(std::vector<RegisteredModelEntry>& models, const RegistryEvent& e, size_t index)
{
    const auto action = registryActionFromName(e.action);
    if (!action)
        return false;
    RegisteredModelEntry* m = findModel(models, e.model);
    if (*action == RegistryAction::CreateModel) {
        if (m)
            return false;
        RegisteredModelEntry created;
        created.name = e.model;
        created.description = e.value.value_or("");
        created.user = e.user;
        created.createdMs = created.updatedMs = e.timeMs;
        created.events.push_back(index);
        models.push_back(std::move(created));
        return true;
    }
    if (!m)
        return false;
    ModelVersionEntry* v = e.version > 0 ? findVersion(*m, e.version) : nullptr;
    switch (*action) {
    case RegistryAction::CreateModel: return false;
    case RegistryAction::RenameModel:
        if (!e.value || e.value->empty() || findModel(models, *e.value))
            return false;
        m->name = *e.value;
        break;
    case RegistryAction::DeleteModel:
        models.erase(models.begin() + (m - models.data()));
        return true;
    case RegistryAction::DescribeModel: m->description = e.value.value_or(""); break;
    case RegistryAction::SetModelTag:
        if (e.value)
            m->tags[e.key] = *e.value;
        else
            m->tags.erase(e.key);
        break;
    case RegistryAction::CreateVersion: {
        if (e.version <= m->lastVersion)
            return false;
        ModelVersionEntry created;
        created.version = e.version;
        created.user = e.user;
        created.createdMs = created.updatedMs = e.timeMs;
        if (e.value) {
            // Each field only when it is text: a hand-written row with a null
            // or a number must not stop the store's whole registry reading.
            const json payload = json::parse(*e.value, nullptr, false);
            const auto field = [&](const char* key) {
                const auto it = payload.is_object() ? payload.find(key) : payload.end();
                return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
            };
            created.runId = field("run_id");
            created.source = field("source");
            created.description = field("description");
        }
        m->lastVersion = e.version;
        m->versions.push_back(std::move(created));
        break;
    }
    case RegistryAction::DescribeVersion:
        if (!v)
            return false;
        v->description = e.value.value_or("");
        v->updatedMs = e.timeMs;
        break;
    case RegistryAction::SetVersionTag:
        if (!v)
            return false;
        if (e.value)
            v->tags[e.key] = *e.value;
        else
            v->tags.erase(e.key);
        v->updatedMs = e.timeMs;
        break;
    case RegistryAction::SetStage: {
        const auto stage = canonicalStage(e.value.value_or(""));
        if (!v || !stage)
            return false;
        v->stage = *stage;
        v->updatedMs = e.timeMs;
        break;
    }
    case RegistryAction::SetAlias:
        if (e.version == 0)   // how an alias was cleared before delete_alias existed
            m->aliases.erase(e.key);
        else if (v)
            m->aliases[e.key] = e.version;
        else
            return false;
        break;
    case RegistryAction::DeleteAlias:
        if (!m->aliases.erase(e.key))
            return false;
        break;
    case RegistryAction::DeleteVersion:
        if (!v)
            return false;
        std::erase_if(m->aliases, [&](const auto& a) { return a.second == e.version; });
        m->versions.erase(m->versions.begin() + (v - m->versions.data()));
        break;
    }
    m->updatedMs = e.timeMs;
    m->events.push_back(index);
    return true;
}

void sortByName(std::vector<RegisteredModelEntry>& models)
{
    std::sort(models.begin(), models.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

void createRegistryTable(SqliteDb& db)
{
    db.exec("CREATE TABLE IF NOT EXISTS model_registry_events("
            "id INTEGER PRIMARY KEY, time INTEGER NOT NULL, user TEXT NOT NULL, model TEXT NOT NULL, "
            "version INTEGER NOT NULL DEFAULT 0, action TEXT NOT NULL, key TEXT NOT NULL DEFAULT '', value TEXT);"
            // Append-only: the registry's history is a record, not a document.
            "CREATE TRIGGER IF NOT EXISTS model_registry_events_append_only_update BEFORE UPDATE ON "
            "model_registry_events BEGIN SELECT RAISE(ABORT, 'model_registry_events is append-only'); END;"
            "CREATE TRIGGER IF NOT EXISTS model_registry_events_append_only_delete BEFORE DELETE ON "
            "model_registry_events BEGIN SELECT RAISE(ABORT, 'model_registry_events is append-only'); END;");
}

// The promotion record (core/notebook/promotion.h's JSON) of a run
// registered as `model` version `version`, with its metrics' last values.
// A candidate promoted before keeps why, under which rule and against which
// baseline it was promoted: registering is the same mark, now naming its version.
std::string registrationRecord(SqliteDb& db, const std::string& runId, const std::string& user, int64_t timeMs,
                               const std::string& model, int64_t version, const std::optional<std::string>& before)
{
    const json earlier = before ? json::parse(*before, nullptr, false) : json();
    const auto kept = [&](const char* key, json fallback) {
        const auto it = earlier.is_object() && earlier.contains("at") ? earlier.find(key) : earlier.end();
        return it != earlier.end() && it->type() == fallback.type() ? *it : fallback;
    };
    json why = kept("why", std::string());
    if (why.get<std::string>().empty())
        why = "registered as " + model + " version " + std::to_string(version);
    json metrics = json::object();
    auto st = db.prepare("SELECT key, last_value FROM metrics WHERE run_id=? AND last_value IS NOT NULL "
                         "ORDER BY key LIMIT ?");
    st.bind(1, runId).bind(2, kMaxRecordedMetrics);
    while (st.step())
        metrics[std::string(st.text(0))] = st.real(1);
    const json record{{"by", user},
                      {"at", isoUtc(timeMs)},
                      {"why", std::move(why)},
                      {"rule", kept("rule", "")},
                      {"met_rule", kept("met_rule", false)},
                      {"baseline", kept("baseline", "")},
                      {"metrics", std::move(metrics)},
                      {"model", model},
                      {"version", version}};
    return record.dump(-1, ' ', false, json::error_handler_t::replace);
}

void promoteRegisteredRun(SqliteDb& db, const std::string& runId, const std::string& user, int64_t timeMs,
                          const std::string& model, int64_t version)
{
    const auto before = runFieldValue(db, runId, RunEditField::Tag, kCandidateTag);
    writeRunEdit(db, runId, RunEditField::Tag, kCandidateTag, before,
                 registrationRecord(db, runId, user, timeMs, model, version, before), user, timeMs);
}

// Refuses `c` against the registry as it stands, before anything is written.
void check(const ModelRegistry& registry, const RegistryChange& c)
{
    if (c.action == RegistryAction::CreateModel) {
        checkName(c.model, "a model name");
        if (registry.model(c.model))
            refuse(RegistryErrorKind::AlreadyExists, "Registered Model (name=" + c.model + ") already exists.");
        return;
    }
    const RegisteredModelEntry* m = registry.model(c.model);
    if (!m)
        refuse(RegistryErrorKind::NotFound, "Registered Model with name=" + c.model + " not found");
    const bool needsVersion = c.action == RegistryAction::DescribeVersion || c.action == RegistryAction::SetVersionTag
        || c.action == RegistryAction::SetStage || c.action == RegistryAction::DeleteVersion
        || c.action == RegistryAction::SetAlias;
    if (needsVersion && !m->version(c.version))
        refuse(RegistryErrorKind::NotFound,
               "Model Version (name=" + c.model + ", version=" + std::to_string(c.version) + ") not found");
    switch (c.action) {
    case RegistryAction::RenameModel:
        checkName(c.value.value_or(""), "a model name");
        if (registry.model(*c.value))
            refuse(RegistryErrorKind::AlreadyExists, "Registered Model (name=" + *c.value + ") already exists.");
        break;
    case RegistryAction::SetModelTag:
    case RegistryAction::SetVersionTag: checkName(c.key, "a tag key"); break;
    case RegistryAction::SetStage:
        if (!canonicalStage(c.value.value_or("")))
            refuse(RegistryErrorKind::Invalid, "Invalid Model Version stage: " + c.value.value_or("")
                                                   + ". Value must be one of None, Staging, Production, Archived.");
        break;
    case RegistryAction::SetAlias: checkAlias(c.key); break;
    case RegistryAction::DeleteAlias:
        if (!m->aliases.contains(c.key))
            refuse(RegistryErrorKind::NotFound, "Registered model alias " + c.key + " not found.");
        break;
    default: break;
    }
}

} // namespace

const char* registryActionName(RegistryAction action)
{
    for (const auto& [a, name] : kActionNames)
        if (a == action)
            return name;
    return "";
}

std::optional<RegistryAction> registryActionFromName(std::string_view name)
{
    for (const auto& [a, n] : kActionNames)
        if (name == n)
            return a;
    return std::nullopt;
}

std::optional<std::string> canonicalStage(std::string_view stage)
{
    for (const char* s : {"None", "Staging", "Production", "Archived"})
        if (stage.size() == std::strlen(s)
            && std::equal(stage.begin(), stage.end(), s,
                          [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); }))
            return std::string(s);
    return std::nullopt;
}

const ModelVersionEntry* RegisteredModelEntry::version(int64_t number) const
{
    for (const auto& v : versions)
        if (v.version == number)
            return &v;
    return nullptr;
}

std::vector<std::string> RegisteredModelEntry::aliasesOf(int64_t number) const
{
    std::vector<std::string> out;
    for (const auto& [alias, v] : aliases)
        if (v == number)
            out.push_back(alias);
    return out;
}

const RegisteredModelEntry* ModelRegistry::model(std::string_view name) const
{
    for (const auto& m : models)
        if (m.name == name)
            return &m;
    return nullptr;
}

std::vector<std::pair<std::string, int64_t>> ModelRegistry::versionsOfRun(std::string_view runId) const
{
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& m : models)
        for (const auto& v : m.versions)
            if (!runId.empty() && v.runId == runId)
                out.emplace_back(m.name, v.version);
    return out;
}

ModelRegistry foldModelRegistry(std::vector<RegistryEvent> events)
{
    ModelRegistry registry;
    registry.events = std::move(events);
    for (size_t i = 0; i < registry.events.size(); ++i)
        if (!foldOne(registry.models, registry.events[i], i))
            ++registry.skippedEvents;
    sortByName(registry.models);
    return registry;
}

ModelRegistry readModelRegistry(SqliteDb& db)
{
    std::vector<RegistryEvent> events;
    if (!db.tableExists("model_registry_events"))
        return {};
    auto st = db.prepare("SELECT id, time, user, model, version, action, key, value FROM model_registry_events ORDER BY id");
    while (st.step()) {
        RegistryEvent e;
        e.id = st.int64(0);
        e.timeMs = st.int64(1);
        e.user = st.text(2);
        e.model = st.text(3);
        e.version = st.int64(4);
        e.action = st.text(5);
        e.key = st.text(6);
        if (!st.isNull(7))
            e.value = std::string(st.text(7));
        events.push_back(std::move(e));
    }
    return foldModelRegistry(std::move(events));
}

RegistryResult applyRegistryChanges(SqliteDb& db, std::span<const RegistryChange> changes, const std::string& user)
{
    SqliteTransaction tx(db);
    createRegistryTable(db);
    // Read inside the write transaction: two processes registering at once
    // get different version numbers.
    RegistryResult result{readModelRegistry(db), 0};
    auto insert = db.prepare("INSERT INTO model_registry_events(time, user, model, version, action, key, value) "
                             "VALUES(?, ?, ?, ?, ?, ?, ?)");
    const int64_t now = nowMs();
    int64_t createdInBatch = 0;
    std::vector<RegistryChange> queue(changes.begin(), changes.end());
    for (size_t i = 0; i < queue.size(); ++i) {
        RegistryChange c = queue[i];
        if (c.action == RegistryAction::CreateModel && c.ifMissing && result.registry.model(c.model))
            continue;
        if (c.version == kVersionCreatedInBatch) {
            if (createdInBatch == 0)
                refuse(RegistryErrorKind::Invalid, "no version was created before in this batch");
            c.version = createdInBatch;
        }
        check(result.registry, c);
        if (c.action == RegistryAction::SetStage && c.archiveOthers) {
            const std::string stage = *canonicalStage(*c.value);
            if (stage != "Staging" && stage != "Production")
                refuse(RegistryErrorKind::Invalid, "archive_existing_versions takes the stage Staging or Production");
            for (const auto& other : result.registry.model(c.model)->versions)
                if (other.version != c.version && other.stage == stage)
                    queue.push_back({RegistryAction::SetStage, c.model, other.version, {}, std::string("Archived"), {}, {}});
        }
        if (c.action == RegistryAction::CreateVersion) {
            c.version = result.registry.model(c.model)->lastVersion + 1;
            if (!c.runId.empty()) {
                auto exists = db.prepare("SELECT 1 FROM runs WHERE id=?");
                exists.bind(1, c.runId);
                if (!exists.step())
                    refuse(RegistryErrorKind::NotFound, "Run '" + c.runId + "' not found");
            }
            c.value = json{{"run_id", c.runId}, {"source", c.source}, {"description", c.value.value_or("")}}.dump(
                -1, ' ', false, json::error_handler_t::replace);
            result.createdVersion = createdInBatch = c.version;
        }
        if (c.action == RegistryAction::SetStage)
            c.value = canonicalStage(*c.value);
        RegistryEvent e{0, now, user, c.model, c.version, registryActionName(c.action), c.key, c.value};
        insert.bind(1, now).bind(2, user).bind(3, c.model).bind(4, c.version).bind(5, e.action).bind(6, c.key);
        if (c.value)
            insert.bind(7, *c.value);
        else
            insert.bindNull(7);
        insert.run();
        e.id = db.lastInsertRowId();
        result.registry.events.push_back(e);
        foldOne(result.registry.models, result.registry.events.back(), result.registry.events.size() - 1);
        if (c.action == RegistryAction::CreateVersion && !c.runId.empty())
            promoteRegisteredRun(db, c.runId, user, now, c.model, c.version);
    }
    tx.commit();
    sortByName(result.registry.models);
    return result;
}

std::string modelRegistryJson(const ModelRegistry& registry)
{
    json models = json::array();
    for (const auto& m : registry.models) {
        json versions = json::array();
        for (const auto& v : m.versions)
            versions.push_back({{"version", v.version},
                                {"run_id", v.runId},
                                {"source", v.source},
                                {"description", v.description},
                                {"user", v.user},
                                {"stage", v.stage},
                                {"created", v.createdMs},
                                {"updated", v.updatedMs},
                                {"tags", v.tags},
                                {"aliases", m.aliasesOf(v.version)}});
        models.push_back({{"name", m.name},
                          {"description", m.description},
                          {"user", m.user},
                          {"created", m.createdMs},
                          {"updated", m.updatedMs},
                          {"tags", m.tags},
                          {"aliases", m.aliases},
                          {"versions", std::move(versions)},
                          {"events", m.events}});
    }
    json events = json::array();
    for (const auto& e : registry.events)
        events.push_back({{"id", e.id},
                          {"time", e.timeMs},
                          {"user", e.user},
                          {"model", e.model},
                          {"version", e.version},
                          {"action", e.action},
                          {"key", e.key},
                          {"value", e.value ? json(*e.value) : json(nullptr)}});
    return json{{"models", std::move(models)}, {"events", std::move(events)}, {"skipped_events", registry.skippedEvents}}
        .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<RegistryChange> registryChangesFromJson(std::string_view text)
{
    const json doc = json::parse(text, nullptr, false);
    if (!doc.is_array())
        refuse(RegistryErrorKind::Invalid, "registry changes must be a JSON array");
    std::vector<RegistryChange> out;
    for (const auto& item : doc) {
        if (!item.is_object() || !item.contains("action") || !item["action"].is_string())
            refuse(RegistryErrorKind::Invalid, "a registry change needs an \"action\"");
        const auto action = registryActionFromName(item["action"].get<std::string>());
        if (!action)
            refuse(RegistryErrorKind::Invalid, "no registry action '" + item["action"].get<std::string>() + "'");
        RegistryChange c;
        c.action = *action;
        const auto text = [&](const char* k) {
            const auto it = item.find(k);
            return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
        };
        c.model = text("model");
        c.key = text("key");
        const auto flag = [&](const char* k) {
            const auto it = item.find(k);
            return it != item.end() && it->is_boolean() && it->get<bool>();
        };
        c.ifMissing = flag("if_missing");
        c.archiveOthers = flag("archive_others");
        c.runId = text("run_id");
        c.source = text("source");
        if (const auto it = item.find("value"); it != item.end() && !it->is_null())
            c.value = it->is_string() ? it->get<std::string>() : it->dump();
        if (const auto it = item.find("version"); it != item.end()) {
            if (it->is_number_integer())
                c.version = it->get<int64_t>();
            else if (it->is_string() && it->get<std::string>() == "created")
                c.version = kVersionCreatedInBatch;
            else if (const std::string s = it->is_string() ? it->get<std::string>() : std::string();
                     !s.empty() && s.size() < 18 && std::all_of(s.begin(), s.end(), isDigit))
                c.version = std::stoll(s);
            else if (!it->is_null())
                refuse(RegistryErrorKind::Invalid, "a model version is a number, not " + it->dump());
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace runlens
