/*
 * commands — the CLI's table of subcommands: the ones of the CLI itself (serve, init, audit,
 * backup, calendar, demo, migrate, tick, routes, version) followed by every registered mechanism's
 * (core/mech.h), so that a mechanism adds commands without touching this file.
 */
#include "cli/cli.h"

#include "core/mech.h"
#include "http/http.h"

#include <stdio.h>
#include <string.h>

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("duban %s\n", DUBAN_VERSION);
    return 0;
}

static const cli_spec routes_spec = {
    "routes",
    "",
    "Prints every endpoint of every mechanism: method, path, the permission it needs (\"(list)\":\n"
    "the list shows the subtrees where the caller holds it; or public / optional sign-in /\n"
    "signed in, where the handler decides by the object), and the mechanism it belongs to.",
    NULL,
    0,
    0,
};

static const char *route_guard(const http_route *rt, char *buf, size_t n)
{
    if (rt->perm && (rt->flags & ROUTE_LIST)) return snprintf(buf, n, "%s (list)", rt->perm), buf;
    if (rt->perm) return rt->perm;
    if (rt->flags & ROUTE_PUBLIC) return "(public)";
    if (rt->flags & ROUTE_OPTIONAL_AUTH) return "(optional sign-in)";
    if (rt->flags & ROUTE_SIGNED_IN) return "(signed in)";
    return "(NONE)";
}

static int cmd_routes(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&routes_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    char buf[80];
    for (const mech *const *m = duban_mechs; *m; m++)
        for (const http_route *rt = (*m)->routes; rt && rt->method; rt++)
            printf("%-6s %-48s %-24s %s\n", rt->method, rt->pattern,
                   route_guard(rt, buf, sizeof buf), (*m)->name);
    cli_free(&c);
    return 0;
}

static const cli_sub builtin[] = {
    {"serve", cmd_serve, "serve the web UI and API (creates the database on first start)"},
    {"init", cmd_init, "create a new database with its administrators"},
    {"audit", cmd_audit, "verify|export the audit log"},
    {"backup", cmd_backup, "copy the database online and consistently"},
    {"calendar", cmd_calendar, "list|import|add years of the holiday calendar"},
    {"demo", cmd_demo, "fill a new database with the demo county 宁津县"},
    {"move-to-postgres", cmd_move, "copy a county's SQLite database into the province database"},
    {"migrate", cmd_migrate, "apply the schema migrations the database lacks (--check: list them)"},
    {"tick", cmd_tick, "run the scheduler once (every mechanism's overdue flags, reminders …)"},
    {"routes", cmd_routes, "list every endpoint with the permission it needs"},
    {"version", cmd_version, "print the version"},
};
enum { NBUILTIN = sizeof builtin / sizeof builtin[0], MAX_COMMANDS = 64 };

int cli_main(int argc, char **argv)
{
    cli_sub all[MAX_COMMANDS + 1];
    size_t n = 0;
    for (size_t i = 0; i < NBUILTIN; i++)
        all[n++] = builtin[i];
    for (const mech *const *m = duban_mechs; *m; m++)
        for (const mech_cmd *c = (*m)->commands; c && c->name && n < MAX_COMMANDS; c++)
            all[n++] = *c;
    all[n] = (cli_sub){NULL, NULL, NULL};
    return cli_dispatch("", all, argc, argv);
}
