/*
 * visits — visits of the persons and enterprises of contact assignments and of stationed
 * cadres (走访, 谈心, 座谈, 电话: 思想动态, 意见建议, 困难诉求, 帮扶), and the visit plans as
 * the API shows them: an assignment's year (每个对象每期是否已走访) and a cadre's own
 * assignments with this quarter's visits. A visit is recorded by the assignment's own cadre
 * (liaison.visit) or by the 统战 office (liaison.write) for them, never by another cadre.
 */
#include "liaison/liaison_int.h"

#include "base/clock.h"
#include "problem/problem.h"

#include <string.h>

static const char *const form_codes[] = {"visit", "talk", "forum", "phone", NULL};
static const char *const form_titles[] = {"走访", "谈心", "座谈", "电话"};

static const char *form_title(const char *code)
{
    for (int i = 0; form_codes[i]; i++)
        if (strcmp(form_codes[i], code) == 0) return form_titles[i];
    return "";
}

/* ---- targets of assignments ---- */

static void read_target(arena *a, sq_stmt *st, void *row)
{
    liaison_target *t = row;
    t->owner_id = sq_int(st, 0);
    t->person_id = sq_int(st, 1);
    t->enterprise_id = sq_int(st, 2);
    t->unit_id = sq_int(st, 3);
    t->cadre_user_id = sq_int(st, 4);
    t->name = sq_text(a, st, 5);
    t->unit_path = sq_text(a, st, 6);
    t->unit_name = sq_text(a, st, 7);
    t->starts_on = sq_text(a, st, 8);
    t->ends_on = sq_text(a, st, 9);
    t->freq = liaison_freq_parse(sq_text_peek(st, 10));
    t->festivals = (int)sq_int(st, 11);
    t->name_path = sq_text(a, st, 12);
}

err_code liaison_targets(store_tx *tx, arena *a, const char *scope, int64_t cadre,
                         int64_t assignment_id, liaison_target **out, size_t *n)
{
#define TARGET_HEAD                                                                                \
    "SELECT a.id, %s, a.unit_id, a.cadre_user_id, r.name, u.path, u.name, a.starts_on,"           \
    " a.ends_on, a.frequency, a.festivals, ru.path FROM liaison_assignment a"                      \
    " JOIN unit u ON u.id = a.unit_id"
#define TARGET_WHERE                                                                               \
    " JOIN unit ru ON ru.id = r.unit_id WHERE {in_scope u.path} AND (?2 = 0 OR"                    \
    " a.cadre_user_id = ?2) AND (?3 = 0 OR a.id = ?3)"
    static const char sql[] =
        "SELECT a.id, l.ref_id, 0, a.unit_id, a.cadre_user_id, r.name, u.path, u.name,"
        " a.starts_on, a.ends_on, a.frequency, a.festivals, ru.path FROM liaison_assignment a"
        " JOIN unit u ON u.id = a.unit_id JOIN liaison_assignment_person l ON l.owner_id = a.id"
        " JOIN liaison_person r ON r.id = l.ref_id" TARGET_WHERE
        " UNION ALL SELECT a.id, 0, l.ref_id, a.unit_id, a.cadre_user_id, r.name, u.path,"
        " u.name, a.starts_on, a.ends_on, a.frequency, a.festivals, ru.path"
        " FROM liaison_assignment a JOIN unit u ON u.id = a.unit_id"
        " JOIN liaison_assignment_enterprise l ON l.owner_id = a.id"
        " JOIN liaison_enterprise r ON r.id = l.ref_id" TARGET_WHERE " ORDER BY 1, 2, 3";
#undef TARGET_HEAD
#undef TARGET_WHERE
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sii", scope, cadre, assignment_id);
    return sq_collect(tx, a, st, sizeof(liaison_target), read_target, (void **)out, n);
}

static void read_day(arena *a, sq_stmt *st, void *row)
{
    (void)a;
    if (cal_parse(sq_text_peek(st, 0), (cal_day *)row)) *(cal_day *)row = 0;
}

err_code liaison_target_visits(store_tx *tx, arena *a, const liaison_target *t, cal_day **days,
                               size_t *n)
{
    static const char sql[] = "SELECT visited_on FROM liaison_visit WHERE assignment_id = ?1"
                              " AND COALESCE(person_id, 0) = ?2 AND COALESCE(enterprise_id, 0) = ?3"
                              " ORDER BY visited_on, id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iii", t->owner_id, t->person_id, t->enterprise_id);
    return sq_collect(tx, a, st, sizeof(cal_day), read_day, (void **)days, n);
}

