/* unit — `duban unit add|list|move|rename`: the org tree from the command line. */
#include "org/org_int.h"

#include "core/store_fn.h"
#include "org/org.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    arena *a;
    const char *code, *parent_code;
    store_unit unit, parent, *items;
    size_t n;
} unit_ctx;

static err_code lookup_fn(store_tx *tx, void *ctx)
{
    unit_ctx *u = ctx;
    err_code e = E_OK;
    if (u->code) e = store_unit_by_code(tx, u->a, u->code, &u->unit);
    if (e == E_OK && u->parent_code) {
        e = store_unit_by_code(tx, u->a, u->parent_code, &u->parent);
        if (e == E_NOT_FOUND) u->code = NULL; /* tells the caller which one is missing */
    }
    return e;
}

/* Opens the app and resolves the unit codes in u; prints the fault and returns 1 on failure. */
static int open_and_lookup(const char *cmd, cli_ctx *c, app *ap, unit_ctx *u)
{
    if (cli_open(c, ap)) return 1;
    const char *code = u->code;
    err_code e = store_read(ap->st, lookup_fn, u);
    if (e == E_OK) return 0;
    if (e == E_NOT_FOUND) {
        fprintf(stderr, "duban %s: no unit with code '%s'\n", cmd, u->code ? code : u->parent_code);
    } else {
        cli_fail(cmd, e, NULL);
    }
    app_close(ap);
    return 1;
}

static void print_unit(const char *verb, const store_unit *u)
{
    printf("%s unit %s %s (%s), id %lld\n", verb, u->code, u->name, org_unit_kind_title(u->kind),
           (long long)u->id);
}

static const cli_opt add_opts[] = {
    {"name", 1, "the unit's name (required)"},
    {"kind", 1, "province|city|county|department|township|village|branch|enterprise|third_party (required)"},
    {"parent", 1, "code of the parent unit (required)"},
    {NULL, 0, NULL},
};
static const cli_spec add_spec = {"unit add",
                                  "CODE --name NAME --kind KIND --parent CODE",
                                  "Adds a unit under a parent.",
                                  add_opts,
                                  1,
                                  1};

static int unit_add(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&add_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    unit_ctx u = {.a = arena_new(), .parent_code = cli_opt_value(&add_spec, &c, "parent")};
    const char *name = cli_opt_value(&add_spec, &c, "name");
    const char *kind = cli_opt_value(&add_spec, &c, "kind");
    if (!name || !kind || !u.parent_code) {
        fprintf(stderr, "duban unit add: --name, --kind and --parent are required\n");
        rc = 2;
    } else if (open_and_lookup("unit add", &c, &ap, &u)) {
        rc = 1;
    } else {
        principal sys = authz_system(u.a);
        org_unit_input in = {c.args[0], name, kind, u.parent.id};
        const char *field;
        err_code e = org_unit_add(&ap, u.a, &sys, &in, &u.unit, &field);
        rc = e == E_OK ? (print_unit("added", &u.unit), 0) : cli_fail("unit add", e, field);
        app_close(&ap);
    }
    arena_free(u.a);
    cli_free(&c);
    return rc;
}

static const cli_opt move_opts[] = {
    {"parent", 1, "code of the new parent unit (required)"},
    {NULL, 0, NULL},
};
static const cli_spec move_spec = {"unit move",
                                   "CODE --parent CODE",
                                   "Moves a unit (with its whole subtree) under another parent; "
                                   "the move is kept in the unit's history.",
                                   move_opts,
                                   1,
                                   1};
static const cli_opt rename_opts[] = {
    {"name", 1, "the new name (required)"},
    {NULL, 0, NULL},
};
static const cli_spec rename_spec = {"unit rename",
                                     "CODE --name NAME",
                                     "Renames a unit; the old name is kept in its history.",
                                     rename_opts,
                                     1,
                                     1};

/* unit move and unit rename: one change on the unit named by args[0]. */
static int unit_change(const cli_spec *spec, int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    unit_ctx u = {.a = arena_new(), .code = c.args[0]};
    const char *name = cli_opt_value(spec, &c, "name");
    u.parent_code = cli_opt_value(spec, &c, "parent");
    if (spec == &move_spec ? !u.parent_code : !name) {
        fprintf(stderr, "duban %s: %s is required\n", spec->name,
                spec == &move_spec ? "--parent" : "--name");
        rc = 2;
    } else if (open_and_lookup(spec->name, &c, &ap, &u)) {
        rc = 1;
    } else {
        principal sys = authz_system(u.a);
        const char *field;
        store_unit out;
        err_code e = spec == &move_spec
                         ? org_unit_move(&ap, u.a, &sys, u.unit.id, u.parent.id, ORG_VERSION_ANY, &out,
                                         &field)
                         : org_unit_rename(&ap, u.a, &sys, u.unit.id, name, ORG_VERSION_ANY, &out,
                                           &field);
        rc = e == E_OK ? (print_unit(spec == &move_spec ? "moved" : "renamed", &out), 0)
                       : cli_fail(spec->name, e, field);
        app_close(&ap);
    }
    arena_free(u.a);
    cli_free(&c);
    return rc;
}

static int unit_move(int argc, char **argv)
{
    return unit_change(&move_spec, argc, argv);
}
static int unit_rename(int argc, char **argv)
{
    return unit_change(&rename_spec, argc, argv);
}

static const cli_spec list_spec = {"unit list", "", "Prints the org tree.", NULL, 0, 0};

STORE_FN(list_fn, unit_ctx *u, store_unit_list(tx, u->a, NULL, 0, &u->items, &u->n));

static int unit_list(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&list_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    unit_ctx u = {.a = arena_new()};
    rc = 1;
    if (!cli_open(&c, &ap)) {
        err_code e = store_read(ap.st, list_fn, &u);
        if (e == E_OK) {
            for (size_t i = 0; i < u.n; i++) {
                int depth = 0;
                for (const char *p = u.items[i].path; *p; p++)
                    depth += *p == '/';
                printf("%*s%s  %s  [%s]\n", 2 * (depth - 2), "", u.items[i].code, u.items[i].name,
                       org_unit_kind_title(u.items[i].kind));
            }
            rc = 0;
        } else {
            rc = cli_fail("unit list", e, NULL);
        }
        app_close(&ap);
    }
    arena_free(u.a);
    cli_free(&c);
    return rc;
}

int cmd_unit(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"add", unit_add, "add a unit"},
        {"list", unit_list, "print the org tree"},
        {"move", unit_move, "move a unit under another parent"},
        {"rename", unit_rename, "rename a unit"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("unit", subs, argc, argv);
}
