/* ledger — export and import of the problem ledger (台账) in XLSX and CSV (see ledger.h). */
#include "problem/ledger.h"

#include "base/clock.h"
#include "base/text.h"
#include "core/store_fn.h"
#include "io/csv.h"
#include "io/sheet.h"
#include "io/xlsx.h"
#include "org/org.h"
#include "problem/problem.h"

#include <stdlib.h>
#include <string.h>

/* The columns, in export order. */
enum {
    C_NO,
    C_SOURCE,
    C_CATEGORY,
    C_DESCRIPTION,
    C_FOUND,
    C_UNIT,
    C_COUNITS,
    C_LEADER,
    C_PERSON,
    C_MEASURES,
    C_GOAL,
    C_DEADLINE,
    C_MODE,
    C_PROGRESS,
    C_STATE,
    C_VERIFICATION,
    C_CLOSED,
    C_NOTE,
    C_TITLE,
    NCOLS
};
static const char *const headers[NCOLS] = {
    "序号",     "问题来源", "问题类别", "问题描述", "发现时间", "责任单位", "配合单位",
    "责任领导", "责任人",   "整改措施", "整改目标", "完成时限", "整改方式", "进展情况",
    "状态",     "核查情况", "销号时间", "备注",     "问题标题",
};
static const int required[] = {C_SOURCE, C_CATEGORY, C_DESCRIPTION, C_FOUND,
                               C_UNIT,   C_DEADLINE, C_MODE};

/* ---- units by id, code and name ---- */

typedef struct {
    arena *a;
    store_unit *units;
    size_t n;
    const store_problem_filter *f;
    store_problem *items;
    size_t nitems;
    int64_t total;
} units_ctx;

STORE_FN(units_fn, units_ctx *u, store_unit_list(tx, u->a, NULL, 0, &u->units, &u->n));

static const store_unit *unit_by_id(const units_ctx *u, int64_t id)
{
    for (size_t i = 0; i < u->n; i++)
        if (u->units[i].id == id) return &u->units[i];
    return NULL;
}

static int name_unique(const units_ctx *u, const store_unit *unit)
{
    for (size_t i = 0; i < u->n; i++)
        if (&u->units[i] != unit && strcmp(u->units[i].name, unit->name) == 0) return 0;
    return 1;
}

/* How the ledger names a unit: its name, with its code when the name is not unique
 * (many townships have a 东街村), as "东街村（chaihudian-v1）". */
static const char *unit_label(arena *a, const units_ctx *u, const store_unit *unit)
{
    if (!unit) return "";
    return name_unique(u, unit) ? unit->name : arena_sprintf(a, "%s（%s）", unit->name, unit->code);
}

/* By code, by "名称（编码）", else by a unique name (see org_unit_by_text). */
static const store_unit *unit_by_text(const units_ctx *u, const char *s, int *ambiguous)
{
    return org_unit_by_text(u->units, u->n, s, ambiguous);
}

/* ---- export ---- */

static const char *state_title(const app *ap, const char *state)
{
    const flow_state *s = flow_state_named(problem_flow_def(ap), state);
    return s ? s->title : state;
}

/* The cells of one problem, in column order (strings in a). */
static void problem_cells(const app *ap, arena *a, const units_ctx *u, const store_problem *p,
                          size_t no, const char **cells)
{
    const store_unit *unit = unit_by_id(u, p->unit_id);
    char *counits = arena_strdup(a, "");
    for (size_t i = 0; i < p->ncounits; i++)
        counits = arena_sprintf(a, "%s%s%s", counits, i ? "、" : "",
                                unit_label(a, u, unit_by_id(u, p->counits[i])));
    char *closed = NULL;
    if (p->closed_at) {
        closed = arena_alloc(a, 11);
        cal_format(cal_local_day(p->closed_at), closed);
    }
    cells[C_NO] = arena_sprintf(a, "%zu", no);
    cells[C_SOURCE] = p->source;
    cells[C_CATEGORY] = p->category;
    cells[C_DESCRIPTION] = p->description;
    cells[C_FOUND] = p->found_on;
    cells[C_UNIT] = unit_label(a, u, unit);
    cells[C_COUNITS] = counits;
    cells[C_LEADER] = p->leader;
    cells[C_PERSON] = p->person;
    cells[C_MEASURES] = p->measures;
    cells[C_GOAL] = p->goal;
    /* counted on weekends alone (a year without its holiday notice): marked, as on screen */
    cells[C_DEADLINE] =
        p->deadline_estimated ? arena_sprintf(a, "%s%s", p->deadline, LEDGER_ESTIMATED) : p->deadline;
    cells[C_MODE] = problem_mode_title(p->mode);
    cells[C_PROGRESS] = p->progress;
    cells[C_STATE] = state_title(ap, p->state);
    cells[C_VERIFICATION] = p->verification;
    cells[C_CLOSED] = closed ? closed : "";
    cells[C_NOTE] = p->note;
    cells[C_TITLE] = p->title;
}

