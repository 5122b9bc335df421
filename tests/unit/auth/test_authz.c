/*
 * Tests of authorisation: subtree checks (and the /1/2/ vs /1/23/ trap), scopes, the system
 * principal, permission classes, and the mechanisms refusing out-of-scope writes, self-grants
 * and mixing the 三员分立 classes — each refusal leaving nothing written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include "access/access.h"
#include "core/mech.h"
#include "org/org.h"

#include <stdlib.h>
#include <string.h>

/* ---- pure checks ---- */

static principal with_perms(store_perm_scope *perms, size_t n)
{
    principal p = {.user_id = 42, .login = "someone", .perms = perms, .nperms = n};
    return p;
}

static void test_can_subtrees(void **state)
{
    (void)state;
    store_perm_scope perms[] = {
        {"unit.write", "/1/2/"}, /* a township */
        {"user.read", "/1/"},    /* the whole county */
        {"problem.read", "/1/5/"},
    };
    principal p = with_perms(perms, 3);
    assert_true(authz_can(&p, "unit.write", "/1/2/"));
    assert_true(authz_can(&p, "unit.write", "/1/2/26/")); /* its village */
    assert_true(authz_can(&p, "unit.write", "/1/2/26/28/"));
    assert_false(authz_can(&p, "unit.write", "/1/3/"));  /* the neighbouring township */
    assert_false(authz_can(&p, "unit.write", "/1/23/")); /* a prefix of text, not of path */
    assert_false(authz_can(&p, "unit.write", "/1/23/2/"));
    assert_false(authz_can(&p, "unit.write", "/1/")); /* not upwards */
    assert_false(authz_can(&p, "unit.write", NULL));
    assert_false(authz_can(&p, "unit.write", ""));
    assert_true(authz_can(&p, "user.read", "/1/23/"));
    assert_false(authz_can(&p, "user.write", "/1/2/")); /* another permission */
    assert_false(authz_can(&p, "unit", "/1/2/"));       /* names match exactly */
    assert_false(authz_can(&p, "problem.read", "/1/50/"));
    assert_true(authz_can(&p, "problem.read", "/1/5/7/"));
    assert_true(authz_has(&p, "unit.write"));
    assert_false(authz_has(&p, "grant.write"));

    principal none = with_perms(NULL, 0);
    assert_false(authz_can(&none, "unit.read", "/1/"));
    assert_false(authz_has(&none, "unit.read"));
}

static void test_scope_json(void **state)
{
    (void)state;
    arena *a = arena_new();
    store_perm_scope perms[] = {
        {"unit.read", "/1/2/"},
        {"user.read", "/1/"},
        {"unit.read", "/1/23/"},
    };
    principal p = with_perms(perms, 3);
    const char *s = authz_scope(&p, "unit.read", a);
    assert_non_null(s);
    json_error_t jerr;
    json_t *arr = json_loads(s, 0, &jerr);
    assert_non_null(arr);
    assert_true(json_is_array(arr));
    assert_int_equal(json_array_size(arr), 2);
    assert_string_equal(json_string_value(json_array_get(arr, 0)), "/1/2/");
    assert_string_equal(json_string_value(json_array_get(arr, 1)), "/1/23/");
    json_decref(arr);
    assert_string_equal(authz_scope(&p, "grant.write", a), "[]");
    principal none = with_perms(NULL, 0);
    assert_string_equal(authz_scope(&none, "unit.read", a), "[]");
    arena_free(a);
}

static void test_system_principal(void **state)
{
    (void)state;
    arena *a = arena_new();
    principal sys = authz_system(a);
    assert_true(sys.system);
    assert_int_equal(sys.user_id, 0);
    assert_non_null(sys.login);
    assert_memory_equal(sys.login, "cli:", 4);
    assert_true(authz_can(&sys, "unit.write", "/1/"));
    assert_true(authz_can(&sys, "audit.read", "/1/9/"));
    assert_true(authz_has(&sys, "grant.write"));
    assert_null(authz_scope(&sys, "unit.read", a)); /* everywhere */
    audit_actor act = authz_actor(&sys);
    assert_int_equal(act.user_id, 0);
    assert_string_equal(act.login, sys.login);
    arena_free(a);
}

