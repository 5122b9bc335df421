/*
 * problem_stats — the figures of the problem list for the caller's scope: found, solved,
 * solve rate, open, overdue, reopened and average working days to close, grouped by unit,
 * category, source or month; and recurring problems (共性问题). Every figure carries the list
 * filter (query parameters of GET /api/v1/problems) that shows the problems behind it.
 */
#include "problem/problem_int.h"

#include "core/store_fn.h"
#include "problem/problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    app *ap;
    arena *a;
    const store_problem_filter *f;
    problem_grouping g;
    const char *parent_path;
    int64_t parent_id;
    store_problem_group *rows;
    size_t nrows;
    store_problem_closure *closed;
    size_t nclosed;
    store_unit *units;
    size_t nunits;
    store_recurring *recurring;
    int64_t min_units;
} stats_ctx;

static err_code stats_fn(store_tx *tx, void *ctx)
{
    stats_ctx *c = ctx;
    store_unit parent;
    err_code e = c->f->unit_id ? store_unit_get(tx, c->a, c->f->unit_id, &parent)
                               : store_unit_root(tx, c->a, &parent);
    if (e != E_OK) return e;
    c->parent_path = parent.path;
    c->parent_id = parent.id;
    e = store_problem_stats(tx, c->a, c->f, c->g, c->parent_path, &c->rows, &c->nrows);
    if (e == E_OK)
        e = store_problem_closures(tx, c->a, c->f, c->g, c->parent_path, &c->closed, &c->nclosed);
    if (e == E_OK && c->g == PG_UNIT)
        e = store_unit_list(tx, c->a, NULL, c->parent_id, &c->units, &c->nunits);
    return e;
}

/* The list filter the caller asked with, as query parameters. */
static json_t *base_filter(const store_problem_filter *f)
{
    json_t *j = json_object();
    const struct {
        const char *name, *value;
    } texts[] = {{"source", f->source}, {"category", f->category},     {"state", f->state},
                 {"q", f->q},           {"found_from", f->found_from}, {"found_to", f->found_to},
                 {"task", f->task}};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i].value) json_object_set_new(j, texts[i].name, jsonx_text(texts[i].value));
    if (f->unit_id) json_object_set_new(j, "unit_id", json_integer(f->unit_id));
    if (f->overdue) json_object_set_new(j, "overdue", json_string("1"));
    if (f->supervised) json_object_set_new(j, "supervised", json_string("1"));
    if (f->reopened) json_object_set_new(j, "reopened", json_string("1"));
    if (f->open_only) json_object_set_new(j, "open", json_string("1"));
    if (f->unit_only) json_object_set_new(j, "unit_only", json_string("1"));
    return j;
}

/* The month "YYYY-MM" as a found_on range, within the range the caller asked for. */
static void month_range(json_t *j, const char *month, const store_problem_filter *f)
{
    cal_day first, last, bound;
    char from[11], to[11];
    snprintf(from, sizeof from, "%.7s-01", month);
    if (cal_parse(from, &first)) return;
    last = cal_add_months(first, 1) - 1;
    if (f->found_from && cal_parse(f->found_from, &bound) == 0 && bound > first) first = bound;
    if (f->found_to && cal_parse(f->found_to, &bound) == 0 && bound < last) last = bound;
    cal_format(first, from);
    cal_format(last, to);
    json_object_set_new(j, "found_from", json_string(from));
    json_object_set_new(j, "found_to", json_string(to));
}

/* The filter of one group, narrowed further by one figure's condition (NULL: none). */
static json_t *figure_filter(const stats_ctx *c, const char *key, const char *cond,
                             const char *value)
{
    json_t *j = base_filter(c->f);
    switch (c->g) {
    case PG_UNIT:
        json_object_set_new(j, "unit_id",
                            json_integer(strcmp(key, "0") ? atoll(key) : c->parent_id));
        /* 本级 counts the parent's own problems, not its subtree (the other groups). */
        if (strcmp(key, "0") == 0) json_object_set_new(j, "unit_only", json_string("1"));
        break;
    case PG_CATEGORY:
        json_object_set_new(j, "category", jsonx_text(key));
        break;
    case PG_SOURCE:
        json_object_set_new(j, "source", jsonx_text(key));
        break;
    case PG_MONTH:
        month_range(j, key, c->f);
        break;
    }
    if (cond) json_object_set_new(j, cond, json_string(value));
    return j;
}

