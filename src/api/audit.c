/*
 * audit — the audit administrator's view of the log and the chain's verification. The log is
 * county-wide, so audit.read must be held over the root unit (a grant lower down gives none).
 */
#include "api/api.h"

#include "core/store_fn.h"

#include <string.h>

typedef struct {
    arena *a;
    store_unit root;
    store_audit_filter f;
    store_audit *items;
    size_t n;
} audit_ctx;

STORE_FN(root_fn, audit_ctx *c, store_unit_root(tx, c->a, &c->root));

static err_code require_auditor(http_req *r, audit_ctx *c)
{
    c->a = http_arena(r);
    err_code e = store_read(http_app(r)->st, root_fn, c);
    if (e != E_OK) return e;
    return authz_can(http_principal(r), "audit.read", c->root.path) ? E_OK : E_FORBIDDEN;
}

STORE_FN(list_fn, audit_ctx *c, store_audit_list(tx, c->a, &c->f, &c->items, &c->n));

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
    if (e == E_OK) e = store_read(http_app(r)->st, list_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++) json_array_append_new(items, api_audit_json(&c.items[i]));
    json_t *body = json_pack("{so}", "items", items);
    /* The next page continues below the last seq returned. */
    json_object_set_new(body, "next_before",
                        c.n == (size_t)c.f.limit ? json_integer(c.items[c.n - 1].seq) : json_null());
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
