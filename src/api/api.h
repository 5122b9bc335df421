/*
 * api — what every mechanism's handlers share (JSON views of the foundation's records, list
 * replies and their Excel export, import reports, attachment upload), and the cross-cutting
 * endpoints (health, session, notifications, attachments, audit log, the web UI) with their
 * route table (routes.c). Each mechanism's own handlers live in its folder. A handler parses
 * its input by a declarative spec, authorises through authz or a mechanism, calls the
 * mechanism, and replies with what was committed.
 */
#ifndef DUBAN_API_H
#define DUBAN_API_H

#include "flow/flow.h"
#include "http/http.h"
#include "io/sheet.h"
#include "store/store.h"

/* ---- JSON views (views.c) ---- */
json_t *api_time(int64_t t); /* ISO-8601 UTC string, or null for 0 */
json_t *api_unit_json(const store_unit *u);
json_t *api_user_json(const store_user *u);
json_t *api_role_json(const store_role *r);
json_t *api_grant_json(const store_grant *g);
json_t *api_token_json(const store_token *t);
json_t *api_audit_json(const store_audit *a);
json_t *api_principal_perms(const principal *p);
/* An action of a flow as the UI builds its form: name, title, fields (type, required, choices). */
json_t *api_flow_action_json(const flow_action *a);

/* ---- people (people.c): an actor as 姓名（单位）, never a login ---- */
typedef struct api_people api_people;
/* A per-request cache of people (in a); api_people_free drops its JSON values. */
api_people *api_people_new(arena *a);
void api_people_free(api_people *pp);
/*
 * The person behind an actor, {id, login, name, unit_id, unit_name, label, kind}: the user
 * user_id (> 0), else the user whose login is actor, else the command line ("cli:…", named
 * 命令行·系统管理员) or the scheduler ("system…"). A new reference; call inside a transaction.
 */
json_t *api_actor_json(store_tx *tx, api_people *pp, int64_t user_id, const char *actor);
/* Only the label ("周督查（县委督查室）"), in the cache's arena. */
const char *api_actor_label(store_tx *tx, api_people *pp, int64_t user_id, const char *actor);

/* ---- list replies (api/list_reply.c) ---- */
typedef struct {
    const char *key, *title; /* a key of each item, and its column title in the export */
} api_column;
/* 1 when the path ends in /export.xlsx: the list is wanted as a workbook. */
int api_wants_xlsx(http_req *r);
/*
 * ?limit= and ?offset= of a list: limit def by default and at most 500, except on an export
 * path, where the whole list (up to 100000 rows) is the default and the most.
 */
err_code api_list_page(http_req *r, int64_t def, int64_t *limit, int64_t *offset);
/*
 * Runs fn in a read transaction for a list filtered by ?unit_id=, through mech_read under the
 * route's permission (so a permission marked audit_reads has every such read recorded):
 * E_NOT_FOUND there means the unit does not exist, which is the argument's fault (bad_query on
 * unit_id), not a missing list.
 */
err_code api_read_filtered(http_req *r, store_fn fn, void *ctx);
/* ?unit_only= (the unit itself, not its subtree): a flag that needs ?unit_id= (else E_BAD_QUERY).
 */
err_code api_unit_only(http_req *r, int64_t unit_id, int *out);
/* Replies {items,total} (items taken), or the items as an XLSX sheet on an export path. */
err_code api_reply_list(http_req *r, json_t *items, int64_t total, const api_column *cols,
                        size_t ncols, const char *title);

/* ---- imports (api/list_reply.c) ---- */
/* An import's report {rows,imported,skipped,faults[{row,column,reason}],fatal}. */
json_t *api_import_report_json(const sheet_report *rep);
/* The reply of an import: the report, or (E_FIELD_INVALID) 400 naming the bad rows. */
err_code api_reply_import(http_req *r, err_code e, const sheet_report *rep);

/* ---- handlers ---- */
err_code api_healthz(http_req *r);
/* The browser UI: an embedded file by path, else its index page (client-side routes). */
err_code api_web(http_req *r);

err_code api_session_create(http_req *r);
err_code api_session_delete(http_req *r);
err_code api_me(http_req *r);
/* Like api_me when signed in, else {"user":null} with 200: the UI's first question. */
err_code api_session_get(http_req *r);
err_code api_me_password(http_req *r);
err_code api_my_sessions(http_req *r);
err_code api_my_sessions_end_others(http_req *r);
err_code api_my_session_end(http_req *r);
err_code api_tokens_list(http_req *r);
err_code api_tokens_create(http_req *r);
err_code api_tokens_delete(http_req *r);

err_code api_attachments_get(http_req *r);
/*
 * Stores the request body as a file of item_id in flow (?name= gives its name; the type is
 * decided by content) and replies 201 with its record; the caller checked the permission.
 */
err_code api_attachment_upload(http_req *r, const char *flow, const char *object, int64_t item_id);
err_code api_notifications_list(http_req *r);
err_code api_notifications_read(http_req *r);
err_code api_audit_list(http_req *r);
/*
 * What a mechanism's audit objects are called, for the audit log (its …/names endpoint):
 * checks audit.read over the root, takes ?objects=kind:id,… (at most 200) and replies
 * {items:[{object, name, page_id}]} with name_fn's name (a new string, or NULL: unknown) of
 * each whose kind the mechanism names (kinds ends with NULL); page_id is the id of the page
 * that shows the object (the activity of a feedback item), set by name_fn (default: id).
 */
typedef json_t *(*api_object_name_fn)(store_tx *tx, arena *a, const char *kind, int64_t id,
                                      int64_t *page_id);
err_code api_audit_names(http_req *r, const char *const *kinds, api_object_name_fn name_fn);
err_code api_audit_verify(http_req *r);
err_code api_audit_archive(http_req *r);
err_code api_audit_disk(http_req *r);
/* The scheduler's part: notifies the audit administrators while free space is low. */
err_code api_audit_disk_tick(app *ap, arena *a, int64_t now, char *summary, size_t n, int *acted);

#endif
