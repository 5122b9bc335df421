/*
 * api.c — the publishing review's HTTP handlers: term lists (read, replace), a scan of any text
 * (the editor's preview), drafts (list, create, read with hits and trail, update, submit), the
 * 三审 decision, publishing and withdrawal. The rules and their refusals live in publish.c;
 * here are the bodies' shapes and the replies.
 */
#include "publish/publish_int.h"

#include <string.h>

static err_code reply_change(http_req *r, err_code e, const char *bad)
{
    if (e == E_NOT_FOUND && bad) e = E_FIELD_INVALID;
    return http_fail(r, e, bad);
}

/* ---- term lists ---- */

typedef struct {
    arena *a;
    json_t *items;
} lists_ctx;

static err_code lists_fn(store_tx *tx, void *ctx)
{
    lists_ctx *c = ctx;
    static const char sql[] = "SELECT name, kind, category, severity, terms, updated_at, version"
                              " FROM publish_list ORDER BY kind, id";
    sq_stmt *st = sq_prep(tx, sql);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        json_t *terms = json_array();
        const char *s = sq_text_peek(st, 4);
        while (*s) {
            const char *e = strchr(s, '\n');
            size_t len = e ? (size_t)(e - s) : strlen(s);
            if (len) json_array_append_new(terms, json_stringn(s, len));
            s += len + (e ? 1 : 0);
        }
        json_array_append_new(
            c->items, json_pack("{ss ss ss sI sI so so sI}", "name", sq_text(c->a, st, 0), "kind",
                                sq_text(c->a, st, 1), "category", sq_text(c->a, st, 2), "severity",
                                (json_int_t)sq_int(st, 3), "count",
                                (json_int_t)json_array_size(terms), "terms", terms, "updated_at",
                                api_time(sq_int(st, 5)), "version", (json_int_t)sq_int(st, 6)));
    }
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

err_code api_publish_lists(http_req *r)
{
    lists_ctx c = {http_arena(r), json_array()};
    err_code e = store_read(http_app(r)->st, lists_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return http_reply(r, 200, json_pack("{so}", "items", c.items));
}

typedef struct {
    const char *kind, *category;
    int64_t severity, version;
    json_t *terms;
} list_body;

#define LB(f) offsetof(list_body, f)
static const jfield list_spec[] = {
    {"kind", JF_STR, 0, LB(kind), 10, 0, 0},
    {"category", JF_STR, 0, LB(category), 40, 0, 0},
    {"severity", JF_INT, 1, LB(severity), 0, 1, 3},
    {"terms", JF_STRS, 1, LB(terms), 20000, 0, 0},
    {"version", JF_INT, 0, LB(version), 0, 1, INT64_MAX},
    JF_END,
};
#undef LB

err_code api_publish_list_put(http_req *r)
{
    list_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, list_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = publish_list_put(http_app(r), http_arena(r), http_principal(r), http_param(r, "name"),
                         b.kind, b.category, (int)b.severity, b.terms, b.version, &bad);
    if (e != E_OK) return reply_change(r, e, bad);
    return http_reply(r, 200, json_pack("{ss sI}", "name", http_param(r, "name"), "version",
                                        (json_int_t)(b.version + 1)));
}

/* ---- scanning any text ---- */

typedef struct {
    app *ap;
    arena *a;
    const char *text;
    json_t *hits;
    int high;
} scan_ctx;

static err_code scan_fn(store_tx *tx, void *ctx)
{
    scan_ctx *c = ctx;
    return publish_scan(c->ap, tx, c->a, c->text, &c->hits, &c->high);
}

typedef struct {
    const char *text;
} scan_body;

static const jfield scan_spec[] = {
    {"text", JF_STR, 1, 0, 50000, 0, 0},
    JF_END,
};

err_code api_publish_scan(http_req *r)
{
    scan_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, scan_spec, &b, &present);
    if (e != E_OK) return e;
    scan_ctx c = {http_app(r), http_arena(r), b.text, NULL, 0};
    e = store_read(c.ap->st, scan_fn, &c);
    if (e != E_OK) return e;
    return http_reply(r, 200, json_pack("{so si}", "hits", c.hits, "high_hits", c.high));
}

/* ---- drafts ---- */

typedef struct {
    arena *a;
    const char *scope, *subtree, *state, *category; /* category: a JSON fragment to look for */
    int64_t unit_id, limit, offset, total, high;
    json_t *items;
} drafts_ctx;

