/*
 * sql — the SQL of the study and outreach registry (see study_store.h). Lists share one
 * WHERE per table (a macro) between their count and their page, so a total and its rows can
 * never disagree; ?1 is always the caller's scope and ?2 the unit subtree.
 */
#include "study/study_store.h"
#include "store/sq.h"

#include <string.h>

/* ---- persons ---- */

#define PERSON_COLS                                                                                \
    "p.id, p.unit_id, p.party_member, p.created_at, p.version, p.name, p.position, p.rank,"        \
    " u.name, u.path"
#define PERSON_WHERE                                                                               \
    " FROM person p JOIN unit u ON u.id = p.unit_id WHERE {in_scope u.path}"                       \
    " AND {in_subtree u.path} AND (?3 IS NULL OR {instr p.name, ?3} > 0"                           \
    " OR {instr p.position, ?3} > 0)"                                                              \
    " AND (?4 IS NULL OR p.rank = ?4) AND (?5 < 0 OR p.party_member = ?5)"                         \
    " AND (?6 = 0 OR p.unit_id = ?6)"

static void read_person(arena *a, sq_stmt *st, void *row)
{
    store_person *p = row;
    p->id = sq_int(st, 0);
    p->unit_id = sq_int(st, 1);
    p->party_member = sq_int(st, 2);
    p->created_at = sq_int(st, 3);
    p->version = sq_int(st, 4);
    p->name = sq_text(a, st, 5);
    p->position = sq_text(a, st, 6);
    p->rank = sq_text(a, st, 7);
    p->unit_name = sq_text(a, st, 8);
    p->unit_path = sq_text(a, st, 9);
}

err_code store_person_insert(store_tx *tx, store_person *p)
{
    static const char sql[] = "INSERT INTO person(unit_id, name, position, rank, party_member,"
                              " created_at) VALUES (?, ?, ?, ?, ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isssii", p->unit_id, p->name, p->position, p->rank, p->party_member,
            p->created_at);
    p->version = 1;
    return sq_insert(tx, st, &p->id);
}

err_code store_person_get(store_tx *tx, arena *a, int64_t id, store_person *out)
{
    static const char sql[] = "SELECT " PERSON_COLS " FROM person p JOIN unit u ON u.id ="
                              " p.unit_id WHERE p.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_person, out);
}

err_code store_person_update(store_tx *tx, store_person *p)
{
    static const char sql[] = "UPDATE person SET unit_id = ?1, name = ?2, position = ?3, rank = ?4,"
                              " party_member = ?5, version = version + 1 WHERE id = ?6 AND"
                              " version = ?7";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isssiii", p->unit_id, p->name, p->position, p->rank, p->party_member, p->id,
            p->version);
    return sq_versioned(tx, st, &p->version);
}

static void bind_person_filter(sq_stmt *st, const store_person_filter *f)
{
    sq_bind(st, "ssssii", f->scope, f->subtree, f->q, f->rank, (int64_t)f->party_member,
            f->unit_only);
}

err_code store_person_list(store_tx *tx, arena *a, const store_person_filter *f, store_person **out,
                           size_t *n, int64_t *total)
{
    static const char count_sql[] = "SELECT count(*)" PERSON_WHERE;
    static const char sql[] =
        "SELECT " PERSON_COLS PERSON_WHERE " ORDER BY u.path, p.id LIMIT ?7 OFFSET ?8";
    sq_stmt *st = sq_prep(tx, count_sql);
    bind_person_filter(st, f);
    err_code e = sq_count(tx, st, total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    bind_person_filter(st, f);
    sq_bind_int(st, 7, f->limit);
    sq_bind_int(st, 8, f->offset);
    return sq_collect(tx, a, st, sizeof(store_person), read_person, (void **)out, n);
}

/* ---- activity kinds ---- */

static void read_kind(arena *a, sq_stmt *st, void *row)
{
    store_activity_kind *k = row;
    k->name = sq_text(a, st, 0);
    k->title = sq_text(a, st, 1);
    k->category = sq_text(a, st, 2);
    k->builtin = sq_int(st, 3);
}

err_code store_activity_kinds(store_tx *tx, arena *a, store_activity_kind **out, size_t *n)
{
    static const char sql[] = "SELECT name, title, category, builtin FROM activity_kind"
                              " ORDER BY builtin DESC, {rowid}";
    return sq_collect(tx, a, sq_prep(tx, sql), sizeof(store_activity_kind), read_kind, (void **)out,
                      n);
}

err_code store_activity_kind_get(store_tx *tx, arena *a, const char *name, store_activity_kind *out)
{
    static const char sql[] = "SELECT name, title, category, builtin FROM activity_kind WHERE"
                              " name = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", name);
    return sq_one(tx, a, st, read_kind, out);
}

