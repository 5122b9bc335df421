/* login — password logins with lockout, logout and password changes (see account.h). */
#include "account/account.h"

#include "account/throttle.h"
#include "auth/lockout.h"
#include "auth/password.h"
#include "base/clock.h"
#include "core/store_fn.h"
#include "org/org.h"

#include <sodium.h>
#include <string.h>

typedef struct {
    app *ap;
    arena *a;
    const account_login_input *in;
    account_login_result *out;
    int pw_ok;
    const char *verified_hash; /* the hash pw_ok was checked against */
    err_code outcome; /* the login's result; the transaction itself commits either way */
} login_op;

static principal as_principal(const store_user *u, const char *ip)
{
    principal p = {.user_id = u->id, .unit_id = u->unit_id, .login = u->login, .name = u->name,
                   .unit_path = u->unit_path, .ip = ip, .must_change = (int)u->must_change};
    return p;
}

/* A wrong password: counts at the account (its lock comes only after many, from anywhere), at
 * the (account, address) pair and at the address (throttle.h). */
static err_code fail_attempt(app *ap, arena *a, store_tx *tx, const principal *p, int64_t now,
                             const char *action, const char *reason)
{
    const config *cfg = &ap->cfg;
    store_user u;
    err_code e = store_user_get(tx, a, p->user_id, &u);
    if (e != E_OK) return e;
    lockout_state s = {u.failed_logins, u.locked_until};
    int locked = lockout_fail(&s, now, cfg->lockout_account_threshold, cfg->lockout_seconds);
    e = store_user_set_login_state(tx, u.id, s.failed, s.locked_until);
    const char *obj = arena_sprintf(a, "user:%lld", (long long)u.id);
    if (e == E_OK)
        e = app_audit(ap, tx, a, p, action, obj,
                      json_pack("{ss sI}", "reason", reason, "failures", (json_int_t)s.failed));
    if (e == E_OK) e = throttle_failure(ap, tx, a, p, u.id, now);
    if (e != E_OK || !locked) return e;
    return app_audit(ap, tx, a, p, "account.lockout", obj,
                     json_pack("{sI}", "until", (json_int_t)s.locked_until));
}

/* A login refused before its password counted (unknown, disabled or locked): audited with the
 * reason, counted at the address only. The caller sees the same answer as for a wrong one. */
static err_code refuse(login_op *op, store_tx *tx, const principal *p, const char *obj,
                       json_t *detail, int64_t now)
{
    err_code e = app_audit(op->ap, tx, op->a, p, "login.failure", obj, detail);
    return e == E_OK ? throttle_failure(op->ap, tx, op->a, p, 0, now) : e;
}

/* With a maximum password age set (等保 定期更换), a password older than it must be changed
 * before anything else: the account is marked as after an administrator's reset. */
static err_code expire_password(login_op *op, store_tx *tx, store_user *u, principal *p,
                                int64_t now)
{
    int64_t days = op->ap->cfg.password_max_age_days;
    if (!days || u->must_change || now - u->pw_changed_at < days * 86400) return E_OK;
    err_code e = store_user_require_change(tx, u->id);
    if (e != E_OK) return e;
    u->must_change = 1;
    p->must_change = 1;
    return app_audit(op->ap, tx, op->a, p, "password.expired",
                     arena_sprintf(op->a, "user:%lld", (long long)u->id),
                     json_pack("{sI sI}", "changed_at", (json_int_t)u->pw_changed_at,
                               "max_age_days", (json_int_t)days));
}

