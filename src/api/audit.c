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