err_code store_activity_kind_insert(store_tx *tx, const store_activity_kind *k)
{
    static const char sql[] = "INSERT INTO activity_kind(name, title, category) VALUES (?, ?, ?)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sss", k->name, k->title, k->category);
    return sq_exec(tx, st);
}

/* ---- study plans ---- */

#define PLAN_COLS "s.id, s.unit_id, s.year, s.created_at, s.title, u.name, u.path"

static void read_plan(arena *a, sq_stmt *st, void *row)
{
    store_plan *p = row;
    p->id = sq_int(st, 0);
    p->unit_id = sq_int(st, 1);
    p->year = sq_int(st, 2);
    p->created_at = sq_int(st, 3);
    p->title = sq_text(a, st, 4);
    p->unit_name = sq_text(a, st, 5);
    p->unit_path = sq_text(a, st, 6);
}

err_code store_plan_insert(store_tx *tx, store_plan *p)
{
    static const char sql[] = "INSERT INTO study_plan(unit_id, year, title, created_at)"
                              " VALUES (?, ?, ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iisi", p->unit_id, p->year, p->title, p->created_at);
    return sq_insert(tx, st, &p->id);
}

err_code store_plan_get(store_tx *tx, arena *a, int64_t id, store_plan *out)
{
    static const char sql[] = "SELECT " PLAN_COLS " FROM study_plan s JOIN unit u ON u.id ="
                              " s.unit_id WHERE s.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_plan, out);
}

err_code store_plan_list(store_tx *tx, arena *a, const char *scope, const char *subtree,
                         int64_t year, store_plan **out, size_t *n)
{
    static const char sql[] = "SELECT " PLAN_COLS " FROM study_plan s JOIN unit u ON u.id ="
                              " s.unit_id WHERE {in_scope u.path} AND {in_subtree u.path}"
                              " AND (?3 = 0 OR s.year = ?3) ORDER BY s.year DESC, u.path";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssi", scope, subtree, year);
    return sq_collect(tx, a, st, sizeof(store_plan), read_plan, (void **)out, n);
}

static void read_topic(arena *a, sq_stmt *st, void *row)
{
    store_plan_topic *t = row;
    t->id = sq_int(st, 0);
    t->plan_id = sq_int(st, 1);
    t->month = sq_int(st, 2);
    t->planned = sq_int(st, 3);
    t->topic = sq_text(a, st, 4);
}

err_code store_plan_topics(store_tx *tx, arena *a, int64_t plan_id, store_plan_topic **out,
                           size_t *n)
{
    static const char sql[] = "SELECT id, plan_id, month, planned_sessions, topic FROM plan_topic"
                              " WHERE plan_id = ? ORDER BY month, id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", plan_id);
    return sq_collect(tx, a, st, sizeof(store_plan_topic), read_topic, (void **)out, n);
}

err_code store_plan_set_topics(store_tx *tx, int64_t plan_id, const store_plan_topic *topics,
                               size_t n)
{
    static const char del[] = "DELETE FROM plan_topic WHERE plan_id = ?";
    static const char ins[] = "INSERT INTO plan_topic(plan_id, month, topic, planned_sessions)"
                              " VALUES (?, ?, ?, ?)";
    sq_stmt *st = sq_prep(tx, del);
    sq_bind(st, "i", plan_id);
    err_code e = sq_exec(tx, st);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        st = sq_prep(tx, ins);
        sq_bind(st, "iisi", plan_id, topics[i].month, topics[i].topic, topics[i].planned);
        e = sq_exec(tx, st);
    }
    return e;
}

