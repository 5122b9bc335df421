/* users — list, read, add, lock, unlock, reset password, lift login locks. Scope: user.read,
 * user.write, user.unlock. */
#include "org/org_int.h"

#include "core/store_fn.h"
#include "org/org.h"

#include <sodium.h>
#include <stddef.h>

typedef struct {
    arena *a;
    int64_t id;
    store_user user, *items;
    size_t n;
    int64_t total;
    store_user_filter f;
} users_ctx;

STORE_FN(list_fn, users_ctx *u, store_user_list(tx, u->a, &u->f, &u->items, &u->n, &u->total));

err_code api_users_list(http_req *r)
{
    users_ctx u = {.a = http_arena(r)};
    err_code e = http_query_id(r, "unit_id", &u.f.unit_id);
    if (e == E_OK) e = api_list_page(r, 50, &u.f.limit, &u.f.offset);
    if (e == E_OK) e = http_query_text(r, "q", HTTP_QUERY_TEXT_MAX, &u.f.q);
    if (e != E_OK) return e;
    u.f.scope = authz_scope(http_principal(r), "user.read", u.a);
    e = api_read_filtered(r, list_fn, &u);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < u.n; i++)
        json_array_append_new(items, api_user_json(&u.items[i]));
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "total", (json_int_t)u.total));
}

STORE_FN(get_fn, users_ctx *u, store_user_get(tx, u->a, u->id, &u->user));

err_code api_users_get(http_req *r)
{
    users_ctx u = {.a = http_arena(r)};
    err_code e = http_param_id(r, "id", &u.id);
    if (e == E_OK) e = store_read(http_app(r)->st, get_fn, &u);
    if (e != E_OK) return e;
    if (!authz_can(http_principal(r), "user.read", u.user.unit_path)) return E_FORBIDDEN;
    return http_reply(r, 200, api_user_json(&u.user));
}

typedef struct {
    const char *login, *name, *password;
    int64_t unit_id;
} user_body;

static const jfield create_spec[] = {
    {"login", JF_STR, 1, offsetof(user_body, login), 32, 0, 0},
    {"name", JF_STR, 1, offsetof(user_body, name), 40, 0, 0},
    {"unit_id", JF_INT, 1, offsetof(user_body, unit_id), 0, 1, INT64_MAX},
    {"password", JF_STR, 0, offsetof(user_body, password), 128, 0, 0},
    JF_END,
};

/* Adds the one-time password to a reply body, then wipes it. */
static json_t *with_otp(json_t *body, char otp[16])
{
    json_object_set_new(body, "one_time_password", otp[0] ? json_string(otp) : json_null());
    sodium_memzero(otp, 16);
    return body;
}

err_code api_users_create(http_req *r)
{
    user_body in = {0};
    uint32_t present;
    err_code e = http_parse(r, create_spec, &in, &present);
    if (e != E_OK) return e;
    org_user_input ui = {in.login, in.name, in.unit_id, in.password, 0};
    store_user out;
    char otp[16];
    const char *field;
    e = org_user_add(http_app(r), http_arena(r), http_principal(r), &ui, &out, otp, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 201, with_otp(json_pack("{so}", "user", api_user_json(&out)), otp));
}

static err_code set_disabled(http_req *r, int disabled)
{
    users_ctx u = {.a = http_arena(r)};
    err_code e = http_param_id(r, "id", &u.id);
    if (e == E_OK) e = org_user_set_disabled(http_app(r), u.a, http_principal(r), u.id, disabled);
    if (e == E_OK) e = store_read(http_app(r)->st, get_fn, &u);
    if (e != E_OK) return e;
    return http_reply(r, 200, api_user_json(&u.user));
}

err_code api_users_lock(http_req *r)
{
    return set_disabled(r, 1);
}

err_code api_users_unlock(http_req *r)
{
    return set_disabled(r, 0);
}

err_code api_users_clear_lockout(http_req *r)
{
    users_ctx u = {.a = http_arena(r)};
    err_code e = http_param_id(r, "id", &u.id);
    if (e == E_OK) e = org_user_clear_lockout(http_app(r), u.a, http_principal(r), u.id);
    if (e == E_OK) e = store_read(http_app(r)->st, get_fn, &u);
    if (e != E_OK) return e;
    return http_reply(r, 200, api_user_json(&u.user));
}

static const jfield reset_spec[] = {
    {"password", JF_STR, 0, offsetof(user_body, password), 128, 0, 0},
    JF_END,
};

err_code api_users_reset_password(http_req *r)
{
    user_body in = {0};
    uint32_t present = 0;
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    if (http_body_len(r) > 0) { /* the body is optional: without one, a password is generated */
        e = http_parse(r, reset_spec, &in, &present);
        if (e != E_OK) return e;
    }
    char otp[16];
    const char *field;
    e = org_user_reset_password(http_app(r), http_arena(r), http_principal(r), id, in.password, otp,
                                &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 200, with_otp(json_pack("{sb}", "ok", 1), otp));
}
