/*
 * projects — budget projects through the API: the list with its filters (and its Excel export),
 * create and save with the cost sheet and targets (the gate's failures in every reply), the
 * detail with rounds, opinions and timeline, the actions the caller may take now with their
 * forms, and taking one. Money is integer fen in JSON; quantities and weights are decimal
 * strings ("12.5"), read exactly.
 * Scope: budget.read over the project's unit, or a third party's assignment; each action's own
 * permission through the flow.
 */
#include "budget/budget_int.h"

#include "budget/money.h"
#include "core/store_fn.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const flow_def *flow(http_req *r)
{
    return budget_flow_def(http_app(r));
}

static const char *state_title(http_req *r, const char *state)
{
    const flow_state *s = flow_state_named(flow(r), state);
    return s ? s->title : state;
}

json_t *api_budget_json(http_req *r, const store_budget_project *p)
{
    json_t *j = json_pack(
        "{sI sI sI ss ss ss ss ss sb sI sI sI sI sI sI ss ss ss ss ss ss sI}", "id",
        (json_int_t)p->id, "year", (json_int_t)p->year, "unit_id", (json_int_t)p->unit_id,
        "unit_name", p->unit_name, "impl_unit", p->impl_unit, "name", p->name, "class", p->class_,
        "class_title", budget_class_title(p->class_), "is_new", (int)p->is_new, "start_year",
        (json_int_t)p->start_year, "end_year", (json_int_t)p->end_year, "fund_fiscal",
        (json_int_t)p->fund_fiscal, "fund_carryover", (json_int_t)p->fund_carryover, "fund_other",
        (json_int_t)p->fund_other, "requested",
        (json_int_t)(p->fund_fiscal + p->fund_carryover + p->fund_other), "goal", p->goal,
        "contact", p->contact, "phone", p->phone, "state", p->state, "state_title",
        state_title(r, p->state), "stage", p->stage, "round", (json_int_t)p->round);
    json_object_set_new(j, "cost_total", json_integer(p->cost_total));
    json_object_set_new(j, "gate_failures", json_integer(p->gate_failures));
    json_object_set_new(j, "has_cost_target", json_boolean(p->has_cost_target));
    json_object_set_new(j, "passed_round", p->passed_round ? json_integer(p->passed_round) : json_null());
    json_object_set_new(j, "approved_amount",
                        p->approved_amount >= 0 ? json_integer(p->approved_amount) : json_null());
    json_object_set_new(j, "approval_note", json_string(p->approval_note));
    json_object_set_new(j, "reviewer_id", p->reviewer_id ? json_integer(p->reviewer_id) : json_null());
    json_object_set_new(j, "published_at", api_time(p->published_at));
    json_object_set_new(j, "created_at", api_time(p->created_at));
    json_object_set_new(j, "updated_at", api_time(p->updated_at));
    json_object_set_new(j, "version", json_integer(p->version));
    return j;
}

json_t *api_budget_gate_json(const budget_gate_result *g)
{
    json_t *items = json_array();
    for (size_t i = 0; i < g->n; i++)
        json_array_append_new(items, json_pack("{ss ss ss}", "code", g->items[i].code, "field",
                                               g->items[i].field, "message",
                                               g->items[i].message));
    return json_pack("{sb so}", "ok", g->n == 0, "failures", items);
}

/* ---- list ---- */