err_code store_plan_held(store_tx *tx, int64_t unit_id, int64_t year, int64_t held[13])
{
    static const char sql[] = "SELECT CAST(substr(a.held_on, 6, 2) AS INTEGER), count(*) FROM"
                              " activity a JOIN activity_kind k ON k.name = a.kind WHERE"
                              " a.unit_id = ?1 AND CAST(substr(a.held_on, 1, 4) AS INTEGER) = ?2"
                              " AND k.category IN ('study', 'discussion') GROUP BY 1";
    memset(held, 0, 13 * sizeof *held);
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", unit_id, year);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        int64_t m = sq_int(st, 0);
        if (m >= 1 && m <= 12) held[m] = sq_int(st, 1);
    }
    sq_reset(st);
    return (err_code)rc;
}

/* ---- activities ---- */

#define ACTIVITY_COLS                                                                              \
    "a.id, a.unit_id, coalesce(a.lead_person_id, 0), coalesce(a.plan_id, 0),"                      \
    " coalesce(a.brand_id, 0), coalesce(a.team_id, 0), a.audience, coalesce(a.created_by, 0),"     \
    " a.created_at, a.version, a.kind, a.held_on, a.topic, coalesce(lp.name, a.lead_name),"        \
    " a.place, a.minutes, k.title, k.category, u.name, u.path, coalesce(b.name, ''),"              \
    " coalesce(t.name, ''),"                                                                       \
    " (SELECT count(*) FROM attendance x WHERE x.activity_id = a.id AND x.present = 1),"           \
    " (SELECT count(*) FROM attendance x WHERE x.activity_id = a.id AND x.present = 0),"           \
    " (SELECT count(*) FROM attendance x WHERE x.activity_id = a.id AND x.present = 1"             \
    "  AND x.shared = 1)"
#define ACTIVITY_FROM                                                                              \
    " FROM activity a JOIN activity_kind k ON k.name = a.kind JOIN unit u ON u.id = a.unit_id"     \
    " LEFT JOIN person lp ON lp.id = a.lead_person_id LEFT JOIN brand b ON b.id = a.brand_id"      \
    " LEFT JOIN team t ON t.id = a.team_id"
#define ACTIVITY_WHERE                                                                             \
    ACTIVITY_FROM " WHERE {in_scope u.path} AND {in_subtree u.path}"                               \
                  " AND (?3 IS NULL OR a.kind = ?3) AND (?4 IS NULL OR k.category = ?4)"           \
                  " AND (?5 IS NULL OR a.held_on >= ?5) AND (?6 IS NULL OR a.held_on <= ?6)"       \
                  " AND (?7 IS NULL OR {instr a.topic, ?7} > 0 OR {instr a.place, ?7} > 0)"        \
                  " AND (?8 = 0 OR a.brand_id = ?8) AND (?9 = 0 OR a.team_id = ?9)"                \
                  " AND (?10 = 0 OR a.unit_id = ?10)"                                              \
                  " AND (?11 = 0 OR (k.category = 'lecture' AND lp.rank = '普通党员'))"

static void read_activity(arena *a, sq_stmt *st, void *row)
{
    store_activity *x = row;
    int64_t *ints[] = {&x->id,      &x->unit_id,  &x->lead_person_id, &x->plan_id,    &x->brand_id,
                       &x->team_id, &x->audience, &x->created_by,     &x->created_at, &x->version};
    for (int i = 0; i < 10; i++)
        *ints[i] = sq_int(st, i);
    const char **texts[] = {&x->kind,      &x->held_on,   &x->topic,      &x->lead_name,
                            &x->place,     &x->minutes,   &x->kind_title, &x->category,
                            &x->unit_name, &x->unit_path, &x->brand_name, &x->team_name};
    for (int i = 0; i < 12; i++)
        *texts[i] = sq_text(a, st, 10 + i);
    x->present = sq_int(st, 22);
    x->absent = sq_int(st, 23);
    x->shared = sq_int(st, 24);
}

