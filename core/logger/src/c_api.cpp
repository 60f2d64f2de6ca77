// SPDX-License-Identifier: MIT
#include "runlens/runlens_c.h"

#include "runlens/runlens.h"
#include "runlens/model_registry.h"
#include "runlens/run_edits.h"
#include "runlens/sqlite_db.h"
#include "runlens/store_schema.h"

#include "run_internal.h" // detail::t_point_dropped

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <utility>

struct rl_run {
    runlens::Run run;
};

namespace {

thread_local std::string t_error;
thread_local std::string t_text;
thread_local std::string t_registry;
thread_local int t_registry_kind = 0;

const char* keep(std::string text)
{
    t_text = std::move(text);
    return t_text.c_str();
}

std::string_view sv(const char* s)
{
    return s ? std::string_view(s) : std::string_view();
}

int result(bool ok)
{
    return ok ? RL_OK : RL_ERROR;
}

// A point refused: dropped (the buffer was full) or refused outright.
int pointResult(bool ok)
{
    if (ok)
        return RL_OK;
    return std::exchange(runlens::detail::t_point_dropped, false) ? RL_DROPPED : RL_ERROR;
}

template <class F> int guarded(rl_run* run, F&& f)
{
    if (!run)
        return RL_ERROR;
    try {
        return result(f(run->run));
    } catch (const std::exception& e) {
        t_error = e.what();
        return RL_ERROR;
    }
}

// What rl_run_start and rl_run_resume share; <= 0 takes the default.
runlens::RunOptions optionsFrom(int flush_interval_ms, unsigned flags, int64_t max_buffered_points)
{
    runlens::RunOptions options;
    if (flush_interval_ms > 0)
        options.flush_interval = std::chrono::milliseconds(flush_interval_ms);
    if (max_buffered_points > 0)
        options.max_buffered_points = static_cast<size_t>(max_buffered_points);
    options.capture_git = !(flags & RL_NO_GIT);
    options.capture_environment = !(flags & RL_NO_ENVIRONMENT);
    options.log_all_ranks = (flags & RL_ALL_RANKS) != 0;
    options.when_buffer_full = (flags & RL_BLOCK_WHEN_FULL) ? runlens::WhenBufferFull::Block : runlens::WhenBufferFull::Drop;
    if (flags & RL_NO_SYSTEM_METRICS)
        options.system_metrics = false;
    if (flags & RL_NO_SYNC)
        options.sync = std::string();
    return options;
}

} // namespace

// Outside extern "C": it returns a C++ type.
namespace {
std::optional<int64_t> stepOf(int64_t step)
{
    return step == RL_NO_STEP ? std::nullopt : std::optional<int64_t>(step);
}
} // namespace