err_code api_budget_filter(http_req *r, store_budget_filter *f)
{
    memset(f, 0, sizeof *f);
    int64_t unit_id = 0;
    int unit_only = 0;
    static const char *const stages[] = {"储备", "审核中", "入库", "预算批复", "终止"};
    int stage = -1, cls = -1;
    err_code e = http_query_int(r, "year", 0, 2000, 2100, &f->year);
    if (e == E_OK) e = http_query_id(r, "unit_id", &unit_id);
    if (e == E_OK) e = api_unit_only(r, unit_id, &unit_only);
    if (e == E_OK) e = http_query_choice(r, "class", budget_classes, 5, -1, &cls);
    if (e == E_OK) e = http_query_choice(r, "stage", stages, 5, -1, &stage);
    if (e == E_OK) e = http_query_text(r, "state", HTTP_QUERY_TEXT_MAX, &f->state);
    if (e == E_OK) e = http_query_text(r, "q", HTTP_QUERY_TEXT_MAX, &f->q);
    if (e == E_OK) e = http_query_text(r, "gate_code", 40, &f->gate_code);
    if (e == E_OK) e = http_query_int(r, "round", 0, 1, 1000, &f->round);
    if (e == E_OK) e = http_query_flag(r, "has_cost", -1, &f->has_cost);
    if (e == E_OK) e = http_query_flag(r, "first_pass", -1, &f->first_pass);
    if (e != E_OK) return e;
    if (f->state && !flow_state_named(flow(r), f->state)) return http_fail(r, E_BAD_QUERY, "state");
    f->class_ = cls >= 0 ? budget_classes[cls] : NULL;
    f->stage = stage >= 0 ? stages[stage] : NULL;
    const principal *p = http_principal(r);
    f->scope = authz_scope(p, "budget.read", http_arena(r));
    f->assigned_to = p->system ? 0 : p->user_id;
    if (unit_id) {
        /* The subtree of the unit (read in the list's transaction below) or the unit alone. */
        if (unit_only) f->unit_only_id = unit_id;
        f->subtree = arena_sprintf(http_arena(r), "#%lld", (long long)unit_id);
    }
    return E_OK;
}

typedef struct {
    arena *a;
    store_budget_filter f;
    store_budget_project *items;
    size_t n;
    int64_t total;
} list_ctx;

err_code api_budget_resolve(store_tx *tx, arena *a, store_budget_filter *f)
{
    if (!f->subtree || f->subtree[0] != '#') return E_OK;
    store_unit u;
    err_code e = store_unit_get(tx, a, strtoll(f->subtree + 1, NULL, 10), &u);
    if (e != E_OK) return e == E_NOT_FOUND ? E_BAD_QUERY : e;
    f->subtree = u.path;
    return E_OK;
}

static err_code list_fn(store_tx *tx, void *ctx)
{
    list_ctx *c = ctx;
    err_code e = api_budget_resolve(tx, c->a, &c->f);
    if (e != E_OK) return e;
    return store_budget_list(tx, c->a, &c->f, &c->items, &c->n, &c->total);
}

static const api_column list_columns[] = {
    {"year", "年度"},           {"unit_name", "申报单位"},  {"name", "项目名称"},
    {"class_title", "项目类别"}, {"requested_yuan", "申请金额（元）"},
    {"approved_yuan", "批复金额（元）"}, {"state_title", "状态"}, {"round", "评审轮次"},
};

err_code api_budget_list(http_req *r)
{
    list_ctx c = {.a = http_arena(r)};
    err_code e = api_budget_filter(r, &c.f);
    if (e == E_OK) e = api_list_page(r, 20, &c.f.limit, &c.f.offset);
    if (e != E_OK) return e;
    e = mech_read(http_app(r), http_principal(r), "budget.read", "budget", list_fn, &c);
    if (e == E_BAD_QUERY) return http_fail(r, e, "unit_id");
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++) {
        json_t *j = api_budget_json(r, &c.items[i]);
        char buf[40];
        money_yuan(json_integer_value(json_object_get(j, "requested")), buf, sizeof buf);
        json_object_set_new(j, "requested_yuan", json_string(buf));
        if (c.items[i].approved_amount >= 0) money_yuan(c.items[i].approved_amount, buf, sizeof buf);
        json_object_set_new(j, "approved_yuan", json_string(c.items[i].approved_amount >= 0 ? buf : ""));
        json_array_append_new(items, j);
    }
    return api_reply_list(r, items, c.total, list_columns,
                          sizeof list_columns / sizeof list_columns[0], "预算项目");
}

/* ---- create and save ---- */

