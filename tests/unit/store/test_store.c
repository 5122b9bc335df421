/*
 * Tests of the store: migrations and the version guard, units in tree order with scope
 * filters, moves and renames, duplicates, rollback of a failed write, after-commit hooks,
 * the user list filters, the online backup, and group commit of concurrent writers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "base/clock.h"
#include "org/org.h"
#include "store/migrate.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int setup_env(void **state)
{
    *state = tu_env_open();
    return 0;
}

static int teardown_env(void **state)
{
    tu_env_close(*state);
    return 0;
}

/* ---- migrations and the version guard ---- */

static void test_migrations_applied(void **state)
{
    tu_env *e = *state;
    assert_true(migrate_latest() >= 2);
    assert_int_equal(store_schema_version(e->ap.st), migrate_latest());
    sqlite3 *db = tu_raw(e);
    assert_int_equal(tu_query_int(db, "PRAGMA user_version"), migrate_latest());
    assert_int_equal(tu_query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                      " AND name IN ('unit', 'user', 'audit', 'meta')"),
                     4);
    assert_int_equal(tu_query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                                      " AND name IN ('audit_no_update', 'audit_no_delete')"),
                     2);
    sqlite3_close(db);
}

/* One schema written once per engine: every number has its file in both directories, under
 * the same name, and nothing else. */
static void test_migrations_match_across_engines(void **state)
{
    (void)state;
    const migration_file *l = migrate_sqlite, *p = migrate_pg;
    for (; l->name && p->name; l++, p++)
        assert_string_equal(l->name, p->name);
    assert_null(l->name);
    assert_null(p->name);
    assert_int_equal(migrate_latest_in(migrate_pg), migrate_latest());
}