static err_code login_fn(store_tx *tx, void *ctx)
{
    login_op *op = ctx;
    int64_t now = clock_now();
    store_user *u = &op->out->user;
    err_code e = store_user_by_login(tx, op->a, op->in->login, u);
    if (e == E_NOT_FOUND) {
        /* The actor is fixed: what was typed may be anything (even a password typed into the
         * login box), so it is kept only when it looks like a login. */
        principal nobody = {.login = "anonymous", .ip = op->in->ip};
        json_t *d = json_pack("{ss}", "reason", "unknown_login");
        if (org_check_login(op->in->login) == E_OK)
            json_object_set_new(d, "login", json_string(op->in->login));
        return refuse(op, tx, &nobody, "user:?", d, now);
    }
    if (e != E_OK) return e;
    principal p = as_principal(u, op->in->ip);
    const char *obj = arena_sprintf(op->a, "user:%lld", (long long)u->id);
    lockout_state s = {u->failed_logins, u->locked_until};
    /* Every refusal below answers as a wrong password would (no enumeration): the reason is
     * in the audit record only. */
    int64_t pair_left = 0;
    e = throttle_pair_locked(tx, op->a, u->id, op->in->ip, now, &pair_left);
    if (e != E_OK) return e;
    const char *why = u->disabled                  ? "disabled"
                      : lockout_remaining(&s, now) ? "locked"
                      : pair_left                  ? "locked_at_address"
                                                   : NULL;
    if (why) return refuse(op, tx, &p, obj, json_pack("{ss}", "reason", why), now);
    /* A password verified against a hash that has since been replaced (an admin reset in
     * between) proves nothing. */
    if (!op->pw_ok || !op->verified_hash || strcmp(op->verified_hash, u->pw_hash) != 0)
        return fail_attempt(op->ap, op->a, tx, &p, now, "login.failure", "bad_password");

    lockout_success(&s);
    e = store_user_set_login_state(tx, u->id, s.failed, s.locked_until);
    if (e == E_OK) e = throttle_success(tx, op->a, u->id, op->in->ip);
    if (e == E_OK) e = expire_password(op, tx, u, &p, now);
    if (e != E_OK) return e;
    secret_new(op->out->session);
    secret_derive(op->out->session, SESSION_CSRF_LABEL, op->out->csrf);
    unsigned char hash[32];
    secret_hash(op->out->session, hash);
    store_session sess = {.token_hash = hash, .user_id = u->id, .created_at = now,
                          .last_seen = now, .ip = op->in->ip,
                          .user_agent = account_device(op->a, op->in->user_agent)};
    e = store_session_insert(tx, &sess);
    int64_t ended = 0;
    if (e == E_OK && op->ap->cfg.max_sessions > 0)
        e = store_session_trim(tx, u->id, op->ap->cfg.max_sessions, &ended);
    if (e != E_OK) return e;
    op->outcome = E_OK;
    return app_audit(op->ap, tx, op->a, &p, "login.success", obj,
                     ended ? json_pack("{sI}", "ended_sessions", (json_int_t)ended) : NULL);
}

typedef struct {
    arena *a;
    const char *login;
    store_user *u;
} lookup;

STORE_FN(lookup_fn, lookup *l, store_user_by_login(tx, l->a, l->login, l->u));

typedef struct {
    const char *ip;
    int64_t wait;
} wait_op;

STORE_FN(wait_fn, wait_op *w, throttle_wait(tx, w->ip, clock_now(), &w->wait));

err_code account_login(app *ap, arena *a, const account_login_input *in,
                       account_login_result *out)
{
    memset(out, 0, sizeof *out);
    /* An address (or everyone) made to wait is answered at once: no password is checked. */
    wait_op w = {in->ip, 0};
    err_code e = store_read(ap->st, wait_fn, &w);
    if (e != E_OK) return e;
    if (w.wait) return out->retry_after = w.wait, E_LOGIN_THROTTLED;
    /* Hash outside the write lock: argon2id takes a tenth of a second by design. The write
     * transaction re-reads the user, so a lock or a new password in between is honoured. The
     * hash runs whatever the account's state, so that the time says nothing of it. */
    store_user u;
    lookup l = {a, in->login, &u};
    e = store_read(ap->st, lookup_fn, &l);
    login_op op = {.ap = ap, .a = a, .in = in, .out = out, .outcome = E_BAD_CREDENTIALS};
    if (e == E_OK) {
        op.pw_ok = password_verify(u.pw_hash, in->password);
        op.verified_hash = u.pw_hash;
    } else if (e == E_NOT_FOUND) {
        password_verify_dummy(in->password); /* same time whether the login exists or not */
    } else {
        return e;
    }
    e = store_write(ap->st, login_fn, &op);
    if (e != E_OK) return e;
    if (op.outcome != E_OK) sodium_memzero(out->session, sizeof out->session);
    return op.outcome;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *token, *pw_hash;
} session_op;

