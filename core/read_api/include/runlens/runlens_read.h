/* SPDX-License-Identifier: MIT */
/* Runlens read library, C ABI: every store Runlens opens, read as data.
 *
 * librunlens-read.so opens what the app and the CLI open (a Runlens store,
 * MLflow, TensorBoard, Lightning CSV, DVCLive, W&B, Sacred, Guild, ...),
 * read-only, through the same core: the same query language, the same run
 * names, the same derived metrics, the same JSON forms as `runlens ... --format
 * json`. Python's runlens.open() is built on it (runlens/reading.py).
 *
 * Stable across releases: functions are only ever added; JSON objects only
 * gain members. Strings are UTF-8 and NUL-terminated. A string returned for
 * a run of an rlr_runs stays valid until rlr_runs_free; one returned by a
 * function taking an rlr_store stays valid until the next such call on the
 * same store or rlr_close. Failures return NULL or an error code; the
 * message, its code and, for a query, the part of the text at fault are then
 * in rlr_last_error*() of the calling thread (a success leaves them as they
 * were).
 *
 * Thread-safety: a handle is used by one thread at a time; separate handles
 * (one rlr_store per thread) may be used at once. rlr_runs and rlr_series are
 * snapshots: they stay valid, unchanged, across rlr_refresh and after
 * rlr_close of their store. */
#ifndef RUNLENS_READ_H
#define RUNLENS_READ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RLR_OK 0
#define RLR_ERROR 1        /* the store cannot be read, a bad argument */
#define RLR_BAD_QUERY 2    /* see rlr_last_error_position */
#define RLR_NOT_FOUND 3    /* no such run (or an ambiguous name), no such metric */

/* rlr_open flags */
#define RLR_DELETED_RUNS 1u /* also the runs the other tool marked deleted (MLflow) */
/* rlr_query flags */
#define RLR_WITH_TRASH 1u   /* also the runs put in Runlens's trash */
/* rlr_diff_json flags */
#define RLR_TOOL_TAGS 1u    /* other tools' internal tags (mlflow.*) take part */

typedef struct rlr_store rlr_store;
typedef struct rlr_runs rlr_runs;
typedef struct rlr_series rlr_series;

typedef struct rlr_metric_summary {
    double last, min, max; /* NaN where none; last: the value at the highest step */
    int64_t count;         /* points logged */
    int64_t last_step;
} rlr_metric_summary;

const char* rlr_version(void);
const char* rlr_last_error(void);
int rlr_last_error_code(void);
/* RLR_BAD_QUERY: the 0-based offset and length of the query's fault, in
 * UTF-16 code units of the query (a character beyond the BMP counts two);
 * -1 and 0 otherwise. */
int rlr_last_error_position(void);
int rlr_last_error_length(void);

/* ---- stores ------------------------------------------------------------ */
/* path: a file or folder, a file:// URL or MLflow's sqlite:///PATH. kind:
 * NULL or "" to recognise the format, else a kind rlr_store_kinds lists.
 * Loads the runs; NULL on failure. */
rlr_store* rlr_open(const char* path, const char* kind, unsigned flags);
void rlr_close(rlr_store* store);
/* Reads the runs again (a store still being written). On failure the runs
 * read before stay. */
int rlr_refresh(rlr_store* store);
/* The kinds this build reads, comma-separated. */
const char* rlr_store_kinds(void);
const char* rlr_store_kind(rlr_store* store);
const char* rlr_store_location(rlr_store* store);
/* What could not be read (the rest was) and notes, one per line; "" if none. */
const char* rlr_store_problems(rlr_store* store);
size_t rlr_store_run_count(const rlr_store* store);
size_t rlr_experiment_count(const rlr_store* store);
const char* rlr_experiment_name(rlr_store* store, size_t index);

/* ---- runs -------------------------------------------------------------- */
/* The runs a query selects, in its order ("" or NULL: every run). NULL on a
 * bad query (RLR_BAD_QUERY, with the position). */
rlr_runs* rlr_query(rlr_store* store, const char* query, unsigned flags);
/* One run (an id, a unique id prefix or a unique name; trashed runs too) as
 * a list of one. NULL: RLR_NOT_FOUND. */
