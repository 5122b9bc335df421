/*
 * server — libmicrohttpd glue: request lifecycle, routing, limits, authentication, replies
 * and the access log (see http.h).
 *
 * libmicrohttpd calls on_request several times per request: once with the headers, then once
 * per chunk of body, then once with no data, when the reply is made. An error that is known
 * from the headers alone (no route, wrong method, too large, wrong type) is remembered and
 * replied at the end, after the body has been read and dropped, so that clients which send
 * the body without waiting see the reply instead of a reset connection. A body far past the
 * limit (16×) is cut off: the connection is closed without a reply, and the access log says so.
 */
#include "http/http.h"

#include "core/mech.h"

#include "account/account.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/text.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_PARAMS = 6, MAX_HEADERS = 8 };
static const char SESSION_COOKIE[] = "duban_session";

struct http_server {
    struct MHD_Daemon *d;
    app *ap;
    atomic_int inflight;
};

struct http_req {
    http_server *srv;
    struct MHD_Connection *conn;
    arena *a;
    const char *method, *path, *ip;
    const http_route *route;
    const char *param_names[MAX_PARAMS], *param_values[MAX_PARAMS];
    int nparams;
    char *body;
    json_t *doc; /* the parsed body, kept for the request's life */
    size_t body_len, body_cap, dropped;
    err_code early; /* an error known from the headers; replied after the body */
    char allow[64];
    principal p;
    int authed;
    const char *session_token, *csrf;
    int status;
    int file_fd; /* >= 0: reply with this file instead of `reply` */
    uint64_t file_size;
    char *reply;
    const void *static_reply; /* bytes that outlive the server (embedded files), not copied */
    int immutable;            /* the reply may be cached for good (content-hashed file names) */
    size_t reply_len;
    const char *reply_type;
    const char *hdr_names[MAX_HEADERS], *hdr_values[MAX_HEADERS];
    int nheaders;
    const char *err_field, *err_message;
    json_t *err_details;
    err_code err;
    double t0;
    int replied;
};

/* ---- accessors for handlers ---- */

arena *http_arena(http_req *r)
{
    return r->a;
}
app *http_app(http_req *r)
{
    return r->srv->ap;
}
const principal *http_principal(http_req *r)
{
    return &r->p;
}
int http_authed(http_req *r)
{
    return r->authed;
}
const char *http_method(http_req *r)
{
    return r->method;
}
const char *http_path(http_req *r)
{
    return r->path;
}
const char *http_ip(http_req *r)
{
    return r->ip;
}
size_t http_body_len(http_req *r)
{
    return r->body_len;
}
const unsigned char *http_body(http_req *r)
{
    return (const unsigned char *)r->body;
}

/* The body limit of the request's route. */
static size_t body_limit(const http_req *r)
{
    const config *cfg = &r->srv->ap->cfg;
    return (size_t)(r->route && (r->route->flags & ROUTE_UPLOAD) ? cfg->upload_limit
                                                                 : cfg->body_limit);
}
const char *http_session_token(http_req *r)
{
    return r->session_token;
}
const char *http_csrf(http_req *r)
{
    return r->csrf;
}

void http_set_principal(http_req *r, const principal *p)
{
    r->p = *p;
    r->authed = 1;
}

const char *http_param(http_req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->param_names[i], name) == 0) return r->param_values[i];
    return NULL;
}

static int parse_id(const char *s, int64_t *id)
{
    if (!s || !*s || strlen(s) > 18) return -1;
    int64_t n = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return -1;
        n = n * 10 + (*p - '0');
    }
    if (n <= 0) return -1;
    *id = n;
    return 0;
}

err_code http_param_id(http_req *r, const char *name, int64_t *id)
{
    return parse_id(http_param(r, name), id) ? E_NOT_FOUND : E_OK;
}

