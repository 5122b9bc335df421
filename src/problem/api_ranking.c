/*
 * api_ranking — 通报排名: the units directly under one unit ranked on the problem list's figures
 * for a period (solve rate, overdue count, average working days to close), each figure marked
 * 红黄绿 by thresholds the problem list's administrator sets (problem_setting, audited), each
 * figure carrying the list filter that shows the problems behind it.
 *
 * The ranked parent is ?unit_id= when the caller may read problems there (else 403), by default
 * the county when the caller reads over the county, else the caller's own unit. Units without
 * problems in the period are listed after the ranked ones, without rank or mark.
 */
#include "problem/problem_int.h"

#include "core/store_fn.h"
#include "store/sq.h"

#include <stdlib.h>
#include <string.h>

/* The thresholds, in the order of the table's keys (see the migration 0015). */
typedef struct {
    int64_t rate_green, rate_yellow, overdue_yellow, overdue_red, days_yellow, days_red;
} thresholds;

static const struct {
    const char *key, *field;
    size_t offset;
} keys[] = {
    {"rank_rate_green", "rate_green", offsetof(thresholds, rate_green)},
    {"rank_rate_yellow", "rate_yellow", offsetof(thresholds, rate_yellow)},
    {"rank_overdue_yellow", "overdue_yellow", offsetof(thresholds, overdue_yellow)},
    {"rank_overdue_red", "overdue_red", offsetof(thresholds, overdue_red)},
    {"rank_days_yellow", "days_yellow", offsetof(thresholds, days_yellow)},
    {"rank_days_red", "days_red", offsetof(thresholds, days_red)},
};
#define NKEYS (sizeof keys / sizeof keys[0])

static int64_t *slot(thresholds *t, size_t i)
{
    return (int64_t *)((char *)t + keys[i].offset);
}