const char *liaison_target_name(const principal *p, const liaison_target *t)
{
    if (t->person_id && !authz_can(p, "liaison.person", t->name_path)) return "（统战对象）";
    return t->name;
}

/* ---- a visit as the API shows it ---- */

#define VISIT_COLS                                                                                 \
    "v.id, v.unit_id, COALESCE(v.assignment_id, 0), COALESCE(v.station_id, 0),"                  \
    " COALESCE(v.person_id, 0), COALESCE(v.enterprise_id, 0), v.visited_on, v.visitor_user_id,"    \
    " v.companions, v.form, v.thoughts, v.suggestions, v.requests, v.help, v.created_at,"          \
    " v.version, u.name, COALESCE(pp.name, e.name, ''), COALESCE(pu.path, ''),"                    \
    " COALESCE(lp.problem_id, 0), vu.name, COALESCE(vuu.name, '')"
#define VISIT_FROM                                                                                 \
    " FROM liaison_visit v JOIN unit u ON u.id = v.unit_id"                                        \
    " LEFT JOIN liaison_person pp ON pp.id = v.person_id LEFT JOIN unit pu ON pu.id = pp.unit_id"  \
    " LEFT JOIN liaison_enterprise e ON e.id = v.enterprise_id"                                    \
    " LEFT JOIN liaison_problem lp ON lp.visit_id = v.id"                                          \
    " JOIN \"user\" vu ON vu.id = v.visitor_user_id LEFT JOIN unit vuu ON vuu.id = vu.unit_id"

json_t *liaison_problem_json(store_tx *tx, arena *a, const app *ap, int64_t problem_id)
{
    store_problem pr;
    if (!problem_id || store_problem_get(tx, a, problem_id, &pr) != E_OK) return json_null();
    const flow_def *fd = problem_flow_def(ap);
    const char *title = pr.state;
    for (size_t i = 0; i < fd->nstates; i++)
        if (strcmp(fd->states[i].name, pr.state) == 0) title = fd->states[i].title;
    return json_pack("{sI ss ss ss ss sb ss ss}", "id", (json_int_t)pr.id, "title", pr.title,
                     "state", pr.state, "state_title", title, "deadline", pr.deadline, "overdue",
                     (int)pr.overdue, "unit_name", pr.unit_name ? pr.unit_name : "", "source",
                     pr.source);
}

static json_t *read_visit(store_tx *tx, arena *a, const app *ap, const principal *p, sq_stmt *st)
{
    int64_t person = sq_int(st, 4);
    const char *name = sq_text(a, st, 17), *path = sq_text(a, st, 18);
    if (person && !authz_can(p, "liaison.person", path)) name = "（统战对象）";
    const char *form = sq_text(a, st, 9);
    json_t *o = json_pack(
        "{sI sI sI sI sI sI ss sI ss ss ss ss ss ss ss so sI ss ss}", "id",
        (json_int_t)sq_int(st, 0), "unit_id", (json_int_t)sq_int(st, 1), "assignment_id",
        (json_int_t)sq_int(st, 2), "station_id", (json_int_t)sq_int(st, 3), "person_id",
        (json_int_t)person, "enterprise_id", (json_int_t)sq_int(st, 5), "visited_on",
        sq_text(a, st, 6), "visitor_user_id", (json_int_t)sq_int(st, 7), "visitor_label",
        arena_sprintf(a, "%s（%s）", sq_text_peek(st, 20), sq_text_peek(st, 21)), "companions",
        sq_text(a, st, 8), "form", form, "form_title", form_title(form), "thoughts",
        sq_text(a, st, 10), "suggestions", sq_text(a, st, 11), "requests", sq_text(a, st, 12),
        "created_at", api_time(sq_int(st, 14)), "version", (json_int_t)sq_int(st, 15), "unit_name",
        sq_text(a, st, 16), "target_name", name);
    json_object_set_new(o, "help", jsonx_text(sq_text_peek(st, 13)));
    json_object_set_new(o, "problem_id", json_integer(sq_int(st, 19)));
    (void)tx;
    (void)ap;
    return o;
}

