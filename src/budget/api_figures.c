/*
 * figures — budget performance's reads beside the projects: the vocabulary the UI shows
 * (classes, line kinds, indicator levels, the flow's states and actions), the indicator
 * library (data the finance bureau extends), the figures with their drill-down filters, the
 * names of projects in the audit log, and the public page of published projects (no login:
 * only the fields meant to be public — never the contact, the cost sheet or the opinions).
 */
#include "budget/budget_int.h"

#include "base/clock.h"
#include "base/text.h"
#include "core/store_fn.h"

#include <string.h>

static json_t *strings(const char *const *list)
{
    json_t *a = json_array();
    for (; *list; list++)
        json_array_append_new(a, json_string(*list));
    return a;
}

err_code api_budget_meta(http_req *r)
{
    const flow_def *f = budget_flow_def(http_app(r));
    json_t *classes = json_array(), *levels = json_array(), *states = json_array(),
           *actions = json_array();
    for (int i = 0; budget_classes[i]; i++)
        json_array_append_new(classes, json_pack("{ss ss}", "code", budget_classes[i], "title",
                                                 budget_class_titles[i]));
    for (int i = 0; i < 4; i++)
        json_array_append_new(levels, json_pack("{ss so}", "name", budget_level1[i], "children",
                                                strings(budget_level2[i])));
    for (size_t i = 0; i < f->nstates; i++)
        json_array_append_new(states, json_pack("{ss ss sb}", "name", f->states[i].name, "title",
                                                f->states[i].title, "terminal",
                                                f->states[i].terminal));
    for (size_t i = 0; i < f->nactions; i++)
        json_array_append_new(actions, json_pack("{ss ss}", "name", f->actions[i].name, "title",
                                                 f->actions[i].title));
    static const char *const comparisons[] = {"≥", "≤", "=", ">", "<", "定性", NULL};
    static const char *const grades[] = {"好", "较好", "一般", "较差", "差", NULL};
    static const char *const cost_kinds[] = {"总成本", "分项成本", "单位成本", NULL};
    static const char *const stages[] = {"储备", "审核中", "入库", "预算批复", "终止", NULL};
    json_t *gate = json_object();
    for (int i = 0; budget_gate_codes[i].code; i++)
        json_object_set_new(gate, budget_gate_codes[i].code, json_string(budget_gate_codes[i].title));
    return http_reply(
        r, 200,
        json_pack("{so so so so so so so so so so}", "classes", classes, "line_kinds",
                  strings(budget_line_kinds), "levels", levels, "cost_kinds", strings(cost_kinds),
                  "comparisons", strings(comparisons), "grades", strings(grades), "stages",
                  strings(stages), "states", states, "actions", actions, "gate_codes", gate));
}

static json_t *project_name(store_tx *tx, arena *a, const char *kind, int64_t id, int64_t *page)
{
    (void)kind;
    (void)page;
    store_budget_project p;
    if (store_budget_get(tx, a, id, &p) != E_OK) return NULL;
    return json_pack("{ss ss}", "title", p.name, "unit_name", p.unit_name);
}

err_code api_budget_names(http_req *r)
{
    static const char *const kinds[] = {"budget", NULL};
    return api_audit_names(r, kinds, project_name);
}

/* ---- the indicator library ---- */

typedef struct {
    arena *a;
    const char *class_;
    store_budget_lib *items;
    size_t n;
} lib_ctx;

STORE_FN(lib_fn, lib_ctx *c, store_budget_lib_list(tx, c->a, c->class_, &c->items, &c->n));

static json_t *lib_json(const store_budget_lib *l)
{
    return json_pack("{sI ss ss ss ss ss ss ss ss sb}", "id", (json_int_t)l->id, "class",
                     l->class_, "level1", l->level1, "level2", l->level2, "cost_kind",
                     l->cost_kind, "name", l->name, "comparison", l->comparison, "measure_unit",
                     l->measure_unit, "method", l->method, "builtin", (int)l->builtin);
}

err_code api_budget_library_list(http_req *r)
{
    int cls = -1;
    err_code e = http_query_choice(r, "class", budget_classes, 5, -1, &cls);
    if (e != E_OK) return e;
    lib_ctx c = {.a = http_arena(r), .class_ = cls >= 0 ? budget_classes[cls] : NULL};
    e = mech_read(http_app(r), http_principal(r), "budget.read", "budget", lib_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++)
        json_array_append_new(items, lib_json(&c.items[i]));
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "total", (json_int_t)c.n));
}

typedef struct {
    const char *class_, *level1, *level2, *cost_kind, *name, *comparison, *measure_unit, *method;
} lib_body;

