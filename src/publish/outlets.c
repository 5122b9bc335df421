/*
 * outlets.c — the register of outlets (政务网站 and 新媒体账号): platform, name, account id,
 * 主办单位 (the unit), 主管领导, administrators and who holds the password, purpose, audience
 * figures and the last post; each lifecycle change (开设, 变更, 关停, 注销) a 备案 filed by the
 * unit (publish.write) and decided by the propaganda side (publish.approve), one pending at a
 * time, applied only when approved; 年检 once a year; freshness flags (idle after idle_days,
 * 僵尸 after zombie_days without a post, both configurable) computed from the last post with
 * the server's clock. Rules and handlers together; every change audited in its transaction.
 */
#include "publish/publish_int.h"

#include "base/clock.h"
#include "flow/calendar.h"

#include <stdlib.h>
#include <string.h>

static const char *const platform_codes[] = {"website", "wechat", "channels", "douyin", "kuaishou",
                                             "weibo", "toutiao", "app", "other", NULL};
static const char *const platform_titles[] = {"政务网站", "微信公众号", "视频号", "抖音", "快手",
                                              "微博", "头条号", "客户端", "其他"};
static const char *const status_codes[] = {"pending", "open", "closed", "cancelled", NULL};
static const char *const status_titles[] = {"开设备案中", "运行中", "已关停", "已注销"};
static const char *const kind_codes[] = {"open", "change", "close", "cancel", NULL};
static const char *const kind_titles[] = {"开设", "变更", "关停", "注销"};

static const char *title_of(const char *const *codes, const char *const *titles, const char *c)
{
    for (int i = 0; codes[i]; i++)
        if (strcmp(codes[i], c) == 0) return titles[i];
    return NULL;
}

/* ---- settings ---- */

err_code publish_thresholds(store_tx *tx, int64_t *idle, int64_t *zombie)
{
    static const char sql[] = "SELECT value FROM publish_setting WHERE key = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", "idle_days");
    err_code e = sq_int_or(tx, st, 14, idle);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "s", "zombie_days");
    return sq_int_or(tx, st, 90, zombie);
}

/* ---- an outlet as the API shows it ---- */

#define OUTLET_COLS                                                                                \
    "o.id, o.unit_id, u.name, u.path, o.platform, o.name, o.account_id, o.leader, o.admins,"      \
    " o.password_holder, o.purpose, o.fans, o.users, o.last_post_on, o.status, o.updated_at,"     \
    " o.version, COALESCE((SELECT f.id FROM publish_filing f WHERE f.outlet_id = o.id AND"         \
    " f.state = 'pending'), 0), COALESCE((SELECT f.kind FROM publish_filing f WHERE"              \
    " f.outlet_id = o.id AND f.state = 'pending'), ''), COALESCE((SELECT max(c.year) FROM"        \
    " publish_check c WHERE c.outlet_id = o.id), 0)"

static json_t *read_outlet(arena *a, sq_stmt *st, cal_day today, int64_t idle, int64_t zombie)
{
    const char *platform = sq_text(a, st, 4), *status = sq_text(a, st, 14);
    const char *last = sq_text(a, st, 13);
    cal_day d;
    json_t *days = json_null();
    const char *flag = "none";
    if (*last && cal_parse(last, &d) == 0) {
        int64_t n = today - d;
        days = json_integer(n);
        if (strcmp(status, "open") == 0) flag = n > zombie ? "zombie" : n > idle ? "idle" : "fresh";
    } else if (strcmp(status, "open") == 0) {
        flag = "unknown";
    }
    static const char *const flag_codes[] = {"none", "fresh", "idle", "zombie", "unknown", NULL};
    static const char *const flag_titles[] = {"", "正常更新", "超过两周未更新", "僵尸账号",
                                              "未填报更新日期"};
    json_t *o = json_pack(
        "{sI sI ss sI ss ss ss ss ss ss ss ss sI sI ss ss ss ss so so sI}", "id",
        (json_int_t)sq_int(st, 0), "unit_id", (json_int_t)sq_int(st, 1), "unit_name",
        sq_text(a, st, 2), "last_check_year", (json_int_t)sq_int(st, 19), "platform", platform,
        "platform_title", title_of(platform_codes, platform_titles, platform), "name",
        sq_text(a, st, 5), "account_id", sq_text(a, st, 6), "leader", sq_text(a, st, 7), "admins",
        sq_text(a, st, 8), "password_holder", sq_text(a, st, 9), "purpose", sq_text(a, st, 10),
        "fans", (json_int_t)sq_int(st, 11), "users", (json_int_t)sq_int(st, 12), "last_post_on",
        last, "status", status, "status_title", title_of(status_codes, status_titles, status),
        "flag", flag, "days_since_post", days, "updated_at", api_time(sq_int(st, 15)), "version",
        (json_int_t)sq_int(st, 16));
    json_object_set_new(o, "flag_title", json_string(title_of(flag_codes, flag_titles, flag)));
    int64_t pf = sq_int(st, 17);
    json_object_set_new(o, "pending_filing",
                        pf ? json_pack("{sI ss ss}", "id", (json_int_t)pf, "kind", sq_text(a, st, 18),
                                       "kind_title",
                                       title_of(kind_codes, kind_titles, sq_text_peek(st, 18)))
                           : json_null());
    return o;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *scope, *subtree, *status, *platform, *flag;
    int64_t unit_id, id, limit, offset, total;
    json_t *items;
} outlets_ctx;

