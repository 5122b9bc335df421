/*
 * cli — `duban liaison persons|person|due|stats`: the united-front registers from the command
 * line. The CLI is the server's administrator, who is not the 统战 side: without --as a
 * person's personal data (name, birth date, phone, address, notes) is printed masked (陈*,
 * 138****0001). With --as LOGIN the command reads as that user, within that user's scope and
 * permissions exactly as through the API: personal data in the clear only where the user
 * holds liaison.person. Every read of persons is in the audit chain (liaison.person audits its
 * reads), as through the API.
 */
#include "liaison/liaison_int.h"

#include "base/clock.h"
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- masking ---- */

static const char *const personal_cols[] = {"name", "birth_date", "phone", "address", "note",
                                            NULL};

static int is_personal(const char *col)
{
    for (int i = 0; personal_cols[i]; i++)
        if (strcmp(personal_cols[i], col) == 0) return 1;
    return 0;
}

/* A value of a personal column as someone without liaison.person is shown it. */
static const char *masked(arena *a, const char *col, const char *v)
{
    size_t n = strlen(v);
    if (!n) return v;
    if (strcmp(col, "name") == 0) { /* the first character, then one * for each other */
        size_t first = 1;
        while (first < n && ((unsigned char)v[first] & 0xC0) == 0x80)
            first++;
        size_t rest = 0;
        for (size_t i = first; i < n; i++)
            rest += ((unsigned char)v[i] & 0xC0) != 0x80;
        char *s = arena_alloc(a, first + (rest ? rest : 1) + 1);
        memcpy(s, v, first);
        memset(s + first, '*', rest ? rest : 1);
        s[first + (rest ? rest : 1)] = 0;
        return s;
    }
    if (strcmp(col, "phone") == 0 && n >= 7)
        return arena_sprintf(a, "%.3s****%s", v, v + n - 4);
    if (strcmp(col, "birth_date") == 0 && n >= 4) return arena_sprintf(a, "%.4s-**-**", v);
    return "（已隐藏）";
}

/* The value of a person's column as p may see it (p NULL: the administrator, masked). */
static const char *shown(arena *a, const principal *p, json_t *rec, const char *col,
                         const char *path, const char *v)
{
    (void)rec;
    if (!is_personal(col) || (p && authz_can(p, "liaison.person", path))) return v;
    return masked(a, col, v);
}

/* ---- options shared by the commands ---- */

typedef struct {
    app ap;
    arena *a;
    principal as; /* the --as user, when given */
    int has_as;
    const principal *p; /* who reads: the --as user or the system */
    principal sys;
    store_unit unit; /* --unit */
    int has_unit;
} run;

typedef struct {
    run *r;
    const char *code;
} unit_ctx;

static err_code unit_fn(store_tx *tx, void *ctx)
{
    unit_ctx *u = ctx;
    return store_unit_by_code(tx, u->r->a, u->code, &u->r->unit);
}

/* Opens the app and loads --as and --unit; prints the reason and returns non-zero on failure. */
static int start(const cli_spec *spec, cli_ctx *c, run *r, const char *cmd)
{
    r->a = arena_new();
    r->sys = authz_system(r->a);
    r->p = &r->sys;
    if (cli_open(c, &r->ap)) return 1;
    const char *login = cli_opt_value(spec, c, "as"), *unit = cli_opt_value(spec, c, "unit");
    if (login) {
        err_code e = cli_as_user(&r->ap, r->a, login, &r->as);
        if (e != E_OK) return cli_fail(cmd, e, "--as");
        r->has_as = 1;
        r->p = &r->as;
    }
    if (unit) {
        unit_ctx u = {r, unit};
        err_code e = store_read(r->ap.st, unit_fn, &u);
        if (e != E_OK) return cli_fail(cmd, e, "--unit");
        r->has_unit = 1;
    }
    return 0;
}

static void finish(run *r, int opened)
{
    if (opened) app_close(&r->ap);
    arena_free(r->a);
}

