/*
 * api_stats — the section's figures: clues by source, circle, category and month (the last 24
 * months), disposals by kind with the average days from clue to disposal, responses by grade
 * (第一种形态's share) — each group with its code, so the UI drills down to the clues behind a
 * bar (GET /cadre/clues?source=…). Within the caller's cadre.read scope; audited as a read.
 */
#include "cadre/cadre_int.h"

#include <string.h>

typedef struct {
    arena *a;
    const char *scope;
    json_t *out;
} stats_ctx;

#define SCOPE_JOIN                                                                                 \
    " FROM cadre_clue cl JOIN cadre c ON c.id = cl.cadre_id JOIN unit u ON u.id = c.unit_id WHERE" \
    " {in_scope u.path}"

static err_code groups(store_tx *tx, arena *a, const char *sql, const char *scope, const char *list,
                       json_t *arr)
{
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", scope);
    typedef struct {
        const char *key;
        int64_t n;
    } row;
    row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        row *x = sq_push(a, (void **)&rows, &n, &cap, sizeof *x);
        *x = (row){sq_text(a, st, 0), sq_int(st, 1)};
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    static const char *const disp[] = {"", "talk_inquiry", "verify", "hold", "close"};
    static const char *const disp_t[] = {"待研判", "谈话函询", "初步核实", "暂存待查", "予以了结"};
    for (size_t i = 0; i < n; i++) {
        const char *label = rows[i].key;
        if (list && !strcmp(list, "disposal")) {
            for (int k = 0; k < 5; k++)
                if (!strcmp(disp[k], rows[i].key)) label = disp_t[k];
        } else if (list) {
            label = cadre_code_title(tx, a, list, rows[i].key);
        }
        json_array_append_new(arr, json_pack("{ss ss sI}", "key", rows[i].key, "label", label, "n",
                                             (json_int_t)rows[i].n));
    }
    return E_OK;
}

static err_code stats_fn(store_tx *tx, void *ctx)
{
    stats_ctx *c = ctx;
    static const char by_source[] = "SELECT cl.source, count(*)" SCOPE_JOIN
                                    " GROUP BY cl.source ORDER BY count(*) DESC, cl.source";
    static const char by_circle[] = "SELECT cl.circle, count(*)" SCOPE_JOIN
                                    " GROUP BY cl.circle ORDER BY cl.circle";
    static const char by_category[] = "SELECT cl.category, count(*)" SCOPE_JOIN
                                      " GROUP BY cl.category ORDER BY count(*) DESC, cl.category";
    static const char by_month[] = "SELECT substr(cl.occurred_on, 1, 7) AS m, count(*)" SCOPE_JOIN
                                   " GROUP BY m ORDER BY m";
    static const char by_disposal[] = "SELECT cl.disposal, count(*)" SCOPE_JOIN
                                      " GROUP BY cl.disposal ORDER BY cl.disposal";
    static const char forms[] =
        "SELECT k.form, count(*) FROM cadre_response r JOIN cadre_response_kind k ON k.code = r.kind"
        " JOIN cadre c ON c.id = r.cadre_id JOIN unit u ON u.id = c.unit_id WHERE {in_scope u.path}"
        " GROUP BY k.form ORDER BY k.form";
    static const char days[] = "SELECT cl.occurred_on, cl.disposed_on" SCOPE_JOIN
                               " AND cl.disposal <> '' AND cl.disposed_on <> ''";
    const struct {
        const char *key, *sql, *list;
    } g[] = {{"by_source", by_source, "source"},       {"by_circle", by_circle, "circle"},
             {"by_category", by_category, "category"}, {"by_month", by_month, NULL},
             {"by_disposal", by_disposal, "disposal"}};
    c->out = json_object();
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        json_t *arr = json_array();
        json_object_set_new(c->out, g[i].key, arr);
        err_code e = groups(tx, c->a, g[i].sql, c->scope, g[i].list, arr);
        if (e != E_OK) return e;
    }
    json_t *by_form = json_array();
    json_object_set_new(c->out, "by_form", by_form);
    sq_stmt *st = sq_prep(tx, forms);
    sq_bind(st, "s", c->scope);
    int rc;
    int64_t total = 0, first = 0;
    static const char *const form_t[] = {"", "第一种形态", "第二种形态", "第三种形态"};
    while ((rc = sq_step(st)) == SQ_ROW) {
        int64_t f = sq_int(st, 0), n = sq_int(st, 1);
        total += n;
        if (f == 1) first = n;
        json_array_append_new(by_form, json_pack("{sI ss sI}", "key", (json_int_t)f, "label",
                                                 f >= 1 && f <= 3 ? form_t[f] : "", "n", (json_int_t)n));
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    st = sq_prep(tx, days);
    sq_bind(st, "s", c->scope);
    int64_t sum = 0, nd = 0;
    while ((rc = sq_step(st)) == SQ_ROW) {
        cal_day a, b;
        if (cal_parse(sq_text_peek(st, 0), &a) == 0 && cal_parse(sq_text_peek(st, 1), &b) == 0 && b >= a) {
            sum += b - a;
            nd++;
        }
    }
    sq_reset(st);
    if (rc != SQ_DONE) return (err_code)rc;
    json_object_set_new(c->out, "responses", json_integer(total));
    json_object_set_new(c->out, "first_form_permille",
                        json_integer(total ? (first * 1000 + total / 2) / total : 0));
    json_object_set_new(c->out, "avg_days_to_disposal", json_integer(nd ? (sum + nd / 2) / nd : 0));
    return E_OK;
}

err_code api_cadre_stats(http_req *r)
{
    stats_ctx c = {http_arena(r), NULL, NULL};
    c.scope = authz_scope(http_principal(r), "cadre.read", c.a);
    err_code e = api_read_filtered(r, stats_fn, &c);
    return cadre_reply_read(r, e, c.out);
}