#define OUTLET_WHERE                                                                               \
    " WHERE {in_scope u.path} AND {in_subtree u.path} AND (?3 = '' OR o.status = ?3)"              \
    " AND (?4 = '' OR o.platform = ?4) AND (?5 = 0 OR o.id = ?5)"                                  \
    " AND (?6 = '' OR (o.status = 'open' AND o.last_post_on <> '' AND o.last_post_on < ?6"         \
    " AND o.last_post_on >= ?7))"

static err_code outlets_fn(store_tx *tx, void *ctx)
{
    outlets_ctx *c = ctx;
    static const char count_sql[] = "SELECT count(*) FROM publish_outlet o JOIN unit u ON"
                                    " u.id = o.unit_id" OUTLET_WHERE;
    static const char sql[] = "SELECT " OUTLET_COLS " FROM publish_outlet o JOIN unit u ON"
                              " u.id = o.unit_id" OUTLET_WHERE
                              " ORDER BY u.path, o.platform, o.name LIMIT ?8 OFFSET ?9";
    if (c->unit_id) {
        store_unit u;
        err_code e = store_unit_get(tx, c->a, c->unit_id, &u);
        if (e != E_OK) return e;
        c->subtree = u.path;
    }
    int64_t idle, zombie;
    err_code e = publish_thresholds(tx, &idle, &zombie);
    if (e != E_OK) return e;
    cal_day today = cal_local_day(clock_now());
    /* idle: last post before today - idle and on or after today - zombie; zombie: before that */
    char upper[11] = "", lower[11] = "0000-00-00";
    if (*c->flag) {
        cal_format(today - (cal_day)(strcmp(c->flag, "zombie") == 0 ? zombie : idle), upper);
        if (strcmp(c->flag, "idle") == 0) cal_format(today - (cal_day)zombie, lower);
    }
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "ssssiss", c->scope, c->subtree, c->status, c->platform, c->id, upper, lower);
    e = sq_count(tx, st, &c->total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "ssssissii", c->scope, c->subtree, c->status, c->platform, c->id, upper, lower,
            c->limit, c->offset);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(c->items, read_outlet(c->a, st, today, idle, zombie));
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

static const api_column outlet_columns[] = {
    {"unit_name", "主办单位"},   {"platform_title", "平台"},  {"name", "名称"},
    {"account_id", "账号"},      {"leader", "主管领导"},      {"admins", "管理员"},
    {"fans", "粉丝数"},          {"users", "注册用户数"},     {"last_post_on", "最近更新"},
    {"status_title", "状态"},    {"flag_title", "更新情况"},
};

err_code api_publish_outlets(http_req *r)
{
    outlets_ctx c = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r),
                     .items = json_array(), .status = "", .platform = "", .flag = ""};
    c.scope = authz_scope(c.p, "publish.read", c.a);
    err_code e = http_query_id(r, "unit_id", &c.unit_id);
    const char *v;
    if (e == E_OK && (v = http_query(r, "status")) && *v) {
        if (!title_of(status_codes, status_titles, v)) e = http_fail(r, E_BAD_QUERY, "status");
        else c.status = v;
    }
    if (e == E_OK && (v = http_query(r, "platform")) && *v) {
        if (!title_of(platform_codes, platform_titles, v)) e = http_fail(r, E_BAD_QUERY, "platform");
        else c.platform = v;
    }
    if (e == E_OK && (v = http_query(r, "flag")) && *v) {
        if (strcmp(v, "idle") && strcmp(v, "zombie")) e = http_fail(r, E_BAD_QUERY, "flag");
        else c.flag = v;
    }
    if (e == E_OK) e = api_list_page(r, 100, &c.limit, &c.offset);
    if (e == E_OK) e = api_read_filtered(r, outlets_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return api_reply_list(r, c.items, c.total, outlet_columns,
                          sizeof outlet_columns / sizeof outlet_columns[0], "新媒体账号和网站");
}

