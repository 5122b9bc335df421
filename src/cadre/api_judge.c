/*
 * api_judge — 研判 and what follows it: a session (its unit, date, participants) decides clue
 * by clue (谈话函询 / 初步核实 / 暂存待查 / 予以了结, with reasons) and cadre by cadre (the
 * response to give, e.g. on a warning's proposal); a response (提醒谈话 … 移送纪检监察机关,
 * with the 诫勉谈话记录's fields and its impact period) is recorded only on such a decision,
 * once; assessments (平时考核 per quarter, the annual grade) with their evidence.
 */
#include "cadre/cadre_int.h"

#include "base/clock.h"
#include "base/jsonx.h"

#include <string.h>

static int valid_day(const char *s, int past)
{
    cal_day d;
    if (!s || cal_parse(s, &d) != 0) return 0;
    return !past || d <= cadre_today();
}

static int is_disposal(const char *s)
{
    return s && (!strcmp(s, "talk_inquiry") || !strcmp(s, "verify") || !strcmp(s, "hold") ||
                 !strcmp(s, "close"));
}

static int response_kind_months(store_tx *tx, const char *kind, int64_t *months)
{
    static const char sql[] = "SELECT impact_months FROM cadre_response_kind WHERE code = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", kind ? kind : "");
    *months = -1;
    return sq_int_or(tx, st, -1, months) == E_OK && *months >= 0;
}

/* ---- sessions ---- */

typedef struct {
    int64_t clue_id, cadre_id;
    const char *disposal, *response_kind, *reason;
} dec_body;

typedef struct {
    int64_t unit_id;
    const char *title, *held_on, *participants;
    json_t *decisions;
} session_body;

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    session_body b;
    dec_body *d;
    size_t nd;
    const char *bad;
    int64_t id;
    json_t *ids;
} session_ctx;

static err_code fail(session_ctx *c, err_code e, size_t i, const char *field)
{
    c->bad = arena_sprintf(c->a, "decisions:%zu:%s", i + 1, field);
    return e;
}