#define DRAFT_WHERE                                                                                \
    " WHERE {in_scope u.path} AND {in_subtree u.path} AND (?3 = '' OR d.state = ?3)"               \
    " AND (?4 = 0 OR d.high_hits > 0) AND (?7 = '' OR {instr d.hits, ?7} > 0)"

static err_code drafts_fn(store_tx *tx, void *ctx)
{
    drafts_ctx *c = ctx;
    static const char count_sql[] = "SELECT count(*) FROM publish_draft d JOIN unit u ON"
                                    " u.id = d.unit_id" DRAFT_WHERE;
    static const char sql[] =
        "SELECT d.id, d.unit_id, u.name, d.title, d.outlet, d.state, d.high_hits, d.updated_at,"
        " au.name, COALESCE(aun.name, ''), COALESCE(d.published_at, 0), d.url, d.hits"
        " FROM publish_draft d JOIN unit u ON u.id = d.unit_id"
        " JOIN \"user\" au ON au.id = d.author_user_id LEFT JOIN unit aun ON aun.id = au.unit_id"
        DRAFT_WHERE " ORDER BY d.updated_at DESC, d.id DESC LIMIT ?5 OFFSET ?6";
    if (c->unit_id) {
        store_unit u;
        err_code e = store_unit_get(tx, c->a, c->unit_id, &u);
        if (e != E_OK) return e;
        c->subtree = u.path;
    }
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "sssi", c->scope, c->subtree, c->state, c->high);
    sq_bind_text(st, 7, c->category);
    err_code e = sq_count(tx, st, &c->total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "sssiiis", c->scope, c->subtree, c->state, c->high, c->limit, c->offset,
            c->category);
    static const char *const codes[] = {"draft", "first", "second", "final",
                                        "approved", "published", "withdrawn"};
    static const char *const titles[] = {"草稿", "待初审", "待复审", "待终审",
                                         "审核通过待发布", "已发布", "已撤稿"};
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        const char *state = sq_text(c->a, st, 5);
        const char *title = state;
        for (int i = 0; i < 7; i++)
            if (strcmp(codes[i], state) == 0) title = titles[i];
        json_t *hits = json_loads(sq_text_peek(st, 12), 0, NULL);
        json_array_append_new(
            c->items,
            json_pack("{sI sI ss ss ss ss ss sI so ss so ss sI}", "id", (json_int_t)sq_int(st, 0),
                      "unit_id", (json_int_t)sq_int(st, 1), "unit_name", sq_text(c->a, st, 2),
                      "title", sq_text(c->a, st, 3), "outlet", sq_text(c->a, st, 4), "state",
                      state, "state_title", title, "high_hits", (json_int_t)sq_int(st, 6),
                      "updated_at", api_time(sq_int(st, 7)), "author_label",
                      arena_sprintf(c->a, "%s（%s）", sq_text_peek(st, 8), sq_text_peek(st, 9)),
                      "published_at", api_time(sq_int(st, 10)), "url", sq_text(c->a, st, 11),
                      "hit_count", (json_int_t)json_array_size(hits)));
        json_decref(hits);
    }
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

static const api_column draft_columns[] = {
    {"title", "标题"},          {"unit_name", "撰稿单位"}, {"author_label", "撰稿人"},
    {"outlet", "发布平台"},     {"state_title", "环节"},   {"hit_count", "命中"},
    {"high_hits", "高风险命中"}, {"updated_at", "更新时间"}, {"url", "发布链接"},
};

