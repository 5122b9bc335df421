/*
 * store_notify — SQL for notifications, look-back tasks and the scheduler's sweeps over
 * problems (overdue, due soon, unsigned, staged result missing).
 */
#include "store/sq.h"

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

/* One row of a sweep: what the scheduler needs of a problem. */
static void read_sweep_row(arena *a, sq_stmt *st, void *row)
{
    store_problem *p = row;
    p->id = sq_int(st, 0);
    p->title = sq_text(a, st, 1);
    p->unit_id = sq_int(st, 2);
    p->unit_path = sq_text(a, st, 3);
    p->deadline = sq_text(a, st, 4);
    p->sign_by = sq_text(a, st, 5);
    p->staged_due = sq_text(a, st, 6);
    p->leader_user_id = sq_int(st, 7);
    p->state = sq_text(a, st, 8);
}

/* Reads id, title, unit, deadlines of each row into problems (the fields the sweeps need). */
static err_code sweep(store_tx *tx, arena *a, sq_stmt *st, store_problem **out, size_t *n)
{
    return sq_collect(tx, a, st, sizeof(store_problem), read_sweep_row, (void **)out, n);
}

#define SWEEP_COLS                                                                                 \
    "p.id, p.title, p.unit_id, n.path, p.deadline, coalesce(p.sign_by, ''),"                       \
    " coalesce(p.staged_due, ''), coalesce(p.leader_user_id, 0), p.state"

err_code store_problem_mark_overdue(store_tx *tx, arena *a, const char *today, store_problem **out,
                                    size_t *n)
{
    /* Whoever flagged a problem first (an action or an earlier tick), the lapse of each
     * deadline is announced once: overdue_notified remembers which deadline it was. */
    static const char pick[] =
        "SELECT " SWEEP_COLS " FROM problem p JOIN unit n ON n.id = p.unit_id"
        " WHERE p.state <> 'closed' AND p.deadline < ?1"
        " AND coalesce(p.overdue_notified, '') <> p.deadline";
    static const char mark[] = "UPDATE problem SET overdue = 1,"
                               " overdue_since = coalesce(overdue_since, {next_day deadline}),"
                               " overdue_notified = deadline"
                               " WHERE state <> 'closed' AND deadline < ?1"
                               " AND coalesce(overdue_notified, '') <> deadline";
    sq_stmt *st = sq_prep(tx, pick);
    sq_bind(st, "s", today);
    err_code e = sweep(tx, a, st, out, n);
    if (e != E_OK) return e;
    st = sq_prep(tx, mark);
    sq_bind(st, "s", today);
    return sq_exec(tx, st);
}

err_code store_problem_due_between(store_tx *tx, arena *a, const char *today, const char *until,
                                   store_problem **out, size_t *n)
{
    static const char sql[] = "SELECT " SWEEP_COLS " FROM problem p JOIN unit n ON n.id = p.unit_id"
                              " WHERE p.state <> 'closed' AND p.deadline > ?1 AND p.deadline <= ?2";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ss", today, until);
    return sweep(tx, a, st, out, n);
}

err_code store_problem_unsigned(store_tx *tx, arena *a, const char *today, store_problem **out,
                                size_t *n)
{
    static const char sql[] = "SELECT " SWEEP_COLS " FROM problem p JOIN unit n ON n.id = p.unit_id"
                              " WHERE p.state = 'assigned' AND p.sign_by < ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", today);
    return sweep(tx, a, st, out, n);
}

err_code store_problem_staged_missing(store_tx *tx, arena *a, const char *today,
                                      store_problem **out, size_t *n)
{
    static const char sql[] = "SELECT " SWEEP_COLS " FROM problem p JOIN unit n ON n.id = p.unit_id"
                              " WHERE p.mode = 'ongoing' AND p.state <> 'closed' AND"
                              " p.staged_done = 0 AND p.staged_due < ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", today);
    return sweep(tx, a, st, out, n);
}

err_code store_problem_closed_with_leader(store_tx *tx, arena *a, int64_t since,
                                          store_problem **out, size_t *n)
{
    static const char sql[] = "SELECT " SWEEP_COLS " FROM problem p JOIN unit n ON n.id = p.unit_id"
                              " WHERE p.state = 'closed' AND p.leader_user_id IS NOT NULL"
                              " AND p.closed_at >= ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", since);
    return sweep(tx, a, st, out, n);
}

/* ---- look-back tasks ---- */

err_code store_lookback_add(store_tx *tx, int64_t leader_id, const char *month, int64_t problem_id,
                            int64_t at, int *added)
{
    static const char sql[] = "INSERT INTO lookback_task(leader_id, month, problem_id, created_at)"
                              " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isii", leader_id, month, problem_id, at);
    err_code e = sq_exec(tx, st);
    *added = e == E_OK && sq_changes(tx) == 1;
    return e;
}

#define LOOKBACK_COLS                                                                              \
    "l.id, l.leader_id, l.problem_id, l.created_at, coalesce(l.done_at, 0), l.month, l.result,"    \
    " l.finding, p.title, p.state"

static void read_lookback(arena *a, sq_stmt *st, void *row)
{
    store_lookback *l = row;
    l->id = sq_int(st, 0);
    l->leader_id = sq_int(st, 1);
    l->problem_id = sq_int(st, 2);
    l->created_at = sq_int(st, 3);
    l->done_at = sq_int(st, 4);
    l->month = sq_text(a, st, 5);
    l->result = sq_text(a, st, 6);
    l->finding = sq_text(a, st, 7);
    l->problem_title = sq_text(a, st, 8);
    l->problem_state = sq_text(a, st, 9);
}

err_code store_lookback_list(store_tx *tx, arena *a, int64_t leader_id, const char *month,
                             int64_t limit, int64_t offset, store_lookback **out, size_t *n)
{
    static const char sql[] = "SELECT " LOOKBACK_COLS " FROM lookback_task l JOIN problem p ON"
                              " p.id = l.problem_id WHERE (?1 = 0 OR l.leader_id = ?1) AND"
                              " (?2 IS NULL OR l.month = ?2) ORDER BY l.month DESC, l.id"
                              " LIMIT ?3 OFFSET ?4";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isii", leader_id, month, limit, offset);
    return sq_collect(tx, a, st, sizeof(store_lookback), read_lookback, (void **)out, n);
}

err_code store_lookback_get(store_tx *tx, arena *a, int64_t id, store_lookback *out)
{
    static const char sql[] = "SELECT " LOOKBACK_COLS " FROM lookback_task l JOIN problem p ON"
                              " p.id = l.problem_id WHERE l.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_lookback, out);
}

err_code store_lookback_done(store_tx *tx, int64_t id, const char *result, const char *finding,
                             int64_t at)
{
    static const char sql[] = "UPDATE lookback_task SET done_at = ?, result = ?, finding = ?"
                              " WHERE id = ? AND done_at IS NULL";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "issi", at, result, finding, id);
    return sq_exec_some(tx, st, E_CONFLICT);
}
