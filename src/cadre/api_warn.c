/*
 * api_warn — the early warning and the 三挂钩 checks through the API: the warning list (cadres
 * in scope at 蓝/黄/红 with score, advice and explanation, never a clue's text, never the
 * caller's own), the configuration (weights and settings, every change audited with its old
 * and new values), and 资格审查: for a list of candidates and a purpose, who is ineligible by
 * which rule and which record. A warning only proposes: responses need a 研判 decision.
 */
#include "cadre/cadre_int.h"

#include "base/jsonx.h"

#include <string.h>

/* One "read" audit of each cadre shown (the lists show several cadres). The arena outlives the
 * transaction: the audit chain's head file is written after the commit, from its strings. */
typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *perm, *what;
    json_t *ids;
} reads_ctx;

static err_code reads_fn(store_tx *tx, void *ctx)
{
    reads_ctx *c = ctx;
    err_code e = E_OK;
    size_t i;
    json_t *v;
    json_array_foreach(c->ids, i, v) if (e == E_OK) e = cadre_audit(
        c->ap, tx, c->a, c->p, "read", "cadre", json_integer_value(v),
        json_pack("{ss ss}", "permission", c->perm, "what", c->what));
    return e;
}

static err_code audit_reads(app *ap, const principal *p, const char *perm, const char *what,
                            json_t *ids)
{
    if (!json_array_size(ids)) return E_OK;
    reads_ctx c = {ap, arena_new(), p, perm, what, ids};
    err_code e = store_write(ap->st, reads_fn, &c);
    arena_free(c.a);
    return e;
}

/* ---- warnings ---- */

typedef struct {
    arena *a;
    const principal *p;
    const char *scope;
    int64_t min_level, unit_id;
    json_t *items, *ids;
} warn_ctx;

static err_code warn_fn(store_tx *tx, void *ctx)
{
    warn_ctx *c = ctx;
    cadre_config cfg;
    err_code e = cadre_config_get(tx, &cfg);
    if (e != E_OK) return e;
    cal_day today = cadre_today();
    char from[11];
    cal_format(today - (cal_day)cfg.window_days + 1, from);
    const char *subtree = NULL;
    if (c->unit_id) {
        store_unit u;
        if ((e = store_unit_get(tx, c->a, c->unit_id, &u)) != E_OK) return e;
        subtree = u.path;
    }
    /* the cadres with a record in the window */
    static const char sql[] =
        "SELECT c.id, c.name, u.name, c.position FROM cadre c JOIN unit u ON u.id = c.unit_id"
        " WHERE {in_scope u.path} AND {in_subtree u.path} AND (c.user_id IS NULL OR c.user_id <> ?3)"
        " AND (EXISTS (SELECT 1 FROM cadre_clue cl WHERE cl.cadre_id = c.id AND cl.occurred_on >= ?4)"
        " OR EXISTS (SELECT 1 FROM cadre_response r WHERE r.cadre_id = c.id AND r.decided_on >= ?4))"
        " ORDER BY u.path, c.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssis", c->scope, subtree, c->p->user_id, from);
    typedef struct {
        int64_t id;
        const char *name, *unit, *position;
    } row;
    row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        row *x = sq_push(c->a, (void **)&rows, &n, &cap, sizeof *x);
        *x = (row){sq_int(st, 0), sq_text(c->a, st, 1), sq_text(c->a, st, 2), sq_text(c->a, st, 3)};
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    for (size_t i = 0; i < n; i++) {
        json_t *w;
        int level;
        if ((e = cadre_warning_json(tx, c->a, &cfg, rows[i].id, today, &w, &level)) != E_OK) return e;
        if (level < c->min_level) {
            json_decref(w);
            continue;
        }
        json_object_set_new(w, "cadre_id", json_integer(rows[i].id));
        json_object_set_new(w, "name", json_string(rows[i].name));
        json_object_set_new(w, "unit_name", json_string(rows[i].unit));
        json_object_set_new(w, "position", json_string(rows[i].position));
        json_array_append_new(c->items, w);
        json_array_append_new(c->ids, json_integer(rows[i].id));
    }
    return E_OK;
}