err_code store_activity_insert(store_tx *tx, store_activity *x)
{
    static const char sql[] =
        "INSERT INTO activity(kind, unit_id, held_on, topic, lead_name, place,"
        " minutes, audience, created_at, lead_person_id, plan_id, brand_id,"
        " team_id, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sisssssii", x->kind, x->unit_id, x->held_on, x->topic, x->lead_name, x->place,
            x->minutes, x->audience, x->created_at);
    sq_bind_ref(st, 10, x->lead_person_id);
    sq_bind_ref(st, 11, x->plan_id);
    sq_bind_ref(st, 12, x->brand_id);
    sq_bind_ref(st, 13, x->team_id);
    sq_bind_ref(st, 14, x->created_by);
    x->version = 1;
    return sq_insert(tx, st, &x->id);
}

err_code store_activity_get(store_tx *tx, arena *a, int64_t id, store_activity *out)
{
    static const char sql[] = "SELECT " ACTIVITY_COLS ACTIVITY_FROM " WHERE a.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_activity, out);
}

err_code store_activity_update(store_tx *tx, store_activity *x)
{
    static const char sql[] =
        "UPDATE activity SET kind = ?1, unit_id = ?2, held_on = ?3, topic = ?4,"
        " lead_name = ?5, place = ?6, minutes = ?7, audience = ?8,"
        " lead_person_id = ?9, plan_id = ?10, brand_id = ?11, team_id = ?12,"
        " version = version + 1 WHERE id = ?13 AND version = ?14";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sisssssi", x->kind, x->unit_id, x->held_on, x->topic, x->lead_name, x->place,
            x->minutes, x->audience);
    sq_bind_ref(st, 9, x->lead_person_id);
    sq_bind_ref(st, 10, x->plan_id);
    sq_bind_ref(st, 11, x->brand_id);
    sq_bind_ref(st, 12, x->team_id);
    sq_bind_int(st, 13, x->id);
    sq_bind_int(st, 14, x->version);
    return sq_versioned(tx, st, &x->version);
}

static void bind_activity_filter(sq_stmt *st, const store_activity_filter *f)
{
    sq_bind(st, "sssssssiiii", f->scope, f->subtree, f->kind, f->category, f->from, f->to, f->q,
            f->brand_id, f->team_id, f->unit_only, (int64_t)f->member_lecture);
}

err_code store_activity_list(store_tx *tx, arena *a, const store_activity_filter *f,
                             store_activity **out, size_t *n, int64_t *total)
{
    static const char count_sql[] = "SELECT count(*)" ACTIVITY_WHERE;
    static const char sql[] = "SELECT " ACTIVITY_COLS ACTIVITY_WHERE
                              " ORDER BY a.held_on DESC, a.id DESC LIMIT ?12 OFFSET ?13";
    sq_stmt *st = sq_prep(tx, count_sql);
    bind_activity_filter(st, f);
    err_code e = sq_count(tx, st, total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    bind_activity_filter(st, f);
    sq_bind_int(st, 12, f->limit);
    sq_bind_int(st, 13, f->offset);
    return sq_collect(tx, a, st, sizeof(store_activity), read_activity, (void **)out, n);
}

/* ---- attendance, reflections, outputs ---- */

err_code store_attendance_set(store_tx *tx, int64_t activity_id, const store_attendance *rows,
                              size_t n)
{
    static const char del[] = "DELETE FROM attendance WHERE activity_id = ?";
    static const char ins[] = "INSERT INTO attendance(activity_id, person_id, present,"
                              " absence_reason, shared) VALUES (?, ?, ?, ?, ?)";
    sq_stmt *st = sq_prep(tx, del);
    sq_bind(st, "i", activity_id);
    err_code e = sq_exec(tx, st);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        st = sq_prep(tx, ins);
        sq_bind(st, "iiisi", activity_id, rows[i].person_id, rows[i].present,
                rows[i].absence_reason ? rows[i].absence_reason : "", rows[i].shared);
        e = sq_exec(tx, st);
    }
    return e;
}

static void read_attendance(arena *a, sq_stmt *st, void *row)
{
    store_attendance *x = row;
    x->person_id = sq_int(st, 0);
    x->present = sq_int(st, 1);
    x->shared = sq_int(st, 2);
    x->absence_reason = sq_text(a, st, 3);
    x->name = sq_text(a, st, 4);
    x->position = sq_text(a, st, 5);
    x->rank = sq_text(a, st, 6);
    x->unit_id = sq_int(st, 7);
}

