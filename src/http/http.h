/*
 * http — the server glue between libmicrohttpd and duban's handlers.
 *
 * Routes live in static tables, one per mechanism (core/mech.h), walked in the registration
 * table's order: method, path pattern with {params}, permission, flags, handler. For each
 * request the server finds the route (404/405 as JSON errors),
 * enforces the body limit (413) and JSON content type (415), authenticates the caller
 * (session cookie with CSRF token for writes, or an API token), refuses callers who must first
 * change their password, refuses callers without the route's permission, runs the handler, adds the
 * security headers, and writes one access-log line. A handler returns E_OK after setting a reply,
 * or an error code (with http_fail to name the field), which the server turns into
 * {"error":{code,message,field}}. Refusals (403) are audited here, in one place.
 */
#ifndef DUBAN_HTTP_H
#define DUBAN_HTTP_H

#include "auth/authz.h"
#include "base/jsonx.h"
#include "core/app.h"

#include <jansson.h>

typedef struct http_req http_req;
typedef err_code (*http_handler)(http_req *r);

enum {
    ROUTE_PUBLIC = 1,        /* no authentication */
    ROUTE_PW_CHANGE = 2,     /* allowed while the user must still change the password */
    ROUTE_UPLOAD = 4,        /* the body is a file of any type, up to upload_limit */
    ROUTE_OPTIONAL_AUTH = 8, /* public, but the caller is known when signed in (GET only) */
    ROUTE_SIGNED_IN =
        16, /* any signed-in user: their own records, or the handler decides by the object */
    ROUTE_LIST = 32, /* a list scoped by the route's permission: without it, no rows (not 403) */
};

/*
 * One row of a route table: each mechanism has one (its routes.c), and every row names the
 * permission it needs — checked by the server before the handler runs, as "held over some
 * unit"; the handler still checks the unit of the object; on a ROUTE_LIST the permission
 * names the subtrees the list is filtered to instead, so a caller without it sees an empty
 * list, as before the check existed — or is marked ROUTE_PUBLIC,
 * ROUTE_OPTIONAL_AUTH or ROUTE_SIGNED_IN.
 */
typedef struct http_route {
    const char *method;
    const char *pattern; /* "/api/v1/units/{id}/move" */
    const char *perm;    /* "unit.write", or NULL with one of the marks above */
    unsigned flags;
    http_handler fn;
} http_route;

/* 1 when the row names a known permission or is marked as needing none (see above). */
int http_route_guarded(const http_route *rt);
/* The route of every other GET outside /api/: the browser UI's files (api/routes.c). */
extern const http_route http_web_route;

typedef struct http_server http_server;

/* Starts serving cfg->listen with cfg->threads workers. NULL with err on failure. */
http_server *http_start(app *ap, char *err, size_t errlen);
/* Stops accepting, waits up to grace_ms for requests in flight, then stops. */
void http_stop(http_server *s, int grace_ms);

/* ---- for handlers ---- */
arena *http_arena(http_req *r);
app *http_app(http_req *r);
const principal *http_principal(http_req *r);
/* 1 when the caller is signed in (always on routes that are neither public nor optional). */
int http_authed(http_req *r);
const char *http_method(http_req *r);
/* The permission the request's route names (NULL for a route that needs none). */
const char *http_route_perm(http_req *r);
const char *http_path(http_req *r);
/* The client's address (from X-Forwarded-For only with trust_proxy). */
const char *http_ip(http_req *r);
/* Bytes of request body received. */
size_t http_body_len(http_req *r);
/* The request body (NUL-terminated after its length; may hold NULs itself). */
const unsigned char *http_body(http_req *r);
/*
 * Replies with a file's bytes (opened here, streamed by the server), its type, and a
 * Content-Disposition naming it (inline: shown in the browser; else a download).
 * E_NOT_FOUND when the file cannot be opened.
 */
err_code http_reply_file(http_req *r, const char *path, const char *type, const char *name,
                         int inline_);
/* A {name} path parameter as text, or NULL. */
const char *http_param(http_req *r, const char *name);
/* A {name} path parameter as a positive id; E_NOT_FOUND when it is not one. */
err_code http_param_id(http_req *r, const char *name, int64_t *id);
/* A query-string argument as sent, or NULL; handlers read arguments through the readers below. */
const char *http_query(http_req *r, const char *name);

/*
 * ---- query-string arguments: one meaning everywhere (query.c) ----
 * An absent argument and an empty one (`?x=`) mean the same: the default. Anything a reader
 * cannot read is E_BAD_QUERY naming the argument ({"error":{"code":"bad_query","field":name}}).
 */