static int by_score(const void *x, const void *y)
{
    double a = json_real_value(json_object_get(*(json_t *const *)x, "score"));
    double b = json_real_value(json_object_get(*(json_t *const *)y, "score"));
    return a < b ? 1 : a > b ? -1 : 0;
}

err_code api_cadre_warnings(http_req *r)
{
    warn_ctx c = {.a = http_arena(r), .p = http_principal(r), .min_level = 1, .items = json_array(), .ids = json_array()};
    c.scope = authz_scope(c.p, "cadre.warning.read", c.a);
    static const char *const levels[] = {"blue", "yellow", "red"};
    int lv = 0;
    err_code e = http_query_choice(r, "level", levels, 3, 0, &lv);
    c.min_level = lv + 1;
    if (e == E_OK) e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = api_read_filtered(r, warn_fn, &c);
    if (e == E_OK) {
        size_t n = json_array_size(c.items);
        json_t **v = arena_alloc(c.a, (n + 1) * sizeof *v);
        for (size_t i = 0; i < n; i++)
            v[i] = json_incref(json_array_get(c.items, i));
        qsort(v, n, sizeof *v, by_score);
        json_array_clear(c.items);
        for (size_t i = 0; i < n; i++)
            json_array_append_new(c.items, v[i]);
        e = audit_reads(http_app(r), c.p, "cadre.warning.read", "warning", c.ids);
    }
    json_decref(c.ids);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    static const api_column cols[] = {{"name", "姓名"}, {"unit_name", "单位"}, {"position", "职务"},
                                      {"level_title", "预警等级"}, {"score", "分值"}, {"advice", "建议"}};
    return api_reply_list(r, c.items, (int64_t)json_array_size(c.items), cols, 6, "干部监督预警");
}

/* ---- configuration ---- */