err_code store_attendance_list(store_tx *tx, arena *a, int64_t activity_id, store_attendance **out,
                               size_t *n)
{
    static const char sql[] = "SELECT t.person_id, t.present, t.shared, t.absence_reason, p.name,"
                              " p.position, p.rank, p.unit_id FROM attendance t JOIN person p ON"
                              " p.id = t.person_id WHERE t.activity_id = ? ORDER BY p.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", activity_id);
    return sq_collect(tx, a, st, sizeof(store_attendance), read_attendance, (void **)out, n);
}

err_code store_reflection_insert(store_tx *tx, store_reflection *r)
{
    static const char sql[] = "INSERT INTO reflection(activity_id, person_id, text, created_at,"
                              " created_by) VALUES (?, ?, ?, ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iisi", r->activity_id, r->person_id, r->text, r->created_at);
    sq_bind_ref(st, 5, r->created_by);
    return sq_insert(tx, st, &r->id);
}

static void read_reflection(arena *a, sq_stmt *st, void *row)
{
    store_reflection *r = row;
    r->id = sq_int(st, 0);
    r->activity_id = sq_int(st, 1);
    r->person_id = sq_int(st, 2);
    r->created_by = sq_int(st, 3);
    r->created_at = sq_int(st, 4);
    r->text = sq_text(a, st, 5);
    r->person_name = sq_text(a, st, 6);
}

err_code store_reflection_list(store_tx *tx, arena *a, int64_t activity_id, store_reflection **out,
                               size_t *n)
{
    static const char sql[] = "SELECT r.id, r.activity_id, r.person_id, coalesce(r.created_by, 0),"
                              " r.created_at, r.text, p.name FROM reflection r JOIN person p ON"
                              " p.id = r.person_id WHERE r.activity_id = ? ORDER BY r.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", activity_id);
    return sq_collect(tx, a, st, sizeof(store_reflection), read_reflection, (void **)out, n);
}

#define OUTPUT_WHERE                                                                               \
    " FROM study_output o JOIN unit u ON u.id = o.unit_id WHERE {in_scope u.path}"                 \
    " AND {in_subtree u.path} AND (?3 IS NULL OR o.published_on >= ?3) AND (?4 IS NULL OR"         \
    " o.published_on <= ?4) AND (?5 = 0 OR o.activity_id = ?5)"

err_code store_output_insert(store_tx *tx, store_output *o)
{
    static const char sql[] = "INSERT INTO study_output(unit_id, kind, title, author, published_on,"
                              " created_at, activity_id) VALUES (?, ?, ?, ?, ?, ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "issssi", o->unit_id, o->kind, o->title, o->author, o->published_on, o->created_at);
    sq_bind_ref(st, 7, o->activity_id);
    return sq_insert(tx, st, &o->id);
}

static void read_output(arena *a, sq_stmt *st, void *row)
{
    store_output *o = row;
    o->id = sq_int(st, 0);
    o->unit_id = sq_int(st, 1);
    o->activity_id = sq_int(st, 2);
    o->created_at = sq_int(st, 3);
    o->kind = sq_text(a, st, 4);
    o->title = sq_text(a, st, 5);
    o->author = sq_text(a, st, 6);
    o->published_on = sq_text(a, st, 7);
    o->unit_name = sq_text(a, st, 8);
}

err_code store_output_list(store_tx *tx, arena *a, const store_output_filter *f, store_output **out,
                           size_t *n, int64_t *total)
{
    static const char count_sql[] = "SELECT count(*)" OUTPUT_WHERE;
    static const char sql[] = "SELECT o.id, o.unit_id, coalesce(o.activity_id, 0), o.created_at,"
                              " o.kind, o.title, o.author, o.published_on, u.name" OUTPUT_WHERE
                              " ORDER BY o.published_on DESC, o.id DESC LIMIT ?6 OFFSET ?7";
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "ssssi", f->scope, f->subtree, f->from, f->to, f->activity_id);
    err_code e = sq_count(tx, st, total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "ssssiii", f->scope, f->subtree, f->from, f->to, f->activity_id, f->limit,
            f->offset);
    return sq_collect(tx, a, st, sizeof(store_output), read_output, (void **)out, n);
}