/* The window of --year (this year), --quarter or --month; -1 after printing a usage error. */
static int window_of(const cli_spec *spec, const cli_ctx *c, liaison_window *w, const char *cmd)
{
    int y, m, d;
    cal_to_ymd(cal_local_day(clock_now()), &y, &m, &d);
    const char *year = cli_opt_value(spec, c, "year"), *quarter = cli_opt_value(spec, c, "quarter"),
               *month = cli_opt_value(spec, c, "month");
    if (liaison_window_set(w, year ? atoi(year) : y, quarter ? atoi(quarter) : 0,
                           month ? atoi(month) : 0) != E_OK ||
        (quarter && atoi(quarter) == 0) || (month && atoi(month) == 0)) {
        fprintf(stderr, "duban %s: --year 2000..2100, with --quarter 1..4 or --month 1..12\n", cmd);
        return -1;
    }
    return 0;
}

/* ---- persons ---- */

static const cli_opt persons_opts[] = {
    {"as", 1, "read as this user (personal data in the clear where they hold liaison.person)"},
    {"unit", 1, "only this unit's subtree (its code)"},
    {"category", 1, "a category code, e.g. democratic_party (its sub-kinds included)"},
    {"q", 1, "text in the name"},
    {"limit", 1, "at most this many (default 50)"},
    {NULL, 0, NULL},
};
static const cli_spec persons_spec = {"liaison persons",
                                      "[--as LOGIN] [--unit CODE] [--category C] [--q TEXT]",
                                      "Lists representative persons (统战对象); personal data "
                                      "masked unless --as names a user who may see it.",
                                      persons_opts, 0, 0};

typedef struct {
    run *r;
    lfilter f;
    json_t *items;
    int64_t total, id;
    const char *path;
    json_t *one;
} persons_ctx;

static err_code persons_fn(store_tx *tx, void *ctx)
{
    persons_ctx *x = ctx;
    /* records read as the system: the masking is this command's, by the reader's rights */
    return liaison_record_list(tx, x->r->a, &x->r->sys, liaison_reg("person"), &x->f, x->items,
                               &x->total);
}

/* The unit path of each listed person, for the reader's rights over it. */
static const char *unit_path_of(store_tx *tx, arena *a, int64_t unit_id)
{
    store_unit u;
    return store_unit_get(tx, a, unit_id, &u) == E_OK ? u.path : "";
}

typedef struct {
    run *r;
    json_t *items;
} paths_ctx;

static err_code paths_fn(store_tx *tx, void *ctx)
{
    paths_ctx *x = ctx;
    size_t i;
    json_t *o;
    json_array_foreach(x->items, i, o) json_object_set_new(
        o, "unit_path",
        json_string(unit_path_of(tx, x->r->a, json_integer_value(json_object_get(o, "unit_id")))));
    return E_OK;
}