static err_code config_read(store_tx *tx, json_t **out)
{
    static const char ssql[] = "SELECT key, value FROM cadre_setting ORDER BY key";
    static const char wsql[] = "SELECT dim, code, weight FROM cadre_weight ORDER BY dim, code";
    json_t *settings = json_object(), *weights = json_array();
    *out = json_pack("{so so}", "settings", settings, "weights", weights);
    sq_stmt *st = sq_prep(tx, ssql);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_object_set_new(settings, sq_text_peek(st, 0), json_integer(sq_int(st, 1)));
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    st = sq_prep(tx, wsql);
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(weights, json_pack("{ss ss sI}", "dim", sq_text_peek(st, 0), "code",
                                                 sq_text_peek(st, 1), "weight",
                                                 (json_int_t)sq_int(st, 2)));
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

typedef struct {
    json_t *out;
} cfg_ctx;

static err_code cfg_get_fn(store_tx *tx, void *ctx)
{
    return config_read(tx, &((cfg_ctx *)ctx)->out);
}

err_code api_cadre_config_get(http_req *r)
{
    cfg_ctx c = {.out = NULL};
    err_code e = store_read(http_app(r)->st, cfg_get_fn, &c);
    return cadre_reply_read(r, e, c.out);
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    json_t *settings, *weights, *out;
    const char *bad;
} cfg_set_ctx;

static const char *const setting_keys[] = {"window_days", "half_life_days", "level_blue",
                                           "level_yellow", "level_red", "count_clues",
                                           "count_sources", "count_days", NULL};

static err_code cfg_set_fn(store_tx *tx, void *ctx)
{
    cfg_set_ctx *c = ctx;
    static const char sset[] = "UPDATE cadre_setting SET value = ?1 WHERE key = ?2";
    static const char wset[] =
        "INSERT INTO cadre_weight(dim, code, weight) VALUES (?1, ?2, ?3) ON CONFLICT(dim, code) DO"
        " UPDATE SET weight = excluded.weight";
    store_unit root;
    err_code e = store_unit_root(tx, c->a, &root);
    if (e != E_OK) return e;
    if (!authz_can(c->p, "cadre.write", root.path)) return E_FORBIDDEN;
    json_t *before;
    if ((e = config_read(tx, &before)) != E_OK) {
        json_decref(before);
        return e;
    }
    const char *key;
    json_t *v;
    json_object_foreach(c->settings, key, v)
    {
        sq_stmt *st = sq_prep(tx, sset);
        sq_bind(st, "is", (int64_t)json_integer_value(v), key);
        if ((e = sq_exec(tx, st)) != E_OK) break;
    }
    size_t i;
    json_array_foreach(c->weights, i, v)
    {
        if (e != E_OK) break;
        const char *dim = json_string_value(json_object_get(v, "dim"));
        const char *code = json_string_value(json_object_get(v, "code"));
        const char *list = !strcmp(dim, "response") ? "response" : !strcmp(dim, "state") ? "" : dim;
        int known = !*list ? (!strcmp(code, "received") || !strcmp(code, "talk_inquiry") ||
                              !strcmp(code, "verify") || !strcmp(code, "hold") || !strcmp(code, "close"))
                           : *cadre_code_title(tx, c->a, list, code) != 0;
        if (!known) {
            c->bad = arena_sprintf(c->a, "weights:%zu:code", i + 1);
            e = E_FIELD_INVALID;
            break;
        }
        sq_stmt *st = sq_prep(tx, wset);
        sq_bind(st, "ssi", dim, code, (int64_t)json_integer_value(json_object_get(v, "weight")));
        e = sq_exec(tx, st);
    }
    cadre_config cfg;
    if (e == E_OK) e = cadre_config_get(tx, &cfg);
    if (e == E_OK && !(cfg.level_blue < cfg.level_yellow && cfg.level_yellow < cfg.level_red)) {
        c->bad = "settings:level_yellow";
        e = E_FIELD_INVALID;
    }
    if (e == E_OK) e = config_read(tx, &c->out);
    if (e == E_OK)
        e = cadre_audit(c->ap, tx, c->a, c->p, "cadre.config", "cadre_config", 1,
                        json_pack("{sO sO}", "before", before, "after", c->out));
    json_decref(before);
    return e;
}

err_code api_cadre_config_set(http_req *r)
{
    typedef struct {
        json_t *settings, *weights;
    } body;
    static const jfield spec[] = {
        {"settings", JF_OBJ, 0, offsetof(body, settings), 0, 0, 0},
        {"weights", JF_ARR, 0, offsetof(body, weights), 0, 0, 0},
        JF_END,
    };
    body b = {0};
    uint32_t present;
    err_code e = http_parse(r, spec, &b, &present);
    if (e != E_OK) return e;
    cfg_set_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r), .settings = b.settings, .weights = b.weights};
    const char *key;
    json_t *v;
    if (c.settings) json_object_foreach(c.settings, key, v)
        {
            int known = 0;
            for (int i = 0; setting_keys[i]; i++)
                if (!strcmp(setting_keys[i], key)) known = 1;
            const char *f = arena_sprintf(c.a, "settings:%s", key);
            if (!known) return http_fail(r, E_FIELD_UNKNOWN, f);
            if (!json_is_integer(v)) return http_fail(r, E_FIELD_TYPE, f);
            if (json_integer_value(v) < 0 || json_integer_value(v) > 100000)
                return http_fail(r, E_FIELD_INVALID, f);
            if (!strcmp(key, "window_days") && json_integer_value(v) < 30)
                return http_fail(r, E_FIELD_INVALID, f);
        }
    size_t i;
    if (c.weights) json_array_foreach(c.weights, i, v)
        {
            json_t *dim = json_object_get(v, "dim"), *code = json_object_get(v, "code"),
                   *w = json_object_get(v, "weight");
            const char *d = json_string_value(dim);
            if (!d || (strcmp(d, "source") && strcmp(d, "category") && strcmp(d, "state") &&
                       strcmp(d, "response")))
                return http_fail(r, E_FIELD_INVALID, arena_sprintf(c.a, "weights:%zu:dim", i + 1));
            if (!json_is_string(code))
                return http_fail(r, E_FIELD_REQUIRED, arena_sprintf(c.a, "weights:%zu:code", i + 1));
            if (!json_is_integer(w) || json_integer_value(w) < 0 || json_integer_value(w) > 20000)
                return http_fail(r, E_FIELD_INVALID, arena_sprintf(c.a, "weights:%zu:weight", i + 1));
        }
    e = store_write(c.ap->st, cfg_set_fn, &c);
    if (e != E_OK) return http_fail(r, e, c.bad);
    return http_reply(r, 200, c.out);
}

