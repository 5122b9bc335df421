/*
 * study — the study registry's records through the API: persons, activity kinds, activities
 * with attendance, reflections and outputs. Reads are limited to units where the caller holds
 * study.read; each change goes through src/study/, which checks study.write over the unit
 * inside its transaction. Every list is also an Excel export (…/export.xlsx).
 */
#include "study/study_int.h"

#include "base/clock.h"
#include "core/store_fn.h"
#include "study/roster.h"
#include "study/study.h"

#include <stdlib.h>

/* ---- shared by the study handlers ---- */

const char *api_study_scope(http_req *r)
{
    return authz_scope(http_principal(r), "study.read", http_arena(r));
}

err_code api_study_subtree(store_tx *tx, arena *a, int64_t unit_id, const char **path)
{
    *path = NULL;
    if (!unit_id) return E_OK;
    store_unit u;
    err_code e = store_unit_get(tx, a, unit_id, &u);
    if (e == E_OK) *path = u.path;
    return e;
}

err_code api_study_reply_change(http_req *r, err_code e, const char *bad_field)
{
    if (e == E_NOT_FOUND && bad_field) e = E_FIELD_INVALID;
    return http_fail(r, e, bad_field);
}

typedef struct {
    int64_t id;
    char *path;
} path_ctx;

static err_code activity_path_fn(store_tx *tx, void *ctx)
{
    path_ctx *c = ctx;
    store_activity x;
    arena *a = arena_new();
    err_code e = store_activity_get(tx, a, c->id, &x);
    if (e == E_OK) c->path = xstrdup(x.unit_path);
    arena_free(a);
    return e;
}

err_code study_activity_path(app *ap, arena *a, int64_t activity_id, const char **path)
{
    path_ctx c = {activity_id, NULL};
    err_code e = store_read(ap->st, activity_path_fn, &c);
    if (e == E_OK) *path = arena_strdup(a, c.path);
    free(c.path);
    return e;
}

err_code api_activity_path(http_req *r, int64_t activity_id, const char **path)
{
    return study_activity_path(http_app(r), http_arena(r), activity_id, path);
}

/* ---- persons ---- */

json_t *api_person_json(const store_person *p)
{
    return json_pack("{sI sI ss ss ss ss sb sI}", "id", (json_int_t)p->id, "unit_id",
                     (json_int_t)p->unit_id, "unit_name", p->unit_name, "name", p->name, "position",
                     p->position, "rank", p->rank, "party_member", (int)p->party_member, "version",
                     (json_int_t)p->version);
}

typedef struct {
    arena *a;
    store_person_filter f;
    int64_t unit_id;
    store_person *items;
    size_t n;
    int64_t total;
} persons_ctx;

static err_code persons_fn(store_tx *tx, void *ctx)
{
    persons_ctx *c = ctx;
    err_code e = api_study_subtree(tx, c->a, c->unit_id, &c->f.subtree);
    return e == E_OK ? store_person_list(tx, c->a, &c->f, &c->items, &c->n, &c->total) : e;
}

static const api_column person_columns[] = {
    {"name", "姓名"}, {"unit_name", "单位"},        {"position", "职务"},
    {"rank", "职级"}, {"party_member", "是否党员"},
};

err_code api_study_persons_list(http_req *r)
{
    persons_ctx c = {.a = http_arena(r), .f = {.scope = api_study_scope(r), .party_member = -1}};
    int unit_only = 0;
    err_code e = http_query_flag(r, "party_member", -1, &c.f.party_member);
    if (e == E_OK) e = http_query_text(r, "q", HTTP_QUERY_TEXT_MAX, &c.f.q);
    if (e == E_OK) e = http_query_text(r, "rank", HTTP_QUERY_TEXT_MAX, &c.f.rank);
    if (e == E_OK) e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = api_unit_only(r, c.unit_id, &unit_only);
    c.f.unit_only = unit_only ? c.unit_id : 0;
    if (e == E_OK) e = api_list_page(r, 50, &c.f.limit, &c.f.offset);
    if (e == E_OK) e = api_read_filtered(r, persons_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++)
        json_array_append_new(items, api_person_json(&c.items[i]));
    return api_reply_list(r, items, c.total, person_columns, 5, "人员名册");
}