static void test_classes(void **state)
{
    (void)state;
    const char *sys[] = {"unit.write", "user.read", "user.write"};
    const char *sec[] = {"role.write", "grant.write", "unit.read"};
    const char *aud[] = {"audit.read", "problem.read"};
    const char *none[] = {"unit.read", "problem.handle", "problem.verify"};
    const char *sys_sec[] = {"unit.write", "grant.write"};
    const char *sys_aud[] = {"user.write", "audit.read"};
    const char *sec_aud[] = {"role.write", "audit.read"};
    const char *unknown[] = {"no.such", "unit.read"};
    assert_int_equal(authz_classes(sys, 3), CLASS_SYSTEM);
    assert_int_equal(authz_classes(sec, 3), CLASS_SECURITY);
    assert_int_equal(authz_classes(aud, 2), CLASS_AUDIT);
    assert_int_equal(authz_classes(none, 3), CLASS_NONE);
    assert_int_equal(authz_classes(sys_sec, 2), CLASS_SYSTEM | CLASS_SECURITY);
    assert_int_equal(authz_classes(sys_aud, 2), CLASS_SYSTEM | CLASS_AUDIT);
    assert_int_equal(authz_classes(sec_aud, 2), CLASS_SECURITY | CLASS_AUDIT);
    assert_int_equal(authz_classes(unknown, 2), CLASS_NONE);
    assert_int_equal(authz_classes(NULL, 0), CLASS_NONE);

    assert_false(authz_mixed(CLASS_NONE));
    assert_false(authz_mixed(CLASS_SYSTEM));
    assert_false(authz_mixed(CLASS_SECURITY));
    assert_false(authz_mixed(CLASS_AUDIT));
    assert_true(authz_mixed(CLASS_SYSTEM | CLASS_SECURITY));
    assert_true(authz_mixed(CLASS_SYSTEM | CLASS_AUDIT));
    assert_true(authz_mixed(CLASS_SECURITY | CLASS_AUDIT));
    assert_true(authz_mixed(CLASS_SYSTEM | CLASS_SECURITY | CLASS_AUDIT));
}

static void test_catalogue(void **state)
{
    (void)state;
    /* The catalogue is every registered mechanism's list: each name once in all of them. */
    const perm_info *seen[256];
    size_t n = 0;
    for (const mech *const *m = duban_mechs; *m; m++) {
        for (const perm_info *p = (*m)->perms; p && p->name; p++) {
            assert_non_null(p->title);
            assert_true(p->cls == CLASS_NONE || p->cls == CLASS_SYSTEM ||
                        p->cls == CLASS_SECURITY || p->cls == CLASS_AUDIT);
            assert_ptr_equal(authz_perm(p->name), p);
            for (size_t i = 0; i < n; i++)
                assert_string_not_equal(seen[i]->name, p->name);
            assert_true(n < 256);
            seen[n++] = p;
        }
    }
    assert_true(n >= 20);
    assert_null(authz_perm("no.such"));
    assert_null(authz_perm(""));
    assert_int_equal(authz_perm("audit.read")->cls, CLASS_AUDIT);
    assert_int_equal(authz_perm("grant.write")->cls, CLASS_SECURITY);
    assert_int_equal(authz_perm("unit.write")->cls, CLASS_SYSTEM);
}

/* ---- mechanisms on a real database ---- */

typedef struct {
    tu_env *e;
    int64_t t2, t3, t23, v_t2;  /* townships and a village of t2 */
    int64_t sysadm_t2;          /* sysadmin over t2 */
    int64_t secadm_t2;          /* secadmin over t2 */
    int64_t plain_t2, plain_t3; /* no grants */
    int64_t admin, secadmin, auditor;
} world;