/* One outlet with its filings and checks; E_FORBIDDEN outside p's scope. */
static err_code outlet_one(store_tx *tx, arena *a, app *ap, const principal *p, int64_t id,
                           json_t **out)
{
    outlets_ctx c = {.ap = ap, .a = a, .p = p, .items = json_array(), .status = "",
                     .platform = "", .flag = "", .id = id, .limit = 1};
    err_code e = outlets_fn(tx, &c);
    if (e == E_OK && json_array_size(c.items) == 0) e = E_NOT_FOUND;
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    json_t *o = json_incref(json_array_get(c.items, 0));
    json_decref(c.items);
    static const char path_sql[] = "SELECT u.path FROM publish_outlet o JOIN unit u ON"
                                   " u.id = o.unit_id WHERE o.id = ?1";
    sq_stmt *st = sq_prep(tx, path_sql);
    sq_bind_int(st, 1, id);
    const char *path = "";
    if (sq_step(st) == SQ_ROW) path = sq_text(a, st, 0);
    sq_reset(st);
    if (p && !authz_can(p, "publish.read", path)) {
        json_decref(o);
        return E_FORBIDDEN;
    }
    static const char fsql[] =
        "SELECT f.id, f.kind, f.changes, f.reason, f.state, f.filed_at, fu.name,"
        " COALESCE(fuu.name, ''), COALESCE(f.decided_at, 0), COALESCE(du.name, ''),"
        " COALESCE(duu.name, ''), f.comment FROM publish_filing f JOIN \"user\" fu ON fu.id = f.filed_by"
        " LEFT JOIN unit fuu ON fuu.id = fu.unit_id LEFT JOIN \"user\" du ON du.id = f.decided_by"
        " LEFT JOIN unit duu ON duu.id = du.unit_id WHERE f.outlet_id = ?1 ORDER BY f.id";
    st = sq_prep(tx, fsql);
    sq_bind_int(st, 1, id);
    json_t *filings = json_array();
    int rc;
    static const char *const st_codes[] = {"pending", "approved", "rejected", NULL};
    static const char *const st_titles[] = {"待审批", "已批准", "未批准"};
    while ((rc = sq_step(st)) == SQ_ROW) {
        const char *kind = sq_text(a, st, 1), *state = sq_text(a, st, 4);
        json_t *changes = json_loads(sq_text_peek(st, 2), 0, NULL);
        const char *decider = sq_text(a, st, 9);
        json_array_append_new(
            filings,
            json_pack("{sI ss ss so ss ss ss so ss so ss}", "id", (json_int_t)sq_int(st, 0), "kind",
                      kind, "kind_title", title_of(kind_codes, kind_titles, kind), "changes",
                      changes ? changes : json_object(), "reason", sq_text(a, st, 3), "state",
                      state, "state_title", title_of(st_codes, st_titles, state), "filed_at",
                      api_time(sq_int(st, 5)), "filed_by_label",
                      arena_sprintf(a, "%s（%s）", sq_text_peek(st, 6), sq_text_peek(st, 7)),
                      "decided_at", api_time(sq_int(st, 8)), "comment", sq_text(a, st, 11)));
        json_object_set_new(json_array_get(filings, json_array_size(filings) - 1),
                            "decided_by_label",
                            *decider ? json_string(arena_sprintf(a, "%s（%s）", decider,
                                                                 sq_text_peek(st, 10)))
                                     : json_null());
    }
    sq_reset(st);
    if (rc != SQ_DONE) {
        json_decref(filings);
        json_decref(o);
        return (err_code)rc;
    }
    json_object_set_new(o, "filings", filings);
    static const char csql[] = "SELECT c.year, c.result, c.note, c.checked_at, cu.name,"
                               " COALESCE(cuu.name, '') FROM publish_check c JOIN \"user\" cu ON"
                               " cu.id = c.checked_by LEFT JOIN unit cuu ON cuu.id = cu.unit_id"
                               " WHERE c.outlet_id = ?1 ORDER BY c.year DESC";
    static const char *const res_codes[] = {"pass", "fix", "fail", NULL};
    static const char *const res_titles[] = {"合格", "限期整改", "不合格"};
    st = sq_prep(tx, csql);
    sq_bind_int(st, 1, id);
    json_t *checks = json_array();
    while ((rc = sq_step(st)) == SQ_ROW) {
        const char *res = sq_text(a, st, 1);
        json_array_append_new(
            checks, json_pack("{sI ss ss ss so ss}", "year", (json_int_t)sq_int(st, 0), "result",
                              res, "result_title", title_of(res_codes, res_titles, res), "note",
                              sq_text(a, st, 2), "checked_at", api_time(sq_int(st, 3)),
                              "checked_by_label",
                              arena_sprintf(a, "%s（%s）", sq_text_peek(st, 4), sq_text_peek(st, 5))));
    }
    sq_reset(st);
    json_object_set_new(o, "checks", checks);
    *out = o;
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    json_t *out;
} one_ctx;

static err_code one_fn(store_tx *tx, void *ctx)
{
    one_ctx *c = ctx;
    return outlet_one(tx, c->a, c->ap, c->p, c->id, &c->out);
}