static err_code logout_fn(store_tx *tx, void *ctx)
{
    session_op *op = ctx;
    unsigned char hash[32];
    secret_hash(op->token, hash);
    err_code e = store_session_delete(tx, hash);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "logout",
                     arena_sprintf(op->a, "user:%lld", (long long)op->p->user_id), NULL);
}

err_code account_logout(app *ap, arena *a, const principal *p, const char *token)
{
    session_op op = {.ap = ap, .a = a, .p = p, .token = token};
    return store_write(ap->st, logout_fn, &op);
}

static err_code change_fn(store_tx *tx, void *ctx)
{
    session_op *op = ctx;
    err_code e = store_user_set_password(tx, op->p->user_id, op->pw_hash, 0, clock_now());
    /* Every other session and every API token of the account ends with the old password. */
    unsigned char keep[32];
    if (op->token) secret_hash(op->token, keep);
    if (e == E_OK) e = store_session_delete_user_except(tx, op->p->user_id, op->token ? keep : NULL);
    if (e == E_OK) e = store_token_revoke_user(tx, op->p->user_id, clock_now());
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "user.password_change",
                     arena_sprintf(op->a, "user:%lld", (long long)op->p->user_id), NULL);
}

/* A wrong old password counts like a failed login (at the account, the pair, the address);
 * when the pair is locked by it, the account's sessions end. */
static err_code wrong_old_fn(store_tx *tx, void *ctx)
{
    session_op *op = ctx;
    int64_t now = clock_now(), left = 0;
    err_code e = fail_attempt(op->ap, op->a, tx, op->p, now, "password_change.failure",
                              "old_password_wrong");
    if (e == E_OK) e = throttle_pair_locked(tx, op->a, op->p->user_id, op->p->ip, now, &left);
    if (e == E_OK && left) e = store_session_delete_user(tx, op->p->user_id);
    return e;
}

typedef struct {
    arena *a;
    int64_t id;
    const char **hashes;
    size_t n;
} history;

STORE_FN(history_fn, history *h, store_user_password_history(tx, h->a, h->id, &h->hashes, &h->n));

/* E_PASSWORD_REUSED when pw was one of the account's last passwords (verified outside any
 * transaction: each check is an argon2id hash). */
static err_code check_history(app *ap, arena *a, int64_t id, const char *pw)
{
    history h = {.a = a, .id = id};
    err_code e = store_read(ap->st, history_fn, &h);
    for (size_t i = 0; e == E_OK && i < h.n; i++)
        if (password_verify(h.hashes[i], pw)) e = E_PASSWORD_REUSED;
    return e;
}

err_code account_change_password(app *ap, arena *a, const principal *p, const char *token,
                                 const char *old_pw, const char *new_pw, const char **bad_field)
{
    *bad_field = NULL;
    if (p->system) return E_FORBIDDEN;
    store_user u;
    lookup l = {a, p->login, &u};
    err_code e = store_read(ap->st, lookup_fn, &l);
    if (e != E_OK) return e;
    session_op op = {.ap = ap, .a = a, .p = p, .token = token};
    if (!password_verify(u.pw_hash, old_pw)) {
        e = store_write(ap->st, wrong_old_fn, &op);
        return e != E_OK ? e : (*bad_field = "old_password", E_PASSWORD_WRONG);
    }
    if (strcmp(old_pw, new_pw) == 0) return *bad_field = "new_password", E_PASSWORD_REUSED;
    e = password_check_policy(u.login, new_pw);
    if (e != E_OK) return *bad_field = "new_password", e;
    e = check_history(ap, a, u.id, new_pw);
    if (e != E_OK) return *bad_field = "new_password", e;
    char *hash = arena_alloc(a, PASSWORD_HASH_MAX);
    if (password_hash(new_pw, hash)) return E_INTERNAL;
    op.pw_hash = hash;
    return store_write(ap->st, change_fn, &op);
}
