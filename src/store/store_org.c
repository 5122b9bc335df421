/*
 * store_org — SQL for the org tree (units and their history), users and meta values.
 *
 * A unit's path is the list of ids from the root, '/1/5/12/'. A subtree is every path with the
 * unit's path as prefix; because '/' sorts just below '0', that is the index range
 * [path, path with its last '/' replaced by '0').
 */
#include "store/sq.h"

#include <stdio.h>
#include <string.h>

static void read_meta_value(arena *a, sq_stmt *st, void *row)
{
    *(const char **)row = sq_text(a, st, 0);
}

err_code store_meta_get(store_tx *tx, arena *a, const char *key, const char **value)
{
    static const char sql[] = "SELECT value FROM meta WHERE key = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", key);
    return sq_one(tx, a, st, read_meta_value, value);
}

err_code store_meta_set(store_tx *tx, const char *key, const char *value)
{
    static const char sql[] = "INSERT INTO meta(key, value) VALUES (?, ?)"
                              " ON CONFLICT(key) DO UPDATE SET value = excluded.value";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ss", key, value);
    return sq_exec(tx, st);
}

/* ---- units ---- */

#define UNIT_COLS                                                                                  \
    "u.id, coalesce(u.parent_id, 0), u.kind, u.code, u.name, u.path, u.created_at, u.version"

static void read_unit(arena *a, sq_stmt *st, void *row)
{
    store_unit *u = row;
    u->id = sq_int(st, 0);
    u->parent_id = sq_int(st, 1);
    u->kind = sq_text(a, st, 2);
    u->code = sq_text(a, st, 3);
    u->name = sq_text(a, st, 4);
    u->path = sq_text(a, st, 5);
    u->created_at = sq_int(st, 6);
    u->version = sq_int(st, 7);
}

err_code store_unit_insert(store_tx *tx, arena *a, store_unit *u)
{
    const char *parent_path = "/";
    if (u->parent_id) {
        store_unit parent;
        err_code e = store_unit_get(tx, a, u->parent_id, &parent);
        if (e != E_OK) return e == E_NOT_FOUND ? E_FIELD_INVALID : e;
        parent_path = parent.path;
    }
    /* Insert with a placeholder path, then set it from the new id. */
    static const char ins[] = "INSERT INTO unit(parent_id, kind, code, name, path, created_at)"
                              " VALUES (nullif(?, 0), ?, ?, ?, '?' || ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, ins);
    sq_bind(st, "issssi", u->parent_id, u->kind, u->code, u->name, u->code, u->created_at);
    err_code e = sq_insert(tx, st, &u->id);
    if (e != E_OK) return e;
    u->path = arena_sprintf(a, "%s%lld/", parent_path, (long long)u->id);
    u->version = 1;
    static const char upd[] = "UPDATE unit SET path = ? WHERE id = ?";
    st = sq_prep(tx, upd);
    sq_bind(st, "si", u->path, u->id);
    return sq_exec(tx, st);
}

err_code store_unit_get(store_tx *tx, arena *a, int64_t id, store_unit *out)
{
    static const char sql[] = "SELECT " UNIT_COLS " FROM unit u WHERE u.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_unit, out);
}

err_code store_unit_by_code(store_tx *tx, arena *a, const char *code, store_unit *out)
{
    static const char sql[] = "SELECT " UNIT_COLS " FROM unit u WHERE u.code = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", code);
    return sq_one(tx, a, st, read_unit, out);
}

err_code store_unit_root(store_tx *tx, arena *a, store_unit *out)
{
    static const char sql[] = "SELECT " UNIT_COLS " FROM unit u WHERE u.parent_id IS NULL"
                              " ORDER BY u.id LIMIT 1";
    return sq_one(tx, a, sq_prep(tx, sql), read_unit, out);
}

err_code store_unit_list(store_tx *tx, arena *a, const char *scope, int64_t parent_id,
                         store_unit **out, size_t *n)
{
    static const char sql[] = "SELECT " UNIT_COLS " FROM unit u WHERE {in_scope u.path}"
                              " AND (?2 = 0 OR u.parent_id = ?2) ORDER BY u.path";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "si", scope, parent_id);
    return sq_collect(tx, a, st, sizeof(store_unit), read_unit, (void **)out, n);
}

err_code store_unit_rename(store_tx *tx, int64_t id, const char *name, int64_t version)
{
    static const char sql[] = "UPDATE unit SET name = ?, version = version + 1"
                              " WHERE id = ? AND (? = 0 OR version = ?)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "siii", name, id, version, version);
    return sq_exec_some(tx, st, E_CONFLICT);
}