typedef struct {
    arena *a;
    const char *login;
    store_user u;
} login_ctx;

static err_code by_login_fn(store_tx *tx, void *ctx)
{
    login_ctx *c = ctx;
    return store_user_by_login(tx, c->a, c->login, &c->u);
}

static int64_t user_id(tu_env *e, const char *login)
{
    login_ctx c = {.a = e->a, .login = login};
    assert_err(store_read(e->ap.st, by_login_fn, &c), E_OK);
    return c.u.id;
}

static int setup_world(void **state)
{
    world *w = calloc(1, sizeof *w);
    tu_env *e = w->e = tu_env_open();
    w->t2 = tu_unit(e, "t2", "township", 1);
    w->t3 = tu_unit(e, "t3", "township", 1);
    /* Fill ids up to 23 so that /1/23/ exists beside /1/2/. */
    int64_t id = w->t3;
    char code[32];
    while (id < 22) {
        snprintf(code, sizeof code, "fill%lld", (long long)id);
        id = tu_unit(e, code, "department", 1);
    }
    w->t23 = tu_unit(e, "t23", "township", 1);
    assert_string_equal(tu_unit_path(e, w->t2), "/1/2/");
    assert_string_equal(tu_unit_path(e, w->t23), "/1/23/");
    w->v_t2 = tu_unit(e, "v-t2", "village", w->t2);
    w->sysadm_t2 = tu_user(e, "sys.t2", w->t2);
    tu_grant(e, w->sysadm_t2, "sysadmin", w->t2);
    w->secadm_t2 = tu_user(e, "sec.t2", w->t2);
    tu_grant(e, w->secadm_t2, "secadmin", w->t2);
    w->plain_t2 = tu_user(e, "plain.t2", w->t2);
    w->plain_t3 = tu_user(e, "plain.t3", w->t3);
    w->admin = user_id(e, "admin");
    w->secadmin = user_id(e, "secadmin");
    w->auditor = user_id(e, "auditor");
    *state = w;
    return 0;
}

static int teardown_world(void **state)
{
    world *w = *state;
    tu_env_close(w->e);
    free(w);
    return 0;
}

static void test_loaded_principal(void **state)
{
    world *w = *state;
    principal p = tu_principal(w->e, w->sysadm_t2);
    assert_int_equal(p.user_id, w->sysadm_t2);
    assert_true(p.nperms >= 2);
    assert_true(authz_can(&p, "unit.write", "/1/2/"));
    assert_true(authz_can(&p, "unit.write", tu_unit_path(w->e, w->v_t2)));
    assert_false(authz_can(&p, "unit.write", "/1/23/"));
    assert_false(authz_can(&p, "unit.write", "/1/3/"));
    assert_false(authz_can(&p, "grant.write", "/1/2/"));
    assert_string_equal(authz_scope(&p, "unit.write", w->e->a), "[\"/1/2/\"]");
    principal plain = tu_principal(w->e, w->plain_t2);
    assert_int_equal(plain.nperms, 0);
    assert_string_equal(authz_scope(&plain, "unit.read", w->e->a), "[]");
}

