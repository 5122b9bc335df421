/*
 * api_records — the cadre supervision records through the API: cadres (ID numbers checked,
 * sealed and shown masked), the cadre's file (clues, decisions, responses, assessments and the
 * warning with its explanation; never one's own), clues submitted by the member units (who see
 * only their own submissions' state), 研判 sessions deciding clue by clue or cadre by cadre,
 * responses that need such a decision, assessments, and "who looked at cadre X". Every read
 * under cadre.read, cadre.clue.submit or cadre.warning.read is recorded in the audit chain.
 */
#include "cadre/cadre_int.h"

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

#define SQ_DONE_OR(rc) ((rc) == SQ_DONE ? E_OK : (err_code)(rc))

static int valid_date(const char *s, int past)
{
    cal_day d;
    if (!s || cal_parse(s, &d) != 0) return 0;
    return !past || d <= cadre_today();
}

/* ---- meta: the codes the forms offer ---- */

static err_code meta_fn(store_tx *tx, void *ctx)
{
    json_t *out = ctx;
    static const char sql[] = "SELECT list, code, title FROM cadre_code ORDER BY list, seq";
    static const char rsql[] = "SELECT code, title, form, impact_months FROM cadre_response_kind"
                               " ORDER BY seq";
    sq_stmt *st = sq_prep(tx, sql);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        const char *list = sq_text_peek(st, 0);
        json_t *arr = json_object_get(out, list);
        if (!arr) json_object_set_new(out, list, arr = json_array());
        json_array_append_new(arr, json_pack("{ss ss}", "code", sq_text_peek(st, 1), "title",
                                             sq_text_peek(st, 2)));
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    json_t *kinds = json_array();
    json_object_set_new(out, "response_kinds", kinds);
    st = sq_prep(tx, rsql);
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(kinds, json_pack("{ss ss sI sI}", "code", sq_text_peek(st, 0), "title",
                                               sq_text_peek(st, 1), "form", (json_int_t)sq_int(st, 2),
                                               "impact_months", (json_int_t)sq_int(st, 3)));
    sq_reset(st);
    return SQ_DONE_OR(rc);
}

err_code api_cadre_meta(http_req *r)
{
    json_t *out = json_object();
    err_code e = store_read(http_app(r)->st, meta_fn, out);
    if (e != E_OK) {
        json_decref(out);
        return e;
    }
    json_object_set_new(out, "disposals",
                        json_pack("[{ss ss} {ss ss} {ss ss} {ss ss}]", "code", "talk_inquiry", "title",
                                  "谈话函询", "code", "verify", "title", "初步核实", "code", "hold",
                                  "title", "暂存待查", "code", "close", "title", "予以了结"));
    return http_reply(r, 200, out);
}

static const char *disposal_title(const char *code)
{
    static const char *const c[] = {"talk_inquiry", "verify", "hold", "close", NULL};
    static const char *const t[] = {"谈话函询", "初步核实", "暂存待查", "予以了结"};
    for (int i = 0; code && c[i]; i++)
        if (strcmp(c[i], code) == 0) return t[i];
    return "";
}

/* ---- cadres ---- */

typedef struct {
    int64_t unit_id, user_id;
    const char *name, *gender, *birth_date, *id_number, *position, *rank, *in_post_on, *managed_by;
} cadre_body;

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    cadre_body b;
    const char *bad;
    int64_t id;
} cadre_save_ctx;

static err_code cadre_save_fn(store_tx *tx, void *ctx)
{
    cadre_save_ctx *c = ctx;
    static const char sql[] =
        "INSERT INTO cadre(unit_id, user_id, name, gender, birth_date, id_sealed, id_masked, id_hash,"
        " position, rank, in_post_on, managed_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
        " ?8, ?9, ?10, ?11, ?12, ?13){returning_id}";
    store_unit u;
    err_code e = store_unit_get(tx, c->a, c->b.unit_id, &u);
    if (e == E_NOT_FOUND) c->bad = "unit_id";
    if (e != E_OK) return e;
    if (!authz_can(c->p, "cadre.write", u.path)) return E_FORBIDDEN;
    if (!cadre_code_listed(tx, "rank", c->b.rank)) return c->bad = "rank", E_FIELD_INVALID;
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", c->b.unit_id);
    sq_bind_ref(st, 2, c->b.user_id);
    sq_bind_text(st, 3, c->b.name);
    sq_bind_text(st, 4, c->b.gender);
    sq_bind_text(st, 5, c->b.birth_date);
    if (*c->b.id_number) {
        char masked[19], hash[65];
        cadre_idno_mask(c->b.id_number, masked);
        cadre_seal_hash(c->b.id_number, hash);
        e = cadre_bind_sealed(c->a, st, 6, c->b.id_number);
        if (e != E_OK) return e;
        sq_bind_text(st, 7, masked);
        sq_bind_text(st, 8, hash);
    } else {
        sq_bind_null(st, 6);
        sq_bind_text(st, 7, "");
        sq_bind_null(st, 8);
    }
    sq_bind_text(st, 9, c->b.position);
    sq_bind_text(st, 10, c->b.rank);
    sq_bind_text(st, 11, c->b.in_post_on);
    sq_bind_text(st, 12, c->b.managed_by);
    sq_bind_int(st, 13, clock_now());
    e = sq_insert(tx, st, &c->id);
    if (e == E_DUPLICATE) c->bad = "id_number";
    if (e != E_OK) return e;
    return cadre_audit(c->ap, tx, c->a, c->p, "cadre.create", "cadre", c->id,
                       json_pack("{ss sI ss}", "name", c->b.name, "unit_id", (json_int_t)c->b.unit_id,
                                 "position", c->b.position));
}

