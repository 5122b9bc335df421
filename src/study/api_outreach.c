/*
 * study_outreach — the outreach registries (宣讲) through the API: brands, teams with their
 * members, education sites (红色教育基地) and visits to them. Outreach events themselves are
 * activities of kind outreach (see study_activities.c).
 */
#include "study/study_int.h"

#include "study/study.h"

#include <string.h>

typedef struct {
    const char *name, *description, *address, *visited_on, *topic;
    int64_t unit_id, brand_id, site_id, visitors;
    json_t *member_ids;
} registry_body;

#define RB(f) offsetof(registry_body, f)
static const jfield brand_spec[] = {
    {"name", JF_STR, 1, RB(name), 40, 0, 0},
    {"unit_id", JF_INT, 1, RB(unit_id), 0, 1, INT64_MAX},
    {"description", JF_STR, 0, RB(description), 500, 0, 0},
    JF_END,
};
static const jfield team_spec[] = {
    {"name", JF_STR, 1, RB(name), 40, 0, 0},
    {"unit_id", JF_INT, 1, RB(unit_id), 0, 1, INT64_MAX},
    {"brand_id", JF_INT, 0, RB(brand_id), 0, 1, INT64_MAX},
    {"member_ids", JF_IDS, 0, RB(member_ids), 500, 0, 0},
    JF_END,
};
static const jfield site_spec[] = {
    {"name", JF_STR, 1, RB(name), 60, 0, 0},
    {"unit_id", JF_INT, 1, RB(unit_id), 0, 1, INT64_MAX},
    {"address", JF_STR, 0, RB(address), 100, 0, 0},
    {"description", JF_STR, 0, RB(description), 500, 0, 0},
    JF_END,
};
static const jfield visit_spec[] = {
    {"site_id", JF_INT, 1, RB(site_id), 0, 1, INT64_MAX},
    {"unit_id", JF_INT, 1, RB(unit_id), 0, 1, INT64_MAX},
    {"visited_on", JF_STR, 1, RB(visited_on), 10, 0, 0},
    {"visitors", JF_INT, 1, RB(visitors), 0, 0, 100000},
    {"topic", JF_STR, 0, RB(topic), 200, 0, 0},
    JF_END,
};
#undef RB

/* Parses a body by spec and adds it to table's registry; 201 with the new id. */
static err_code create(http_req *r, const char *table, const jfield *spec)
{
    registry_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, spec, &b, &present);
    if (e != E_OK) return e;
    size_t n = json_array_size(b.member_ids);
    int64_t *members = arena_alloc(http_arena(r), (n + 1) * sizeof *members);
    for (size_t i = 0; i < n; i++)
        members[i] = json_integer_value(json_array_get(b.member_ids, i));
    store_outreach_row row = {.name = b.name,
                              .description = b.description,
                              .address = b.address,
                              .visited_on = b.visited_on,
                              .topic = b.topic,
                              .unit_id = b.unit_id,
                              .brand_id = b.brand_id,
                              .site_id = b.site_id,
                              .visitors = b.visitors};
    const char *bad;
    e = study_registry_add(http_app(r), http_arena(r), http_principal(r), table, &row, members, n,
                           &bad);
    if (e != E_OK) return api_study_reply_change(r, e, bad);
    return http_reply(r, 201, json_pack("{sI}", "id", (json_int_t)row.id));
}

err_code api_study_brands_create(http_req *r)
{
    return create(r, "brand", brand_spec);
}
err_code api_study_teams_create(http_req *r)
{
    return create(r, "team", team_spec);
}
err_code api_study_sites_create(http_req *r)
{
    return create(r, "edu_site", site_spec);
}
err_code api_study_visits_create(http_req *r)
{
    return create(r, "site_visit", visit_spec);
}

typedef struct {
    arena *a;
    const char *table, *scope, *from, *to;
    store_outreach_row *rows;
    size_t n;
    store_person **members; /* per team */
    size_t *nmembers;
} registry_ctx;

