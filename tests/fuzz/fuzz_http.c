/*
 * fuzz_http — libFuzzer target for everything a request carries in its head: the request
 * target with its query string, the Cookie header, and the body of JSON routes and of uploads
 * (evidence files and ledger imports), through the real server (http_start on a loopback port,
 * in this process so that coverage and the sanitizers see the handlers).
 *
 * libmicrohttpd splits the query string and the cookies; what duban does with the values is
 * what is fuzzed: the route match and path ids, http_query_int, the list filters
 * (api_problem_filter: flags, dates, states, limits), session lookup from the cookie, the
 * upload path (attach_sniff, attach_name_ok, storing) and the ledger import behind it.
 *
 * Input: byte 0 picks the method (GET, POST, PUT, DELETE); the rest is TARGET\nCOOKIE\nBODY.
 * A target not starting with '/' is appended to "/api/v1/problems?"; an empty COOKIE means
 * the session of a user holding every problem role over the county (and its CSRF token is
 * always sent, so writes get past the check). Control bytes and spaces in the target are
 * percent-encoded so the request stays framed. The server must answer every request with an
 * HTTP status below 500, or close a connection it refuses; anything else aborts.
 *
 * The database and files live in a fresh directory under /dev/shm (removed at exit), so the
 * synchronous commits of writes cost no disk.
 */
#include "account/account.h"
#include "auth/password.h"
#include "base/mem.h"
#include "core/setup.h"
#include "http/http.h"
#include "problem/problem.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static const char PW[] = "Fuzz@2026duban!";

static struct {
    int ready;
    char dir[64];
    config cfg;
    app ap;
    http_server *srv;
    int port;
    char cookie[SECRET_TEXT + 32], csrf[SECRET_TEXT];
} S;

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_http: %s\n", what);
    abort();
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    return remove(path);
}

static void cleanup(void)
{
    if (S.srv) http_stop(S.srv, 1000);
    if (S.ap.st) app_close(&S.ap);
    config_free(&S.cfg);
    nftw(S.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void set(const char *name, const char *value)
{
    char err[256];
    if (config_set(&S.cfg, name, value, "fuzz", err, sizeof err)) fail(err);
}

/* A port that was free a moment ago. */
static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) ||
        getsockname(fd, (struct sockaddr *)&sa, &len))
        fail("no free port");
    close(fd);
    return ntohs(sa.sin_port);
}

/* The fuzzing user: every problem role over the county, password known, no forced change. */
static err_code user_fn(store_tx *tx, void *ctx)
{
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(PW, hash)) return E_INTERNAL;
    store_user u = {.login = "fuzz", .name = "模糊测试", .unit_id = 1, .pw_hash = hash,
                    .created_at = 1, .pw_changed_at = 1};
    err_code e = store_user_insert(tx, &u);
    static const char *const roles[] = {"operator", "handler", "supervisor", "leader"};
    for (size_t i = 0; e == E_OK && i < sizeof roles / sizeof roles[0]; i++) {
        store_role r;
        e = store_role_by_name(tx, ctx, roles[i], &r);
        store_grant g = {.user_id = u.id, .role_id = r.id, .unit_id = 1, .created_at = 1,
                         .created_by = "fuzz"};
        if (e == E_OK) e = store_grant_insert(tx, &g);
    }
    return e;
}

static void setup(void)
{
    snprintf(S.dir, sizeof S.dir, "/dev/shm/duban-fuzz-XXXXXX");
    if (!mkdtemp(S.dir)) {
        snprintf(S.dir, sizeof S.dir, "/tmp/duban-fuzz-XXXXXX");
        if (!mkdtemp(S.dir)) fail("no temporary directory");
    }
    config_defaults(&S.cfg);
    char path[128];
    snprintf(path, sizeof path, "%s/duban.db", S.dir);
    set("db", path);
    set("access_log", "false");
    set("body_limit", "65536");
    set("upload_limit", "65536");
    set("threads", "2");
    set("readers", "2");
    S.port = free_port();
    char listen[32];
    snprintf(listen, sizeof listen, "127.0.0.1:%d", S.port);
    set("listen", listen);
    setenv("DUBAN_ADMIN_PASSWORD", PW, 1);
    setenv("DUBAN_SECADMIN_PASSWORD", PW, 1);
    setenv("DUBAN_AUDITOR_PASSWORD", PW, 1);
    char err[512];
    FILE *devnull = fopen("/dev/null", "w");
    if (setup_init(&S.cfg, devnull, err, sizeof err)) fail(err);
    fclose(devnull);
    if (app_open(&S.ap, &S.cfg, err, sizeof err)) fail(err);
    arena *a = arena_new();
    if (store_write(S.ap.st, user_fn, a) != E_OK) fail("user");
    /* One problem, so that /problems/1/… reaches the flow and the upload code. */
    principal sys = authz_system(a);
    problem_input in = {.source = "督查", .category = "项目推进", .title = "道路未完工",
                        .description = "配套道路迟迟未完工。", .found_on = "2025-03-03",
                        .unit_id = 1, .mode = "immediate", .deadline = "2099-12-31",
                        .measures = "限期完工", .subject = ""};
    store_problem pr;
    const char *bad;
    if (problem_register(&S.ap, a, &sys, &in, &pr, &bad) != E_OK) fail("problem");
    account_login_input li = {.login = "fuzz", .password = PW, .ip = "127.0.0.1"};
    account_login_result res;
    if (account_login(&S.ap, a, &li, &res) != E_OK) fail("login");
    snprintf(S.cookie, sizeof S.cookie, "duban_session=%s", res.session);
    snprintf(S.csrf, sizeof S.csrf, "%s", res.csrf);
    arena_free(a);
    S.srv = http_start(&S.ap, err, sizeof err);
    if (!S.srv) fail(err);
    /* Registered after OpenSSL registered its own exit handler, so this runs first: the server
     * threads end (and OpenSSL frees their per-thread state) while OpenSSL is still there. */
    atexit(cleanup);
    S.ready = 1;
}