static void test_unit_add_out_of_scope(void **state)
{
    world *w = *state;
    tu_env *e = w->e;
    principal p = tu_principal(e, w->sysadm_t2);
    int64_t units = tu_count(e, "unit"), audits = tu_count(e, "audit");
    int64_t history = tu_count(e, "unit_history");
    store_unit out;
    const char *field = NULL;
    org_unit_input in = {"v-t3", "邻镇的村", "village", w->t3};
    assert_err(org_unit_add(&e->ap, e->a, &p, &in, &out, &field), E_FORBIDDEN);
    in = (org_unit_input){"v-t23", "二十三镇的村", "village", w->t23};
    assert_err(org_unit_add(&e->ap, e->a, &p, &in, &out, &field), E_FORBIDDEN);
    in = (org_unit_input){"top", "县直部门", "department", 1};
    assert_err(org_unit_add(&e->ap, e->a, &p, &in, &out, &field), E_FORBIDDEN);
    assert_int_equal(tu_count(e, "unit"), units);
    assert_int_equal(tu_count(e, "audit"), audits);
    assert_int_equal(tu_count(e, "unit_history"), history);
    /* Inside its own subtree the same principal may. */
    in = (org_unit_input){"v2-t2", "本镇的村", "village", w->t2};
    assert_err(org_unit_add(&e->ap, e->a, &p, &in, &out, &field), E_OK);
    assert_string_equal(out.path, arena_sprintf(e->a, "/1/2/%lld/", (long long)out.id));
    in = (org_unit_input){"b-v-t2", "村党支部", "branch", w->v_t2};
    assert_err(org_unit_add(&e->ap, e->a, &p, &in, &out, &field), E_OK);
    assert_int_equal(tu_count(e, "unit"), units + 2);
    assert_int_equal(tu_count(e, "audit"), audits + 2);
    /* A user without unit.write may nowhere. */
    principal plain = tu_principal(e, w->plain_t2);
    in = (org_unit_input){"x", "x", "village", w->t2};
    assert_err(org_unit_add(&e->ap, e->a, &plain, &in, &out, &field), E_FORBIDDEN);
    assert_int_equal(tu_count(e, "unit"), units + 2);
}

static void test_unit_rename_move_out_of_scope(void **state)
{
    world *w = *state;
    tu_env *e = w->e;
    principal p = tu_principal(e, w->sysadm_t2);
    store_unit out;
    const char *field = NULL;
    assert_err(org_unit_rename(&e->ap, e->a, &p, w->t3, "改名", ORG_VERSION_ANY, &out, &field), E_FORBIDDEN);
    assert_err(org_unit_rename(&e->ap, e->a, &p, w->t23, "改名", ORG_VERSION_ANY, &out, &field), E_FORBIDDEN);
    /* Moving its village out of its subtree, or a neighbour's unit in, is refused. */
    assert_err(org_unit_move(&e->ap, e->a, &p, w->v_t2, w->t3, ORG_VERSION_ANY, &out, &field), E_FORBIDDEN);
    assert_err(org_unit_move(&e->ap, e->a, &p, w->t23, w->t2, ORG_VERSION_ANY, &out, &field), E_FORBIDDEN);
    assert_string_equal(tu_unit_path(e, w->v_t2),
                        arena_sprintf(e->a, "/1/2/%lld/", (long long)w->v_t2));
    assert_string_equal(tu_unit_path(e, w->t23), "/1/23/");
    assert_err(org_unit_rename(&e->ap, e->a, &p, w->v_t2, "改名", ORG_VERSION_ANY, &out, &field), E_OK);
    assert_string_equal(out.name, "改名");
}

static void test_self_grant_refused(void **state)
{
    world *w = *state;
    tu_env *e = w->e;
    principal sec = tu_principal(e, w->secadmin);
    int64_t grants = tu_count(e, "user_grant"), audits = tu_count(e, "audit");
    store_grant g;
    const char *field = NULL;
    assert_err(access_grant(&e->ap, e->a, &sec, w->secadmin, "staff", 1, &g, &field), E_SELF_GRANT);
    assert_int_equal(tu_count(e, "user_grant"), grants);
    assert_int_equal(tu_count(e, "audit"), audits);
    /* Nor may the secadmin revoke their own grant. */
    sqlite3 *db = tu_raw(e);
    char *sql = xasprintf("SELECT id FROM user_grant WHERE user_id = %lld", (long long)w->secadmin);
    int64_t own = tu_query_int(db, sql);
    free(sql);
    sqlite3_close(db);
    assert_err(access_revoke(&e->ap, e->a, &sec, own), E_SELF_GRANT);
    assert_int_equal(tu_count(e, "user_grant"), grants);
    /* The same grant to someone else is fine. */
    assert_err(access_grant(&e->ap, e->a, &sec, w->plain_t2, "staff", w->t2, &g, &field), E_OK);
    assert_int_equal(tu_count(e, "user_grant"), grants + 1);
    assert_err(access_revoke(&e->ap, e->a, &sec, g.id), E_OK);
    assert_int_equal(tu_count(e, "user_grant"), grants);
}

