/*
 * budget_store — the records of budget performance as the database holds them, and one
 * function per operation on them (sql.c, through store/sq.h only): projects, their cost sheet
 * lines and indicators, review rounds with their snapshots, opinions, third-party assignments,
 * gate failures, the indicator library, settings, the figures and the public list.
 */
#ifndef DUBAN_BUDGET_STORE_H
#define DUBAN_BUDGET_STORE_H

#include "store/store.h"

#include <stdint.h>

typedef struct {
    int64_t id, year, unit_id, is_new, start_year, end_year;
    int64_t fund_fiscal, fund_carryover, fund_other; /* fen */
    int64_t round, cost_total, gate_failures, has_cost_target;
    int64_t passed_round;    /* 0: not yet passed */
    int64_t approved_amount; /* -1: not approved */
    int64_t reviewer_id, published_at, created_by, created_at, updated_at, version;
    const char *impl_unit, *name, *class_, *goal, *contact, *phone, *state, *stage;
    const char *approval_note, *unit_name, *unit_path;
} store_budget_project;

typedef struct {
    int64_t id, project_id, parent_id, seq, qty_milli, price, amount;
    const char *item, *kind, *measure_unit, *basis;
} store_budget_line;

typedef struct {
    int64_t id, project_id, seq, weight_milli;
    const char *level1, *level2, *cost_kind, *name, *comparison, *target, *measure_unit, *method;
} store_budget_indicator;

typedef struct {
    int64_t id, project_id, round, submitted_by, submitted_at;
    const char *snapshot;
} store_budget_round;

typedef struct {
    int64_t id, project_id, round, event_id, author_id, created_at;
    const char *side, *target, *text;
} store_budget_opinion;

typedef struct {
    int64_t id;
    const char *class_, *level1, *level2, *cost_kind, *name, *comparison, *measure_unit, *method;
    int64_t builtin;
} store_budget_lib;

typedef struct {
    const char *scope;   /* budget.read's subtrees (JSON array), NULL: everywhere */
    int64_t assigned_to; /* a third party's user id: also the projects assigned to them */
    const char *subtree; /* a unit's path: only its subtree (NULL: any) */
    int64_t year, unit_only_id;
    const char *class_, *stage, *state, *q, *gate_code;
    int64_t round;      /* > 0: only projects in this round */
    int has_cost;       /* -1 either, 0 without cost indicator, 1 with */
    int first_pass;     /* -1 either, 1 passed in round 1, 0 passed later */
    int64_t limit, offset;
} store_budget_filter;

err_code store_budget_insert(store_tx *tx, store_budget_project *p);
err_code store_budget_get(store_tx *tx, arena *a, int64_t id, store_budget_project *out);
/* Writes every column of p guarded by its version (E_CONFLICT), bumping p->version. */
err_code store_budget_update(store_tx *tx, store_budget_project *p);
err_code store_budget_list(store_tx *tx, arena *a, const store_budget_filter *f,
                           store_budget_project **out, size_t *n, int64_t *total);

/* Replaces the project's cost sheet and targets (lines in order, parents before sub-items). */
err_code store_budget_lines_set(store_tx *tx, int64_t project_id, store_budget_line *lines,
                                size_t n, const int *parent_index);
err_code store_budget_indicators_set(store_tx *tx, int64_t project_id,
                                     const store_budget_indicator *items, size_t n);
err_code store_budget_lines(store_tx *tx, arena *a, int64_t project_id, store_budget_line **out,
                            size_t *n);
err_code store_budget_indicators(store_tx *tx, arena *a, int64_t project_id,
                                 store_budget_indicator **out, size_t *n);

err_code store_budget_round_insert(store_tx *tx, store_budget_round *r);
err_code store_budget_rounds(store_tx *tx, arena *a, int64_t project_id, store_budget_round **out,
                             size_t *n);
err_code store_budget_opinion_insert(store_tx *tx, store_budget_opinion *o);
err_code store_budget_opinions(store_tx *tx, arena *a, int64_t project_id,
                               store_budget_opinion **out, size_t *n);
err_code store_budget_assign(store_tx *tx, int64_t project_id, int64_t user_id, int64_t round,
                             int64_t by, int64_t at);
/* 1 in *yes when user_id was ever assigned the project (any round; round > 0: that round). */
err_code store_budget_assigned(store_tx *tx, int64_t project_id, int64_t user_id, int64_t round,
                               int *yes);
err_code store_budget_gate_event(store_tx *tx, int64_t project_id, const char *code, int64_t at);

typedef struct {
    int64_t id, project_id, total, project_version, assessor_id, created_at;
    const char *grades, *conclusion, *opinion; /* grades: a JSON object, dimension → grade */
} store_budget_assessment;

err_code store_budget_assessment_insert(store_tx *tx, store_budget_assessment *x);
/* The project's latest assessment; E_NOT_FOUND when it has none. */
err_code store_budget_assessment_latest(store_tx *tx, arena *a, int64_t project_id,
                                        store_budget_assessment *out);

/* A setting of the gate (budget_setting), dflt when absent. */
err_code store_budget_setting(store_tx *tx, const char *name, int64_t dflt, int64_t *value);

err_code store_budget_lib_list(store_tx *tx, arena *a, const char *class_, store_budget_lib **out,
                               size_t *n);
err_code store_budget_lib_insert(store_tx *tx, store_budget_lib *l, int64_t at);

/* ---- figures ---- */
typedef struct {
    const char *key, *label;
    int64_t projects, requested, approved;
} store_budget_group;

typedef struct {
    int64_t projects, requested, approved, with_cost, submitted, passed, first_pass, published;
} store_budget_totals;

typedef struct {
    int64_t key, count;
} store_budget_count;

typedef struct {
    const char *code;
    int64_t times, projects;
} store_budget_gate_count;

/* group: 0 department, 1 class, 2 stage. The filter's scope, year and unit apply. */
err_code store_budget_groups(store_tx *tx, arena *a, const store_budget_filter *f, int group,
                             store_budget_group **out, size_t *n);
err_code store_budget_totals_get(store_tx *tx, const store_budget_filter *f,
                                 store_budget_totals *out);
/* Projects by their round, of those submitted at least once. */
err_code store_budget_rounds_count(store_tx *tx, arena *a, const store_budget_filter *f,
                                   store_budget_count **out, size_t *n);
/* The gate failures most often met at saves, most frequent first (at most 10). */
err_code store_budget_gate_counts(store_tx *tx, arena *a, const store_budget_filter *f,
                                  store_budget_gate_count **out, size_t *n);

/* Published projects of a year (0: every year) and unit (0: every unit), for the public page. */
err_code store_budget_published(store_tx *tx, arena *a, int64_t year, int64_t unit_id,
                                int64_t limit, int64_t offset, store_budget_project **out,
                                size_t *n, int64_t *total);

#endif
