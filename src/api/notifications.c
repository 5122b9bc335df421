/* notifications — the caller's in-app notifications (every mechanism's, by flow and item). */
#include "api/api.h"

#include "base/clock.h"
#include "core/store_fn.h"

#include <stddef.h>

typedef struct {
    arena *a;
    int64_t user_id, id, limit, offset;
    int unread_only;
    store_notification *items;
    size_t n;
    int64_t unread;
} notes_ctx;

STORE_FN(list_fn, notes_ctx *c,
         store_notification_list(tx, c->a, c->user_id, c->unread_only, c->limit, c->offset,
                                 &c->items, &c->n, &c->unread));

err_code api_notifications_list(http_req *r)
{
    notes_ctx c = {.a = http_arena(r), .user_id = http_principal(r)->user_id};
    err_code e = http_query_flag(r, "unread", 0, &c.unread_only);
    if (e == E_OK) e = http_query_int(r, "limit", 20, 1, 200, &c.limit);
    if (e == E_OK) e = http_query_int(r, "offset", 0, 0, INT64_MAX, &c.offset);
    if (e == E_OK) e = store_read(http_app(r)->st, list_fn, &c);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < c.n; i++) {
        const store_notification *x = &c.items[i];
        json_t *j = json_pack("{sI ss ss sI ss ss sb}", "id", (json_int_t)x->id, "kind", x->kind,
                              "flow", x->flow, "item_id", (json_int_t)x->item_id, "title", x->title,
                              "body", x->body, "read", x->read_at != 0);
        json_object_set_new(j, "created_at", api_time(x->created_at));
        json_array_append_new(items, j);
    }
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "unread", (json_int_t)c.unread));
}

STORE_FN(read_fn, notes_ctx *c, store_notification_read(tx, c->user_id, c->id, clock_now()));

/* POST /notifications/{id}/read marks one; POST /notifications/read marks all. */
err_code api_notifications_read(http_req *r)
{
    notes_ctx c = {.a = http_arena(r), .user_id = http_principal(r)->user_id};
    if (http_param(r, "id")) {
        err_code e = http_param_id(r, "id", &c.id);
        if (e != E_OK) return e;
    }
    err_code e = store_write(http_app(r)->st, read_fn, &c);
    if (e != E_OK) return e;
    return http_reply(r, 200, json_pack("{sb}", "ok", 1));
}