/* Appends one row to whichever writer is in use. */
static int write_row(csv_writer *cw, xlsx_writer *xw, arena *a, const char **cells)
{
    if (cw) { /* the writer neutralises what a spreadsheet would take for a formula */
        csv_writer_row(cw, cells, NCOLS);
        return 0;
    }
    xlsx_cell typed[NCOLS];
    for (int i = 0; i < NCOLS; i++) {
        cal_day d;
        /* an estimated deadline carries its mark, so it stays text */
        int is_date = (i == C_FOUND || i == C_DEADLINE || i == C_CLOSED) && cells[i][0] &&
                      cal_parse(cells[i], &d) == 0;
        typed[i] = (xlsx_cell){is_date ? XLSX_DATE : XLSX_TEXT, cells[i], 0, NULL};
    }
    typed[C_NO] = (xlsx_cell){XLSX_NUMBER, NULL, atof(cells[C_NO]), "0"};
    return xlsx_writer_cells(xw, typed, NCOLS);
}

typedef struct {
    app *ap;
    arena *a;
    units_ctx *u;
    const store_problem_filter *f;
    csv_writer *cw;
    xlsx_writer *xw;
} export_ctx;

/* Walks the matching problems oldest first in key order, all inside one read transaction, so
 * the file is one consistent state even while others write. */
static err_code export_fn(store_tx *tx, void *ctx)
{
    export_ctx *x = ctx;
    err_code e = store_unit_list(tx, x->a, NULL, 0, &x->u->units, &x->u->n);
    size_t no = 0;
    for (int64_t after = 0; e == E_OK;) {
        arena *pa = arena_new();
        store_problem *items;
        size_t n;
        e = store_problem_page(tx, pa, x->f, after, 500, &items, &n);
        for (size_t i = 0; e == E_OK && i < n; i++) {
            const char *cells[NCOLS];
            problem_cells(x->ap, pa, x->u, &items[i], ++no, cells);
            if (write_row(x->cw, x->xw, pa, cells)) e = E_INTERNAL;
        }
        if (n) after = items[n - 1].id;
        arena_free(pa);
        if (n < 500) break;
    }
    return e;
}

err_code ledger_export(app *ap, const principal *p, const store_problem_filter *f,
                       ledger_format fmt, char **bytes, size_t *len, char *err, size_t errlen)
{
    arena *a = arena_new();
    units_ctx u = {.a = a};
    store_problem_filter scoped = *f;
    scoped.scope = authz_scope(p, "problem.read", a);
    csv_writer *cw = fmt == LEDGER_CSV ? csv_writer_new(1) : NULL;
    xlsx_writer *xw = fmt == LEDGER_XLSX ? xlsx_writer_new("问题清单", err, errlen) : NULL;
    err_code e = (cw || xw) ? E_OK : E_INTERNAL;
    if (e == E_OK && cw) csv_writer_row(cw, headers, NCOLS);
    if (e == E_OK && xw && xlsx_writer_header(xw, headers, NCOLS)) e = E_INTERNAL;
    export_ctx x = {ap, a, &u, &scoped, cw, xw};
    if (e == E_OK) e = store_read(ap->st, export_fn, &x);
    if (e == E_OK && cw) *bytes = csv_writer_take(cw, len), cw = NULL;
    if (e == E_OK && xw && xlsx_writer_finish(xw, bytes, len)) e = E_INTERNAL;
    if (e != E_OK && xw && !err[0]) snprintf(err, errlen, "%s", xlsx_writer_error(xw));
    csv_writer_free(cw);
    xlsx_writer_free(xw);
    arena_free(a);
    return e;
}

/* ---- import ---- */