const char *http_query(http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(http_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

err_code http_fail(http_req *r, err_code e, const char *field)
{
    r->err_field = field;
    return e;
}

void http_set_message(http_req *r, const char *message)
{
    r->err_message = message;
}

err_code http_parse(http_req *r, const jfield *spec, void *out, uint32_t *present)
{
    const char *field;
    json_t *root;
    err_code e =
        jsonx_parse(r->a, r->body ? r->body : "", r->body_len, spec, out, present, &field, &root);
    if (e != E_OK) return http_fail(r, e, field);
    /* Arrays (JF_STRS) borrow from the document: keep it until the request ends. */
    json_decref(r->doc);
    r->doc = root;
    return E_OK;
}

/* A buffer reply replaces a file reply made earlier in the same request. */
static void drop_file(http_req *r)
{
    if (r->file_fd >= 0) close(r->file_fd);
    r->file_fd = -1;
    r->static_reply = NULL;
    r->immutable = 0;
}

err_code http_reply_raw(http_req *r, int status, const char *type, const void *data, size_t n)
{
    drop_file(r);
    free(r->reply);
    r->reply = xmalloc(n ? n : 1);
    memcpy(r->reply, data, n);
    r->reply_len = n;
    r->reply_type = type;
    r->status = status;
    r->replied = 1;
    return E_OK;
}

err_code http_reply_static(http_req *r, const char *type, const void *data, size_t n, int immutable)
{
    drop_file(r);
    free(r->reply);
    r->reply = NULL;
    r->static_reply = data;
    r->reply_len = n;
    r->reply_type = type;
    r->immutable = immutable;
    r->status = 200;
    r->replied = 1;
    return E_OK;
}

err_code http_reply(http_req *r, int status, json_t *body)
{
    drop_file(r);
    free(r->reply);
    r->reply = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!r->reply) abort();
    r->reply_len = strlen(r->reply);
    r->reply_type = "application/json; charset=utf-8";
    r->status = status;
    r->replied = 1;
    return E_OK;
}

/* RFC 5987 encoding of a UTF-8 file name for Content-Disposition. */
static const char *disposition(arena *a, const char *name, int inline_)
{
    size_t n = strlen(name);
    char *enc = arena_alloc(a, 3 * n + 1), *o = enc;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p))
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = 0;
    return arena_sprintf(a, "%s; filename*=UTF-8''%s", inline_ ? "inline" : "attachment", enc);
}

err_code http_reply_file(http_req *r, const char *path, const char *type, const char *name,
                         int inline_)
{
    int fd = open(path, O_RDONLY);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        if (fd >= 0) close(fd);
        return E_NOT_FOUND;
    }
    r->file_fd = fd; /* the response takes it over in send_reply */
    r->file_size = (uint64_t)sb.st_size;
    r->reply_type = type;
    r->status = 200;
    r->replied = 1;
    http_add_header(r, "Content-Disposition", disposition(r->a, name, inline_));
    return E_OK;
}

err_code http_reply_download(http_req *r, const char *type, char *data, size_t n, const char *name)
{
    return http_reply_data(r, type, data, n, name, 0);
}

err_code http_reply_data(http_req *r, const char *type, char *data, size_t n, const char *name,
                         int inline_)
{
    drop_file(r);
    free(r->reply);
    r->reply = data;
    r->reply_len = n;
    r->reply_type = type;
    r->status = 200;
    r->replied = 1;
    http_add_header(r, "Content-Disposition", disposition(r->a, name, inline_));
    return E_OK;
}

void http_set_error_details(http_req *r, json_t *details)
{
    json_decref(r->err_details);
    r->err_details = details;
}

void http_add_header(http_req *r, const char *name, const char *value)
{
    if (r->nheaders == MAX_HEADERS) abort(); /* a programming error */
    r->hdr_names[r->nheaders] = arena_strdup(r->a, name);
    r->hdr_values[r->nheaders] = arena_strdup(r->a, value);
    r->nheaders++;
}

int http_is_tls(http_req *r)
{
    const config *cfg = &r->srv->ap->cfg;
    if (cfg->cookie_secure) return 1;
    const char *proto = cfg->trust_proxy ? http_header(r, "X-Forwarded-Proto") : NULL;
    return proto && strcasecmp(proto, "https") == 0;
}

/* ---- routing ---- */

/* Matches pattern against path, capturing {params}; 1 on a match. */
static int match_pattern(http_req *r, const char *pat, const char *path)
{
    r->nparams = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *close = strchr(pat, '}');
            const char *seg_end = strchr(path, '/');
            size_t seg = seg_end ? (size_t)(seg_end - path) : strlen(path);
            if (!close || seg == 0 || r->nparams == MAX_PARAMS) return 0;
            r->param_names[r->nparams] = arena_strndup(r->a, pat + 1, (size_t)(close - pat - 1));
            r->param_values[r->nparams] = arena_strndup(r->a, path, seg);
            r->nparams++;
            pat = close + 1;
            path += seg;
        } else if (*pat++ != *path++) {
            return 0;
        }
    }
    return *pat == 0 && *path == 0;
}

