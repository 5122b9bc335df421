/*
 * study_review — how study is planned and checked, through the API: study plans with planned
 * vs held sessions, observers (列席旁听) and the feedback units must answer, and 三定一分享:
 * branches' fixed days, the monthly compliance view and the rotation of who leads.
 */
#include "study/study_int.h"

#include "base/clock.h"
#include "study/study.h"

#include <string.h>

/* ---- plans ---- */

typedef struct {
    json_t *topics;
} topics_body;

static const jfield topic_spec[] = {
    {"month", JF_INT, 1, offsetof(store_plan_topic, month), 0, 1, 12},
    {"topic", JF_STR, 1, offsetof(store_plan_topic, topic), 200, 0, 0},
    {"planned_sessions", JF_INT, 0, offsetof(store_plan_topic, planned), 0, 0, 31},
    JF_END,
};

/* The topics array of a body as rows; the field at fault named like topics[2].month. */
static err_code parse_topics(http_req *r, json_t *arr, store_plan_topic **out, size_t *n)
{
    *n = json_array_size(arr);
    *out = arena_alloc(http_arena(r), (*n + 1) * sizeof **out);
    memset(*out, 0, (*n + 1) * sizeof **out);
    for (size_t i = 0; i < *n; i++) {
        uint32_t present;
        const char *field;
        (*out)[i].planned = 1;
        err_code e = jsonx_parse_object(http_arena(r), json_array_get(arr, i), topic_spec,
                                        &(*out)[i], &present, &field);
        if (e != E_OK)
            return http_fail(r, e,
                             arena_sprintf(http_arena(r), "topics[%zu].%s", i, field ? field : ""));
    }
    return E_OK;
}

typedef struct {
    const char *title;
    int64_t unit_id, year;
    json_t *topics;
} plan_body;

static const jfield plan_spec[] = {
    {"unit_id", JF_INT, 1, offsetof(plan_body, unit_id), 0, 1, INT64_MAX},
    {"year", JF_INT, 1, offsetof(plan_body, year), 0, 2000, 2100},
    {"title", JF_STR, 1, offsetof(plan_body, title), 100, 0, 0},
    {"topics", JF_ARR, 0, offsetof(plan_body, topics), 120, 0, 0},
    JF_END,
};