err_code store_unit_move(store_tx *tx, arena *a, const store_unit *u, const store_unit *new_parent,
                         int64_t version)
{
    static const char one[] = "UPDATE unit SET parent_id = ?, version = version + 1"
                              " WHERE id = ? AND (? = 0 OR version = ?)";
    sq_stmt *st = sq_prep(tx, one);
    sq_bind(st, "iiii", new_parent->id, u->id, version, version);
    err_code e = sq_exec_some(tx, st, E_CONFLICT);
    if (e != E_OK) return e;
    /* Rewrite the subtree's paths: old prefix → new parent's path + own id. */
    static const char sub[] = "UPDATE unit SET path = ?1 || substr(path, length(?2) + 1)"
                              " WHERE substr(path, 1, length(?2)) = ?2";
    const char *newprefix = arena_sprintf(a, "%s%lld/", new_parent->path, (long long)u->id);
    st = sq_prep(tx, sub);
    sq_bind(st, "ss", newprefix, u->path);
    return sq_exec(tx, st);
}

err_code store_unit_history_add(store_tx *tx, int64_t unit_id, int64_t at, const char *actor,
                                const char *change, const char *old_value, const char *new_value)
{
    static const char sql[] = "INSERT INTO unit_history(unit_id, at, actor, change, old_value,"
                              " new_value) VALUES (?, ?, ?, ?, ?, ?)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iissss", unit_id, at, actor, change, old_value, new_value);
    return sq_exec(tx, st);
}

/* One row of store_unit_history. */
static void read_unit_history(arena *a, sq_stmt *st, void *row)
{
    store_unit_change *c = row;
    c->id = sq_int(st, 0);
    c->at = sq_int(st, 1);
    c->actor = sq_text(a, st, 2);
    c->change = sq_text(a, st, 3);
    c->old_value = sq_text(a, st, 4);
    c->new_value = sq_text(a, st, 5);
}

err_code store_unit_history(store_tx *tx, arena *a, int64_t unit_id, store_unit_change **out,
                            size_t *n)
{
    static const char sql[] = "SELECT id, at, actor, change, coalesce(old_value, ''), new_value"
                              " FROM unit_history WHERE unit_id = ? ORDER BY id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", unit_id);
    return sq_collect(tx, a, st, sizeof(store_unit_change), read_unit_history, (void **)out, n);
}

/* ---- users ---- */

#define USER_COLS                                                                                  \
    "s.id, s.unit_id, s.login, s.name, s.pw_hash, n.name, n.path, s.must_change, s.disabled,"      \
    " s.failed_logins, s.locked_until, s.created_at, s.pw_changed_at, s.version"

static void read_user(arena *a, sq_stmt *st, void *row)
{
    store_user *u = row;
    u->id = sq_int(st, 0);
    u->unit_id = sq_int(st, 1);
    u->login = sq_text(a, st, 2);
    u->name = sq_text(a, st, 3);
    u->pw_hash = sq_text(a, st, 4);
    u->unit_name = sq_text(a, st, 5);
    u->unit_path = sq_text(a, st, 6);
    u->must_change = sq_int(st, 7);
    u->disabled = sq_int(st, 8);
    u->failed_logins = sq_int(st, 9);
    u->locked_until = sq_int(st, 10);
    u->created_at = sq_int(st, 11);
    u->pw_changed_at = sq_int(st, 12);
    u->version = sq_int(st, 13);
}

err_code store_user_insert(store_tx *tx, store_user *u)
{
    static const char sql[] = "INSERT INTO \"user\"(login, name, unit_id, pw_hash, must_change,"
                              " created_at, pw_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                              "{returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssisiii", u->login, u->name, u->unit_id, u->pw_hash, u->must_change, u->created_at,
            u->created_at);
    return sq_insert(tx, st, &u->id);
}

err_code store_user_get(store_tx *tx, arena *a, int64_t id, store_user *out)
{
    static const char sql[] =
        "SELECT " USER_COLS " FROM \"user\" s JOIN unit n ON n.id = s.unit_id WHERE s.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_user, out);
}

err_code store_user_by_login(store_tx *tx, arena *a, const char *login, store_user *out)
{
    static const char sql[] =
        "SELECT " USER_COLS " FROM \"user\" s JOIN unit n ON n.id = s.unit_id WHERE s.login = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", login);
    return sq_one(tx, a, st, read_user, out);
}

