/* access — `duban role list`, `duban grant`, `duban revoke`: roles and grants from the CLI. */
#include "access/access_int.h"

#include "access/access.h"
#include "core/store_fn.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    arena *a;
    const char *login, *unit_code, *role;
    store_user user;
    store_unit unit;
    store_role *roles;
    store_grant *grants;
    size_t n;
} access_ctx;

static err_code resolve_fn(store_tx *tx, void *ctx)
{
    access_ctx *x = ctx;
    err_code e = store_user_by_login(tx, x->a, x->login, &x->user);
    if (e != E_OK) return e == E_NOT_FOUND ? (x->unit_code = NULL, E_NOT_FOUND) : e;
    e = store_unit_by_code(tx, x->a, x->unit_code, &x->unit);
    if (e != E_OK) return e;
    return store_grant_list(tx, x->a, x->user.id, NULL, &x->grants, &x->n);
}

static const cli_spec grant_spec = {"grant",
                                    "LOGIN ROLE UNIT-CODE",
                                    "Grants a role to a user over a unit's subtree (三员分立 is "
                                    "enforced: no user may hold two administrative classes).",
                                    NULL,
                                    3,
                                    3};
static const cli_spec revoke_spec = {
    "revoke", "LOGIN ROLE UNIT-CODE", "Revokes a role a user holds over a unit.", NULL, 3, 3};

static int grant_or_revoke(const cli_spec *spec, int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    access_ctx x = {
        .a = arena_new(), .login = c.args[0], .role = c.args[1], .unit_code = c.args[2]};
    rc = 1;
    if (cli_open(&c, &ap)) goto out;
    err_code e = store_read(ap.st, resolve_fn, &x);
    if (e == E_NOT_FOUND) {
        fprintf(stderr, "duban %s: no %s '%s'\n", spec->name, x.unit_code ? "unit" : "user",
                x.unit_code ? c.args[2] : c.args[0]);
        goto close;
    }
    principal sys = authz_system(x.a);
    const char *field = NULL;
    if (e == E_OK && spec == &grant_spec) {
        store_grant g;
        e = access_grant(&ap, x.a, &sys, x.user.id, x.role, x.unit.id, &g, &field);
    } else if (e == E_OK) {
        int64_t id = 0;
        for (size_t i = 0; i < x.n; i++)
            if (x.grants[i].unit_id == x.unit.id && strcmp(x.grants[i].role_name, x.role) == 0)
                id = x.grants[i].id;
        if (!id) {
            fprintf(stderr, "duban revoke: %s does not hold %s over %s\n", x.login, x.role,
                    x.unit_code);
            goto close;
        }
        e = access_revoke(&ap, x.a, &sys, id);
    }
    if (e != E_OK) {
        cli_fail(spec->name, e, field);
    } else {
        printf("%s: %s %s over %s\n", spec->name, x.login, x.role, x.unit.name);
        rc = 0;
    }
close:
    app_close(&ap);
out:
    arena_free(x.a);
    cli_free(&c);
    return rc;
}

int cmd_grant(int argc, char **argv)
{
    return grant_or_revoke(&grant_spec, argc, argv);
}
int cmd_revoke(int argc, char **argv)
{
    return grant_or_revoke(&revoke_spec, argc, argv);
}

STORE_FN(roles_fn, access_ctx *x, store_role_list(tx, x->a, &x->roles, &x->n));

static const cli_spec role_list_spec = {"role list", "", "Lists roles and their permissions.",
                                        NULL,        0,  0};

static int role_list(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&role_list_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    access_ctx x = {.a = arena_new()};
    rc = 1;
    if (!cli_open(&c, &ap)) {
        err_code e = store_read(ap.st, roles_fn, &x);
        for (size_t i = 0; e == E_OK && i < x.n; i++) {
            printf("%-12s %s%s:", x.roles[i].name, x.roles[i].title,
                   x.roles[i].builtin ? " (built in)" : "");
            for (size_t k = 0; k < x.roles[i].nperms; k++)
                printf(" %s", x.roles[i].perms[k]);
            printf("\n");
        }
        rc = e == E_OK ? 0 : cli_fail("role list", e, NULL);
        app_close(&ap);
    }
    arena_free(x.a);
    cli_free(&c);
    return rc;
}

int cmd_role(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"list", role_list, "list roles and their permissions"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("role", subs, argc, argv);
}