static void test_new_file_is_migrated(void **state)
{
    (void)state;
    char *dir = tu_tempdir("store");
    char *path = xasprintf("%s/new.db", dir);
    char err[512] = "";
    /* Without create, a missing file is an error. */
    assert_null(store_open(path, 1, 0, err, sizeof err));
    assert_true(err[0] != 0);
    store *st = store_open(path, 1, 1, err, sizeof err);
    if (!st) fail_msg("%s", err);
    assert_int_equal(store_schema_version(st), migrate_latest());
    store_close(st);
    /* Opening again applies nothing and keeps the version. */
    st = store_open(path, 2, 0, err, sizeof err);
    assert_non_null(st);
    assert_int_equal(store_schema_version(st), migrate_latest());
    store_close(st);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

static void test_newer_database_refused(void **state)
{
    tu_env *e = *state;
    app_close(&e->ap); /* the environment's own connections let go of the file */
    sqlite3 *db = tu_raw(e);
    char *sql = xasprintf("PRAGMA user_version = %d", migrate_latest() + 1);
    tu_exec(db, sql);
    free(sql);
    sqlite3_close(db);
    char err[512] = "";
    store *st = store_open(e->db, 1, 0, err, sizeof err);
    assert_null(st);
    if (!strstr(err, "newer")) fail_msg("message does not say newer: %s", err);
    /* The refusal changed nothing. */
    db = tu_raw(e);
    assert_int_equal(tu_query_int(db, "PRAGMA user_version"), migrate_latest() + 1);
    sqlite3_close(db);
    /* app_open refuses too (and tu_env_close copes with the closed app). */
    assert_int_not_equal(app_open(&e->ap, &e->cfg, err, sizeof err), 0);
    assert_non_null(strstr(err, "newer"));
}

/* ---- meta ---- */

typedef struct {
    arena *a;
    const char *key, *value;
} meta_ctx;

static err_code meta_set_fn(store_tx *tx, void *ctx)
{
    meta_ctx *m = ctx;
    return store_meta_set(tx, m->key, m->value);
}

static err_code meta_get_fn(store_tx *tx, void *ctx)
{
    meta_ctx *m = ctx;
    return store_meta_get(tx, m->a, m->key, &m->value);
}

static void test_meta(void **state)
{
    tu_env *e = *state;
    meta_ctx m = {.a = e->a, .key = "initialized_at"};
    assert_err(store_read(e->ap.st, meta_get_fn, &m), E_OK);
    assert_int_equal(strlen(m.value), 20); /* 2024-03-05T08:00:00Z */
    m = (meta_ctx){.a = e->a, .key = "k", .value = "v1"};
    assert_err(store_write(e->ap.st, meta_set_fn, &m), E_OK);
    m.value = "第二个值";
    assert_err(store_write(e->ap.st, meta_set_fn, &m), E_OK);
    m.value = NULL;
    assert_err(store_read(e->ap.st, meta_get_fn, &m), E_OK);
    assert_string_equal(m.value, "第二个值");
    m.key = "missing";
    assert_err(store_read(e->ap.st, meta_get_fn, &m), E_NOT_FOUND);
}

/* ---- group commit ---- */

enum { GC_THREADS = 8, GC_WRITES = 25 };

typedef struct {
    tu_env *e;
    int thread;
    atomic_int *hooks;
    err_code rc[GC_WRITES];
} gc_ctx;

typedef struct {
    gc_ctx *c;
    int i;
} gc_write;

static void gc_hook(void *arg)
{
    atomic_fetch_add((atomic_int *)arg, 1);
}

/* Writes its key, registers a hook, lingers so that others queue up; every third write of
 * thread 0 then fails, which must undo its key and its hook only. */
static err_code gc_fn(store_tx *tx, void *ctx)
{
    gc_write *w = ctx;
    char key[32];
    snprintf(key, sizeof key, "gc-%d-%d", w->c->thread, w->i);
    err_code e = store_meta_set(tx, key, "v");
    if (e != E_OK) return e;
    store_after_commit(tx, gc_hook, w->c->hooks);
    usleep(300);
    return w->c->thread == 0 && w->i % 3 == 0 ? E_CONFLICT : E_OK;
}

static void *gc_thread(void *arg)
{
    gc_ctx *c = arg;
    for (int i = 0; i < GC_WRITES; i++) {
        gc_write w = {c, i};
        c->rc[i] = store_write(c->e->ap.st, gc_fn, &w);
    }
    return NULL;
}

static void test_group_commit(void **state)
{
    tu_env *e = *state;
    atomic_int hooks = 0;
    gc_ctx ctx[GC_THREADS];
    pthread_t th[GC_THREADS];
    for (int t = 0; t < GC_THREADS; t++) {
        ctx[t] = (gc_ctx){.e = e, .thread = t, .hooks = &hooks};
        assert_int_equal(pthread_create(&th[t], NULL, gc_thread, &ctx[t]), 0);
    }
    for (int t = 0; t < GC_THREADS; t++)
        pthread_join(th[t], NULL);
    int failed = 0;
    for (int t = 0; t < GC_THREADS; t++)
        for (int i = 0; i < GC_WRITES; i++) {
            int fails = t == 0 && i % 3 == 0;
            assert_err(ctx[t].rc[i], fails ? E_CONFLICT : E_OK);
            char key[32];
            snprintf(key, sizeof key, "gc-%d-%d", t, i);
            meta_ctx m = {.a = e->a, .key = key};
            assert_err(store_read(e->ap.st, meta_get_fn, &m), fails ? E_NOT_FOUND : E_OK);
            failed += fails;
        }
    /* Each kept write's hook ran once, after its commit; no failed write's hook ran. */
    assert_int_equal(atomic_load(&hooks), GC_THREADS * GC_WRITES - failed);
    /* And nothing else of theirs was written. */
    sqlite3 *db = tu_raw(e);
    int64_t kept = tu_query_int(db, "SELECT count(*) FROM meta WHERE key LIKE 'gc-%'");
    sqlite3_close(db);
    assert_int_equal(kept, GC_THREADS * GC_WRITES - failed);
}

/* ---- units ---- */

typedef struct {
    arena *a;
    store_unit u, parent;
    const char *code, *scope;
    int64_t id, parent_id, version;
    const char *name;
    store_unit *list;
    size_t n;
} unit_ctx;

static err_code unit_insert_fn(store_tx *tx, void *ctx)
{
    unit_ctx *c = ctx;
    return store_unit_insert(tx, c->a, &c->u);
}

static err_code unit_get_fn(store_tx *tx, void *ctx)
{
    unit_ctx *c = ctx;
    return store_unit_get(tx, c->a, c->id, &c->u);
}

static err_code unit_by_code_fn(store_tx *tx, void *ctx)
{
    unit_ctx *c = ctx;
    return store_unit_by_code(tx, c->a, c->code, &c->u);
}

static err_code unit_list_fn(store_tx *tx, void *ctx)
{
    unit_ctx *c = ctx;
    return store_unit_list(tx, c->a, c->scope, c->parent_id, &c->list, &c->n);
}

static err_code unit_rename_fn(store_tx *tx, void *ctx)
{
    unit_ctx *c = ctx;
    return store_unit_rename(tx, c->id, c->name, c->version);
}

static err_code unit_move_fn(store_tx *tx, void *ctx)
{
    unit_ctx *c = ctx;
    err_code e = store_unit_get(tx, c->a, c->id, &c->u);
    if (e == E_OK) e = store_unit_get(tx, c->a, c->parent_id, &c->parent);
    if (e == E_OK) e = store_unit_move(tx, c->a, &c->u, &c->parent, c->version);
    return e;
}

static err_code insert_unit(tu_env *e, const char *code, const char *kind, int64_t parent,
                            store_unit *out)
{
    unit_ctx c = {.a = e->a};
    c.u = (store_unit){
        .kind = kind, .code = code, .name = code, .parent_id = parent, .created_at = clock_now()};
    err_code rc = store_write(e->ap.st, unit_insert_fn, &c);
    if (out) *out = c.u;
    return rc;
}

static int64_t add_unit(tu_env *e, const char *code, const char *kind, int64_t parent)
{
    store_unit u;
    err_code rc = insert_unit(e, code, kind, parent, &u);
    if (rc != E_OK) fail_msg("insert %s: %s", code, err_name(rc));
    return u.id;
}

static store_unit get_unit(tu_env *e, int64_t id)
{
    unit_ctx c = {.a = e->a, .id = id};
    assert_err(store_read(e->ap.st, unit_get_fn, &c), E_OK);
    return c.u;
}

static size_t list_units(tu_env *e, const char *scope, int64_t parent_id, store_unit **out)
{
    unit_ctx c = {.a = e->a, .scope = scope, .parent_id = parent_id};
    assert_err(store_read(e->ap.st, unit_list_fn, &c), E_OK);
    *out = c.list;
    return c.n;
}

static int listed(const store_unit *list, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (list[i].id == id) return 1;
    return 0;
}

/*
 * A tree with ids past 20, so that '/1/2/' and '/1/23/' both exist: townships t2..t25 under
 * the root, village v26 under t2 with branch b28 below it, and village v27 under t23.
 */
static void build_tree(tu_env *e)
{
    for (int i = 2; i <= 25; i++) {
        char code[16];
        snprintf(code, sizeof code, "t%d", i);
        assert_int_equal(add_unit(e, code, "township", 1), i);
    }
    assert_int_equal(add_unit(e, "v26", "village", 2), 26);
    assert_int_equal(add_unit(e, "v27", "village", 23), 27);
    assert_int_equal(add_unit(e, "b28", "branch", 26), 28);
}

static void test_unit_insert_get(void **state)
{
    tu_env *e = *state;
    store_unit u;
    assert_err(insert_unit(e, "town-a", "township", 1, &u), E_OK);
    assert_true(u.id > 1);
    char want[32];
    snprintf(want, sizeof want, "/1/%lld/", (long long)u.id);
    assert_string_equal(u.path, want);
    store_unit g = get_unit(e, u.id);
    assert_string_equal(g.code, "town-a");
    assert_string_equal(g.kind, "township");
    assert_string_equal(g.path, want);
    assert_int_equal(g.parent_id, 1);
    assert_int_equal(g.version, 1);
    unit_ctx c = {.a = e->a, .code = "town-a"};
    assert_err(store_read(e->ap.st, unit_by_code_fn, &c), E_OK);
    assert_int_equal(c.u.id, u.id);
    c.code = "nope";
    assert_err(store_read(e->ap.st, unit_by_code_fn, &c), E_NOT_FOUND);
    c.id = 9999;
    assert_err(store_read(e->ap.st, unit_get_fn, &c), E_NOT_FOUND);
    /* The root. */
    store_unit root = get_unit(e, 1);
    assert_string_equal(root.path, "/1/");
    assert_int_equal(root.parent_id, 0);
    /* A parent that does not exist. */
    assert_err(insert_unit(e, "orphan", "village", 9999, NULL), E_FIELD_INVALID);
}

static void test_unit_duplicate_code(void **state)
{
    tu_env *e = *state;
    add_unit(e, "dup", "township", 1);
    int64_t before = tu_count(e, "unit");
    assert_err(insert_unit(e, "dup", "village", 1, NULL), E_DUPLICATE);
    assert_int_equal(tu_count(e, "unit"), before);
    /* The same check through the mechanism names the field. */
    org_unit_input in = {"dup", "另一个", "township", 1};
    store_unit u;
    const char *field = NULL;
    assert_err(org_unit_add(&e->ap, e->a, &e->sys, &in, &u, &field), E_DUPLICATE);
    assert_string_equal(field, "code");
    assert_int_equal(tu_count(e, "unit"), before);
}

static void test_unit_list_tree_order(void **state)
{
    tu_env *e = *state;
    build_tree(e);
    store_unit *l;
    size_t n = list_units(e, NULL, 0, &l);
    assert_int_equal(n, 28);
    for (size_t i = 1; i < n; i++) {
        /* Sorted by path, each parent before its children, each subtree contiguous. */
        assert_true(strcmp(l[i - 1].path, l[i].path) < 0);
        assert_true(listed(l, i, l[i].parent_id));
        for (size_t j = i + 1; j < n; j++)
            if (strncmp(l[i].path, l[j].path, strlen(l[i].path)) == 0)
                assert_true(strncmp(l[i].path, l[j - 1].path, strlen(l[i].path)) == 0);
    }
    assert_string_equal(l[0].path, "/1/");
    /* t2's subtree follows t2 directly, before t20..t25. */
    size_t i2 = 0;
    while (l[i2].id != 2)
        i2++;
    assert_int_equal(l[i2 + 1].id, 26);
    assert_int_equal(l[i2 + 2].id, 28);
    assert_int_equal(l[i2 + 3].id, 20);
}

static void test_unit_list_scope(void **state)
{
    tu_env *e = *state;
    build_tree(e);
    store_unit *l;
    size_t n;

    n = list_units(e, "[]", 0, &l);
    assert_int_equal(n, 0);

    /* /1/2/ covers t2, v26 and b28, not t23 or its village. */
    n = list_units(e, "[\"/1/2/\"]", 0, &l);
    assert_int_equal(n, 3);
    assert_true(listed(l, n, 2) && listed(l, n, 26) && listed(l, n, 28));
    assert_false(listed(l, n, 23) || listed(l, n, 27));

    n = list_units(e, "[\"/1/23/\"]", 0, &l);
    assert_int_equal(n, 2);
    assert_true(listed(l, n, 23) && listed(l, n, 27));

    n = list_units(e, "[\"/1/2/26/\", \"/1/23/\"]", 0, &l);
    assert_int_equal(n, 4);
    assert_true(listed(l, n, 26) && listed(l, n, 28) && listed(l, n, 23) && listed(l, n, 27));

    /* Overlapping prefixes list each unit once. */
    n = list_units(e, "[\"/1/\", \"/1/2/\"]", 0, &l);
    assert_int_equal(n, 28);

    /* Direct children only. */
    n = list_units(e, NULL, 1, &l);
    assert_int_equal(n, 24);
    n = list_units(e, NULL, 2, &l);
    assert_int_equal(n, 1);
    assert_int_equal(l[0].id, 26);
    n = list_units(e, "[\"/1/23/\"]", 2, &l); /* children of t2 outside the scope */
    assert_int_equal(n, 0);

    /* A scope of a unit that does not exist covers nothing. */
    n = list_units(e, "[\"/1/99/\"]", 0, &l);
    assert_int_equal(n, 0);
}

static void test_unit_move_rewrites_subtree(void **state)
{
    tu_env *e = *state;
    build_tree(e);
    store_unit t2 = get_unit(e, 2);
    unit_ctx c = {.a = e->a, .id = 2, .parent_id = 3, .version = t2.version};
    assert_err(store_write(e->ap.st, unit_move_fn, &c), E_OK);
    store_unit m = get_unit(e, 2);
    assert_string_equal(m.path, "/1/3/2/");
    assert_int_equal(m.parent_id, 3);
    assert_int_equal(m.version, t2.version + 1);
    assert_string_equal(get_unit(e, 26).path, "/1/3/2/26/");
    assert_string_equal(get_unit(e, 28).path, "/1/3/2/26/28/");
    /* Neighbours whose paths merely start alike are untouched. */
    assert_string_equal(get_unit(e, 23).path, "/1/23/");
    assert_string_equal(get_unit(e, 27).path, "/1/23/27/");
    assert_string_equal(get_unit(e, 20).path, "/1/20/");
    store_unit *l;
    size_t n = list_units(e, "[\"/1/3/\"]", 0, &l);
    assert_int_equal(n, 4);

    /* A stale version is refused and changes nothing. */
    c = (unit_ctx){.a = e->a, .id = 26, .parent_id = 23, .version = 99};
    assert_err(store_write(e->ap.st, unit_move_fn, &c), E_CONFLICT);
    assert_string_equal(get_unit(e, 26).path, "/1/3/2/26/");
    assert_string_equal(get_unit(e, 28).path, "/1/3/2/26/28/");

    /* Move a deeper unit back up, unconditionally (version 0). */
    c = (unit_ctx){.a = e->a, .id = 26, .parent_id = 1, .version = 0};
    assert_err(store_write(e->ap.st, unit_move_fn, &c), E_OK);
    assert_string_equal(get_unit(e, 26).path, "/1/26/");
    assert_string_equal(get_unit(e, 28).path, "/1/26/28/");
    assert_string_equal(get_unit(e, 2).path, "/1/3/2/");
}

static void test_unit_move_refuses_cycle(void **state)
{
    tu_env *e = *state;
    build_tree(e);
    store_unit out;
    const char *field = NULL;
    /* Under its own descendant, or under itself. */
    assert_err(org_unit_move(&e->ap, e->a, &e->sys, 2, 28, ORG_VERSION_ANY, &out, &field), E_UNIT_CYCLE);
    assert_err(org_unit_move(&e->ap, e->a, &e->sys, 2, 2, ORG_VERSION_ANY, &out, &field), E_UNIT_CYCLE);
    /* Not a cycle: t2 under t23 (whose path /1/23/ merely starts like /1/2/). */
    assert_err(org_unit_move(&e->ap, e->a, &e->sys, 2, 23, ORG_VERSION_ANY, &out, &field), E_OK);
    assert_string_equal(get_unit(e, 28).path, "/1/23/2/26/28/");
    /* The root stays. */
    assert_int_not_equal(org_unit_move(&e->ap, e->a, &e->sys, 1, 3, ORG_VERSION_ANY, &out, &field), E_OK);
    assert_string_equal(get_unit(e, 1).path, "/1/");
}

static void test_unit_rename_versions(void **state)
{
    tu_env *e = *state;
    int64_t id = add_unit(e, "town", "township", 1);
    unit_ctx c = {.a = e->a, .id = id, .name = "新名字", .version = 2};
    assert_err(store_write(e->ap.st, unit_rename_fn, &c), E_CONFLICT);
    assert_string_equal(get_unit(e, id).name, "town");
    c.version = 1;
    assert_err(store_write(e->ap.st, unit_rename_fn, &c), E_OK);
    store_unit u = get_unit(e, id);
    assert_string_equal(u.name, "新名字");
    assert_int_equal(u.version, 2);
    /* The old version is now stale. */
    c.name = "第三个";
    c.version = 1;
    assert_err(store_write(e->ap.st, unit_rename_fn, &c), E_CONFLICT);
    assert_string_equal(get_unit(e, id).name, "新名字");
    c.version = 0; /* no version: last writer wins */
    assert_err(store_write(e->ap.st, unit_rename_fn, &c), E_OK);
    assert_int_equal(get_unit(e, id).version, 3);
    /* Through the mechanism: stale version → conflict, history kept for the good one. */
    store_unit out;
    const char *field = NULL;
    /* A rename without the version the caller saw could overwrite a change unseen. */
    assert_err(org_unit_rename(&e->ap, e->a, &e->sys, id, "第四个", 0, &out, &field),
               E_VERSION_REQUIRED);
    assert_err(org_unit_rename(&e->ap, e->a, &e->sys, id, "第四个", 1, &out, &field), E_CONFLICT);
    assert_err(org_unit_rename(&e->ap, e->a, &e->sys, id, "第四个", 3, &out, &field), E_OK);
    assert_string_equal(out.name, "第四个");
    assert_int_equal(out.version, 4);
}

/* ---- transactions ---- */

typedef struct {
    tu_env *e;
    err_code fail_with;
    int hook_runs;
} write_ctx;

static void hook(void *arg)
{
    ((write_ctx *)arg)->hook_runs++;
}

static err_code write_then_fail_fn(store_tx *tx, void *ctx)
{
    write_ctx *c = ctx;
    store_unit u = {
        .kind = "township", .code = "doomed", .name = "doomed", .parent_id = 1, .created_at = 1};
    err_code e = store_unit_insert(tx, c->e->a, &u);
    if (e != E_OK) return e;
    store_unit v = {
        .kind = "village", .code = "doomed-v", .name = "v", .parent_id = u.id, .created_at = 1};
    if ((e = store_unit_insert(tx, c->e->a, &v)) != E_OK) return e;
    if ((e = store_meta_set(tx, "doomed", "yes")) != E_OK) return e;
    if ((e = store_unit_history_add(tx, u.id, 1, "t", "create", NULL, "doomed")) != E_OK) return e;
    store_after_commit(tx, hook, c);
    return c->fail_with;
}

static void test_failed_write_rolls_back(void **state)
{
    tu_env *e = *state;
    int64_t units = tu_count(e, "unit"), meta = tu_count(e, "meta");
    int64_t history = tu_count(e, "unit_history");
    write_ctx c = {.e = e, .fail_with = E_FIELD_INVALID};
    assert_err(store_write(e->ap.st, write_then_fail_fn, &c), E_FIELD_INVALID);
    assert_int_equal(tu_count(e, "unit"), units);
    assert_int_equal(tu_count(e, "meta"), meta);
    assert_int_equal(tu_count(e, "unit_history"), history);
    assert_int_equal(c.hook_runs, 0);
    /* The code is free again: nothing of the failed write is left. */
    c.fail_with = E_OK;
    assert_err(store_write(e->ap.st, write_then_fail_fn, &c), E_OK);
    assert_int_equal(tu_count(e, "unit"), units + 2);
    assert_int_equal(tu_count(e, "meta"), meta + 1);
    assert_int_equal(c.hook_runs, 1);
    /* A failure inside SQL (the duplicate code) after earlier writes rolls back too. */
    c.hook_runs = 0;
    assert_err(store_write(e->ap.st, write_then_fail_fn, &c), E_DUPLICATE);
    assert_int_equal(tu_count(e, "unit"), units + 2);
    assert_int_equal(c.hook_runs, 0);
}

static err_code hook_only_fn(store_tx *tx, void *ctx)
{
    write_ctx *c = ctx;
    store_after_commit(tx, hook, c);
    store_after_commit(tx, hook, c);
    return c->fail_with;
}

static err_code nothing_fn(store_tx *tx, void *ctx)
{
    (void)tx;
    (void)ctx;
    return E_OK;
}

static err_code many_hooks_fn(store_tx *tx, void *ctx)
{
    write_ctx *c = ctx;
    for (int i = 0; i < 100; i++)
        store_after_commit(tx, hook, c);
    return c->fail_with;
}

static void test_after_commit_hooks(void **state)
{
    tu_env *e = *state;
    /* Any number of hooks: a bulk write registers one per audit record. */
    write_ctx many = {.e = e, .fail_with = E_OK};
    assert_err(store_write(e->ap.st, many_hooks_fn, &many), E_OK);
    assert_int_equal(many.hook_runs, 100);
    many.fail_with = E_BUSY;
    assert_err(store_write(e->ap.st, many_hooks_fn, &many), E_BUSY);
    assert_int_equal(many.hook_runs, 100);

    write_ctx c = {.e = e, .fail_with = E_OK};
    assert_err(store_write(e->ap.st, hook_only_fn, &c), E_OK);
    assert_int_equal(c.hook_runs, 2);
    c.fail_with = E_CONFLICT;
    assert_err(store_write(e->ap.st, hook_only_fn, &c), E_CONFLICT);
    assert_int_equal(c.hook_runs, 2);
    /* Hooks of a rolled-back write do not linger into the next one. */
    assert_err(store_write(e->ap.st, nothing_fn, NULL), E_OK);
    assert_int_equal(c.hook_runs, 2);
}

/* ---- users ---- */

typedef struct {
    arena *a;
    store_user_filter f;
    store_user *list;
    size_t n;
    int64_t total;
} users_ctx;

static err_code user_list_fn(store_tx *tx, void *ctx)
{
    users_ctx *c = ctx;
    return store_user_list(tx, c->a, &c->f, &c->list, &c->n, &c->total);
}

static users_ctx list_users(tu_env *e, store_user_filter f)
{
    users_ctx c = {.a = e->a, .f = f};
    if (!c.f.limit) c.f.limit = 100;
    assert_err(store_read(e->ap.st, user_list_fn, &c), E_OK);
    return c;
}

static int has_login(const users_ctx *c, const char *login)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->list[i].login, login) == 0) return 1;
    return 0;
}

