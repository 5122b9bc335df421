/*
 * move — `duban move-to-postgres --from county.db --to postgres://… --under CODE`: a county
 * that ran duban on its own SQLite file joins the province database, all of its records with
 * it (io/county_move.h does the copy). The county's duban must be stopped first; its file is
 * only read. The target may also be another SQLite file (a small city on one machine).
 */
#include "cli/cli.h"

#include "auth/authz.h"
#include "base/config.h"
#include "core/mech.h"
#include "io/county_move.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const cli_opt move_opts_spec[] = {
    {"from", 1, "the county's SQLite database file"},
    {"to", 1, "the target database (default: the db setting)"},
    {"under", 1, "code of the target unit the county goes under (a city, say)"},
    {"from_key", 1, "the county's audit key (default: <from>.key)"},
    {"from_files", 1, "the county's evidence directory (default: <from>.files)"},
    {"code_prefix", 1, "put before each of the county's unit codes (when they collide)"},
    {"login_prefix", 1, "put before each of the county's logins (when they collide)"},
    {"check", 0, "do the whole move, report it, then roll it back"},
    {NULL, 0, NULL},
};

static const cli_spec move_spec = {
    "move-to-postgres",
    "--from county.db --under CODE [--to URI] [--check]",
    "Copies a county's SQLite database into the target database under the unit CODE: units,\n"
    "users with their passwords, grants, every mechanism's records, flow events, evidence\n"
    "files, notifications and calendar years. The county's audit chain is verified with its\n"
    "own key and archived unchanged; a record of the move is appended to the target's chain.\n"
    "Refused, with nothing written, when unit codes or logins collide (see the prefixes), when\n"
    "the county was moved in before, or when its chain does not verify. Stop the county's\n"
    "duban first. Sessions are not moved: users sign in again.",
    move_opts_spec,
    0,
    0,
};

/* The county's store, which must be at this duban's schema (it is not migrated here). */
static store *open_county(const char *from, char *err, size_t errlen)
{
    if (config_db_postgres(from)) {
        snprintf(err, errlen, "--from must be a county's SQLite file (--from 须为县级 SQLite 数据库文件)");
        return NULL;
    }
    store_options o = {.readers = 1, .pool = 1, .statement_timeout_ms = 0, .migrate = 0};
    store *st = store_open_opts(from, &o, err, errlen);
    if (!st) return NULL;
    if (store_schema_version(st) != store_schema_latest()) {
        snprintf(err, errlen,
                 "%s is at schema version %d, this duban at %d: run 'duban migrate --db %s' with "
                 "this duban first (请先升级县级数据库)",
                 from, store_schema_version(st), store_schema_latest(), from);
        store_close(st);
        return NULL;
    }
    return st;
}

/* Every mechanism's re-sealer, from the county's key to this instance's; -1 with err. */
static int collect_sealers(app *ap, const char *county_key, move_sealer *out, size_t cap,
                           size_t *n, char *err, size_t errlen)
{
    *n = 0;
    for (const mech *const *m = duban_mechs; *m; m++) {
        if (!(*m)->sealer) continue;
        if (*n == cap || (*m)->sealer(ap, county_key, &out[*n], err, errlen) != 0) {
            if (*n == cap) snprintf(err, errlen, "too many mechanisms with sealed columns");
            return -1;
        }
        (*n)++;
    }
    return 0;
}

static void release_sealers(move_sealer *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        s[i].release(s[i].ctx);
}

static char *path_or(const char *given, const char *base, const char *suffix)
{
    return given ? xstrdup(given) : xasprintf("%s%s", base, suffix);
}

int cmd_move(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&move_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    const char *from = cli_opt_value(&move_spec, &c, "from");
    const char *under = cli_opt_value(&move_spec, &c, "under");
    const char *to = cli_opt_value(&move_spec, &c, "to");
    if (!from || !under) {
        fprintf(stderr, "duban move-to-postgres: --from and --under are required\n");
        cli_free(&c);
        return 2;
    }
    if (to) {
        free(c.cfg.db);
        c.cfg.db = xstrdup(to);
    }
    char err[1024], label[512];
    char *key = path_or(cli_opt_value(&move_spec, &c, "from_key"), from, ".key");
    char *files = path_or(cli_opt_value(&move_spec, &c, "from_files"), from, ".files");
    app ap = {0};
    audit *src_audit = NULL;
    move_sealer sealers[8];
    size_t nsealers = 0;
    store *src = open_county(from, err, sizeof err);
    rc = 1;
    if (!src) {
        fprintf(stderr, "duban move-to-postgres: %s\n", err);
        goto out;
    }
    if (!(src_audit = audit_open(key, err, sizeof err))) {
        fprintf(stderr, "duban move-to-postgres: the county's audit key: %s\n", err);
        goto out;
    }
    if (cli_open(&c, &ap)) goto out;
    if (collect_sealers(&ap, key, sealers, sizeof sealers / sizeof *sealers, &nsealers, err,
                        sizeof err) != 0) {
        fprintf(stderr, "duban move-to-postgres: %s\n", err);
        goto out;
    }
    arena *a = arena_new();
    principal sys = authz_system(a);
    config_db_label(c.cfg.db, label, sizeof label);
    int check = cli_opt_value(&move_spec, &c, "check") != NULL;
    move_opts o = {
        .src = src, .src_audit = src_audit, .src_label = from, .src_files = files,
        .dst = ap.st, .dst_audit = ap.au, .dst_files = ap.files_dir, .under = under,
        .code_prefix = cli_opt_value(&move_spec, &c, "code_prefix"),
        .login_prefix = cli_opt_value(&move_spec, &c, "login_prefix"),
        .sealers = sealers, .nsealers = nsealers,
        .actor = sys.login, .check = check, .report = stdout,
    };
    printf("moving %s into %s under %s%s\n", from, label, under, check ? " (check only)" : "");
    err_code e = county_move(&o, err, sizeof err);
    arena_free(a);
    if (e != E_OK) {
        fprintf(stderr, "duban move-to-postgres: %s (%s); nothing was written\n", err, err_name(e));
        goto out;
    }
    printf(check ? "check passed: the move would land as above; nothing was written\n"
                 : "moved: the county's records are now in %s\n",
           label);
    rc = 0;
out:
    release_sealers(sealers, nsealers);
    if (ap.st) app_close(&ap);
    if (src_audit) audit_close(src_audit);
    if (src) store_close(src);
    free(key);
    free(files);
    cli_free(&c);
    return rc;
}