static void test_grant_out_of_scope(void **state)
{
    world *w = *state;
    tu_env *e = w->e;
    principal sec = tu_principal(e, w->secadm_t2);
    int64_t grants = tu_count(e, "user_grant");
    store_grant g;
    const char *field = NULL;
    /* Over a unit outside t2, or to a user outside t2. */
    assert_err(access_grant(&e->ap, e->a, &sec, w->plain_t2, "staff", w->t3, &g, &field),
               E_FORBIDDEN);
    assert_err(access_grant(&e->ap, e->a, &sec, w->plain_t2, "staff", w->t23, &g, &field),
               E_FORBIDDEN);
    assert_err(access_grant(&e->ap, e->a, &sec, w->plain_t3, "staff", w->t2, &g, &field),
               E_FORBIDDEN);
    assert_int_equal(tu_count(e, "user_grant"), grants);
    assert_err(access_grant(&e->ap, e->a, &sec, w->plain_t2, "staff", w->v_t2, &g, &field), E_OK);
    assert_int_equal(tu_count(e, "user_grant"), grants + 1);
}

static void test_grant_mixing_classes_refused(void **state)
{
    world *w = *state;
    tu_env *e = w->e;
    principal sec = tu_principal(e, w->secadmin);
    int64_t grants = tu_count(e, "user_grant"), audits = tu_count(e, "audit");
    store_grant g;
    const char *field = NULL;
    /* sys.t2 holds sysadmin: adding secadmin or auditadmin would mix classes. */
    assert_err(access_grant(&e->ap, e->a, &sec, w->sysadm_t2, "secadmin", w->t2, &g, &field),
               E_SEPARATION);
    assert_string_equal(field, "role");
    assert_err(access_grant(&e->ap, e->a, &sec, w->sysadm_t2, "auditadmin", 1, &g, &field),
               E_SEPARATION);
    /* The built-in administrators too. */
    assert_err(access_grant(&e->ap, e->a, &sec, w->auditor, "sysadmin", 1, &g, &field),
               E_SEPARATION);
    assert_err(access_grant(&e->ap, e->a, &sec, w->admin, "auditadmin", 1, &g, &field),
               E_SEPARATION);
    /* Even the system principal may not mix them. */
    assert_err(access_grant(&e->ap, e->a, &e->sys, w->admin, "secadmin", 1, &g, &field),
               E_SEPARATION);
    assert_int_equal(tu_count(e, "user_grant"), grants);
    assert_int_equal(tu_count(e, "audit"), audits);
    /* A role of no class, or of the class already held, is fine. */
    assert_err(access_grant(&e->ap, e->a, &sec, w->sysadm_t2, "staff", w->t2, &g, &field), E_OK);
    assert_err(access_grant(&e->ap, e->a, &sec, w->sysadm_t2, "sysadmin", w->v_t2, &g, &field),
               E_OK);
    assert_int_equal(tu_count(e, "user_grant"), grants + 2);
}

