/*
 * problems — what this mechanism puts on the problem list, through the problem list's public
 * interface (problem/problem.h, problem_register_in): a visit's 困难诉求 (source 统战走访), a
 * problem raised at an alliance meeting and assigned to one of the alliance's departments
 * (联盟议事, 问题联解), a stationed cadre's problem of an enterprise (驻厂). The problem and the
 * link that remembers where it came from are written in one transaction; the list of them shows
 * each problem's state as the problem list has it.
 */
#include "liaison/liaison_int.h"

#include "base/clock.h"
#include "problem/problem.h"

#include <string.h>

#define RB(f) offsetof(raise_body, f)
static const jfield raise_spec[] = {
    {"unit_id", JF_INT, 1, RB(unit_id), 0, 1, INT64_MAX},
    {"deadline_workdays", JF_INT, 0, RB(deadline_workdays), 0, 1, 250},
    {"enterprise_id", JF_INT, 0, RB(enterprise_id), 0, 1, INT64_MAX},
    {"title", JF_STR, 0, RB(title), 100, 0, 0},
    {"description", JF_STR, 0, RB(description), 4000, 0, 0},
    {"category", JF_STR, 0, RB(category), 20, 0, 0},
    {"deadline", JF_STR, 0, RB(deadline), 10, 0, 0},
    {"found_on", JF_STR, 0, RB(found_on), 10, 0, 0},
    JF_END,
};
#undef RB

typedef struct {
    lctx c;
    const char *origin;
    int64_t owner_id; /* the visit, meeting or station */
    raise_body b;
    int64_t problem_id;
} raise_op;

/* Registers the problem (problem.register over its unit, checked there) and links it here. */
static err_code put_on_list(raise_op *op, store_tx *tx, const char *source, const char *title,
                            const char *description, const char *found_on, const char *subject,
                            const liaison_origin *o)
{
    lctx *c = &op->c;
    problem_input in = {
        .source = source,
        .category = op->b.category && *op->b.category ? op->b.category : source,
        .title = op->b.title && *op->b.title ? op->b.title : title,
        .description = op->b.description && *op->b.description ? op->b.description : description,
        .found_on = op->b.found_on && *op->b.found_on ? op->b.found_on : found_on,
        .unit_id = op->b.unit_id,
        .mode = "immediate",
        .subject = subject,
        .deadline = op->b.deadline,
        .deadline_workdays = op->b.deadline || op->b.deadline_workdays ? op->b.deadline_workdays
                                                                       : 20,
    };
    store_problem pr;
    err_code e = problem_register_in(tx, c->ap, c->a, c->p, &in, &pr, c->bad_field);
    if (e != E_OK) return e;
    static const char sql[] = "INSERT INTO liaison_problem(problem_id, unit_id, origin, visit_id,"
                              " meeting_id, alliance_id, station_id, created_at) VALUES (?1, ?2,"
                              " ?3, ?4, ?5, ?6, ?7, ?8)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, pr.id);
    sq_bind_int(st, 2, o->unit_id);
    sq_bind_text(st, 3, o->origin);
    sq_bind_ref(st, 4, o->visit_id);
    sq_bind_ref(st, 5, o->meeting_id);
    sq_bind_ref(st, 6, o->alliance_id);
    sq_bind_ref(st, 7, o->station_id);
    sq_bind_int(st, 8, clock_now());
    e = sq_exec(tx, st);
    if (e == E_DUPLICATE) return liaison_fail(c, E_DUPLICATE, "problem");
    if (e != E_OK) return e;
    op->problem_id = pr.id;
    return liaison_audit(c, tx, arena_sprintf(c->a, "liaison.%s.raise", o->origin), o->origin,
                         op->owner_id, json_pack("{sI ss}", "problem_id", (json_int_t)pr.id,
                                                 "title", pr.title));
}

