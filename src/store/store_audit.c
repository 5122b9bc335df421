/* store_audit — SQL for the audit chain: append, walk in order, and filtered pages; and the
 * chains of counties moved in, kept as they were (audit_archive). */
#include "store/sq.h"

/* The chain's append lock: one chain per database, however many instances write to it. */
enum { AUDIT_CHAIN_LOCK = 0x64756261 /* "duba" */ };

err_code store_audit_last(store_tx *tx, arena *a, int64_t *seq, const char **mac)
{
    static const char sql[] = "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1";
    /* Held until the transaction ends, so the record appended on this head is the next one;
     * taken only now, just before the append, so the lock is held as briefly as it can be. */
    err_code e = sq_lock(tx, AUDIT_CHAIN_LOCK);
    if (e != E_OK) return e;
    sq_stmt *st = sq_prep(tx, sql);
    int rc = sq_step(st);
    *seq = 0;
    *mac = "";
    if (rc == SQ_ROW) {
        *seq = sq_int(st, 0);
        *mac = sq_text(a, st, 1);
    }
    sq_reset(st);
    return rc == SQ_ROW ? E_OK : (err_code)rc;
}

err_code store_audit_insert(store_tx *tx, const store_audit *r)
{
    static const char sql[] = "INSERT INTO audit(seq, at, actor_id, actor, action, object, detail,"
                              " prev, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiissssss", r->seq, r->at, r->actor_id, r->actor, r->action, r->object, r->detail,
            r->prev, r->mac);
    sq_bind_ref(st, 3, r->actor_id); /* 0 binds NULL: no user account */
    return sq_exec(tx, st);
}

#define AUDIT_COLS "seq, at, coalesce(actor_id, 0), actor, action, object, detail, prev, mac"

/* Reads a row without copying: the pointers live until the next step. */
static void read_audit_view(sq_stmt *st, store_audit *r)
{
    r->seq = sq_int(st, 0);
    r->at = sq_int(st, 1);
    r->actor_id = sq_int(st, 2);
    const char **f[] = {&r->actor, &r->action, &r->object, &r->detail, &r->prev, &r->mac};
    for (int i = 0; i < 6; i++)
        *f[i] = sq_text_peek(st, 3 + i);
}

/* Steps st, calling fn for each record until it returns non-zero; resets st. */
static err_code each_record(sq_stmt *st, int (*fn)(const store_audit *r, void *ctx), void *ctx)
{
    int rc;
    store_audit r;
    while ((rc = sq_step(st)) == SQ_ROW) {
        read_audit_view(st, &r);
        if (fn(&r, ctx)) {
            rc = SQ_DONE;
            break;
        }
    }
    sq_reset(st);
    return (err_code)rc;
}

err_code store_audit_each(store_tx *tx, int (*fn)(const store_audit *r, void *ctx), void *ctx)
{
    static const char sql[] = "SELECT " AUDIT_COLS " FROM audit ORDER BY seq";
    sq_stmt *st = sq_prep(tx, sql);
    return each_record(st, fn, ctx);
}

err_code store_audit_archive_insert(store_tx *tx, int64_t move_id, const store_audit *r)
{
    static const char sql[] =
        "INSERT INTO audit_archive(move_id, seq, at, actor_id, actor, action, object, detail,"
        " prev, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiiissssss", move_id, r->seq, r->at, r->actor_id, r->actor, r->action, r->object,
            r->detail, r->prev, r->mac);
    sq_bind_ref(st, 4, r->actor_id);
    return sq_exec(tx, st);
}

err_code store_audit_archive_each(store_tx *tx, int64_t move_id,
                                  int (*fn)(const store_audit *r, void *ctx), void *ctx)
{
    static const char sql[] =
        "SELECT " AUDIT_COLS " FROM audit_archive WHERE move_id = ?1 ORDER BY seq";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, move_id);
    return each_record(st, fn, ctx);
}

err_code store_audit_list(store_tx *tx, arena *a, const store_audit_filter *f, store_audit **out,
                          size_t *n)
{
    static const char sql[] =
        "SELECT " AUDIT_COLS " FROM audit WHERE (?1 IS NULL OR actor = ?1)"
        " AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR substr(object, 1, length(?3)) = ?3)"
        " AND (?4 = 0 OR at >= ?4) AND (?5 = 0 OR at < ?5) AND (?6 = 0 OR seq < ?6)"
        " ORDER BY seq DESC LIMIT ?7";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sssiiii", f->actor, f->action, f->object, f->from, f->to, f->before, f->limit);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
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
    sq_reset(st);
    return (err_code)rc;
}
