/* store_audit — SQL for the audit chain: append, walk in order, and filtered pages. */
#include "store/store_int.h"

err_code store_audit_last(store_tx *tx, arena *a, int64_t *seq, const char **mac)
{
    static const char sql[] = "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1";
    sqlite3_stmt *st = sq_prep(tx, sql);
    int rc = sqlite3_step(st);
    *seq = 0;
    *mac = "";
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        *mac = sq_text(a, st, 1);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? E_OK : sq_err(tx, rc);
}

err_code store_audit_insert(store_tx *tx, const store_audit *r)
{
    static const char sql[] = "INSERT INTO audit(seq, at, actor_id, actor, action, object, detail,"
                              " prev, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiisssss", r->seq, r->at, r->actor_id, r->actor, r->action, r->object, r->detail,
            r->prev);
    sqlite3_bind_text(st, 9, r->mac, -1, SQLITE_TRANSIENT);
    if (!r->actor_id) sqlite3_bind_null(st, 3);
    return sq_exec(tx, st);
}

#define AUDIT_COLS "seq, at, coalesce(actor_id, 0), actor, action, object, detail, prev, mac"

/* Reads a row without copying: the pointers live until the next step. */
static void read_audit_view(sqlite3_stmt *st, store_audit *r)
{
    r->seq = sqlite3_column_int64(st, 0);
    r->at = sqlite3_column_int64(st, 1);
    r->actor_id = sqlite3_column_int64(st, 2);
    const char **f[] = {&r->actor, &r->action, &r->object, &r->detail, &r->prev, &r->mac};
    for (int i = 0; i < 6; i++) {
        const unsigned char *s = sqlite3_column_text(st, 3 + i);
        *f[i] = s ? (const char *)s : "";
    }
}

err_code store_audit_each(store_tx *tx, int (*fn)(const store_audit *r, void *ctx), void *ctx)
{
    static const char sql[] = "SELECT " AUDIT_COLS " FROM audit ORDER BY seq";
    sqlite3_stmt *st = sq_prep(tx, sql);
    int rc;
    store_audit r;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_audit_view(st, &r);
        if (fn(&r, ctx)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? E_OK : sq_err(tx, rc);
}

err_code store_audit_list(store_tx *tx, arena *a, const store_audit_filter *f, store_audit **out,
                          size_t *n)
{
    static const char sql[] =
        "SELECT " AUDIT_COLS " FROM audit WHERE (?1 IS NULL OR actor = ?1)"
        " AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR substr(object, 1, length(?3)) = ?3)"
        " AND (?4 = 0 OR at >= ?4) AND (?5 = 0 OR at < ?5) AND (?6 = 0 OR seq < ?6)"
        " ORDER BY seq DESC LIMIT ?7";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sssiiii", f->actor, f->action, f->object, f->from, f->to, f->before, f->limit);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_audit view, *r = sq_push(a, (void **)out, n, &cap, sizeof *r);
        read_audit_view(st, &view);
        *r = view;
        r->actor = arena_strdup(a, view.actor);
        r->action = arena_strdup(a, view.action);
        r->object = arena_strdup(a, view.object);
        r->detail = arena_strdup(a, view.detail);
        r->prev = arena_strdup(a, view.prev);
        r->mac = arena_strdup(a, view.mac);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? E_OK : sq_err(tx, rc);
}
