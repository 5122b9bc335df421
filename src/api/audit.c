/*
 * audit — the audit administrator's view of the log and the chain's verification. The log is
 * county-wide, so audit.read must be held over the root unit (a grant lower down gives none).
 */
#include "api/api.h"

#include "core/store_fn.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    arena *a;
    store_unit root;
    store_audit_filter f;
    store_audit *items;
    size_t n;
    json_t *out; /* the items as JSON, with their people and foundation objects named */
} audit_ctx;

STORE_FN(root_fn, audit_ctx *c, store_unit_root(tx, c->a, &c->root));

static err_code require_auditor(http_req *r, audit_ctx *c)
{
    c->a = http_arena(r);
    err_code e = store_read(http_app(r)->st, root_fn, c);
    if (e != E_OK) return e;
    return authz_can(http_principal(r), "audit.read", c->root.path) ? E_OK : E_FORBIDDEN;
}

/*
 * The name of a foundation object ("unit:5", "user:3", "grant:7") as the UI shows it; other
 * objects are named by their mechanism (its …/names endpoint), so this layer names none.
 */
static json_t *object_name(store_tx *tx, audit_ctx *c, api_people *pp, const store_audit *r)
{
    const char *object = r->object;
    const char *colon = strchr(object, ':');
    if (!colon) return json_null();
    char *end;
    long long id = strtoll(colon + 1, &end, 10);
    if (*end || id <= 0) return json_null();
    size_t k = (size_t)(colon - object);
    if (k == 4 && strncmp(object, "unit", 4) == 0) {
        store_unit u;
        if (store_unit_get(tx, c->a, id, &u) == E_OK) return json_string(u.name);
    } else if (k == 4 && strncmp(object, "user", 4) == 0) {
        json_t *p = api_actor_json(tx, pp, id, "");
        int known = strcmp(json_string_value(json_object_get(p, "kind")), "user") == 0;
        json_t *name = known ? json_incref(json_object_get(p, "label")) : json_null();
        json_decref(p);
        return name;
    } else if (k == 5 && strncmp(object, "grant", 5) == 0) {
        /* The grantee and the scope; a revoked grant is gone, its record's detail names them. */
        store_grant g;
        if (store_grant_get(tx, c->a, id, &g) == E_OK) {
            const char *who = api_actor_label(tx, pp, g.user_id, g.user_login);
            return json_string(arena_sprintf(c->a, "%s，范围：%s", who, g.unit_name));
        }
        json_error_t jerr;
        json_t *d = json_loads(r->detail, 0, &jerr);
        const char *login = json_string_value(json_object_get(d, "user"));
        const char *unit = json_string_value(json_object_get(d, "unit"));
        json_t *name = login && unit
                           ? json_string(arena_sprintf(c->a, "%s，范围：%s",
                                                       api_actor_label(tx, pp, 0, login), unit))
                           : json_null();
        json_decref(d);
        return name;
    }
    return json_null();
}

static err_code list_fn(store_tx *tx, void *ctx)
{
    audit_ctx *c = ctx;
    err_code e = store_audit_list(tx, c->a, &c->f, &c->items, &c->n);
    if (e != E_OK) return e;
    api_people *pp = api_people_new(c->a);
    c->out = json_array();
    for (size_t i = 0; i < c->n; i++) {
        const store_audit *r = &c->items[i];
        json_t *j = api_audit_json(r);
        json_object_set_new(j, "actor_person", api_actor_json(tx, pp, r->actor_id, r->actor));
        json_object_set_new(j, "object_name", object_name(tx, c, pp, r));
        json_array_append_new(c->out, j);
    }
    api_people_free(pp);
    return E_OK;
}

