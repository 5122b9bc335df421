/* store_auth — SQL for roles and their permissions, grants, sessions and API tokens. */
#include "store/sq.h"

#include <string.h>

/* ---- roles ---- */

err_code store_role_set_perms(store_tx *tx, int64_t role_id, const char **perms, size_t n)
{
    static const char del[] = "DELETE FROM role_perm WHERE role_id = ?";
    static const char ins[] = "INSERT INTO role_perm(role_id, perm) VALUES (?, ?)"
                              " ON CONFLICT DO NOTHING";
    sq_stmt *st = sq_prep(tx, del);
    sq_bind(st, "i", role_id);
    err_code e = sq_exec(tx, st);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        st = sq_prep(tx, ins);
        sq_bind(st, "is", role_id, perms[i]);
        e = sq_exec(tx, st);
    }
    return e;
}

err_code store_role_insert(store_tx *tx, store_role *r)
{
    static const char sql[] =
        "INSERT INTO role(name, title, builtin) VALUES (?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssi", r->name, r->title, (int64_t)r->builtin);
    err_code e = sq_insert(tx, st, &r->id);
    if (e != E_OK) return e;
    return store_role_set_perms(tx, r->id, r->perms, r->nperms);
}

static err_code load_perms(store_tx *tx, arena *a, store_role *r)
{
    static const char sql[] = "SELECT perm FROM role_perm WHERE role_id = ? ORDER BY perm";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", r->id);
    size_t cap = 0;
    r->nperms = 0;
    r->perms = NULL;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        *(const char **)sq_push(a, (void **)&r->perms, &r->nperms, &cap, sizeof(char *)) =
            sq_text(a, st, 0);
    sq_reset(st);
    return (err_code)rc;
}

static void read_role(arena *a, sq_stmt *st, void *row)
{
    store_role *r = row;
    r->id = sq_int(st, 0);
    r->name = sq_text(a, st, 1);
    r->title = sq_text(a, st, 2);
    r->builtin = sq_int(st, 3);
}

err_code store_role_by_name(store_tx *tx, arena *a, const char *name, store_role *out)
{
    static const char sql[] = "SELECT id, name, title, builtin FROM role WHERE name = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", name);
    err_code e = sq_one(tx, a, st, read_role, out);
    return e == E_OK ? load_perms(tx, a, out) : e;
}

err_code store_role_list(store_tx *tx, arena *a, store_role **out, size_t *n)
{
    static const char sql[] = "SELECT id, name, title, builtin FROM role ORDER BY id";
    sq_stmt *st = sq_prep(tx, sql);
    err_code e = sq_collect(tx, a, st, sizeof(store_role), read_role, (void **)out, n);
    for (size_t i = 0; e == E_OK && i < *n; i++)
        e = load_perms(tx, a, &(*out)[i]);
    return e;
}

/* ---- grants ---- */

#define GRANT_COLS                                                                                 \
    "g.id, g.user_id, g.role_id, g.unit_id, g.created_at, s.login, r.name, n.name, n.path,"        \
    " g.created_by"
#define GRANT_FROM                                                                                 \
    " FROM user_grant g JOIN \"user\" s ON s.id = g.user_id JOIN role r ON r.id = g.role_id"       \
    " JOIN unit n ON n.id = g.unit_id"

static void read_grant(arena *a, sq_stmt *st, void *row)
{
    store_grant *g = row;
    g->id = sq_int(st, 0);
    g->user_id = sq_int(st, 1);
    g->role_id = sq_int(st, 2);
    g->unit_id = sq_int(st, 3);
    g->created_at = sq_int(st, 4);
    g->user_login = sq_text(a, st, 5);
    g->role_name = sq_text(a, st, 6);
    g->unit_name = sq_text(a, st, 7);
    g->unit_path = sq_text(a, st, 8);
    g->created_by = sq_text(a, st, 9);
}

