/*
 * demo — the feeds mechanism's part of `duban demo`: the county's supervision office (督查室)
 * makes the twelve most recently closed problems public, each with a result text of the kind
 * such pages carry, so that /public/results shows real content on the README tour.
 */
#include "feeds/feeds_int.h"

#include "demo/demo.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    arena *a;
    int64_t *ids;
    const char **categories;
    size_t n;
} closed_ctx;

static err_code closed_fn(store_tx *tx, void *ctx)
{
    closed_ctx *c = ctx;
    static const char sql[] = "SELECT id, category FROM problem WHERE closed_at IS NOT NULL"
                              " ORDER BY closed_at DESC, id DESC LIMIT 12";
    sq_stmt *st = sq_prep(tx, sql);
    c->ids = arena_alloc(c->a, 12 * sizeof *c->ids);
    c->categories = arena_alloc(c->a, 12 * sizeof *c->categories);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW && c->n < 12) {
        c->ids[c->n] = sq_int(st, 0);
        c->categories[c->n++] = sq_text(c->a, st, 1);
    }
    return rc == SQ_ROW || rc == SQ_DONE ? E_OK : rc;
}

/* A public result in the offices' style for a problem of this category. */
static const char *result_text(arena *a, const char *category, size_t i)
{
    static const char *const done[] = {
        "已按整改措施逐项落实到位，经督查室实地核查，群众反映的问题已解决。",
        "责任单位已完成整改并建立长效机制，经电话回访核实，整改到位。",
        "已协调相关部门完成整改，经现场查看，符合销号条件。",
        "整改已完成，相关制度已修订完善，经核查销号。",
    };
    return arena_sprintf(a, "【%s】%s", category, done[i % 4]);
}

err_code feeds_demo(app *ap, mech_demo_county *c, FILE *out)
{
    principal office;
    err_code e = demo_account(c, "gongkai01", demo_staff_name(90), c->depts[1].id, "operator",
                              c->root, &office);
    closed_ctx cl = {.a = c->a};
    if (e == E_OK) e = store_read(ap->st, closed_fn, &cl);
    for (size_t i = 0; e == E_OK && i < cl.n; i++)
        e = feeds_publish(ap, c->a, &office, cl.ids[i], result_text(c->a, cl.categories[i], i));
    if (e == E_OK)
        fprintf(out, "public results: %zu closed problems made public by gongkai01 (县委督查室); "
                     "see /public/results\n",
                cl.n);
    return e;
}