static err_code reply_outlet(http_req *r, int status, int64_t id)
{
    one_ctx c = {http_app(r), http_arena(r), http_principal(r), id, NULL};
    err_code e = store_read(c.ap->st, one_fn, &c);
    if (e != E_OK) return e;
    return http_reply(r, status, c.out);
}

err_code api_publish_outlet_get(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    return reply_outlet(r, 200, id);
}

/* ---- filing: 开设 with the outlet, then 变更 / 关停 / 注销 ---- */


#define OB(f) offsetof(outlet_body, f)
static const jfield create_spec[] = {
    {"unit_id", JF_INT, 1, OB(unit_id), 0, 1, INT64_MAX},
    {"platform", JF_STR, 1, OB(platform), 20, 0, 0},
    {"name", JF_STR, 1, OB(name), 100, 0, 0},
    {"account_id", JF_STR, 0, OB(account_id), 100, 0, 0},
    {"leader", JF_STR, 0, OB(leader), 100, 0, 0},
    {"admins", JF_STR, 0, OB(admins), 200, 0, 0},
    {"password_holder", JF_STR, 0, OB(password_holder), 100, 0, 0},
    {"purpose", JF_STR, 0, OB(purpose), 1000, 0, 0},
    {"fans", JF_INT, 0, OB(fans), 0, 0, 1000000000000},
    {"users", JF_INT, 0, OB(users), 0, 0, 1000000000000},
    {"last_post_on", JF_STR, 0, OB(last_post_on), 10, 0, 0},
    {"reason", JF_STR, 0, OB(reason), 1000, 0, 0},
    JF_END,
};
/* What a 变更 may change (the unit, platform and figures are not part of a change filing). */
static const jfield change_spec[] = {
    {"name", JF_STR, 0, OB(name), 100, 0, 0},
    {"account_id", JF_STR, 0, OB(account_id), 100, 0, 0},
    {"leader", JF_STR, 0, OB(leader), 100, 0, 0},
    {"admins", JF_STR, 0, OB(admins), 200, 0, 0},
    {"password_holder", JF_STR, 0, OB(password_holder), 100, 0, 0},
    {"purpose", JF_STR, 0, OB(purpose), 1000, 0, 0},
    JF_END,
};
static const jfield filing_spec[] = {
    {"kind", JF_STR, 1, OB(kind), 10, 0, 0},
    {"changes", JF_OBJ, 0, OB(changes), 0, 0, 0},
    {"reason", JF_STR, 1, OB(reason), 1000, 0, 0},
    JF_END,
};
static const jfield activity_spec[] = {
    {"last_post_on", JF_STR, 0, OB(last_post_on), 10, 0, 0},
    {"fans", JF_INT, 0, OB(fans), 0, 0, 1000000000000},
    {"users", JF_INT, 0, OB(users), 0, 0, 1000000000000},
    JF_END,
};
#undef OB

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char **bad;
    const outlet_body *b;
    uint32_t present;
    int64_t id, out_id;
} outlet_op;

static err_code ofail(outlet_op *op, err_code e, const char *field)
{
    *op->bad = field ? arena_strdup(op->a, field) : NULL;
    return e;
}

static err_code audit_outlet(outlet_op *op, store_tx *tx, const char *action, int64_t id,
                             json_t *detail)
{
    return app_audit(op->ap, tx, op->a, op->p, action,
                     arena_sprintf(op->a, "publish_outlet:%lld", (long long)id), detail);
}

static err_code check_day(outlet_op *op, const char *s)
{
    if (!s || !*s) return E_OK;
    cal_day d;
    if (cal_parse(s, &d)) return ofail(op, E_FIELD_INVALID, "last_post_on");
    if (d > cal_local_day(clock_now())) return ofail(op, E_DATE_FUTURE, "last_post_on");
    return E_OK;
}

static err_code create_fn(store_tx *tx, void *ctx)
{
    outlet_op *op = ctx;
    const outlet_body *b = op->b;
    store_unit u;
    err_code e = store_unit_get(tx, op->a, b->unit_id, &u);
    if (e == E_NOT_FOUND) return ofail(op, E_FIELD_INVALID, "unit_id");
    if (e != E_OK) return e;
    if (!authz_can(op->p, "publish.write", u.path)) return E_FORBIDDEN;
    if (!title_of(platform_codes, platform_titles, b->platform))
        return ofail(op, E_FIELD_INVALID, "platform");
    e = check_day(op, b->last_post_on);
    if (e != E_OK) return e;
    int64_t now = clock_now();
    static const char sql[] =
        "INSERT INTO publish_outlet(unit_id, platform, name, account_id, leader, admins,"
        " password_holder, purpose, fans, users, last_post_on, created_at, updated_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isssssssiisi", b->unit_id, b->platform, b->name, b->account_id ? b->account_id : "",
            b->leader ? b->leader : "", b->admins ? b->admins : "",
            b->password_holder ? b->password_holder : "", b->purpose ? b->purpose : "", b->fans,
            b->users, b->last_post_on ? b->last_post_on : "", now);
    e = sq_insert(tx, st, &op->out_id);
    if (e == E_DUPLICATE) return ofail(op, E_DUPLICATE, "name");
    if (e != E_OK) return e;
    static const char fsql[] = "INSERT INTO publish_filing(outlet_id, kind, reason, filed_by,"
                               " filed_at) VALUES (?1, 'open', ?2, ?3, ?4) {returning_id}";
    st = sq_prep(tx, fsql);
    sq_bind(st, "isii", op->out_id, b->reason ? b->reason : "", op->p->user_id, now);
    int64_t fid;
    e = sq_insert(tx, st, &fid);
    op->id = fid; /* the filing, for the demo */
    if (e != E_OK) return e;
    return audit_outlet(op, tx, "publish.outlet.file_open", op->out_id,
                        json_pack("{ss ss sI}", "platform", b->platform, "name", b->name, "filing",
                                  (json_int_t)fid));
}