typedef struct {
    int64_t year, unit_id, is_new, start_year, end_year, fund_fiscal, fund_carryover, fund_other,
        version;
    const char *impl_unit, *name, *class_, *goal, *contact, *phone;
    json_t *lines, *indicators;
} project_body;

#define PB(f) offsetof(project_body, f)
enum { SPEC_START_YEAR = 4, SPEC_END_YEAR = 5 };
static const jfield project_spec[] = {
    {"year", JF_INT, 1, PB(year), 0, 2000, 2100},
    {"unit_id", JF_INT, 1, PB(unit_id), 0, 1, INT64_MAX},
    {"name", JF_STR, 1, PB(name), 100, 0, 0},
    {"class", JF_STR, 1, PB(class_), 20, 0, 0},
    {"start_year", JF_INT, 0, PB(start_year), 0, 2000, 2100},
    {"end_year", JF_INT, 0, PB(end_year), 0, 2000, 2120},
    {"is_new", JF_BOOL, 0, PB(is_new), 0, 0, 0},
    {"impl_unit", JF_STR, 0, PB(impl_unit), 100, 0, 0},
    {"fund_fiscal", JF_INT, 0, PB(fund_fiscal), 0, 0, BUDGET_FEN_MAX},
    {"fund_carryover", JF_INT, 0, PB(fund_carryover), 0, 0, BUDGET_FEN_MAX},
    {"fund_other", JF_INT, 0, PB(fund_other), 0, 0, BUDGET_FEN_MAX},
    {"goal", JF_STR, 0, PB(goal), 2000, 0, 0},
    {"contact", JF_STR, 0, PB(contact), 40, 0, 0},
    {"phone", JF_STR, 0, PB(phone), 40, 0, 0},
    {"lines", JF_ARR, 0, PB(lines), 0, 0, 0},
    {"indicators", JF_ARR, 0, PB(indicators), 0, 0, 0},
    {"version", JF_INT, 0, PB(version), 0, 1, INT64_MAX},
    JF_END,
};
#undef PB

typedef struct {
    const char *item, *kind, *quantity, *measure_unit, *basis;
    int64_t price, amount;
    json_t *children;
} line_body;

#define LB(f) offsetof(line_body, f)
static const jfield line_spec[] = {
    {"item", JF_STR, 0, LB(item), 200, 0, 0},
    {"kind", JF_STR, 0, LB(kind), 20, 0, 0},
    {"quantity", JF_STR, 0, LB(quantity), 24, 0, 0},
    {"measure_unit", JF_STR, 0, LB(measure_unit), 20, 0, 0},
    {"price", JF_INT, 0, LB(price), 0, 0, BUDGET_FEN_MAX},
    {"amount", JF_INT, 0, LB(amount), 0, 0, BUDGET_FEN_MAX},
    {"basis", JF_STR, 0, LB(basis), 500, 0, 0},
    {"children", JF_ARR, 0, LB(children), 0, 0, 0},
    JF_END,
};
#undef LB

typedef struct {
    const char *level1, *level2, *cost_kind, *name, *comparison, *target, *measure_unit, *weight,
        *method;
} indicator_body;