err_code api_cadre_create(http_req *r)
{
#define CB(f) offsetof(cadre_body, f)
    static const jfield spec[] = {
        {"unit_id", JF_INT, 1, CB(unit_id), 0, 1, INT64_MAX},
        {"user_id", JF_INT, 0, CB(user_id), 0, 1, INT64_MAX},
        {"name", JF_STR, 1, CB(name), 40, 0, 0},
        {"gender", JF_STR, 0, CB(gender), 10, 0, 0},
        {"birth_date", JF_STR, 0, CB(birth_date), 10, 0, 0},
        {"id_number", JF_STR, 0, CB(id_number), 18, 0, 0},
        {"position", JF_STR, 1, CB(position), 100, 0, 0},
        {"rank", JF_STR, 0, CB(rank), 20, 0, 0},
        {"in_post_on", JF_STR, 0, CB(in_post_on), 10, 0, 0},
        {"managed_by", JF_STR, 0, CB(managed_by), 10, 0, 0},
        JF_END,
    };
#undef CB
    cadre_save_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    c.b = (cadre_body){.gender = "", .birth_date = "", .id_number = "", .rank = "section",
                       .in_post_on = "", .managed_by = "county"};
    uint32_t present;
    err_code e = http_parse(r, spec, &c.b, &present);
    if (e != E_OK) return e;
    if (strcmp(c.b.gender, "") && strcmp(c.b.gender, "male") && strcmp(c.b.gender, "female"))
        return http_fail(r, E_FIELD_INVALID, "gender");
    if (*c.b.birth_date && !valid_date(c.b.birth_date, 1))
        return http_fail(r, E_FIELD_INVALID, "birth_date");
    if (*c.b.in_post_on && !valid_date(c.b.in_post_on, 1))
        return http_fail(r, E_FIELD_INVALID, "in_post_on");
    if (strcmp(c.b.managed_by, "city") && strcmp(c.b.managed_by, "county") &&
        strcmp(c.b.managed_by, "township"))
        return http_fail(r, E_FIELD_INVALID, "managed_by");
    if (*c.b.id_number) {
        if (!cadre_idno_valid(c.b.id_number)) return http_fail(r, E_CADRE_IDNO, "id_number");
        char *id = arena_strdup(c.a, c.b.id_number);
        if (id[17] == 'x') id[17] = 'X';
        c.b.id_number = id;
    }
    if ((e = cadre_keys(c.ap)) != E_OK) return e;
    e = store_write(c.ap->st, cadre_save_fn, &c);
    return cadre_reply_change(r, e, c.bad, 201,
                              json_pack("{sI}", "id", (json_int_t)c.id));
}

typedef struct {
    arena *a;
    const principal *p;
    const char *scope, *subtree, *q;
    int64_t unit_id, limit, offset, total;
    json_t *items;
} list_ctx;

static err_code subtree_of(store_tx *tx, list_ctx *c)
{
    if (!c->unit_id) return E_OK;
    store_unit u;
    err_code e = store_unit_get(tx, c->a, c->unit_id, &u);
    if (e == E_OK) c->subtree = u.path;
    return e;
}

static err_code cadre_list_fn(store_tx *tx, void *ctx)
{
    list_ctx *c = ctx;
#define CADRE_WHERE                                                                                \
    " FROM cadre c JOIN unit u ON u.id = c.unit_id WHERE {in_scope u.path} AND"                    \
    " {in_subtree u.path} AND (?3 IS NULL OR {instr c.name, ?3} > 0)"
    static const char count_sql[] = "SELECT count(*)" CADRE_WHERE;
    static const char sql[] =
        "SELECT c.id, c.name, u.name, c.position, c.rank, c.id_masked, c.in_post_on, c.unit_id,"
        " COALESCE(c.user_id, 0)" CADRE_WHERE " ORDER BY u.path, c.id LIMIT ?4 OFFSET ?5";
    err_code e = subtree_of(tx, c);
    if (e != E_OK) return e;
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "sss", c->scope, c->subtree, c->q);
    if ((e = sq_count(tx, st, &c->total)) != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "sssii", c->scope, c->subtree, c->q, c->limit, c->offset);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(
            c->items, json_pack("{sI ss ss ss ss ss ss sI sb}", "id", (json_int_t)sq_int(st, 0),
                                "name", sq_text_peek(st, 1), "unit_name", sq_text_peek(st, 2),
                                "position", sq_text_peek(st, 3), "rank", sq_text_peek(st, 4),
                                "id_masked", sq_text_peek(st, 5), "in_post_on", sq_text_peek(st, 6),
                                "unit_id", (json_int_t)sq_int(st, 7), "self",
                                sq_int(st, 8) && sq_int(st, 8) == c->p->user_id));
    sq_reset(st);
    return SQ_DONE_OR(rc);
}