typedef struct {
    problem_input in;
    const char *state, *progress, *verification, *closed_on;
    int estimated; /* the deadline lies in a year without its holiday notice */
    int64_t counits[20];
    size_t row;
} import_row;

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    ledger_report *rep;
    units_ctx units;
    int cols[NCOLS]; /* column index in the file, -1 when absent */
    import_row *good;
    size_t ngood, good_cap;
    int64_t first_id, last_id;
} import_ctx;

/* Records a fault of a row (col -1: the row as a whole); returns -1 for `return fault(…)`. */
static int fault(import_ctx *c, size_t row, int col, const char *reason)
{
    return sheet_fault_add(c->rep, c->a, row, col >= 0 ? headers[col] : NULL, reason);
}

static const char *cell(import_ctx *c, const sheet *t, size_t i, int col)
{
    int at = c->cols[col];
    if (at < 0 || (size_t)at >= t->widths[i]) return "";
    const char *v = sheet_trim(c->a, t->rows[i][at]);
    /* An exported formula-like text came back with its apostrophe (csv_formula_like) */
    return v[0] == '\'' && csv_formula_like(v + 1) ? v + 1 : v;
}

static int find_columns(import_ctx *c, const sheet *t)
{
    for (int k = 0; k < NCOLS; k++)
        c->cols[k] = -1;
    for (size_t i = 0; i < t->widths[0]; i++) {
        const char *h = sheet_trim(c->a, t->rows[0][i]);
        for (int k = 0; k < NCOLS; k++)
            if (strcmp(h, headers[k]) == 0 && c->cols[k] < 0) c->cols[k] = (int)i;
    }
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (c->cols[required[i]] < 0) {
            snprintf(c->rep->fatal, sizeof c->rep->fatal, "第 1 行（表头）缺少“%s”列",
                     headers[required[i]]);
            return -1;
        }
    return 0;
}

/* The column of a problem_input field, for reporting what problem_check_input found. */
static int column_of(const char *field)
{
    static const struct {
        const char *field;
        int col;
    } map[] = {{"source", C_SOURCE},     {"category", C_CATEGORY},
               {"title", C_TITLE},       {"description", C_DESCRIPTION},
               {"found_on", C_FOUND},    {"leader", C_LEADER},
               {"person", C_PERSON},     {"measures", C_MEASURES},
               {"goal", C_GOAL},         {"mode", C_MODE},
               {"note", C_NOTE},         {"deadline", C_DEADLINE},
               {"counit_ids", C_COUNITS}};
    for (size_t i = 0; field && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].field, field) == 0) return map[i].col;
    return -1;
}

/* A title from the description: up to its first full stop or comma, at most 30 characters. */
static const char *derived_title(arena *a, const char *description)
{
    const char *end = description;
    size_t chars = 0;
    while (*end && chars < 30 && strncmp(end, "。", 3) != 0 && strncmp(end, "，", 3) != 0) {
        end++;
        while ((*end & 0xC0) == 0x80)
            end++;
        chars++;
    }
    return arena_strndup(a, description, (size_t)(end - description));
}

static const char *state_named_by_title(const app *ap, const char *title)
{
    const flow_def *f = problem_flow_def(ap);
    if (!*title) return f->states[f->initial].name;
    for (size_t i = 0; i < f->nstates; i++)
        if (strcmp(f->states[i].title, title) == 0 || strcmp(f->states[i].name, title) == 0)
            return f->states[i].name;
    return NULL;
}

/* Resolves 配合单位 ("A、B" or "A,B" or "A，B"); 0 on success. */
static int resolve_counits(import_ctx *c, import_row *r, const char *text, int64_t lead)
{
    char *list = arena_strdup(c->a, text);
    for (char *p = list; *p;) {
        char *sep = p;
        size_t skip = 0;
        while (*sep && !skip) {
            if (strncmp(sep, "、", 3) == 0 || strncmp(sep, "，", 3) == 0)
                skip = 3;
            else if (*sep == ',' || *sep == ';')
                skip = 1;
            else
                sep++;
        }
        char saved = *sep;
        *sep = 0;
        const char *name = sheet_trim(c->a, p);
        if (*name) {
            int ambiguous;
            const store_unit *u = unit_by_text(&c->units, name, &ambiguous);
            if (!u || u->id == lead || r->in.ncounits == 20)
                return fault(c, r->row, C_COUNITS,
                             arena_sprintf(c->a,
                                           ambiguous ? "单位名称“%s”不唯一，请改用单位编码"
                                                     : "找不到配合单位“%s”（或与责任单位相同）",
                                           name));
            r->counits[r->in.ncounits++] = u->id;
        }
        if (!saved) break;
        p = sep + skip;
    }
    r->in.counits = r->counits;
    return 0;
}