/* Appends bytes, percent-encoding those that would break the request line or a header. */
static size_t put_safe(char *out, const uint8_t *p, size_t n, int header)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\r' || p[i] == '\n' || p[i] == 0) continue;
        if (!header && (p[i] <= ' ' || p[i] == 0x7f)) k += (size_t)sprintf(out + k, "%%%02X", p[i]);
        else out[k++] = (char)p[i];
    }
    return k;
}

static const uint8_t *part(const uint8_t **p, const uint8_t *end, size_t *n)
{
    const uint8_t *start = *p, *nl = memchr(start, '\n', (size_t)(end - start));
    *n = (size_t)((nl ? nl : end) - start);
    *p = nl ? nl + 1 : end;
    return start;
}

/* Sends the request and reads the whole reply; the status, or 0 when the server closed. */
static int exchange(const char *req, size_t len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)S.port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    struct timeval tv = {.tv_sec = 10};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int c;
    while ((c = connect(fd, (struct sockaddr *)&sa, sizeof sa)) && errno == EINTR) {}
    if (c) fail("connect");
    for (size_t off = 0; off < len;) {
        ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break; /* refused midway (a body cut off): the reply may still be there */
        off += (size_t)w;
    }
    shutdown(fd, SHUT_WR);
    char head[16] = {0};
    size_t got = 0;
    char buf[8192];
    ssize_t r;
    /* libFuzzer's timeout check is a SIGALRM every second or so: an interrupted recv goes on. */
    while ((r = recv(fd, buf, sizeof buf, 0)) > 0 || (r < 0 && errno == EINTR)) {
        for (ssize_t i = 0; i < r && got < sizeof head - 1; i++) head[got++] = buf[i];
    }
    close(fd);
    if (r < 0) fail("no reply within 10 s");
    if (got == 0) return 0;
    if (strncmp(head, "HTTP/1.1 ", 9) != 0) abort();
    return atoi(head + 9);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S.ready) setup();
    if (size < 1) return 0;
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE"};
    const char *method = methods[data[0] % 4];
    const uint8_t *p = data + 1, *end = data + size;
    size_t ntarget, ncookie, nbody;
    const uint8_t *target = part(&p, end, &ntarget);
    const uint8_t *cookie = part(&p, end, &ncookie);
    const uint8_t *body = p;
    nbody = (size_t)(end - p);
    char *req = xmalloc(3 * size + 1024);
    size_t k = (size_t)sprintf(req, "%s ", method);
    if (!ntarget || target[0] != '/') k += (size_t)sprintf(req + k, "/api/v1/problems?");
    k += put_safe(req + k, target, ntarget, 0);
    int upload = memmem(req, k, "/attachments", 12) || memmem(req, k, "/import", 7);
    k += (size_t)sprintf(req + k, " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\nCookie: ");
    if (ncookie) k += put_safe(req + k, cookie, ncookie, 1);
    else k += (size_t)sprintf(req + k, "%s", S.cookie);
    k += (size_t)sprintf(req + k, "\r\nX-CSRF-Token: %s\r\nContent-Type: %s\r\n"
                                  "Content-Length: %zu\r\n\r\n", S.csrf,
                         upload ? "application/octet-stream" : "application/json", nbody);
    memcpy(req + k, body, nbody);
    int status = exchange(req, k + nbody);
    /* FUZZ_HTTP_VERBOSE=1: each request line and its status, to see what a corpus reaches. */
    if (getenv("FUZZ_HTTP_VERBOSE"))
        fprintf(stderr, "%.*s -> %d\n", (int)(strchr(req, '\r') - req), req, status);
    free(req);
    /* 5xx is duban failing on bad input, which must never happen. */
    if (status >= 500) abort();
    return 0;
}