err_code store_grant_insert(store_tx *tx, store_grant *g)
{
    static const char sql[] = "INSERT INTO user_grant(user_id, role_id, unit_id, created_at,"
                              " created_by) VALUES (?, ?, ?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiiis", g->user_id, g->role_id, g->unit_id, g->created_at, g->created_by);
    return sq_insert(tx, st, &g->id);
}

err_code store_grant_get(store_tx *tx, arena *a, int64_t id, store_grant *out)
{
    static const char sql[] = "SELECT " GRANT_COLS GRANT_FROM " WHERE g.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_grant, out);
}

err_code store_grant_delete(store_tx *tx, int64_t id)
{
    static const char sql[] = "DELETE FROM user_grant WHERE id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_exec_some(tx, st, E_NOT_FOUND);
}

err_code store_grant_list(store_tx *tx, arena *a, int64_t user_id, const char *scope,
                          store_grant **out, size_t *n)
{
    static const char sql[] = "SELECT " GRANT_COLS GRANT_FROM
                              " JOIN unit su ON su.id = s.unit_id WHERE {in_scope su.path}"
                              " AND (?2 = 0 OR g.user_id = ?2) ORDER BY s.login, g.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "si", scope, user_id);
    return sq_collect(tx, a, st, sizeof(store_grant), read_grant, (void **)out, n);
}

/* One row of store_user_perms. */
static void read_user_perms(arena *a, sq_stmt *st, void *row)
{
    store_perm_scope *p = row;
    p->perm = sq_text(a, st, 0);
    p->path = sq_text(a, st, 1);
}

err_code store_user_perms(store_tx *tx, arena *a, int64_t user_id, store_perm_scope **out,
                          size_t *n)
{
    static const char sql[] = "SELECT DISTINCT p.perm, n.path FROM user_grant g"
                              " JOIN role_perm p ON p.role_id = g.role_id"
                              " JOIN unit n ON n.id = g.unit_id WHERE g.user_id = ?"
                              " ORDER BY p.perm, n.path";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    return sq_collect(tx, a, st, sizeof(store_perm_scope), read_user_perms, (void **)out, n);
}

/* ---- failed-login counts ---- */

err_code store_throttle_count(store_tx *tx, const char *scope, int64_t user_id, int64_t now,
                              int64_t window_start, store_throttle *out)
{
    static const char up[] =
        "INSERT INTO login_throttle(scope, user_id, failures, since, blocked_until)"
        " VALUES (?1, ?2, 1, ?3, 0) ON CONFLICT (scope) DO UPDATE SET"
        " failures = CASE WHEN login_throttle.since <= ?4 AND login_throttle.blocked_until <= ?3"
        " THEN 1 ELSE login_throttle.failures + 1 END,"
        " since = CASE WHEN login_throttle.since <= ?4 AND login_throttle.blocked_until <= ?3"
        " THEN ?3 ELSE login_throttle.since END";
    static const char get[] =
        "SELECT failures, since, blocked_until FROM login_throttle WHERE scope = ?";
    sq_stmt *st = sq_prep(tx, up);
    sq_bind(st, "s", scope);
    sq_bind_ref(st, 2, user_id);
    sq_bind_int(st, 3, now);
    sq_bind_int(st, 4, window_start);
    err_code e = sq_exec(tx, st);
    if (e != E_OK) return e;
    st = sq_prep(tx, get);
    sq_bind(st, "s", scope);
    int rc = sq_step(st);
    if (rc == SQ_ROW) {
        out->failures = sq_int(st, 0);
        out->since = sq_int(st, 1);
        out->blocked_until = sq_int(st, 2);
    }
    sq_reset(st);
    return rc == SQ_ROW ? E_OK : rc == SQ_DONE ? E_INTERNAL : (err_code)rc;
}

