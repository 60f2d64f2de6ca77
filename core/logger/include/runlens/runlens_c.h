// SPDX-License-Identifier: MIT
/* Runlens logging library, C ABI.
 *
 * Stable across releases: functions are only ever added. Strings are UTF-8,
 * NUL-terminated; returned strings stay valid until the next call on the same
 * thread. Functions returning int give RL_OK or RL_ERROR (rl_log_metric* also
 * RL_DROPPED); the message is then in rl_last_error() (start) or
 * rl_run_last_error() (everything else).
 * Thread-safety: as the C++ Run (any thread may log to a run). */
#ifndef RUNLENS_C_H
#define RUNLENS_C_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RL_OK 0
#define RL_ERROR 1
/* rl_log_metric*: the buffer was full and the point was dropped (counted, see
 * rl_run_dropped_points; rl_flush and rl_finish then give RL_ERROR). Training
 * may go on: nothing is wrong with the call. */
#define RL_DROPPED 2

/* Run status codes, for rl_finish. */
#define RL_STATUS_FINISHED 1
#define RL_STATUS_FAILED 2
#define RL_STATUS_KILLED 3

/* Flags for rl_run_start. */
#define RL_NO_GIT 1u
#define RL_NO_ENVIRONMENT 2u
#define RL_ALL_RANKS 4u
/* A point that finds the buffer full waits for room instead of being dropped
 * (runlens::WhenBufferFull::Block; see runlens.h for which to choose). */
#define RL_BLOCK_WHEN_FULL 8u
/* No system metrics (RunOptions::system_metrics = false); without it, they
 * are sampled every 10 s unless $RUNLENS_SYSTEM_METRICS is 0. */
#define RL_NO_SYSTEM_METRICS 16u
/* No push to $RUNLENS_SYNC's team store (RunOptions::sync = ""); rl_run_sync
 * still starts one. */
#define RL_NO_SYNC 32u

/* What rl_run_start_config does when its config has run before
 * (runlens::OnDuplicate; runlens/already_tried.h). */
#define RL_ON_DUPLICATE_DEFAULT 0 /* $RUNLENS_ON_DUPLICATE, else warn */
#define RL_ON_DUPLICATE_WARN 1
#define RL_ON_DUPLICATE_SKIP 2
#define RL_ON_DUPLICATE_IGNORE 3

typedef struct rl_run rl_run;

const char* rl_version(void);
const char* rl_last_error(void);

/* NULL on failure (see rl_last_error). name and parent_id may be NULL or "";
 * flush_interval_ms <= 0 takes the default (1000). */
rl_run* rl_run_start(const char* store_path, const char* experiment, const char* name, const char* parent_id,
    int flush_interval_ms, unsigned flags);
/* Carries on a run of the store (see runlens::Run::resume). NULL on failure. */
rl_run* rl_run_resume(const char* store_path, const char* run_id, int flush_interval_ms, unsigned flags);
/* As the two above, with at most max_buffered_points points waiting in memory
 * for the disk (<= 0 takes the default, 4,000,000; see
 * RunOptions::max_buffered_points). */
rl_run* rl_run_start_ex(const char* store_path, const char* experiment, const char* name, const char* parent_id,
    int flush_interval_ms, unsigned flags, int64_t max_buffered_points);
rl_run* rl_run_resume_ex(
    const char* store_path, const char* run_id, int flush_interval_ms, unsigned flags, int64_t max_buffered_points);
/* As rl_run_start_ex with the run's config known at start (a JSON object,
 * logged as rl_log_config(run, "", config_json); NULL or "": none), looked up
 * before the run is created ("already tried"). NULL on failure; *skipped
 * (when not NULL) is then 1 when on_duplicate is RL_ON_DUPLICATE_SKIP and a
 * finished run was this exact run: nothing was written, rl_last_error says
 * what ran before. metric: the one the message summarises (NULL: chosen). */
rl_run* rl_run_start_config(const char* store_path, const char* experiment, const char* name, const char* parent_id,
    int flush_interval_ms, unsigned flags, int64_t max_buffered_points, const char* config_json, int on_duplicate,
    const char* metric, int* skipped);
/* Looks up earlier runs of the run's config (runlens::Run::checkAlreadyTried):
 * their record as JSON (the tag runlens.already_tried's form; counts of 0 when
 * none), or NULL when the store cannot be read (rl_last_error). */
const char* rl_run_already_tried(rl_run* run);

/* Finishes the run as finished if still open, and frees it. */
void rl_run_free(rl_run* run);

const char* rl_run_id(rl_run* run);
const char* rl_run_name(rl_run* run);
const char* rl_run_experiment(rl_run* run);
int rl_run_enabled(rl_run* run);
const char* rl_run_last_error(rl_run* run);

/* Points rl_log_metric* dropped because the buffer was full. */
int64_t rl_run_dropped_points(rl_run* run);
/* Samples system metrics every interval_ms from now on (<= 0: stops); see
 * runlens::Run::setSystemMetricsInterval. RL_ERROR after rl_finish. */
int rl_run_system_metrics(rl_run* run, int interval_ms);
/* Pushes the run to the team store `url` (postgresql://...) while it logs,
 * every interval_ms (<= 0: 5000) (Run::syncTo). RL_ERROR when the push could
 * not start (rl_run_last_error says why); the run logs on either way. */
