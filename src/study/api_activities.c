/*
 * study_activities — activities (学习活动, 宣讲活动) through the API: the list with its filters
 * (and its Excel export), one activity with everything recorded about it, recording and
 * editing, attendance, reflections (心得体会) and outputs (调研报告, 理论文章).
 */
#include "study/study_int.h"

#include "study/study.h"

#include "flow/calendar.h"

#include <string.h>

static json_t *ref_or_null(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

static json_t *activity_json(const store_activity *x)
{
    json_t *j = json_pack(
        "{sI ss ss ss sI ss ss ss ss ss ss sI sI sI sI sI}", "id", (json_int_t)x->id, "kind",
        x->kind, "kind_title", x->kind_title, "category", x->category, "unit_id",
        (json_int_t)x->unit_id, "unit_name", x->unit_name, "held_on", x->held_on, "topic", x->topic,
        "lead_name", x->lead_name, "place", x->place, "minutes", x->minutes, "audience",
        (json_int_t)x->audience, "present", (json_int_t)x->present, "absent", (json_int_t)x->absent,
        "shared", (json_int_t)x->shared, "version", (json_int_t)x->version);
    json_object_set_new(j, "lead_person_id", ref_or_null(x->lead_person_id));
    json_object_set_new(j, "plan_id", ref_or_null(x->plan_id));
    json_object_set_new(j, "brand_id", ref_or_null(x->brand_id));
    json_object_set_new(j, "brand_name", json_string(x->brand_name));
    json_object_set_new(j, "team_id", ref_or_null(x->team_id));
    json_object_set_new(j, "team_name", json_string(x->team_name));
    json_object_set_new(j, "created_at", api_time(x->created_at));
    return j;
}

/* ---- the list ---- */

typedef struct {
    arena *a;
    store_activity_filter f;
    int64_t unit_id;
    store_activity *items;
    size_t n;
    int64_t total;
} list_ctx;

static err_code list_fn(store_tx *tx, void *ctx)
{
    list_ctx *c = ctx;
    err_code e = api_study_subtree(tx, c->a, c->unit_id, &c->f.subtree);
    return e == E_OK ? store_activity_list(tx, c->a, &c->f, &c->items, &c->n, &c->total) : e;
}

err_code api_study_activity_filter(http_req *r, store_activity_filter *f, int64_t *unit_id)
{
    memset(f, 0, sizeof *f);
    f->scope = api_study_scope(r);
    int unit_only = 0;
    err_code e = http_query_text(r, "kind", HTTP_QUERY_TEXT_MAX, &f->kind);
    if (e == E_OK) e = http_query_text(r, "category", HTTP_QUERY_TEXT_MAX, &f->category);
    if (e == E_OK) e = http_query_text(r, "q", HTTP_QUERY_TEXT_MAX, &f->q);
    if (e == E_OK) e = http_query_id(r, "unit_id", unit_id);
    if (e == E_OK) e = http_query_id(r, "brand_id", &f->brand_id);
    if (e == E_OK) e = http_query_id(r, "team_id", &f->team_id);
    if (e == E_OK) e = http_query_flag(r, "member_lecture", 0, &f->member_lecture);
    if (e == E_OK) e = api_unit_only(r, *unit_id, &unit_only);
    f->unit_only = unit_only ? *unit_id : 0;
    if (e == E_OK) e = http_query_date(r, "from", &f->from);
    if (e == E_OK) e = http_query_date(r, "to", &f->to);
    return e;
}

static const api_column activity_columns[] = {
    {"held_on", "日期"},        {"kind_title", "类型"},         {"unit_name", "单位"},
    {"topic", "主题"},          {"lead_name", "领学人/主讲人"}, {"place", "地点"},
    {"present", "出席人数"},    {"absent", "缺席人数"},         {"audience", "受众人次"},
    {"brand_name", "宣讲品牌"}, {"team_name", "宣讲队伍"},
};

err_code api_study_activities_list(http_req *r)
{
    list_ctx c = {.a = http_arena(r)};
    err_code e = api_study_activity_filter(r, &c.f, &c.unit_id);
    if (e == E_OK) e = api_list_page(r, 20, &c.f.limit, &c.f.offset);
    if (e == E_OK) e = api_read_filtered(r, list_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++)
        json_array_append_new(items, activity_json(&c.items[i]));
    return api_reply_list(r, items, c.total, activity_columns,
                          sizeof activity_columns / sizeof *activity_columns, "学习宣讲活动");
}

/* ---- one activity ---- */

typedef struct {
    arena *a;
    int64_t id;
    store_activity x;
    store_attendance *att;
    size_t natt;
    store_reflection *refl;
    size_t nrefl;
    store_output *outs;
    size_t nouts;
    int64_t total_outs;
    store_observation *obs;
    size_t nobs;
    store_feedback *fb;
    size_t nfb;
    int64_t total_fb;
    store_attachment *files;
    size_t nfiles;
} detail_ctx;

static err_code detail_fn(store_tx *tx, void *ctx)
{
    detail_ctx *c = ctx;
    err_code e = store_activity_get(tx, c->a, c->id, &c->x);
    store_output_filter of = {.activity_id = c->id, .limit = 500};
    store_feedback_filter ff = {.activity_id = c->id, .limit = 500};
    if (e == E_OK) e = store_attendance_list(tx, c->a, c->id, &c->att, &c->natt);
    if (e == E_OK) e = store_reflection_list(tx, c->a, c->id, &c->refl, &c->nrefl);
    if (e == E_OK) e = store_output_list(tx, c->a, &of, &c->outs, &c->nouts, &c->total_outs);
    if (e == E_OK) e = store_observation_list(tx, c->a, c->id, &c->obs, &c->nobs);
    if (e == E_OK) e = store_feedback_list(tx, c->a, &ff, &c->fb, &c->nfb, &c->total_fb);
    if (e == E_OK) e = store_attachment_list(tx, c->a, "activity", c->id, &c->files, &c->nfiles);
    return e;
}

json_t *api_output_json(const store_output *o)
{
    json_t *j = json_pack("{sI sI ss ss ss ss ss}", "id", (json_int_t)o->id, "unit_id",
                          (json_int_t)o->unit_id, "unit_name", o->unit_name, "kind", o->kind,
                          "title", o->title, "author", o->author, "published_on", o->published_on);
    json_object_set_new(j, "activity_id", ref_or_null(o->activity_id));
    return j;
}

json_t *api_feedback_json(const store_feedback *f)
{
    json_t *j = json_pack(
        "{sI sI sI ss ss ss ss sb sb ss sI ss ss ss sI}", "id", (json_int_t)f->id, "observation_id",
        (json_int_t)f->observation_id, "unit_id", (json_int_t)f->unit_id, "unit_name", f->unit_name,
        "issue", f->issue, "state", f->state, "deadline", f->deadline, "overdue", (int)f->overdue,
        "deadline_estimated", (int)f->deadline_estimated, "answer", f->answer, "activity_id",
        (json_int_t)f->activity_id, "activity_topic", f->activity_topic, "activity_held_on",
        f->activity_held_on, "observer", f->observer, "version", (json_int_t)f->version);
    json_object_set_new(j, "state_title",
                        json_string(strcmp(f->state, "answered") == 0 ? "已答复" : "待答复"));
    json_object_set_new(j, "answered_at", api_time(f->answered_at));
    /* the deadline as exports show it: marked when counted over a year without its notice */
    char *shown =
        xasprintf("%s%s", f->deadline, f->deadline_estimated ? CALENDAR_ESTIMATED_MARK : "");
    json_object_set_new(j, "deadline_text", json_string(shown));
    free(shown);
    return j;
}

static json_t *attendance_json(const detail_ctx *c)
{
    json_t *items = json_array();
    for (size_t i = 0; i < c->natt; i++) {
        const store_attendance *t = &c->att[i];
        json_array_append_new(items, json_pack("{sI ss ss ss sb ss sb}", "person_id",
                                               (json_int_t)t->person_id, "name", t->name,
                                               "position", t->position, "rank", t->rank, "present",
                                               (int)t->present, "absence_reason", t->absence_reason,
                                               "shared", (int)t->shared));
    }
    return items;
}

static json_t *observations_json(const detail_ctx *c)
{
    json_t *items = json_array();
    for (size_t i = 0; i < c->nobs; i++) {
        const store_observation *o = &c->obs[i];
        json_t *fb = json_array();
        for (size_t k = 0; k < c->nfb; k++)
            if (c->fb[k].observation_id == o->id)
                json_array_append_new(fb, api_feedback_json(&c->fb[k]));
        json_t *j = json_pack("{sI ss ss ss ss so}", "id", (json_int_t)o->id, "observer",
                              o->observer, "observer_body", o->observer_body, "rating", o->rating,
                              "comment", o->comment, "feedback", fb);
        json_object_set_new(j, "created_at", api_time(o->created_at));
        json_array_append_new(items, j);
    }
    return items;
}

static json_t *rest_json(const detail_ctx *c, json_t *j)
{
    json_t *refl = json_array(), *outs = json_array(), *files = json_array();
    for (size_t i = 0; i < c->nrefl; i++) {
        json_t *x = json_pack("{sI sI ss ss}", "id", (json_int_t)c->refl[i].id, "person_id",
                              (json_int_t)c->refl[i].person_id, "person_name",
                              c->refl[i].person_name, "text", c->refl[i].text);
        json_object_set_new(x, "created_at", api_time(c->refl[i].created_at));
        json_array_append_new(refl, x);
    }
    for (size_t i = 0; i < c->nouts; i++)
        json_array_append_new(outs, api_output_json(&c->outs[i]));
    for (size_t i = 0; i < c->nfiles; i++) {
        const store_attachment *f = &c->files[i];
        json_t *x = json_pack("{sI ss ss sI}", "id", (json_int_t)f->id, "filename", f->filename,
                              "mime", f->mime, "size", (json_int_t)f->size);
        json_object_set_new(x, "created_at", api_time(f->created_at));
        json_array_append_new(files, x);
    }
    json_object_set_new(j, "reflections", refl);
    json_object_set_new(j, "outputs", outs);
    json_object_set_new(j, "attachments", files);
    return j;
}

err_code api_study_activities_get(http_req *r)
{
    detail_ctx c = {.a = http_arena(r)};
    err_code e = http_param_id(r, "id", &c.id);
    if (e == E_OK) e = store_read(http_app(r)->st, detail_fn, &c);
    if (e != E_OK) return e;
    if (!authz_can(http_principal(r), "study.read", c.x.unit_path)) return E_FORBIDDEN;
    json_t *j = activity_json(&c.x);
    json_object_set_new(j, "attendance", attendance_json(&c));
    json_object_set_new(j, "observations", observations_json(&c));
    return http_reply(r, 200, rest_json(&c, j));
}

/* ---- recording and editing ---- */

typedef struct {
    const char *kind, *held_on, *topic, *lead_name, *place, *minutes;
    int64_t unit_id, lead_person_id, plan_id, brand_id, team_id, audience, version;
} activity_body;

#define AB(f) offsetof(activity_body, f)
static const jfield activity_spec[] = {
    {"kind", JF_STR, 1, AB(kind), 32, 0, 0},
    {"unit_id", JF_INT, 1, AB(unit_id), 0, 1, INT64_MAX},
    {"held_on", JF_STR, 1, AB(held_on), 10, 0, 0},
    {"topic", JF_STR, 1, AB(topic), 200, 0, 0},
    {"lead_person_id", JF_INT, 0, AB(lead_person_id), 0, 1, INT64_MAX},
    {"lead_name", JF_STR, 0, AB(lead_name), 40, 0, 0},
    {"place", JF_STR, 0, AB(place), 100, 0, 0},
    {"minutes", JF_STR, 0, AB(minutes), 20000, 0, 0},
    {"plan_id", JF_INT, 0, AB(plan_id), 0, 1, INT64_MAX},
    {"brand_id", JF_INT, 0, AB(brand_id), 0, 1, INT64_MAX},
    {"team_id", JF_INT, 0, AB(team_id), 0, 1, INT64_MAX},
    {"audience", JF_INT, 0, AB(audience), 0, 0, 10000000},
    {"version", JF_INT, 0, AB(version), 0, 1, INT64_MAX},
    JF_END,
};
#undef AB

static err_code save_activity(http_req *r, int64_t id)
{
    activity_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, activity_spec, &b, &present);
    if (e != E_OK) return e;
    if (id && !b.version) return http_fail(r, E_FIELD_REQUIRED, "version");
    store_activity x = {.id = id,
                        .kind = b.kind,
                        .unit_id = b.unit_id,
                        .held_on = b.held_on,
                        .topic = b.topic,
                        .lead_person_id = b.lead_person_id,
                        .lead_name = b.lead_name,
                        .place = b.place,
                        .minutes = b.minutes,
                        .plan_id = b.plan_id,
                        .brand_id = b.brand_id,
                        .team_id = b.team_id,
                        .audience = b.audience,
                        .version = b.version};
    const char *bad;
    e = study_activity_save(http_app(r), http_arena(r), http_principal(r), &x, id == 0, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(
        r, id ? 200 : 201,
        json_pack("{sI sI}", "id", (json_int_t)x.id, "version", (json_int_t)x.version));
}

err_code api_study_activities_create(http_req *r)
{
    return save_activity(r, 0);
}

err_code api_study_activities_update(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    return e == E_OK ? save_activity(r, id) : e;
}

/* ---- attendance ---- */

typedef struct {
    json_t *items;
} attendance_body;

static const jfield attendance_spec[] = {
    {"items", JF_ARR, 1, offsetof(attendance_body, items), 1000, 0, 0},
    JF_END,
};

static const jfield attendee_spec[] = {
    {"person_id", JF_INT, 1, offsetof(store_attendance, person_id), 0, 1, INT64_MAX},
    {"present", JF_INT, 1, offsetof(store_attendance, present), 0, 0, 1},
    {"absence_reason", JF_STR, 0, offsetof(store_attendance, absence_reason), 100, 0, 0},
    {"shared", JF_INT, 0, offsetof(store_attendance, shared), 0, 0, 1},
    JF_END,
};

err_code api_study_attendance_set(http_req *r)
{
    int64_t id;
    attendance_body b = {0};
    uint32_t present;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, attendance_spec, &b, &present);
    if (e != E_OK) return e;
    size_t n = json_array_size(b.items);
    store_attendance *rows = arena_alloc(http_arena(r), (n + 1) * sizeof *rows);
    memset(rows, 0, (n + 1) * sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        const char *field;
        json_t *item = json_array_get(b.items, i);
        /* true/false are welcome for the two flags too */
        json_t *copy = json_deep_copy(item);
        const char *flags[] = {"present", "shared"};
        for (size_t k = 0; copy && k < 2; k++) {
            json_t *v = json_object_get(copy, flags[k]);
            if (json_is_boolean(v))
                json_object_set_new(copy, flags[k], json_integer(json_is_true(v)));
        }
        e = jsonx_parse_object(http_arena(r), copy ? copy : item, attendee_spec, &rows[i], &present,
                               &field);
        json_decref(copy);
        if (e != E_OK)
            return http_fail(r, e,
                             arena_sprintf(http_arena(r), "items[%zu].%s", i, field ? field : ""));
    }
    const char *bad;
    e = study_attendance_set(http_app(r), http_arena(r), http_principal(r), id, rows, n, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(r, 200, json_pack("{sI}", "listed", (json_int_t)n));
}

/* ---- reflections and outputs ---- */

static const jfield reflection_spec[] = {
    {"person_id", JF_INT, 1, offsetof(store_reflection, person_id), 0, 1, INT64_MAX},
    {"text", JF_STR, 1, offsetof(store_reflection, text), 5000, 0, 0},
    JF_END,
};

err_code api_study_reflections_create(http_req *r)
{
    store_reflection x = {0};
    uint32_t present;
    err_code e = http_param_id(r, "id", &x.activity_id);
    if (e == E_OK) e = http_parse(r, reflection_spec, &x, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = study_reflection_add(http_app(r), http_arena(r), http_principal(r), &x, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(r, 201, json_pack("{sI}", "id", (json_int_t)x.id));
}

static const jfield output_spec[] = {
    {"unit_id", JF_INT, 1, offsetof(store_output, unit_id), 0, 1, INT64_MAX},
    {"activity_id", JF_INT, 0, offsetof(store_output, activity_id), 0, 1, INT64_MAX},
    {"kind", JF_STR, 1, offsetof(store_output, kind), 10, 0, 0},
    {"title", JF_STR, 1, offsetof(store_output, title), 200, 0, 0},
    {"author", JF_STR, 0, offsetof(store_output, author), 60, 0, 0},
    {"published_on", JF_STR, 1, offsetof(store_output, published_on), 10, 0, 0},
    JF_END,
};

err_code api_study_outputs_create(http_req *r)
{
    store_output x = {0};
    uint32_t present;
    err_code e = http_parse(r, output_spec, &x, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = study_output_add(http_app(r), http_arena(r), http_principal(r), &x, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(r, 201, json_pack("{sI}", "id", (json_int_t)x.id));
}

typedef struct {
    arena *a;
    store_output_filter f;
    int64_t unit_id;
    store_output *items;
    size_t n;
    int64_t total;
} outputs_ctx;

static err_code outputs_fn(store_tx *tx, void *ctx)
{
    outputs_ctx *c = ctx;
    err_code e = api_study_subtree(tx, c->a, c->unit_id, &c->f.subtree);
    return e == E_OK ? store_output_list(tx, c->a, &c->f, &c->items, &c->n, &c->total) : e;
}

static const api_column output_columns[] = {
    {"published_on", "日期"}, {"kind", "类型"},      {"title", "题目"},
    {"author", "作者"},       {"unit_name", "单位"},
};

err_code api_study_outputs_list(http_req *r)
{
    outputs_ctx c = {.a = http_arena(r), .f = {.scope = api_study_scope(r)}};
    err_code e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = http_query_id(r, "activity_id", &c.f.activity_id);
    if (e == E_OK) e = http_query_date(r, "from", &c.f.from);
    if (e == E_OK) e = http_query_date(r, "to", &c.f.to);
    if (e == E_OK) e = api_list_page(r, 50, &c.f.limit, &c.f.offset);
    if (e == E_OK) e = api_read_filtered(r, outputs_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++)
        json_array_append_new(items, api_output_json(&c.items[i]));
    return api_reply_list(r, items, c.total, output_columns, 5, "调研报告和理论文章");
}

/* Materials of an activity: study.write over its unit. */
err_code api_activity_attachments_upload(http_req *r)
{
    int64_t id;
    const char *path;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = api_activity_path(r, id, &path);
    if (e != E_OK) return e;
    if (!authz_can(http_principal(r), "study.write", path)) return E_FORBIDDEN;
    return api_attachment_upload(r, "activity",
                                 arena_sprintf(http_arena(r), "activity:%lld", (long long)id), id);
}