/* Adds the problem (state shown back) to each visit that raised one. */
static void add_problems(store_tx *tx, arena *a, const app *ap, json_t *items)
{
    size_t i;
    json_t *o;
    json_array_foreach(items, i, o)
    {
        int64_t id = json_integer_value(json_object_get(o, "problem_id"));
        json_object_set_new(o, "problem", liaison_problem_json(tx, a, ap, id));
    }
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *scope, *subtree, *from, *to;
    int64_t unit_id, assignment_id, station_id, person_id, enterprise_id, visitor, id;
    int has_request, owner; /* owner: 0 any, 1 an assignment's, 2 a station's */
    int64_t limit, offset, total;
    json_t *items;
} visits_ctx;

#define VISIT_WHERE                                                                                \
    " WHERE {in_scope u.path} AND {in_subtree u.path} AND (?3 = 0 OR v.assignment_id = ?3)"       \
    " AND (?4 = 0 OR v.station_id = ?4) AND (?5 = 0 OR v.person_id = ?5)"                          \
    " AND (?6 = 0 OR v.enterprise_id = ?6) AND (?7 = 0 OR v.visitor_user_id = ?7)"                 \
    " AND (?8 IS NULL OR v.visited_on >= ?8) AND (?9 IS NULL OR v.visited_on <= ?9)"               \
    " AND (?10 = 0 OR v.requests <> '') AND (?11 = 0 OR v.id = ?11)"                              \
    " AND (?12 = 0 OR (?12 = 1 AND v.assignment_id IS NOT NULL)"                                   \
    " OR (?12 = 2 AND v.station_id IS NOT NULL))"

static void bind_visits(sq_stmt *st, const visits_ctx *c)
{
    sq_bind(st, "ssiiiiissiii", c->scope, c->subtree, c->assignment_id, c->station_id,
            c->person_id, c->enterprise_id, c->visitor, c->from, c->to, (int64_t)c->has_request,
            c->id, (int64_t)c->owner);
}

static err_code visits_fn(store_tx *tx, void *ctx)
{
    visits_ctx *c = ctx;
    static const char count_sql[] = "SELECT count(*) FROM liaison_visit v JOIN unit u ON u.id ="
                                    " v.unit_id" VISIT_WHERE;
    static const char sql[] = "SELECT " VISIT_COLS VISIT_FROM VISIT_WHERE
                               " ORDER BY v.visited_on DESC, v.id DESC LIMIT ?13 OFFSET ?14";
    if (c->unit_id) {
        store_unit u;
        err_code e = store_unit_get(tx, c->a, c->unit_id, &u);
        if (e != E_OK) return e;
        c->subtree = u.path;
    }
    sq_stmt *st = sq_prep(tx, count_sql);
    bind_visits(st, c);
    err_code e = sq_count(tx, st, &c->total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    bind_visits(st, c);
    sq_bind_int(st, 13, c->limit);
    sq_bind_int(st, 14, c->offset);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(c->items, read_visit(tx, c->a, c->ap, c->p, st));
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    add_problems(tx, c->a, c->ap, c->items);
    return E_OK;
}

static const api_column visit_columns[] = {
    {"visited_on", "走访日期"}, {"unit_name", "单位"},     {"target_name", "走访对象"},
    {"visitor_label", "走访人"}, {"form_title", "形式"},   {"thoughts", "思想动态"},
    {"suggestions", "意见建议"}, {"requests", "困难诉求"}, {"help", "帮扶情况"},
};

err_code api_liaison_visits_list(http_req *r)
{
    visits_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r),
                    .items = json_array()};
    c.scope = authz_scope(c.p, "liaison.read", c.a);
    int mine;
    err_code e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = http_query_id(r, "assignment_id", &c.assignment_id);
    if (e == E_OK) e = http_query_id(r, "station_id", &c.station_id);
    if (e == E_OK) e = http_query_id(r, "person_id", &c.person_id);
    if (e == E_OK) e = http_query_id(r, "enterprise_id", &c.enterprise_id);
    if (e == E_OK) e = http_query_date(r, "from", &c.from);
    if (e == E_OK) e = http_query_date(r, "to", &c.to);
    if (e == E_OK) e = http_query_flag(r, "has_request", 0, &c.has_request);
    if (e == E_OK) e = http_query_flag(r, "mine", 0, &mine);
    if (e == E_OK && mine) c.visitor = c.p->user_id;
    static const char *const owners[] = {NULL, "assignment", "station"};
    if (e == E_OK) e = http_query_choice(r, "owner", owners, 3, 0, &c.owner);
    if (e == E_OK) e = api_list_page(r, 50, &c.limit, &c.offset);
    if (e == E_OK) e = api_read_filtered(r, visits_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return api_reply_list(r, c.items, c.total, visit_columns,
                          sizeof visit_columns / sizeof visit_columns[0], "走访记录");
}

