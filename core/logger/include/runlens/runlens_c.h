// SPDX-License-Identifier: MIT
/* Runlens logging library, C ABI.
 *
 * Stable across releases: functions are only ever added. Strings are UTF-8,
 * NUL-terminated; returned strings stay valid until the next call on the same
 * thread. Functions returning int give RL_OK or RL_ERROR; the message is then
 * in rl_last_error() (start) or rl_run_last_error() (everything else).
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

/* Run status codes, for rl_finish. */
#define RL_STATUS_FINISHED 1
#define RL_STATUS_FAILED 2
#define RL_STATUS_KILLED 3

/* Flags for rl_run_start. */
#define RL_NO_GIT 1u
#define RL_NO_ENVIRONMENT 2u
#define RL_ALL_RANKS 4u

typedef struct rl_run rl_run;

const char* rl_version(void);
const char* rl_last_error(void);

/* NULL on failure (see rl_last_error). name and parent_id may be NULL or "";
 * flush_interval_ms <= 0 takes the default (1000). */
rl_run* rl_run_start(const char* store_path, const char* experiment, const char* name, const char* parent_id,
    int flush_interval_ms, unsigned flags);
/* Carries on a run of the store (see runlens::Run::resume). NULL on failure. */
rl_run* rl_run_resume(const char* store_path, const char* run_id, int flush_interval_ms, unsigned flags);
/* Finishes the run as finished if still open, and frees it. */
void rl_run_free(rl_run* run);

const char* rl_run_id(rl_run* run);
const char* rl_run_name(rl_run* run);
const char* rl_run_experiment(rl_run* run);
int rl_run_enabled(rl_run* run);
const char* rl_run_last_error(rl_run* run);

int rl_log_metric(rl_run* run, const char* key, double value, int64_t step);
int rl_log_metric_at(rl_run* run, const char* key, double value, int64_t step, double wall_time);
/* n metrics at one step; stops at the first refused key. */
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

int rl_flush(rl_run* run);
int rl_finish(rl_run* run, int status);

#ifdef __cplusplus
}
#endif

#endif /* RUNLENS_C_H */
