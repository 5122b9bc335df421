/* access — permissions catalogue, roles and grants (the security administrator's screens). */
#include "access/access_int.h"

#include "access/access.h"
#include "core/store_fn.h"

#include <stddef.h>

err_code api_permissions_list(http_req *r)
{
    static const char *classes[] = {"", "system", "security", "", "audit"};
    json_t *items = json_array();
    for (const mech *const *m = duban_mechs; *m; m++) {
        for (const perm_info *p = (*m)->perms; p && p->name; p++) {
            json_t *j = json_pack("{ss ss}", "name", p->name, "title", p->title);
            json_object_set_new(j, "class", p->cls ? json_string(classes[p->cls]) : json_null());
            json_array_append_new(items, j);
        }
    }
    return http_reply(r, 200, json_pack("{so}", "items", items));
}

typedef struct {
    arena *a;
    const char *scope;
    int64_t user_id;
    store_role *roles;
    store_grant *grants;
    json_t *items;
    size_t n;
} access_ctx;

STORE_FN(roles_fn, access_ctx *c, store_role_list(tx, c->a, &c->roles, &c->n));

err_code api_roles_list(http_req *r)
{
    if (!authz_has(http_principal(r), "role.read")) return E_FORBIDDEN;
    access_ctx c = {.a = http_arena(r)};
    err_code e = store_read(http_app(r)->st, roles_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++)
        json_array_append_new(items, api_role_json(&c.roles[i]));
    return http_reply(r, 200, json_pack("{so}", "items", items));
}

typedef struct {
    const char *name, *title, *role;
    json_t *permissions;
    int64_t user_id, unit_id;
} access_body;

static const jfield role_spec[] = {
    {"name", JF_STR, 1, offsetof(access_body, name), 32, 0, 0},
    {"title", JF_STR, 1, offsetof(access_body, title), 40, 0, 0},
    {"permissions", JF_STRS, 1, offsetof(access_body, permissions), 50, 0, 0},
    JF_END,
};

static const char **perm_list(arena *a, json_t *arr, size_t *n)
{
    *n = json_array_size(arr);
    const char **out = arena_alloc(a, (*n + 1) * sizeof *out);
    for (size_t i = 0; i < *n; i++)
        out[i] = json_string_value(json_array_get(arr, i));
    return out;
}

err_code api_roles_create(http_req *r)
{
    access_body in = {0};
    uint32_t present;
    err_code e = http_parse(r, role_spec, &in, &present);
    if (e != E_OK) return e;
    size_t n;
    const char **perms = perm_list(http_arena(r), in.permissions, &n);
    store_role out;
    const char *field;
    e = access_role_add(http_app(r), http_arena(r), http_principal(r), in.name, in.title, perms, n,
                        &out, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 201, api_role_json(&out));
}

static const jfield role_update_spec[] = {
    {"permissions", JF_STRS, 1, offsetof(access_body, permissions), 50, 0, 0},
    JF_END,
};

err_code api_roles_update(http_req *r)
{
    access_body in = {0};
    uint32_t present;
    err_code e = http_parse(r, role_update_spec, &in, &present);
    if (e != E_OK) return e;
    size_t n;
    const char **perms = perm_list(http_arena(r), in.permissions, &n);
    const char *field;
    e = access_role_set_perms(http_app(r), http_arena(r), http_principal(r), http_param(r, "name"),
                              perms, n, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 200, json_pack("{sb}", "ok", 1));
}

/* The grants, each with the grantee and the grantor as people (姓名（单位）). */
static err_code grants_fn(store_tx *tx, void *ctx)
{
    access_ctx *c = ctx;
    err_code e = store_grant_list(tx, c->a, c->user_id, c->scope, &c->grants, &c->n);
    if (e != E_OK) return e;
    api_people *pp = api_people_new(c->a);
    c->items = json_array();
    for (size_t i = 0; i < c->n; i++) {
        const store_grant *g = &c->grants[i];
        json_t *j = api_grant_json(g);
        json_object_set_new(j, "user", api_actor_json(tx, pp, g->user_id, g->user_login));
        json_object_set_new(j, "granted_by", api_actor_json(tx, pp, 0, g->created_by));
        json_array_append_new(c->items, j);
    }
    api_people_free(pp);
    return E_OK;
}

err_code api_grants_list(http_req *r)
{
    access_ctx c = {.a = http_arena(r)};
    err_code e = http_query_id(r, "user_id", &c.user_id);
    if (e != E_OK) return e;
    c.scope = authz_scope(http_principal(r), "grant.read", c.a);
    e = store_read(http_app(r)->st, grants_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return http_reply(r, 200, json_pack("{so}", "items", c.items));
}

static const jfield grant_spec[] = {
    {"user_id", JF_INT, 1, offsetof(access_body, user_id), 0, 1, INT64_MAX},
    {"role", JF_STR, 1, offsetof(access_body, role), 32, 0, 0},
    {"unit_id", JF_INT, 1, offsetof(access_body, unit_id), 0, 1, INT64_MAX},
    JF_END,
};

err_code api_grants_create(http_req *r)
{
    access_body in = {0};
    uint32_t present;
    err_code e = http_parse(r, grant_spec, &in, &present);
    if (e != E_OK) return e;
    store_grant out;
    const char *field;
    e = access_grant(http_app(r), http_arena(r), http_principal(r), in.user_id, in.role, in.unit_id,
                     &out, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 201, api_grant_json(&out));
}

err_code api_grants_delete(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = access_revoke(http_app(r), http_arena(r), http_principal(r), id);
    if (e != E_OK) return e;
    return http_reply(r, 200, json_pack("{sb}", "ok", 1));
}