static err_code session_fn(store_tx *tx, void *ctx)
{
    session_ctx *c = ctx;
    static const char ins[] = "INSERT INTO cadre_session(unit_id, title, held_on, participants,"
                              " created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6){returning_id}";
    static const char clue_sql[] = "SELECT cadre_id, disposal FROM cadre_clue WHERE id = ?1";
    static const char dec_sql[] =
        "INSERT INTO cadre_decision(session_id, cadre_id, clue_id, disposal, response_kind, reason)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6){returning_id}";
    static const char upd[] = "UPDATE cadre_clue SET disposal = ?1, session_id = ?2, disposed_on = ?3"
                              " WHERE id = ?4 AND disposal = ''";
    store_unit u;
    err_code e = store_unit_get(tx, c->a, c->b.unit_id, &u);
    if (e == E_NOT_FOUND) c->bad = "unit_id";
    if (e != E_OK) return e;
    if (!authz_can(c->p, "cadre.write", u.path)) return E_FORBIDDEN;
    sq_stmt *st = sq_prep(tx, ins);
    sq_bind(st, "isssii", c->b.unit_id, c->b.title, c->b.held_on, c->b.participants, c->p->user_id,
            clock_now());
    if ((e = sq_insert(tx, st, &c->id)) != E_OK) return e;
    for (size_t i = 0; i < c->nd; i++) {
        dec_body *d = &c->d[i];
        if (d->clue_id) {
            st = sq_prep(tx, clue_sql);
            sq_bind_int(st, 1, d->clue_id);
            int rc = sq_step(st);
            int64_t cadre = rc == SQ_ROW ? sq_int(st, 0) : 0;
            int judged = rc == SQ_ROW && *sq_text_peek(st, 1);
            sq_reset(st);
            if (rc != SQ_ROW && rc != SQ_DONE) return (err_code)rc;
            if (!cadre) return fail(c, E_FIELD_INVALID, i, "clue_id");
            if (d->cadre_id && d->cadre_id != cadre) return fail(c, E_FIELD_INVALID, i, "cadre_id");
            if (judged) return fail(c, E_CADRE_JUDGED, i, "clue_id");
            d->cadre_id = cadre;
            if (!is_disposal(d->disposal)) return fail(c, E_FIELD_INVALID, i, "disposal");
        } else if (!d->cadre_id) {
            return fail(c, E_FIELD_REQUIRED, i, "cadre_id");
        } else if (*d->disposal) {
            return fail(c, E_FIELD_INVALID, i, "disposal");
        }
        if (!d->clue_id && !*d->response_kind) return fail(c, E_FIELD_REQUIRED, i, "response_kind");
        int64_t months;
        if (*d->response_kind && !response_kind_months(tx, d->response_kind, &months))
            return fail(c, E_FIELD_INVALID, i, "response_kind");
        e = cadre_may_read(tx, c->a, c->p, "cadre.write", d->cadre_id);
        if (e == E_NOT_FOUND) return fail(c, E_FIELD_INVALID, i, "cadre_id");
        if (e != E_OK) return e;
        st = sq_prep(tx, dec_sql);
        sq_bind(st, "ii", c->id, d->cadre_id);
        sq_bind_ref(st, 3, d->clue_id);
        sq_bind_text(st, 4, d->disposal);
        if (*d->response_kind) sq_bind_text(st, 5, d->response_kind);
        else sq_bind_null(st, 5);
        if ((e = cadre_bind_sealed(c->a, st, 6, d->reason)) != E_OK) return e;
        int64_t did;
        if ((e = sq_insert(tx, st, &did)) != E_OK) return e;
        json_array_append_new(c->ids, json_integer(did));
        if (d->clue_id) {
            st = sq_prep(tx, upd);
            sq_bind(st, "sisi", d->disposal, c->id, c->b.held_on, d->clue_id);
            if ((e = sq_exec_some(tx, st, E_CONFLICT)) != E_OK) return e;
        }
        e = cadre_audit(c->ap, tx, c->a, c->p, "cadre.decision", "cadre", d->cadre_id,
                        json_pack("{sI sI ss ss}", "session_id", (json_int_t)c->id, "clue_id",
                                  (json_int_t)d->clue_id, "disposal", d->disposal, "response_kind",
                                  d->response_kind));
        if (e != E_OK) return e;
    }
    return cadre_audit(c->ap, tx, c->a, c->p, "cadre.session.create", "cadre_session", c->id,
                       json_pack("{ss ss sI}", "title", c->b.title, "held_on", c->b.held_on,
                                 "decisions", (json_int_t)c->nd));
}