err_code store_throttle_set(store_tx *tx, const char *scope, const store_throttle *t)
{
    static const char sql[] =
        "UPDATE login_throttle SET failures = ?, since = ?, blocked_until = ? WHERE scope = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiis", t->failures, t->since, t->blocked_until, scope);
    return sq_exec(tx, st);
}

err_code store_throttle_blocked_until(store_tx *tx, const char *scope, int64_t *until)
{
    static const char sql[] = "SELECT blocked_until FROM login_throttle WHERE scope = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", scope);
    return sq_int_or(tx, st, 0, until);
}

err_code store_throttle_delete(store_tx *tx, const char *scope)
{
    static const char sql[] = "DELETE FROM login_throttle WHERE scope = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", scope);
    return sq_exec(tx, st);
}

err_code store_throttle_user_blocks(store_tx *tx, int64_t user_id, int64_t now, int64_t *n)
{
    static const char sql[] =
        "SELECT count(*) FROM login_throttle WHERE user_id = ? AND blocked_until > ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", user_id, now);
    return sq_count(tx, st, n);
}

err_code store_throttle_delete_user(store_tx *tx, int64_t user_id, int64_t now, int64_t *n)
{
    static const char sql[] = "DELETE FROM login_throttle WHERE user_id = ?";
    err_code e = n ? store_throttle_user_blocks(tx, user_id, now, n) : E_OK;
    if (e != E_OK) return e;
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    return sq_exec(tx, st);
}

err_code store_throttle_prune(store_tx *tx, int64_t window_start, int64_t now)
{
    static const char sql[] =
        "DELETE FROM login_throttle WHERE since <= ? AND blocked_until <= ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", window_start, now);
    return sq_exec(tx, st);
}

/* ---- sessions ---- */

err_code store_session_insert(store_tx *tx, const store_session *s)
{
    /* csrf stays empty: the token is derived from the session id (auth/secret.h), never kept */
    static const char sql[] = "INSERT INTO session(token_hash, user_id, csrf, created_at,"
                              " last_seen, ip, user_agent) VALUES (?, ?, '', ?, ?, ?, ?)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "biiiss", s->token_hash, 32, s->user_id, s->created_at, s->last_seen, s->ip,
            s->user_agent ? s->user_agent : "");
    return sq_exec(tx, st);
}

/* One row of store_session_get (all but the hash, which the caller has). */
static void read_session(arena *a, sq_stmt *st, void *row)
{
    store_session *s = row;
    s->user_id = sq_int(st, 0);
    s->created_at = sq_int(st, 1);
    s->last_seen = sq_int(st, 2);
    s->ip = sq_text(a, st, 3);
    s->user_agent = sq_text(a, st, 4);
}

err_code store_session_get(store_tx *tx, arena *a, const unsigned char hash[32], store_session *out)
{
    static const char sql[] = "SELECT user_id, created_at, last_seen, ip, user_agent FROM session"
                              " WHERE token_hash = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "b", hash, 32);
    err_code e = sq_one(tx, a, st, read_session, out);
    if (e == E_OK) out->token_hash = hash;
    return e;
}

err_code store_session_touch(store_tx *tx, const unsigned char hash[32], int64_t at)
{
    static const char sql[] = "UPDATE session SET last_seen = ? WHERE token_hash = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ib", at, hash, 32);
    return sq_exec(tx, st);
}

err_code store_session_delete(store_tx *tx, const unsigned char hash[32])
{
    static const char sql[] = "DELETE FROM session WHERE token_hash = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "b", hash, 32);
    return sq_exec(tx, st);
}

err_code store_session_delete_user(store_tx *tx, int64_t user_id)
{
    static const char sql[] = "DELETE FROM session WHERE user_id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    return sq_exec(tx, st);
}

/* ---- API tokens ---- */

static void read_token(arena *a, sq_stmt *st, void *row)
{
    store_token *t = row;
    t->id = sq_int(st, 0);
    t->user_id = sq_int(st, 1);
    t->name = sq_text(a, st, 2);
    t->created_at = sq_int(st, 3);
    t->last_used = sq_int(st, 4);
    t->revoked_at = sq_int(st, 5);
}