#define IB(f) offsetof(indicator_body, f)
static const jfield indicator_spec[] = {
    {"level1", JF_STR, 1, IB(level1), 10, 0, 0},
    {"level2", JF_STR, 1, IB(level2), 20, 0, 0},
    {"cost_kind", JF_STR, 0, IB(cost_kind), 10, 0, 0},
    {"name", JF_STR, 0, IB(name), 100, 0, 0},
    {"comparison", JF_STR, 1, IB(comparison), 4, 0, 0},
    {"target", JF_STR, 0, IB(target), 40, 0, 0},
    {"measure_unit", JF_STR, 0, IB(measure_unit), 20, 0, 0},
    {"weight", JF_STR, 0, IB(weight), 12, 0, 0},
    {"method", JF_STR, 0, IB(method), 500, 0, 0},
    JF_END,
};
#undef IB

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* One line (and its sub-items, when top-level) into the flat sheet. */
static err_code parse_line(http_req *r, json_t *obj, int parent, budget_input *in, size_t cap)
{
    arena *a = http_arena(r);
    int n = (int)in->nlines + 1;
    if (in->nlines >= cap) return http_fail(r, E_FIELD_TOO_LONG, "lines");
    line_body b = {0};
    uint32_t present;
    const char *field = NULL;
    err_code e = json_is_object(obj) ? jsonx_parse_object(a, obj, line_spec, &b, &present, &field)
                                     : E_FIELD_TYPE;
    if (e != E_OK)
        return http_fail(r, e, arena_sprintf(a, "line:%d%s%s", n, field ? ":" : "", or_empty(field)));
    store_budget_line *l = &in->lines[in->nlines];
    int64_t qty = 0;
    if (b.quantity && *b.quantity && money_parse(b.quantity, 3, BUDGET_QTY_MAX, &qty)) {
        http_set_message(r, "数量须为不超过三位小数的非负数");
        return http_fail(r, E_FIELD_INVALID, arena_sprintf(a, "line:%d:quantity", n));
    }
    *l = (store_budget_line){.item = or_empty(b.item),
                             .kind = b.kind && *b.kind ? b.kind : "其他",
                             .qty_milli = qty,
                             .measure_unit = or_empty(b.measure_unit),
                             .price = b.price,
                             .amount = b.amount,
                             .basis = or_empty(b.basis)};
    in->parent[in->nlines] = parent;
    int self = (int)in->nlines++;
    size_t nchildren = json_array_size(b.children);
    if (nchildren && parent >= 0) {
        http_set_message(r, "子项下不能再分子项（测算表只分一级子项）");
        return http_fail(r, E_FIELD_INVALID, arena_sprintf(a, "line:%d:children", n));
    }
    for (size_t k = 0; k < nchildren; k++) {
        e = parse_line(r, json_array_get(b.children, k), self, in, cap);
        if (e != E_OK) return e;
    }
    return E_OK;
}

static size_t count_lines(json_t *lines)
{
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(lines); i++)
        n += 1 + json_array_size(json_object_get(json_array_get(lines, i), "children"));
    return n;
}

static err_code parse_indicators(http_req *r, json_t *arr, budget_input *in)
{
    arena *a = http_arena(r);
    in->nindicators = json_array_size(arr);
    if (in->nindicators > 200) return http_fail(r, E_FIELD_TOO_LONG, "indicators");
    in->indicators = arena_alloc(a, (in->nindicators + 1) * sizeof *in->indicators);
    for (size_t i = 0; i < in->nindicators; i++) {
        indicator_body b = {0};
        uint32_t present;
        const char *field = NULL;
        json_t *obj = json_array_get(arr, i);
        err_code e = json_is_object(obj)
                         ? jsonx_parse_object(a, obj, indicator_spec, &b, &present, &field)
                         : E_FIELD_TYPE;
        if (e != E_OK)
            return http_fail(r, e, arena_sprintf(a, "indicator:%d%s%s", (int)i + 1,
                                                 field ? ":" : "", or_empty(field)));
        int64_t w = 0;
        if (b.weight && *b.weight && money_parse(b.weight, 3, 100000, &w)) {
            http_set_message(r, "权重须为 0 到 100 之间、不超过三位小数的数");
            return http_fail(r, E_FIELD_INVALID, arena_sprintf(a, "indicator:%d:weight", (int)i + 1));
        }
        in->indicators[i] = (store_budget_indicator){.level1 = b.level1,
                                                     .level2 = b.level2,
                                                     .cost_kind = or_empty(b.cost_kind),
                                                     .name = or_empty(b.name),
                                                     .comparison = b.comparison,
                                                     .target = or_empty(b.target),
                                                     .measure_unit = or_empty(b.measure_unit),
                                                     .weight_milli = w,
                                                     .method = or_empty(b.method)};
    }
    return E_OK;
}