static err_code list_params(http_req *r, list_ctx *c, const char *perm)
{
    *c = (list_ctx){.a = http_arena(r), .p = http_principal(r), .items = json_array()};
    c->scope = authz_scope(c->p, perm, c->a);
    err_code e = http_query_id(r, "unit_id", &c->unit_id);
    if (e == E_OK) e = http_query_text(r, "q", HTTP_QUERY_TEXT_MAX, &c->q);
    if (e == E_OK) e = api_list_page(r, 50, &c->limit, &c->offset);
    return e;
}

err_code api_cadre_list(http_req *r)
{
    list_ctx c;
    err_code e = list_params(r, &c, "cadre.read");
    if (e == E_OK) e = api_read_filtered(r, cadre_list_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    static const api_column cols[] = {{"name", "姓名"}, {"unit_name", "单位"}, {"position", "职务"},
                                      {"id_masked", "身份证号"}, {"in_post_on", "任职时间"}};
    return api_reply_list(r, c.items, c.total, cols, 5, "干部名册");
}

/* Cadres to name in a clue (member units): name, unit and position only. */
err_code api_cadre_pick(http_req *r)
{
    list_ctx c;
    err_code e = list_params(r, &c, "cadre.clue.submit");
    if (e == E_OK && (!c.q || !*c.q)) e = http_fail(r, E_BAD_QUERY, "q");
    if (e == E_OK) c.limit = c.limit > 20 ? 20 : c.limit;
    if (e == E_OK) e = api_read_filtered(r, cadre_list_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    size_t i;
    json_t *it;
    json_array_foreach(c.items, i, it)
    {
        json_object_del(it, "id_masked");
        json_object_del(it, "in_post_on");
        json_object_del(it, "rank");
    }
    return http_reply(r, 200, json_pack("{so sI}", "items", c.items, "total", (json_int_t)c.total));
}

/* ---- the cadre's file ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    int reveal;
    json_t *out;
} file_ctx;

static json_t *timeline_item(const char *kind, int64_t id, const char *date, const char *title)
{
    return json_pack("{ss sI ss ss}", "kind", kind, "id", (json_int_t)id, "date", date, "title",
                     title);
}

static err_code clues_of(store_tx *tx, arena *a, int64_t cadre_id, json_t *clues, json_t *tl)
{
    static const char sql[] =
        "SELECT cl.id, cl.source, cl.circle, cl.category, cl.severity, cl.occurred_on,"
        " cl.description, ru.name, cl.disposal, cl.disposed_on, COALESCE(cl.session_id, 0)"
        " FROM cadre_clue cl JOIN unit ru ON ru.id = cl.reporter_unit_id WHERE cl.cadre_id = ?1"
        " ORDER BY cl.occurred_on, cl.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, cadre_id);
    int rc;
    typedef struct {
        int64_t id, sev, session;
        const char *source, *circle, *category, *on, *text, *reporter, *disposal, *disposed_on;
    } row;
    row *rows = NULL;
    size_t n = 0, cap = 0;
    while ((rc = sq_step(st)) == SQ_ROW) {
        row *x = sq_push(a, (void **)&rows, &n, &cap, sizeof *x);
        *x = (row){sq_int(st, 0), sq_int(st, 4), sq_int(st, 10), sq_text(a, st, 1),
                   sq_text(a, st, 2), sq_text(a, st, 3), sq_text(a, st, 5),
                   cadre_col_sealed(a, st, 6), sq_text(a, st, 7), sq_text(a, st, 8),
                   sq_text(a, st, 9)};
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    for (size_t i = 0; i < n; i++) {
        const char *src = cadre_code_title(tx, a, "source", rows[i].source);
        const char *cat = cadre_code_title(tx, a, "category", rows[i].category);
        json_array_append_new(
            clues, json_pack("{sI ss ss ss ss ss ss sI ss ss ss ss ss ss sI}", "id", (json_int_t)rows[i].id,
                             "source", rows[i].source, "source_title", src, "circle", rows[i].circle,
                             "circle_title", cadre_code_title(tx, a, "circle", rows[i].circle),
                             "category", rows[i].category, "category_title", cat, "severity",
                             (json_int_t)rows[i].sev, "occurred_on", rows[i].on, "description",
                             rows[i].text, "reporter_unit", rows[i].reporter, "disposal",
                             rows[i].disposal, "disposal_title", disposal_title(rows[i].disposal),
                             "disposed_on", rows[i].disposed_on, "session_id", (json_int_t)rows[i].session));
        json_array_append_new(tl, timeline_item("clue", rows[i].id, rows[i].on,
                                                arena_sprintf(a, "收到线索（%s·%s）", src, cat)));
    }
    return E_OK;
}

static err_code responses_of(store_tx *tx, arena *a, int64_t cadre_id, json_t *out, json_t *tl)
{
    static const char sql[] =
        "SELECT r.id, r.kind, k.title, k.form, r.decided_on, r.impact_months, r.impact_until,"
        " r.talker, r.recorder, r.place, r.reply_due, r.finding, r.content, r.decision_id,"
        " r.created_by FROM cadre_response r JOIN cadre_response_kind k ON k.code = r.kind"
        " WHERE r.cadre_id = ?1 ORDER BY r.decided_on, r.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, cadre_id);
    int rc;
    cal_day today = cadre_today();
    while ((rc = sq_step(st)) == SQ_ROW) {
        cal_day from = 0;
        cal_parse(sq_text_peek(st, 4), &from);
        int months = (int)sq_int(st, 5);
        json_t *o = json_pack(
            "{sI ss ss sI ss sI ss ss ss ss ss ss ss sI sb}", "id", (json_int_t)sq_int(st, 0), "kind",
            sq_text_peek(st, 1), "kind_title", sq_text_peek(st, 2), "form", (json_int_t)sq_int(st, 3),
            "decided_on", sq_text_peek(st, 4), "impact_months", (json_int_t)months, "impact_until",
            sq_text_peek(st, 6), "talker", sq_text_peek(st, 7), "recorder", sq_text_peek(st, 8),
            "place", sq_text_peek(st, 9), "reply_due", sq_text_peek(st, 10), "finding",
            sq_text_peek(st, 11), "content", cadre_col_sealed(a, st, 12), "decision_id",
            (json_int_t)sq_int(st, 13), "in_impact", cadre_in_impact(from, months, today));
        json_array_append_new(out, o);
        json_array_append_new(tl, timeline_item("response", sq_int(st, 0), sq_text_peek(st, 4),
                                                arena_sprintf(a, "处置：%s", sq_text_peek(st, 2))));
    }
    sq_reset(st);
    return SQ_DONE_OR(rc);
}

static err_code assessments_of(store_tx *tx, arena *a, int64_t cadre_id, json_t *out, json_t *tl)
{
    static const char sql[] = "SELECT s.id, s.year, s.quarter, s.grade, g.title, s.evidence FROM"
                              " cadre_assessment s LEFT JOIN cadre_code g ON g.list = 'grade' AND"
                              " g.code = s.grade WHERE s.cadre_id = ?1 ORDER BY s.year, s.quarter";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, cadre_id);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        int64_t y = sq_int(st, 1), q = sq_int(st, 2);
        json_array_append_new(out, json_pack("{sI sI sI ss ss ss}", "id", (json_int_t)sq_int(st, 0),
                                             "year", (json_int_t)y, "quarter", (json_int_t)q, "grade",
                                             sq_text_peek(st, 3), "grade_title", sq_text_peek(st, 4),
                                             "evidence", sq_text_peek(st, 5)));
        const char *date = q ? arena_sprintf(a, "%04lld-%02lld-28", (long long)y, (long long)(q * 3))
                             : arena_sprintf(a, "%04lld-12-31", (long long)y);
        json_array_append_new(
            tl, timeline_item("assessment", sq_int(st, 0), date,
                              q ? arena_sprintf(a, "%lld年第%lld季度平时考核：%s", (long long)y,
                                                (long long)q, sq_text_peek(st, 4))
                                : arena_sprintf(a, "%lld年度考核：%s", (long long)y, sq_text_peek(st, 4))));
    }
    sq_reset(st);
    return SQ_DONE_OR(rc);
}

static err_code decisions_of(store_tx *tx, arena *a, int64_t cadre_id, json_t *out, json_t *tl)
{
    static const char sql[] =
        "SELECT d.id, d.session_id, s.title, s.held_on, COALESCE(d.clue_id, 0), d.disposal,"
        " COALESCE(d.response_kind, ''), d.reason, d.used FROM cadre_decision d JOIN cadre_session s"
        " ON s.id = d.session_id WHERE d.cadre_id = ?1 ORDER BY s.held_on, d.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, cadre_id);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        json_array_append_new(
            out, json_pack("{sI sI ss ss sI ss ss ss ss sb}", "id", (json_int_t)sq_int(st, 0),
                           "session_id", (json_int_t)sq_int(st, 1), "session_title", sq_text_peek(st, 2),
                           "held_on", sq_text_peek(st, 3), "clue_id", (json_int_t)sq_int(st, 4),
                           "disposal", sq_text_peek(st, 5), "disposal_title",
                           disposal_title(sq_text_peek(st, 5)), "response_kind", sq_text_peek(st, 6),
                           "reason", cadre_col_sealed(a, st, 7), "used", (int)sq_int(st, 8)));
        json_array_append_new(tl, timeline_item("decision", sq_int(st, 0), sq_text_peek(st, 3),
                                                arena_sprintf(a, "研判：%s", sq_text_peek(st, 2))));
    }
    sq_reset(st);
    return SQ_DONE_OR(rc);
}

static int by_date(const void *x, const void *y)
{
    const char *a = json_string_value(json_object_get(*(json_t *const *)x, "date"));
    const char *b = json_string_value(json_object_get(*(json_t *const *)y, "date"));
    return strcmp(a ? a : "", b ? b : "");
}

static err_code file_fn(store_tx *tx, void *ctx)
{
    file_ctx *c = ctx;
    err_code e = cadre_may_read(tx, c->a, c->p, "cadre.read", c->id);
    if (e != E_OK) return e;
    static const char sql[] =
        "SELECT c.name, c.gender, c.birth_date, c.id_masked, c.id_sealed, c.position, c.rank,"
        " c.in_post_on, c.managed_by, c.unit_id, u.name, c.version FROM cadre c JOIN unit u ON"
        " u.id = c.unit_id WHERE c.id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, c->id);
    if (sq_step(st) != SQ_ROW) {
        sq_reset(st);
        return E_NOT_FOUND;
    }
    c->out = json_pack("{sI ss ss ss ss ss ss ss ss sI ss sI}", "id", (json_int_t)c->id, "name",
                       sq_text_peek(st, 0), "gender", sq_text_peek(st, 1), "birth_date",
                       sq_text_peek(st, 2), "id_masked", sq_text_peek(st, 3), "position",
                       sq_text_peek(st, 5), "rank", sq_text_peek(st, 6), "in_post_on",
                       sq_text_peek(st, 7), "managed_by", sq_text_peek(st, 8), "unit_id",
                       (json_int_t)sq_int(st, 9), "unit_name", sq_text_peek(st, 10), "version",
                       (json_int_t)sq_int(st, 11));
    if (c->reveal && !sq_is_null(st, 4))
        json_object_set_new(c->out, "id_number", json_string(cadre_col_sealed(c->a, st, 4)));
    char rank[20];
    snprintf(rank, sizeof rank, "%s", sq_text_peek(st, 6));
    sq_reset(st);
    json_object_set_new(c->out, "rank_title", json_string(cadre_code_title(tx, c->a, "rank", rank)));
    json_t *clues = json_array(), *resp = json_array(), *ass = json_array(), *dec = json_array(),
           *tl = json_array();
    json_object_set_new(c->out, "clues", clues);
    json_object_set_new(c->out, "decisions", dec);
    json_object_set_new(c->out, "responses", resp);
    json_object_set_new(c->out, "assessments", ass);
    e = clues_of(tx, c->a, c->id, clues, tl);
    if (e == E_OK) e = decisions_of(tx, c->a, c->id, dec, tl);
    if (e == E_OK) e = responses_of(tx, c->a, c->id, resp, tl);
    if (e == E_OK) e = assessments_of(tx, c->a, c->id, ass, tl);
    cadre_config cfg;
    json_t *w = NULL;
    int level;
    if (e == E_OK) e = cadre_config_get(tx, &cfg);
    if (e == E_OK) e = cadre_warning_json(tx, c->a, &cfg, c->id, cadre_today(), &w, &level);
    if (w) json_object_set_new(c->out, "warning", w);
    size_t n = json_array_size(tl);
    json_t **v = arena_alloc(c->a, (n + 1) * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(tl, i));
    qsort(v, n, sizeof *v, by_date);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(sorted, v[i]);
    json_decref(tl);
    json_object_set_new(c->out, "timeline", sorted);
    return e;
}

err_code api_cadre_get(http_req *r)
{
    file_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    err_code e = http_param_id(r, "id", &c.id);
    if (e == E_OK) e = http_query_flag(r, "reveal", 0, &c.reveal);
    if (e != E_OK) return e;
    if (c.reveal && !authz_has(c.p, "cadre.write")) return http_fail(r, E_FORBIDDEN, "reveal");
    if ((e = cadre_keys(c.ap)) != E_OK) return e;
    e = mech_read(c.ap, c.p, "cadre.read", arena_sprintf(c.a, "cadre:%lld", (long long)c.id),
                  file_fn, &c);
    return cadre_reply_read(r, e, c.out);
}

/* ---- who looked at cadre X (audit.read over the root) ---- */

typedef struct {
    arena *a;
    const principal *p;
    int64_t id;
    json_t *items;
} who_ctx;

static err_code who_fn(store_tx *tx, void *ctx)
{
    who_ctx *c = ctx;
    store_unit root;
    err_code e = store_unit_root(tx, c->a, &root);
    if (e != E_OK) return e;
    if (!authz_can(c->p, "audit.read", root.path)) return E_FORBIDDEN;
    const char *path;
    if ((e = cadre_path(tx, c->a, c->id, &path, NULL)) != E_OK) return e;
    static const char sql[] =
        "SELECT seq, at, COALESCE(actor_id, 0), actor, object, detail FROM audit WHERE action = 'read'"
        " AND (object = ?1 OR object IN (SELECT 'cadre_clue:' || CAST(id AS TEXT) FROM cadre_clue"
        " WHERE cadre_id = ?2)) ORDER BY seq DESC LIMIT 1000";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "si", arena_sprintf(c->a, "cadre:%lld", (long long)c->id), c->id);
    typedef struct {
        int64_t seq, at, uid;
        const char *actor, *object, *detail;
    } row;
    row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        row *x = sq_push(c->a, (void **)&rows, &n, &cap, sizeof *x);
        *x = (row){sq_int(st, 0), sq_int(st, 1), sq_int(st, 2), sq_text(c->a, st, 3),
                   sq_text(c->a, st, 4), sq_text(c->a, st, 5)};
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    for (size_t i = 0; i < n; i++) {
        json_t *d = json_loads(rows[i].detail, 0, NULL);
        json_t *perm = d ? json_object_get(d, "permission") : NULL, *what = d ? json_object_get(d, "what") : NULL;
        json_array_append_new(
            c->items, json_pack("{sI so ss ss ss ss}", "seq", (json_int_t)rows[i].seq, "at",
                                api_time(rows[i].at), "who",
                                rows[i].uid ? cadre_user_label(tx, c->a, rows[i].uid) : rows[i].actor,
                                "object", rows[i].object, "permission",
                                json_is_string(perm) ? json_string_value(perm) : "", "what",
                                json_is_string(what) ? json_string_value(what) : ""));
        json_decref(d);
    }
    return E_OK;
}

err_code api_cadre_reads(http_req *r)
{
    who_ctx c = {http_arena(r), http_principal(r), 0, json_array()};
    err_code e = http_param_id(r, "id", &c.id);
    if (e == E_OK) e = store_read(http_app(r)->st, who_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return http_reply(r, 200, json_pack("{so sI}", "items", c.items, "total",
                                        (json_int_t)json_array_size(c.items)));
}

/* ---- clues: submitted by member units ---- */

typedef struct {
    int64_t cadre_id, severity;
    const char *source, *circle, *category, *occurred_on, *description;
} clue_body;

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    clue_body b;
    const char *bad;
    int64_t id;
} clue_ctx;

static err_code clue_fn(store_tx *tx, void *ctx)
{
    clue_ctx *c = ctx;
    static const char sql[] =
        "INSERT INTO cadre_clue(cadre_id, source, circle, category, severity, occurred_on,"
        " description, reporter_unit_id, submitted_by, submitted_at) VALUES (?1, ?2, ?3, ?4, ?5,"
        " ?6, ?7, ?8, ?9, ?10){returning_id}";
    err_code e = cadre_may_read(tx, c->a, c->p, "cadre.clue.submit", c->b.cadre_id);
    if (e == E_NOT_FOUND) c->bad = "cadre_id";
    if (e != E_OK) return e;
    if (!cadre_code_listed(tx, "source", c->b.source)) return c->bad = "source", E_FIELD_INVALID;
    if (!cadre_code_listed(tx, "circle", c->b.circle)) return c->bad = "circle", E_FIELD_INVALID;
    if (!cadre_code_listed(tx, "category", c->b.category))
        return c->bad = "category", E_FIELD_INVALID;
    int64_t unit = c->p->unit_id;
    if (!unit) {
        store_unit root;
        if ((e = store_unit_root(tx, c->a, &root)) != E_OK) return e;
        unit = root.id;
    }
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isssiss", c->b.cadre_id, c->b.source, c->b.circle, c->b.category, c->b.severity,
            c->b.occurred_on, NULL);
    if ((e = cadre_bind_sealed(c->a, st, 7, c->b.description)) != E_OK) return e;
    sq_bind_int(st, 8, unit);
    sq_bind_int(st, 9, c->p->user_id);
    sq_bind_int(st, 10, clock_now());
    if ((e = sq_insert(tx, st, &c->id)) != E_OK) return e;
    return cadre_audit(c->ap, tx, c->a, c->p, "cadre.clue.submit", "cadre_clue", c->id,
                       json_pack("{sI ss ss}", "cadre_id", (json_int_t)c->b.cadre_id, "source",
                                 c->b.source, "category", c->b.category));
}