err_code publish_outlet_open(app *ap, arena *a, const principal *p, const outlet_body *b,
                             int64_t *id, int64_t *filing, const char **bad)
{
    *bad = NULL;
    outlet_op op = {ap, a, p, bad, b, 0, 0, 0};
    err_code e = store_write(ap->st, create_fn, &op);
    *id = op.out_id;
    *filing = op.id;
    return e;
}

err_code api_publish_outlet_create(http_req *r)
{
    outlet_body b = {0};
    uint32_t present;
    err_code e = http_parse(r, create_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad = NULL;
    outlet_op op = {http_app(r), http_arena(r), http_principal(r), &bad, &b, present, 0, 0};
    e = store_write(op.ap->st, create_fn, &op);
    if (e != E_OK) return http_fail(r, e, bad);
    return reply_outlet(r, 201, op.out_id);
}

typedef struct {
    const char *path, *status;
    int64_t pending;
} outlet_row;

static void read_orow(arena *a, sq_stmt *st, void *row)
{
    outlet_row *o = row;
    o->path = sq_text(a, st, 0);
    o->status = sq_text(a, st, 1);
    o->pending = sq_int(st, 2);
}

static err_code load_outlet(store_tx *tx, arena *a, int64_t id, outlet_row *o)
{
    static const char sql[] = "SELECT u.path, o.status, (SELECT count(*) FROM publish_filing f"
                              " WHERE f.outlet_id = o.id AND f.state = 'pending')"
                              " FROM publish_outlet o JOIN unit u ON u.id = o.unit_id WHERE o.id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, id);
    return sq_one(tx, a, st, read_orow, o);
}

static err_code filing_fn(store_tx *tx, void *ctx)
{
    outlet_op *op = ctx;
    const outlet_body *b = op->b;
    outlet_row o;
    err_code e = load_outlet(tx, op->a, op->id, &o);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "publish.write", o.path)) return E_FORBIDDEN;
    if (!title_of(kind_codes, kind_titles, b->kind) || strcmp(b->kind, "open") == 0)
        return ofail(op, E_FIELD_INVALID, "kind");
    if (o.pending) return E_PUBLISH_FILING_PENDING;
    /* 变更 and 关停 of a running outlet; 注销 of a running or closed one */
    int ok = strcmp(b->kind, "cancel") == 0
                 ? (strcmp(o.status, "open") == 0 || strcmp(o.status, "closed") == 0)
                 : strcmp(o.status, "open") == 0;
    if (!ok) return E_PUBLISH_STATE;
    const char *changes = "{}";
    if (strcmp(b->kind, "change") == 0) {
        if (!b->changes || json_object_size(b->changes) == 0)
            return ofail(op, E_FIELD_REQUIRED, "changes");
        outlet_body c = {0};
        uint32_t present;
        const char *field = NULL;
        e = jsonx_parse_object(op->a, b->changes, change_spec, &c, &present, &field);
        if (e != E_OK) return ofail(op, e, field ? arena_sprintf(op->a, "changes.%s", field) : "changes");
        if (present & 1 && (!c.name || !*c.name)) return ofail(op, E_FIELD_REQUIRED, "changes.name");
        char *dump = jsonx_dump(b->changes);
        changes = arena_strdup(op->a, dump ? dump : "{}");
        free(dump);
    }
    static const char sql[] = "INSERT INTO publish_filing(outlet_id, kind, changes, reason,"
                              " filed_by, filed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isssii", op->id, b->kind, changes, b->reason, op->p->user_id, clock_now());
    e = sq_insert(tx, st, &op->out_id);
    if (e != E_OK) return e;
    return audit_outlet(op, tx, arena_sprintf(op->a, "publish.outlet.file_%s", b->kind), op->id,
                        json_pack("{sI ss}", "filing", (json_int_t)op->out_id, "reason", b->reason));
}