/* ---- outreach registries ---- */

err_code store_brand_insert(store_tx *tx, store_outreach_row *b)
{
    static const char sql[] = "INSERT INTO brand(name, unit_id, description, created_at) VALUES"
                              " (?, ?, ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sisi", b->name, b->unit_id, b->description, b->created_at);
    return sq_insert(tx, st, &b->id);
}

static void read_brand(arena *a, sq_stmt *st, void *row)
{
    store_outreach_row *b = row;
    b->id = sq_int(st, 0);
    b->unit_id = sq_int(st, 1);
    b->created_at = sq_int(st, 2);
    b->name = sq_text(a, st, 3);
    b->description = sq_text(a, st, 4);
    b->unit_name = sq_text(a, st, 5);
}

err_code store_brand_list(store_tx *tx, arena *a, const char *scope, store_outreach_row **out,
                          size_t *n)
{
    static const char sql[] = "SELECT b.id, b.unit_id, b.created_at, b.name, b.description, u.name"
                              " FROM brand b JOIN unit u ON u.id = b.unit_id WHERE "
                              "{in_scope u.path} ORDER BY b.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", scope);
    return sq_collect(tx, a, st, sizeof(store_outreach_row), read_brand, (void **)out, n);
}

err_code store_team_insert(store_tx *tx, store_outreach_row *t, const int64_t *members,
                           size_t nmembers)
{
    static const char sql[] = "INSERT INTO team(name, unit_id, created_at, brand_id) VALUES"
                              " (?, ?, ?, ?) {returning_id}";
    static const char add[] = "INSERT INTO team_member(team_id, person_id) VALUES (?, ?)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sii", t->name, t->unit_id, t->created_at);
    sq_bind_ref(st, 4, t->brand_id);
    err_code e = sq_insert(tx, st, &t->id);
    for (size_t i = 0; e == E_OK && i < nmembers; i++) {
        st = sq_prep(tx, add);
        sq_bind(st, "ii", t->id, members[i]);
        e = sq_exec(tx, st);
    }
    return e;
}

static void read_team(arena *a, sq_stmt *st, void *row)
{
    store_outreach_row *t = row;
    t->id = sq_int(st, 0);
    t->unit_id = sq_int(st, 1);
    t->brand_id = sq_int(st, 2);
    t->created_at = sq_int(st, 3);
    t->members = sq_int(st, 4);
    t->name = sq_text(a, st, 5);
    t->unit_name = sq_text(a, st, 6);
    t->brand_name = sq_text(a, st, 7);
}

err_code store_team_list(store_tx *tx, arena *a, const char *scope, store_outreach_row **out,
                         size_t *n)
{
    static const char sql[] =
        "SELECT t.id, t.unit_id, coalesce(t.brand_id, 0), t.created_at,"
        " (SELECT count(*) FROM team_member m WHERE m.team_id = t.id), t.name,"
        " u.name, coalesce(b.name, '') FROM team t JOIN unit u ON u.id ="
        " t.unit_id LEFT JOIN brand b ON b.id = t.brand_id WHERE "
        "{in_scope u.path} ORDER BY t.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", scope);
    return sq_collect(tx, a, st, sizeof(store_outreach_row), read_team, (void **)out, n);
}

err_code store_team_members(store_tx *tx, arena *a, int64_t team_id, store_person **out, size_t *n)
{
    static const char sql[] = "SELECT " PERSON_COLS " FROM team_member m JOIN person p ON"
                              " p.id = m.person_id JOIN unit u ON u.id = p.unit_id WHERE"
                              " m.team_id = ? ORDER BY p.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", team_id);
    return sq_collect(tx, a, st, sizeof(store_person), read_person, (void **)out, n);
}

err_code store_site_insert(store_tx *tx, store_outreach_row *s)
{
    static const char sql[] =
        "INSERT INTO edu_site(name, unit_id, address, description, created_at)"
        " VALUES (?, ?, ?, ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sissi", s->name, s->unit_id, s->address, s->description, s->created_at);
    return sq_insert(tx, st, &s->id);
}

