/*
 * Adding a mechanism takes a descriptor and one line in the registration table: this test
 * brings a throw-away mechanism ("drill") with a permission, a route, a tick and a CLI
 * command, lists it in a registration table of its own (this binary links the library
 * without src/mechs.c), and uses each part end to end — a role made of the new permission, a
 * real HTTP request through the server with an API token (200 with the permission, 403
 * without, and a read under a permission marked audit_reads recorded in the audit chain), the
 * scheduler's tick, and `duban drill` through the CLI's dispatcher — with no other file of
 * duban changed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "access/access.h"
#include "api/api.h"
#include "account/account.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "core/mech.h"
#include "core/scheduler.h"
#include "http/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- the throw-away mechanism: what a new folder would hold ---- */

static int pings, ticks, runs;

static err_code drill_ping(http_req *r)
{
    pings++;
    return http_reply(r, 200, json_pack("{si}", "pong", pings));
}

/* A read of sensitive records: through mech_read (here via api_read_filtered), so audited. */
static int64_t units_seen;
static err_code count_units(store_tx *tx, void *ctx)
{
    (void)ctx;
    store_unit root;
    arena *a = arena_new();
    err_code e = store_unit_root(tx, a, &root);
    arena_free(a);
    units_seen += e == E_OK;
    return e;
}

static err_code drill_secret(http_req *r)
{
    err_code e = api_read_filtered(r, count_units, NULL);
    return e == E_OK ? http_reply(r, 200, json_pack("{sI}", "seen", (json_int_t)units_seen)) : e;
}

static const perm_info drill_perms[] = {
    {"drill.run", "参加演练", CLASS_NONE, 0},
    {"drill.secret", "查看演练档案", CLASS_NONE, 1},
    {NULL, NULL, CLASS_NONE, 0},
};

static const http_route drill_routes[] = {
    {"GET", "/api/v1/drill/ping", "drill.run", 0, drill_ping},
    {"GET", "/api/v1/drill/secret", "drill.secret", 0, drill_secret},
    {NULL, NULL, NULL, 0, NULL},
};

static err_code drill_tick(app *ap, arena *a, int64_t now, char *summary, size_t n, int *acted)
{
    (void)ap, (void)a, (void)now;
    ticks++;
    snprintf(summary, n, "%d drills held", ticks);
    *acted = 1;
    return E_OK;
}

static int cmd_drill(int argc, char **argv)
{
    (void)argv;
    runs++;
    return argc == 0 ? 0 : 2;
}

static const mech_cmd drill_commands[] = {
    {"drill", cmd_drill, "hold a drill"},
    {NULL, NULL, NULL},
};

static const mech drill_mech = {
    .name = "drill",
    .title = "演练",
    .perms = drill_perms,
    .routes = drill_routes,
    .commands = drill_commands,
    .tick = drill_tick,
};

/* ---- the registration table: duban's, plus one line ---- */

extern const mech org_mech, access_mech, common_mech, problem_mech, study_mech;
const mech *const duban_mechs[] = {
    &org_mech, &access_mech, &common_mech, &problem_mech, &study_mech, &drill_mech, NULL,
};

/* ---- a minimal HTTP client for loopback ---- */

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &len), 0);
    close(s);
    return ntohs(sa.sin_port);
}

/* GETs path with a bearer token; returns the status, the reply's body into body. */
static int get(int port, const char *path, const char *token, char *body, size_t n)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(s, (struct sockaddr *)&sa, sizeof sa), 0);
    char req[512];
    int len = snprintf(req, sizeof req,
                       "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                       "Connection: close\r\n\r\n",
                       path, token);
    assert_int_equal(write(s, req, (size_t)len), len);
    char buf[8192];
    size_t got = 0;
    ssize_t k;
    while (got < sizeof buf - 1 && (k = read(s, buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)k;
    close(s);
    buf[got] = 0;
    int status = 0;
    assert_int_equal(sscanf(buf, "HTTP/1.1 %d", &status), 1);
    const char *b = strstr(buf, "\r\n\r\n");
    snprintf(body, n, "%s", b ? b + 4 : "");
    return status;
}

static const char *token_for(tu_env *e, int64_t user_id, char secret[SECRET_TEXT + 8])
{
    principal p = tu_principal(e, user_id);
    store_token tok;
    assert_err(account_token_create(&e->ap, e->a, &p, "drill", &tok, secret), E_OK);
    return secret;
}

static void test_a_new_mechanism_works_end_to_end(void **state)
{
    (void)state;
    tu_env *e = tu_env_open();

    /* its permission is in the catalogue, so a role can be made of it and granted */
    assert_non_null(authz_perm("drill.run"));
    const char *perms[] = {"drill.run", "drill.secret"};
    store_role role;
    const char *bad = NULL;
    assert_err(access_role_add(&e->ap, e->a, &e->sys, "driller", "演练员", perms, 2, &role, &bad),
               E_OK);
    int64_t town = tu_unit(e, "town", "township", 1);
    int64_t with = tu_user(e, "driller1", town), without = tu_user(e, "bystander", town);
    tu_grant(e, with, "driller", town);

    /* its route is served, and guarded by its permission before the handler runs */
    int port = free_port();
    e->ap.cfg.listen = arena_sprintf(e->a, "127.0.0.1:%d", port);
    char err[256], body[4096], s1[SECRET_TEXT + 8], s2[SECRET_TEXT + 8];
    http_server *srv = http_start(&e->ap, err, sizeof err);
    assert_non_null(srv);
    assert_int_equal(get(port, "/api/v1/drill/ping", token_for(e, with, s1), body, sizeof body),
                     200);
    assert_non_null(strstr(body, "\"pong\":1"));
    assert_int_equal(get(port, "/api/v1/drill/ping", token_for(e, without, s2), body, sizeof body),
                     403);
    assert_non_null(strstr(body, "forbidden"));
    assert_int_equal(pings, 1);

    /* a read under a permission marked audit_reads is recorded; an ordinary one is not */
    sqlite3 *raw = tu_raw(e);
    int64_t before = tu_query_int(raw, "SELECT count(*) FROM audit WHERE action = 'read'");
    assert_int_equal(get(port, "/api/v1/drill/secret", s1, body, sizeof body), 200);
    assert_int_equal(get(port, "/api/v1/drill/ping", s1, body, sizeof body), 200);
    assert_int_equal(tu_query_int(raw, "SELECT count(*) FROM audit WHERE action = 'read'"),
                     before + 1);
    assert_int_equal(tu_query_int(raw, "SELECT count(*) FROM audit WHERE action = 'read' AND"
                                       " object = '/api/v1/drill/secret' AND actor = 'driller1'"),
                     1);
    sqlite3_close(raw);
    http_stop(srv, 1000);

    /* its tick runs with everyone else's */
    assert_err(scheduler_run_once(&e->ap), E_OK);
    char line[2048];
    int acted;
    assert_err(mech_tick_all(&e->ap, clock_now(), line, sizeof line, &acted), E_OK);
    assert_true(acted);
    assert_int_equal(ticks, 2);
    assert_non_null(strstr(line, "2 drills held"));
    assert_non_null(strstr(line, "newly overdue")); /* the problem list's part is still there */

    /* its command is a command of duban */
    char *argv[] = {"drill", NULL};
    assert_int_equal(cli_main(1, argv), 0);
    assert_int_equal(runs, 1);
    assert_ptr_equal(mech_command("drill")->fn, cmd_drill);
    tu_env_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_new_mechanism_works_end_to_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
