/*
 * duban — 督办, closed-loop work supervision for county party and government organs.
 * The entry point: a table of subcommands, each implemented in src/cli/.
 */
#include "base/clock.h"
#include "cli/cli.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("duban %s\n", DUBAN_VERSION);
    return 0;
}

static const cli_sub commands[] = {
    {"serve", cmd_serve, "serve the web UI and API (creates the database on first start)"},
    {"init", cmd_init, "create a new database with its administrators"},
    {"user", cmd_user, "add|passwd|lock|unlock|list user accounts"},
    {"unit", cmd_unit, "add|list|move|rename units of the org tree"},
    {"role", cmd_role, "list roles"},
    {"grant", cmd_grant, "grant a role over a unit's subtree"},
    {"revoke", cmd_revoke, "revoke a grant"},
    {"audit", cmd_audit, "verify|export the audit log"},
    {"backup", cmd_backup, "copy the database online and consistently"},
    {"calendar", cmd_calendar, "list|import|add years of the holiday calendar"},
    {"problem", cmd_problem, "list|show|act on the problem list (问题清单)"},
    {"export", cmd_export, "export problems: the ledger (台账) as XLSX or CSV"},
    {"import", cmd_import, "import problems: a ledger from XLSX or CSV, with a report per bad row"},
    {"demo", cmd_demo, "fill a new database with the demo county 宁津县"},
    {"tick", cmd_tick, "run the scheduler once (overdue flags, reminders, look-backs)"},
    {"version", cmd_version, "print the version"},
    {NULL, NULL, NULL},
};

int main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "duban: cannot initialise libsodium\n");
        return 1;
    }
    if (clock_from_env() != 0) {
        fprintf(stderr, "duban: DUBAN_NOW: expected a date such as 2027-01-01 or "
                        "2027-01-01T08:30:00+08:00\n");
        return 2;
    }
    if (argc < 2) {
        cli_dispatch("", commands, 0, NULL);
        return 2;
    }
    return cli_dispatch("", commands, argc - 1, argv + 1);
}