err_code api_cadre_session_create(http_req *r)
{
#define SB(f) offsetof(session_body, f)
    static const jfield spec[] = {
        {"unit_id", JF_INT, 1, SB(unit_id), 0, 1, INT64_MAX},
        {"title", JF_STR, 1, SB(title), 100, 0, 0},
        {"held_on", JF_STR, 1, SB(held_on), 10, 0, 0},
        {"participants", JF_STR, 1, SB(participants), 1000, 0, 0},
        {"decisions", JF_ARR, 1, SB(decisions), 0, 0, 0},
        JF_END,
    };
#undef SB
#define DB(f) offsetof(dec_body, f)
    static const jfield dspec[] = {
        {"clue_id", JF_INT, 0, DB(clue_id), 0, 1, INT64_MAX},
        {"cadre_id", JF_INT, 0, DB(cadre_id), 0, 1, INT64_MAX},
        {"disposal", JF_STR, 0, DB(disposal), 20, 0, 0},
        {"response_kind", JF_STR, 0, DB(response_kind), 20, 0, 0},
        {"reason", JF_STR, 1, DB(reason), 2000, 0, 0},
        JF_END,
    };
#undef DB
    session_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    uint32_t present;
    err_code e = http_parse(r, spec, &c.b, &present);
    if (e != E_OK) return e;
    if (!valid_day(c.b.held_on, 1)) return http_fail(r, E_FIELD_INVALID, "held_on");
    c.nd = json_array_size(c.b.decisions);
    if (c.nd == 0) return http_fail(r, E_FIELD_REQUIRED, "decisions");
    if (c.nd > 500) return http_fail(r, E_FIELD_TOO_LONG, "decisions");
    c.d = arena_alloc(c.a, c.nd * sizeof *c.d);
    for (size_t i = 0; i < c.nd; i++) {
        const char *field = NULL;
        c.d[i] = (dec_body){.disposal = "", .response_kind = ""};
        json_t *item = json_array_get(c.b.decisions, i);
        e = json_is_object(item) ? jsonx_parse_object(c.a, item, dspec, &c.d[i], &present, &field)
                                 : E_FIELD_TYPE;
        if (e != E_OK)
            return http_fail(r, e, arena_sprintf(c.a, "decisions:%zu%s%s", i + 1, field ? ":" : "",
                                                 field ? field : ""));
    }
    if ((e = cadre_keys(c.ap)) != E_OK) return e;
    c.ids = json_array();
    e = store_write(c.ap->st, session_fn, &c);
    if (e == E_NOT_FOUND && c.bad) e = E_FIELD_INVALID;
    if (e != E_OK) {
        json_decref(c.ids);
        return http_fail(r, e, c.bad);
    }
    return http_reply(r, 201, json_pack("{sI so}", "id", (json_int_t)c.id, "decisions", c.ids));
}

typedef struct {
    arena *a;
    const principal *p;
    const char *scope;
    json_t *items;
} sessions_ctx;

static err_code sessions_fn(store_tx *tx, void *ctx)
{
    sessions_ctx *c = ctx;
    static const char sql[] =
        "SELECT s.id, s.title, s.held_on, s.participants, u.name, (SELECT count(*) FROM"
        " cadre_decision d WHERE d.session_id = s.id), (SELECT count(*) FROM cadre_decision d WHERE"
        " d.session_id = s.id AND d.clue_id IS NOT NULL) FROM cadre_session s JOIN unit u ON u.id ="
        " s.unit_id WHERE {in_scope u.path} ORDER BY s.held_on DESC, s.id DESC LIMIT 200";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", c->scope);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(
            c->items, json_pack("{sI ss ss ss ss sI sI}", "id", (json_int_t)sq_int(st, 0), "title",
                                sq_text_peek(st, 1), "held_on", sq_text_peek(st, 2), "participants",
                                sq_text_peek(st, 3), "unit_name", sq_text_peek(st, 4), "decisions",
                                (json_int_t)sq_int(st, 5), "clues", (json_int_t)sq_int(st, 6)));
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

err_code api_cadre_sessions(http_req *r)
{
    sessions_ctx c = {http_arena(r), http_principal(r), NULL, json_array()};
    c.scope = authz_scope(c.p, "cadre.read", c.a);
    err_code e = api_read_filtered(r, sessions_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return http_reply(r, 200, json_pack("{so sI}", "items", c.items, "total",
                                        (json_int_t)json_array_size(c.items)));
}

/* ---- responses ---- */

typedef struct {
    int64_t decision_id, impact_months;
    const char *kind, *decided_on, *content, *talker, *recorder, *place, *reply_due, *finding;
} resp_body;

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    resp_body b;
    uint32_t present;
    const char *bad;
    int64_t id, cadre_id;
    char until[11];
} resp_ctx;

enum { RESP_IMPACT = 1 };

