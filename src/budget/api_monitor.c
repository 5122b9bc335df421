/*
 * api_monitor — 执行监控 through the API: the department's monthly report of an approved project
 * (paid to date in fen, the actual value of each indicator, the explanation and measures a
 * flagged report needs), a project's reports with their values (the drill-down), and the
 * finance bureau's monitoring list of approved projects with their latest flag (and its Excel
 * export). Scope: budget.apply over the project's unit to report; budget.read to read.
 */
#include "budget/budget_int.h"

#include "budget/money.h"
#include "budget/monitor.h"

#include <stddef.h>
#include <string.h>

static json_t *monitor_json(const store_budget_monitor *m, json_t *reporter)
{
    int f = budget_flag_of(m->flag);
    return json_pack("{sI sI sI sI sI ss ss ss ss ss so}", "id", (json_int_t)m->id, "month",
                     (json_int_t)m->month, "spent", (json_int_t)m->spent, "exec_permille",
                     (json_int_t)m->exec_permille, "time_permille", (json_int_t)m->time_permille,
                     "flag", m->flag, "flag_title", f >= 0 ? budget_flag_title(f) : "",
                     "reasons", m->reasons, "explanation", m->explanation, "measures",
                     m->measures, "reporter", reporter ? reporter : json_null());
}

/* ---- the report ---- */

typedef struct {
    int64_t month, spent;
    const char *explanation, *measures;
    json_t *values;
} report_body;

static const jfield report_spec[] = {
    {"month", JF_INT, 1, offsetof(report_body, month), 0, 1, 12},
    {"spent", JF_INT, 1, offsetof(report_body, spent), 0, 0, INT64_C(1000000000000000)},
    {"explanation", JF_STR, 0, offsetof(report_body, explanation), 2000, 0, 0},
    {"measures", JF_STR, 0, offsetof(report_body, measures), 2000, 0, 0},
    {"values", JF_ARR, 0, offsetof(report_body, values), 0, 0, 0},
    JF_END,
};

typedef struct {
    int64_t indicator_id;
    const char *actual;
} value_body;

static const jfield value_spec[] = {
    {"indicator_id", JF_INT, 1, offsetof(value_body, indicator_id), 0, 1, INT64_MAX},
    {"actual", JF_STR, 1, offsetof(value_body, actual), 200, 0, 0},
    JF_END,
};

static err_code monitor_reply(http_req *r, int status, int64_t id);

err_code api_budget_monitor_report(http_req *r)
{
    arena *a = http_arena(r);
    int64_t id;
    report_body b = {0};
    uint32_t present;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, report_spec, &b, &present);
    if (e != E_OK) return e;
    size_t nv = json_array_size(b.values);
    if (nv > 200) return http_fail(r, E_FIELD_TOO_LONG, "values");
    budget_monitor_value_input *vals = arena_alloc(a, (nv + 1) * sizeof *vals);
    for (size_t i = 0; i < nv; i++) {
        value_body vb = {0};
        const char *field = NULL;
        json_t *obj = json_array_get(b.values, i);
        e = json_is_object(obj) ? jsonx_parse_object(a, obj, value_spec, &vb, &present, &field)
                                : E_FIELD_TYPE;
        if (e != E_OK)
            return http_fail(r, e, arena_sprintf(a, "values:%d%s%s", (int)i + 1,
                                                 field ? ":" : "", field ? field : ""));
        vals[i] = (budget_monitor_value_input){vb.indicator_id, vb.actual};
    }
    budget_monitor_input in = {(int)b.month, b.spent, vals, nv, b.explanation, b.measures};
    store_budget_monitor out;
    const char *field = NULL, *message = NULL;
    e = budget_monitor_report(http_app(r), a, http_principal(r), id, &in, &out, &field,
                              &message);
    if (e != E_OK) {
        if (message) http_set_message(r, message);
        return http_fail(r, e, field);
    }
    return monitor_reply(r, 201, id);
}

/* ---- a project's reports ---- */

typedef struct {
    arena *a;
    const principal *p;
    int64_t id;
    store_budget_project pr;
    store_budget_monitor *ms;
    store_budget_monitor_value *vs;
    store_budget_indicator *inds;
    size_t nm, nv, ni;
    json_t **people;
} monitor_ctx;

static err_code monitor_fn(store_tx *tx, void *ctx)
{
    monitor_ctx *c = ctx;
    err_code e = store_budget_get(tx, c->a, c->id, &c->pr);
    if (e != E_OK) return e;
    if (!budget_may_read(tx, c->p, &c->pr)) return E_NOT_FOUND;
    e = store_budget_monitors(tx, c->a, c->id, &c->ms, &c->nm);
    if (e == E_OK) e = store_budget_monitor_values(tx, c->a, c->id, &c->vs, &c->nv);
    if (e == E_OK) e = store_budget_indicators(tx, c->a, c->id, &c->inds, &c->ni);
    if (e != E_OK) return e;
    api_people *pp = api_people_new(c->a);
    c->people = arena_alloc(c->a, (c->nm + 1) * sizeof *c->people);
    for (size_t i = 0; i < c->nm; i++)
        c->people[i] = api_actor_json(tx, pp, c->ms[i].reported_by, "");
    api_people_free(pp);
    return E_OK;
}