err_code api_publish_outlet_filing(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    outlet_body b = {0};
    uint32_t present;
    e = http_parse(r, filing_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad = NULL;
    outlet_op op = {http_app(r), http_arena(r), http_principal(r), &bad, &b, present, id, 0};
    e = store_write(op.ap->st, filing_fn, &op);
    if (e != E_OK) return http_fail(r, e, bad);
    return reply_outlet(r, 201, id);
}

typedef struct {
    const char *decision, *comment;
} decide_body;

static const jfield decide_spec[] = {
    {"decision", JF_STR, 1, offsetof(decide_body, decision), 10, 0, 0},
    {"comment", JF_STR, 0, offsetof(decide_body, comment), 1000, 0, 0},
    JF_END,
};

typedef struct {
    outlet_op op;
    const decide_body *d;
} decide_op;

static err_code decide_fn(store_tx *tx, void *ctx)
{
    decide_op *dop = ctx;
    outlet_op *op = &dop->op;
    static const char fsql[] = "SELECT f.outlet_id, f.kind, f.changes, f.state, u.path FROM"
                               " publish_filing f JOIN publish_outlet o ON o.id = f.outlet_id"
                               " JOIN unit u ON u.id = o.unit_id WHERE f.id = ?1";
    sq_stmt *st = sq_prep(tx, fsql);
    sq_bind_int(st, 1, op->id);
    int rc = sq_step(st);
    if (rc != SQ_ROW) {
        sq_reset(st);
        return rc == SQ_DONE ? E_NOT_FOUND : (err_code)rc;
    }
    int64_t outlet = sq_int(st, 0);
    const char *kind = sq_text(op->a, st, 1), *changes = sq_text(op->a, st, 2);
    const char *state = sq_text(op->a, st, 3), *path = sq_text(op->a, st, 4);
    sq_reset(st);
    if (!authz_can(op->p, "publish.approve", path)) return E_FORBIDDEN;
    if (strcmp(state, "pending")) return E_PUBLISH_STATE;
    const char *dec = dop->d->decision;
    int approve = strcmp(dec, "approve") == 0;
    if (!approve && strcmp(dec, "reject")) return ofail(op, E_FIELD_INVALID, "decision");
    const char *comment = dop->d->comment ? dop->d->comment : "";
    if (!approve && !*comment) return ofail(op, E_FIELD_REQUIRED, "comment");
    int64_t now = clock_now();
    static const char usql[] = "UPDATE publish_filing SET state = ?1, decided_by = ?2,"
                               " decided_at = ?3, comment = ?4 WHERE id = ?5 AND state = 'pending'";
    st = sq_prep(tx, usql);
    sq_bind(st, "siisi", approve ? "approved" : "rejected", op->p->user_id, now, comment, op->id);
    err_code e = sq_exec_some(tx, st, E_CONFLICT);
    if (e != E_OK) return e;
    if (approve) {
        if (strcmp(kind, "change") == 0) {
            json_t *ch = json_loads(changes, 0, NULL);
            static const char *const cols[] = {"name", "account_id", "leader", "admins",
                                               "password_holder", "purpose"};
            static const char *const sqls[] = {
                "UPDATE publish_outlet SET name = ?1 WHERE id = ?2",
                "UPDATE publish_outlet SET account_id = ?1 WHERE id = ?2",
                "UPDATE publish_outlet SET leader = ?1 WHERE id = ?2",
                "UPDATE publish_outlet SET admins = ?1 WHERE id = ?2",
                "UPDATE publish_outlet SET password_holder = ?1 WHERE id = ?2",
                "UPDATE publish_outlet SET purpose = ?1 WHERE id = ?2"};
            for (int i = 0; i < 6 && e == E_OK; i++) {
                const char *v = json_string_value(json_object_get(ch, cols[i]));
                if (!v) continue;
                st = sq_prep(tx, sqls[i]);
                sq_bind(st, "si", v, outlet);
                e = sq_exec(tx, st);
            }
            json_decref(ch);
            if (e == E_DUPLICATE) return ofail(op, E_DUPLICATE, "changes.name");
            if (e != E_OK) return e;
        }
        const char *status = strcmp(kind, "open") == 0 || strcmp(kind, "change") == 0 ? "open"
                             : strcmp(kind, "close") == 0                             ? "closed"
                                                                                      : "cancelled";
        static const char osql[] = "UPDATE publish_outlet SET status = ?1, updated_at = ?2,"
                                   " version = version + 1 WHERE id = ?3";
        st = sq_prep(tx, osql);
        sq_bind(st, "sii", status, now, outlet);
        e = sq_exec_some(tx, st, E_NOT_FOUND);
        if (e != E_OK) return e;
    }
    op->out_id = outlet;
    return audit_outlet(op, tx, "publish.outlet.decide", outlet,
                        json_pack("{sI ss ss ss}", "filing", (json_int_t)op->id, "kind", kind,
                                  "decision", dec, "comment", comment));
}

err_code publish_filing_decide(app *ap, arena *a, const principal *p, int64_t filing,
                               const char *decision, const char *comment, const char **bad)
{
    *bad = NULL;
    decide_body d = {decision, comment};
    decide_op dop = {{ap, a, p, bad, NULL, 0, filing, 0}, &d};
    return store_write(ap->st, decide_fn, &dop);
}

err_code api_publish_filing_decide(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    decide_body d = {0};
    uint32_t present;
    e = http_parse(r, decide_spec, &d, &present);
    if (e != E_OK) return e;
    const char *bad = NULL;
    decide_op dop = {{http_app(r), http_arena(r), http_principal(r), &bad, NULL, 0, id, 0}, &d};
    e = store_write(dop.op.ap->st, decide_fn, &dop);
    if (e != E_OK) return http_fail(r, e, bad);
    return reply_outlet(r, 200, dop.op.out_id);
}

/* ---- figures entered: last post, fans, users ---- */

static err_code activity_fn(store_tx *tx, void *ctx)
{
    outlet_op *op = ctx;
    const outlet_body *b = op->b;
    outlet_row o;
    err_code e = load_outlet(tx, op->a, op->id, &o);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "publish.write", o.path)) return E_FORBIDDEN;
    if (!op->present) return ofail(op, E_FIELD_REQUIRED, "last_post_on");
    e = check_day(op, b->last_post_on);
    if (e != E_OK) return e;
    static const char sql[] =
        "UPDATE publish_outlet SET last_post_on = CASE WHEN ?1 <> 0 THEN ?2 ELSE last_post_on END,"
        " fans = CASE WHEN ?3 <> 0 THEN ?4 ELSE fans END, users = CASE WHEN ?5 <> 0 THEN ?6"
        " ELSE users END, updated_at = ?7, version = version + 1 WHERE id = ?8";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isiiiiii", (int64_t)(op->present & 1), b->last_post_on ? b->last_post_on : "",
            (int64_t)!!(op->present & 2), b->fans, (int64_t)!!(op->present & 4), b->users,
            clock_now(), op->id);
    e = sq_exec_some(tx, st, E_NOT_FOUND);
    if (e != E_OK) return e;
    return audit_outlet(op, tx, "publish.outlet.activity", op->id,
                        json_pack("{ss sI sI}", "last_post_on", b->last_post_on ? b->last_post_on : "",
                                  "fans", (json_int_t)b->fans, "users", (json_int_t)b->users));
}