err_code store_token_insert(store_tx *tx, store_token *t, const unsigned char hash[32])
{
    static const char sql[] = "INSERT INTO api_token(user_id, name, token_hash, created_at)"
                              " VALUES (?, ?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isbi", t->user_id, t->name, hash, 32, t->created_at);
    return sq_insert(tx, st, &t->id);
}

err_code store_token_by_hash(store_tx *tx, arena *a, const unsigned char hash[32], store_token *out)
{
    static const char sql[] = "SELECT id, user_id, name, created_at, last_used, revoked_at"
                              " FROM api_token WHERE token_hash = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "b", hash, 32);
    return sq_one(tx, a, st, read_token, out);
}

err_code store_token_list(store_tx *tx, arena *a, int64_t user_id, store_token **out, size_t *n)
{
    static const char sql[] = "SELECT id, user_id, name, created_at, last_used, revoked_at"
                              " FROM api_token WHERE user_id = ? ORDER BY id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    return sq_collect(tx, a, st, sizeof(store_token), read_token, (void **)out, n);
}

err_code store_token_revoke(store_tx *tx, int64_t id, int64_t user_id, int64_t at)
{
    static const char sql[] = "UPDATE api_token SET revoked_at = ? WHERE id = ? AND user_id = ?"
                              " AND revoked_at = 0";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iii", at, id, user_id);
    return sq_exec_some(tx, st, E_NOT_FOUND);
}

/* A row of store_session_list: read_session's columns and then the hash. */
static void read_session_row(arena *a, sq_stmt *st, void *row)
{
    store_session *s = row;
    read_session(a, st, row);
    size_t n;
    const void *hash = sq_blob(st, 5, &n);
    unsigned char *copy = arena_alloc(a, 32);
    memset(copy, 0, 32);
    if (hash) memcpy(copy, hash, n < 32 ? n : 32);
    s->token_hash = copy;
}

err_code store_session_list(store_tx *tx, arena *a, int64_t user_id, store_session **out,
                            size_t *n)
{
    static const char sql[] = "SELECT user_id, created_at, last_seen, ip, user_agent, token_hash"
                              " FROM session WHERE user_id = ? ORDER BY last_seen DESC, created_at DESC";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    return sq_collect(tx, a, st, sizeof(store_session), read_session_row, (void **)out, n);
}

err_code store_session_trim(store_tx *tx, int64_t user_id, int64_t keep, int64_t *deleted)
{
    static const char sql[] =
        "DELETE FROM session WHERE user_id = ?1 AND token_hash NOT IN (SELECT token_hash FROM"
        " session WHERE user_id = ?1 ORDER BY last_seen DESC, created_at DESC LIMIT ?2)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", user_id, keep);
    err_code e = sq_exec(tx, st);
    *deleted = e == E_OK ? sq_changes(tx) : 0;
    return e;
}

err_code store_session_delete_user_except(store_tx *tx, int64_t user_id, const unsigned char *keep)
{
    static const char sql[] = "DELETE FROM session WHERE user_id = ?1 AND"
                              " (?2 IS NULL OR token_hash <> ?2)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    if (keep) sq_bind_blob(st, 2, keep, 32);
    return sq_exec(tx, st);
}

err_code store_token_revoke_user(store_tx *tx, int64_t user_id, int64_t at)
{
    static const char sql[] = "UPDATE api_token SET revoked_at = ? WHERE user_id = ? AND"
                              " revoked_at = 0";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", at, user_id);
    return sq_exec(tx, st);
}

err_code store_token_touch(store_tx *tx, int64_t id, int64_t at)
{
    static const char sql[] = "UPDATE api_token SET last_used = ? WHERE id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", at, id);
    return sq_exec(tx, st);
}