err_code api_liaison_visits_get(http_req *r)
{
    visits_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r),
                    .items = json_array(), .limit = 1};
    c.scope = authz_scope(c.p, "liaison.read", c.a);
    err_code e = http_param_id(r, "id", &c.id);
    if (e == E_OK) e = store_read(c.ap->st, visits_fn, &c);
    if (e == E_OK && json_array_size(c.items) == 0) {
        /* absent, or outside the caller's scope: tell which */
        c.scope = NULL;
        e = store_read(c.ap->st, visits_fn, &c);
        if (e == E_OK) e = json_array_size(c.items) ? E_FORBIDDEN : E_NOT_FOUND;
    }
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    json_t *o = json_incref(json_array_get(c.items, 0));
    json_decref(c.items);
    return http_reply(r, 200, o);
}

/* ---- recording a visit ---- */

#define VB(f) offsetof(visit_body, f)
static const jfield visit_spec[] = {
    {"assignment_id", JF_INT, 0, VB(assignment_id), 0, 1, INT64_MAX},
    {"station_id", JF_INT, 0, VB(station_id), 0, 1, INT64_MAX},
    {"person_id", JF_INT, 0, VB(person_id), 0, 1, INT64_MAX},
    {"enterprise_id", JF_INT, 0, VB(enterprise_id), 0, 1, INT64_MAX},
    {"visited_on", JF_STR, 1, VB(visited_on), 10, 0, 0},
    {"form", JF_STR, 1, VB(form), 10, 0, 0},
    {"companions", JF_STR, 0, VB(companions), 200, 0, 0},
    {"thoughts", JF_STR, 0, VB(thoughts), 2000, 0, 0},
    {"suggestions", JF_STR, 0, VB(suggestions), 2000, 0, 0},
    {"requests", JF_STR, 0, VB(requests), 2000, 0, 0},
    {"help", JF_STR, 0, VB(help), 2000, 0, 0},
    JF_END,
};
#undef VB

typedef struct {
    lctx c;
    const visit_body *b;
    int64_t id;
} visit_op;

/* The owner (assignment or station) of a visit: its unit, path, cadre and start. */
typedef struct {
    int64_t unit_id, cadre;
    const char *path, *starts_on;
} owner_row;

static void read_owner(arena *a, sq_stmt *st, void *row)
{
    owner_row *o = row;
    o->unit_id = sq_int(st, 0);
    o->cadre = sq_int(st, 1);
    o->path = sq_text(a, st, 2);
    o->starts_on = sq_text(a, st, 3);
}

static err_code load_owner(store_tx *tx, arena *a, int station, int64_t id, owner_row *o)
{
    static const char asg[] = "SELECT a.unit_id, a.cadre_user_id, u.path, a.starts_on FROM"
                              " liaison_assignment a JOIN unit u ON u.id = a.unit_id WHERE a.id = ?1";
    static const char sta[] = "SELECT a.unit_id, a.cadre_user_id, u.path, a.starts_on FROM"
                              " liaison_station a JOIN unit u ON u.id = a.unit_id WHERE a.id = ?1";
    sq_stmt *st = sq_prep(tx, station ? sta : asg);
    sq_bind_int(st, 1, id);
    return sq_one(tx, a, st, read_owner, o);
}

/* 1 when the target is one of the owner's (its link tables). */
static err_code is_target(store_tx *tx, int station, int64_t owner, int64_t person,
                          int64_t enterprise, int *yes)
{
    static const char ap[] = "SELECT count(*) FROM liaison_assignment_person WHERE owner_id = ?1"
                             " AND ref_id = ?2";
    static const char ae[] = "SELECT count(*) FROM liaison_assignment_enterprise WHERE"
                             " owner_id = ?1 AND ref_id = ?2";
    static const char se[] = "SELECT count(*) FROM liaison_station_enterprise WHERE owner_id = ?1"
                             " AND ref_id = ?2";
    sq_stmt *st = sq_prep(tx, station ? se : person ? ap : ae);
    sq_bind(st, "ii", owner, person ? person : enterprise);
    int64_t n = 0;
    err_code e = sq_count(tx, st, &n);
    *yes = n > 0 && !(station && person);
    return e;
}