/* A visit's 困难诉求: sent by the 统战 office (liaison.write over the visit's unit), once. */
static err_code visit_raise_fn(store_tx *tx, void *ctx)
{
    raise_op *op = ctx;
    lctx *c = &op->c;
    static const char sql[] =
        "SELECT v.unit_id, u.path, v.requests, v.visited_on, COALESCE(e.name, ''),"
        " (SELECT count(*) FROM liaison_problem lp WHERE lp.visit_id = v.id)"
        " FROM liaison_visit v JOIN unit u ON u.id = v.unit_id"
        " LEFT JOIN liaison_enterprise e ON e.id = v.enterprise_id WHERE v.id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, op->owner_id);
    int rc = sq_step(st);
    if (rc != SQ_ROW) {
        sq_reset(st);
        return rc == SQ_DONE ? E_NOT_FOUND : (err_code)rc;
    }
    liaison_origin o = {.origin = "visit", .visit_id = op->owner_id, .unit_id = sq_int(st, 0)};
    const char *path = sq_text(c->a, st, 1), *requests = sq_text(c->a, st, 2);
    const char *on = sq_text(c->a, st, 3), *firm = sq_text(c->a, st, 4);
    int64_t raised = sq_int(st, 5);
    sq_reset(st);
    if (!authz_can(c->p, "liaison.write", path)) return E_FORBIDDEN;
    if (!*requests) return liaison_fail(c, E_LIAISON_NO_REQUEST, "requests");
    if (raised) return liaison_fail(c, E_DUPLICATE, "problem");
    /* the office's own short title, else one naming the enterprise (a person is not named) */
    const char *title = op->b.title && *op->b.title ? op->b.title
                        : *firm ? arena_sprintf(c->a, "%s的困难诉求", firm)
                                : "统战对象走访中反映的困难诉求";
    return put_on_list(op, tx, LIAISON_SOURCE_VISIT, title, requests, on, firm, &o);
}

/* A problem raised at an alliance meeting, assigned to one of the alliance's departments. */
static err_code meeting_raise_fn(store_tx *tx, void *ctx)
{
    raise_op *op = ctx;
    lctx *c = &op->c;
    static const char sql[] =
        "SELECT m.unit_id, u.path, m.alliance_id, m.held_on, m.topic, (SELECT count(*) FROM"
        " liaison_alliance_dept d WHERE d.owner_id = m.alliance_id AND d.ref_id = ?2)"
        " FROM liaison_meeting m JOIN unit u ON u.id = m.unit_id WHERE m.id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", op->owner_id, op->b.unit_id);
    int rc = sq_step(st);
    if (rc != SQ_ROW) {
        sq_reset(st);
        return rc == SQ_DONE ? E_NOT_FOUND : (err_code)rc;
    }
    liaison_origin o = {.origin = "meeting", .meeting_id = op->owner_id,
                        .unit_id = sq_int(st, 0), .alliance_id = sq_int(st, 2)};
    const char *path = sq_text(c->a, st, 1), *on = sq_text(c->a, st, 3);
    const char *topic = sq_text(c->a, st, 4);
    int64_t dept = sq_int(st, 5);
    sq_reset(st);
    if (!authz_can(c->p, "liaison.write", path)) return E_FORBIDDEN;
    if (!dept) return liaison_fail(c, E_LIAISON_NOT_MEMBER, "unit_id");
    if (!op->b.title || !*op->b.title) return liaison_fail(c, E_FIELD_REQUIRED, "title");
    const char *firm = "";
    if (op->b.enterprise_id) {
        static const char fsql[] = "SELECT e.name FROM liaison_alliance_enterprise l JOIN"
                                   " liaison_enterprise e ON e.id = l.ref_id WHERE l.owner_id = ?1"
                                   " AND l.ref_id = ?2";
        st = sq_prep(tx, fsql);
        sq_bind(st, "ii", o.alliance_id, op->b.enterprise_id);
        rc = sq_step(st);
        if (rc == SQ_ROW) firm = sq_text(c->a, st, 0);
        sq_reset(st);
        if (rc != SQ_ROW) return rc == SQ_DONE ? liaison_fail(c, E_LIAISON_NOT_MEMBER, "enterprise_id")
                                               : (err_code)rc;
    }
    return put_on_list(op, tx, LIAISON_SOURCE_MEETING, op->b.title,
                       arena_sprintf(c->a, "联盟会议“%s”提出：%s", topic, op->b.title), on, firm,
                       &o);
}