/*
 * libmicrohttpd's unescaping, except that an escaped NUL (%00) becomes DEL: the decoded path
 * and query values are C strings, so a NUL would cut "/problems/1%00" to "/problems/1" before
 * any check saw it. DEL is a control character, which every check of decoded text refuses.
 */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *uri)
{
    (void)cls;
    (void)conn;
    char *w = uri;
    for (const char *p = uri; *p; p++) {
        if (p[0] == '%' && p[1] == '0' && p[2] == '0') {
            *w++ = 0x7F;
            p += 2;
            continue;
        }
        *w++ = *p;
    }
    *w = 0;
    return MHD_http_unescape(uri);
}

static void route(http_req *r)
{
    /* The decoded path reaches logs and audit records: only valid UTF-8 without controls. */
    if (!text_valid_utf8(r->path) || text_has_control(r->path) || strlen(r->path) > 1024) {
        r->early = E_BAD_REQUEST;
        return;
    }
    int path_matched = 0;
    size_t allow_len = 0;
    const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
    for (const mech *const *m = duban_mechs; *m; m++) {
        for (const http_route *rt = (*m)->routes; rt && rt->method; rt++) {
            if (!match_pattern(r, rt->pattern, r->path)) continue;
            if (strcmp(rt->method, method) == 0) {
                r->route = rt;
                return;
            }
            path_matched = 1;
            int n = snprintf(r->allow + allow_len, sizeof r->allow - allow_len, "%s%s",
                             allow_len ? ", " : "", rt->method);
            if (n > 0 && (size_t)n < sizeof r->allow - allow_len) allow_len += (size_t)n;
        }
    }
    /* Any other GET outside the API is the browser UI: a file of it, or its page. */
    int api = strncmp(r->path, "/api", 4) == 0 && (r->path[4] == '/' || r->path[4] == 0);
    if (!path_matched && strcmp(method, "GET") == 0 && !api) {
        r->route = &http_web_route;
        return;
    }
    r->early = path_matched ? E_METHOD_NOT_ALLOWED : E_ROUTE_NOT_FOUND;
}

static int has_body_method(const char *m)
{
    return strcmp(m, "POST") == 0 || strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 ||
           strcmp(m, "DELETE") == 0;
}

/* Checks what the headers say about the body: its size and its type. */
static void check_body_headers(http_req *r)
{
    const char *len = http_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = http_header(r, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    long long n = len ? strtoll(len, NULL, 10) : 0;
    if (n > (long long)body_limit(r)) {
        r->early = E_PAYLOAD_TOO_LARGE;
        return;
    }
    if ((n > 0 || te) && !(r->route->flags & ROUTE_UPLOAD)) {
        const char *ct = http_header(r, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
            (ct[16] && ct[16] != ';' && ct[16] != ' '))
            r->early = E_UNSUPPORTED_MEDIA_TYPE;
    }
}

/* ---- authentication ---- */

static const char *client_ip(http_req *r)
{
    if (r->srv->ap->cfg.trust_proxy) {
        /* The proxy appends the address it saw; anything before it came from the client. */
        const char *xff = http_header(r, "X-Forwarded-For");
        const char *last = xff ? strrchr(xff, ',') : NULL;
        last = last ? last + 1 : xff;
        while (last && *last == ' ')
            last++;
        unsigned char bin[sizeof(struct in6_addr)];
        if (last && strlen(last) < INET6_ADDRSTRLEN &&
            (inet_pton(AF_INET, last, bin) == 1 || inet_pton(AF_INET6, last, bin) == 1))
            return arena_strdup(r->a, last);
    }
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char buf[INET6_ADDRSTRLEN] = "?";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, sizeof buf);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, sizeof buf);
    }
    return arena_strdup(r->a, buf);
}

static int is_safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0;
}

/* Back to an anonymous caller after a failed optional authentication. */
static void forget_caller(http_req *r)
{
    memset(&r->p, 0, sizeof r->p);
    r->authed = 0;
    r->session_token = NULL;
    r->csrf = NULL;
}

