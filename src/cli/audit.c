/* audit — `duban audit verify|export`, and `duban backup FILE`. */
#include "cli/cli.h"

#include <fcntl.h>
#include <stdio.h>

static const cli_spec verify_spec = {"audit verify", "",
                                     "Checks the whole audit chain; names the first broken "
                                     "record. Exit status 0 intact, 1 broken.",
                                     NULL, 0, 0};

static int audit_verify_cmd(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&verify_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    if (!cli_open(&c, &ap)) {
        audit_report rep;
        err_code e = audit_verify(ap.au, ap.st, &rep);
        if (e != E_OK) {
            cli_fail("audit verify", e, NULL);
        } else if (rep.ok) {
            printf("audit chain intact: %lld records\n", (long long)rep.records);
            rc = 0;
        } else if (rep.first_bad) {
            printf("audit chain BROKEN at seq %lld: %s (%s)\n", (long long)rep.first_bad,
                   rep.reason, rep.reason_zh);
        } else {
            printf("audit chain BROKEN: %s (%s)\n", rep.reason, rep.reason_zh);
        }
        app_close(&ap);
    }
    cli_free(&c);
    return rc;
}

static const cli_opt export_opts[] = {
    {"out", 1, "write to this file instead of standard output"},
    {NULL, 0, NULL},
};
static const cli_spec export_spec = {"audit export", "[--out FILE]",
                                     "Writes the audit log as JSON lines ending with a "
                                     "checkpoint signed by a key derived from the audit key.",
                                     export_opts, 0, 0};

static int audit_export_cmd(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&export_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    const char *path = cli_opt_value(&export_spec, &c, "out");
    /* The export is as sensitive as the log: owner-only. */
    int fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : -1;
    FILE *out = path ? (fd >= 0 ? fdopen(fd, "w") : NULL) : stdout;
    if (!out) {
        perror(path);
    } else if (!cli_open(&c, &ap)) {
        audit_report rep;
        err_code e = audit_export(ap.au, ap.st, out, &rep);
        if (e != E_OK) {
            cli_fail("audit export", e, NULL);
        } else {
            if (!rep.ok) fprintf(stderr, "duban audit export: warning: chain broken: %s\n",
                                 rep.reason);
            rc = 0;
        }
        app_close(&ap);
    }
    if (out && out != stdout && fclose(out) != 0) rc = 1;
    cli_free(&c);
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"verify", audit_verify_cmd, "check the audit chain"},
        {"export", audit_export_cmd, "export the log with a signed checkpoint"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("audit", subs, argc, argv);
}

static const cli_spec backup_spec = {"backup", "FILE",
                                     "Writes an online, consistent copy of the database to FILE "
                                     "(SQLite backup API); safe while the server runs. Keep the "
                                     "audit key (<db>.key) with it.",
                                     NULL, 1, 1};

int cmd_backup(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&backup_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    if (!cli_open(&c, &ap)) {
        char err[512];
        if (store_backup(ap.st, c.args[0], err, sizeof err) == E_OK) {
            printf("backed up %s to %s\n", c.cfg.db, c.args[0]);
            rc = 0;
        } else {
            fprintf(stderr, "duban backup: %s\n", err);
        }
        app_close(&ap);
    }
    cli_free(&c);
    return rc;
}
