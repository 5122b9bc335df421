/* session — login, logout, the current user, password change and API tokens. */
#include "api/api.h"

#include "account/account.h"
#include "base/clock.h"
#include "core/store_fn.h"

#include <sodium.h>
#include <stddef.h>
#include <string.h>

typedef struct {
    const char *login, *password;
} login_body;

static const jfield login_spec[] = {
    {"login", JF_STR, 1, offsetof(login_body, login), 64, 0, 0},
    {"password", JF_STR, 1, offsetof(login_body, password), 128, 0, 0},
    JF_END,
};

static void set_session_cookie(http_req *r, const char *token)
{
    http_add_header(r, "Set-Cookie",
                    arena_sprintf(http_arena(r), "duban_session=%s; Path=/; HttpOnly; "
                                  "SameSite=Strict%s", token, http_is_tls(r) ? "; Secure" : ""));
}

err_code api_session_create(http_req *r)
{
    login_body in = {0};
    uint32_t present;
    err_code e = http_parse(r, login_spec, &in, &present);
    if (e != E_OK) return e;
    account_login_input li = {in.login, in.password, http_ip(r), http_header(r, "User-Agent")};
    account_login_result out;
    app *ap = http_app(r);
    e = account_login(ap, http_arena(r), &li, &out);
    if (e == E_LOGIN_THROTTLED) { /* the caller's address waits: nothing said of the account */
        http_set_message(r, arena_sprintf(http_arena(r),
                                          "登录失败次数过多，请在 %lld 秒后重试",
                                          (long long)out.retry_after));
        http_add_header(r, "Retry-After", arena_sprintf(http_arena(r), "%lld",
                                                        (long long)out.retry_after));
    }
    if (e != E_OK) return e;
    set_session_cookie(r, out.session);
    principal p = {.user_id = out.user.id, .login = out.user.login};
    http_set_principal(r, &p);
    json_t *body = json_pack("{so ss sb}", "user", api_user_json(&out.user), "csrf_token",
                             out.csrf, "must_change_password", (int)out.user.must_change);
    sodium_memzero(out.session, sizeof out.session);
    return http_reply(r, 200, body);
}