/* ---- 资格审查 ---- */

typedef struct {
    const char *purpose;
    int64_t year;
    json_t *cadre_ids;
} elig_body;

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    elig_body b;
    json_t *items;
    const char *bad;
} elig_ctx;

typedef struct {
    const char *code, *kind, *param, *title, *basis;
} rule;

static err_code check_rule(store_tx *tx, arena *a, const rule *ru, int64_t cadre, int64_t year,
                           json_t *reasons)
{
    static const char impact_sql[] =
        "SELECT r.id, k.title, r.decided_on, r.impact_until FROM cadre_response r JOIN"
        " cadre_response_kind k ON k.code = r.kind WHERE r.cadre_id = ?1 AND r.impact_months > 0"
        " AND r.decided_on <= ?2 AND r.impact_until > ?2 ORDER BY r.decided_on";
    static const char conceal_sql[] =
        "SELECT r.id, k.title, r.decided_on, r.finding FROM cadre_response r JOIN cadre_response_kind"
        " k ON k.code = r.kind JOIN cadre_decision d ON d.id = r.decision_id JOIN cadre_clue cl ON"
        " cl.id = d.clue_id WHERE r.cadre_id = ?1 AND cl.category = 'conceal' AND r.finding IN"
        " ('true', 'partly') ORDER BY r.decided_on";
    static const char grade_sql[] =
        "SELECT s.id, g.title, s.year FROM cadre_assessment s JOIN cadre_code g ON g.list = 'grade'"
        " AND g.code = s.grade WHERE s.cadre_id = ?1 AND s.year = ?2 AND s.quarter = 0 AND"
        " {instr ?3, ',' || s.grade || ','} > 0";
    char today[11];
    cal_format(cadre_today(), today);
    sq_stmt *st;
    int kind = !strcmp(ru->kind, "impact") ? 0 : !strcmp(ru->kind, "conceal") ? 1 : 2;
    if (kind == 0) {
        st = sq_prep(tx, impact_sql);
        sq_bind(st, "is", cadre, today);
    } else if (kind == 1) {
        st = sq_prep(tx, conceal_sql);
        sq_bind(st, "i", cadre);
    } else {
        st = sq_prep(tx, grade_sql);
        sq_bind(st, "iis", cadre, year, arena_sprintf(a, ",%s,", ru->param));
    }
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        json_t *rec;
        if (kind == 0)
            rec = json_pack("{ss sI ss ss ss}", "kind", "response", "id", (json_int_t)sq_int(st, 0),
                            "title", arena_sprintf(a, "%s（%s）", sq_text_peek(st, 1), sq_text_peek(st, 2)),
                            "date", sq_text_peek(st, 2), "until", sq_text_peek(st, 3));
        else if (kind == 1)
            rec = json_pack("{ss sI ss ss}", "kind", "response", "id", (json_int_t)sq_int(st, 0),
                            "title", arena_sprintf(a, "%s查核：%s", sq_text_peek(st, 1),
                                                   !strcmp(sq_text_peek(st, 3), "true") ? "属实" : "部分属实"),
                            "date", sq_text_peek(st, 2));
        else
            rec = json_pack("{ss sI ss}", "kind", "assessment", "id", (json_int_t)sq_int(st, 0),
                            "title", arena_sprintf(a, "%lld年度考核：%s", (long long)sq_int(st, 2),
                                                   sq_text_peek(st, 1)));
        json_array_append_new(reasons, json_pack("{ss ss ss so}", "rule", ru->code, "title", ru->title,
                                                 "basis", ru->basis, "record", rec));
    }
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

