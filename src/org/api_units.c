/* units — the org tree: list, read, add, rename, move, history. Scope: unit.read/unit.write. */
#include "org/org_int.h"

#include "core/store_fn.h"
#include "org/org.h"

#include <stddef.h>

err_code api_unit_kinds(http_req *r)
{
    json_t *items = json_array();
    for (const unit_kind *k = org_unit_kinds; k->kind; k++)
        json_array_append_new(items, json_pack("{ss ss}", "kind", k->kind, "title", k->title));
    return http_reply(r, 200, json_pack("{so}", "items", items));
}

typedef struct {
    arena *a;
    const char *scope;
    int64_t id, parent_id;
    store_unit unit, *items;
    store_unit_change *history;
    json_t **actors; /* the person behind each change (new references) */
    size_t n;
} units_ctx;

STORE_FN(list_fn, units_ctx *u,
         store_unit_list(tx, u->a, u->scope, u->parent_id, &u->items, &u->n));

err_code api_units_list(http_req *r)
{
    units_ctx u = {.a = http_arena(r)};
    err_code e = http_query_id(r, "parent_id", &u.parent_id);
    if (e != E_OK) return e;
    u.scope = authz_scope(http_principal(r), "unit.read", u.a);
    e = store_read(http_app(r)->st, list_fn, &u);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < u.n; i++)
        json_array_append_new(items, api_unit_json(&u.items[i]));
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "total", (json_int_t)u.n));
}

STORE_FN(get_fn, units_ctx *u, store_unit_get(tx, u->a, u->id, &u->unit));

/* Reads the unit named by the path and checks unit.read over it. */
static err_code read_unit(http_req *r, units_ctx *u)
{
    u->a = http_arena(r);
    err_code e = http_param_id(r, "id", &u->id);
    if (e == E_OK) e = store_read(http_app(r)->st, get_fn, u);
    if (e != E_OK) return e;
    return authz_can(http_principal(r), "unit.read", u->unit.path) ? E_OK : E_FORBIDDEN;
}

err_code api_units_get(http_req *r)
{
    units_ctx u = {0};
    err_code e = read_unit(r, &u);
    if (e != E_OK) return e;
    return http_reply(r, 200, api_unit_json(&u.unit));
}

typedef struct {
    const char *code, *name, *kind;
    int64_t parent_id, version;
} unit_body;

static const jfield create_spec[] = {
    {"code", JF_STR, 1, offsetof(unit_body, code), 32, 0, 0},
    {"name", JF_STR, 1, offsetof(unit_body, name), 60, 0, 0},
    {"kind", JF_STR, 1, offsetof(unit_body, kind), 20, 0, 0},
    {"parent_id", JF_INT, 1, offsetof(unit_body, parent_id), 0, 1, INT64_MAX},
    JF_END,
};

err_code api_units_create(http_req *r)
{
    unit_body in = {0};
    uint32_t present;
    err_code e = http_parse(r, create_spec, &in, &present);
    if (e != E_OK) return e;
    org_unit_input ui = {in.code, in.name, in.kind, in.parent_id};
    store_unit out;
    const char *field;
    e = org_unit_add(http_app(r), http_arena(r), http_principal(r), &ui, &out, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 201, api_unit_json(&out));
}

static const jfield rename_spec[] = {
    {"name", JF_STR, 1, offsetof(unit_body, name), 60, 0, 0},
    {"version", JF_INT, 0, offsetof(unit_body, version), 0, 1, INT64_MAX},
    JF_END,
};

err_code api_units_rename(http_req *r)
{
    unit_body in = {0};
    uint32_t present;
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, rename_spec, &in, &present);
    if (e != E_OK) return e;
    store_unit out;
    const char *field;
    e = org_unit_rename(http_app(r), http_arena(r), http_principal(r), id, in.name, in.version,
                        &out, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 200, api_unit_json(&out));
}

static const jfield move_spec[] = {
    {"parent_id", JF_INT, 1, offsetof(unit_body, parent_id), 0, 1, INT64_MAX},
    {"version", JF_INT, 0, offsetof(unit_body, version), 0, 1, INT64_MAX},
    JF_END,
};

err_code api_units_move(http_req *r)
{
    unit_body in = {0};
    uint32_t present;
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = http_parse(r, move_spec, &in, &present);
    if (e != E_OK) return e;
    store_unit out;
    const char *field;
    e = org_unit_move(http_app(r), http_arena(r), http_principal(r), id, in.parent_id, in.version,
                      &out, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 200, api_unit_json(&out));
}

/* The unit's changes, each with who made it as a person (姓名（单位）). */
static err_code history_fn(store_tx *tx, void *ctx)
{
    units_ctx *u = ctx;
    err_code e = store_unit_history(tx, u->a, u->id, &u->history, &u->n);
    if (e != E_OK) return e;
    api_people *pp = api_people_new(u->a);
    u->actors = arena_alloc(u->a, (u->n + 1) * sizeof *u->actors);
    for (size_t i = 0; i < u->n; i++)
        u->actors[i] = api_actor_json(tx, pp, 0, u->history[i].actor);
    api_people_free(pp);
    return E_OK;
}

err_code api_units_history(http_req *r)
{
    units_ctx u = {0};
    err_code e = read_unit(r, &u);
    if (e == E_OK) e = store_read(http_app(r)->st, history_fn, &u);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < u.n; i++) {
        const store_unit_change *c = &u.history[i];
        json_t *j = json_pack("{ss ss ss}", "actor", c->actor, "change", c->change, "new_value",
                              c->new_value);
        json_object_set_new(j, "at", api_time(c->at));
        json_object_set_new(j, "actor_person", u.actors[i]);
        json_object_set_new(j, "old_value",
                            *c->old_value ? json_string(c->old_value) : json_null());
        json_array_append_new(items, j);
    }
    return http_reply(r, 200, json_pack("{so}", "items", items));
}
