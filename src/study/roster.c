/*
 * roster — importing the persons registry (人员名册) from the spreadsheet an office keeps:
 * columns 姓名, 单位, 职务, 职级, 是否党员. Every row is checked first (unit known and unique,
 * the importer allowed to register persons there, rank one of study_ranks, no duplicates in
 * the file or the registry); nothing is written unless all rows are good or skip_bad is set,
 * and then all good rows are written in one transaction with one audit record.
 */
#include "study/roster.h"

#include "base/clock.h"
#include "base/text.h"
#include "core/store_fn.h"
#include "org/org.h"
#include "study/study.h"

#include <string.h>

enum { C_NAME, C_UNIT, C_POSITION, C_RANK, C_PARTY, NCOLS };
static const char *const headers[NCOLS] = {"姓名", "单位", "职务", "职级", "是否党员"};

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    sheet_report *rep;
    store_unit *units;
    size_t nunits;
    store_person *good;
    size_t *good_rows; /* the file's row number of each good person */
    size_t ngood;
    int cols[NCOLS];
    int64_t first_id, last_id;
} roster_ctx;

STORE_FN(units_fn, roster_ctx *c, store_unit_list(tx, c->a, NULL, 0, &c->units, &c->nunits));

static int fault(roster_ctx *c, const sheet *t, size_t i, int col, const char *reason)
{
    return sheet_fault_add(c->rep, c->a, t->numbers[i], col >= 0 ? headers[col] : NULL, reason);
}

static const char *cell(const roster_ctx *c, const sheet *t, size_t i, int col)
{
    return c->cols[col] < 0 ? "" : sheet_cell(t, i, (size_t)c->cols[col]);
}

static int duplicate_in_file(const roster_ctx *c, const store_person *x)
{
    for (size_t k = 0; k < c->ngood; k++)
        if (c->good[k].unit_id == x->unit_id && strcmp(c->good[k].name, x->name) == 0 &&
            strcmp(c->good[k].position, x->position) == 0)
            return 1;
    return 0;
}

/* Checks row i; a good row joins c->good. */
static int check_row(roster_ctx *c, const sheet *t, size_t i)
{
    store_person x = {.name = cell(c, t, i, C_NAME), .position = cell(c, t, i, C_POSITION),
                      .rank = cell(c, t, i, C_RANK), .party_member = 1};
    const char *unit_text = cell(c, t, i, C_UNIT), *party = cell(c, t, i, C_PARTY);
    if (text_check_field(x.name, 40, 1) != E_OK) return fault(c, t, i, C_NAME, "姓名为空或超过 40 字");
    if (text_check_field(x.position, 60, 0) != E_OK) return fault(c, t, i, C_POSITION, "职务超过 60 字");
    if (!*x.rank) x.rank = "其他";
    if (!study_rank_valid(x.rank))
        return fault(c, t, i, C_RANK, "职级应为 县处级、乡科级、一般干部、普通党员、群众 或 其他");
    if (*party && strcmp(party, "是") != 0 && strcmp(party, "否") != 0)
        return fault(c, t, i, C_PARTY, "是否党员应填“是”或“否”");
    x.party_member = strcmp(party, "否") != 0;
    int ambiguous;
    const store_unit *u = *unit_text ? org_unit_by_text(c->units, c->nunits, unit_text, &ambiguous) : NULL;
    if (!*unit_text) return fault(c, t, i, C_UNIT, "单位为空");
    if (!u && ambiguous) return fault(c, t, i, C_UNIT, "有多个同名单位，请写成“名称（编码）”");
    if (!u) return fault(c, t, i, C_UNIT, "找不到此单位");
    if (!authz_can(c->p, "study.write", u->path)) return fault(c, t, i, C_UNIT, "无权在此单位登记人员");
    x.unit_id = u->id;
    if (duplicate_in_file(c, &x)) return fault(c, t, i, -1, "与前面的行重复（同单位、同姓名、同职务）");
    c->good_rows[c->ngood] = t->numbers[i];
    c->good[c->ngood++] = x;
    return 0;
}