err_code api_cadre_clue_submit(http_req *r)
{
#define LB(f) offsetof(clue_body, f)
    static const jfield spec[] = {
        {"cadre_id", JF_INT, 1, LB(cadre_id), 0, 1, INT64_MAX},
        {"source", JF_STR, 1, LB(source), 30, 0, 0},
        {"circle", JF_STR, 1, LB(circle), 30, 0, 0},
        {"category", JF_STR, 1, LB(category), 30, 0, 0},
        {"severity", JF_INT, 0, LB(severity), 0, 1, 3},
        {"occurred_on", JF_STR, 1, LB(occurred_on), 10, 0, 0},
        {"description", JF_STR, 1, LB(description), 4000, 0, 0},
        JF_END,
    };
#undef LB
    clue_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    c.b.severity = 1;
    uint32_t present;
    err_code e = http_parse(r, spec, &c.b, &present);
    if (e != E_OK) return e;
    if (!valid_date(c.b.occurred_on, 1)) return http_fail(r, E_FIELD_INVALID, "occurred_on");
    if ((e = cadre_keys(c.ap)) != E_OK) return e;
    e = store_write(c.ap->st, clue_fn, &c);
    return cadre_reply_change(r, e, c.bad, 201,
                              json_pack("{sI ss}", "id", (json_int_t)c.id, "state", "待研判"));
}