static err_code parse_project(http_req *r, budget_input *in, int update)
{
    project_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, project_spec, &b, &present);
    if (e != E_OK) return e;
    if (update && !b.version) return http_fail(r, E_FIELD_REQUIRED, "version");
    memset(in, 0, sizeof *in);
    in->p = (store_budget_project){
        .year = b.year,
        .unit_id = b.unit_id,
        .name = b.name,
        .class_ = b.class_,
        .is_new = (present & (1u << 6)) ? b.is_new : 1,
        .start_year = (present & (1u << SPEC_START_YEAR)) ? b.start_year : b.year,
        .end_year = (present & (1u << SPEC_END_YEAR)) ? b.end_year : b.year,
        .impl_unit = b.impl_unit,
        .fund_fiscal = b.fund_fiscal,
        .fund_carryover = b.fund_carryover,
        .fund_other = b.fund_other,
        .goal = b.goal,
        .contact = b.contact,
        .phone = b.phone,
    };
    in->version = b.version;
    size_t cap = count_lines(b.lines);
    if (cap > 500) return http_fail(r, E_FIELD_TOO_LONG, "lines");
    in->lines = arena_alloc(http_arena(r), (cap + 1) * sizeof *in->lines);
    in->parent = arena_alloc(http_arena(r), (cap + 1) * sizeof *in->parent);
    for (size_t i = 0; i < json_array_size(b.lines); i++) {
        e = parse_line(r, json_array_get(b.lines, i), -1, in, cap);
        if (e != E_OK) return e;
    }
    return parse_indicators(r, b.indicators, in);
}

static err_code detail_reply(http_req *r, int status, int64_t id);