/* A decimal integer in [min, max] (an optional '-', digits: no blanks, no '+'); def when absent. */
err_code http_query_int(http_req *r, const char *name, int64_t def, int64_t min, int64_t max,
                        int64_t *out);
/* A positive id; 0 when absent (0 itself is refused: no row has it). */
err_code http_query_id(http_req *r, const char *name, int64_t *out);
/* Comma-separated positive ids ("3,5,8", no blanks), at most max of them, into an array in the
 * request's arena; *n = 0 when absent. */
err_code http_query_ids(http_req *r, const char *name, size_t max, int64_t **out, size_t *n);
/* A flag: `1` or `true` → 1, `0` or `false` → 0; def when absent (def may be a third value,
 * e.g. -1 for "either"). */
err_code http_query_flag(http_req *r, const char *name, int def, int *out);
/* A filter text, trimmed of ASCII and ideographic spaces (in the request's arena): well-formed
 * UTF-8 without control characters, at most max_chars characters; NULL when absent or blank. */
err_code http_query_text(http_req *r, const char *name, size_t max_chars, const char **out);
/* The length limit of filter texts (search words, codes, names). */
enum { HTTP_QUERY_TEXT_MAX = 200 };
/* A date YYYY-MM-DD that exists (no 2025-02-30); NULL when absent. */
err_code http_query_date(http_req *r, const char *name, const char **out);
/* A month YYYY-MM; NULL when absent. */
err_code http_query_month(http_req *r, const char *name, const char **out);
/* One of names[0..n) (NULL entries are skipped) → its index; def when absent. */
err_code http_query_choice(http_req *r, const char *name, const char *const *names, size_t n,
                           int def, int *out);
/*
 * The same rules on an argument's text alone (s may be NULL: absent), for tests and for anyone
 * reading arguments elsewhere: 0 with *out set, or -1 when s breaks the rule.
 */
int http_arg_int(const char *s, int64_t def, int64_t min, int64_t max, int64_t *out);
int http_arg_id(const char *s, int64_t *out);
int http_arg_ids(arena *a, const char *s, size_t max, int64_t **out, size_t *n);
int http_arg_flag(const char *s, int def, int *out);
int http_arg_text(arena *a, const char *s, size_t max_chars, const char **out);
int http_arg_date(const char *s, const char **out);
int http_arg_month(const char *s, const char **out);
int http_arg_choice(const char *s, const char *const *names, size_t n, int def, int *out);

const char *http_header(http_req *r, const char *name);
const char *http_cookie(http_req *r, const char *name);
/* Parses the JSON body by spec (see jsonx.h); on failure names the field for the reply. */
err_code http_parse(http_req *r, const jfield *spec, void *out, uint32_t *present);
/* Records the field a failure is about and returns e (for `return http_fail(r, e, "name")`). */
err_code http_fail(http_req *r, err_code e, const char *field);
/* Replaces the registry's message for this reply (e.g. with the minutes a lock has left). */
void http_set_message(http_req *r, const char *message);
/* Sets the reply: status and a JSON body whose reference is taken. Returns E_OK. */
err_code http_reply(http_req *r, int status, json_t *body);
/* Sets a reply of raw bytes (copied) with a content type. Returns E_OK. */
err_code http_reply_raw(http_req *r, int status, const char *type, const void *data, size_t n);
/*
 * Sets a 200 reply of bytes that live as long as the program (embedded files; not copied).
 * immutable: the client may cache it for good (its name changes with its content).
 */
err_code http_reply_static(http_req *r, const char *type, const void *data, size_t n,
                           int immutable);
/* Sets a reply of bytes (taken: a heap buffer the server frees) to download as name. */
err_code http_reply_download(http_req *r, const char *type, char *data, size_t n, const char *name);
/* The same, shown in the browser (inline_) or downloaded: an evidence file kept in the store. */
err_code http_reply_data(http_req *r, const char *type, char *data, size_t n, const char *name,
                         int inline_);
/* Adds a JSON value (taken) as "details" of the error reply, e.g. a per-row report. */
void http_set_error_details(http_req *r, json_t *details);
/* Adds a response header (copied). */
void http_add_header(http_req *r, const char *name, const char *value);
/* 1 when the request came over TLS (by setting, or X-Forwarded-Proto with trust_proxy). */
int http_is_tls(http_req *r);
/* The session token from the cookie, when the caller authenticated by cookie. */
const char *http_session_token(http_req *r);
/* The CSRF token of the caller's session (NULL for API tokens). */
const char *http_csrf(http_req *r);
/* Sets the authenticated principal (used by the login handler for its access-log line). */
void http_set_principal(http_req *r, const principal *p);

#endif