static void test_user_list_filters(void **state)
{
    tu_env *e = *state;
    build_tree(e);
    /* The template has admin, secadmin, auditor at the root. */
    tu_user(e, "wang.t2", 2);
    tu_user(e, "li.v26", 26);
    tu_user(e, "zhao.b28", 28);
    tu_user(e, "wang.t23", 23);
    tu_user(e, "chen.v27", 27);

    users_ctx c = list_users(e, (store_user_filter){0});
    assert_int_equal(c.total, 8);
    assert_int_equal(c.n, 8);
    /* In tree order: the root's users first, by login. */
    assert_string_equal(c.list[0].login, "admin");
    assert_string_equal(c.list[1].login, "auditor");
    assert_string_equal(c.list[2].login, "secadmin");
    for (size_t i = 1; i < c.n; i++)
        assert_true(strcmp(c.list[i - 1].unit_path, c.list[i].unit_path) <= 0);

    /* A unit's subtree (t2, v26, b28), not the look-alike t23. */
    c = list_users(e, (store_user_filter){.unit_id = 2});
    assert_int_equal(c.total, 3);
    assert_true(has_login(&c, "wang.t2") && has_login(&c, "li.v26") && has_login(&c, "zhao.b28"));
    assert_false(has_login(&c, "wang.t23"));

    /* Substring of login or name. */
    c = list_users(e, (store_user_filter){.q = "wang"});
    assert_int_equal(c.total, 2);
    c = list_users(e, (store_user_filter){.q = "wang", .unit_id = 23});
    assert_int_equal(c.total, 1);
    assert_string_equal(c.list[0].login, "wang.t23");
    c = list_users(e, (store_user_filter){.q = "系统管理员"}); /* admin's name */
    assert_int_equal(c.total, 1);
    assert_string_equal(c.list[0].login, "admin");
    c = list_users(e, (store_user_filter){.q = "%"}); /* no LIKE wildcards */
    assert_int_equal(c.total, 0);
    c = list_users(e, (store_user_filter){.q = "nobody"});
    assert_int_equal(c.total, 0);
    assert_int_equal(c.n, 0);

    /* Scope. */
    c = list_users(e, (store_user_filter){.scope = "[\"/1/23/\"]"});
    assert_int_equal(c.total, 2);
    assert_true(has_login(&c, "wang.t23") && has_login(&c, "chen.v27"));
    c = list_users(e, (store_user_filter){.scope = "[]"});
    assert_int_equal(c.total, 0);
    c = list_users(e, (store_user_filter){.scope = "[\"/1/23/\"]", .unit_id = 2});
    assert_int_equal(c.total, 0);

    /* Paging: total counts everything that matches, the page holds limit rows. */
    users_ctx all = list_users(e, (store_user_filter){0});
    c = list_users(e, (store_user_filter){.limit = 3, .offset = 0});
    assert_int_equal(c.total, 8);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.list[0].login, all.list[0].login);
    c = list_users(e, (store_user_filter){.limit = 3, .offset = 3});
    assert_int_equal(c.n, 3);
    assert_string_equal(c.list[0].login, all.list[3].login);
    c = list_users(e, (store_user_filter){.limit = 3, .offset = 6});
    assert_int_equal(c.n, 2);
    assert_string_equal(c.list[1].login, all.list[7].login);
    c = list_users(e, (store_user_filter){.limit = 3, .offset = 9});
    assert_int_equal(c.n, 0);
    assert_int_equal(c.total, 8);

    /* A unit that does not exist. */
    users_ctx bad = {.a = e->a, .f = {.unit_id = 999, .limit = 10}};
    assert_err(store_read(e->ap.st, user_list_fn, &bad), E_NOT_FOUND);
}