err_code api_publish_outlet_activity(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    outlet_body b = {0};
    uint32_t present;
    e = http_parse(r, activity_spec, &b, &present);
    if (e != E_OK) return e;
    const char *bad = NULL;
    outlet_op op = {http_app(r), http_arena(r), http_principal(r), &bad, &b, present, id, 0};
    e = store_write(op.ap->st, activity_fn, &op);
    if (e != E_OK) return http_fail(r, e, bad);
    return reply_outlet(r, 200, id);
}

/* ---- 年检 ---- */

typedef struct {
    int64_t year;
    const char *result, *note;
} check_body;

static const jfield check_spec[] = {
    {"year", JF_INT, 1, offsetof(check_body, year), 0, 2000, 2100},
    {"result", JF_STR, 1, offsetof(check_body, result), 10, 0, 0},
    {"note", JF_STR, 0, offsetof(check_body, note), 1000, 0, 0},
    JF_END,
};

typedef struct {
    outlet_op op;
    const check_body *c;
} check_op;

static err_code check_fn(store_tx *tx, void *ctx)
{
    check_op *cop = ctx;
    outlet_op *op = &cop->op;
    outlet_row o;
    err_code e = load_outlet(tx, op->a, op->id, &o);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "publish.approve", o.path)) return E_FORBIDDEN;
    if (strcmp(o.status, "open")) return E_PUBLISH_STATE;
    const char *res = cop->c->result;
    if (strcmp(res, "pass") && strcmp(res, "fix") && strcmp(res, "fail"))
        return ofail(op, E_FIELD_INVALID, "result");
    int y, m, d;
    cal_to_ymd(cal_local_day(clock_now()), &y, &m, &d);
    if (cop->c->year > y) return ofail(op, E_FIELD_INVALID, "year");
    static const char sql[] = "INSERT INTO publish_check(outlet_id, year, result, note, checked_by,"
                              " checked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) {returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iissii", op->id, cop->c->year, res, cop->c->note ? cop->c->note : "",
            op->p->user_id, clock_now());
    int64_t cid;
    e = sq_insert(tx, st, &cid);
    if (e == E_DUPLICATE) return ofail(op, E_DUPLICATE, "year");
    if (e != E_OK) return e;
    return audit_outlet(op, tx, "publish.outlet.check", op->id,
                        json_pack("{sI ss}", "year", (json_int_t)cop->c->year, "result", res));
}