err_code liaison_owner_access(const principal *p, const char *perm, const char *path,
                              int64_t cadre)
{
    if (authz_can(p, "liaison.write", path)) return E_OK;
    if (!authz_can(p, perm, path)) return E_FORBIDDEN;
    return p->user_id == cadre ? E_OK : E_LIAISON_NOT_OWN;
}

static err_code visit_fn(store_tx *tx, void *ctx)
{
    visit_op *op = ctx;
    lctx *c = &op->c;
    const visit_body *b = op->b;
    int station = b->station_id != 0;
    if ((b->assignment_id != 0) == station)
        return liaison_fail(c, station ? E_FIELD_INVALID : E_FIELD_REQUIRED, "assignment_id");
    if ((b->person_id != 0) == (b->enterprise_id != 0))
        return liaison_fail(c, b->person_id ? E_FIELD_INVALID : E_FIELD_REQUIRED, "person_id");
    owner_row o;
    err_code e = load_owner(tx, c->a, station, station ? b->station_id : b->assignment_id, &o);
    if (e == E_NOT_FOUND) return liaison_fail(c, E_FIELD_INVALID, station ? "station_id" : "assignment_id");
    if (e != E_OK) return e;
    e = liaison_owner_access(c->p, "liaison.visit", o.path, o.cadre);
    if (e != E_OK) return e;
    int yes;
    e = is_target(tx, station, station ? b->station_id : b->assignment_id, b->person_id,
                  b->enterprise_id, &yes);
    if (e != E_OK) return e;
    if (!yes) return liaison_fail(c, E_LIAISON_NOT_TARGET, b->person_id ? "person_id" : "enterprise_id");
    cal_day d;
    if (cal_parse(b->visited_on, &d)) return liaison_fail(c, E_FIELD_INVALID, "visited_on");
    if (d > cal_local_day(clock_now())) return liaison_fail(c, E_DATE_FUTURE, "visited_on");
    if (!*form_title(b->form)) return liaison_fail(c, E_FIELD_INVALID, "form");
    static const char sql[] =
        "INSERT INTO liaison_visit(unit_id, assignment_id, station_id, person_id, enterprise_id,"
        " visited_on, visitor_user_id, companions, form, thoughts, suggestions, requests, help,"
        " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
        " ?14, ?15) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, o.unit_id);
    sq_bind_ref(st, 2, b->assignment_id);
    sq_bind_ref(st, 3, b->station_id);
    sq_bind_ref(st, 4, b->person_id);
    sq_bind_ref(st, 5, b->enterprise_id);
    sq_bind_text(st, 6, b->visited_on);
    sq_bind_int(st, 7, o.cadre);
    sq_bind_text(st, 8, b->companions ? b->companions : "");
    sq_bind_text(st, 9, b->form);
    sq_bind_text(st, 10, b->thoughts ? b->thoughts : "");
    sq_bind_text(st, 11, b->suggestions ? b->suggestions : "");
    sq_bind_text(st, 12, b->requests ? b->requests : "");
    sq_bind_text(st, 13, b->help ? b->help : "");
    sq_bind_ref(st, 14, c->p->user_id);
    sq_bind_int(st, 15, clock_now());
    e = sq_insert(tx, st, &op->id);
    if (e != E_OK) return e;
    return liaison_audit(c, tx, "liaison.visit.create", "visit", op->id,
                         json_pack("{ss ss sI sI}", "visited_on", b->visited_on, "form", b->form,
                                   "assignment_id", (json_int_t)b->assignment_id, "station_id",
                                   (json_int_t)b->station_id));
}

err_code liaison_visit_add(app *ap, arena *a, const principal *p, const visit_body *b, int64_t *id,
                           const char **bad_field)
{
    *bad_field = NULL;
    visit_op op = {{ap, a, p, NULL, bad_field}, b, 0};
    err_code e = store_write(ap->st, visit_fn, &op);
    *id = op.id;
    return e;
}

err_code api_liaison_visits_create(http_req *r)
{
    visit_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, visit_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad;
    int64_t id;
    e = liaison_visit_add(http_app(r), http_arena(r), http_principal(r), &b, &id, &bad);
    if (e != E_OK) return liaison_reply_change(r, e, bad);
    return http_reply(r, 201, json_pack("{sI}", "id", (json_int_t)id));
}