/* ---- backup ---- */

static void test_backup_same_rows(void **state)
{
    tu_env *e = *state;
    build_tree(e);
    tu_user(e, "someone", 26);
    char *copy = xasprintf("%s/backup.db", e->dir);
    char err[512] = "";
    assert_err(store_backup(e->ap.st, copy, err, sizeof err), E_OK);
    /* Owner-only (it holds password hashes), and never over an existing file. */
    struct stat sb;
    assert_int_equal(stat(copy, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_err(store_backup(e->ap.st, copy, err, sizeof err), E_INTERNAL);
    assert_non_null(strstr(err, copy));
    sqlite3 *src = tu_raw(e), *dst = NULL;
    assert_int_equal(sqlite3_open_v2(copy, &dst, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    static const char *tables[] = {"unit",       "user",  "role", "role_perm",
                                   "user_grant", "audit", "meta", "unit_history"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        char *sql = xasprintf("SELECT count(*) FROM %s", tables[i]);
        int64_t a = tu_query_int(src, sql), b = tu_query_int(dst, sql);
        if (a != b)
            fail_msg("%s: %lld rows, backup has %lld", tables[i], (long long)a, (long long)b);
        free(sql);
    }
    assert_int_equal(tu_query_int(dst, "SELECT count(*) FROM unit"), 28);
    /* Same content, not just the same counts. */
    static const char digest[] = "SELECT group_concat(id || path || code || name, ',') FROM "
                                 "(SELECT * FROM unit ORDER BY id)";
    sqlite3_stmt *a, *b;
    assert_int_equal(sqlite3_prepare_v2(src, digest, -1, &a, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(dst, digest, -1, &b, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(a), SQLITE_ROW);
    assert_int_equal(sqlite3_step(b), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(a, 0),
                        (const char *)sqlite3_column_text(b, 0));
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    assert_int_equal(tu_query_int(dst, "PRAGMA user_version"), migrate_latest());
    sqlite3_close(src);
    sqlite3_close(dst);
    /* The copy opens as a store of its own. */
    store *st = store_open(copy, 1, 0, err, sizeof err);
    if (!st) fail_msg("%s", err);
    assert_int_equal(store_schema_version(st), migrate_latest());
    store_close(st);
    free(copy);
}

#define ENV_TEST(f) cmocka_unit_test_setup_teardown(f, setup_env, teardown_env)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ENV_TEST(test_migrations_applied),
        cmocka_unit_test(test_migrations_match_across_engines),
        cmocka_unit_test(test_new_file_is_migrated),
        ENV_TEST(test_newer_database_refused),
        ENV_TEST(test_meta),
        ENV_TEST(test_group_commit),
        ENV_TEST(test_unit_insert_get),
        ENV_TEST(test_unit_duplicate_code),
        ENV_TEST(test_unit_list_tree_order),
        ENV_TEST(test_unit_list_scope),
        ENV_TEST(test_unit_move_rewrites_subtree),
        ENV_TEST(test_unit_move_refuses_cycle),
        ENV_TEST(test_unit_rename_versions),
        ENV_TEST(test_failed_write_rolls_back),
        ENV_TEST(test_after_commit_hooks),
        ENV_TEST(test_user_list_filters),
        ENV_TEST(test_backup_same_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