static err_code save(http_req *r, int64_t id)
{
    budget_input in;
    err_code e = parse_project(r, &in, id != 0);
    if (e != E_OK) return e;
    store_budget_project out;
    budget_gate_result gate;
    const char *field = NULL;
    e = budget_save(http_app(r), http_arena(r), http_principal(r), id, &in, &out, &gate, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return detail_reply(r, id ? 200 : 201, out.id);
}

err_code api_budget_create(http_req *r)
{
    return save(r, 0);
}

err_code api_budget_update(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    return e != E_OK ? e : save(r, id);
}

/* ---- detail ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    store_budget_project pr;
    store_budget_line *lines;
    store_budget_indicator *inds;
    store_budget_round *rounds;
    store_budget_opinion *opinions;
    store_event *events;
    size_t nl, ni, nr, no, ne;
    budget_gate_result gate;
    store_budget_assessment assessment;
    int has_assessment;
    int64_t threshold;
    budget_assessment_state assessment_state;
    json_t **round_people, **opinion_people, **event_people, *reviewer, *assessor;
} detail_ctx;

static err_code detail_fn(store_tx *tx, void *ctx)
{
    detail_ctx *d = ctx;
    err_code e = store_budget_get(tx, d->a, d->id, &d->pr);
    if (e != E_OK) return e;
    if (!budget_may_read(tx, d->p, &d->pr)) return E_FORBIDDEN;
    budget_gate_env env;
    e = store_budget_lines(tx, d->a, d->id, &d->lines, &d->nl);
    if (e == E_OK) e = store_budget_indicators(tx, d->a, d->id, &d->inds, &d->ni);
    if (e == E_OK) e = store_budget_rounds(tx, d->a, d->id, &d->rounds, &d->nr);
    if (e == E_OK) e = store_budget_opinions(tx, d->a, d->id, &d->opinions, &d->no);
    if (e == E_OK) e = store_event_list(tx, d->a, "budget", d->id, &d->events, &d->ne);
    if (e == E_OK) e = budget_gate_env_get(tx, d->a, &d->pr, 0, &env);
    if (e == E_OK) {
        e = store_budget_assessment_latest(tx, d->a, d->id, &d->assessment);
        d->has_assessment = e == E_OK;
        if (e == E_NOT_FOUND) e = E_OK;
    }
    if (e != E_OK) return e;
    d->assessment_state = env.assessment;
    d->threshold = env.threshold;
    budget_gate_stored(d->a, &d->pr, d->lines, d->nl, d->inds, d->ni, &env, &d->gate);
    api_people *pp = api_people_new(d->a);
    d->round_people = arena_alloc(d->a, (d->nr + 1) * sizeof(json_t *));
    d->opinion_people = arena_alloc(d->a, (d->no + 1) * sizeof(json_t *));
    d->event_people = arena_alloc(d->a, (d->ne + 1) * sizeof(json_t *));
    for (size_t i = 0; i < d->nr; i++)
        d->round_people[i] = api_actor_json(tx, pp, d->rounds[i].submitted_by, "");
    for (size_t i = 0; i < d->no; i++)
        d->opinion_people[i] = api_actor_json(tx, pp, d->opinions[i].author_id, "");
    for (size_t i = 0; i < d->ne; i++)
        d->event_people[i] = api_actor_json(tx, pp, d->events[i].actor_id, d->events[i].actor);
    d->reviewer = d->pr.reviewer_id ? api_actor_json(tx, pp, d->pr.reviewer_id, "") : json_null();
    d->assessor = d->has_assessment ? api_actor_json(tx, pp, d->assessment.assessor_id, "") : NULL;
    api_people_free(pp);
    return E_OK;
}

static int64_t env_threshold(const detail_ctx *d)
{
    return d->threshold;
}

static const char *side_title(const char *side)
{
    if (strcmp(side, "department") == 0) return "预算单位";
    if (strcmp(side, "third_party") == 0) return "第三方评审";
    if (strcmp(side, "approver") == 0) return "预算批复";
    return "财政部门";
}

static const char *action_title(http_req *r, const char *action)
{
    if (strcmp(action, "create") == 0) return "新建项目";
    if (strcmp(action, "assess") == 0) return "事前绩效评估";
    const flow_action *a = flow_action_named(flow(r), action);
    return a ? a->title : action;
}

static json_t *detail_json(http_req *r, detail_ctx *d)
{
    json_t *body = api_budget_json(r, &d->pr);
    json_object_set_new(body, "lines", budget_lines_json(d->lines, d->nl));
    json_object_set_new(body, "indicators", budget_indicators_json(d->inds, d->ni));
    json_object_set_new(body, "gate", api_budget_gate_json(&d->gate));
    json_object_set_new(body, "reviewer", d->reviewer);
    static const char *const states[] = {"none", "passed", "adjust", "rejected"};
    json_t *assessment = json_null();
    if (d->has_assessment) {
        json_error_t jerr;
        json_t *grades = json_loads(d->assessment.grades, 0, &jerr);
        assessment = json_pack("{so sI ss ss so}", "grades", grades ? grades : json_object(),
                               "total", (json_int_t)d->assessment.total, "conclusion",
                               d->assessment.conclusion, "opinion", d->assessment.opinion,
                               "assessor", d->assessor);
        json_object_set_new(assessment, "at", api_time(d->assessment.created_at));
    }
    json_object_set_new(body, "assessment", assessment);
    json_object_set_new(body, "assessment_state", json_string(states[d->assessment_state]));
    json_object_set_new(body, "assessment_required",
                        json_boolean(d->pr.is_new || (env_threshold(d) > 0 &&
                                                      d->pr.fund_fiscal + d->pr.fund_carryover +
                                                              d->pr.fund_other >=
                                                          env_threshold(d))));
    json_t *rounds = json_array(), *opinions = json_array(), *events = json_array();
    json_error_t jerr;
    for (size_t i = 0; i < d->nr; i++) {
        json_t *snap = json_loads(d->rounds[i].snapshot, 0, &jerr);
        json_t *j = json_pack("{sI so so}", "round", (json_int_t)d->rounds[i].round, "by",
                              d->round_people[i], "snapshot", snap ? snap : json_object());
        json_object_set_new(j, "submitted_at", api_time(d->rounds[i].submitted_at));
        json_array_append_new(rounds, j);
    }
    for (size_t i = 0; i < d->no; i++) {
        const store_budget_opinion *o = &d->opinions[i];
        json_t *j = json_pack("{sI sI sI ss ss ss ss so}", "id", (json_int_t)o->id, "round",
                              (json_int_t)o->round, "event_id", (json_int_t)o->event_id, "side",
                              o->side, "side_title", side_title(o->side), "target", o->target,
                              "text", o->text, "author", d->opinion_people[i]);
        json_object_set_new(j, "at", api_time(o->created_at));
        json_array_append_new(opinions, j);
    }
    for (size_t i = 0; i < d->ne; i++) {
        const store_event *ev = &d->events[i];
        json_t *fields = json_loads(ev->fields, 0, &jerr);
        json_t *j = json_pack("{sI ss ss ss ss ss so so}", "id", (json_int_t)ev->id, "action",
                              ev->action, "action_title", action_title(r, ev->action), "from",
                              ev->from_state, "to", ev->to_state, "to_title",
                              state_title(r, ev->to_state), "fields",
                              fields ? fields : json_object(), "actor_person",
                              d->event_people[i]);
        json_object_set_new(j, "at", api_time(ev->at));
        json_array_append_new(events, j);
    }
    json_object_set_new(body, "rounds", rounds);
    json_object_set_new(body, "opinions", opinions);
    json_object_set_new(body, "events", events);
    return body;
}

static err_code detail_reply(http_req *r, int status, int64_t id)
{
    detail_ctx d = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r), .id = id};
    err_code e = store_read(http_app(r)->st, detail_fn, &d);
    if (e != E_OK) return e;
    return http_reply(r, status, detail_json(r, &d));
}

err_code api_budget_get(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    return e != E_OK ? e : detail_reply(r, 200, id);
}

/* ---- actions ---- */

typedef struct {
    arena *a;
    const char *perm, *unit_path;
    json_t *options;
} reviewers_ctx;

/* The third-party reviewers an assignment may name: outside the project's unit. */
static err_code reviewers_fn(store_tx *tx, void *ctx)
{
    reviewers_ctx *c = ctx;
    int64_t *ids;
    size_t n;
    err_code e = store_users_with_perm(tx, c->a, c->perm, c->unit_path, 0, &ids, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        store_user u;
        if (store_user_get(tx, c->a, ids[i], &u) != E_OK || u.disabled ||
            authz_within(c->unit_path, u.unit_path))
            continue;
        json_array_append_new(c->options,
                              json_pack("{sI ss ss ss}", "id", (json_int_t)u.id, "name", u.name,
                                        "unit_name", u.unit_name, "label",
                                        arena_sprintf(c->a, "%s（%s）", u.name, u.unit_name)));
    }
    return e;
}

err_code api_budget_actions(http_req *r)
{
    int64_t id;
    store_budget_project p;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = budget_get(http_app(r), http_arena(r), http_principal(r), id, &p);
    if (e != E_OK) return e;
    const flow_action **acts;
    size_t n;
    e = budget_actions(http_app(r), http_arena(r), http_principal(r), &p, &acts, &n);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *j = api_flow_action_json(acts[i]);
        for (size_t k = 0; k < acts[i]->nfields; k++) {
            const flow_field *fl = &acts[i]->fields[k];
            if (fl->type != FF_USER) continue;
            reviewers_ctx c = {http_arena(r), fl->holding ? fl->holding : "budget.third_party",
                               p.unit_path, json_array()};
            e = store_read(http_app(r)->st, reviewers_fn, &c);
            json_object_set_new(json_array_get(json_object_get(j, "fields"), k), "options",
                                c.options);
        }
        json_array_append_new(items, j);
    }
    if (e != E_OK) {
        json_decref(items);
        return e;
    }
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "version", (json_int_t)p.version));
}