static err_code registry_fn(store_tx *tx, void *ctx)
{
    registry_ctx *c = ctx;
    const char *t = c->table;
    err_code e = strcmp(t, "brand") == 0  ? store_brand_list(tx, c->a, c->scope, &c->rows, &c->n)
                 : strcmp(t, "team") == 0 ? store_team_list(tx, c->a, c->scope, &c->rows, &c->n)
                 : strcmp(t, "edu_site") == 0
                     ? store_site_list(tx, c->a, c->scope, &c->rows, &c->n)
                     : store_visit_list(tx, c->a, c->scope, c->from, c->to, &c->rows, &c->n);
    if (e != E_OK || strcmp(t, "team") != 0) return e;
    c->members = arena_alloc(c->a, (c->n + 1) * sizeof *c->members);
    c->nmembers = arena_alloc(c->a, (c->n + 1) * sizeof *c->nmembers);
    for (size_t i = 0; e == E_OK && i < c->n; i++)
        e = store_team_members(tx, c->a, c->rows[i].id, &c->members[i], &c->nmembers[i]);
    return e;
}

static json_t *row_json(const registry_ctx *c, size_t i)
{
    const store_outreach_row *x = &c->rows[i];
    json_t *j = json_pack("{sI sI ss}", "id", (json_int_t)x->id, "unit_id", (json_int_t)x->unit_id,
                          "unit_name", x->unit_name);
    const char *t = c->table;
    if (strcmp(t, "site_visit") == 0) {
        json_object_set_new(j, "site_id", json_integer(x->site_id));
        json_object_set_new(j, "site_name", json_string(x->site_name));
        json_object_set_new(j, "visited_on", json_string(x->visited_on));
        json_object_set_new(j, "visitors", json_integer(x->visitors));
        json_object_set_new(j, "topic", json_string(x->topic));
        return j;
    }
    json_object_set_new(j, "name", json_string(x->name));
    if (strcmp(t, "team") == 0) {
        json_t *members = json_array();
        for (size_t k = 0; k < c->nmembers[i]; k++)
            json_array_append_new(members, api_person_json(&c->members[i][k]));
        json_object_set_new(j, "brand_id", x->brand_id ? json_integer(x->brand_id) : json_null());
        json_object_set_new(j, "brand_name", json_string(x->brand_name));
        json_object_set_new(j, "members", members);
        json_object_set_new(j, "member_count", json_integer(x->members));
        return j;
    }
    json_object_set_new(j, "description", json_string(x->description));
    if (strcmp(t, "edu_site") == 0) {
        json_object_set_new(j, "address", json_string(x->address));
        json_object_set_new(j, "visitors", json_integer(x->visitors));
    }
    return j;
}

static const api_column brand_columns[] = {
    {"name", "品牌"}, {"unit_name", "单位"}, {"description", "简介"}};
static const api_column team_columns[] = {{"name", "宣讲队伍"},
                                          {"unit_name", "单位"},
                                          {"brand_name", "品牌"},
                                          {"member_count", "成员数"}};
static const api_column site_columns[] = {
    {"name", "基地"}, {"unit_name", "单位"}, {"address", "地址"}, {"visitors", "累计参观人次"}};
static const api_column visit_columns[] = {{"visited_on", "日期"},
                                           {"site_name", "基地"},
                                           {"unit_name", "单位"},
                                           {"visitors", "人次"},
                                           {"topic", "主题"}};

static err_code list(http_req *r, const char *table, const api_column *cols, size_t ncols,
                     const char *title)
{
    registry_ctx c = {.a = http_arena(r), .table = table, .scope = api_study_scope(r)};
    err_code e = http_query_date(r, "from", &c.from);
    if (e == E_OK) e = http_query_date(r, "to", &c.to);
    if (e == E_OK) e = store_read(http_app(r)->st, registry_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++)
        json_array_append_new(items, row_json(&c, i));
    return api_reply_list(r, items, (int64_t)c.n, cols, ncols, title);
}

err_code api_study_brands_list(http_req *r)
{
    return list(r, "brand", brand_columns, 3, "宣讲品牌");
}
err_code api_study_teams_list(http_req *r)
{
    return list(r, "team", team_columns, 4, "宣讲队伍");
}
err_code api_study_sites_list(http_req *r)
{
    return list(r, "edu_site", site_columns, 4, "教育基地");
}
err_code api_study_visits_list(http_req *r)
{
    return list(r, "site_visit", visit_columns, 5, "基地参观");
}