/* A state filter other than closed: no solved problem can match it. */
static int excludes_closed(const store_problem_filter *f)
{
    return f->state && strcmp(f->state, "closed") != 0;
}

/* The drill-down of "solved": null when the caller's state filter leaves none to list. */
static json_t *solved_filter(const stats_ctx *c, const char *key)
{
    return excludes_closed(c->f) ? json_null() : figure_filter(c, key, "state", "closed");
}

static const char *unit_label(const stats_ctx *c, const char *key)
{
    int64_t id = atoll(key);
    for (size_t i = 0; i < c->nunits; i++)
        if (c->units[i].id == id) return c->units[i].name;
    return strcmp(key, "0") == 0 ? "本级" : key;
}

/* Average working days from discovery to closure for the group's closed problems. */
static double avg_days(const stats_ctx *c, const char *key)
{
    double sum = 0;
    int n = 0;
    for (size_t i = 0; i < c->nclosed; i++) {
        cal_day found;
        if (strcmp(c->closed[i].key, key) != 0 || cal_parse(c->closed[i].found_on, &found))
            continue;
        sum += calendar_workdays_between(c->ap->cal, found, cal_local_day(c->closed[i].closed_at),
                                         NULL);
        n++;
    }
    return n ? sum / n : 0;
}

static json_t *group_json(const stats_ctx *c, const store_problem_group *g)
{
    const char *label = c->g == PG_UNIT ? unit_label(c, g->key) : g->key;
    json_t *filters =
        json_pack("{so so so so so}", "found", figure_filter(c, g->key, NULL, NULL), "solved",
                  solved_filter(c, g->key), "open", figure_filter(c, g->key, "open", "1"),
                  "overdue", figure_filter(c, g->key, "overdue", "1"), "reopened",
                  figure_filter(c, g->key, "reopened", "1"));
    double rate = g->found ? (double)g->solved / (double)g->found : 0;
    return json_pack("{so so sI sI sf sI sI sI sf so}", "key", jsonx_text(g->key), "label",
                     jsonx_text(label), "found", (json_int_t)g->found, "solved",
                     (json_int_t)g->solved, "solve_rate", rate, "open", (json_int_t)g->open,
                     "overdue", (json_int_t)g->overdue, "reopened", (json_int_t)g->reopened,
                     "avg_workdays_to_close", avg_days(c, g->key), "filters", filters);
}

static json_t *totals_json(const stats_ctx *c)
{
    store_problem_group t = {.key = "total"};
    for (size_t i = 0; i < c->nrows; i++) {
        t.found += c->rows[i].found;
        t.solved += c->rows[i].solved;
        t.open += c->rows[i].open;
        t.overdue += c->rows[i].overdue;
        t.reopened += c->rows[i].reopened;
    }
    double sum = 0;
    int n = 0;
    for (size_t i = 0; i < c->nclosed; i++) {
        cal_day found;
        if (cal_parse(c->closed[i].found_on, &found)) continue;
        sum += calendar_workdays_between(c->ap->cal, found, cal_local_day(c->closed[i].closed_at),
                                         NULL);
        n++;
    }
    json_t *base = base_filter(c->f);
    json_t *filters = json_pack("{so so so so so}", "found", json_deep_copy(base), "solved",
                                json_deep_copy(base), "open", json_deep_copy(base), "overdue",
                                json_deep_copy(base), "reopened", json_deep_copy(base));
    if (excludes_closed(c->f))
        json_object_set_new(filters, "solved", json_null());
    else
        json_object_set_new(json_object_get(filters, "solved"), "state", json_string("closed"));
    json_object_set_new(json_object_get(filters, "open"), "open", json_string("1"));
    json_object_set_new(json_object_get(filters, "overdue"), "overdue", json_string("1"));
    json_object_set_new(json_object_get(filters, "reopened"), "reopened", json_string("1"));
    json_decref(base);
    return json_pack("{sI sI sf sI sI sI sf so}", "found", (json_int_t)t.found, "solved",
                     (json_int_t)t.solved, "solve_rate",
                     t.found ? (double)t.solved / (double)t.found : 0.0, "open", (json_int_t)t.open,
                     "overdue", (json_int_t)t.overdue, "reopened", (json_int_t)t.reopened,
                     "avg_workdays_to_close", n ? sum / n : 0.0, "filters", filters);
}