static err_code monitor_reply(http_req *r, int status, int64_t id)
{
    monitor_ctx c = {.a = http_arena(r), .p = http_principal(r), .id = id};
    err_code e = store_read(http_app(r)->st, monitor_fn, &c);
    if (e != E_OK) return e;
    json_t *reports = json_array();
    for (size_t i = 0; i < c.nm; i++) {
        json_t *m = monitor_json(&c.ms[i], c.people[i]);
        json_object_set_new(m, "reported_at", api_time(c.ms[i].reported_at));
        json_t *vals = json_array();
        for (size_t k = 0; k < c.nv; k++) {
            const store_budget_monitor_value *v = &c.vs[k];
            if (v->monitor_id != c.ms[i].id) continue;
            int f = budget_flag_of(v->flag);
            json_array_append_new(
                vals, json_pack("{sI ss ss ss ss ss ss so ss ss}", "indicator_id",
                                (json_int_t)v->indicator_id, "name", v->name, "level1", v->level1,
                                "comparison", v->comparison, "target", v->target, "measure_unit",
                                v->measure_unit, "actual", v->actual, "completion_permille",
                                v->completion >= 0 ? json_integer(v->completion) : json_null(),
                                "flag", v->flag, "flag_title", f >= 0 ? budget_flag_title(f) : ""));
        }
        json_object_set_new(m, "values", vals);
        json_array_append_new(reports, m);
    }
    json_t *inds = json_array();
    for (size_t i = 0; i < c.ni; i++)
        json_array_append_new(inds, json_pack("{sI ss ss ss ss ss}", "id", (json_int_t)c.inds[i].id,
                                              "level1", c.inds[i].level1, "name", c.inds[i].name,
                                              "comparison", c.inds[i].comparison, "target",
                                              c.inds[i].target, "measure_unit",
                                              c.inds[i].measure_unit));
    return http_reply(r, status,
                      json_pack("{so so so sb}", "project", api_budget_json(r, &c.pr), "reports",
                                reports, "indicators", inds, "may_report",
                                (strcmp(c.pr.state, "approved") == 0 ||
                                 strcmp(c.pr.state, "published") == 0) &&
                                    authz_can(c.p, "budget.apply", c.pr.unit_path)));
}

err_code api_budget_monitor_get(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    return e != E_OK ? e : monitor_reply(r, 200, id);
}

/* ---- the monitoring list ---- */

typedef struct {
    arena *a;
    store_budget_filter f;
    const char *flag;
    store_budget_monitor_row *items;
    size_t n;
    int64_t total;
} list_ctx;

static err_code list_fn(store_tx *tx, void *ctx)
{
    list_ctx *c = ctx;
    err_code e = api_budget_resolve(tx, c->a, &c->f);
    if (e != E_OK) return e;
    return store_budget_monitor_list(tx, c->a, &c->f, c->flag, &c->items, &c->n, &c->total);
}

static const api_column list_columns[] = {
    {"year", "年度"},           {"unit_name", "申报单位"},          {"name", "项目名称"},
    {"approved_yuan", "批复金额（元）"}, {"month", "报送月份"},     {"spent_yuan", "累计支付（元）"},
    {"exec_rate", "执行率"},     {"time_rate", "时间进度"},          {"flag_title", "预警"},
    {"reasons", "预警原因"},     {"explanation", "偏差原因"},        {"measures", "整改措施"},
};

static const char *percent(arena *a, int64_t permille)
{
    return arena_sprintf(a, "%lld.%lld%%", (long long)(permille / 10), (long long)(permille % 10));
}

err_code api_budget_monitor_list(http_req *r)
{
    arena *a = http_arena(r);
    list_ctx c = {.a = a};
    static const char *const flags[] = {"green", "yellow", "red", "none"};
    int flag = -1;
    err_code e = api_budget_filter(r, &c.f);
    if (e == E_OK) e = http_query_choice(r, "flag", flags, 4, -1, &flag);
    if (e == E_OK) e = api_list_page(r, 20, &c.f.limit, &c.f.offset);
    if (e != E_OK) return e;
    c.f.assigned_to = 0; /* the finance bureau's list: budget.read only */
    c.flag = flag >= 0 ? flags[flag] : NULL;
    e = mech_read(http_app(r), http_principal(r), "budget.read", "budget", list_fn, &c);
    if (e == E_BAD_QUERY) return http_fail(r, e, "unit_id");
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++) {
        const store_budget_monitor_row *row = &c.items[i];
        json_t *j = api_budget_json(r, &row->p);
        char buf[40];
        money_yuan(row->p.approved_amount, buf, sizeof buf);
        json_object_set_new(j, "approved_yuan", json_string(buf));
        if (row->m.id) {
            json_object_set_new(j, "latest", monitor_json(&row->m, NULL));
            json_object_set_new(j, "month", json_integer(row->m.month));
            money_yuan(row->m.spent, buf, sizeof buf);
            json_object_set_new(j, "spent_yuan", json_string(buf));
            json_object_set_new(j, "exec_rate", json_string(percent(a, row->m.exec_permille)));
            json_object_set_new(j, "time_rate", json_string(percent(a, row->m.time_permille)));
            json_object_set_new(j, "flag_title", json_string(budget_flag_title(budget_flag_of(row->m.flag))));
            json_object_set_new(j, "reasons", json_string(row->m.reasons));
            json_object_set_new(j, "explanation", json_string(row->m.explanation));
            json_object_set_new(j, "measures", json_string(row->m.measures));
        } else {
            json_object_set_new(j, "latest", json_null());
            json_object_set_new(j, "flag_title", json_string("未报送"));
        }
        json_array_append_new(items, j);
    }
    return api_reply_list(r, items, c.total, list_columns,
                          sizeof list_columns / sizeof list_columns[0], "执行监控");
}