err_code api_session_delete(http_req *r)
{
    const char *token = http_session_token(r);
    if (token) {
        err_code e = account_logout(http_app(r), http_arena(r), http_principal(r), token);
        if (e != E_OK) return e;
    }
    http_add_header(r, "Set-Cookie", "duban_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    return http_reply(r, 200, json_pack("{sb}", "ok", 1));
}

/* ---- my sessions ---- */

err_code api_my_sessions(http_req *r)
{
    account_session_row *rows;
    size_t n;
    err_code e = account_sessions(http_app(r), http_arena(r), http_principal(r),
                                  http_session_token(r), &rows, &n);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(
            items, json_pack("{ss ss ss so so sb}", "id", rows[i].id, "ip", rows[i].ip, "device",
                             rows[i].user_agent, "created_at", api_time(rows[i].created_at),
                             "last_seen", api_time(rows[i].last_seen), "current",
                             rows[i].current));
    return http_reply(r, 200, json_pack("{so}", "items", items));
}

err_code api_my_session_end(http_req *r)
{
    err_code e = account_session_end(http_app(r), http_arena(r), http_principal(r),
                                     http_param(r, "id"));
    return e != E_OK ? e : http_reply(r, 200, json_pack("{sb}", "ok", 1));
}

err_code api_my_sessions_end_others(http_req *r)
{
    int64_t ended;
    err_code e = account_sessions_end_others(http_app(r), http_arena(r), http_principal(r),
                                             http_session_token(r), &ended);
    return e != E_OK ? e : http_reply(r, 200, json_pack("{sI}", "ended", (json_int_t)ended));
}

typedef struct {
    arena *a;
    const principal *p;
    store_user user;
    store_grant *grants;
    size_t ngrants;
} me_ctx;

static err_code me_fn(store_tx *tx, void *ctx)
{
    me_ctx *m = ctx;
    err_code e = store_user_get(tx, m->a, m->p->user_id, &m->user);
    if (e != E_OK) return e;
    return store_grant_list(tx, m->a, m->p->user_id, NULL, &m->grants, &m->ngrants);
}

err_code api_me(http_req *r)
{
    const principal *p = http_principal(r);
    me_ctx m = {.a = http_arena(r), .p = p};
    err_code e = store_read(http_app(r)->st, me_fn, &m);
    if (e != E_OK) return e;
    json_t *grants = json_array();
    for (size_t i = 0; i < m.ngrants; i++) json_array_append_new(grants, api_grant_json(&m.grants[i]));
    json_t *body = json_pack("{so so so}", "user", api_user_json(&m.user), "grants", grants,
                             "permissions", api_principal_perms(p));
    const char *csrf = http_csrf(r);
    json_object_set_new(body, "csrf_token", csrf ? json_string(csrf) : json_null());
    return http_reply(r, 200, body);
}

err_code api_session_get(http_req *r)
{
    if (!http_authed(r)) {
        /* A cookie that no longer signs anyone in: the UI says the login ended. */
        const char *c = http_cookie(r, "duban_session");
        return http_reply(r, 200, json_pack("{sn sb}", "user", "session_ended", c && *c));
    }
    return api_me(r);
}

typedef struct {
    const char *old_password, *new_password;
} password_body;

static const jfield password_spec[] = {
    {"old_password", JF_STR, 1, offsetof(password_body, old_password), 128, 0, 0},
    {"new_password", JF_STR, 1, offsetof(password_body, new_password), 128, 0, 0},
    JF_END,
};

err_code api_me_password(http_req *r)
{
    password_body in = {0};
    uint32_t present;
    err_code e = http_parse(r, password_spec, &in, &present);
    if (e != E_OK) return e;
    const char *field;
    e = account_change_password(http_app(r), http_arena(r), http_principal(r),
                                http_session_token(r), in.old_password, in.new_password, &field);
    if (e != E_OK) return http_fail(r, e, field);
    return http_reply(r, 200, json_pack("{sb}", "ok", 1));
}

typedef struct {
    arena *a;
    int64_t user_id;
    store_token *items;
    size_t n;
} tokens_ctx;

STORE_FN(tokens_fn, tokens_ctx *t, store_token_list(tx, t->a, t->user_id, &t->items, &t->n));

err_code api_tokens_list(http_req *r)
{
    tokens_ctx t = {.a = http_arena(r), .user_id = http_principal(r)->user_id};
    err_code e = store_read(http_app(r)->st, tokens_fn, &t);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < t.n; i++) json_array_append_new(items, api_token_json(&t.items[i]));
    return http_reply(r, 200, json_pack("{so}", "items", items));
}

typedef struct {
    const char *name;
} token_body;

static const jfield token_spec[] = {
    {"name", JF_STR, 1, offsetof(token_body, name), 40, 0, 0},
    JF_END,
};

err_code api_tokens_create(http_req *r)
{
    /* Only a person signed in with a password mints tokens; a token cannot mint more. */
    if (!http_session_token(r)) return E_FORBIDDEN;
    token_body in = {0};
    uint32_t present;
    err_code e = http_parse(r, token_spec, &in, &present);
    if (e != E_OK) return e;
    store_token tok;
    char secret[SECRET_TEXT + 8];
    e = account_token_create(http_app(r), http_arena(r), http_principal(r), in.name, &tok, secret);
    if (e != E_OK) return e;
    json_t *body = json_pack("{so ss}", "token", api_token_json(&tok), "secret", secret);
    sodium_memzero(secret, sizeof secret);
    return http_reply(r, 201, body);
}

err_code api_tokens_delete(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e == E_OK) e = account_token_revoke(http_app(r), http_arena(r), http_principal(r), id);
    if (e != E_OK) return e;
    return http_reply(r, 200, json_pack("{sb}", "ok", 1));
}