/* A stationed cadre's problem of one of the station's enterprises. */
static err_code station_raise_fn(store_tx *tx, void *ctx)
{
    raise_op *op = ctx;
    lctx *c = &op->c;
    static const char sql[] =
        "SELECT s.unit_id, u.path, s.cadre_user_id, COALESCE((SELECT e.name FROM"
        " liaison_station_enterprise l JOIN liaison_enterprise e ON e.id = l.ref_id WHERE"
        " l.owner_id = s.id AND l.ref_id = ?2), '') FROM liaison_station s JOIN unit u ON u.id ="
        " s.unit_id WHERE s.id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ii", op->owner_id, op->b.enterprise_id);
    int rc = sq_step(st);
    if (rc != SQ_ROW) {
        sq_reset(st);
        return rc == SQ_DONE ? E_NOT_FOUND : (err_code)rc;
    }
    liaison_origin o = {.origin = "station", .station_id = op->owner_id, .unit_id = sq_int(st, 0)};
    const char *path = sq_text(c->a, st, 1), *firm = sq_text(c->a, st, 3);
    int64_t cadre = sq_int(st, 2);
    sq_reset(st);
    err_code e = liaison_owner_access(c->p, "liaison.visit", path, cadre);
    if (e != E_OK) return e;
    if (!op->b.enterprise_id) return liaison_fail(c, E_FIELD_REQUIRED, "enterprise_id");
    if (!*firm) return liaison_fail(c, E_LIAISON_NOT_TARGET, "enterprise_id");
    if (!op->b.title || !*op->b.title) return liaison_fail(c, E_FIELD_REQUIRED, "title");
    char today[11];
    cal_format(cal_local_day(clock_now()), today);
    return put_on_list(op, tx, LIAISON_SOURCE_STATION, op->b.title, op->b.title,
                       arena_sprintf(c->a, "%s", today), firm, &o);
}

err_code liaison_raise(app *ap, arena *a, const principal *p, const char *origin, int64_t owner,
                       const raise_body *b, int64_t *problem_id, const char **bad_field)
{
    *bad_field = NULL;
    raise_op op = {{ap, a, p, NULL, bad_field}, origin, owner, *b, 0};
    store_fn fn = strcmp(origin, "visit") == 0     ? visit_raise_fn
                  : strcmp(origin, "meeting") == 0 ? meeting_raise_fn
                                                   : station_raise_fn;
    err_code e = store_write(ap->st, fn, &op);
    *problem_id = op.problem_id;
    return e;
}

