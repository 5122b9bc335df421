/*
 * sql_tick — the problem list's SQL for the scheduler: the sweeps over problems (overdue, due
 * soon, unsigned, staged result missing, closed with a leader) and look-back tasks (回头看).
 */
#include "problem/problem_store.h"

#include "store/sq.h"

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