extern "C" {

const char* rl_version(void)
{
    return RUNLENS_VERSION;
}
const char* rl_last_error(void)
{
    return t_error.c_str();
}

rl_run* rl_run_start_config(const char* store_path, const char* experiment, const char* name, const char* parent_id,
    int flush_interval_ms, unsigned flags, int64_t max_buffered_points, const char* config_json, int on_duplicate,
    const char* metric, int* skipped)
{
    if (skipped)
        *skipped = 0;
    try {
        if (!store_path || !*store_path)
            throw runlens::Error("no store path given");
        runlens::RunOptions options = optionsFrom(flush_interval_ms, flags, max_buffered_points);
        if (experiment && *experiment)
            options.experiment = experiment;
        options.name = sv(name);
        options.parent_id = sv(parent_id);
        options.config = sv(config_json);
        options.tried_metric = sv(metric);
        switch (on_duplicate) {
        case RL_ON_DUPLICATE_WARN: options.on_duplicate = runlens::OnDuplicate::Warn; break;
        case RL_ON_DUPLICATE_SKIP: options.on_duplicate = runlens::OnDuplicate::Skip; break;
        case RL_ON_DUPLICATE_IGNORE: options.on_duplicate = runlens::OnDuplicate::Ignore; break;
        default: break; // the environment's, else warn
        }
        auto handle = std::make_unique<rl_run>(rl_run{runlens::Run::start(store_path, options)});
        t_error.clear();
        return handle.release();
    } catch (const runlens::AlreadyTriedError& e) {
        if (skipped)
            *skipped = 1;
        t_error = e.what();
        return nullptr;
    } catch (const std::exception& e) {
        t_error = e.what();
        return nullptr;
    }
}

rl_run* rl_run_start_ex(const char* store_path, const char* experiment, const char* name, const char* parent_id,
    int flush_interval_ms, unsigned flags, int64_t max_buffered_points)
{
    return rl_run_start_config(store_path, experiment, name, parent_id, flush_interval_ms, flags, max_buffered_points,
        nullptr, RL_ON_DUPLICATE_DEFAULT, nullptr, nullptr);
}

rl_run* rl_run_start(const char* store_path, const char* experiment, const char* name, const char* parent_id,
    int flush_interval_ms, unsigned flags)
{
    return rl_run_start_ex(store_path, experiment, name, parent_id, flush_interval_ms, flags, 0);
}

rl_run* rl_run_resume_ex(
    const char* store_path, const char* run_id, int flush_interval_ms, unsigned flags, int64_t max_buffered_points)
{
    try {
        if (!store_path || !*store_path)
            throw runlens::Error("no store path given");
        if (!run_id || !*run_id)
            throw runlens::Error("no run id given");
        const auto options = optionsFrom(flush_interval_ms, flags, max_buffered_points);
        auto handle = std::make_unique<rl_run>(rl_run{runlens::Run::resume(store_path, run_id, options)});
        t_error.clear();
        return handle.release();
    } catch (const std::exception& e) {
        t_error = e.what();
        return nullptr;
    }
}

rl_run* rl_run_resume(const char* store_path, const char* run_id, int flush_interval_ms, unsigned flags)
{
    return rl_run_resume_ex(store_path, run_id, flush_interval_ms, flags, 0);
}

void rl_run_free(rl_run* run)
{
    std::unique_ptr<rl_run> owned(run); // its destructor finishes an open run
}

const char* rl_run_id(rl_run* run)
{
    return run ? run->run.id().c_str() : "";
}
const char* rl_run_name(rl_run* run)
{
    return run ? run->run.name().c_str() : "";
}
const char* rl_run_experiment(rl_run* run)
{
    return run ? run->run.experiment().c_str() : "";
}
int rl_run_enabled(rl_run* run)
{
    return run && run->run.enabled() ? 1 : 0;
}
const char* rl_run_last_error(rl_run* run)
{
    return run ? keep(run->run.lastError()) : "no run";
}
const char* rl_run_already_tried(rl_run* run)
{
    if (!run)
        return nullptr;
    try {
        return keep(run->run.checkAlreadyTried().json(runlens::detail::nowMs()));
    } catch (const std::exception& e) {
        t_error = e.what();
        return nullptr;
    }
}

int64_t rl_run_dropped_points(rl_run* run)
{
    return run ? static_cast<int64_t>(run->run.droppedPoints()) : 0;
}

int rl_system_metrics_default(void)
{
    return runlens::detail::systemMetricsByDefault() ? 1 : 0;
}

int rl_run_system_metrics(rl_run* run, int interval_ms)
{
    if (!run)
        return RL_ERROR;
    return run->run.setSystemMetricsInterval(std::chrono::milliseconds(interval_ms)) ? RL_OK : RL_ERROR;
}

int rl_run_sync(rl_run* run, const char* url, int interval_ms)
{
    if (!run || !url)
        return RL_ERROR;
    return run->run.syncTo(url, std::chrono::milliseconds(interval_ms > 0 ? interval_ms : 5000)) ? RL_OK : RL_ERROR;
}

int rl_log_metric(rl_run* run, const char* key, double value, int64_t step)
{
    return run ? pointResult(run->run.logMetric(sv(key), value, step)) : RL_ERROR;
}

int rl_log_metric_at(rl_run* run, const char* key, double value, int64_t step, double wall_time)
{
    return run ? pointResult(run->run.logMetric(sv(key), value, step, wall_time)) : RL_ERROR;
}

int rl_log_metrics(rl_run* run, const char* const* keys, const double* values, size_t n, int64_t step)
{
    if (!run || (n && (!keys || !values)))
        return RL_ERROR;
    int rc = RL_OK;
    for (size_t i = 0; i < n; ++i) {
        const int one = pointResult(run->run.logMetric(sv(keys[i]), values[i], step));
        if (one == RL_ERROR)
            return RL_ERROR;
        rc = std::max(rc, one); // a dropped point does not stop the others
    }
    return rc;
}

int rl_log_param_int(rl_run* run, const char* key, int64_t value)
{
    return guarded(run, [&](runlens::Run& r) { return r.logParam(sv(key), value); });
}

int rl_log_param_float(rl_run* run, const char* key, double value)
{
    return guarded(run, [&](runlens::Run& r) { return r.logParam(sv(key), value); });
}

int rl_log_param_bool(rl_run* run, const char* key, int value)
{
    return guarded(run, [&](runlens::Run& r) { return r.logParam(sv(key), value != 0); });
}

int rl_log_param_string(rl_run* run, const char* key, const char* value)
{
    return guarded(run, [&](runlens::Run& r) { return r.logParam(sv(key), sv(value)); });
}

int rl_log_param_json(rl_run* run, const char* key, const char* json)
{
    return guarded(run, [&](runlens::Run& r) { return r.logParamJson(sv(key), sv(json)); });
}

int rl_log_config(rl_run* run, const char* name, const char* json)
{
    return guarded(run, [&](runlens::Run& r) { return r.logConfig(sv(name), sv(json)); });
}

int rl_set_tag(rl_run* run, const char* key, const char* value)
{
    return guarded(run, [&](runlens::Run& r) { return r.setTag(sv(key), sv(value)); });
}

int rl_set_notes(rl_run* run, const char* notes)
{
    return guarded(run, [&](runlens::Run& r) { return r.setNotes(sv(notes)); });
}

int rl_set_hypothesis(rl_run* run, const char* hypothesis)
{
    return guarded(run, [&](runlens::Run& r) { return r.setHypothesis(sv(hypothesis)); });
}

int rl_log_data_version(rl_run* run, const char* name, const char* version)
{
    return guarded(run, [&](runlens::Run& r) { return r.logDataVersion(sv(name), sv(version)); });
}

int rl_log_data_file(rl_run* run, const char* name, const char* path)
{
    return guarded(run, [&](runlens::Run& r) { return r.logDataFile(sv(name), path ? path : ""); });
}

int rl_log_seed(rl_run* run, const char* name, int64_t seed)
{
    return guarded(run, [&](runlens::Run& r) { return r.logSeed(sv(name), seed); });
}

int rl_log_environment(rl_run* run, const char* key, const char* value)
{
    return guarded(run, [&](runlens::Run& r) { return r.logEnvironment(sv(key), sv(value)); });
}

int rl_log_artifact(rl_run* run, const char* local_path, const char* artifact_dir)
{
    return guarded(run, [&](runlens::Run& r) { return r.logArtifact(local_path ? local_path : "", sv(artifact_dir)); });
}

int rl_log_artifact_uri(rl_run* run, const char* path, const char* uri, int64_t size, const char* sha256)
{
    return guarded(run, [&](runlens::Run& r) { return r.logArtifactUri(sv(path), sv(uri), size, sv(sha256)); });
}

int rl_log_image(rl_run* run, const char* key, const void* bytes, size_t size, int64_t step, const char* caption)
{
    return guarded(run, [&](runlens::Run& r) {
        return r.logImage(sv(key), {static_cast<const uint8_t*>(bytes), bytes ? size : 0}, stepOf(step), sv(caption));
    });
}

int rl_log_image_pixels(rl_run* run, const char* key, const void* pixels, int width, int height, int channels,
    size_t stride, int64_t step, const char* caption)
{
    return guarded(run, [&](runlens::Run& r) {
        // The buffer's extent as its shape says (checkImagePixels refuses a
        // shape before any read); a shape too large to describe a buffer
        // gives none, and is refused for it.
        const bool sane = width > 0 && height > 0 && channels > 0 && width <= runlens::kMaxImageSide
            && height <= runlens::kMaxImageSide && channels <= 4 && stride <= (size_t(1) << 31);
        const size_t row = sane ? size_t(width) * size_t(channels) : 0;
        const size_t extent = pixels && sane ? (stride ? stride : row) * size_t(height - 1) + row : 0;
        return r.logImagePixels(sv(key),
            {width, height, channels, stride, {static_cast<const uint8_t*>(pixels), extent}}, stepOf(step),
            sv(caption));
    });
}

int rl_log_table(rl_run* run, const char* key, const char* csv, size_t size, int64_t step)
{
    return guarded(run, [&](runlens::Run& r) {
        return r.logTable(sv(key), {csv ? csv : "", csv ? size : 0}, stepOf(step));
    });
}

int rl_log_text(rl_run* run, const char* key, const char* text, size_t size, const char* format, int64_t step)
{
    return guarded(run, [&](runlens::Run& r) {
        return r.logText(sv(key), {text ? text : "", text ? size : 0}, stepOf(step), format ? sv(format) : "txt");
    });
}

int rl_log_confusion_matrix(rl_run* run, const char* key, const char* const* labels, size_t n, const int64_t* counts,
    int64_t step)
{
    return guarded(run, [&](runlens::Run& r) {
        std::vector<std::string> names;
        for (size_t i = 0; labels && i < n && i <= runlens::kMaxConfusionLabels; ++i)
            names.emplace_back(sv(labels[i]));
        // n * n read only for a size logConfusionMatrix accepts.
        const size_t cells = n <= runlens::kMaxConfusionLabels && counts ? n * n : 0;
        return r.logConfusionMatrix(sv(key), names, {counts, cells}, stepOf(step));
    });
}

int rl_flush(rl_run* run)
{
    return guarded(run, [](runlens::Run& r) { return r.flush(); });
}

int rl_finish(rl_run* run, int status)
{
    const auto s = status == RL_STATUS_FAILED ? runlens::RunStatus::Failed
        : status == RL_STATUS_KILLED          ? runlens::RunStatus::Killed
                                              : runlens::RunStatus::Finished;
    return guarded(run, [&](runlens::Run& r) { return r.finish(s); });
}

int rl_store_edit_run(const char* store_path, const char* run_id, const char* field, const char* key,
    const char* value, const char* user)
{
    try {
        if (!store_path || !*store_path || !run_id || !field)
            throw runlens::Error("a store, a run and a field are needed");
        const std::string_view f(field);
        const auto which = f == "name" ? runlens::RunEditField::Name
            : f == "notes"             ? runlens::RunEditField::Notes
            : f == "hypothesis"        ? runlens::RunEditField::Hypothesis
            : f == "tag"               ? runlens::RunEditField::Tag
                                       : throw runlens::Error("no run field '" + std::string(f) + "'");
        if (which == runlens::RunEditField::Tag && (!key || !*key))
            throw runlens::Error("a tag edit needs the tag's key");
        runlens::SqliteDb db = runlens::openStoreForWriting(store_path);
        runlens::SqliteTransaction tx(db);
        const std::string k = which == runlens::RunEditField::Tag ? key : "";
        const auto before = runlens::runFieldValue(db, run_id, which, k);
        const auto after = value ? std::optional<std::string>(value) : std::nullopt;
        if (before != after) {
            using namespace std::chrono;
            runlens::writeRunEdit(db, run_id, which, k, before, after, user ? user : "",
                                  duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
        }
        tx.commit();
        t_error.clear();
        return RL_OK;
    } catch (const std::exception& e) {
        t_error = e.what();
        return RL_ERROR;
    }
}

const char* rl_registry_read(const char* store_path)
{
    t_registry_kind = 0;
    try {
        if (!store_path || !*store_path)
            throw runlens::Error("no store path given");
        // Read-only: reading the registry of a colleague's store never writes it.
        runlens::SqliteDb db(store_path, runlens::SqliteDb::Mode::ReadOnly);
        runlens::storeSchemaVersion(db);
        t_registry = runlens::modelRegistryJson(runlens::readModelRegistry(db));
        return t_registry.c_str();
    } catch (const std::exception& e) {
        t_error = e.what();
        return nullptr;
    }
}

const char* rl_registry_apply(const char* store_path, const char* changes_json, const char* user)
{
    t_registry_kind = 0;
    try {
        if (!store_path || !*store_path)
            throw runlens::Error("no store path given");
        const auto changes = runlens::registryChangesFromJson(sv(changes_json));
        runlens::SqliteDb db = runlens::openStoreForWriting(store_path);
        const runlens::RegistryResult result = runlens::applyRegistryChanges(db, changes, user ? user : "");
        std::string json = runlens::modelRegistryJson(result.registry);
        json.pop_back(); // the closing brace: one more member follows
        t_registry = json + ",\"created_version\":" + std::to_string(result.createdVersion) + "}";
        return t_registry.c_str();
    } catch (const runlens::RegistryError& e) {
        t_error = e.what();
        switch (e.kind()) {
        case runlens::RegistryErrorKind::NotFound: t_registry_kind = RL_REGISTRY_NOT_FOUND; break;
        case runlens::RegistryErrorKind::AlreadyExists: t_registry_kind = RL_REGISTRY_ALREADY_EXISTS; break;
        case runlens::RegistryErrorKind::Invalid: t_registry_kind = RL_REGISTRY_INVALID; break;
        }
        return nullptr;
    } catch (const std::exception& e) {
        t_error = e.what();
        return nullptr;
    }
}

int rl_registry_error_kind(void)
{
    return t_registry_kind;
}

} // extern "C"