static err_code raise_reply(http_req *r, const char *origin)
{
    int64_t id, problem_id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    raise_body b = {0};
    uint32_t present;
    e = http_parse(r, raise_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = liaison_raise(http_app(r), http_arena(r), http_principal(r), origin, id, &b, &problem_id,
                      &bad);
    if (e != E_OK) return liaison_reply_change(r, e, bad);
    return http_reply(r, 201, json_pack("{sI}", "problem_id", (json_int_t)problem_id));
}

err_code api_liaison_visit_problem(http_req *r)
{
    return raise_reply(r, "visit");
}

err_code api_liaison_meeting_problem(http_req *r)
{
    return raise_reply(r, "meeting");
}

err_code api_liaison_station_problem(http_req *r)
{
    return raise_reply(r, "station");
}

/* ---- the problems raised here, with their state on the list ---- */

typedef struct {
    app *ap;
    arena *a;
    const char *scope, *subtree, *origin, *from, *to; /* from, to: found on */
    int64_t unit_id, alliance_id, station_id, meeting_id, limit, offset, total;
    int closed; /* -1 any */
    json_t *items;
} problems_ctx;

#define LP_WHERE                                                                                   \
    " FROM liaison_problem lp JOIN unit u ON u.id = lp.unit_id JOIN problem p ON p.id ="          \
    " lp.problem_id WHERE {in_scope u.path} AND {in_subtree u.path} AND (?3 IS NULL OR"            \
    " lp.origin = ?3) AND (?4 = 0 OR lp.alliance_id = ?4) AND (?5 = 0 OR lp.station_id = ?5)"      \
    " AND (?6 = 0 OR lp.meeting_id = ?6) AND (?7 < 0 OR (p.state = 'closed') = (?7 = 1))"        \
    " AND (?8 IS NULL OR p.found_on >= ?8) AND (?9 IS NULL OR p.found_on <= ?9)"

static void bind_problems(sq_stmt *st, const problems_ctx *c)
{
    sq_bind(st, "sssiiiiss", c->scope, c->subtree, c->origin, c->alliance_id, c->station_id,
            c->meeting_id, (int64_t)c->closed, c->from, c->to);
}

static err_code problems_fn(store_tx *tx, void *ctx)
{
    problems_ctx *c = ctx;
    static const char count_sql[] = "SELECT count(*)" LP_WHERE;
    static const char sql[] = "SELECT lp.problem_id, lp.origin, COALESCE(lp.visit_id, 0),"
                              " COALESCE(lp.meeting_id, 0), COALESCE(lp.alliance_id, 0),"
                              " COALESCE(lp.station_id, 0), u.name" LP_WHERE
                              " ORDER BY lp.problem_id DESC LIMIT ?10 OFFSET ?11";
    if (c->unit_id) {
        store_unit u;
        err_code e = store_unit_get(tx, c->a, c->unit_id, &u);
        if (e != E_OK) return e;
        c->subtree = u.path;
    }
    sq_stmt *st = sq_prep(tx, count_sql);
    bind_problems(st, c);
    err_code e = sq_count(tx, st, &c->total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    bind_problems(st, c);
    sq_bind_int(st, 10, c->limit);
    sq_bind_int(st, 11, c->offset);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(
            c->items, json_pack("{sI ss sI sI sI sI ss}", "problem_id", (json_int_t)sq_int(st, 0),
                                "origin", sq_text_peek(st, 1), "visit_id",
                                (json_int_t)sq_int(st, 2), "meeting_id", (json_int_t)sq_int(st, 3),
                                "alliance_id", (json_int_t)sq_int(st, 4), "station_id",
                                (json_int_t)sq_int(st, 5), "unit_name", sq_text_peek(st, 6)));
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    size_t i;
    json_t *o;
    json_array_foreach(c->items, i, o)
    {
        json_t *pr = liaison_problem_json(tx, c->a, c->ap,
                                          json_integer_value(json_object_get(o, "problem_id")));
        json_object_set_new(o, "problem", pr);
    }
    return E_OK;
}

static const api_column problem_columns[] = {
    {"problem_id", "问题编号"}, {"origin", "来源"}, {"unit_name", "提出单位"},
};

err_code api_liaison_problems_list(http_req *r)
{
    static const char *const origins[] = {"visit", "meeting", "station"};
    problems_ctx c = {.ap = http_app(r), .a = http_arena(r), .items = json_array()};
    c.scope = authz_scope(http_principal(r), "liaison.read", c.a);
    int origin = -1;
    err_code e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = http_query_choice(r, "origin", origins, 3, -1, &origin);
    if (e == E_OK) e = http_query_id(r, "alliance_id", &c.alliance_id);
    if (e == E_OK) e = http_query_id(r, "station_id", &c.station_id);
    if (e == E_OK) e = http_query_id(r, "meeting_id", &c.meeting_id);
    if (e == E_OK) e = http_query_flag(r, "closed", -1, &c.closed);
    if (e == E_OK) e = http_query_date(r, "from", &c.from);
    if (e == E_OK) e = http_query_date(r, "to", &c.to);
    if (e == E_OK) e = api_list_page(r, 50, &c.limit, &c.offset);
    c.origin = origin >= 0 ? origins[origin] : NULL;
    if (e == E_OK) e = api_read_filtered(r, problems_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return api_reply_list(r, c.items, c.total, problem_columns, 3, "统战与联盟问题");
}