/* Checks one data row; adds it to the good rows (0) or reports its first fault (-1). */
static int check_row(import_ctx *c, const sheet *t, size_t i)
{
    import_row r = {.row = t->numbers[i]};
    const char *found = cell(c, t, i, C_FOUND), *due = cell(c, t, i, C_DEADLINE);
    const char *closed = cell(c, t, i, C_CLOSED);
    r.in = (problem_input){
        .source = cell(c, t, i, C_SOURCE),
        .category = cell(c, t, i, C_CATEGORY),
        .description = cell(c, t, i, C_DESCRIPTION),
        .leader = cell(c, t, i, C_LEADER),
        .person = cell(c, t, i, C_PERSON),
        .measures = cell(c, t, i, C_MEASURES),
        .goal = cell(c, t, i, C_GOAL),
        .mode = cell(c, t, i, C_MODE),
        .note = cell(c, t, i, C_NOTE),
        .subject = "",
    };
    r.in.title =
        *cell(c, t, i, C_TITLE) ? cell(c, t, i, C_TITLE) : derived_title(c->a, r.in.description);
    r.progress = cell(c, t, i, C_PROGRESS);
    r.verification = cell(c, t, i, C_VERIFICATION);
    if (*found && !(r.in.found_on = sheet_date(c->a, found)))
        return fault(c, r.row, C_FOUND, "不是有效日期（如 2024-03-05）");
    if (!*found) return fault(c, r.row, C_FOUND, "此项为必填项");
    size_t dl = strlen(due), ml = strlen(LEDGER_ESTIMATED);
    if (dl > ml && strcmp(due + dl - ml, LEDGER_ESTIMATED) == 0) /* an exported ledger's mark */
        due = arena_strndup(c->a, due, dl - ml);
    if (*due && !(r.in.deadline = sheet_date(c->a, due)))
        return fault(c, r.row, C_DEADLINE, "不是有效日期（如 2024-03-05）");
    int ambiguous;
    const char *unit_text = cell(c, t, i, C_UNIT);
    const store_unit *unit = *unit_text ? unit_by_text(&c->units, unit_text, &ambiguous) : NULL;
    if (!unit)
        return fault(c, r.row, C_UNIT,
                     !*unit_text ? "此项为必填项"
                     : ambiguous ? "单位名称不唯一，请改用单位编码"
                                 : "找不到此单位");
    if (!authz_can(c->p, "problem.register", unit->path))
        return fault(c, r.row, C_UNIT, "没有为此单位登记问题的权限");
    r.in.unit_id = unit->id;
    if (resolve_counits(c, &r, cell(c, t, i, C_COUNITS), unit->id)) return -1;
    for (size_t k = 0; k < r.in.ncounits; k++)
        if (!authz_can(c->p, "problem.register", unit_by_id(&c->units, r.counits[k])->path))
            return fault(c, r.row, C_COUNITS, "没有为此配合单位登记问题的权限");
    const char *mode, *deadline, *field;
    int estimated;
    err_code e = problem_check_input(c->ap, c->a, &r.in, &mode, &deadline, &estimated, &field);
    if (e != E_OK) return fault(c, r.row, column_of(field), err_message(e));
    r.estimated = estimated;
    r.in.mode = mode;
    r.state = state_named_by_title(c->ap, cell(c, t, i, C_STATE));
    if (!r.state) return fault(c, r.row, C_STATE, "不是已知的状态（如 已登记、整改中、已销号）");
    /* A problem already handled (up to 已销号) may be entered only by the assigning side from
     * outside the handling unit, as the flow would have required; never by the unit itself. */
    const flow_def *f = problem_flow_def(c->ap);
    if (strcmp(r.state, f->states[f->initial].name) != 0 && !c->p->system &&
        (!authz_can(c->p, "problem.assign", unit->path) ||
         authz_within(unit->path, c->p->unit_path)))
        return fault(c, r.row, C_STATE,
                     "已办理的问题只能由交办方（责任单位以外、有交办权限的人员）导入");
    if (strcmp(r.state, "closed") == 0) {
        if (!*r.verification) return fault(c, r.row, C_VERIFICATION, "已销号的问题必须有核查情况");
        if (!*closed || !(r.closed_on = sheet_date(c->a, closed)))
            return fault(c, r.row, C_CLOSED, "已销号的问题必须有有效的销号时间");
    }
    /* Doubling: growing by a fixed step copied the rows read so far at every step, which made
     * an import quadratic in its rows (a 1M-row ledger copied terabytes). */
    if (c->ngood == c->good_cap) {
        c->good_cap = c->good_cap ? 2 * c->good_cap : 256;
        import_row *grown = arena_alloc(c->a, c->good_cap * sizeof *grown);
        if (c->ngood) memcpy(grown, c->good, c->ngood * sizeof *grown);
        c->good = grown;
    }
    c->good[c->ngood] = r;
    c->good[c->ngood].in.counits = c->good[c->ngood].counits;
    c->ngood++;
    return 0;
}