static err_code elig_fn(store_tx *tx, void *ctx)
{
    elig_ctx *c = ctx;
    static const char rsql[] = "SELECT code, kind, param, title, basis FROM cadre_rule WHERE"
                               " purpose = ?1 ORDER BY seq";
    static const char csql[] = "SELECT c.name, u.name, c.position FROM cadre c JOIN unit u ON u.id ="
                               " c.unit_id WHERE c.id = ?1";
    sq_stmt *st = sq_prep(tx, rsql);
    sq_bind(st, "s", c->b.purpose);
    rule *rules = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        rule *x = sq_push(c->a, (void **)&rules, &n, &cap, sizeof *x);
        *x = (rule){sq_text(c->a, st, 0), sq_text(c->a, st, 1), sq_text(c->a, st, 2),
                    sq_text(c->a, st, 3), sq_text(c->a, st, 4)};
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    size_t i;
    json_t *v;
    json_array_foreach(c->b.cadre_ids, i, v)
    {
        int64_t id = json_integer_value(v);
        err_code e = cadre_may_read(tx, c->a, c->p, "cadre.read", id);
        if (e == E_NOT_FOUND) {
            c->bad = arena_sprintf(c->a, "cadre_ids:%zu", i + 1);
            return E_FIELD_INVALID;
        }
        if (e != E_OK) return e;
        st = sq_prep(tx, csql);
        sq_bind_int(st, 1, id);
        json_t *item = NULL;
        if (sq_step(st) == SQ_ROW)
            item = json_pack("{sI ss ss ss}", "cadre_id", (json_int_t)id, "name", sq_text_peek(st, 0),
                             "unit_name", sq_text_peek(st, 1), "position", sq_text_peek(st, 2));
        sq_reset(st);
        if (!item) return E_NOT_FOUND;
        json_t *reasons = json_array();
        for (size_t k = 0; k < n && e == E_OK; k++)
            e = check_rule(tx, c->a, &rules[k], id, c->b.year, reasons);
        json_object_set_new(item, "eligible", json_boolean(json_array_size(reasons) == 0));
        json_object_set_new(item, "reasons", reasons);
        json_array_append_new(c->items, item);
        if (e != E_OK) return e;
    }
    return E_OK;
}

err_code api_cadre_eligibility(http_req *r)
{
    static const jfield spec[] = {
        {"purpose", JF_STR, 1, offsetof(elig_body, purpose), 20, 0, 0},
        {"year", JF_INT, 0, offsetof(elig_body, year), 0, 2000, 2100},
        {"cadre_ids", JF_IDS, 1, offsetof(elig_body, cadre_ids), 500, 0, 0},
        JF_END,
    };
    elig_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    int y, m, d;
    cal_to_ymd(cadre_today(), &y, &m, &d);
    c.b.year = y - 1;
    uint32_t present;
    err_code e = http_parse(r, spec, &c.b, &present);
    if (e != E_OK) return e;
    if (strcmp(c.b.purpose, "promotion") && strcmp(c.b.purpose, "award") &&
        strcmp(c.b.purpose, "reserve"))
        return http_fail(r, E_FIELD_INVALID, "purpose");
    if (!json_array_size(c.b.cadre_ids)) return http_fail(r, E_FIELD_REQUIRED, "cadre_ids");
    c.items = json_array();
    e = store_read(c.ap->st, elig_fn, &c);
    if (e == E_OK) e = audit_reads(c.ap, c.p, "cadre.read", "eligibility", c.b.cadre_ids);
    if (e != E_OK) {
        json_decref(c.items);
        return http_fail(r, e, c.bad);
    }
    size_t bad = 0, i;
    json_t *v;
    json_array_foreach(c.items, i, v) bad += !json_is_true(json_object_get(v, "eligible"));
    return http_reply(r, 200, json_pack("{ss sI so sI sI}", "purpose", c.b.purpose, "year",
                                        (json_int_t)c.b.year, "items", c.items, "total",
                                        (json_int_t)json_array_size(c.items), "ineligible",
                                        (json_int_t)bad));
}