static err_code thresholds_read(store_tx *tx, thresholds *t)
{
    static const char sql[] = "SELECT key, value FROM problem_setting WHERE key LIKE 'rank_%'";
    *t = (thresholds){90, 70, 1, 3, 20, 40};
    sq_stmt *st = sq_prep(tx, sql);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        for (size_t i = 0; i < NKEYS; i++)
            if (strcmp(sq_text_peek(st, 0), keys[i].key) == 0) *slot(t, i) = sq_int(st, 1);
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

static json_t *thresholds_json(thresholds *t)
{
    json_t *j = json_object();
    for (size_t i = 0; i < NKEYS; i++)
        json_object_set_new(j, keys[i].field, json_integer(*slot(t, i)));
    return j;
}

/* ---- the ranking ---- */

typedef struct {
    arena *a;
    const principal *p;
    int64_t unit_id; /* asked for; 0: the default */
    store_unit parent;
    thresholds t;
} parent_ctx;

static err_code parent_fn(store_tx *tx, void *ctx)
{
    parent_ctx *c = ctx;
    store_unit root;
    err_code e = store_unit_root(tx, c->a, &root);
    if (e == E_OK && !c->unit_id)
        c->unit_id = c->p->system || authz_can(c->p, "problem.read", root.path) ? root.id
                                                                                 : c->p->unit_id;
    if (e == E_OK) e = store_unit_get(tx, c->a, c->unit_id, &c->parent);
    if (e == E_OK && !authz_can(c->p, "problem.read", c->parent.path)) e = E_FORBIDDEN;
    return e == E_OK ? thresholds_read(tx, &c->t) : e;
}

enum { MARK_NONE = -1, MARK_GREEN, MARK_YELLOW, MARK_RED };
static const char *const mark_names[] = {"green", "yellow", "red"};

typedef struct {
    json_t *group;
    double rate, days;
    int64_t found, overdue;
    int marks[3], mark;
} ranked;

static int mark_high_good(double v, int64_t green, int64_t yellow)
{
    return v >= (double)green ? MARK_GREEN : v >= (double)yellow ? MARK_YELLOW : MARK_RED;
}

static int mark_low_good(double v, int64_t yellow, int64_t red)
{
    return v >= (double)red ? MARK_RED : v >= (double)yellow ? MARK_YELLOW : MARK_GREEN;
}

static int rank_cmp(const void *pa, const void *pb)
{
    const ranked *a = pa, *b = pb;
    if ((a->found > 0) != (b->found > 0)) return a->found > 0 ? -1 : 1;
    if (a->rate != b->rate) return a->rate > b->rate ? -1 : 1;
    if (a->overdue != b->overdue) return a->overdue < b->overdue ? -1 : 1;
    if (a->days != b->days) return a->days < b->days ? -1 : 1;
    return strcmp(json_string_value(json_object_get(a->group, "label")),
                  json_string_value(json_object_get(b->group, "label")));
}

static int same_place(const ranked *a, const ranked *b)
{
    return a->rate == b->rate && a->overdue == b->overdue && a->days == b->days;
}

static json_t *item_json(const ranked *x, int64_t rank)
{
    json_t *g = x->group;
    json_t *filters = json_object_get(g, "filters");
    json_t *marks = json_object();
    static const char *const figs[] = {"solve_rate", "overdue", "avg_workdays_to_close"};
    for (int i = 0; i < 3; i++)
        json_object_set_new(marks, figs[i],
                            x->mark == MARK_NONE ? json_null() : json_string(mark_names[x->marks[i]]));
    return json_pack("{sO sI so sO sO sO sO sO so so sO}", "unit_id", json_object_get(g, "key"),
                     "found", (json_int_t)x->found, "rank",
                     rank ? json_integer(rank) : json_null(), "label", json_object_get(g, "label"),
                     "solved", json_object_get(g, "solved"), "solve_rate",
                     json_object_get(g, "solve_rate"), "overdue", json_object_get(g, "overdue"),
                     "avg_workdays_to_close", json_object_get(g, "avg_workdays_to_close"),
                     "marks", marks, "mark",
                     x->mark == MARK_NONE ? json_null() : json_string(mark_names[x->mark]),
                     "filters", filters);
}

err_code api_problems_ranking(http_req *r)
{
    store_problem_filter f;
    err_code e = api_problem_filter(r, &f);
    if (e != E_OK) return e;
    if (f.unit_only) return http_fail(r, E_BAD_QUERY, "unit_only");
    parent_ctx pc = {.a = http_arena(r), .p = http_principal(r), .unit_id = f.unit_id};
    e = store_read(http_app(r)->st, parent_fn, &pc);
    if (e == E_NOT_FOUND) return http_fail(r, E_BAD_QUERY, "unit_id");
    if (e != E_OK) return e;
    f.unit_id = pc.parent.id;
    json_t *groups, *total;
    e = api_problem_unit_figures(r, &f, &groups, &total);
    if (e != E_OK) return e;

    size_t n = 0, ng = json_array_size(groups);
    ranked *rows = arena_alloc(http_arena(r), (ng ? ng : 1) * sizeof *rows);
    for (size_t i = 0; i < ng; i++) {
        json_t *g = json_array_get(groups, i);
        if (strcmp(json_string_value(json_object_get(g, "key")), "0") == 0) continue; /* 本级 */
        ranked *x = &rows[n++];
        x->group = g;
        x->found = json_integer_value(json_object_get(g, "found"));
        x->overdue = json_integer_value(json_object_get(g, "overdue"));
        x->rate = json_real_value(json_object_get(g, "solve_rate")) * 100.0;
        x->days = json_real_value(json_object_get(g, "avg_workdays_to_close"));
        x->marks[0] = mark_high_good(x->rate, pc.t.rate_green, pc.t.rate_yellow);
        x->marks[1] = mark_low_good((double)x->overdue, pc.t.overdue_yellow, pc.t.overdue_red);
        x->marks[2] = mark_low_good(x->days, pc.t.days_yellow, pc.t.days_red);
        x->mark = MARK_NONE;
        if (x->found)
            for (int k = 0; k < 3; k++)
                if (x->marks[k] > x->mark) x->mark = x->marks[k];
    }
    qsort(rows, n, sizeof *rows, rank_cmp);
    json_t *items = json_array();
    int64_t rank = 0;
    for (size_t i = 0; i < n; i++) {
        if (rows[i].found && (i == 0 || !same_place(&rows[i], &rows[i - 1]))) rank = (int64_t)i + 1;
        json_array_append_new(items, item_json(&rows[i], rows[i].found ? rank : 0));
    }
    json_t *period = json_pack("{so so}", "from", f.found_from ? json_string(f.found_from) : json_null(),
                               "to", f.found_to ? json_string(f.found_to) : json_null());
    json_t *reply = json_pack("{s{sI so} so so so so}", "parent", "id", (json_int_t)pc.parent.id,
                              "name", jsonx_text(pc.parent.name), "period", period, "thresholds",
                              thresholds_json(&pc.t), "items", items, "total", total);
    json_decref(groups);
    return http_reply(r, 200, reply);
}

/* ---- the thresholds ---- */

STORE_FN(thresholds_fn, thresholds *t, thresholds_read(tx, t));

err_code api_problems_ranking_thresholds_get(http_req *r)
{
    thresholds t;
    err_code e = store_read(http_app(r)->st, thresholds_fn, &t);
    return e == E_OK ? http_reply(r, 200, thresholds_json(&t)) : e;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    thresholds t, before;
} set_ctx;

/* Only over the county: the marks are the county's one rule for every unit. */
static err_code set_fn(store_tx *tx, void *ctx)
{
    set_ctx *c = ctx;
    store_unit root;
    err_code e = store_unit_root(tx, c->a, &root);
    if (e != E_OK) return e;
    if (!authz_can(c->p, "problem.assign", root.path)) return E_FORBIDDEN;
    e = thresholds_read(tx, &c->before);
    if (e != E_OK) return e;
    static const char del[] = "DELETE FROM problem_setting WHERE key = ?1";
    static const char ins[] = "INSERT INTO problem_setting(key, value) VALUES (?1, ?2)";
    for (size_t i = 0; i < NKEYS && e == E_OK; i++) {
        sq_stmt *st = sq_prep(tx, del);
        sq_bind_text(st, 1, keys[i].key);
        e = sq_exec(tx, st);
        if (e != E_OK) break;
        st = sq_prep(tx, ins);
        sq_bind_text(st, 1, keys[i].key);
        sq_bind_int(st, 2, *slot(&c->t, i));
        e = sq_exec(tx, st);
    }
    if (e != E_OK) return e;
    return app_audit(c->ap, tx, c->a, c->p, "problem.ranking.thresholds", "problem_setting:rank",
                     json_pack("{so so}", "before", thresholds_json(&c->before), "after",
                               thresholds_json(&c->t)));
}

err_code api_problems_ranking_thresholds_set(http_req *r)
{
    static const jfield spec[] = {
        {"rate_green", JF_INT, 1, offsetof(thresholds, rate_green), 0, 0, 100},
        {"rate_yellow", JF_INT, 1, offsetof(thresholds, rate_yellow), 0, 0, 100},
        {"overdue_yellow", JF_INT, 1, offsetof(thresholds, overdue_yellow), 0, 1, 10000},
        {"overdue_red", JF_INT, 1, offsetof(thresholds, overdue_red), 0, 1, 10000},
        {"days_yellow", JF_INT, 1, offsetof(thresholds, days_yellow), 0, 1, 1000},
        {"days_red", JF_INT, 1, offsetof(thresholds, days_red), 0, 1, 1000},
        JF_END,
    };
    set_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    uint32_t present;
    err_code e = http_parse(r, spec, &c.t, &present);
    if (e != E_OK) return e;
    if (c.t.rate_yellow > c.t.rate_green)
        return http_fail(r, E_PROBLEM_THRESHOLD_ORDER, "rate_yellow");
    if (c.t.overdue_yellow > c.t.overdue_red)
        return http_fail(r, E_PROBLEM_THRESHOLD_ORDER, "overdue_yellow");
    if (c.t.days_yellow > c.t.days_red)
        return http_fail(r, E_PROBLEM_THRESHOLD_ORDER, "days_yellow");
    e = store_write(c.ap->st, set_fn, &c);
    return e == E_OK ? http_reply(r, 200, thresholds_json(&c.t)) : e;
}
