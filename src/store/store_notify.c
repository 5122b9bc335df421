/*
 * store_notify — SQL for notifications (every mechanism's) and for finding who holds a
 * permission over a unit (the recipients of a notification).
 */
#include "store/sq.h"

static store_notification_hook added_hook;

void store_notification_set_hook(store_notification_hook hook)
{
    added_hook = hook;
}

err_code store_notification_add(store_tx *tx, const store_notification *n, const char *dedupe,
                                int *added)
{
    static const char sql[] = "INSERT INTO notification(user_id, kind, flow, item_id, title, body,"
                              " dedupe, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                              " ON CONFLICT DO NOTHING";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ississsi", n->user_id, n->kind, n->flow, n->item_id, n->title,
            n->body ? n->body : "", dedupe, n->created_at);
    err_code e = sq_exec(tx, st);
    *added = e == E_OK && sq_changes(tx) == 1;
    if (*added && added_hook) e = added_hook(tx, n, dedupe);
    return e;
}

static void read_notification(arena *a, sq_stmt *st, void *row)
{
    store_notification *x = row;
    x->id = sq_int(st, 0);
    x->user_id = sq_int(st, 1);
    x->item_id = sq_int(st, 2);
    x->created_at = sq_int(st, 3);
    x->read_at = sq_int(st, 4);
    x->kind = sq_text(a, st, 5);
    x->flow = sq_text(a, st, 6);
    x->title = sq_text(a, st, 7);
    x->body = sq_text(a, st, 8);
}

err_code store_notification_list(store_tx *tx, arena *a, int64_t user_id, int unread_only,
                                 int64_t limit, int64_t offset, store_notification **out, size_t *n,
                                 int64_t *unread)
{
    static const char count_sql[] = "SELECT count(*) FROM notification WHERE user_id = ? AND"
                                    " read_at IS NULL";
    static const char sql[] = "SELECT id, user_id, item_id, created_at, coalesce(read_at, 0), kind,"
                              " flow, title, body FROM notification WHERE user_id = ?1 AND"
                              " (?2 = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT ?3 OFFSET ?4";
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "i", user_id);
    err_code e = sq_count(tx, st, unread);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "iiii", user_id, (int64_t)unread_only, limit, offset);
    return sq_collect(tx, a, st, sizeof(store_notification), read_notification, (void **)out, n);
}

err_code store_notification_read(store_tx *tx, int64_t user_id, int64_t id, int64_t at)
{
    static const char sql[] = "UPDATE notification SET read_at = ?1 WHERE user_id = ?2 AND"
                              " read_at IS NULL AND (?3 = 0 OR id = ?3)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iii", at, user_id, id);
    return sq_exec(tx, st);
}

static void read_id(arena *a, sq_stmt *st, void *row)
{
    (void)a;
    *(int64_t *)row = sq_int(st, 0);
}

err_code store_users_with_perm(store_tx *tx, arena *a, const char *perm, const char *unit_path,
                               int64_t member_of, int64_t **ids, size_t *n)
{
    static const char sql[] =
        /* The grants on the unit's ancestors, found by their paths (every prefix of ?2 that
         * ends in '/', made by the recursive `pre`) through unit's path index and
         * user_grant_unit: reading every grant instead made each call cost a scan of all
         * grants, and the scheduler calls this once per problem it notifies about. */
        "WITH RECURSIVE pre(path, rest) AS (SELECT '/', substr(?2, 2) UNION ALL"
        " SELECT path || substr(rest, 1, {instr rest, '/'}),"
        " substr(rest, {instr rest, '/'} + 1) FROM pre WHERE {instr rest, '/'} > 0)"
        " SELECT DISTINCT s.id FROM pre JOIN unit gu ON gu.path = pre.path"
        " JOIN user_grant g ON g.unit_id = gu.id JOIN role_perm rp ON rp.role_id = g.role_id"
        " JOIN \"user\" s ON s.id = g.user_id WHERE rp.perm = ?1"
        " AND (?3 = 0 OR s.unit_id = ?3) AND s.disabled = 0 ORDER BY s.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssi", perm, unit_path, member_of);
    return sq_collect(tx, a, st, sizeof(int64_t), read_id, (void **)ids, n);
}