typedef struct {
    json_t *fields, *opinions, *attachment_ids;
    int64_t version;
} act_body;

/* attachment_ids is accepted (the UI's action form sends it) but the flow takes no evidence. */
static const jfield act_spec[] = {
    {"fields", JF_OBJ, 0, offsetof(act_body, fields), 0, 0, 0},
    {"attachment_ids", JF_IDS, 0, offsetof(act_body, attachment_ids), 0, 0, 0},
    {"opinions", JF_ARR, 0, offsetof(act_body, opinions), 0, 0, 0},
    {"version", JF_INT, 0, offsetof(act_body, version), 0, 1, INT64_MAX},
    JF_END,
};

typedef struct {
    const char *target, *text;
} opinion_body;

static const jfield opinion_spec[] = {
    {"target", JF_STR, 0, offsetof(opinion_body, target), 40, 0, 0},
    {"text", JF_STR, 1, offsetof(opinion_body, text), 2000, 0, 0},
    JF_END,
};

err_code api_budget_act(http_req *r)
{
    arena *a = http_arena(r);
    int64_t id;
    act_body b = {0};
    uint32_t present;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, act_spec, &b, &present);
    if (e != E_OK) return e;
    if (json_array_size(b.attachment_ids)) return http_fail(r, E_FIELD_INVALID, "attachment_ids");
    size_t nop = json_array_size(b.opinions);
    if (nop > 200) return http_fail(r, E_FIELD_TOO_LONG, "opinions");
    budget_opinion_input *ops = arena_alloc(a, (nop + 1) * sizeof *ops);
    for (size_t i = 0; i < nop; i++) {
        opinion_body ob = {0};
        const char *field = NULL;
        json_t *obj = json_array_get(b.opinions, i);
        e = json_is_object(obj) ? jsonx_parse_object(a, obj, opinion_spec, &ob, &present, &field)
                                : E_FIELD_TYPE;
        if (e != E_OK)
            return http_fail(r, e, arena_sprintf(a, "opinions:%d%s%s", (int)i + 1,
                                                 field ? ":" : "", or_empty(field)));
        ops[i] = (budget_opinion_input){or_empty(ob.target), ob.text};
    }
    budget_action_input in = {http_param(r, "action"), b.fields, ops, nop, b.version};
    store_budget_project out;
    flow_refusal why;
    budget_gate_result gate;
    e = budget_act(http_app(r), a, http_principal(r), id, &in, &out, &why, &gate);
    if (e != E_OK) {
        if (why.message[0]) http_set_message(r, arena_strdup(a, why.message));
        if (e == E_BUDGET_GATE) http_set_error_details(r, api_budget_gate_json(&gate));
        return http_fail(r, e, why.field[0] ? arena_strdup(a, why.field) : NULL);
    }
    return detail_reply(r, 200, id);
}