static void read_site(arena *a, sq_stmt *st, void *row)
{
    store_outreach_row *s = row;
    s->id = sq_int(st, 0);
    s->unit_id = sq_int(st, 1);
    s->created_at = sq_int(st, 2);
    s->visitors = sq_int(st, 3);
    s->name = sq_text(a, st, 4);
    s->address = sq_text(a, st, 5);
    s->description = sq_text(a, st, 6);
    s->unit_name = sq_text(a, st, 7);
}

err_code store_site_list(store_tx *tx, arena *a, const char *scope, store_outreach_row **out,
                         size_t *n)
{
    static const char sql[] =
        "SELECT s.id, s.unit_id, s.created_at, (SELECT coalesce(sum(v.visitors),"
        " 0) FROM site_visit v WHERE v.site_id = s.id), s.name, s.address,"
        " s.description, u.name FROM edu_site s JOIN unit u ON u.id ="
        " s.unit_id WHERE {in_scope u.path} ORDER BY s.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", scope);
    return sq_collect(tx, a, st, sizeof(store_outreach_row), read_site, (void **)out, n);
}

err_code store_visit_insert(store_tx *tx, store_outreach_row *v)
{
    static const char sql[] =
        "INSERT INTO site_visit(site_id, unit_id, visited_on, visitors, topic,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iisisi", v->site_id, v->unit_id, v->visited_on, v->visitors, v->topic,
            v->created_at);
    return sq_insert(tx, st, &v->id);
}

static void read_visit(arena *a, sq_stmt *st, void *row)
{
    store_outreach_row *v = row;
    v->id = sq_int(st, 0);
    v->unit_id = sq_int(st, 1);
    v->site_id = sq_int(st, 2);
    v->visitors = sq_int(st, 3);
    v->created_at = sq_int(st, 4);
    v->visited_on = sq_text(a, st, 5);
    v->topic = sq_text(a, st, 6);
    v->unit_name = sq_text(a, st, 7);
    v->site_name = sq_text(a, st, 8);
}

err_code store_visit_list(store_tx *tx, arena *a, const char *scope, const char *from,
                          const char *to, store_outreach_row **out, size_t *n)
{
    static const char sql[] = "SELECT v.id, v.unit_id, v.site_id, v.visitors, v.created_at,"
                              " v.visited_on, v.topic, u.name, s.name FROM site_visit v JOIN unit u"
                              " ON u.id = v.unit_id JOIN edu_site s ON s.id = v.site_id WHERE "
                              "{in_scope u.path} AND (?2 IS NULL OR v.visited_on >= ?2) AND"
                              " (?3 IS NULL OR v.visited_on <= ?3) ORDER BY v.visited_on DESC, v.id"
                              " DESC LIMIT 1000";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sss", scope, from, to);
    return sq_collect(tx, a, st, sizeof(store_outreach_row), read_visit, (void **)out, n);
}

/* A unit's id and path, as store_outreach_unit reads them. */
typedef struct {
    int64_t id;
    const char *path;
} unit_ref;

static void read_unit_ref(arena *a, sq_stmt *st, void *row)
{
    unit_ref *u = row;
    u->id = sq_int(st, 0);
    u->path = sq_text(a, st, 1);
}

err_code store_outreach_unit(store_tx *tx, arena *a, const char *table, int64_t id,
                             int64_t *unit_id, const char **path)
{
    static const char brand_sql[] = "SELECT u.id, u.path FROM brand x JOIN unit u ON u.id ="
                                    " x.unit_id WHERE x.id = ?";
    static const char team_sql[] = "SELECT u.id, u.path FROM team x JOIN unit u ON u.id ="
                                   " x.unit_id WHERE x.id = ?";
    static const char site_sql[] = "SELECT u.id, u.path FROM edu_site x JOIN unit u ON u.id ="
                                   " x.unit_id WHERE x.id = ?";
    const char *sql = strcmp(table, "brand") == 0  ? brand_sql
                      : strcmp(table, "team") == 0 ? team_sql
                                                   : site_sql;
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    unit_ref u;
    err_code e = sq_one(tx, a, st, read_unit_ref, &u);
    if (e == E_OK) {
        *unit_id = u.id;
        *path = u.path;
    }
    return e;
}

/* ---- figures ---- */