/* A member unit's own submissions: the cadre, what kind, when, and only whether judged. */
static err_code submissions_fn(store_tx *tx, void *ctx)
{
    list_ctx *c = ctx;
    static const char count_sql[] = "SELECT count(*) FROM cadre_clue WHERE reporter_unit_id = ?1";
    static const char sql[] =
        "SELECT cl.id, c.name, u.name, s.title, cl.occurred_on, cl.submitted_at, cl.disposal FROM"
        " cadre_clue cl JOIN cadre c ON c.id = cl.cadre_id JOIN unit u ON u.id = c.unit_id LEFT"
        " JOIN cadre_code s ON s.list = 'source' AND s.code = cl.source WHERE cl.reporter_unit_id"
        " = ?1 ORDER BY cl.submitted_at DESC, cl.id DESC LIMIT ?2 OFFSET ?3";
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind_int(st, 1, c->p->unit_id);
    err_code e = sq_count(tx, st, &c->total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "iii", c->p->unit_id, c->limit, c->offset);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(
            c->items, json_pack("{sI ss ss ss ss so ss}", "id", (json_int_t)sq_int(st, 0), "cadre_name",
                                sq_text_peek(st, 1), "cadre_unit", sq_text_peek(st, 2), "source_title",
                                sq_text_peek(st, 3), "occurred_on", sq_text_peek(st, 4), "submitted_at",
                                api_time(sq_int(st, 5)), "state",
                                *sq_text_peek(st, 6) ? "已研判" : "待研判"));
    sq_reset(st);
    return SQ_DONE_OR(rc);
}