rlr_runs* rlr_find(rlr_store* store, const char* run);
void rlr_runs_free(rlr_runs* runs);
size_t rlr_runs_count(const rlr_runs* runs);
/* Out-of-range indexes give NULL, -1 or 0. */
const char* rlr_run_id(rlr_runs* runs, size_t i);
const char* rlr_run_name(rlr_runs* runs, size_t i);
const char* rlr_run_experiment(rlr_runs* runs, size_t i);
const char* rlr_run_status(rlr_runs* runs, size_t i); /* running, finished, failed, killed, crashed */
const char* rlr_run_parent_id(rlr_runs* runs, size_t i); /* "" when none */
int64_t rlr_run_start_time(const rlr_runs* runs, size_t i); /* ms since the Unix epoch */
int64_t rlr_run_end_time(const rlr_runs* runs, size_t i);   /* -1 while running */
/* Params and tags as text, as logged, in key order. */
size_t rlr_run_param_count(rlr_runs* runs, size_t i);
int rlr_run_param(rlr_runs* runs, size_t i, size_t j, const char** key, const char** value);
size_t rlr_run_tag_count(rlr_runs* runs, size_t i);
int rlr_run_tag(rlr_runs* runs, size_t i, size_t j, const char** key, const char** value);
/* Metric summaries (logged and derived metrics), in key order. */
size_t rlr_run_metric_count(rlr_runs* runs, size_t i);
int rlr_run_metric(rlr_runs* runs, size_t i, size_t j, const char** key, rlr_metric_summary* summary);
/* The mean of metric j's values that are not NaN; NaN when none is, or when
 * the store does not know it (a Runlens store written before it kept sums).
 * NaN with the error set for an index out of range. */
double rlr_run_metric_mean(rlr_runs* runs, size_t i, size_t j);
/* The runs as `runlens runs --format json` prints them (params typed, NaN
 * as null, infinities as "inf"). */
const char* rlr_runs_json(rlr_runs* runs);

/* ---- one run, two runs, seeds (JSON, valid until the next call on the store) */
/* `run`: an id, a unique id prefix or a unique name. As `runlens show
 * --format json`: params with types, metric summaries, tags, provenance (git,
 * environment, data versions, artifacts, configs, notes). */
const char* rlr_run_details_json(rlr_store* store, const char* run);
/* As `runlens diff A B --format json`. */
const char* rlr_diff_json(rlr_store* store, const char* run_a, const char* run_b, unsigned flags);
/* As `runlens seeds --metric M --format json`: the runs `query` selects
 * grouped by config (every param but the seed keys, comma-separated; NULL
 * for the defaults), best mean first. */
const char* rlr_seeds_json(rlr_store* store, const char* metric, const char* query, const char* seed_keys);

/* ---- series ------------------------------------------------------------ */
/* A metric of a run (logged, or derived from the store's definitions). NULL:
 * RLR_NOT_FOUND (no such run, or the run lacks the metric: the message lists
 * those it has) or RLR_ERROR (the store could not be read). */
rlr_series* rlr_series_load(rlr_store* store, const char* run, const char* key);
void rlr_series_free(rlr_series* series);
size_t rlr_series_size(const rlr_series* series);
/* Damaged parts skipped while reading, one per line; "" if none. */
const char* rlr_series_problems(rlr_series* series);
/* Copies points [first, first + count) into whichever buffers are not NULL
 * (steps; times in seconds since the Unix epoch; values, NaN and infinities
 * as logged), in logged order; returns how many were copied. */
size_t rlr_series_copy(const rlr_series* series, size_t first, size_t count, int64_t* steps, double* times,
    double* values);
/* The series as a chart `width` pixels wide draws it over steps [x0, x1]
 * (x0 > x1: all of it): M4, each pixel column's first, min, max and last
 * point, so every spike stays; at most 4 * width + 2 points, in step order.
 * A NaN comes back as a gap only where no finite value shares its column. Writes up to `capacity` points into xs and ys and
 * returns how many the result has. */
size_t rlr_series_decimate(rlr_series* series, double x0, double x1, int width, double* xs, double* ys,
    size_t capacity);

#ifdef __cplusplus
}
#endif

#endif /* RUNLENS_READ_H */