#define STUDY_KEY_UNIT                                                                             \
    "CASE WHEN u.path = ?14 THEN '0' ELSE substr(u.path, length(?14) + 1,"                         \
    " {instr substr(u.path, length(?14) + 1), '/'} - 1) END"
#define STUDY_STATS(key, label)                                                                    \
    "SELECT " key " AS g, " label ", count(*), count(*) FILTER (WHERE k.category = 'discussion')," \
    " count(*) FILTER (WHERE k.category = 'lecture'),"                                             \
    " count(*) FILTER (WHERE k.category = 'outreach'), coalesce(sum(a.audience), 0),"              \
    " coalesce(sum((SELECT count(*) FROM attendance x WHERE x.activity_id = a.id AND"              \
    " x.present = 1)), 0), coalesce(sum((SELECT count(*) FROM attendance x WHERE"                  \
    " x.activity_id = a.id)), 0), count(DISTINCT CASE WHEN k.category = 'lecture' AND"             \
    " lp.rank = '普通党员' THEN a.lead_person_id END)" ACTIVITY_WHERE                              \
    " AND (?14 IS NULL OR substr(u.path, 1, length(?14)) = ?14) GROUP BY g ORDER BY g"

static const char *const study_stats_sql[] = {
    [SG_KIND] = STUDY_STATS("a.kind", "min(k.title)"),
    [SG_UNIT] = STUDY_STATS(STUDY_KEY_UNIT, "''"),
    [SG_MONTH] = STUDY_STATS("substr(a.held_on, 1, 7)", "substr(a.held_on, 1, 7)"),
    [SG_TOTAL] = STUDY_STATS("''", "''"),
};

static void read_study_group(arena *a, sq_stmt *st, void *row)
{
    store_study_group *g = row;
    g->key = sq_text(a, st, 0);
    g->label = sq_text(a, st, 1);
    int64_t *ints[] = {&g->sessions, &g->discussions, &g->lectures, &g->outreach,
                       &g->audience, &g->present,     &g->expected, &g->member_lecturers};
    for (int i = 0; i < 8; i++)
        *ints[i] = sq_int(st, 2 + i);
}

/* Outputs and site visits in the scope, subtree and period (they have their own dates). */
static err_code study_side_counts(store_tx *tx, const store_activity_filter *f,
                                  store_study_group *g)
{
    static const char outputs[] = "SELECT count(*)" OUTPUT_WHERE;
    static const char visits[] = "SELECT count(*), coalesce(sum(v.visitors), 0) FROM site_visit v"
                                 " JOIN unit u ON u.id = v.unit_id WHERE {in_scope u.path}"
                                 " AND {in_subtree u.path} AND (?3 IS NULL OR v.visited_on >="
                                 " ?3) AND (?4 IS NULL OR v.visited_on <= ?4)";
    sq_stmt *st = sq_prep(tx, outputs);
    sq_bind(st, "ssssi", f->scope, f->subtree, f->from, f->to, (int64_t)0);
    err_code e = sq_count(tx, st, &g->outputs);
    if (e != E_OK) return e;
    st = sq_prep(tx, visits);
    sq_bind(st, "ssss", f->scope, f->subtree, f->from, f->to);
    int rc = sq_step(st);
    if (rc == SQ_ROW) {
        g->visits = sq_int(st, 0);
        g->visitors = sq_int(st, 1);
    }
    sq_reset(st);
    return rc == SQ_ROW ? E_OK : (err_code)rc;
}

err_code store_study_stats(store_tx *tx, arena *a, const store_activity_filter *f, study_grouping g,
                           const char *parent_path, store_study_group **out, size_t *n)
{
    sq_stmt *st = sq_prep(tx, study_stats_sql[g]);
    bind_activity_filter(st, f);
    sq_bind_text(st, 14, parent_path);
    err_code e =
        sq_collect(tx, a, st, sizeof(store_study_group), read_study_group, (void **)out, n);
    if (e != E_OK || g != SG_TOTAL) return e;
    if (*n == 0) { /* no activity at all: still one total row */
        *out = arena_alloc(a, sizeof **out);
        memset(*out, 0, sizeof **out);
        (*out)->key = (*out)->label = "";
        *n = 1;
    }
    return study_side_counts(tx, f, &(*out)[0]);
}
