/*
 * migrate — `duban migrate [--check]`: brings the database's schema up to this binary's, or,
 * with --check, only says which migrations would run (nothing is changed). `duban serve` and
 * `duban init` migrate on their own; the command is for upgrades done by hand (a province
 * database before its instances are restarted on a new version).
 */
#include "cli/cli.h"

#include "base/config.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

static const cli_opt migrate_opts[] = {
    {"check", 0, "say which migrations would run, change nothing"},
    {NULL, 0, NULL},
};

static const cli_spec migrate_spec = {
    "migrate",
    "[--check]",
    "Applies the schema migrations the database lacks (each in its own transaction; a database\n"
    "newer than this duban is refused). With --check, lists them and changes nothing.",
    migrate_opts,
    0,
    0,
};

enum { MAX_LISTED = 256 };

int cmd_migrate(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&migrate_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    int check = cli_opt_value(&migrate_spec, &c, "check") != NULL;
    char err[512], label[512];
    config_db_label(c.cfg.db, label, sizeof label);
    store_options o = {.readers = 1, .pool = 1, .statement_timeout_ms = 600000, .migrate = 0};
    store *st = store_open_opts(c.cfg.db, &o, err, sizeof err);
    rc = 1;
    if (!st) {
        fprintf(stderr, "duban migrate: %s\n", err);
        goto out;
    }
    const char *names[MAX_LISTED];
    int have = store_schema_version(st), latest = store_schema_latest();
    int n = store_migrations_pending(st, names, MAX_LISTED);
    store_close(st);
    if (n < 0) {
        fprintf(stderr, "duban migrate: cannot read the schema version of %s\n", label);
        goto out;
    }
    if (have > latest) {
        fprintf(stderr,
                "duban migrate: %s has schema version %d, newer than this duban knows (%d): "
                "use a newer duban (数据库版本比本程序新，请升级 duban)\n",
                label, have, latest);
        goto out;
    }
    printf("%s: schema version %d, this duban brings %d\n", label, have, latest);
    for (int i = 0; i < n && i < MAX_LISTED; i++)
        printf("  %s %s\n", check ? "would apply" : "applying", names[i]);
    if (check || n == 0) {
        if (n == 0) printf("up to date: nothing to apply\n");
        rc = 0;
        goto out;
    }
    o.migrate = 1;
    st = store_open_opts(c.cfg.db, &o, err, sizeof err);
    if (!st) {
        fprintf(stderr, "duban migrate: %s\n", err);
        goto out;
    }
    printf("now at schema version %d\n", store_schema_version(st));
    store_close(st);
    rc = 0;
out:
    cli_free(&c);
    return rc;
}