static int liaison_persons(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&persons_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    run r = {0};
    const char *limit = cli_opt_value(&persons_spec, &c, "limit");
    persons_ctx x = {&r, .items = json_array()};
    x.f.limit = limit ? atoll(limit) : 50;
    rc = 1;
    if (x.f.limit < 1 || x.f.limit > 100000) {
        fprintf(stderr, "duban liaison persons: --limit must be 1..100000\n");
        rc = 2;
        r.a = arena_new();
        finish(&r, 0);
    } else if ((rc = start(&persons_spec, &c, &r, "liaison persons")) != 0) {
        finish(&r, r.ap.st != NULL);
    } else {
        x.f.scope = r.has_as ? authz_scope(&r.as, "liaison.person", r.a) : NULL;
        x.f.subtree = r.has_unit ? r.unit.path : NULL;
        x.f.q = cli_opt_value(&persons_spec, &c, "q");
        const char *cat = cli_opt_value(&persons_spec, &c, "category");
        x.f.eq = cat ? json_pack("{ss}", "category", cat) : NULL;
        err_code e = r.has_as && !authz_has(&r.as, "liaison.person") ? E_FORBIDDEN : E_OK;
        if (e == E_OK)
            e = mech_read(&r.ap, r.p, "liaison.person", "/api/v1/liaison/persons", persons_fn, &x);
        paths_ctx pc = {&r, x.items};
        if (e == E_OK) e = store_read(r.ap.st, paths_fn, &pc);
        if (e == E_OK) {
            size_t i;
            json_t *o;
            json_array_foreach(x.items, i, o)
            {
                const char *path = json_string_value(json_object_get(o, "unit_path"));
                printf("%6lld  ", (long long)json_integer_value(json_object_get(o, "id")));
                cli_cell(json_string_value(json_object_get(o, "unit_name")), 14);
                cli_cell(json_string_value(json_object_get(o, "category_title")), 22);
                cli_cell(shown(r.a, r.has_as ? &r.as : NULL, o, "name", path,
                               json_string_value(json_object_get(o, "name"))),
                         10);
                cli_cell(json_string_value(json_object_get(o, "status_title")), 6);
                printf("%s\n", shown(r.a, r.has_as ? &r.as : NULL, o, "phone", path,
                                     json_string_value(json_object_get(o, "phone"))));
            }
            printf("%zu of %lld persons\n", json_array_size(x.items), (long long)x.total);
            rc = 0;
        } else {
            rc = cli_fail("liaison persons", e, NULL);
        }
        json_decref(x.f.eq);
        finish(&r, 1);
    }
    json_decref(x.items);
    cli_free(&c);
    return rc;
}

static const cli_opt person_opts[] = {
    {"as", 1, "read as this user (personal data in the clear where they hold liaison.person)"},
    {NULL, 0, NULL},
};
static const cli_spec person_spec = {"liaison person", "ID [--as LOGIN]",
                                     "Shows one representative person, every field; personal "
                                     "data masked unless --as names a user who may see it.",
                                     person_opts, 1, 1};

static err_code person_fn(store_tx *tx, void *ctx)
{
    persons_ctx *x = ctx;
    const lreg *g = liaison_reg("person");
    err_code e = liaison_record_path(tx, x->r->a, g, x->id, NULL, &x->path);
    if (e != E_OK) return e;
    if (x->r->has_as && !authz_can(&x->r->as, "liaison.person", x->path)) return E_FORBIDDEN;
    return liaison_record_json(tx, x->r->a, &x->r->sys, g, x->id, &x->one);
}

/* A column's value as text: titles for codes and choices, names for users and references. */
static const char *col_text(arena *a, json_t *o, const lcol *col)
{
    const char *key = col->name;
    if (col->type == LT_CHOICE || col->type == LT_CODE) key = arena_sprintf(a, "%s_title", key);
    else if (col->type == LT_USER) key = arena_sprintf(a, "%s_label", key);
    else if (col->type == LT_REF) key = arena_sprintf(a, "%s_name", key);
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v)) return arena_sprintf(a, "%lld", (long long)json_integer_value(v));
    return json_is_string(v) ? json_string_value(v) : "";
}

static int liaison_person(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&person_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    run r = {0};
    persons_ctx x = {&r, .id = atoll(c.args[0])};
    if ((rc = start(&person_spec, &c, &r, "liaison person")) != 0) {
        finish(&r, r.ap.st != NULL);
        cli_free(&c);
        return rc;
    }
    err_code e = mech_read(&r.ap, r.p, "liaison.person",
                           arena_sprintf(r.a, "liaison_person:%lld", (long long)x.id), person_fn,
                           &x);
    if (e == E_OK) {
        const lreg *g = liaison_reg("person");
        const principal *reader = r.has_as ? &r.as : NULL;
        printf("#%lld %s（%s）\n", (long long)x.id,
               shown(r.a, reader, x.one, "name", x.path,
                     json_string_value(json_object_get(x.one, "name"))),
               json_string_value(json_object_get(x.one, "unit_name")));
        for (size_t i = 0; i < g->ncols; i++) {
            const char *v = col_text(r.a, x.one, &g->cols[i]);
            if (!*v || strcmp(g->cols[i].name, "name") == 0) continue;
            printf("  ");
            cli_cell(g->cols[i].title, 12);
            printf("%s\n", shown(r.a, reader, x.one, g->cols[i].name, x.path, v));
        }
        if (!reader) printf("（个人信息已脱敏；--as 具有统战对象查看权限的用户可见全文）\n");
        rc = 0;
    } else {
        rc = cli_fail("liaison person", e, e == E_NOT_FOUND ? "ID" : NULL);
    }
    json_decref(x.one);
    finish(&r, 1);
    cli_free(&c);
    return rc;
}