err_code api_publish_outlet_check(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    check_body c = {0};
    uint32_t present;
    e = http_parse(r, check_spec, &c, &present);
    if (e != E_OK) return e;
    const char *bad = NULL;
    check_op cop = {{http_app(r), http_arena(r), http_principal(r), &bad, NULL, 0, id, 0}, &c};
    e = store_write(cop.op.ap->st, check_fn, &cop);
    if (e != E_OK) return http_fail(r, e, bad);
    return reply_outlet(r, 201, id);
}

/* ---- pending filings (the propaganda side's desk) ---- */

typedef struct {
    arena *a;
    const char *scope;
    json_t *items;
} filings_ctx;

static err_code filings_fn(store_tx *tx, void *ctx)
{
    filings_ctx *c = ctx;
    static const char sql[] =
        "SELECT f.id, f.outlet_id, f.kind, f.reason, f.filed_at, o.name, o.platform, u.name,"
        " fu.name, COALESCE(fuu.name, ''), f.changes FROM publish_filing f"
        " JOIN publish_outlet o ON o.id = f.outlet_id JOIN unit u ON u.id = o.unit_id"
        " JOIN \"user\" fu ON fu.id = f.filed_by LEFT JOIN unit fuu ON fuu.id = fu.unit_id"
        " WHERE f.state = 'pending' AND {in_scope u.path} ORDER BY f.filed_at, f.id LIMIT 500";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", c->scope);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        const char *kind = sq_text(c->a, st, 2), *platform = sq_text(c->a, st, 6);
        json_t *changes = json_loads(sq_text_peek(st, 10), 0, NULL);
        json_array_append_new(
            c->items,
            json_pack("{sI sI ss ss ss so ss ss ss ss so}", "id", (json_int_t)sq_int(st, 0),
                      "outlet_id", (json_int_t)sq_int(st, 1), "kind", kind, "kind_title",
                      title_of(kind_codes, kind_titles, kind), "reason", sq_text(c->a, st, 3),
                      "filed_at", api_time(sq_int(st, 4)), "outlet_name", sq_text(c->a, st, 5),
                      "platform_title", title_of(platform_codes, platform_titles, platform),
                      "unit_name", sq_text(c->a, st, 7), "filed_by_label",
                      arena_sprintf(c->a, "%s（%s）", sq_text_peek(st, 8), sq_text_peek(st, 9)),
                      "changes", changes ? changes : json_object()));
    }
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

err_code api_publish_filings(http_req *r)
{
    filings_ctx c = {http_arena(r), NULL, json_array()};
    c.scope = authz_scope(http_principal(r), "publish.approve", c.a);
    err_code e = api_read_filtered(r, filings_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return http_reply(r, 200, json_pack("{so sI}", "items", c.items,
                                        "total", (json_int_t)json_array_size(c.items)));
}

/* ---- settings: the freshness thresholds ---- */

typedef struct {
    int64_t idle, zombie;
} settings_ctx;

static err_code settings_read_fn(store_tx *tx, void *ctx)
{
    settings_ctx *c = ctx;
    return publish_thresholds(tx, &c->idle, &c->zombie);
}

err_code api_publish_settings(http_req *r)
{
    settings_ctx c;
    err_code e = store_read(http_app(r)->st, settings_read_fn, &c);
    if (e != E_OK) return e;
    return http_reply(r, 200, json_pack("{sI sI}", "idle_days", (json_int_t)c.idle, "zombie_days",
                                        (json_int_t)c.zombie));
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    settings_ctx v;
} settings_op;

static err_code settings_write_fn(store_tx *tx, void *ctx)
{
    settings_op *op = ctx;
    static const char sql[] = "UPDATE publish_setting SET value = ?1 WHERE key = ?2";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "is", op->v.idle, "idle_days");
    err_code e = sq_exec(tx, st);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "is", op->v.zombie, "zombie_days");
    e = sq_exec(tx, st);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "publish.settings", "publish_setting:freshness",
                     json_pack("{sI sI}", "idle_days", (json_int_t)op->v.idle, "zombie_days",
                               (json_int_t)op->v.zombie));
}

static const jfield settings_spec[] = {
    {"idle_days", JF_INT, 1, offsetof(settings_ctx, idle), 0, 1, 3650},
    {"zombie_days", JF_INT, 1, offsetof(settings_ctx, zombie), 0, 1, 3650},
    JF_END,
};

err_code api_publish_settings_put(http_req *r)
{
    settings_op op = {http_app(r), http_arena(r), http_principal(r), {0, 0}};
    uint32_t present;
    err_code e = http_parse(r, settings_spec, &op.v, &present);
    if (e != E_OK) return e;
    if (op.v.zombie <= op.v.idle) return http_fail(r, E_FIELD_INVALID, "zombie_days");
    e = store_write(op.ap->st, settings_write_fn, &op);
    if (e != E_OK) return e;
    return api_publish_settings(r);
}