static err_code authenticate(http_req *r)
{
    app *ap = r->srv->ap;
    const char *auth = http_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    err_code e;
    if (auth && strncmp(auth, "Bearer ", 7) == 0) {
        e = account_bearer(ap, r->a, auth + 7, r->ip, &r->p);
        if (e != E_OK) return e;
        r->authed = 1;
        return E_OK;
    }
    const char *token = http_cookie(r, SESSION_COOKIE);
    if (!token || !*token) return E_UNAUTHENTICATED;
    const char *csrf;
    e = account_session(ap, r->a, token, r->ip, &r->p, &csrf);
    if (e == E_SESSION_EXPIRED) {
        http_add_header(r, MHD_HTTP_HEADER_SET_COOKIE,
                        "duban_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
    }
    if (e != E_OK) return e;
    r->authed = 1;
    r->session_token = arena_strdup(r->a, token);
    r->csrf = csrf;
    if (!is_safe_method(r->method)) {
        const char *sent = http_header(r, "X-CSRF-Token");
        if (!sent || !text_equal_ct(sent, csrf)) return E_CSRF;
    }
    return E_OK;
}

/* ---- replies ---- */

static void reply_error(http_req *r, err_code e)
{
    json_t *err = json_pack("{ss ss}", "code", err_name(e), "message",
                            r->err_message ? r->err_message : err_message(e));
    /* A missing version is always the body's "version", whichever layer found it missing. */
    const char *field = r->err_field ? r->err_field : e == E_VERSION_REQUIRED ? "version" : NULL;
    json_object_set_new(err, "field", field ? json_string(field) : json_null());
    if (r->err_details) {
        json_object_set_new(err, "details", r->err_details);
        r->err_details = NULL;
    }
    http_reply(r, err_status(e), json_pack("{so}", "error", err));
    r->err = e;
}

/* Refusals of an authenticated caller are audited: every 403 but the two account states. */
static int is_refusal(err_code e)
{
    return err_status(e) == 403 && e != E_PASSWORD_CHANGE_REQUIRED && e != E_ACCOUNT_DISABLED;
}

static void add_security_headers(struct MHD_Response *resp, http_req *r)
{
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                            "'unsafe-inline'; object-src 'none'; base-uri 'none'; "
                            "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Cache-Control",
                            r->immutable ? "public, max-age=31536000, immutable" : "no-store");
    if (http_is_tls(r))
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

static enum MHD_Result send_reply(http_req *r)
{
    struct MHD_Response *resp;
    if (r->file_fd >= 0) {
        resp = MHD_create_response_from_fd64(r->file_size, r->file_fd); /* closes the fd */
        r->file_fd = -1;
    } else if (r->static_reply) {
        resp = MHD_create_response_from_buffer(r->reply_len, (void *)r->static_reply,
                                               MHD_RESPMEM_PERSISTENT);
    } else {
        resp = MHD_create_response_from_buffer(r->reply_len, r->reply, MHD_RESPMEM_MUST_FREE);
        r->reply = NULL; /* owned by the response now */
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->reply_type);
    add_security_headers(resp, r);
    if (r->err == E_METHOD_NOT_ALLOWED) MHD_add_response_header(resp, "Allow", r->allow);
    for (int i = 0; i < r->nheaders; i++)
        MHD_add_response_header(resp, r->hdr_names[i], r->hdr_values[i]);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* The path with control characters and spaces escaped, so one request is one log line. */
static const char *loggable(arena *a, const char *s)
{
    size_t n = strlen(s) > 400 ? 400 : strlen(s);
    char *out = arena_alloc(a, 4 * n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7F || c == '%')
            o += sprintf(o, "%%%02X", c);
        else
            *o++ = (char)c;
    }
    *o = 0;
    return out;
}

static void access_log(http_req *r)
{
    if (!r->srv->ap->cfg.access_log) return;
    char ts[24], status[16];
    snprintf(status, sizeof status, r->status ? "%d" : "aborted", r->status);
    fprintf(stderr, "%s ACCESS %s %s %s %.1fms %s\n", clock_iso(clock_now(), ts), r->method,
            loggable(r->a, r->path), status, clock_mono_ms() - r->t0, r->authed ? r->p.login : "-");
}

/* Runs the request once its body is in: authenticate, check, handle, reply. */
static enum MHD_Result finish(http_req *r)
{
    err_code e = r->early;
    if (e == E_OK) {
        if (r->body) r->body[r->body_len] = 0;
        e = r->route->fn(r);
        if (e == E_OK && !r->replied) e = E_INTERNAL;
    }
    if (e != E_OK) {
        reply_error(r, e);
        if (is_refusal(e) && r->authed)
            app_audit_refusal(r->srv->ap, &r->p, e,
                              arena_sprintf(r->a, "%s %s", r->method, r->path), r->path);
    }
    access_log(r);
    return send_reply(r);
}

static enum MHD_Result take_body(http_req *r, const char *data, size_t n)
{
    size_t limit = body_limit(r);
    if (r->early != E_OK) {
        r->dropped += n;
        /* Far past the limit: stop reading and answer now (the connection will close). */
        if (r->dropped > 16 * limit) return MHD_NO;
        return MHD_YES;
    }
    if (r->body_len + n > limit) {
        r->early = E_PAYLOAD_TOO_LARGE;
        r->dropped = r->body_len + n;
        return MHD_YES;
    }
    if (r->body_len + n + 1 > r->body_cap) {
        r->body_cap = (r->body_len + n + 1) * 2;
        if (r->body_cap > limit + 1) r->body_cap = limit + 1;
        r->body = xrealloc(r->body, r->body_cap);
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    http_server *srv = cls;
    http_req *r = *con_cls;
    if (!r) {
        r = xcalloc(1, sizeof *r);
        r->srv = srv;
        r->conn = conn;
        r->file_fd = -1;
        r->a = arena_new();
        r->t0 = clock_mono_ms();
        r->method = arena_strdup(r->a, method);
        r->path = arena_strdup(r->a, url);
        r->ip = client_ip(r);
        atomic_fetch_add(&srv->inflight, 1);
        *con_cls = r;
        route(r);
        if (r->early == E_OK && has_body_method(method)) check_body_headers(r);
        /* Who is asking is known from the headers: refuse before buffering any body. */
        if (r->early == E_OK && (r->route->flags & ROUTE_OPTIONAL_AUTH)) {
            if (authenticate(r) != E_OK) forget_caller(r);
        } else if (r->early == E_OK && !(r->route->flags & ROUTE_PUBLIC)) {
            r->early = authenticate(r);
            if (r->early == E_OK && r->p.must_change && !(r->route->flags & ROUTE_PW_CHANGE))
                r->early = E_PASSWORD_CHANGE_REQUIRED;
            /* The route's permission, held over some unit; the handler checks the object's. */
            if (r->early == E_OK && r->route->perm && !(r->route->flags & ROUTE_LIST) &&
                !authz_has(&r->p, r->route->perm))
                r->early = E_FORBIDDEN;
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        enum MHD_Result ok = take_body(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        if (ok == MHD_NO) {
            /* libmicrohttpd cannot queue a reply in the middle of an upload: close instead. */
            r->status = 0;
            access_log(r);
        }
        return ok;
    }
    return finish(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_server *srv = cls;
    http_req *r = *con_cls;
    if (!r) return;
    json_decref(r->doc);
    json_decref(r->err_details);
    if (r->file_fd >= 0) close(r->file_fd);
    free(r->body);
    free(r->reply);
    arena_free(r->a);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

/* ---- start and stop ---- */

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
    const char *colon = strrchr(listen, ':');
    char host[64];
    if (!colon) return -1;
    size_t hl = (size_t)(colon - listen);
    if (hl >= sizeof host) return -1;
    memcpy(host, listen, hl);
    host[hl] = 0;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)atoi(colon + 1));
    if (strcmp(host, "localhost") == 0) snprintf(host, sizeof host, "127.0.0.1");
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

http_server *http_start(app *ap, char *err, size_t errlen)
{
    struct sockaddr_in sa;
    if (parse_listen(ap->cfg.listen, &sa)) {
        snprintf(err, errlen, "bad listen address %s", ap->cfg.listen);
        return NULL;
    }
    http_server *s = xcalloc(1, sizeof *s);
    s->ap = ap;
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, s, MHD_OPTION_THREAD_POOL_SIZE,
                            (unsigned)ap->cfg.threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
                            MHD_OPTION_CONNECTION_TIMEOUT, 120u, MHD_OPTION_LISTENING_ADDRESS_REUSE,
                            1u, MHD_OPTION_END);
    if (!s->d) {
        snprintf(err, errlen, "cannot listen on %s (in use, or not allowed)", ap->cfg.listen);
        free(s);
        return NULL;
    }
    return s;
}

void http_stop(http_server *s, int grace_ms)
{
    if (!s) return;
    MHD_socket fd = MHD_quiesce_daemon(s->d);
    double until = clock_mono_ms() + grace_ms;
    while (atomic_load(&s->inflight) > 0 && clock_mono_ms() < until)
        usleep(10000);
    MHD_stop_daemon(s->d);
    if (fd != MHD_INVALID_SOCKET) close(fd);
    free(s);
}

const char *http_route_perm(http_req *r)
{
    return r->route ? r->route->perm : NULL;
}

int http_route_guarded(const http_route *rt)
{
    if (rt->perm) return mech_perm(rt->perm) != NULL;
    return (rt->flags & (ROUTE_PUBLIC | ROUTE_OPTIONAL_AUTH | ROUTE_SIGNED_IN)) != 0;
}