static err_code resp_fn(store_tx *tx, void *ctx)
{
    resp_ctx *c = ctx;
    static const char dsql[] = "SELECT d.cadre_id, COALESCE(d.response_kind, ''), d.used, s.held_on"
                               " FROM cadre_decision d JOIN cadre_session s ON s.id = d.session_id"
                               " WHERE d.id = ?1";
    static const char ins[] =
        "INSERT INTO cadre_response(cadre_id, decision_id, kind, decided_on, impact_months,"
        " impact_until, talker, recorder, place, reply_due, finding, content, created_by,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
        "{returning_id}";
    static const char used[] = "UPDATE cadre_decision SET used = 1 WHERE id = ?1 AND used = 0";
    int64_t months;
    if (!response_kind_months(tx, c->b.kind, &months)) return c->bad = "kind", E_FIELD_INVALID;
    if (!c->b.decision_id) return c->bad = "decision_id", E_CADRE_NO_DECISION;
    sq_stmt *st = sq_prep(tx, dsql);
    sq_bind_int(st, 1, c->b.decision_id);
    int rc = sq_step(st);
    if (rc != SQ_ROW) {
        sq_reset(st);
        if (rc != SQ_DONE) return (err_code)rc;
        return c->bad = "decision_id", E_CADRE_NO_DECISION;
    }
    c->cadre_id = sq_int(st, 0);
    int match = strcmp(sq_text_peek(st, 1), c->b.kind) == 0;
    int was_used = (int)sq_int(st, 2);
    char held[11];
    snprintf(held, sizeof held, "%s", sq_text_peek(st, 3));
    sq_reset(st);
    err_code e = cadre_may_read(tx, c->a, c->p, "cadre.write", c->cadre_id);
    if (e != E_OK) return e;
    if (!match) return c->bad = "kind", E_CADRE_NO_DECISION;
    if (was_used) return c->bad = "decision_id", E_DUPLICATE;
    if (strcmp(c->b.decided_on, held) < 0) return c->bad = "decided_on", E_FIELD_INVALID;
    if (c->present & RESP_IMPACT) months = c->b.impact_months;
    cal_day from;
    cal_parse(c->b.decided_on, &from);
    cal_format(cadre_impact_end(from, (int)months), c->until);
    st = sq_prep(tx, ins);
    sq_bind(st, "iissis", c->cadre_id, c->b.decision_id, c->b.kind, c->b.decided_on, months, c->until);
    sq_bind_text(st, 7, c->b.talker);
    sq_bind_text(st, 8, c->b.recorder);
    sq_bind_text(st, 9, c->b.place);
    sq_bind_text(st, 10, c->b.reply_due);
    sq_bind_text(st, 11, c->b.finding);
    if ((e = cadre_bind_sealed(c->a, st, 12, c->b.content)) != E_OK) return e;
    sq_bind_int(st, 13, c->p->user_id);
    sq_bind_int(st, 14, clock_now());
    if ((e = sq_insert(tx, st, &c->id)) != E_OK) return e;
    st = sq_prep(tx, used);
    sq_bind_int(st, 1, c->b.decision_id);
    if ((e = sq_exec_some(tx, st, E_CONFLICT)) != E_OK) return e;
    return cadre_audit(c->ap, tx, c->a, c->p, "cadre.response.create", "cadre", c->cadre_id,
                       json_pack("{sI ss ss sI ss}", "response_id", (json_int_t)c->id, "kind",
                                 c->b.kind, "decided_on", c->b.decided_on, "impact_months",
                                 (json_int_t)months, "impact_until", c->until));
}