static err_code write_fn(store_tx *tx, void *ctx)
{
    import_ctx *c = ctx;
    int64_t now = clock_now();
    cal_day today = cal_local_day(now);
    for (size_t i = 0; i < c->ngood; i++) {
        import_row *r = &c->good[i];
        const problem_input *in = &r->in;
        cal_day closed_day;
        store_problem pr = {
            .source = in->source,
            .category = in->category,
            .title = in->title,
            .description = in->description,
            .found_on = in->found_on,
            .unit_id = in->unit_id,
            .leader = in->leader,
            .person = in->person,
            .measures = in->measures,
            .goal = in->goal,
            .mode = in->mode,
            .subject = in->subject,
            .note = in->note,
            .state = r->state,
            .deadline = in->deadline,
            .original_deadline = in->deadline,
            .deadline_estimated = r->estimated,
            .counits = r->counits,
            .ncounits = in->ncounits,
            .registered_by = c->p->user_id,
            .registered_unit_id = c->p->unit_id,
            .created_at = now,
            .updated_at = now,
        };
        problem_refresh_overdue(c->a, &pr, today);
        err_code e = store_problem_insert(tx, &pr);
        /* Columns the insert leaves at their defaults: progress, verification, closure. */
        if (e == E_OK && r->closed_on && cal_parse(r->closed_on, &closed_day) == 0)
            pr.closed_at = cal_day_start(closed_day);
        pr.progress = r->progress;
        pr.verification = r->verification;
        pr.supervisor = "";
        if (e == E_OK) e = store_problem_update(tx, &pr);
        store_event ev = {.flow = "problem",
                          .item_id = pr.id,
                          .action = "import",
                          .from_state = "",
                          .to_state = r->state,
                          .actor_id = c->p->user_id,
                          .actor = c->p->login,
                          .at = now,
                          .fields = arena_sprintf(c->a, "{\"row\":%zu}", r->row)};
        if (e == E_OK) e = store_event_insert(tx, &ev);
        if (e != E_OK) return e;
        if (!c->first_id) c->first_id = pr.id;
        c->last_id = pr.id;
    }
    return app_audit(c->ap, tx, c->a, c->p, "problem.import", "problem:*",
                     json_pack("{sI sI sI sI}", "rows", (json_int_t)c->rep->rows, "imported",
                               (json_int_t)c->ngood, "first_id", (json_int_t)c->first_id, "last_id",
                               (json_int_t)c->last_id));
}

err_code ledger_import(app *ap, arena *a, const principal *p, const void *data, size_t len,
                       ledger_format fmt, int skip_bad, ledger_report *rep)
{
    memset(rep, 0, sizeof *rep);
    import_ctx c = {.ap = ap, .a = a, .p = p, .rep = rep, .units = {.a = a}};
    sheet t;
    if (sheet_read(&t, a, data, len, fmt == LEDGER_XLSX, rep->fatal, sizeof rep->fatal))
        return E_FIELD_INVALID;
    err_code e = store_read(ap->st, units_fn, &c.units);
    if (e != E_OK) return e;
    if (find_columns(&c, &t)) return E_FIELD_INVALID;
    for (size_t i = 1; i < t.n; i++) {
        if (sheet_blank(&t, i)) continue;
        rep->rows++;
        check_row(&c, &t, i);
    }
    rep->skipped = rep->rows - c.ngood;
    if (rep->nfaults && !skip_bad) return E_FIELD_INVALID;
    if (c.ngood == 0) return E_OK;
    e = store_write(ap->st, write_fn, &c);
    if (e == E_OK) rep->imported = c.ngood;
    return e;
}