#define LB(f) offsetof(lib_body, f)
static const jfield lib_spec[] = {
    {"class", JF_STR, 0, LB(class_), 20, 0, 0},
    {"level1", JF_STR, 1, LB(level1), 10, 0, 0},
    {"level2", JF_STR, 1, LB(level2), 20, 0, 0},
    {"cost_kind", JF_STR, 0, LB(cost_kind), 10, 0, 0},
    {"name", JF_STR, 1, LB(name), 100, 0, 0},
    {"comparison", JF_STR, 1, LB(comparison), 4, 0, 0},
    {"measure_unit", JF_STR, 0, LB(measure_unit), 20, 0, 0},
    {"method", JF_STR, 0, LB(method), 500, 0, 0},
    JF_END,
};
#undef LB

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    store_budget_lib *l;
} lib_op;

static err_code lib_insert_fn(store_tx *tx, void *ctx)
{
    lib_op *op = ctx;
    store_unit root;
    err_code e = store_unit_root(tx, op->a, &root);
    if (e != E_OK) return e;
    /* The library is the county's: only a holder over the whole county extends it. */
    if (!authz_can(op->p, "budget.library", root.path)) return E_FORBIDDEN;
    e = store_budget_lib_insert(tx, op->l, clock_now());
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "budget.library",
                     arena_sprintf(op->a, "budget_lib:%lld", (long long)op->l->id),
                     json_pack("{ss ss ss}", "level1", op->l->level1, "level2", op->l->level2,
                               "name", op->l->name));
}

err_code api_budget_library_create(http_req *r)
{
    lib_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, lib_spec, &b, &present);
    if (e != E_OK) return e;
    store_budget_lib l = {.class_ = b.class_ ? b.class_ : "",
                          .level1 = b.level1,
                          .level2 = b.level2,
                          .cost_kind = b.cost_kind ? b.cost_kind : "",
                          .name = b.name,
                          .comparison = b.comparison,
                          .measure_unit = b.measure_unit ? b.measure_unit : "",
                          .method = b.method ? b.method : ""};
    if (*l.class_) {
        int known = 0;
        for (int i = 0; budget_classes[i]; i++)
            known |= strcmp(budget_classes[i], l.class_) == 0;
        if (!known) return http_fail(r, E_FIELD_INVALID, "class");
    }
    if (!budget_level2_valid(l.level1, l.level2, "")) return http_fail(r, E_FIELD_INVALID, "level2");
    if (!budget_level2_valid(l.level1, l.level2, l.cost_kind))
        return http_fail(r, E_FIELD_INVALID, "cost_kind");
    if (!budget_comparison_valid(l.comparison)) return http_fail(r, E_FIELD_INVALID, "comparison");
    lib_op op = {http_app(r), http_arena(r), http_principal(r), &l};
    e = store_write(http_app(r)->st, lib_insert_fn, &op);
    if (e != E_OK) return http_fail(r, e, e == E_DUPLICATE ? "name" : NULL);
    return http_reply(r, 201, lib_json(&l));
}

/* ---- figures ---- */

typedef struct {
    arena *a;
    store_budget_filter f;
    store_budget_totals totals;
    store_budget_group *groups[3];
    size_t ngroups[3];
    store_budget_count *rounds;
    size_t nrounds;
    store_budget_gate_count *gate;
    size_t ngate;
} stats_ctx;

static err_code stats_fn(store_tx *tx, void *ctx)
{
    stats_ctx *c = ctx;
    err_code e = api_budget_resolve(tx, c->a, &c->f);
    if (e == E_OK) e = store_budget_totals_get(tx, &c->f, &c->totals);
    for (int g = 0; e == E_OK && g < 3; g++)
        e = store_budget_groups(tx, c->a, &c->f, g, &c->groups[g], &c->ngroups[g]);
    if (e == E_OK) e = store_budget_rounds_count(tx, c->a, &c->f, &c->rounds, &c->nrounds);
    if (e == E_OK) e = store_budget_gate_counts(tx, c->a, &c->f, &c->gate, &c->ngate);
    return e;
}

static json_t *groups_json(const store_budget_group *g, size_t n, int classes)
{
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{ss ss sI sI sI}", "key", g[i].key, "label",
                             classes ? budget_class_title(g[i].key) : g[i].label, "projects",
                             (json_int_t)g[i].projects, "requested", (json_int_t)g[i].requested,
                             "approved", (json_int_t)g[i].approved));
    return items;
}

/* A share in permille of whole, 0 for none. */
static json_int_t permille(int64_t part, int64_t whole)
{
    return whole > 0 ? (json_int_t)((part * 1000 + whole / 2) / whole) : 0;
}