err_code store_user_list(store_tx *tx, arena *a, const store_user_filter *f, store_user **out,
                         size_t *n, int64_t *total)
{
    /* ?2: the subtree path of unit_id, or NULL for any unit in scope. */
#define USER_WHERE                                                                                 \
    " FROM \"user\" s JOIN unit n ON n.id = s.unit_id WHERE {in_scope n.path}"                     \
    " AND {in_subtree n.path}"                                                                     \
    " AND (?3 IS NULL OR {instr s.login, ?3} > 0 OR {instr s.name, ?3} > 0)"
    static const char count_sql[] = "SELECT count(*)" USER_WHERE;
    static const char sql[] = "SELECT " USER_COLS USER_WHERE " ORDER BY n.path, s.login"
                              " LIMIT ?4 OFFSET ?5";
    const char *subtree = NULL;
    err_code e;
    if (f->unit_id) {
        store_unit u;
        e = store_unit_get(tx, a, f->unit_id, &u);
        if (e != E_OK) return e;
        subtree = u.path;
    }
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "sss", f->scope, subtree, f->q);
    e = sq_count(tx, st, total);
    if (e != E_OK) return e;

    st = sq_prep(tx, sql);
    sq_bind(st, "sssii", f->scope, subtree, f->q, f->limit, f->offset);
    return sq_collect(tx, a, st, sizeof(store_user), read_user, (void **)out, n);
#undef USER_WHERE
}

/* Keeps the password being replaced in the account's history, and the newest few only. */
static err_code keep_in_history(store_tx *tx, int64_t id, int64_t at)
{
    static const char keep[] = "INSERT INTO password_history(user_id, pw_hash, replaced_at)"
                               " SELECT id, pw_hash, ? FROM \"user\" WHERE id = ?";
    static const char prune[] =
        "DELETE FROM password_history WHERE user_id = ?1 AND id NOT IN (SELECT id FROM"
        " password_history WHERE user_id = ?1 ORDER BY id DESC LIMIT ?2)";
    sq_stmt *st = sq_prep(tx, keep);
    sq_bind(st, "ii", at, id);
    err_code e = sq_exec(tx, st);
    if (e != E_OK) return e;
    st = sq_prep(tx, prune);
    sq_bind_int(st, 1, id);
    sq_bind_int(st, 2, PASSWORD_HISTORY_KEEP);
    return sq_exec(tx, st);
}

err_code store_user_password_history(store_tx *tx, arena *a, int64_t id, const char ***hashes,
                                     size_t *n)
{
    static const char sql[] = "SELECT pw_hash FROM password_history WHERE user_id = ?"
                              " ORDER BY id DESC";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, id);
    size_t cap = 0;
    *hashes = NULL;
    *n = 0;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        const char **h = sq_push(a, (void **)hashes, n, &cap, sizeof *h);
        *h = sq_text(a, st, 0);
    }
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

err_code store_user_set_password(store_tx *tx, int64_t id, const char *pw_hash, int must_change,
                                 int64_t at)
{
    err_code e = keep_in_history(tx, id, at);
    if (e != E_OK) return e;
    static const char sql[] = "UPDATE \"user\" SET pw_hash = ?, must_change = ?, pw_changed_at = ?,"
                              " failed_logins = 0, locked_until = 0, version = version + 1"
                              " WHERE id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "siii", pw_hash, (int64_t)must_change, at, id);
    return sq_exec_some(tx, st, E_NOT_FOUND);
}

err_code store_user_require_change(store_tx *tx, int64_t id)
{
    static const char sql[] = "UPDATE \"user\" SET must_change = 1, version = version + 1"
                              " WHERE id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, id);
    return sq_exec_some(tx, st, E_NOT_FOUND);
}

err_code store_user_set_disabled(store_tx *tx, int64_t id, int disabled)
{
    /* Unlocking also clears a lockout from failed logins. */
    static const char sql[] =
        "UPDATE \"user\" SET disabled = ?1,"
        " failed_logins = CASE WHEN ?1 <> 0 THEN failed_logins ELSE 0 END,"
        " locked_until = CASE WHEN ?1 <> 0 THEN locked_until ELSE 0 END, version = version + 1"
        " WHERE id = ?2";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", (int64_t)disabled, id);
    return sq_exec_some(tx, st, E_NOT_FOUND);
}

err_code store_user_set_login_state(store_tx *tx, int64_t id, int64_t failed_logins,
                                    int64_t locked_until)
{
    static const char sql[] =
        "UPDATE \"user\" SET failed_logins = ?, locked_until = ? WHERE id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iii", failed_logins, locked_until, id);
    return sq_exec_some(tx, st, E_NOT_FOUND);
}
