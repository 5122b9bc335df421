/* testutil — temp dirs and initialised databases for the unit tests (see testutil.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "auth/password.h"
#include "base/clock.h"
#include "core/setup.h"
#include "org/org.h"
#include "access/access.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *template_dir;
static char user_hash[PASSWORD_HASH_MAX];

char *tu_tempdir(const char *tag)
{
    char *dir = xasprintf("/tmp/duban-%s-XXXXXX", tag);
    if (!mkdtemp(dir)) fail_msg("mkdtemp %s: %s", dir, strerror(errno));
    return dir;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tu_rmtree(const char *dir)
{
    if (dir) nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void template_cleanup(void)
{
    tu_rmtree(template_dir);
    free(template_dir);
    template_dir = NULL;
}

static void template_make(void)
{
    if (template_dir) return;
    template_dir = tu_tempdir("tmpl");
    atexit(template_cleanup);
    setenv("DUBAN_ADMIN_PASSWORD", TU_ADMIN_PASSWORD, 1);
    setenv("DUBAN_SECADMIN_PASSWORD", TU_SECADMIN_PASSWORD, 1);
    setenv("DUBAN_AUDITOR_PASSWORD", TU_AUDITOR_PASSWORD, 1);
    config cfg;
    config_defaults(&cfg);
    char err[512], *db = xasprintf("%s/t.db", template_dir);
    assert_int_equal(config_set(&cfg, "db", db, "test", err, sizeof err), 0);
    free(db);
    FILE *devnull = fopen("/dev/null", "w");
    assert_non_null(devnull);
    int rc = setup_init(&cfg, devnull, err, sizeof err);
    fclose(devnull);
    config_free(&cfg);
    if (rc) fail_msg("setup_init: %s", err);
}

static void copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY);
    if (in < 0) fail_msg("open %s: %s", from, strerror(errno));
    struct stat sb;
    assert_int_equal(fstat(in, &sb), 0);
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL, sb.st_mode & 0777);
    if (out < 0) fail_msg("create %s: %s", to, strerror(errno));
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n) fail_msg("write %s: %s", to, strerror(errno));
    assert_true(n == 0);
    close(in);
    close(out);
}

tu_env *tu_env_open(void)
{
    template_make();
    tu_env *e = xcalloc(1, sizeof *e);
    e->dir = tu_tempdir("test");
    e->db = xasprintf("%s/t.db", e->dir);
    e->key = xasprintf("%s.key", e->db);
    e->head = xasprintf("%s.head", e->key);
    static const char *files[] = {"t.db", "t.db.key", "t.db.key.head"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *from = xasprintf("%s/%s", template_dir, files[i]);
        char *to = xasprintf("%s/%s", e->dir, files[i]);
        copy_file(from, to);
        free(from);
        free(to);
    }
    config_defaults(&e->cfg);
    char err[512];
    assert_int_equal(config_set(&e->cfg, "db", e->db, "test", err, sizeof err), 0);
    assert_int_equal(config_set(&e->cfg, "readers", "2", "test", err, sizeof err), 0);
    if (app_open(&e->ap, &e->cfg, err, sizeof err)) fail_msg("app_open: %s", err);
    e->a = arena_new();
    e->sys = authz_system(e->a);
    return e;
}

void tu_env_close(tu_env *e)
{
    if (!e) return;
    app_close(&e->ap);
    config_free(&e->cfg);
    arena_free(e->a);
    tu_rmtree(e->dir);
    free(e->dir);
    free(e->db);
    free(e->key);
    free(e->head);
    free(e);
}

int64_t tu_unit(tu_env *e, const char *code, const char *kind, int64_t parent_id)
{
    org_unit_input in = {code, code, kind, parent_id};
    store_unit u;
    const char *field = NULL;
    err_code rc = org_unit_add(&e->ap, e->a, &e->sys, &in, &u, &field);
    if (rc != E_OK) fail_msg("org_unit_add %s: %s (%s)", code, err_name(rc), field ? field : "-");
    return u.id;
}

typedef struct {
    arena *a;
    int64_t id;
    store_unit u;
    store_user user;
    int64_t user_id;
    principal *p;
} tu_ctx;

static err_code unit_get_fn(store_tx *tx, void *ctx)
{
    tu_ctx *c = ctx;
    return store_unit_get(tx, c->a, c->id, &c->u);
}

const char *tu_unit_path(tu_env *e, int64_t id)
{
    tu_ctx c = {.a = e->a, .id = id};
    assert_int_equal(store_read(e->ap.st, unit_get_fn, &c), E_OK);
    return c.u.path;
}

static err_code user_insert_fn(store_tx *tx, void *ctx)
{
    tu_ctx *c = ctx;
    return store_user_insert(tx, &c->user);
}

int64_t tu_user(tu_env *e, const char *login, int64_t unit_id)
{
    if (!user_hash[0]) assert_int_equal(password_hash(TU_USER_PASSWORD, user_hash), 0);
    tu_ctx c = {.a = e->a};
    c.user = (store_user){.login = login, .name = login, .unit_id = unit_id,
                          .pw_hash = user_hash, .must_change = 0, .created_at = clock_now()};
    err_code rc = store_write(e->ap.st, user_insert_fn, &c);
    if (rc != E_OK) fail_msg("insert user %s: %s", login, err_name(rc));
    return c.user.id;
}

int64_t tu_grant(tu_env *e, int64_t user_id, const char *role, int64_t unit_id)
{
    store_grant g;
    const char *field = NULL;
    err_code rc = access_grant(&e->ap, e->a, &e->sys, user_id, role, unit_id, &g, &field);
    if (rc != E_OK) fail_msg("grant %s: %s (%s)", role, err_name(rc), field ? field : "-");
    return g.id;
}

static err_code principal_fn(store_tx *tx, void *ctx)
{
    tu_ctx *c = ctx;
    err_code rc = store_user_get(tx, c->a, c->user_id, &c->user);
    if (rc != E_OK) return rc;
    *c->p = (principal){.user_id = c->user.id, .unit_id = c->user.unit_id,
                        .login = c->user.login, .name = c->user.name,
                        .unit_path = c->user.unit_path, .must_change = (int)c->user.must_change};
    return authz_load(tx, c->a, c->p);
}

principal tu_principal(tu_env *e, int64_t user_id)
{
    principal p = {0};
    tu_ctx c = {.a = e->a, .user_id = user_id, .p = &p};
    assert_int_equal(store_read(e->ap.st, principal_fn, &c), E_OK);
    return p;
}

sqlite3 *tu_raw(tu_env *e)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(e->db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("open %s: %s", e->db, sqlite3_errmsg(db));
    sqlite3_busy_timeout(db, 5000);
    return db;
}

void tu_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        char copy[512];
        snprintf(copy, sizeof copy, "%s", msg ? msg : "?");
        sqlite3_free(msg);
        fail_msg("%s: %s", sql, copy);
    }
}

int64_t tu_query_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        fail_msg("%s: no row", sql);
    }
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

int64_t tu_count(tu_env *e, const char *table)
{
    sqlite3 *db = tu_raw(e);
    char *sql = xasprintf("SELECT count(*) FROM \"%s\"", table);
    int64_t n = tu_query_int(db, sql);
    free(sql);
    sqlite3_close(db);
    return n;
}