err_code api_study_plans_create(http_req *r)
{
    plan_body b = {0};
    uint32_t present;
    store_plan_topic *topics;
    size_t n;
    err_code e = http_parse(r, plan_spec, &b, &present);
    if (e == E_OK) e = parse_topics(r, b.topics, &topics, &n);
    if (e != E_OK) return e;
    store_plan plan = {.unit_id = b.unit_id, .year = b.year, .title = b.title};
    const char *bad;
    e = study_plan_create(http_app(r), http_arena(r), http_principal(r), &plan, topics, n, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(r, 201, json_pack("{sI}", "id", (json_int_t)plan.id));
}

static const jfield topics_spec[] = {
    {"topics", JF_ARR, 1, offsetof(topics_body, topics), 120, 0, 0},
    JF_END,
};

err_code api_study_plans_topics(http_req *r)
{
    int64_t id;
    topics_body b = {0};
    uint32_t present;
    store_plan_topic *topics;
    size_t n;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, topics_spec, &b, &present);
    if (e == E_OK) e = parse_topics(r, b.topics, &topics, &n);
    if (e != E_OK) return e;
    const char *bad;
    e = study_plan_set_topics(http_app(r), http_arena(r), http_principal(r), id, topics, n, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(r, 200, json_pack("{sI}", "topics", (json_int_t)n));
}

typedef struct {
    arena *a;
    const char *scope, *subtree;
    int64_t unit_id, year, id;
    store_plan *plans;
    size_t nplans;
    store_plan_topic *topics;
    size_t ntopics;
    int64_t held[13];
} plans_ctx;

static err_code plans_fn(store_tx *tx, void *ctx)
{
    plans_ctx *c = ctx;
    err_code e = api_study_subtree(tx, c->a, c->unit_id, &c->subtree);
    return e == E_OK
               ? store_plan_list(tx, c->a, c->scope, c->subtree, c->year, &c->plans, &c->nplans)
               : e;
}

static json_t *plan_json(const store_plan *p)
{
    return json_pack("{sI sI ss sI ss}", "id", (json_int_t)p->id, "unit_id", (json_int_t)p->unit_id,
                     "unit_name", p->unit_name, "year", (json_int_t)p->year, "title", p->title);
}

err_code api_study_plans_list(http_req *r)
{
    plans_ctx c = {.a = http_arena(r), .scope = api_study_scope(r)};
    err_code e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = http_query_int(r, "year", 0, 0, 2100, &c.year);
    if (e == E_OK) e = api_read_filtered(r, plans_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.nplans; i++)
        json_array_append_new(items, plan_json(&c.plans[i]));
    static const api_column cols[] = {
        {"year", "年度"}, {"unit_name", "单位"}, {"title", "学习计划"}};
    return api_reply_list(r, items, (int64_t)c.nplans, cols, 3, "学习计划");
}

static err_code plan_fn(store_tx *tx, void *ctx)
{
    plans_ctx *c = ctx;
    c->plans = arena_alloc(c->a, sizeof *c->plans);
    err_code e = store_plan_get(tx, c->a, c->id, c->plans);
    if (e == E_OK) e = store_plan_topics(tx, c->a, c->id, &c->topics, &c->ntopics);
    if (e == E_OK) e = store_plan_held(tx, c->plans->unit_id, c->plans->year, c->held);
    return e;
}

err_code api_study_plans_get(http_req *r)
{
    plans_ctx c = {.a = http_arena(r)};
    err_code e = http_param_id(r, "id", &c.id);
    if (e == E_OK) e = store_read(http_app(r)->st, plan_fn, &c);
    if (e != E_OK) return e;
    if (!authz_can(http_principal(r), "study.read", c.plans->unit_path)) return E_FORBIDDEN;
    json_t *months = json_array();
    int64_t planned_total = 0, held_total = 0;
    for (int m = 1; m <= 12; m++) {
        json_t *topics = json_array();
        int64_t planned = 0;
        for (size_t i = 0; i < c.ntopics; i++) {
            if (c.topics[i].month != m) continue;
            planned += c.topics[i].planned;
            json_array_append_new(topics,
                                  json_pack("{ss sI}", "topic", c.topics[i].topic,
                                            "planned_sessions", (json_int_t)c.topics[i].planned));
        }
        planned_total += planned;
        held_total += c.held[m];
        json_array_append_new(months,
                              json_pack("{si so sI sI}", "month", m, "topics", topics, "planned",
                                        (json_int_t)planned, "held", (json_int_t)c.held[m]));
    }
    json_t *j = plan_json(c.plans);
    json_object_set_new(j, "months", months);
    json_object_set_new(j, "planned", json_integer(planned_total));
    json_object_set_new(j, "held", json_integer(held_total));
    return http_reply(r, 200, j);
}

/* ---- observers and feedback ---- */

typedef struct {
    const char *observer, *observer_body, *rating, *comment;
    json_t *issues;
    int64_t deadline_workdays;
} observe_body;

#define OB(f) offsetof(observe_body, f)
static const jfield observe_spec[] = {
    {"observer", JF_STR, 1, OB(observer), 40, 0, 0},
    {"observer_body", JF_STR, 1, OB(observer_body), 60, 0, 0},
    {"rating", JF_STR, 1, OB(rating), 4, 0, 0},
    {"comment", JF_STR, 0, OB(comment), 1000, 0, 0},
    {"issues", JF_STRS, 0, OB(issues), 20, 0, 0},
    {"deadline_workdays", JF_INT, 0, OB(deadline_workdays), 0, 1, 60},
    JF_END,
};
#undef OB

err_code api_study_observations_create(http_req *r)
{
    observe_body b = {.deadline_workdays = 5};
    uint32_t present;
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, observe_spec, &b, &present);
    if (e != E_OK) return e;
    size_t n = json_array_size(b.issues);
    const char **issues = arena_alloc(http_arena(r), (n + 1) * sizeof *issues);
    for (size_t i = 0; i < n; i++)
        issues[i] = json_string_value(json_array_get(b.issues, i));
    store_observation o = {.activity_id = id,
                           .observer = b.observer,
                           .observer_body = b.observer_body,
                           .rating = b.rating,
                           .comment = b.comment};
    const char *bad;
    e = study_observe(http_app(r), http_arena(r), http_principal(r), &o, issues, n,
                      b.deadline_workdays, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(r, 201,
                      json_pack("{sI sI}", "id", (json_int_t)o.id, "issues", (json_int_t)n));
}

typedef struct {
    arena *a;
    store_feedback_filter f;
    int64_t unit_id;
    store_feedback *items;
    size_t n;
    int64_t total;
} feedback_ctx;

static err_code feedback_fn(store_tx *tx, void *ctx)
{
    feedback_ctx *c = ctx;
    err_code e = api_study_subtree(tx, c->a, c->unit_id, &c->f.subtree);
    return e == E_OK ? store_feedback_list(tx, c->a, &c->f, &c->items, &c->n, &c->total) : e;
}

static const api_column feedback_columns[] = {
    {"activity_held_on", "活动日期"}, {"activity_topic", "活动主题"}, {"unit_name", "单位"},
    {"observer", "列席人"},           {"issue", "反馈问题"},          {"deadline_text", "答复期限"},
    {"state_title", "状态"},          {"overdue", "是否逾期"},        {"answer", "答复"},
};

err_code api_study_feedback_list(http_req *r)
{
    feedback_ctx c = {.a = http_arena(r), .f = {.scope = api_study_scope(r)}};
    static const char *const states[] = {"open", "answered"};
    int state = -1;
    err_code e = http_query_choice(r, "state", states, 2, -1, &state);
    c.f.state = state < 0 ? NULL : states[state];
    if (e == E_OK) e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = http_query_flag(r, "overdue", 0, &c.f.overdue);
    if (e == E_OK) e = api_list_page(r, 50, &c.f.limit, &c.f.offset);
    if (e == E_OK) e = api_read_filtered(r, feedback_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++)
        json_array_append_new(items, api_feedback_json(&c.items[i]));
    return api_reply_list(r, items, c.total, feedback_columns, 9, "列席旁听反馈");
}

typedef struct {
    json_t *fields;
} answer_body;

err_code api_study_feedback_answer(http_req *r)
{
    static const jfield spec[] = {
        {"answer", JF_STR, 1, 0, 2000, 0, 0},
        JF_END,
    };
    int64_t id;
    const char *answer = NULL;
    uint32_t present;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, spec, &answer, &present);
    if (e != E_OK) return e;
    json_t *fields = json_pack("{ss}", "answer", answer);
    store_feedback out;
    flow_refusal why;
    e = study_feedback_answer(http_app(r), http_arena(r), http_principal(r), id, fields, &out,
                              &why);
    json_decref(fields);
    if (e != E_OK) {
        if (why.message[0]) http_set_message(r, arena_strdup(http_arena(r), why.message));
        return http_fail(r, e, why.field[0] ? arena_strdup(http_arena(r), why.field) : NULL);
    }
    return http_reply(r, 200, api_feedback_json(&out));
}

