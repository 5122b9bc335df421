/*
 * audit — `duban audit verify|export|archive|verify-archive|public-key`, and `duban backup FILE`.
 * An archive (a date range of the log, sealed) is verified offline: verify-archive reads only
 * the file and the audit key file or the public key, never the database.
 */
#include "cli/cli.h"

#include "base/clock.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>

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

/* FILE opened owner-only for writing, or stdout when path is NULL; NULL after perror. */
static FILE *open_out(const char *path)
{
    if (!path) return stdout;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out) perror(path);
    return out;
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
    FILE *out = open_out(path);
    if (out && !cli_open(&c, &ap)) {
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

static const cli_opt archive_opts[] = {
    {"from", 1, "first day, YYYY-MM-DD (Asia/Shanghai; default: the log's beginning)"},
    {"to", 1, "last day, YYYY-MM-DD, included (default: up to now)"},
    {"out", 1, "write to this file (mode 0600) instead of standard output"},
    {NULL, 0, NULL},
};
static const cli_spec archive_spec = {
    "audit archive",
    "[--from DATE] [--to DATE] [--out FILE]",
    "Writes the records of the days FROM..TO as a sealed archive (JSON lines) that "
    "`duban audit verify-archive` checks without the database; the export is itself audited.",
    archive_opts,
    0,
    0};

static int audit_archive_cmd(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&archive_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    const char *from = cli_opt_value(&archive_spec, &c, "from");
    const char *to = cli_opt_value(&archive_spec, &c, "to");
    cal_day d;
    if ((from && cal_parse(from, &d)) || (to && cal_parse(to, &d))) {
        fprintf(stderr,
                "duban audit archive: --%s: want a date YYYY-MM-DD (日期格式应为YYYY-MM-DD)\n",
                from && cal_parse(from, &d) ? "from" : "to");
        cli_free(&c);
        return 2;
    }
    FILE *out = open_out(cli_opt_value(&archive_spec, &c, "out"));
    if (out && !cli_open(&c, &ap)) {
        arena *a = arena_new();
        principal sys = authz_system(a);
        audit_archive_info info;
        const char *field;
        err_code e = app_audit_archive(&ap, &sys, from, to, out, &info, &field);
        if (e != E_OK) {
            cli_fail("audit archive", e, field);
        } else {
            if (!info.chain.ok)
                fprintf(stderr, "duban audit archive: warning: the live chain is broken: %s\n",
                        info.chain.reason);
            fprintf(stderr, "archived %lld records (seq %lld..%lld), digest %s\n",
                    (long long)info.records, (long long)info.first_seq, (long long)info.last_seq,
                    info.digest);
            rc = 0;
        }
        arena_free(a);
        app_close(&ap);
    }
    if (out && out != stdout && fclose(out) != 0) rc = 1;
    cli_free(&c);
    return rc;
}

static const cli_opt verify_archive_opts[] = {
    {"key", 1, "the audit key file: recompute every record's MAC (names an altered line)"},
    {"public_key", 1, "the public key `duban audit public-key` printed (hex)"},
    {NULL, 0, NULL},
};
static const cli_spec verify_archive_spec = {
    "audit verify-archive",
    "FILE [--key KEYFILE | --public_key HEX]",
    "Verifies an archive of `duban audit archive` offline (no database): order, ends, digest "
    "and the seal's signature; with --key also each record's MAC. Exit status 0 intact, 1 "
    "broken.",
    verify_archive_opts,
    1,
    1};

static int audit_verify_archive_cmd(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&verify_archive_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    rc = 1;
    const char *key_path = cli_opt_value(&verify_archive_spec, &c, "key");
    const char *pk = cli_opt_value(&verify_archive_spec, &c, "public_key");
    char err[512];
    audit *key = key_path ? audit_open(key_path, err, sizeof err) : NULL;
    FILE *in = fopen(c.args[0], "r");
    if (key_path && !key) {
        fprintf(stderr, "duban audit verify-archive: %s\n", err);
    } else if (!in) {
        perror(c.args[0]);
    } else {
        audit_archive_report rep;
        char from[24], to[24], sealed[24];
        if (audit_archive_verify(in, key, pk, &rep) == 0) {
            printf("archive intact: %lld records, seq %lld..%lld, %s .. %s, sealed %s\n",
                   (long long)rep.records, (long long)rep.first_seq, (long long)rep.last_seq,
                   rep.from ? clock_iso(rep.from, from) : "(beginning)",
                   rep.to ? clock_iso(rep.to, to) : "(end)", clock_iso(rep.sealed_at, sealed));
            printf("signed by public key %s%s\n", rep.public_key,
                   rep.own_key ? " (the archive's own: compare it with `duban audit public-key`)"
                               : "");
            printf("%s\n", rep.macs_checked
                               ? "every record's MAC checked with the audit key"
                               : "record MACs not checked (no --key); the signed digest covers "
                                 "every record");
            if (!rep.chain_verified)
                printf("warning: the live chain was already broken when this was archived\n");
            rc = 0;
        } else {
            printf("archive BROKEN: %s\n", rep.message);
        }
    }
    if (in) fclose(in);
    audit_close(key);
    cli_free(&c);
    return rc;
}

static const cli_spec public_key_spec = {
    "audit public-key",
    "",
    "Prints the public key that checks archive seals and export checkpoints; an auditor "
    "notes it once and gives it to `duban audit verify-archive --public_key`.",
    NULL,
    0,
    0};

static int audit_public_key_cmd(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&public_key_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    rc = 1;
    char *path = config_key_path(&c.cfg);
    char err[512];
    audit *au = path ? audit_open(path, err, sizeof err) : NULL;
    if (!au) {
        fprintf(stderr, "duban audit public-key: %s\n", path ? err : "no key_file set");
    } else {
        char pk[65];
        audit_public_key(au, pk);
        printf("%s\n", pk);
        rc = 0;
    }
    audit_close(au);
    free(path);
    cli_free(&c);
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"verify", audit_verify_cmd, "check the audit chain"},
        {"export", audit_export_cmd, "export the log with a signed checkpoint"},
        {"archive", audit_archive_cmd, "write a sealed archive of a date range"},
        {"verify-archive", audit_verify_archive_cmd, "check an archive offline"},
        {"public-key", audit_public_key_cmd, "print the key that checks archives"},
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
