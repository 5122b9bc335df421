/*
 * problem_store — the problem list's records and the store operations on them (problem/sql.c,
 * problem/sql_tick.c), each run inside a transaction of store.h. Part of the problem list's
 * public interface: problem.h returns these records.
 */
#ifndef DUBAN_PROBLEM_STORE_H
#define DUBAN_PROBLEM_STORE_H

#include "store/store.h"

/* ---- problems (问题清单) ---- */
typedef struct {
    int64_t id, unit_id, leader_user_id, registered_by, registered_unit_id;
    const char *source, *category, *title, *description, *found_on, *leader, *person, *measures,
        *goal, *mode, *subject, *note, *state, *deadline, *original_deadline, *sign_by, *staged_due,
        *overdue_since, *supervisor, *progress, *verification;
    int64_t deadline_estimated, staged_done, overdue, supervised, reopened, assigned_at, closed_at,
        created_at, updated_at, version;
    const char *unit_name, *unit_path; /* of the lead unit, read only */
    int64_t *counits;                  /* co-unit ids */
    size_t ncounits;
} store_problem;

/* Inserts p with its co-units; sets p->id. */
err_code store_problem_insert(store_tx *tx, store_problem *p);
err_code store_problem_get(store_tx *tx, arena *a, int64_t id, store_problem *out);
/*
 * Writes p's mutable columns (state, deadlines, flags, progress, verification, times) when
 * the row still has p->version; bumps the version. E_CONFLICT when someone else changed it.
 */
err_code store_problem_update(store_tx *tx, store_problem *p);
/* Paths of the units a problem belongs to: the lead unit first, then the co-units. */
err_code store_problem_unit_paths(store_tx *tx, arena *a, int64_t id, const char ***paths,
                                  size_t *n);

typedef struct {
    const char *scope; /* JSON array of unit paths the reader may see; NULL: all */
    int64_t unit_id;   /* the lead unit's subtree; 0: any */
    int unit_only;     /* with unit_id: the lead unit itself, not its subtree */
    const char *source, *category, *state, *q;
    int overdue, supervised, reopened; /* 1: only those; 0: any */
    int open_only;                     /* not closed */
    const char *found_from, *found_to; /* found_on within [from, to]; NULL: open */
    int64_t closed_from, closed_to;    /* closed_at within [from, to) UTC seconds; 0: open */
    int64_t leader_user_id;
    int extension_pending; /* 1: an extension request awaits its answer */
    const char *not_under; /* a unit path: leave out problems led from that subtree */
    const char *task;      /* the API's task name behind the filter (echoed; not read here) */
    int64_t limit, offset;
} store_problem_filter;
/* Up to limit problems matching f with ids above after_id, in id order (keyset paging). */
err_code store_problem_page(store_tx *tx, arena *a, const store_problem_filter *f, int64_t after_id,
                            int64_t limit, store_problem **out, size_t *n);
/* A page of problems (newest first) and the total matching. */
err_code store_problem_list(store_tx *tx, arena *a, const store_problem_filter *f,
                            store_problem **out, size_t *n, int64_t *total);

/* ---- the scheduler's sweeps ---- */
/*
 * Open problems whose deadline is before today (YYYY-MM-DD) and whose lapse has not been
 * announced yet; flags them overdue and remembers the announcement.
 */
err_code store_problem_mark_overdue(store_tx *tx, arena *a, const char *today, store_problem **out,
                                    size_t *n);
/* Open problems due in (today, until]. */
err_code store_problem_due_between(store_tx *tx, arena *a, const char *today, const char *until,
                                   store_problem **out, size_t *n);
/* Assigned problems not signed by their sign_by date (before today). */
err_code store_problem_unsigned(store_tx *tx, arena *a, const char *today, store_problem **out,
                                size_t *n);
/* 持续推进 problems without a staged result whose staged_due is before today. */
err_code store_problem_staged_missing(store_tx *tx, arena *a, const char *today,
                                      store_problem **out, size_t *n);
/* Problems closed since `since` (UTC seconds) that have a look-back leader. */
err_code store_problem_closed_with_leader(store_tx *tx, arena *a, int64_t since,
                                          store_problem **out, size_t *n);

/* ---- look-back tasks (回头看) ---- */
typedef struct {
    int64_t id, leader_id, problem_id, created_at, done_at;
    const char *month, *result, *finding, *problem_title, *problem_state;
} store_lookback;
/* Adds the task unless it exists; *added 1 when new. */
err_code store_lookback_add(store_tx *tx, int64_t leader_id, const char *month, int64_t problem_id,
                            int64_t at, int *added);
err_code store_lookback_list(store_tx *tx, arena *a, int64_t leader_id, const char *month,
                             int64_t limit, int64_t offset, store_lookback **out, size_t *n);
err_code store_lookback_get(store_tx *tx, arena *a, int64_t id, store_lookback *out);
err_code store_lookback_done(store_tx *tx, int64_t id, const char *result, const char *finding,
                             int64_t at);

/* ---- problem figures ---- */
typedef enum { PG_UNIT, PG_CATEGORY, PG_SOURCE, PG_MONTH } problem_grouping;

typedef struct {
    const char *key; /* unit id (as text), category, source or YYYY-MM */
    int64_t found, solved, open, overdue, reopened;
} store_problem_group;

/*
 * Counts the problems matching f, grouped. For PG_UNIT the groups are the units directly
 * under the unit whose path is parent_path (each with its subtree; the parent itself is key
 * "0"). Groups come in key order.
 */
err_code store_problem_stats(store_tx *tx, arena *a, const store_problem_filter *f,
                             problem_grouping g, const char *parent_path, store_problem_group **out,
                             size_t *n);
/* For each closed problem matching f: its group key, found_on and closed_at (for durations). */
typedef struct {
    const char *key, *found_on;
    int64_t closed_at;
} store_problem_closure;
err_code store_problem_closures(store_tx *tx, arena *a, const store_problem_filter *f,
                                problem_grouping g, const char *parent_path,
                                store_problem_closure **out, size_t *n);
/* Categories found in at least min_units distinct lead units among the problems matching f. */
typedef struct {
    const char *category;
    int64_t units, problems;
} store_recurring;
err_code store_problem_recurring(store_tx *tx, arena *a, const store_problem_filter *f,
                                 int64_t min_units, store_recurring **out, size_t *n);

#endif