static void test_role_add_mixing_classes_refused(void **state)
{
    world *w = *state;
    tu_env *e = w->e;
    principal sec = tu_principal(e, w->secadmin);
    int64_t roles = tu_count(e, "role"), perms = tu_count(e, "role_perm");
    store_role r;
    const char *field = NULL;
    const char *sys_sec[] = {"unit.write", "grant.write"};
    const char *sys_aud[] = {"user.write", "audit.read", "unit.read"};
    const char *sec_aud[] = {"role.write", "audit.read"};
    assert_err(access_role_add(&e->ap, e->a, &sec, "r1", "混合", sys_sec, 2, &r, &field),
               E_SEPARATION);
    assert_string_equal(field, "permissions");
    assert_err(access_role_add(&e->ap, e->a, &sec, "r2", "混合", sys_aud, 3, &r, &field),
               E_SEPARATION);
    assert_err(access_role_add(&e->ap, e->a, &e->sys, "r3", "混合", sec_aud, 2, &r, &field),
               E_SEPARATION);
    const char *unknown[] = {"unit.read", "no.such"};
    assert_err(access_role_add(&e->ap, e->a, &sec, "r4", "未知", unknown, 2, &r, &field),
               E_FIELD_INVALID);
    assert_int_equal(tu_count(e, "role"), roles);
    assert_int_equal(tu_count(e, "role_perm"), perms);
    /* A role within one class is fine. */
    const char *ok[] = {"unit.read", "problem.read", "problem.handle"};
    assert_err(access_role_add(&e->ap, e->a, &sec, "my-handler", "办理人", ok, 3, &r, &field),
               E_OK);
    assert_int_equal(tu_count(e, "role"), roles + 1);
    assert_int_equal(tu_count(e, "role_perm"), perms + 3);
    /* Role management is county-wide: a secadmin over one township may not. */
    principal sec_t2 = tu_principal(e, w->secadm_t2);
    assert_err(access_role_add(&e->ap, e->a, &sec_t2, "r5", "x", ok, 3, &r, &field), E_FORBIDDEN);
    assert_int_equal(tu_count(e, "role"), roles + 1);
}

static void test_role_set_perms_mixing_holder_refused(void **state)
{
    world *w = *state;
    tu_env *e = w->e;
    principal sec = tu_principal(e, w->secadmin);
    store_role r;
    store_grant g;
    const char *field = NULL;
    const char *read[] = {"unit.read"};
    assert_err(access_role_add(&e->ap, e->a, &sec, "reader", "只读", read, 1, &r, &field), E_OK);
    /* sys.t2 (sysadmin) also holds the plain role... */
    assert_err(access_grant(&e->ap, e->a, &sec, w->sysadm_t2, "reader", w->t2, &g, &field), E_OK);
    /* ...so the role may not gain a security permission. */
    const char *sec_perms[] = {"unit.read", "grant.write"};
    int64_t perms = tu_count(e, "role_perm");
    assert_err(access_role_set_perms(&e->ap, e->a, &sec, "reader", sec_perms, 2, &field),
               E_SEPARATION);
    assert_int_equal(tu_count(e, "role_perm"), perms);
    /* A permission of the holder's own class is fine. */
    const char *sys_perms[] = {"unit.read", "user.write"};
    assert_err(access_role_set_perms(&e->ap, e->a, &sec, "reader", sys_perms, 2, &field), E_OK);
    /* Built-in roles are not editable. */
    assert_int_not_equal(access_role_set_perms(&e->ap, e->a, &sec, "staff", read, 1, &field), E_OK);
}

#define WORLD_TEST(f) cmocka_unit_test_setup_teardown(f, setup_world, teardown_world)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_can_subtrees),
        cmocka_unit_test(test_scope_json),
        cmocka_unit_test(test_system_principal),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_catalogue),
        WORLD_TEST(test_loaded_principal),
        WORLD_TEST(test_unit_add_out_of_scope),
        WORLD_TEST(test_unit_rename_move_out_of_scope),
        WORLD_TEST(test_self_grant_refused),
        WORLD_TEST(test_grant_out_of_scope),
        WORLD_TEST(test_grant_mixing_classes_refused),
        WORLD_TEST(test_role_add_mixing_classes_refused),
        WORLD_TEST(test_role_set_perms_mixing_holder_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