err_code api_cadre_submissions(http_req *r)
{
    list_ctx c;
    err_code e = list_params(r, &c, "cadre.clue.submit");
    if (e == E_OK) e = api_read_filtered(r, submissions_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    static const api_column cols[] = {{"cadre_name", "干部"}, {"cadre_unit", "单位"},
                                      {"source_title", "来源"}, {"occurred_on", "发生时间"},
                                      {"state", "状态"}};
    return api_reply_list(r, c.items, c.total, cols, 5, "报送线索");
}

/* The section's list of clues (texts included): ?state=pending|judged, ?cadre_id=. */
typedef struct {
    list_ctx l;
    const char *state;
    int64_t cadre_id;
    const char *f[5]; /* ?source= ?circle= ?category= ?month= ?disposal= (drill-down) */
} clues_ctx;

static err_code clues_fn(store_tx *tx, void *ctx)
{
    clues_ctx *c = ctx;
#define CLUE_WHERE                                                                                 \
    " FROM cadre_clue cl JOIN cadre c ON c.id = cl.cadre_id JOIN unit u ON u.id = c.unit_id JOIN"  \
    " unit ru ON ru.id = cl.reporter_unit_id WHERE {in_scope u.path} AND {in_subtree u.path} AND"  \
    " (?3 IS NULL OR (?3 = 'pending' AND cl.disposal = '') OR (?3 = 'judged' AND cl.disposal <> ''))" \
    " AND (?4 = 0 OR cl.cadre_id = ?4) AND (c.user_id IS NULL OR c.user_id <> ?5) AND (?6 IS NULL"  \
    " OR cl.source = ?6) AND (?7 IS NULL OR cl.circle = ?7) AND (?8 IS NULL OR cl.category = ?8)"  \
    " AND (?9 IS NULL OR substr(cl.occurred_on, 1, 7) = ?9) AND (?10 IS NULL OR cl.disposal = ?10)"
    static const char count_sql[] = "SELECT count(*)" CLUE_WHERE;
    static const char sql[] =
        "SELECT cl.id, cl.cadre_id, c.name, u.name, cl.source, cl.category, cl.circle, cl.severity,"
        " cl.occurred_on, cl.description, ru.name, cl.disposal" CLUE_WHERE
        " ORDER BY cl.occurred_on, cl.id LIMIT ?11 OFFSET ?12";
    err_code e = subtree_of(tx, &c->l);
    if (e != E_OK) return e;
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "sssiisssss", c->l.scope, c->l.subtree, c->state, c->cadre_id, c->l.p->user_id,
            c->f[0], c->f[1], c->f[2], c->f[3], c->f[4]);
    if ((e = sq_count(tx, st, &c->l.total)) != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "sssiisssssii", c->l.scope, c->l.subtree, c->state, c->cadre_id, c->l.p->user_id,
            c->f[0], c->f[1], c->f[2], c->f[3], c->f[4], c->l.limit, c->l.offset);
    typedef struct {
        int64_t id, cadre_id, sev;
        const char *name, *unit, *source, *category, *circle, *on, *text, *reporter, *disposal;
    } row;
    row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        row *x = sq_push(c->l.a, (void **)&rows, &n, &cap, sizeof *x);
        arena *a = c->l.a;
        *x = (row){sq_int(st, 0), sq_int(st, 1), sq_int(st, 7), sq_text(a, st, 2), sq_text(a, st, 3),
                   sq_text(a, st, 4), sq_text(a, st, 5), sq_text(a, st, 6), sq_text(a, st, 8),
                   cadre_col_sealed(a, st, 9), sq_text(a, st, 10), sq_text(a, st, 11)};
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    for (size_t i = 0; i < n; i++) {
        arena *a = c->l.a;
        json_array_append_new(
            c->l.items,
            json_pack("{sI sI ss ss ss ss ss ss sI ss ss ss ss ss}", "id", (json_int_t)rows[i].id,
                      "cadre_id", (json_int_t)rows[i].cadre_id, "cadre_name", rows[i].name,
                      "cadre_unit", rows[i].unit, "source", rows[i].source, "source_title",
                      cadre_code_title(tx, a, "source", rows[i].source), "category_title",
                      cadre_code_title(tx, a, "category", rows[i].category), "circle_title",
                      cadre_code_title(tx, a, "circle", rows[i].circle), "severity",
                      (json_int_t)rows[i].sev, "occurred_on", rows[i].on, "description", rows[i].text,
                      "reporter_unit", rows[i].reporter, "disposal", rows[i].disposal,
                      "disposal_title", disposal_title(rows[i].disposal)));
    }
    return E_OK;
}