/* ---- 三定一分享 ---- */

err_code api_study_branch_set(http_req *r)
{
    static const jfield spec[] = {
        {"fixed_day", JF_INT, 1, 0, 0, 1, 31},
        JF_END,
    };
    int64_t unit_id, day = 0;
    uint32_t present;
    err_code e = http_param_id(r, "unit_id", &unit_id);
    if (e == E_OK) e = http_parse(r, spec, &day, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = study_branch_set(http_app(r), http_arena(r), http_principal(r), unit_id, day, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(
        r, 200, json_pack("{sI sI}", "unit_id", (json_int_t)unit_id, "fixed_day", (json_int_t)day));
}

typedef struct {
    arena *a;
    const char *scope, *subtree, *from, *to;
    int64_t unit_id;
    store_branch *branches;
    size_t nb;
    store_branch_session *sessions;
    size_t ns;
} compliance_ctx;

static err_code compliance_fn(store_tx *tx, void *ctx)
{
    compliance_ctx *c = ctx;
    err_code e = api_study_subtree(tx, c->a, c->unit_id, &c->subtree);
    if (e == E_OK) e = store_branches(tx, c->a, c->scope, c->subtree, &c->branches, &c->nb);
    if (e == E_OK)
        e = store_branch_sessions(tx, c->a, c->scope, c->subtree, c->from, c->to, &c->sessions,
                                  &c->ns);
    return e;
}

static json_t *compliance_json(const compliance_ctx *c, const store_branch *b, int y, int m)
{
    size_t first = 0, count = 0;
    json_t *ids = json_array();
    for (size_t k = 0; k < c->ns; k++) {
        if (c->sessions[k].unit_id != b->unit_id) continue;
        if (count++ == 0) first = k;
        json_array_append_new(ids, json_integer(c->sessions[k].id));
    }
    study_compliance s = study_branch_compliance(b->fixed_day, y, m, c->sessions + first, count);
    json_t *j = json_pack("{sI ss sI sb sb sb sb sb so}", "unit_id", (json_int_t)b->unit_id, "name",
                          b->name, "sessions", (json_int_t)s.sessions, "held_on_fixed_day",
                          s.held_on_fixed_day, "one_topic", s.one_topic, "one_lead", s.one_lead,
                          "all_shared", s.all_shared, "compliant", s.compliant, "activities", ids);
    json_object_set_new(j, "fixed_day", b->fixed_day ? json_integer(b->fixed_day) : json_null());
    return j;
}

err_code api_study_compliance(http_req *r)
{
    compliance_ctx c = {.a = http_arena(r), .scope = api_study_scope(r)};
    const char *month;
    err_code e = http_query_month(r, "month", &month);
    if (e != E_OK) return e;
    cal_day first;
    int y, m, d;
    if (month) {
        cal_parse(arena_sprintf(c.a, "%s-01", month), &first); /* a month the reader checked */
    } else {
        cal_to_ymd(cal_local_day(clock_now()), &y, &m, &d);
        first = cal_from_ymd(y, m, 1);
    }
    cal_to_ymd(first, &y, &m, &d);
    char from[11], to[11];
    cal_format(first, from);
    cal_format(cal_add_months(first, 1) - 1, to);
    c.from = from;
    c.to = to;
    e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = api_read_filtered(r, compliance_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    int64_t compliant = 0;
    for (size_t i = 0; i < c.nb; i++) {
        json_t *j = compliance_json(&c, &c.branches[i], y, m);
        compliant += json_is_true(json_object_get(j, "compliant"));
        json_array_append_new(items, j);
    }
    if (api_wants_xlsx(r)) {
        static const api_column cols[] = {
            {"name", "党支部"},         {"fixed_day", "固定学习日"},
            {"sessions", "学习次数"},   {"held_on_fixed_day", "按固定日开展"},
            {"one_topic", "一个主题"},  {"one_lead", "指定领学人"},
            {"all_shared", "人人分享"}, {"compliant", "达标"},
        };
        return api_reply_list(r, items, (int64_t)c.nb, cols, 8,
                              arena_sprintf(c.a, "三定一分享%04d年%02d月", y, m));
    }
    return http_reply(r, 200,
                      json_pack("{ss so sI sI}", "month", arena_sprintf(c.a, "%04d-%02d", y, m),
                                "items", items, "branches", (json_int_t)c.nb, "compliant",
                                (json_int_t)compliant));
}

typedef struct {
    arena *a;
    int64_t branch_id;
    store_unit unit;
    store_rotation_row *rows;
    size_t n;
} rotation_ctx;

static err_code rotation_fn(store_tx *tx, void *ctx)
{
    rotation_ctx *c = ctx;
    err_code e = store_unit_get(tx, c->a, c->branch_id, &c->unit);
    return e == E_OK ? store_rotation(tx, c->a, c->branch_id, &c->rows, &c->n) : e;
}

err_code api_study_rotation(http_req *r)
{
    rotation_ctx c = {.a = http_arena(r)};
    err_code e = http_query_id(r, "unit_id", &c.branch_id);
    if (e == E_OK && !c.branch_id) e = http_fail(r, E_FIELD_REQUIRED, "unit_id");
    if (e == E_OK) e = api_read_filtered(r, rotation_fn, &c);
    if (e != E_OK) return e;
    if (!authz_can(http_principal(r), "study.read", c.unit.path)) return E_FORBIDDEN;
    char today[11];
    cal_format(cal_local_day(clock_now()), today);
    json_t *items = json_array();
    int64_t never = 0;
    for (size_t i = 0; i < c.n; i++) {
        const store_rotation_row *x = &c.rows[i];
        int64_t since = study_days_since(x->last_led, today);
        never += x->led_count == 0;
        json_t *j = json_pack("{sI ss ss sI sb}", "person_id", (json_int_t)x->person_id, "name",
                              x->name, "position", x->position, "led", (json_int_t)x->led_count,
                              "never_led", x->led_count == 0);
        json_object_set_new(j, "last_led", x->last_led[0] ? json_string(x->last_led) : json_null());
        json_object_set_new(j, "days_since", since >= 0 ? json_integer(since) : json_null());
        json_array_append_new(items, j);
    }
    return http_reply(r, 200,
                      json_pack("{sI ss so sI}", "unit_id", (json_int_t)c.branch_id, "name",
                                c.unit.name, "items", items, "never_led", (json_int_t)never));
}
