/*
 * sessions — "my sessions" (等保 会话管理): the account's own sessions listed by device,
 * address and last use, ending one of them or all but the current one, and the device label a
 * login records. A session is named in the API by a public handle derived from the hash the
 * database keeps (hex of its first 12 bytes), never by its id, so the list gives nothing that
 * opens a session. The limit on sessions per account (max_sessions) is applied at login.
 */
#include "account/account.h"

#include "auth/secret.h"
#include "core/store_fn.h"

#include <sodium.h>
#include <string.h>

enum { DEVICE_MAX = 200 };

const char *account_device(arena *a, const char *user_agent)
{
    if (!user_agent) return "";
    size_t n = strlen(user_agent);
    if (n > DEVICE_MAX) n = DEVICE_MAX;
    char *out = arena_strndup(a, user_agent, n);
    /* Only printable ASCII is kept: a header is outside input, and the label is shown. */
    for (char *c = out; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e) *c = '?';
    return out;
}

static void handle_of(const unsigned char *hash, char id[25])
{
    sodium_bin2hex(id, 25, hash, 12);
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *id;
    unsigned char current[32];
    int has_current;
    store_session *rows;
    size_t n;
    int64_t ended;
} sessions_op;

STORE_FN(list_fn, sessions_op *op, store_session_list(tx, op->a, op->p->user_id, &op->rows, &op->n));

static void set_current(sessions_op *op, const char *token)
{
    op->has_current = token && *token;
    if (op->has_current) secret_hash(token, op->current);
}

err_code account_sessions(app *ap, arena *a, const principal *p, const char *token,
                          account_session_row **out, size_t *n)
{
    sessions_op op = {.ap = ap, .a = a, .p = p};
    set_current(&op, token);
    err_code e = store_read(ap->st, list_fn, &op);
    if (e != E_OK) return e;
    account_session_row *rows = arena_alloc(a, (op.n ? op.n : 1) * sizeof *rows);
    for (size_t i = 0; i < op.n; i++) {
        const store_session *s = &op.rows[i];
        rows[i] = (account_session_row){.ip = s->ip, .user_agent = s->user_agent,
                                        .created_at = s->created_at, .last_seen = s->last_seen};
        handle_of(s->token_hash, rows[i].id);
        rows[i].current = op.has_current && memcmp(s->token_hash, op.current, 32) == 0;
    }
    *out = rows;
    *n = op.n;
    return E_OK;
}

static err_code end_one_fn(store_tx *tx, void *ctx)
{
    sessions_op *op = ctx;
    err_code e = store_session_list(tx, op->a, op->p->user_id, &op->rows, &op->n);
    if (e != E_OK) return e;
    for (size_t i = 0; i < op->n; i++) {
        char id[25];
        handle_of(op->rows[i].token_hash, id);
        if (strcmp(id, op->id) != 0) continue;
        e = store_session_delete(tx, op->rows[i].token_hash);
        if (e != E_OK) return e;
        return app_audit(op->ap, tx, op->a, op->p, "session.end",
                         arena_sprintf(op->a, "user:%lld", (long long)op->p->user_id),
                         json_pack("{ss ss}", "ip", op->rows[i].ip, "device",
                                   op->rows[i].user_agent));
    }
    return E_NOT_FOUND;
}

err_code account_session_end(app *ap, arena *a, const principal *p, const char *id)
{
    if (!id || strlen(id) != 24) return E_NOT_FOUND;
    sessions_op op = {.ap = ap, .a = a, .p = p, .id = id};
    return store_write(ap->st, end_one_fn, &op);
}

static err_code end_others_fn(store_tx *tx, void *ctx)
{
    sessions_op *op = ctx;
    err_code e = store_session_list(tx, op->a, op->p->user_id, &op->rows, &op->n);
    if (e == E_OK)
        e = store_session_delete_user_except(tx, op->p->user_id,
                                             op->has_current ? op->current : NULL);
    if (e != E_OK) return e;
    op->ended = (int64_t)op->n - (op->has_current && op->n > 0 ? 1 : 0);
    return app_audit(op->ap, tx, op->a, op->p, "session.end_others",
                     arena_sprintf(op->a, "user:%lld", (long long)op->p->user_id),
                     json_pack("{sI}", "ended", (json_int_t)op->ended));
}

err_code account_sessions_end_others(app *ap, arena *a, const principal *p, const char *token,
                                     int64_t *ended)
{
    sessions_op op = {.ap = ap, .a = a, .p = p};
    set_current(&op, token);
    err_code e = store_write(ap->st, end_others_fn, &op);
    *ended = op.ended;
    return e;
}