/* ---- plans: an assignment's year, a cadre's current periods ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t assignment_id, cadre;
    int year;
    json_t *out;
} plan_ctx;

/* A target with its periods from..to (status, the visit day that met each). */
static err_code target_json(store_tx *tx, plan_ctx *c, const liaison_target *t, cal_day from,
                            cal_day to, cal_day today, json_t **out)
{
    cal_day *days;
    size_t nd;
    err_code e = liaison_target_visits(tx, c->a, t, &days, &nd);
    if (e != E_OK) return e;
    cal_day start = 0, end = 0;
    cal_parse(t->starts_on, &start);
    if (*t->ends_on) cal_parse(t->ends_on, &end);
    liaison_period pd[16];
    size_t np = liaison_periods(c->ap->cal, (liaison_freq)t->freq, t->festivals, start, end, from,
                                to, pd, 16);
    static const char *const status_names[] = {"done", "pending", "overdue"};
    json_t *periods = json_array();
    int overdue = 0;
    for (size_t i = 0; i < np; i++) {
        liaison_status s = liaison_period_status(&pd[i], days, nd, today);
        overdue += s == LIAISON_OVERDUE;
        char fr[11], du[11];
        cal_format(pd[i].from, fr);
        cal_format(pd[i].due, du);
        json_array_append_new(periods, json_pack("{ss ss ss ss ss sb sb}", "code", pd[i].code,
                                                 "title", pd[i].title, "from", fr, "due", du,
                                                 "status", status_names[s], "festival",
                                                 pd[i].festival, "estimated", pd[i].estimated));
    }
    char last[11] = "";
    if (nd) cal_format(days[nd - 1], last);
    *out = json_pack("{sI sI sI ss ss ss so si}", "assignment_id", (json_int_t)t->owner_id,
                     "person_id", (json_int_t)t->person_id, "enterprise_id",
                     (json_int_t)t->enterprise_id, "name", liaison_target_name(c->p, t), "unit_name",
                     t->unit_name, "last_visit", last, "periods", periods, "overdue", overdue);
    return E_OK;
}

static err_code plan_fn(store_tx *tx, void *ctx)
{
    plan_ctx *c = ctx;
    liaison_target *ts;
    size_t n;
    const char *scope = authz_scope(c->p, "liaison.read", c->a);
    err_code e = liaison_targets(tx, c->a, scope, c->cadre, c->assignment_id, &ts, &n);
    if (e != E_OK) return e;
    cal_day today = cal_local_day(clock_now());
    cal_day from, to;
    if (c->year) {
        from = cal_from_ymd(c->year, 1, 1);
        to = cal_from_ymd(c->year, 12, 31);
    } else { /* a cadre's view: what is due now and what lapsed in the last half year */
        from = today - 183;
        to = today + 92;
    }
    json_t *items = json_array();
    c->out = json_pack("{so}", "items", items);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        json_t *o;
        e = target_json(tx, c, &ts[i], from, to, today, &o);
        if (e == E_OK) {
            json_object_set_new(o, "cadre_label", jsonx_text(liaison_user_label(tx, c->a,
                                                                                ts[i].cadre_user_id)));
            json_array_append_new(items, o);
        }
    }
    return e;
}

/* GET /liaison/assignments/{id}/plan?year=: the year view of one assignment. */
err_code api_liaison_plan(http_req *r)
{
    plan_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    int64_t year;
    cal_day today = cal_local_day(clock_now());
    int y, m, d;
    cal_to_ymd(today, &y, &m, &d);
    err_code e = http_param_id(r, "id", &c.assignment_id);
    if (e == E_OK) e = http_query_int(r, "year", y, 2000, 2100, &year);
    if (e != E_OK) return e;
    c.year = (int)year;
    e = store_read(c.ap->st, plan_fn, &c);
    if (e == E_OK && json_array_size(json_object_get(c.out, "items")) == 0) {
        /* no target in the caller's scope: the assignment is absent or not theirs to see */
        json_decref(c.out);
        return E_NOT_FOUND;
    }
    if (e != E_OK) {
        json_decref(c.out);
        return e;
    }
    json_object_set_new(c.out, "year", json_integer(year));
    return http_reply(r, 200, c.out);
}

/* GET /liaison/mine: the caller's own targets with the periods around today. */
err_code api_liaison_mine(http_req *r)
{
    plan_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    c.cadre = c.p->user_id ? c.p->user_id : -1;
    err_code e = store_read(c.ap->st, plan_fn, &c);
    if (e != E_OK) {
        json_decref(c.out);
        return e;
    }
    char today[11];
    cal_format(cal_local_day(clock_now()), today);
    json_object_set_new(c.out, "today", json_string(today));
    return http_reply(r, 200, c.out);
}