err_code api_budget_stats(http_req *r)
{
    stats_ctx c = {.a = http_arena(r)};
    err_code e = api_budget_filter(r, &c.f);
    if (e != E_OK) return e;
    e = mech_read(http_app(r), http_principal(r), "budget.read", "budget", stats_fn, &c);
    if (e == E_BAD_QUERY) return http_fail(r, e, "unit_id");
    if (e != E_OK) return e;
    const store_budget_totals *t = &c.totals;
    json_t *totals = json_pack(
        "{sI sI sI sI sI sI sI sI sI sI}", "projects", (json_int_t)t->projects, "requested",
        (json_int_t)t->requested, "approved", (json_int_t)t->approved, "with_cost",
        (json_int_t)t->with_cost, "with_cost_permille", permille(t->with_cost, t->projects),
        "submitted", (json_int_t)t->submitted, "passed", (json_int_t)t->passed, "first_pass",
        (json_int_t)t->first_pass, "first_pass_permille", permille(t->first_pass, t->passed),
        "published", (json_int_t)t->published);
    json_t *rounds = json_array(), *gate = json_array();
    for (size_t i = 0; i < c.nrounds; i++)
        json_array_append_new(rounds, json_pack("{sI sI}", "round", (json_int_t)c.rounds[i].key,
                                                "projects", (json_int_t)c.rounds[i].count));
    for (size_t i = 0; i < c.ngate; i++)
        json_array_append_new(gate, json_pack("{ss ss sI sI}", "code", c.gate[i].code, "title",
                                              budget_gate_title(c.gate[i].code), "times",
                                              (json_int_t)c.gate[i].times, "projects",
                                              (json_int_t)c.gate[i].projects));
    return http_reply(r, 200,
                      json_pack("{so so so so so so}", "totals", totals, "by_unit",
                                groups_json(c.groups[0], c.ngroups[0], 0), "by_class",
                                groups_json(c.groups[1], c.ngroups[1], 1), "by_stage",
                                groups_json(c.groups[2], c.ngroups[2], 0), "rounds", rounds,
                                "gate_failures", gate));
}

/* ---- the public page ---- */

typedef struct {
    arena *a;
    int64_t year, unit_id, limit, offset, total;
    store_budget_project *items;
    size_t n;
    store_budget_indicator **inds;
    size_t *ninds;
} public_ctx;

static err_code public_fn(store_tx *tx, void *ctx)
{
    public_ctx *c = ctx;
    err_code e = store_budget_published(tx, c->a, c->year, c->unit_id, c->limit, c->offset,
                                        &c->items, &c->n, &c->total);
    c->inds = arena_alloc(c->a, (c->n + 1) * sizeof *c->inds);
    c->ninds = arena_alloc(c->a, (c->n + 1) * sizeof *c->ninds);
    for (size_t i = 0; e == E_OK && i < c->n; i++)
        e = store_budget_indicators(tx, c->a, c->items[i].id, &c->inds[i], &c->ninds[i]);
    return e;
}

err_code api_budget_public(http_req *r)
{
    public_ctx c = {.a = http_arena(r)};
    err_code e = http_query_int(r, "year", 0, 2000, 2100, &c.year);
    if (e == E_OK) e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = http_query_int(r, "limit", 50, 1, 200, &c.limit);
    if (e == E_OK) e = http_query_int(r, "offset", 0, 0, INT64_MAX, &c.offset);
    if (e != E_OK) return e;
    e = store_read(http_app(r)->st, public_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++) {
        const store_budget_project *p = &c.items[i];
        json_t *targets = json_array();
        for (size_t k = 0; k < c.ninds[i]; k++) {
            const store_budget_indicator *d = &c.inds[i][k];
            json_array_append_new(targets, json_pack("{ss ss ss ss ss ss}", "level1", d->level1,
                                                     "level2", d->level2, "name", d->name,
                                                     "comparison", d->comparison, "target",
                                                     d->target, "measure_unit", d->measure_unit));
        }
        json_t *j = json_pack("{sI sI sI ss ss ss ss sI so}", "id", (json_int_t)p->id, "year",
                              (json_int_t)p->year, "unit_id", (json_int_t)p->unit_id, "unit_name",
                              p->unit_name, "name", p->name, "class_title",
                              budget_class_title(p->class_), "goal", p->goal, "approved_amount",
                              (json_int_t)p->approved_amount, "indicators", targets);
        json_object_set_new(j, "published_at", api_time(p->published_at));
        json_array_append_new(items, j);
    }
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "total", (json_int_t)c.total));
}
