/*
 * sql_review — the SQL of how study is checked (see study_store.h): observers' observations
 * and the feedback units must answer (with the scheduler's overdue sweep), and 三定一分享 —
 * branches' fixed days, their monthly sessions and who has led them.
 */
#include "store/sq.h"
#include "study/study_store.h"

/* ---- observations and feedback ---- */

err_code store_observation_insert(store_tx *tx, store_observation *o)
{
    static const char sql[] =
        "INSERT INTO observation(activity_id, observer, observer_body, rating,"
        " comment, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "issssi", o->activity_id, o->observer, o->observer_body, o->rating, o->comment,
            o->created_at);
    sq_bind_ref(st, 7, o->created_by);
    return sq_insert(tx, st, &o->id);
}

static void read_observation(arena *a, sq_stmt *st, void *row)
{
    store_observation *o = row;
    o->id = sq_int(st, 0);
    o->activity_id = sq_int(st, 1);
    o->created_by = sq_int(st, 2);
    o->created_at = sq_int(st, 3);
    o->observer = sq_text(a, st, 4);
    o->observer_body = sq_text(a, st, 5);
    o->rating = sq_text(a, st, 6);
    o->comment = sq_text(a, st, 7);
}

err_code store_observation_list(store_tx *tx, arena *a, int64_t activity_id,
                                store_observation **out, size_t *n)
{
    static const char sql[] =
        "SELECT id, activity_id, coalesce(created_by, 0), created_at, observer,"
        " observer_body, rating, comment FROM observation WHERE"
        " activity_id = ? ORDER BY id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", activity_id);
    return sq_collect(tx, a, st, sizeof(store_observation), read_observation, (void **)out, n);
}

#define FEEDBACK_COLS                                                                              \
    "f.id, f.observation_id, f.unit_id, f.deadline_estimated, f.overdue,"                          \
    " coalesce(f.answered_at, 0), coalesce(f.created_by, 0), f.created_at, f.version, f.issue,"    \
    " f.state, f.deadline, f.answer, o.activity_id, a.topic, a.held_on, o.observer, u.name,"       \
    " u.path"
#define FEEDBACK_FROM                                                                              \
    " FROM feedback f JOIN observation o ON o.id = f.observation_id JOIN activity a ON"            \
    " a.id = o.activity_id JOIN unit u ON u.id = f.unit_id"
#define FEEDBACK_WHERE                                                                             \
    FEEDBACK_FROM " WHERE {in_scope u.path} AND {in_subtree u.path}"                               \
                  " AND (?3 IS NULL OR f.state = ?3) AND (?4 = 0 OR f.overdue = 1)"                \
                  " AND (?5 = 0 OR o.activity_id = ?5)"

static void read_feedback(arena *a, sq_stmt *st, void *row)
{
    store_feedback *f = row;
    int64_t *ints[] = {&f->id,      &f->observation_id, &f->unit_id,    &f->deadline_estimated,
                       &f->overdue, &f->answered_at,    &f->created_by, &f->created_at,
                       &f->version};
    for (int i = 0; i < 9; i++)
        *ints[i] = sq_int(st, i);
    f->issue = sq_text(a, st, 9);
    f->state = sq_text(a, st, 10);
    f->deadline = sq_text(a, st, 11);
    f->answer = sq_text(a, st, 12);
    f->activity_id = sq_int(st, 13);
    f->activity_topic = sq_text(a, st, 14);
    f->activity_held_on = sq_text(a, st, 15);
    f->observer = sq_text(a, st, 16);
    f->unit_name = sq_text(a, st, 17);
    f->unit_path = sq_text(a, st, 18);
}

err_code store_feedback_insert(store_tx *tx, store_feedback *f)
{
    static const char sql[] =
        "INSERT INTO feedback(observation_id, unit_id, issue, state, deadline,"
        " deadline_estimated, created_at, created_by) VALUES (?, ?, ?, ?, ?,"
        " ?, ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iisssii", f->observation_id, f->unit_id, f->issue, f->state, f->deadline,
            f->deadline_estimated, f->created_at);
    sq_bind_ref(st, 8, f->created_by);
    f->version = 1;
    return sq_insert(tx, st, &f->id);
}

err_code store_feedback_get(store_tx *tx, arena *a, int64_t id, store_feedback *out)
{
    static const char sql[] = "SELECT " FEEDBACK_COLS FEEDBACK_FROM " WHERE f.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_feedback, out);
}

err_code store_feedback_update(store_tx *tx, store_feedback *f)
{
    static const char sql[] = "UPDATE feedback SET state = ?1, answer = ?2, answered_at = ?3,"
                              " overdue = ?4, version = version + 1 WHERE id = ?5 AND version = ?6";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssiiii", f->state, f->answer, f->answered_at, f->overdue, f->id, f->version);
    return sq_versioned(tx, st, &f->version);
}

err_code store_feedback_list(store_tx *tx, arena *a, const store_feedback_filter *f,
                             store_feedback **out, size_t *n, int64_t *total)
{
    static const char count_sql[] = "SELECT count(*)" FEEDBACK_WHERE;
    static const char sql[] = "SELECT " FEEDBACK_COLS FEEDBACK_WHERE
                              " ORDER BY f.state = 'answered', f.deadline, f.id LIMIT ?6 OFFSET ?7";
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "sssii", f->scope, f->subtree, f->state, (int64_t)f->overdue, f->activity_id);
    err_code e = sq_count(tx, st, total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "sssiiii", f->scope, f->subtree, f->state, (int64_t)f->overdue, f->activity_id,
            f->limit, f->offset);
    return sq_collect(tx, a, st, sizeof(store_feedback), read_feedback, (void **)out, n);
}