/* ---- visits due and overdue ---- */

static const cli_opt due_opts[] = {
    {"as", 1, "read as this user (their scope; with --mine, their own assignments)"},
    {"mine", 0, "only the --as user's own assignments (as the cadre who visits them)"},
    {"unit", 1, "only assignments of this unit's subtree (its code)"},
    {"overdue", 0, "only overdue periods (else also those due and not yet visited)"},
    {"year", 1, "the year (default this year)"},
    {"quarter", 1, "only periods due in this quarter (1..4)"},
    {"month", 1, "only periods due in this month (1..12)"},
    {NULL, 0, NULL},
};
static const cli_spec due_spec = {"liaison due",
                                  "[--as LOGIN [--mine]] [--unit CODE] [--overdue] [--year Y] "
                                  "[--quarter Q | --month M]",
                                  "Lists the visits due and not yet made (待走访) and those "
                                  "overdue (逾期未走访): one line per target and period.",
                                  due_opts, 0, 0};

typedef struct {
    run *r;
    int overdue_only;
    int64_t cadre, shown, overdue;
} due_ctx;

static void due_row(void *ctx, store_tx *tx, const liaison_target *t, const liaison_period *pd,
                    liaison_status s)
{
    due_ctx *x = ctx;
    if (!pd || s == LIAISON_DONE || (x->overdue_only && s != LIAISON_OVERDUE) ||
        (x->cadre && t->cadre_user_id != x->cadre))
        return;
    char due[11];
    cal_format(pd->due, due);
    const char *name = t->person_id
                           ? shown(x->r->a, x->r->has_as ? &x->r->as : NULL, NULL, "name",
                                   t->name_path, t->name)
                           : t->name;
    printf("%s  ", due);
    cli_cell(s == LIAISON_OVERDUE ? "逾期未走访" : "待走访", 12);
    cli_cell(pd->title, 18);
    cli_cell(liaison_user_label(tx, x->r->a, t->cadre_user_id), 24);
    printf("%s\n", name);
    x->shown++;
    x->overdue += s == LIAISON_OVERDUE;
}

typedef struct {
    run *r;
    due_ctx *d;
    liaison_window w;
} due_walk;

static err_code due_fn(store_tx *tx, void *ctx)
{
    due_walk *x = ctx;
    run *r = x->r;
    const char *scope = r->has_as ? authz_scope(&r->as, "liaison.read", r->a) : NULL;
    return liaison_plan_walk(tx, r->a, &r->ap, scope, r->has_unit ? r->unit.path : NULL,
                             x->w.from, x->w.to, due_row, x->d);
}

static int liaison_due(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&due_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    run r = {0};
    due_ctx d = {&r, cli_opt_value(&due_spec, &c, "overdue") != NULL, 0, 0, 0};
    due_walk x = {&r, &d, {0}};
    int mine = cli_opt_value(&due_spec, &c, "mine") != NULL;
    if (window_of(&due_spec, &c, &x.w, "liaison due") || (mine && !cli_opt_value(&due_spec, &c, "as"))) {
        if (mine) fprintf(stderr, "duban liaison due: --mine needs --as LOGIN\n");
        cli_free(&c);
        return 2;
    }
    if ((rc = start(&due_spec, &c, &r, "liaison due")) != 0) {
        finish(&r, r.ap.st != NULL);
        cli_free(&c);
        return rc;
    }
    if (mine) d.cadre = r.as.user_id;
    err_code e = r.has_as && !authz_has(&r.as, "liaison.read") ? E_FORBIDDEN : E_OK;
    if (e == E_OK) e = store_read(r.ap.st, due_fn, &x);
    if (e == E_OK) {
        printf("%lld visits not made in %s (%lld overdue)\n", (long long)d.shown, x.w.title,
               (long long)d.overdue);
        rc = 0;
    } else {
        rc = cli_fail("liaison due", e, NULL);
    }
    finish(&r, 1);
    cli_free(&c);
    return rc;
}

