/* users — adding users, resetting passwords, locking and unlocking (see org.h). */
#include "org/org.h"

#include "auth/password.h"
#include "base/clock.h"
#include "base/text.h"

#include <sodium.h>
#include <string.h>

err_code org_check_login(const char *login)
{
    if (!login || !*login) return E_FIELD_REQUIRED;
    return text_is_ident(login, 32) ? E_OK : E_FIELD_INVALID;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const org_user_input *in;
    int64_t id;
    int disabled;
    const char *pw_hash;
    store_user *out;
    const char **bad_field;
} user_op;

/*
 * May p manage the account of target? p needs user.write over the target's unit, and may not
 * touch an account holding an administrative class p does not hold itself (a system
 * administrator cannot reset the audit administrator's password and read the log), nor one
 * whose grants reach further than p's own (a township administrator cannot reset the password
 * of a county administrator whose account sits in the township, and log in as him).
 */
static err_code may_manage(store_tx *tx, arena *a, const principal *p, const store_user *target)
{
    if (!authz_can(p, "user.write", target->unit_path)) return E_FORBIDDEN;
    if (p->system) return E_OK;
    if (target->id == p->user_id) return E_SELF_ACCOUNT;
    principal t = {.user_id = target->id};
    err_code e = authz_load(tx, a, &t);
    if (e != E_OK) return e;
    if (authz_principal_classes(&t) & ~authz_principal_classes(p)) return E_SEPARATION;
    for (size_t i = 0; i < t.nperms; i++)
        if (!authz_can(p, t.perms[i].perm, t.perms[i].path)) return E_FORBIDDEN;
    return E_OK;
}

static const char *user_object(arena *a, int64_t id)
{
    return arena_sprintf(a, "user:%lld", (long long)id);
}

static err_code add_fn(store_tx *tx, void *ctx)
{
    user_op *op = ctx;
    store_unit unit;
    err_code e = store_unit_get(tx, op->a, op->in->unit_id, &unit);
    if (e == E_NOT_FOUND) return *op->bad_field = "unit_id", E_FIELD_INVALID;
    if (e != E_OK) return e;
    if (!authz_can(op->p, "user.write", unit.path)) return E_FORBIDDEN;
    *op->out = (store_user){.login = op->in->login, .name = op->in->name,
                            .unit_id = unit.id, .pw_hash = op->pw_hash,
                            .must_change = !(op->in->chosen && op->in->password),
                            .created_at = clock_now()};
    e = store_user_insert(tx, op->out);
    if (e == E_DUPLICATE) return *op->bad_field = "login", E_DUPLICATE;
    if (e != E_OK) return e;
    e = store_user_get(tx, op->a, op->out->id, op->out);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "user.create", user_object(op->a, op->out->id),
                     json_pack("{ss ss sI}", "login", op->in->login, "name", op->in->name,
                               "unit_id", (json_int_t)unit.id));
}

/* Checks or generates the password and hashes it (outside any transaction: it is slow). */
static err_code prepare_password(arena *a, const char *login, const char *given, char otp[16],
                                 const char **hash, const char **bad_field)
{
    otp[0] = 0;
    if (given) {
        err_code e = password_check_policy(login, given);
        if (e != E_OK) return *bad_field = "password", e;
    } else {
        password_generate(otp);
    }
    char *h = arena_alloc(a, PASSWORD_HASH_MAX);
    if (password_hash(given ? given : otp, h)) return E_INTERNAL;
    *hash = h;
    return E_OK;
}

err_code org_user_add(app *ap, arena *a, const principal *p, const org_user_input *in,
                      store_user *out, char otp[16], const char **bad_field)
{
    *bad_field = NULL;
    otp[0] = 0;
    err_code e = org_check_login(in->login);
    if (e != E_OK) return *bad_field = "login", e;
    e = org_check_name(in->name, 40);
    if (e != E_OK) return *bad_field = "name", e;
    user_op op = {.ap = ap, .a = a, .p = p, .in = in, .out = out, .bad_field = bad_field};
    e = prepare_password(a, in->login, in->password, otp, &op.pw_hash, bad_field);
    if (e != E_OK) return e;
    e = store_write(ap->st, add_fn, &op);
    if (e != E_OK) sodium_memzero(otp, 16), otp[0] = 0;
    return e;
}