static err_code grouping(http_req *r, problem_grouping *g)
{
    static const char *names[] = {[PG_UNIT] = "unit",
                                  [PG_CATEGORY] = "category",
                                  [PG_SOURCE] = "source",
                                  [PG_MONTH] = "month"};
    int i;
    err_code e = http_query_choice(r, "group", names, sizeof names / sizeof *names, PG_UNIT, &i);
    *g = (problem_grouping)i;
    return e;
}

err_code api_problems_stats(http_req *r)
{
    store_problem_filter f;
    stats_ctx c = {.ap = http_app(r), .a = http_arena(r), .f = &f};
    err_code e = api_problem_filter(r, &f);
    if (e == E_OK) e = grouping(r, &c.g);
    if (e != E_OK) return e;
    if (!authz_has(http_principal(r), "problem.read")) return E_FORBIDDEN;
    e = api_read_filtered(r, stats_fn, &c);
    if (e != E_OK) return e;
    json_t *groups = json_array();
    for (size_t i = 0; i < c.nrows; i++)
        json_array_append_new(groups, group_json(&c, &c.rows[i]));
    return http_reply(r, 200, json_pack("{so so}", "groups", groups, "total", totals_json(&c)));
}

err_code api_problem_unit_figures(http_req *r, const store_problem_filter *f, json_t **groups,
                                  json_t **total)
{
    stats_ctx c = {.ap = http_app(r), .a = http_arena(r), .f = f, .g = PG_UNIT};
    *groups = *total = NULL;
    err_code e = api_read_filtered(r, stats_fn, &c);
    if (e != E_OK) return e;
    *groups = json_array();
    for (size_t i = 0; i < c.nrows; i++)
        json_array_append_new(*groups, group_json(&c, &c.rows[i]));
    /* The units without problems matching f, with zero figures (a ranking names every unit). */
    for (size_t u = 0; u < c.nunits; u++) {
        const char *key = arena_sprintf(c.a, "%lld", (long long)c.units[u].id);
        size_t i = 0;
        while (i < c.nrows && strcmp(c.rows[i].key, key) != 0)
            i++;
        if (i == c.nrows)
            json_array_append_new(*groups, group_json(&c, &(store_problem_group){.key = key}));
    }
    *total = totals_json(&c);
    return E_OK;
}

STORE_FN(recurring_fn, stats_ctx *c,
         store_problem_recurring(tx, c->a, c->f, c->min_units, &c->recurring, &c->nrows));

err_code api_problems_recurring(http_req *r)
{
    store_problem_filter f;
    stats_ctx c = {.ap = http_app(r), .a = http_arena(r), .f = &f, .g = PG_CATEGORY};
    err_code e = api_problem_filter(r, &f);
    if (e == E_OK) e = http_query_int(r, "min_units", 3, 2, 1000, &c.min_units);
    if (e != E_OK) return e;
    if (!authz_has(http_principal(r), "problem.read")) return E_FORBIDDEN;
    e = store_read(c.ap->st, recurring_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.nrows; i++) {
        const store_recurring *x = &c.recurring[i];
        json_array_append_new(items, json_pack("{so sI sI so}", "category", jsonx_text(x->category),
                                               "units", (json_int_t)x->units, "problems",
                                               (json_int_t)x->problems, "filter",
                                               figure_filter(&c, x->category, NULL, NULL)));
    }
    return http_reply(r, 200,
                      json_pack("{so sI}", "items", items, "min_units", (json_int_t)c.min_units));
}