err_code api_publish_drafts(http_req *r)
{
    drafts_ctx c = {.a = http_arena(r), .items = json_array(), .state = "", .category = ""};
    c.scope = authz_scope(http_principal(r), "publish.read", c.a);
    int high = 0;
    err_code e = http_query_id(r, "unit_id", &c.unit_id);
    const char *state = http_query(r, "state");
    if (state && *state) {
        static const char *const ok[] = {"draft", "first", "second", "final",
                                         "approved", "published", "withdrawn", NULL};
        int found = 0;
        for (int i = 0; ok[i]; i++) found |= strcmp(ok[i], state) == 0;
        if (!found) e = http_fail(r, E_BAD_QUERY, "state");
        else c.state = state;
    }
    if (e == E_OK) e = http_query_flag(r, "high", 0, &high);
    const char *cat = http_query(r, "category");
    if (e == E_OK && cat && *cat) {
        if (strlen(cat) > 40 || strpbrk(cat, "\"\\")) e = http_fail(r, E_BAD_QUERY, "category");
        else c.category = arena_sprintf(c.a, "\"category\":\"%s\"", cat); /* hits as stored */
    }
    c.high = high;
    if (e == E_OK) e = api_list_page(r, 50, &c.limit, &c.offset);
    if (e == E_OK) e = api_read_filtered(r, drafts_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return api_reply_list(r, c.items, c.total, draft_columns,
                          sizeof draft_columns / sizeof draft_columns[0], "稿件");
}

#define DB(f) offsetof(publish_draft_body, f)
static const jfield create_spec[] = {
    {"unit_id", JF_INT, 1, DB(unit_id), 0, 1, INT64_MAX},
    {"title", JF_STR, 1, DB(title), 200, 0, 0},
    {"body", JF_STR, 1, DB(body), 50000, 0, 0},
    {"outlet", JF_STR, 1, DB(outlet), 100, 0, 0},
    JF_END,
};
static const jfield update_spec[] = {
    {"title", JF_STR, 1, DB(title), 200, 0, 0},
    {"body", JF_STR, 1, DB(body), 50000, 0, 0},
    {"outlet", JF_STR, 1, DB(outlet), 100, 0, 0},
    {"version", JF_INT, 0, DB(version), 0, 1, INT64_MAX},
    JF_END,
};
#undef DB

typedef struct {
    const principal *p;
    arena *a;
    int64_t id;
    json_t *out;
} get_ctx;

static err_code get_fn(store_tx *tx, void *ctx)
{
    get_ctx *c = ctx;
    return publish_draft_json(tx, c->a, c->p, c->id, &c->out);
}

static err_code reply_draft(http_req *r, int status, int64_t id)
{
    get_ctx c = {http_principal(r), http_arena(r), id, NULL};
    err_code e = store_read(http_app(r)->st, get_fn, &c);
    if (e != E_OK) return e;
    return http_reply(r, status, c.out);
}

err_code api_publish_draft_create(http_req *r)
{
    publish_draft_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, create_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad;
    int64_t id;
    e = publish_draft_save(http_app(r), http_arena(r), http_principal(r), 0, &b, &id, &bad);
    if (e != E_OK) return reply_change(r, e, bad);
    return reply_draft(r, 201, id);
}

err_code api_publish_draft_get(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    return reply_draft(r, 200, id);
}

err_code api_publish_draft_update(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    publish_draft_body b = {0};
    uint32_t present;
    e = http_parse(r, update_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = publish_draft_save(http_app(r), http_arena(r), http_principal(r), id, &b, &id, &bad);
    if (e != E_OK) return reply_change(r, e, bad);
    return reply_draft(r, 200, id);
}

err_code api_publish_draft_submit(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    e = publish_draft_submit(http_app(r), http_arena(r), http_principal(r), id);
    if (e != E_OK) return e;
    return reply_draft(r, 200, id);
}

#define RB(f) offsetof(publish_review_body, f)
static const jfield review_spec[] = {
    {"decision", JF_STR, 1, RB(decision), 10, 0, 0},
    {"comment", JF_STR, 0, RB(comment), 2000, 0, 0},
    {"override_reason", JF_STR, 0, RB(override_reason), 2000, 0, 0},
    JF_END,
};
#undef RB

err_code api_publish_draft_review(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    publish_review_body b = {0};
    uint32_t present;
    e = http_parse(r, review_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = publish_draft_review(http_app(r), http_arena(r), http_principal(r), id, &b, &bad);
    if (e != E_OK) return reply_change(r, e, bad);
    return reply_draft(r, 200, id);
}

typedef struct {
    const char *text;
} text_body;

static const jfield url_spec[] = {{"url", JF_STR, 1, 0, 500, 0, 0}, JF_END};
static const jfield reason_spec[] = {{"reason", JF_STR, 1, 0, 2000, 0, 0}, JF_END};

err_code api_publish_draft_publish(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    text_body b = {0};
    uint32_t present;
    e = http_parse(r, url_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = publish_draft_publish(http_app(r), http_arena(r), http_principal(r), id, b.text, &bad);
    if (e != E_OK) return reply_change(r, e, bad);
    return reply_draft(r, 200, id);
}

err_code api_publish_draft_withdraw(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    text_body b = {0};
    uint32_t present;
    e = http_parse(r, reason_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad;
    e = publish_draft_withdraw(http_app(r), http_arena(r), http_principal(r), id, b.text, &bad);
    if (e != E_OK) return reply_change(r, e, bad);
    return reply_draft(r, 200, id);
}