/* Reads the account op->id and checks p may manage it. */
static err_code load_manageable(store_tx *tx, user_op *op, store_user *target)
{
    err_code e = store_user_get(tx, op->a, op->id, target);
    return e == E_OK ? may_manage(tx, op->a, op->p, target) : e;
}

/* Ends every way in to the account: its sessions and its API tokens. */
static err_code end_access(store_tx *tx, int64_t user_id)
{
    err_code e = store_session_delete_user(tx, user_id);
    return e == E_OK ? store_token_revoke_user(tx, user_id, clock_now()) : e;
}

static err_code reset_fn(store_tx *tx, void *ctx)
{
    user_op *op = ctx;
    store_user target;
    err_code e = load_manageable(tx, op, &target);
    if (e != E_OK) return e;
    e = store_user_set_password(tx, op->id, op->pw_hash, 1, clock_now());
    if (e == E_OK) e = end_access(tx, op->id);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "user.password_reset", user_object(op->a, op->id),
                     json_pack("{ss}", "login", target.login));
}

typedef struct {
    arena *a;
    const principal *p;
    int64_t id;
    store_user *out;
} user_get;

/* Reads the target and checks access before any slow work (the write checks again). */
static err_code get_manageable_fn(store_tx *tx, void *ctx)
{
    user_get *g = ctx;
    err_code e = store_user_get(tx, g->a, g->id, g->out);
    return e == E_OK ? may_manage(tx, g->a, g->p, g->out) : e;
}

err_code org_user_reset_password(app *ap, arena *a, const principal *p, int64_t id,
                                 const char *password, char otp[16], const char **bad_field)
{
    *bad_field = NULL;
    otp[0] = 0;
    /* The policy needs the login: read it first (the write re-reads and re-checks access). */
    store_user target;
    user_get g = {a, p, id, &target};
    err_code e = store_read(ap->st, get_manageable_fn, &g);
    if (e != E_OK) return e;
    user_op op = {.ap = ap, .a = a, .p = p, .id = id, .bad_field = bad_field};
    e = prepare_password(a, target.login, password, otp, &op.pw_hash, bad_field);
    if (e != E_OK) return e;
    e = store_write(ap->st, reset_fn, &op);
    if (e != E_OK) sodium_memzero(otp, 16), otp[0] = 0;
    return e;
}

static err_code lock_fn(store_tx *tx, void *ctx)
{
    user_op *op = ctx;
    store_user target;
    err_code e = load_manageable(tx, op, &target);
    if (e != E_OK) return e;
    e = store_user_set_disabled(tx, op->id, op->disabled);
    if (e == E_OK && op->disabled) e = end_access(tx, op->id);
    if (e == E_OK && !op->disabled) e = store_throttle_delete_user(tx, op->id, clock_now(), NULL);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, op->disabled ? "user.lock" : "user.unlock",
                     user_object(op->a, op->id), json_pack("{ss}", "login", target.login));
}

err_code org_user_set_disabled(app *ap, arena *a, const principal *p, int64_t id, int disabled)
{
    user_op op = {.ap = ap, .a = a, .p = p, .id = id, .disabled = disabled};
    return store_write(ap->st, lock_fn, &op);
}

static err_code clear_lockout_fn(store_tx *tx, void *ctx)
{
    user_op *op = ctx;
    store_user target;
    err_code e = store_user_get(tx, op->a, op->id, &target);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "user.unlock", target.unit_path)) return E_FORBIDDEN;
    int64_t now = clock_now(), pairs = 0;
    e = store_user_set_login_state(tx, op->id, 0, 0);
    if (e == E_OK) e = store_throttle_delete_user(tx, op->id, now, &pairs);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "user.clear_lockout", user_object(op->a, op->id),
                     json_pack("{ss sb sI}", "login", target.login, "account_locked",
                               target.locked_until > now, "address_locks", (json_int_t)pairs));
}

err_code org_user_clear_lockout(app *ap, arena *a, const principal *p, int64_t id)
{
    user_op op = {.ap = ap, .a = a, .p = p, .id = id};
    return store_write(ap->st, clear_lockout_fn, &op);
}
