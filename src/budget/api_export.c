/*
 * export — a project's 项目测算表 and 绩效目标表 as one workbook, in the layout offices file
 * them: the cost sheet's lines (sub-items indented under their line) with the total, the
 * project's particulars, then the target table by level. Amounts are written as text with two
 * decimals (exact: never a floating-point number), so the sheet shows what the record holds.
 * Who may read the project may export it (the detail's scope check).
 */
#include "budget/budget_int.h"

#include "budget/money.h"
#include "io/xlsx.h"

#include <stdio.h>
#include <stdlib.h>

static const char *yuan(arena *a, int64_t fen)
{
    char buf[40];
    money_yuan(fen, buf, sizeof buf);
    return arena_strdup(a, buf);
}

/* The workbook's rows after the header; 0 or -1 as the writer returns. */
static int rows(xlsx_writer *w, arena *a, const store_budget_project *p,
                const store_budget_line *lines, size_t nl, const store_budget_indicator *inds,
                size_t ni)
{
    int bad = 0, top = 0, sub = 0;
    for (size_t i = 0; !bad && i < nl; i++) {
        const store_budget_line *l = &lines[i];
        char q[40];
        money_format(l->qty_milli, 3, q, sizeof q);
        const char *no = l->parent_id ? arena_sprintf(a, "%d.%d", top, ++sub)
                                      : arena_sprintf(a, "%d", (sub = 0, ++top));
        int leaf = !(i + 1 < nl && lines[i + 1].parent_id == l->id);
        const char *cells[] = {no,
                               l->parent_id ? arena_sprintf(a, "  %s", l->item) : l->item,
                               l->kind,
                               leaf ? q : "",
                               l->measure_unit,
                               leaf ? yuan(a, l->price) : "",
                               yuan(a, l->amount),
                               l->basis};
        bad = xlsx_writer_row(w, cells, 8);
    }
    const char *total[] = {"", "合计", "", "", "", "", yuan(a, p->cost_total), ""};
    const char *blank[] = {""};
    if (!bad) bad = xlsx_writer_row(w, total, 8);
    if (!bad) bad = xlsx_writer_row(w, blank, 1);
    const char *info[][2] = {
        {"项目名称", p->name},
        {"申报单位", p->unit_name},
        {"实施单位", p->impl_unit},
        {"项目类别", budget_class_title(p->class_)},
        {"预算年度", arena_sprintf(a, "%lld", (long long)p->year)},
        {"申请金额（元）", yuan(a, p->fund_fiscal + p->fund_carryover + p->fund_other)},
        {"其中：本年财政拨款", yuan(a, p->fund_fiscal)},
        {"上年结转", yuan(a, p->fund_carryover)},
        {"其他资金", yuan(a, p->fund_other)},
        {"年度总体目标", p->goal},
    };
    for (size_t i = 0; !bad && i < sizeof info / sizeof info[0]; i++)
        bad = xlsx_writer_row(w, info[i], 2);
    if (!bad) bad = xlsx_writer_row(w, blank, 1);
    const char *head[] = {"一级指标", "二级指标", "成本类型", "三级指标",
                          "指标值",   "计量单位", "权重",     "计量方式"};
    if (!bad) bad = xlsx_writer_row(w, head, 8);
    for (size_t i = 0; !bad && i < ni; i++) {
        const store_budget_indicator *d = &inds[i];
        char wt[40];
        money_format(d->weight_milli, 3, wt, sizeof wt);
        const char *cells[] = {d->level1, d->level2, d->cost_kind,
                               d->name,   arena_sprintf(a, "%s %s", d->comparison, d->target),
                               d->measure_unit, wt, d->method};
        bad = xlsx_writer_row(w, cells, 8);
    }
    return bad;
}

typedef struct {
    arena *a;
    const principal *p;
    int64_t id;
    store_budget_project pr;
    store_budget_line *lines;
    store_budget_indicator *inds;
    size_t nl, ni;
} export_ctx;

static err_code export_fn(store_tx *tx, void *ctx)
{
    export_ctx *c = ctx;
    err_code e = store_budget_get(tx, c->a, c->id, &c->pr);
    if (e != E_OK) return e;
    if (!budget_may_read(tx, c->p, &c->pr)) return E_FORBIDDEN;
    e = store_budget_lines(tx, c->a, c->id, &c->lines, &c->nl);
    return e == E_OK ? store_budget_indicators(tx, c->a, c->id, &c->inds, &c->ni) : e;
}

err_code api_budget_export(http_req *r)
{
    export_ctx c = {.a = http_arena(r), .p = http_principal(r)};
    err_code e = http_param_id(r, "id", &c.id);
    if (e == E_OK) e = mech_read(http_app(r), c.p, "budget.read", "budget", export_fn, &c);
    if (e != E_OK) return e;
    char err[256];
    xlsx_writer *w = xlsx_writer_new("项目测算表及绩效目标表", err, sizeof err);
    if (!w) return E_INTERNAL;
    static const char *const header[] = {"序号",   "测算内容", "类别",       "数量",
                                         "单位",   "单价（元）", "金额（元）", "测算依据"};
    int bad = xlsx_writer_header(w, header, 8);
    if (!bad) bad = rows(w, c.a, &c.pr, c.lines, c.nl, c.inds, c.ni);
    char *bytes = NULL;
    size_t len = 0;
    if (!bad) bad = xlsx_writer_finish(w, &bytes, &len);
    if (bad) fprintf(stderr, "duban: export budget %lld: %s\n", (long long)c.id, xlsx_writer_error(w));
    xlsx_writer_free(w);
    if (bad) return E_INTERNAL;
    return http_reply_download(r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               bytes, len, arena_sprintf(c.a, "%s.xlsx", c.pr.name));
}