err_code api_audit_list(http_req *r)
{
    audit_ctx c = {0};
    err_code e = require_auditor(r, &c);
    if (e == E_OK) e = http_query_int(r, "limit", 50, 1, 500, &c.f.limit);
    if (e == E_OK) e = http_query_int(r, "before", 0, 0, INT64_MAX, &c.f.before);
    if (e == E_OK) e = http_query_int(r, "from", 0, 0, INT64_MAX, &c.f.from);
    if (e == E_OK) e = http_query_int(r, "to", 0, 0, INT64_MAX, &c.f.to);
    if (e == E_OK) e = http_query_text(r, "actor", HTTP_QUERY_TEXT_MAX, &c.f.actor);
    if (e == E_OK) e = http_query_text(r, "action", HTTP_QUERY_TEXT_MAX, &c.f.action);
    if (e == E_OK) e = http_query_text(r, "object", HTTP_QUERY_TEXT_MAX, &c.f.object);
    if (e != E_OK) return e;
    e = store_read(http_app(r)->st, list_fn, &c);
    if (e != E_OK) {
        json_decref(c.out);
        return e;
    }
    json_t *body = json_pack("{so}", "items", c.out);
    /* The next page continues below the last seq returned. */
    json_object_set_new(body, "next_before",
                        c.n == (size_t)c.f.limit ? json_integer(c.items[c.n - 1].seq)
                                                 : json_null());
    return http_reply(r, 200, body);
}

err_code api_audit_verify(http_req *r)
{
    audit_ctx c = {0};
    err_code e = require_auditor(r, &c);
    if (e != E_OK) return e;
    audit_report rep;
    e = audit_verify(http_app(r)->au, http_app(r)->st, &rep);
    if (e != E_OK) return e;
    json_t *body = json_pack("{sb sI ss ss}", "ok", rep.ok, "records", (json_int_t)rep.records,
                             "reason", rep.reason, "reason_zh", rep.reason_zh);
    json_object_set_new(body, "first_bad_seq",
                        rep.first_bad ? json_integer(rep.first_bad) : json_null());
    return http_reply(r, 200, body);
}

typedef struct {
    audit_ctx base;
    const char *const *kinds;
    api_object_name_fn name_fn;
    char **objects;
    size_t n;
    json_t *items;
} names_ctx;

static int known_kind(const char *const *kinds, const char *kind)
{
    for (; *kinds; kinds++)
        if (strcmp(*kinds, kind) == 0) return 1;
    return 0;
}

static err_code names_fn(store_tx *tx, void *ctx)
{
    names_ctx *c = ctx;
    c->items = json_array();
    for (size_t i = 0; i < c->n; i++) {
        char *obj = c->objects[i], *colon = strchr(obj, ':'), *end;
        if (!colon) continue;
        long long id = strtoll(colon + 1, &end, 10);
        const char *kind = arena_sprintf(c->base.a, "%.*s", (int)(colon - obj), obj);
        if (*end || id <= 0 || !known_kind(c->kinds, kind)) continue;
        int64_t page = id;
        json_t *name = c->name_fn(tx, c->base.a, kind, id, &page);
        if (!name) continue;
        json_array_append_new(c->items, json_pack("{ss so sI}", "object", obj, "name", name,
                                                  "page_id", (json_int_t)page));
    }
    return E_OK;
}

err_code api_audit_names(http_req *r, const char *const *kinds, api_object_name_fn name_fn)
{
    names_ctx c = {.kinds = kinds, .name_fn = name_fn};
    err_code e = require_auditor(r, &c.base);
    if (e != E_OK) return e;
    const char *q = http_query(r, "objects");
    char *list = arena_strdup(c.base.a, q ? q : "");
    c.objects = arena_alloc(c.base.a, 201 * sizeof *c.objects);
    for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok && c.n < 200;
         tok = strtok_r(NULL, ",", &save))
        c.objects[c.n++] = tok;
    e = store_read(http_app(r)->st, names_fn, &c);
    if (e != E_OK) {
        json_decref(c.items);
        return e;
    }
    return http_reply(r, 200, json_pack("{so}", "items", c.items));
}

/*
 * GET /api/v1/audit/archive?from=YYYY-MM-DD&to=YYYY-MM-DD — the sealed archive of those days
 * (audit_archive) as a download, the same file `duban audit archive` writes; the export is
 * audited ("audit.archive").
 */