/* ---- figures ---- */

static const cli_opt stats_opts[] = {
    {"as", 1, "the figures of this user's scope"},
    {"unit", 1, "the figures of this unit's subtree (its code)"},
    {"year", 1, "the year (default this year)"},
    {"quarter", 1, "one quarter of it (1..4)"},
    {"month", 1, "one month of it (1..12)"},
    {NULL, 0, NULL},
};
static const cli_spec stats_spec = {"liaison stats",
                                    "[--as LOGIN] [--unit CODE] [--year Y] [--quarter Q | "
                                    "--month M]",
                                    "Prints the figures of a year, quarter or month and the "
                                    "paragraph in the reports' style.",
                                    stats_opts, 0, 0};

static int64_t num(json_t *o, const char *a, const char *b)
{
    return json_integer_value(json_object_get(json_object_get(o, a), b));
}

static int liaison_stats_cmd(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&stats_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    liaison_window w;
    if (window_of(&stats_spec, &c, &w, "liaison stats")) {
        cli_free(&c);
        return 2;
    }
    run r = {0};
    if ((rc = start(&stats_spec, &c, &r, "liaison stats")) != 0) {
        finish(&r, r.ap.st != NULL);
        cli_free(&c);
        return rc;
    }
    json_t *s = NULL;
    err_code e = r.has_as && !authz_has(&r.as, "liaison.read") ? E_FORBIDDEN : E_OK;
    if (e == E_OK) e = liaison_stats(&r.ap, r.a, r.p, r.has_unit ? r.unit.id : 0, &w, &s);
    if (e == E_OK) {
        printf("%s %s（%s 至 %s）\n", json_string_value(json_object_get(s, "title")),
               json_string_value(json_object_get(s, "scope_name")), w.from_text, w.to_text);
        printf("统战对象 %lld 人\n", (long long)num(s, "persons", "total"));
        printf("计划走访 %lld 次：已走访 %lld，待走访 %lld，逾期 %lld；记录走访 %lld 次\n",
               (long long)num(s, "plan", "planned"), (long long)num(s, "plan", "done"),
               (long long)num(s, "plan", "pending"), (long long)num(s, "plan", "overdue"),
               (long long)num(s, "visits", "recorded"));
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(json_object_get(s, "plan"), "by_unit"), i, o)
            printf("  %s：计划 %lld，已走访 %lld，逾期 %lld\n",
                   json_string_value(json_object_get(o, "title")),
                   (long long)json_integer_value(json_object_get(o, "planned")),
                   (long long)json_integer_value(json_object_get(o, "done")),
                   (long long)json_integer_value(json_object_get(o, "overdue")));
        json_array_foreach(json_object_get(s, "problems"), i, o)
            printf("问题（%s）：提出 %lld 个，解决 %lld 个\n",
                   json_string_value(json_object_get(o, "title")),
                   (long long)json_integer_value(json_object_get(o, "raised")),
                   (long long)json_integer_value(json_object_get(o, "solved")));
        printf("%s\n", json_string_value(json_object_get(s, "summary")));
        rc = 0;
    } else {
        rc = cli_fail("liaison stats", e, NULL);
    }
    json_decref(s);
    finish(&r, 1);
    cli_free(&c);
    return rc;
}

int cmd_liaison(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"persons", liaison_persons, "list representative persons (统战对象), masked unless --as"},
        {"person", liaison_person, "show one person, masked unless --as"},
        {"due", liaison_due, "visits due and overdue (待走访、逾期未走访)"},
        {"stats", liaison_stats_cmd, "figures of a year, quarter or month, and the paragraph"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("liaison", subs, argc, argv);
}
