/* store_auth — SQL for roles and their permissions, grants, sessions and API tokens. */
#include "store/store_int.h"

#include <string.h>

/* ---- roles ---- */

err_code store_role_set_perms(store_tx *tx, int64_t role_id, const char **perms, size_t n)
{
    static const char del[] = "DELETE FROM role_perm WHERE role_id = ?";
    static const char ins[] = "INSERT OR IGNORE INTO role_perm(role_id, perm) VALUES (?, ?)";
    sqlite3_stmt *st = sq_prep(tx, del);
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
    static const char sql[] = "INSERT INTO role(name, title, builtin) VALUES (?, ?, ?)";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssi", r->name, r->title, (int64_t)r->builtin);
    err_code e = sq_exec(tx, st);
    if (e != E_OK) return e;
    r->id = sqlite3_last_insert_rowid(sq_db(tx));
    return store_role_set_perms(tx, r->id, r->perms, r->nperms);
}

static err_code load_perms(store_tx *tx, arena *a, store_role *r)
{
    static const char sql[] = "SELECT perm FROM role_perm WHERE role_id = ? ORDER BY perm";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", r->id);
    size_t cap = 0;
    r->nperms = 0;
    r->perms = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        *(const char **)sq_push(a, (void **)&r->perms, &r->nperms, &cap, sizeof(char *)) =
            sq_text(a, st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? E_OK : sq_err(tx, rc);
}

static void read_role(arena *a, sqlite3_stmt *st, void *row)
{
    store_role *r = row;
    r->id = sqlite3_column_int64(st, 0);
    r->name = sq_text(a, st, 1);
    r->title = sq_text(a, st, 2);
    r->builtin = sqlite3_column_int(st, 3);
}

err_code store_role_by_name(store_tx *tx, arena *a, const char *name, store_role *out)
{
    static const char sql[] = "SELECT id, name, title, builtin FROM role WHERE name = ?";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", name);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? E_NOT_FOUND : sq_err(tx, rc);
    }
    read_role(a, st, out);
    sqlite3_reset(st);
    return load_perms(tx, a, out);
}

err_code store_role_list(store_tx *tx, arena *a, store_role **out, size_t *n)
{
    static const char sql[] = "SELECT id, name, title, builtin FROM role ORDER BY id";
    sqlite3_stmt *st = sq_prep(tx, sql);
    err_code e = sq_collect(tx, a, st, sizeof(store_role), read_role, (void **)out, n);
    for (size_t i = 0; e == E_OK && i < *n; i++) e = load_perms(tx, a, &(*out)[i]);
    return e;
}

/* ---- grants ---- */

#define GRANT_COLS                                                                                 \
    "g.id, g.user_id, g.role_id, g.unit_id, g.created_at, s.login, r.name, n.name, n.path,"       \
    " g.created_by"
#define GRANT_FROM                                                                                 \
    " FROM user_grant g JOIN user s ON s.id = g.user_id JOIN role r ON r.id = g.role_id"          \
    " JOIN unit n ON n.id = g.unit_id"

static void read_grant(arena *a, sqlite3_stmt *st, void *row)
{
    store_grant *g = row;
    g->id = sqlite3_column_int64(st, 0);
    g->user_id = sqlite3_column_int64(st, 1);
    g->role_id = sqlite3_column_int64(st, 2);
    g->unit_id = sqlite3_column_int64(st, 3);
    g->created_at = sqlite3_column_int64(st, 4);
    g->user_login = sq_text(a, st, 5);
    g->role_name = sq_text(a, st, 6);
    g->unit_name = sq_text(a, st, 7);
    g->unit_path = sq_text(a, st, 8);
    g->created_by = sq_text(a, st, 9);
}

err_code store_grant_insert(store_tx *tx, store_grant *g)
{
    static const char sql[] = "INSERT INTO user_grant(user_id, role_id, unit_id, created_at,"
                              " created_by) VALUES (?, ?, ?, ?, ?)";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiiis", g->user_id, g->role_id, g->unit_id, g->created_at, g->created_by);
    err_code e = sq_exec(tx, st);
    if (e == E_OK) g->id = sqlite3_last_insert_rowid(sq_db(tx));
    return e;
}

err_code store_grant_get(store_tx *tx, arena *a, int64_t id, store_grant *out)
{
    static const char sql[] = "SELECT " GRANT_COLS GRANT_FROM " WHERE g.id = ?";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_grant(a, st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? E_OK : rc == SQLITE_DONE ? E_NOT_FOUND : sq_err(tx, rc);
}

err_code store_grant_delete(store_tx *tx, int64_t id)
{
    static const char sql[] = "DELETE FROM user_grant WHERE id = ?";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    err_code e = sq_exec(tx, st);
    if (e == E_OK && sqlite3_changes(sq_db(tx)) == 0) e = E_NOT_FOUND;
    return e;
}

err_code store_grant_list(store_tx *tx, arena *a, int64_t user_id, const char *scope,
                          store_grant **out, size_t *n)
{
    static const char sql[] = "SELECT " GRANT_COLS GRANT_FROM
                              " JOIN unit su ON su.id = s.unit_id WHERE " IN_SCOPE("su.path")
                              " AND (?2 = 0 OR g.user_id = ?2) ORDER BY s.login, g.id";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "si", scope, user_id);
    return sq_collect(tx, a, st, sizeof(store_grant), read_grant, (void **)out, n);
}

