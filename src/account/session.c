/*
 * session — recognising the caller of each request (session cookie or API token) and managing
 * API tokens (see account.h).
 *
 * last_seen is written at most every session_idle/60 seconds (30 s with the default 30-minute
 * idle timeout), so an ordinary read costs no write; the idle timeout is therefore exact to
 * within that step.
 */
#include "account/account.h"

#include "base/clock.h"

#include <string.h>

typedef struct {
    app *ap;
    arena *a;
    const unsigned char *hash;
    store_session sess;
    store_token tok;
    store_user user;
    principal *p;
    int64_t at;
} auth_op;

static err_code load_user(store_tx *tx, auth_op *op, int64_t user_id)
{
    err_code e = store_user_get(tx, op->a, user_id, &op->user);
    if (e != E_OK) return e == E_NOT_FOUND ? E_UNAUTHENTICATED : e;
    if (op->user.disabled) return E_ACCOUNT_DISABLED;
    const store_user *u = &op->user;
    principal *p = op->p;
    const char *ip = p->ip;
    *p = (principal){.user_id = u->id, .unit_id = u->unit_id, .login = u->login,
                     .name = u->name, .unit_path = u->unit_path, .ip = ip,
                     .must_change = (int)u->must_change};
    return authz_load(tx, op->a, p);
}

static err_code session_read_fn(store_tx *tx, void *ctx)
{
    auth_op *op = ctx;
    err_code e = store_session_get(tx, op->a, op->hash, &op->sess);
    if (e != E_OK) return e == E_NOT_FOUND ? E_UNAUTHENTICATED : e;
    return load_user(tx, op, op->sess.user_id);
}

static err_code session_end_fn(store_tx *tx, void *ctx)
{
    auth_op *op = ctx;
    err_code e = store_session_delete(tx, op->hash);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "session.expire",
                     arena_sprintf(op->a, "user:%lld", (long long)op->p->user_id), NULL);
}

static err_code session_touch_fn(store_tx *tx, void *ctx)
{
    auth_op *op = ctx;
    return store_session_touch(tx, op->hash, op->at);
}

err_code account_session(app *ap, arena *a, const char *token, const char *ip, principal *p,
                         const char **csrf)
{
    unsigned char hash[32];
    secret_hash(token, hash);
    memset(p, 0, sizeof *p);
    p->ip = ip;
    auth_op op = {.ap = ap, .a = a, .hash = hash, .p = p};
    err_code e = store_read(ap->st, session_read_fn, &op);
    if (e != E_OK) return e == E_ACCOUNT_DISABLED ? E_UNAUTHENTICATED : e;
    int64_t now = clock_now();
    const config *cfg = &ap->cfg;
    if (now - op.sess.last_seen >= cfg->session_idle || now - op.sess.created_at >= cfg->session_max) {
        store_write(ap->st, session_end_fn, &op);
        return E_SESSION_EXPIRED;
    }
    int64_t step = cfg->session_idle / 60;
    if (now - op.sess.last_seen > step) {
        op.at = now;
        /* Only when the writer is free: a read must not wait behind a long write (the
         * scheduler's sweep); the next request touches the session instead. */
        store_write_if_idle(ap->st, session_touch_fn, &op);
    }
    char *derived = arena_alloc(a, SECRET_TEXT);
    secret_derive(token, SESSION_CSRF_LABEL, derived);
    *csrf = derived;
    return E_OK;
}

static err_code token_read_fn(store_tx *tx, void *ctx)
{
    auth_op *op = ctx;
    err_code e = store_token_by_hash(tx, op->a, op->hash, &op->tok);
    if (e != E_OK || op->tok.revoked_at) return e == E_OK || e == E_NOT_FOUND ? E_UNAUTHENTICATED : e;
    return load_user(tx, op, op->tok.user_id);
}

static err_code token_touch_fn(store_tx *tx, void *ctx)
{
    auth_op *op = ctx;
    return store_token_touch(tx, op->tok.id, op->at);
}

err_code account_bearer(app *ap, arena *a, const char *token, const char *ip, principal *p)
{
    unsigned char hash[32];
    secret_hash(token, hash);
    memset(p, 0, sizeof *p);
    p->ip = ip;
    auth_op op = {.ap = ap, .a = a, .hash = hash, .p = p};
    err_code e = store_read(ap->st, token_read_fn, &op);
    if (e == E_ACCOUNT_DISABLED) return E_UNAUTHENTICATED;
    if (e != E_OK) return e;
    /* A reset revokes the account's tokens, so must_change stays in force for new ones. */
    int64_t now = clock_now();
    if (now - op.tok.last_used >= 60) {
        op.at = now;
        store_write_if_idle(ap->st, token_touch_fn, &op); /* as for sessions */
    }
    return E_OK;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    store_token *tok;
    const unsigned char *hash;
    int64_t id;
} token_op;

static err_code token_create_fn(store_tx *tx, void *ctx)
{
    token_op *op = ctx;
    err_code e = store_token_insert(tx, op->tok, op->hash);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "token.create",
                     arena_sprintf(op->a, "token:%lld", (long long)op->tok->id),
                     json_pack("{ss}", "name", op->tok->name));
}

err_code account_token_create(app *ap, arena *a, const principal *p, const char *name,
                              store_token *out, char secret[SECRET_TEXT + 8])
{
    if (p->system) return E_FORBIDDEN;
    char raw[SECRET_TEXT];
    secret_new(raw);
    snprintf(secret, SECRET_TEXT + 8, "dbt_%s", raw);
    unsigned char hash[32];
    secret_hash(secret, hash);
    *out = (store_token){.user_id = p->user_id, .name = name, .created_at = clock_now()};
    token_op op = {.ap = ap, .a = a, .p = p, .tok = out, .hash = hash};
    return store_write(ap->st, token_create_fn, &op);
}

static err_code token_revoke_fn(store_tx *tx, void *ctx)
{
    token_op *op = ctx;
    err_code e = store_token_revoke(tx, op->id, op->p->user_id, clock_now());
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "token.revoke",
                     arena_sprintf(op->a, "token:%lld", (long long)op->id), NULL);
}

err_code account_token_revoke(app *ap, arena *a, const principal *p, int64_t id)
{
    token_op op = {.ap = ap, .a = a, .p = p, .id = id};
    return store_write(ap->st, token_revoke_fn, &op);
}