err_code store_feedback_mark_overdue(store_tx *tx, arena *a, const char *today,
                                     store_feedback **out, size_t *n)
{
    static const char sql[] = "SELECT " FEEDBACK_COLS FEEDBACK_FROM " WHERE f.state = 'open' AND"
                              " f.overdue = 0 AND f.deadline < ?";
    static const char upd[] = "UPDATE feedback SET overdue = 1 WHERE state = 'open' AND overdue = 0"
                              " AND deadline < ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", today);
    err_code e = sq_collect(tx, a, st, sizeof(store_feedback), read_feedback, (void **)out, n);
    if (e != E_OK || *n == 0) return e;
    st = sq_prep(tx, upd);
    sq_bind(st, "s", today);
    return sq_exec(tx, st);
}

/* ---- branches: fixed days, sessions, rotation ---- */

err_code store_branch_rule_set(store_tx *tx, int64_t unit_id, int64_t fixed_day, int64_t at)
{
    static const char sql[] = "INSERT INTO branch_rule(unit_id, fixed_day, updated_at) VALUES"
                              " (?1, ?2, ?3) ON CONFLICT(unit_id) DO UPDATE SET fixed_day = ?2,"
                              " updated_at = ?3";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iii", unit_id, fixed_day, at);
    return sq_exec(tx, st);
}

static void read_branch(arena *a, sq_stmt *st, void *row)
{
    store_branch *b = row;
    b->unit_id = sq_int(st, 0);
    b->fixed_day = sq_int(st, 1);
    b->name = sq_text(a, st, 2);
    b->path = sq_text(a, st, 3);
}

err_code store_branches(store_tx *tx, arena *a, const char *scope, const char *subtree,
                        store_branch **out, size_t *n)
{
    static const char sql[] = "SELECT u.id, coalesce(r.fixed_day, 0), u.name, u.path FROM unit u"
                              " LEFT JOIN branch_rule r ON r.unit_id = u.id WHERE u.kind = 'branch'"
                              " AND {in_scope u.path} AND {in_subtree u.path}"
                              " ORDER BY u.path";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ss", scope, subtree);
    return sq_collect(tx, a, st, sizeof(store_branch), read_branch, (void **)out, n);
}

static void read_branch_session(arena *a, sq_stmt *st, void *row)
{
    store_branch_session *s = row;
    s->id = sq_int(st, 0);
    s->unit_id = sq_int(st, 1);
    s->lead_person_id = sq_int(st, 2);
    s->present = sq_int(st, 3);
    s->shared = sq_int(st, 4);
    s->held_on = sq_text(a, st, 5);
    s->topic = sq_text(a, st, 6);
    s->lead_name = sq_text(a, st, 7);
}

err_code store_branch_sessions(store_tx *tx, arena *a, const char *scope, const char *subtree,
                               const char *from, const char *to, store_branch_session **out,
                               size_t *n)
{
    static const char sql[] =
        "SELECT a.id, a.unit_id, coalesce(a.lead_person_id, 0),"
        " (SELECT count(*) FROM attendance x WHERE x.activity_id = a.id AND x.present = 1),"
        " (SELECT count(*) FROM attendance x WHERE x.activity_id = a.id AND x.present = 1"
        "  AND x.shared = 1), a.held_on, a.topic, coalesce(lp.name, a.lead_name)"
        " FROM activity a JOIN unit u ON u.id = a.unit_id LEFT JOIN person lp ON"
        " lp.id = a.lead_person_id WHERE u.kind = 'branch' AND a.kind IN ('three_meetings',"
        " 'party_day') AND {in_scope u.path} AND {in_subtree u.path}"
        " AND a.held_on >= ?3 AND a.held_on <= ?4 ORDER BY a.unit_id, a.held_on, a.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssss", scope, subtree, from, to);
    return sq_collect(tx, a, st, sizeof(store_branch_session), read_branch_session, (void **)out,
                      n);
}

static void read_rotation(arena *a, sq_stmt *st, void *row)
{
    store_rotation_row *r = row;
    r->person_id = sq_int(st, 0);
    r->led_count = sq_int(st, 1);
    r->name = sq_text(a, st, 2);
    r->position = sq_text(a, st, 3);
    r->last_led = sq_text(a, st, 4);
}

err_code store_rotation(store_tx *tx, arena *a, int64_t branch_id, store_rotation_row **out,
                        size_t *n)
{
    static const char sql[] =
        "SELECT p.id, count(a.id), p.name, p.position, coalesce(max(a.held_on), '') FROM person p"
        " LEFT JOIN activity a ON a.lead_person_id = p.id AND a.unit_id = p.unit_id"
        " AND a.kind IN ('three_meetings', 'party_day') WHERE p.unit_id = ?1"
        " AND p.party_member = 1 GROUP BY p.id ORDER BY coalesce(max(a.held_on), ''), p.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", branch_id);
    return sq_collect(tx, a, st, sizeof(store_rotation_row), read_rotation, (void **)out, n);
}