/* One row of store_user_perms. */
static void read_user_perms(arena *a, sqlite3_stmt *st, void *row)
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
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    return sq_collect(tx, a, st, sizeof(store_perm_scope), read_user_perms, (void **)out, n);
}

/* ---- sessions ---- */

err_code store_session_insert(store_tx *tx, const store_session *s)
{
    static const char sql[] = "INSERT INTO session(token_hash, user_id, csrf, created_at,"
                              " last_seen, ip) VALUES (?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "bisiis", s->token_hash, 32, s->user_id, s->csrf, s->created_at, s->last_seen,
            s->ip);
    return sq_exec(tx, st);
}

err_code store_session_get(store_tx *tx, arena *a, const unsigned char hash[32],
                           store_session *out)
{
    static const char sql[] = "SELECT user_id, csrf, created_at, last_seen, ip FROM session"
                              " WHERE token_hash = ?";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "b", hash, 32);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->token_hash = hash;
        out->user_id = sqlite3_column_int64(st, 0);
        out->csrf = sq_text(a, st, 1);
        out->created_at = sqlite3_column_int64(st, 2);
        out->last_seen = sqlite3_column_int64(st, 3);
        out->ip = sq_text(a, st, 4);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? E_OK : rc == SQLITE_DONE ? E_NOT_FOUND : sq_err(tx, rc);
}

err_code store_session_touch(store_tx *tx, const unsigned char hash[32], int64_t at)
{
    static const char sql[] = "UPDATE session SET last_seen = ? WHERE token_hash = ?";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ib", at, hash, 32);
    return sq_exec(tx, st);
}

err_code store_session_delete(store_tx *tx, const unsigned char hash[32])
{
    static const char sql[] = "DELETE FROM session WHERE token_hash = ?";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "b", hash, 32);
    return sq_exec(tx, st);
}

err_code store_session_delete_user(store_tx *tx, int64_t user_id)
{
    static const char sql[] = "DELETE FROM session WHERE user_id = ?";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    return sq_exec(tx, st);
}

/* ---- API tokens ---- */

static void read_token(arena *a, sqlite3_stmt *st, void *row)
{
    store_token *t = row;
    t->id = sqlite3_column_int64(st, 0);
    t->user_id = sqlite3_column_int64(st, 1);
    t->name = sq_text(a, st, 2);
    t->created_at = sqlite3_column_int64(st, 3);
    t->last_used = sqlite3_column_int64(st, 4);
    t->revoked_at = sqlite3_column_int64(st, 5);
}

err_code store_token_insert(store_tx *tx, store_token *t, const unsigned char hash[32])
{
    static const char sql[] = "INSERT INTO api_token(user_id, name, token_hash, created_at)"
                              " VALUES (?, ?, ?, ?)";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isbi", t->user_id, t->name, hash, 32, t->created_at);
    err_code e = sq_exec(tx, st);
    if (e == E_OK) t->id = sqlite3_last_insert_rowid(sq_db(tx));
    return e;
}

err_code store_token_by_hash(store_tx *tx, arena *a, const unsigned char hash[32],
                             store_token *out)
{
    static const char sql[] = "SELECT id, user_id, name, created_at, last_used, revoked_at"
                              " FROM api_token WHERE token_hash = ?";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "b", hash, 32);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) read_token(a, st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? E_OK : rc == SQLITE_DONE ? E_NOT_FOUND : sq_err(tx, rc);
}

err_code store_token_list(store_tx *tx, arena *a, int64_t user_id, store_token **out, size_t *n)
{
    static const char sql[] = "SELECT id, user_id, name, created_at, last_used, revoked_at"
                              " FROM api_token WHERE user_id = ? ORDER BY id";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    return sq_collect(tx, a, st, sizeof(store_token), read_token, (void **)out, n);
}

err_code store_token_revoke(store_tx *tx, int64_t id, int64_t user_id, int64_t at)
{
    static const char sql[] = "UPDATE api_token SET revoked_at = ? WHERE id = ? AND user_id = ?"
                              " AND revoked_at = 0";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iii", at, id, user_id);
    err_code e = sq_exec(tx, st);
    if (e == E_OK && sqlite3_changes(sq_db(tx)) == 0) e = E_NOT_FOUND;
    return e;
}

err_code store_session_delete_user_except(store_tx *tx, int64_t user_id,
                                          const unsigned char *keep)
{
    static const char sql[] = "DELETE FROM session WHERE user_id = ?1 AND"
                              " (?2 IS NULL OR token_hash <> ?2)";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", user_id);
    if (keep) sqlite3_bind_blob(st, 2, keep, 32, SQLITE_TRANSIENT);
    return sq_exec(tx, st);
}

err_code store_token_revoke_user(store_tx *tx, int64_t user_id, int64_t at)
{
    static const char sql[] = "UPDATE api_token SET revoked_at = ? WHERE user_id = ? AND"
                              " revoked_at = 0";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", at, user_id);
    return sq_exec(tx, st);
}

err_code store_token_touch(store_tx *tx, int64_t id, int64_t at)
{
    static const char sql[] = "UPDATE api_token SET last_used = ? WHERE id = ?";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", at, id);
    return sq_exec(tx, st);
}
