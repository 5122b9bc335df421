/*
 * ledger — `duban export problems` and `duban import problems`: the ledger (台账) as XLSX or
 * CSV from the command line. Import reports each bad row as "FILE: row R, column C: reason"
 * and writes nothing unless every row is good or --skip-bad is given.
 */
#include "problem/problem_int.h"

#include "core/store_fn.h"
#include "problem/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ledger_format format_for(const char *format, const char *path)
{
    if (format) return strcmp(format, "csv") == 0 ? LEDGER_CSV : LEDGER_XLSX;
    size_t n = path ? strlen(path) : 0;
    return n > 4 && strcmp(path + n - 4, ".csv") == 0 ? LEDGER_CSV : LEDGER_XLSX;
}

static int bad_format(const char *cmd, const char *format)
{
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
        fprintf(stderr, "duban %s: --format must be xlsx or csv, not '%s'\n", cmd, format);
        return 1;
    }
    return 0;
}

static const cli_opt export_opts[] = {
    {"out", 1, "the file to write (default: standard output)"},
    {"format", 1, "xlsx or csv (default: from --out's extension, else xlsx)"},
    {"state", 1,
     "only problems in this state (registered, assigned, in_progress, claimed, closed)"},
    {"unit", 1, "only problems of this unit's subtree (by code)"},
    {NULL, 0, NULL},
};
static const cli_spec export_spec = {
    "export problems",
    "[--out FILE] [--format xlsx|csv]",
    "Writes the problem ledger (台账) with the columns offices use.",
    export_opts,
    0,
    0};

typedef struct {
    arena *a;
    const char *code;
    store_unit unit;
} unit_ctx;

STORE_FN(unit_fn, unit_ctx *u, store_unit_by_code(tx, u->a, u->code, &u->unit));

static int export_problems(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&export_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    const char *out = cli_opt_value(&export_spec, &c, "out");
    const char *format = cli_opt_value(&export_spec, &c, "format");
    store_problem_filter f = {.state = cli_opt_value(&export_spec, &c, "state")};
    unit_ctx u = {.a = arena_new(), .code = cli_opt_value(&export_spec, &c, "unit")};
    app ap;
    rc = 1;
    if (bad_format("export problems", format) || cli_open(&c, &ap)) goto out;
    if (f.state && !flow_state_named(problem_flow_def(&ap), f.state)) {
        fprintf(stderr, "duban export problems: unknown --state '%s'\n", f.state);
    } else if (u.code && store_read(ap.st, unit_fn, &u) != E_OK) {
        fprintf(stderr, "duban export problems: no unit with code '%s'\n", u.code);
    } else {
        f.unit_id = u.code ? u.unit.id : 0;
        principal sys = authz_system(u.a);
        char *bytes = NULL, err[256] = "";
        size_t len = 0;
        err_code e =
            ledger_export(&ap, &sys, &f, format_for(format, out), &bytes, &len, err, sizeof err);
        FILE *fp = e == E_OK ? (out ? fopen(out, "wb") : stdout) : NULL;
        if (e != E_OK) {
            fprintf(stderr, "duban export problems: %s\n", err[0] ? err : err_message(e));
        } else if (!fp) {
            perror(out);
        } else {
            rc = fwrite(bytes, 1, len, fp) == len ? 0 : 1;
            if (fp != stdout && fclose(fp) != 0) rc = 1;
        }
        free(bytes);
    }
    app_close(&ap);
out:
    arena_free(u.a);
    cli_free(&c);
    return rc;
}

static const cli_opt import_opts[] = {
    {"format", 1, "xlsx or csv (default: from the file's extension)"},
    {"skip-bad", 0, "import the good rows even when some rows are bad"},
    {NULL, 0, NULL},
};
static const cli_spec import_spec = {"import problems",
                                     "FILE [--skip-bad]",
                                     "Imports a problem ledger (台账). Every bad row is reported "
                                     "as FILE: row R, column C: reason; nothing is written if "
                                     "any row is bad unless --skip-bad is given.",
                                     import_opts,
                                     1,
                                     1};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0, got;
    char *buf = xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) buf = xrealloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static int import_problems(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&import_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    const char *path = c.args[0], *format = cli_opt_value(&import_spec, &c, "format");
    size_t len = 0;
    char *data = NULL;
    app ap;
    arena *a = arena_new();
    rc = 1;
    if (bad_format("import problems", format)) goto out;
    if (!(data = slurp(path, &len))) {
        perror(path);
        goto out;
    }
    if (cli_open(&c, &ap)) goto out;
    principal sys = authz_system(a);
    ledger_report rep;
    err_code e = ledger_import(&ap, a, &sys, data, len, format_for(format, path),
                               cli_opt_value(&import_spec, &c, "skip-bad") != NULL, &rep);
    if (rep.fatal[0]) fprintf(stderr, "%s: %s\n", path, rep.fatal);
    /* Every fault goes to the report, but a terminal shows the first hundred. */
    for (size_t i = 0; i < rep.nfaults && i < 100; i++) {
        const ledger_fault *f = &rep.faults[i];
        fprintf(stderr, "%s: row %zu%s%s: %s\n", path, f->row, f->column ? ", column " : "",
                f->column ? f->column : "", f->reason);
    }
    if (rep.nfaults > 100)
        fprintf(stderr, "%s: … and %zu more bad rows\n", path, rep.nfaults - 100);
    if (e == E_OK) {
        printf("imported %zu of %zu rows from %s", rep.imported, rep.rows, path);
        if (rep.skipped) printf(" (%zu bad rows skipped)", rep.skipped);
        printf("\n");
        rc = 0;
    } else if (e == E_FIELD_INVALID) {
        if (rep.nfaults)
            fprintf(stderr,
                    "duban import problems: %zu bad rows; nothing imported "
                    "(fix them, or use --skip-bad)\n",
                    rep.nfaults);
    } else {
        cli_fail("import problems", e, NULL);
    }
    app_close(&ap);
out:
    free(data);
    arena_free(a);
    cli_free(&c);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"problems", export_problems, "the problem ledger as XLSX or CSV"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("export", subs, argc, argv);
}

int cmd_import(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"problems", import_problems, "a problem ledger from XLSX or CSV"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("import", subs, argc, argv);
}