int rl_run_sync(rl_run* run, const char* url, int interval_ms);
/* 1 when runs sample system metrics unless told otherwise ($RUNLENS_SYSTEM_METRICS
 * is not 0, false, off or no, in any case), else 0. */
int rl_system_metrics_default(void);

/* RL_ERROR for an invalid key or after rl_finish; RL_DROPPED for a point
 * dropped because the buffer is full. */
int rl_log_metric(rl_run* run, const char* key, double value, int64_t step);
int rl_log_metric_at(rl_run* run, const char* key, double value, int64_t step, double wall_time);
/* n metrics at one step; stops at the first refused key (RL_ERROR); RL_DROPPED
 * when some were dropped. */
int rl_log_metrics(rl_run* run, const char* const* keys, const double* values, size_t n, int64_t step);

int rl_log_param_int(rl_run* run, const char* key, int64_t value);
int rl_log_param_float(rl_run* run, const char* key, double value);
int rl_log_param_bool(rl_run* run, const char* key, int value);
int rl_log_param_string(rl_run* run, const char* key, const char* value);
int rl_log_param_json(rl_run* run, const char* key, const char* json);
int rl_log_config(rl_run* run, const char* name, const char* json);

int rl_set_tag(rl_run* run, const char* key, const char* value);
int rl_set_notes(rl_run* run, const char* notes);
int rl_set_hypothesis(rl_run* run, const char* hypothesis);
int rl_log_data_version(rl_run* run, const char* name, const char* version);
int rl_log_data_file(rl_run* run, const char* name, const char* path);
int rl_log_seed(rl_run* run, const char* name, int64_t seed);
int rl_log_environment(rl_run* run, const char* key, const char* value);
int rl_log_artifact(rl_run* run, const char* local_path, const char* artifact_dir);
int rl_log_artifact_uri(rl_run* run, const char* path, const char* uri, int64_t size, const char* sha256);

/* Media (runlens/media.h), kept in the store: the call copies and returns;
 * the writer thread encodes and writes. `step`: RL_NO_STEP for a one-off.
 * `caption` may be NULL. */
#define RL_NO_STEP INT64_MIN
/* An encoded PNG, JPEG, GIF, WebP, BMP or SVG of `size` bytes. */
int rl_log_image(rl_run* run, const char* key, const void* bytes, size_t size, int64_t step, const char* caption);
/* 8-bit pixels, `channels` 1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA) a
 * pixel, rows `stride` bytes apart (0: packed), encoded as PNG. */
int rl_log_image_pixels(rl_run* run, const char* key, const void* pixels, int width, int height, int channels,
    size_t stride, int64_t step, const char* caption);
/* CSV text of `size` bytes, a header row first. */
int rl_log_table(rl_run* run, const char* key, const char* csv, size_t size, int64_t step);
/* Text of `size` bytes; `format` ("txt", "json", "yaml", "md", "py"; NULL: txt) names what it is. */
int rl_log_text(rl_run* run, const char* key, const char* text, size_t size, const char* format, int64_t step);
/* n labels and n * n counts, row (true label) by row. */
int rl_log_confusion_matrix(rl_run* run, const char* key, const char* const* labels, size_t n, const int64_t* counts,
    int64_t step);

/* RL_ERROR when something logged is not on disk: the store refused the write
 * (it stays buffered and is retried), the store file was deleted or replaced,
 * or points were dropped (since the last rl_flush; for rl_finish, during the
 * run). rl_run_last_error says which. */
int rl_flush(rl_run* run);
int rl_finish(rl_run* run, int status);

/* Edits a run of the store after it ran (runlens/run_edits.h), recorded in
 * its edit history as `user`: field "name", "notes", "hypothesis" or "tag"
 * (key: the tag; value NULL removes it). A run this process still logs
 * should be flushed first. RL_ERROR when the run is not there (rl_last_error). */
int rl_store_edit_run(const char* store_path, const char* run_id, const char* field, const char* key,
    const char* value, const char* user);

/* The store's model registry (runlens/model_registry.h). Both return JSON
 * valid until the calling thread's next rl_registry_* call, or NULL on
 * failure (rl_last_error says why, rl_registry_error_kind what kind).
 * rl_registry_read: {"models": [...], "events": [...]}; a store without a
 * registry gives empty lists. rl_registry_apply: applies a JSON array of
 * changes ({"action": "create_model", "model": ..., "version": ..., "key":
 * ..., "value": ..., "run_id": ..., "source": ...}; actions as the store's
 * model_registry_events.action, docs/store-format.md) as `user`, all or
 * none, and returns the registry after them plus "created_version". */
const char* rl_registry_read(const char* store_path);
const char* rl_registry_apply(const char* store_path, const char* changes_json, const char* user);
#define RL_REGISTRY_NOT_FOUND 1
#define RL_REGISTRY_ALREADY_EXISTS 2
#define RL_REGISTRY_INVALID 3
/* 0 when the last rl_registry_* call did not fail for a reason of the registry's. */
int rl_registry_error_kind(void);

#ifdef __cplusplus
}
#endif

#endif /* RUNLENS_C_H */