err_code api_audit_archive(http_req *r)
{
    audit_ctx c = {0};
    err_code e = require_auditor(r, &c);
    if (e != E_OK) return e;
    const char *from = http_query(r, "from"), *to = http_query(r, "to");
    if (from && !*from) from = NULL;
    if (to && !*to) to = NULL;
    char *data = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&data, &n);
    if (!out) return E_INTERNAL;
    audit_archive_info info;
    const char *field = NULL;
    e = app_audit_archive(http_app(r), http_principal(r), from, to, out, &info, &field);
    if (fclose(out) != 0 && e == E_OK) e = E_INTERNAL;
    if (e != E_OK) {
        free(data);
        return field ? http_fail(r, e, field) : e;
    }
    const char *name =
        arena_sprintf(c.a, "audit-%s-%s.jsonl", from ? from : "begin", to ? to : "now");
    return http_reply_download(r, "application/x-ndjson; charset=utf-8", data, n, name);
}

/* GET /api/v1/audit/disk — whether free space threatens the log (the audit page's banner). */
err_code api_audit_disk(http_req *r)
{
    audit_ctx c = {0};
    err_code e = require_auditor(r, &c);
    if (e != E_OK) return e;
    app_disk d;
    app_audit_disk(http_app(r), &d);
    json_t *body = json_pack("{sb sb sI}", "monitored", d.monitored, "low", d.low,
                             "threshold_bytes", (json_int_t)d.threshold_bytes);
    json_object_set_new(body, "free_bytes", d.monitored ? json_integer(d.free_bytes) : json_null());
    json_object_set_new(
        body, "engine",
        json_string(config_db_postgres(http_app(r)->cfg.db) ? "postgresql" : "sqlite"));
    return http_reply(r, 200, body);
}

typedef struct {
    app *ap;
    arena *a;
    int64_t now;
    const app_disk *d;
    int asked;
} disk_tick;

/* One notification a day to each audit administrator while space is low. */
static err_code disk_tick_fn(store_tx *tx, void *ctx)
{
    disk_tick *t = ctx;
    store_unit root;
    err_code e = store_unit_root(tx, t->a, &root);
    int64_t *ids = NULL;
    size_t n = 0;
    if (e == E_OK) e = store_users_with_perm(tx, t->a, "audit.read", root.path, 0, &ids, &n);
    char day[11];
    cal_format(cal_local_day(t->now), day);
    long long free_mb = (long long)(t->d->free_bytes / (1024 * 1024));
    for (size_t i = 0; e == E_OK && i < n; i++) {
        store_notification no = {
            .user_id = ids[i],
            .kind = "audit_disk_low",
            .flow = "audit",
            .item_id = 1, /* the log: the UI opens the audit page */
            .title = "数据库所在磁盘空间不足，审计日志即将无法写入",
            .body = arena_sprintf(t->a,
                                  "数据库所在磁盘仅剩 %lld MB 可用，低于告警阈值 %lld MB"
                                  "（audit_disk_warn_mb）。空间耗尽后审计记录无法写入，"
                                  "所有操作都将失败。请通知系统管理员扩容或清理其他文件"
                                  "（审计记录不得删除），并先用 duban audit archive 归档。",
                                  free_mb, (long long)(t->d->threshold_bytes / (1024 * 1024))),
            .created_at = t->now,
        };
        int added;
        e = store_notification_add(
            tx, &no, arena_sprintf(t->a, "audit_disk_low:%s:%lld", day, (long long)ids[i]), &added);
        t->asked += added;
    }
    return e;
}

err_code api_audit_disk_tick(app *ap, arena *a, int64_t now, char *summary, size_t n, int *acted)
{
    app_disk d;
    app_audit_disk(ap, &d);
    if (!d.low) return E_OK;
    disk_tick t = {.ap = ap, .a = a, .now = now, .d = &d};
    err_code e = store_write(ap->st, disk_tick_fn, &t);
    if (e == E_OK && t.asked) {
        snprintf(summary, n, "%d told of low disk space for the audit log", t.asked);
        *acted = 1;
    }
    return e;
}