err_code api_cadre_clues(http_req *r)
{
    clues_ctx c;
    err_code e = list_params(r, &c.l, "cadre.read");
    static const char *const states[] = {"pending", "judged"};
    int s = -1;
    c.state = NULL;
    c.cadre_id = 0;
    if (e == E_OK) e = http_query_choice(r, "state", states, 2, -1, &s);
    if (e == E_OK && s >= 0) c.state = states[s];
    if (e == E_OK) e = http_query_id(r, "cadre_id", &c.cadre_id);
    static const char *const drill[] = {"source", "circle", "category", "month", "disposal"};
    for (int i = 0; i < 5; i++) {
        c.f[i] = NULL;
        if (e == E_OK) e = http_query_text(r, drill[i], 30, &c.f[i]);
    }
    if (e == E_OK) e = cadre_keys(http_app(r));
    if (e == E_OK) e = api_read_filtered(r, clues_fn, &c);
    if (e != E_OK) {
        json_decref(c.l.items);
        return e;
    }
    static const api_column cols[] = {{"cadre_name", "干部"}, {"cadre_unit", "单位"},
                                      {"source_title", "来源"}, {"category_title", "类别"},
                                      {"occurred_on", "发生时间"}, {"disposal_title", "处置"}};
    return api_reply_list(r, c.l.items, c.l.total, cols, 6, "监督线索");
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    json_t *out;
} clue_get_ctx;

