/*
 * calendar — `duban calendar list|import|add`: the holiday calendar beyond the built-in years.
 * When the State Council publishes next year's notice, an administrator adds it here; the
 * years are checked exactly as the built-in data (a make-up workday must be a weekend, no date
 * twice, every date inside its year), stored in the database and audited.
 */
#include "cli/cli.h"

#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One "year …" section of the data format and the lines under it. */
typedef struct {
    int64_t year;
    char *notice, *text;
} year_chunk;

/*
 * Splits checked text into its years (comments and blank lines dropped), keeping at most max;
 * returns how many years the text has, which may be more.
 */
static size_t split_years(const char *text, year_chunk *out, size_t max)
{
    size_t n = 0, total = 0;
    char *copy = xstrdup(text);
    for (char *line = strtok(copy, "\n"); line; line = strtok(NULL, "\n")) {
        while (*line == ' ' || *line == '\t') line++;
        if (!*line || *line == '#') continue;
        int is_year = strncmp(line, "year", 4) == 0 && (line[4] == ' ' || line[4] == '\t');
        total += is_year;
        if (is_year && n == max) break; /* too many: the caller refuses the file */
        if (is_year) {
            char *p = line + 4;
            out[n].year = strtoll(p, &p, 10);
            while (*p == ' ' || *p == '\t') p++;
            out[n].notice = xstrdup(p);
            out[n].text = xasprintf("%s\n", line);
            n++;
        } else if (n > 0) {
            char *grown = xasprintf("%s%s\n", out[n - 1].text, line);
            free(out[n - 1].text);
            out[n - 1].text = grown;
        }
    }
    free(copy);
    return total;
}

typedef struct {
    app *ap;
    arena *a;
    year_chunk *years;
    size_t n;
} import_ctx;

static err_code import_fn(store_tx *tx, void *ctx)
{
    import_ctx *c = ctx;
    principal sys = authz_system(c->a);
    for (size_t i = 0; i < c->n; i++) {
        err_code e = store_calendar_year_insert(tx, c->years[i].year, c->years[i].notice,
                                                c->years[i].text);
        if (e == E_OK)
            e = app_audit(c->ap, tx, c->a, &sys, "calendar.import",
                          arena_sprintf(c->a, "calendar:%lld", (long long)c->years[i].year),
                          json_pack("{ss}", "notice", c->years[i].notice));
        if (e != E_OK) return e;
    }
    return E_OK;
}

/*
 * Checks text against the calendar in use, then stores its years. The first `skip` lines of
 * text are not the user's (calendar add puts its arguments there as the year line): a fault is
 * reported by the line of the user's input, or as a fault of the arguments.
 */
static int import_text(cli_ctx *c, const char *text, const char *source, long skip)
{
    app ap;
    if (cli_open(c, &ap)) return 1;
    char err[512];
    int rc = 1;
    year_chunk years[16];
    size_t n = 0;
    if (calendar_load(ap.cal, text, source, err, sizeof err)) {
        size_t sl = strlen(source);
        char *why = err;
        long line = 0;
        if (strncmp(err, source, sl) == 0 && err[sl] == ':') line = strtol(err + sl + 1, &why, 10);
        if (skip && line > skip && *why == ':')
            fprintf(stderr, "duban calendar: %s:%ld%s\n", source, line - skip, why);
        else if (skip && line > 0 && *why == ':')
            fprintf(stderr, "duban calendar: YEAR NOTICE%s\n", why);
        else
            fprintf(stderr, "duban calendar: %s\n", err);
        goto out;
    }
    size_t total = split_years(text, years, 16);
    n = total < 16 ? total : 16;
    if (total == 0 || total > 16) {
        fprintf(stderr, "duban calendar: %s: %s\n", source,
                total ? "at most 16 years at a time" : "no 'year' line");
        goto out;
    }
    import_ctx ic = {&ap, arena_new(), years, n};
    err_code e = store_write(ap.st, import_fn, &ic);
    arena_free(ic.a);
    if (e != E_OK) {
        rc = cli_fail("calendar", e, NULL);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        printf("added %lld: %s\n", (long long)years[i].year, years[i].notice);
    rc = 0;
out:
    for (size_t i = 0; i < n; i++) {
        free(years[i].notice);
        free(years[i].text);
    }
    app_close(&ap);
    return rc;
}

static char *read_all(FILE *f)
{
    size_t n = 0, cap = 4096;
    char *buf = xmalloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2) buf = xrealloc(buf, cap *= 2);
        if (n > (1 << 20)) break;
    }
    buf[n] = 0;
    return buf;
}

static const cli_spec import_spec = {"calendar import", "FILE",
                                     "Adds the years in FILE (the format of data/calendar/cn.txt: "
                                     "'year YYYY NOTICE', then 'off DATE [DATE] NAME' and 'work "
                                     "DATE NAME' lines). Nothing is added if any line is wrong.",
                                     NULL, 1, 1};

static int calendar_import(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&import_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    FILE *f = fopen(c.args[0], "r");
    if (!f) {
        perror(c.args[0]);
        cli_free(&c);
        return 1;
    }
    char *text = read_all(f);
    fclose(f);
    rc = import_text(&c, text, c.args[0], 0);
    free(text);
    cli_free(&c);
    return rc;
}

static const cli_spec add_spec = {"calendar add", "YEAR NOTICE < DAYS",
                                  "Adds one year: its notice as the argument, its days on standard "
                                  "input as 'off DATE [DATE] NAME' and 'work DATE NAME' lines.",
                                  NULL, 2, 2};

static int calendar_add(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&add_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    char *days = read_all(stdin);
    char *text = xasprintf("year %s %s\n%s", c.args[0], c.args[1], days);
    rc = import_text(&c, text, "standard input", 1);
    free(days);
    free(text);
    cli_free(&c);
    return rc;
}

static const cli_spec list_spec = {"calendar list", "", "Lists the years the calendar knows.",
                                   NULL, 0, 0};

static int calendar_list(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&list_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    if (!cli_open(&c, &ap)) {
        for (size_t i = 0; i < calendar_year_count(ap.cal); i++) {
            int y = calendar_year_at(ap.cal, i);
            printf("%d  %s\n", y, calendar_year_notice(ap.cal, y));
        }
        int y, m, d;
        cal_to_ymd(cal_local_day(clock_now()), &y, &m, &d);
        for (int year = y; year <= y + 1; year++)
            if (!calendar_has_year(ap.cal, year))
                printf("%d  (no notice: deadlines counted on weekends alone and flagged)\n", year);
        app_close(&ap);
        rc = 0;
    }
    cli_free(&c);
    return rc;
}

int cmd_calendar(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"list", calendar_list, "list the years with holiday data"},
        {"import", calendar_import, "add years from a file"},
        {"add", calendar_add, "add one year from standard input"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("calendar", subs, argc, argv);
}
