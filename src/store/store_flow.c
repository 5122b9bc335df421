/*
 * store_flow — SQL for what every mechanism's flow items share: flow events (the timeline)
 * and attachments (evidence files; the bytes live outside the database).
 */
#include "store/sq.h"

#include <stdlib.h>

#include <string.h>

/* ---- flow events ---- */

err_code store_event_insert(store_tx *tx, store_event *e)
{
    static const char sql[] = "INSERT INTO flow_event(flow, item_id, action, from_state, to_state,"
                              " actor_id, actor, at, fields, note)"
                              " VALUES (?, ?, ?, ?, ?, nullif(?, 0), ?, ?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sisssisiss", e->flow, e->item_id, e->action, e->from_state, e->to_state,
            e->actor_id, e->actor, e->at, e->fields ? e->fields : "{}", e->note ? e->note : "");
    return sq_insert(tx, st, &e->id);
}

/* One row of store_event_list. */
static void read_event_list(arena *a, sq_stmt *st, void *row)
{
    store_event *e = row;
    e->id = sq_int(st, 0);
    e->item_id = sq_int(st, 1);
    e->actor_id = sq_int(st, 2);
    e->at = sq_int(st, 3);
    e->flow = sq_text(a, st, 4);
    e->action = sq_text(a, st, 5);
    e->from_state = sq_text(a, st, 6);
    e->to_state = sq_text(a, st, 7);
    e->actor = sq_text(a, st, 8);
    e->fields = sq_text(a, st, 9);
    e->note = sq_text(a, st, 10);
}

err_code store_event_list(store_tx *tx, arena *a, const char *flow, int64_t item_id,
                          store_event **out, size_t *n)
{
    static const char sql[] = "SELECT id, item_id, coalesce(actor_id, 0), at, flow, action,"
                              " from_state, to_state, actor, fields, note FROM flow_event"
                              " WHERE flow = ? AND item_id = ? ORDER BY id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "si", flow, item_id);
    return sq_collect(tx, a, st, sizeof(store_event), read_event_list, (void **)out, n);
}

err_code store_event_last_actor(store_tx *tx, const char *flow, int64_t item_id, const char *action,
                                int64_t *user_id)
{
    static const char sql[] = "SELECT coalesce(actor_id, 0) FROM flow_event WHERE flow = ? AND"
                              " item_id = ? AND action = ? ORDER BY id DESC LIMIT 1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sis", flow, item_id, action);
    return sq_int_or(tx, st, 0, user_id);
}

/* ---- attachments ---- */

#define ATTACH_COLS                                                                                \
    "id, item_id, coalesce(event_id, 0), size, coalesce(created_by, 0), created_at, sha256, mime," \
    " filename, flow"

static void read_attachment(arena *a, sq_stmt *st, void *row)
{
    store_attachment *at = row;
    at->id = sq_int(st, 0);
    at->item_id = sq_int(st, 1);
    at->event_id = sq_int(st, 2);
    at->size = sq_int(st, 3);
    at->created_by = sq_int(st, 4);
    at->created_at = sq_int(st, 5);
    at->sha256 = sq_text(a, st, 6);
    at->mime = sq_text(a, st, 7);
    at->filename = sq_text(a, st, 8);
    at->flow = sq_text(a, st, 9);
}

err_code store_attachment_insert(store_tx *tx, store_attachment *at)
{
    static const char sql[] = "INSERT INTO attachment(sha256, size, mime, filename, flow, item_id,"
                              " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, nullif(?, 0), ?)"
                              "{returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sisssiii", at->sha256, at->size, at->mime, at->filename, at->flow, at->item_id,
            at->created_by, at->created_at);
    return sq_insert(tx, st, &at->id);
}

err_code store_attachment_get(store_tx *tx, arena *a, int64_t id, store_attachment *out)
{
    static const char sql[] = "SELECT " ATTACH_COLS " FROM attachment WHERE id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_attachment, out);
}

err_code store_attachment_list(store_tx *tx, arena *a, const char *flow, int64_t item_id,
                               store_attachment **out, size_t *n)
{
    static const char sql[] = "SELECT " ATTACH_COLS " FROM attachment WHERE flow = ? AND"
                              " item_id = ? ORDER BY id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "si", flow, item_id);
    return sq_collect(tx, a, st, sizeof(store_attachment), read_attachment, (void **)out, n);
}

err_code store_attachment_bind(store_tx *tx, const char *flow, int64_t item_id, int64_t id,
                               int64_t event_id, int *ok)
{
    static const char sql[] = "UPDATE attachment SET event_id = ? WHERE id = ? AND flow = ? AND"
                              " item_id = ? AND event_id IS NULL";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iisi", event_id, id, flow, item_id);
    err_code e = sq_exec(tx, st);
    *ok = e == E_OK && sq_changes(tx) == 1;
    return e;
}

enum { FILE_PART = 1 << 20 };

err_code store_file_put(store_tx *tx, const char *sha256, const void *data, size_t n)
{
    static const char sql[] = "INSERT INTO file_chunk(sha256, part, data) VALUES (?, ?, ?)"
                              " ON CONFLICT DO NOTHING";
    size_t part = 0;
    do {
        size_t len = n - part * FILE_PART < FILE_PART ? n - part * FILE_PART : FILE_PART;
        sq_stmt *st = sq_prep(tx, sql);
        sq_bind(st, "si", sha256, (int64_t)part);
        sq_bind_blob(st, 3, (const unsigned char *)data + part * FILE_PART, len);
        err_code e = sq_exec(tx, st);
        if (e != E_OK) return e;
        part++;
    } while (part * FILE_PART < n);
    return E_OK;
}

err_code store_file_get(store_tx *tx, const char *sha256, unsigned char **data, size_t *n)
{
    static const char sql[] = "SELECT data FROM file_chunk WHERE sha256 = ? ORDER BY part";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", sha256);
    *data = NULL;
    *n = 0;
    size_t cap = 0;
    int rc, parts = 0;
    while ((rc = sq_step(st)) == SQ_ROW) {
        size_t len;
        const void *p = sq_blob(st, 0, &len);
        if (*n + len + 1 > cap) {
            cap = (*n + len + 1) * 2;
            *data = xrealloc(*data, cap);
        }
        if (len) memcpy(*data + *n, p, len);
        *n += len;
        parts++;
    }
    sq_reset(st);
    if (rc == SQ_DONE && parts == 0) rc = E_NOT_FOUND;
    if (rc != SQ_DONE) {
        free(*data);
        *data = NULL;
        *n = 0;
        return (err_code)rc;
    }
    if (!*data) *data = xmalloc(1);
    return E_OK;
}

err_code store_event_last_id(store_tx *tx, const char *flow, int64_t item_id, const char *action,
                             int64_t *event_id)
{
    static const char sql[] = "SELECT max(id) FROM flow_event WHERE flow = ? AND item_id = ? AND"
                              " action = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sis", flow, item_id, action);
    return sq_int_or(tx, st, 0, event_id); /* max() always gives a row: NULL reads as 0 */
}