typedef struct {
    const char *name, *position, *rank;
    int64_t unit_id, version;
    int party_member;
} person_body;

#define PB(f) offsetof(person_body, f)
static const jfield person_spec[] = {
    {"unit_id", JF_INT, 1, PB(unit_id), 0, 1, INT64_MAX},
    {"name", JF_STR, 1, PB(name), 40, 0, 0},
    {"position", JF_STR, 0, PB(position), 60, 0, 0},
    {"rank", JF_STR, 0, PB(rank), 10, 0, 0},
    {"party_member", JF_BOOL, 0, PB(party_member), 0, 0, 0},
    {"version", JF_INT, 0, PB(version), 0, 1, INT64_MAX},
    JF_END,
};
#undef PB

static err_code save_person(http_req *r, int64_t id)
{
    person_body b = {.party_member = 1};
    uint32_t present;
    err_code e = http_parse(r, person_spec, &b, &present);
    if (e != E_OK) return e;
    if (id && !b.version) return http_fail(r, E_FIELD_REQUIRED, "version");
    store_person x = {.id = id,
                      .unit_id = b.unit_id,
                      .name = b.name,
                      .position = b.position,
                      .rank = b.rank,
                      .party_member = b.party_member,
                      .version = b.version};
    const char *bad;
    e = study_person_save(http_app(r), http_arena(r), http_principal(r), &x, id == 0, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(
        r, id ? 200 : 201,
        json_pack("{sI sI}", "id", (json_int_t)x.id, "version", (json_int_t)x.version));
}

err_code api_study_persons_create(http_req *r)
{
    return save_person(r, 0);
}

err_code api_study_persons_update(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    return e == E_OK ? save_person(r, id) : e;
}

/* ---- kinds ---- */

typedef struct {
    arena *a;
    store_activity_kind *items;
    size_t n;
} kinds_ctx;

STORE_FN(kinds_fn, kinds_ctx *c, store_activity_kinds(tx, c->a, &c->items, &c->n));

err_code api_study_kinds_list(http_req *r)
{
    kinds_ctx c = {.a = http_arena(r)};
    err_code e = store_read(http_app(r)->st, kinds_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++)
        json_array_append_new(items, json_pack("{ss ss ss sb}", "name", c.items[i].name, "title",
                                               c.items[i].title, "category", c.items[i].category,
                                               "builtin", (int)c.items[i].builtin));
    return http_reply(r, 200, json_pack("{so}", "items", items));
}

static const jfield kind_spec[] = {
    {"name", JF_STR, 1, offsetof(store_activity_kind, name), 32, 0, 0},
    {"title", JF_STR, 1, offsetof(store_activity_kind, title), 20, 0, 0},
    {"category", JF_STR, 1, offsetof(store_activity_kind, category), 20, 0, 0},
    JF_END,
};

err_code api_study_kinds_create(http_req *r)
{
    store_activity_kind k = {0};
    uint32_t present;
    err_code e = http_parse(r, kind_spec, &k, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = study_kind_add(http_app(r), http_arena(r), http_principal(r), &k, &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(
        r, 201, json_pack("{ss ss ss}", "name", k.name, "title", k.title, "category", k.category));
}

err_code api_study_persons_import(http_req *r)
{
    if (!authz_has(http_principal(r), "study.write")) return E_FORBIDDEN;
    static const char *const formats[] = {"csv", "xlsx"};
    int skip_bad, xlsx;
    err_code e = http_query_flag(r, "skip_bad", 0, &skip_bad);
    if (e == E_OK) e = http_query_choice(r, "format", formats, 2, 0, &xlsx);
    if (e != E_OK) return e;
    if (http_body_len(r) == 0) return http_fail(r, E_FIELD_REQUIRED, "file");
    sheet_report rep;
    e = study_persons_import(http_app(r), http_arena(r), http_principal(r), http_body(r),
                             http_body_len(r), xlsx, skip_bad, &rep);
    return api_reply_import(r, e, &rep);
}