static err_code write_fn(store_tx *tx, void *ctx)
{
    roster_ctx *c = ctx;
    int64_t now = clock_now();
    for (size_t i = 0; i < c->ngood; i++) {
        /* checked again inside the transaction: the tree may have changed meanwhile */
        store_unit u;
        err_code e = store_unit_get(tx, c->a, c->good[i].unit_id, &u);
        if (e != E_OK) return e;
        if (!authz_can(c->p, "study.write", u.path)) return E_FORBIDDEN;
        c->good[i].created_at = now;
        e = store_person_insert(tx, &c->good[i]);
        if (e != E_OK) return e;
        if (i == 0) c->first_id = c->good[i].id;
        c->last_id = c->good[i].id;
    }
    return app_audit(c->ap, tx, c->a, c->p, "study.person.import", "person:import",
                     json_pack("{sI sI sI sI}", "rows", (json_int_t)c->rep->rows, "imported",
                               (json_int_t)c->ngood, "first_id", (json_int_t)c->first_id,
                               "last_id", (json_int_t)c->last_id));
}

/* Refuses rows whose person the registry already holds (one read before writing). */
static err_code existing_fn(store_tx *tx, void *ctx)
{
    roster_ctx *c = ctx;
    size_t kept = 0;
    for (size_t i = 0; i < c->ngood; i++) {
        store_person_filter f = {.unit_only = c->good[i].unit_id, .q = c->good[i].name,
                                 .party_member = -1, .limit = 50};
        store_person *found;
        size_t n;
        int64_t total;
        err_code e = store_person_list(tx, c->a, &f, &found, &n, &total);
        if (e != E_OK) return e;
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= strcmp(found[k].name, c->good[i].name) == 0 &&
                   strcmp(found[k].position, c->good[i].position) == 0;
        if (dup) {
            sheet_fault_add(c->rep, c->a, c->good_rows[i], headers[C_NAME],
                            arena_sprintf(c->a, "%s（%s）已在名册中", c->good[i].name,
                                          c->good[i].position[0] ? c->good[i].position : "无职务"));
        } else {
            c->good_rows[kept] = c->good_rows[i];
            c->good[kept++] = c->good[i];
        }
    }
    c->ngood = kept;
    return E_OK;
}

err_code study_persons_import(app *ap, arena *a, const principal *p, const void *data, size_t len,
                              int xlsx, int skip_bad, sheet_report *rep)
{
    memset(rep, 0, sizeof *rep);
    roster_ctx c = {.ap = ap, .a = a, .p = p, .rep = rep};
    sheet t;
    if (sheet_read(&t, a, data, len, xlsx, rep->fatal, sizeof rep->fatal)) return E_FIELD_INVALID;
    for (int k = 0; k < NCOLS; k++) c.cols[k] = sheet_column(&t, headers[k]);
    for (int k = C_NAME; k <= C_UNIT; k++)
        if (c.cols[k] < 0) {
            snprintf(rep->fatal, sizeof rep->fatal, "第 1 行（表头）缺少“%s”列", headers[k]);
            return E_FIELD_INVALID;
        }
    err_code e = store_read(ap->st, units_fn, &c);
    if (e != E_OK) return e;
    c.good = arena_alloc(a, (t.n + 1) * sizeof *c.good);
    c.good_rows = arena_alloc(a, (t.n + 1) * sizeof *c.good_rows);
    for (size_t i = 1; i < t.n; i++) {
        if (sheet_blank(&t, i)) continue;
        rep->rows++;
        check_row(&c, &t, i);
    }
    e = store_read(ap->st, existing_fn, &c);
    if (e != E_OK) return e;
    rep->skipped = rep->rows - c.ngood;
    if (rep->nfaults && !skip_bad) return E_FIELD_INVALID;
    if (c.ngood == 0) return E_OK;
    e = store_write(ap->st, write_fn, &c);
    if (e == E_OK) rep->imported = c.ngood;
    return e;
}