err_code api_cadre_response_create(http_req *r)
{
#define RB(f) offsetof(resp_body, f)
    static const jfield spec[] = {
        {"kind", JF_STR, 1, RB(kind), 20, 0, 0},
        {"impact_months", JF_INT, 0, RB(impact_months), 0, 0, 60},
        {"decision_id", JF_INT, 0, RB(decision_id), 0, 1, INT64_MAX},
        {"decided_on", JF_STR, 1, RB(decided_on), 10, 0, 0},
        {"content", JF_STR, 1, RB(content), 8000, 0, 0},
        {"talker", JF_STR, 0, RB(talker), 100, 0, 0},
        {"recorder", JF_STR, 0, RB(recorder), 100, 0, 0},
        {"place", JF_STR, 0, RB(place), 100, 0, 0},
        {"reply_due", JF_STR, 0, RB(reply_due), 10, 0, 0},
        {"finding", JF_STR, 0, RB(finding), 10, 0, 0},
        JF_END,
    };
#undef RB
    resp_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    c.b = (resp_body){.talker = "", .recorder = "", .place = "", .reply_due = "", .finding = ""};
    err_code e = http_parse(r, spec, &c.b, &c.present);
    if (e != E_OK) return e;
    c.present = (c.present >> 1) & 1; /* bit 1 of the spec: impact_months */
    if (!valid_day(c.b.decided_on, 1)) return http_fail(r, E_FIELD_INVALID, "decided_on");
    if (*c.b.reply_due && !valid_day(c.b.reply_due, 0))
        return http_fail(r, E_FIELD_INVALID, "reply_due");
    if (strcmp(c.b.finding, "") && strcmp(c.b.finding, "true") && strcmp(c.b.finding, "partly") &&
        strcmp(c.b.finding, "false"))
        return http_fail(r, E_FIELD_INVALID, "finding");
    if (!strcmp(c.b.kind, "admonish") && (!*c.b.talker || !*c.b.recorder || !*c.b.place))
        return http_fail(r, E_FIELD_REQUIRED, !*c.b.talker ? "talker" : !*c.b.recorder ? "recorder" : "place");
    if (!strcmp(c.b.kind, "inquiry") && !*c.b.reply_due)
        return http_fail(r, E_FIELD_REQUIRED, "reply_due");
    if ((e = cadre_keys(c.ap)) != E_OK) return e;
    e = store_write(c.ap->st, resp_fn, &c);
    return cadre_reply_change(r, e, c.bad, 201,
                              json_pack("{sI ss}", "id", (json_int_t)c.id, "impact_until", c.until));
}

/* ---- assessments ---- */

typedef struct {
    int64_t cadre_id, year, quarter;
    const char *grade, *evidence;
} ass_body;

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    ass_body b;
    const char *bad;
    int64_t id;
} ass_ctx;

static err_code ass_fn(store_tx *tx, void *ctx)
{
    ass_ctx *c = ctx;
    static const char ins[] = "INSERT INTO cadre_assessment(cadre_id, year, quarter, grade, evidence)"
                              " VALUES (?1, ?2, ?3, ?4, ?5){returning_id}";
    err_code e = cadre_may_read(tx, c->a, c->p, "cadre.write", c->b.cadre_id);
    if (e == E_NOT_FOUND) c->bad = "cadre_id";
    if (e != E_OK) return e;
    if (!cadre_code_listed(tx, "grade", c->b.grade)) return c->bad = "grade", E_FIELD_INVALID;
    sq_stmt *st = sq_prep(tx, ins);
    sq_bind(st, "iiiss", c->b.cadre_id, c->b.year, c->b.quarter, c->b.grade, c->b.evidence);
    if ((e = sq_insert(tx, st, &c->id)) != E_OK) return e;
    return cadre_audit(c->ap, tx, c->a, c->p, "cadre.assessment.create", "cadre", c->b.cadre_id,
                       json_pack("{sI sI ss}", "year", (json_int_t)c->b.year, "quarter",
                                 (json_int_t)c->b.quarter, "grade", c->b.grade));
}

err_code api_cadre_assessment_create(http_req *r)
{
#define AB(f) offsetof(ass_body, f)
    static const jfield spec[] = {
        {"cadre_id", JF_INT, 1, AB(cadre_id), 0, 1, INT64_MAX},
        {"year", JF_INT, 1, AB(year), 0, 2000, 2100},
        {"quarter", JF_INT, 0, AB(quarter), 0, 0, 4},
        {"grade", JF_STR, 1, AB(grade), 20, 0, 0},
        {"evidence", JF_STR, 0, AB(evidence), 2000, 0, 0},
        JF_END,
    };
#undef AB
    ass_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    c.b.evidence = "";
    uint32_t present;
    err_code e = http_parse(r, spec, &c.b, &present);
    if (e != E_OK) return e;
    e = store_write(c.ap->st, ass_fn, &c);
    return cadre_reply_change(r, e, c.bad, 201,
                              json_pack("{sI}", "id", (json_int_t)c.id));
}