/* ---- 事前绩效评估 ---- */

typedef struct {
    json_t *grades;
    const char *conclusion, *opinion;
} assess_body;

static const jfield assess_spec[] = {
    {"grades", JF_OBJ, 1, offsetof(assess_body, grades), 0, 0, 0},
    {"conclusion", JF_STR, 1, offsetof(assess_body, conclusion), 10, 0, 0},
    {"opinion", JF_STR, 0, offsetof(assess_body, opinion), 2000, 0, 0},
    JF_END,
};

err_code api_budget_assess(http_req *r)
{
    int64_t id;
    assess_body b = {0};
    uint32_t present;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, assess_spec, &b, &present);
    if (e != E_OK) return e;
    budget_assessment_input in = {.conclusion = b.conclusion, .opinion = b.opinion};
    for (int i = 0; i < 5; i++) {
        json_t *v = json_object_get(b.grades, budget_assessment_dims[i]);
        in.grades[i] = json_is_string(v) ? json_string_value(v) : NULL;
    }
    if (json_object_size(b.grades) > 5) return http_fail(r, E_FIELD_UNKNOWN, "grades");
    store_budget_project out;
    store_budget_assessment result;
    const char *field = NULL;
    e = budget_assess(http_app(r), http_arena(r), http_principal(r), id, &in, &out, &result,
                      &field);
    if (e != E_OK) return http_fail(r, e, field);
    return detail_reply(r, 200, id);
}