static err_code clue_get_fn(store_tx *tx, void *ctx)
{
    clue_get_ctx *c = ctx;
    static const char sql[] = "SELECT cadre_id FROM cadre_clue WHERE id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, c->id);
    int64_t cadre_id = 0;
    err_code e = sq_int_or(tx, st, 0, &cadre_id);
    if (e != E_OK) return e;
    if (!cadre_id) return E_NOT_FOUND;
    if ((e = cadre_may_read(tx, c->a, c->p, "cadre.read", cadre_id)) != E_OK) return e;
    json_t *all = json_array(), *tl = json_array();
    e = clues_of(tx, c->a, cadre_id, all, tl);
    json_decref(tl);
    size_t i;
    json_t *it;
    json_array_foreach(all, i, it) if (json_integer_value(json_object_get(it, "id")) == c->id)
        c->out = json_incref(it);
    json_decref(all);
    if (e == E_OK && !c->out) e = E_NOT_FOUND;
    if (e == E_OK) json_object_set_new(c->out, "cadre_id", json_integer(cadre_id));
    return e;
}

err_code api_cadre_clue_get(http_req *r)
{
    clue_get_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    err_code e = http_param_id(r, "id", &c.id);
    if (e == E_OK) e = cadre_keys(c.ap);
    if (e == E_OK)
        e = mech_read(c.ap, c.p, "cadre.read", arena_sprintf(c.a, "cadre_clue:%lld", (long long)c.id),
                      clue_get_fn, &c);
    return cadre_reply_read(r, e, c.out);
}
