/*
 * stats.c — the publishing review's figures within the caller's scope (and ?unit_id= subtree):
 * drafts by state, hits by category (each with the drafts it occurs in, for the drill-down to
 * the drafts list ?category=), 终审 overrides, review turnaround (submission of the round to
 * the 终审's approval, in hours, per unit), and the outlets by platform with their audience and
 * the idle and 僵尸 accounts by name (drill-down: the register ?flag=).
 */
#include "publish/publish_int.h"

#include "base/clock.h"
#include "flow/calendar.h"

#include <string.h>

typedef struct {
    app *ap;
    arena *a;
    const char *scope, *subtree;
    int64_t unit_id;
    json_t *out;
} stats_ctx;

static json_int_t obj_inc(json_t *o, const char *key, json_int_t by)
{
    json_int_t v = json_integer_value(json_object_get(o, key)) + by;
    json_object_set_new(o, key, json_integer(v));
    return v;
}

static err_code stats_fn(store_tx *tx, void *ctx)
{
    stats_ctx *c = ctx;
    if (c->unit_id) {
        store_unit u;
        err_code e = store_unit_get(tx, c->a, c->unit_id, &u);
        if (e != E_OK) return e;
        c->subtree = u.path;
    }
    /* drafts by state; hits by category */
    static const char dsql[] = "SELECT d.state, d.hits, d.override_reason FROM publish_draft d"
                               " JOIN unit u ON u.id = d.unit_id WHERE {in_scope u.path} AND"
                               " {in_subtree u.path}";
    sq_stmt *st = sq_prep(tx, dsql);
    sq_bind(st, "ss", c->scope, c->subtree);
    json_t *by_state = json_object(), *cat_hits = json_object(), *cat_drafts = json_object();
    json_int_t total = 0, overrides = 0, with_hits = 0;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        total++;
        obj_inc(by_state, sq_text_peek(st, 0), 1);
        json_t *hits = json_loads(sq_text_peek(st, 1), 0, NULL);
        overrides += *sq_text_peek(st, 2) != '\0';
        json_t *seen = json_object();
        size_t i;
        json_t *h;
        json_array_foreach(hits, i, h)
        {
            const char *cat = json_string_value(json_object_get(h, "category"));
            if (!cat || !*cat) cat = "未分类";
            obj_inc(cat_hits, cat, 1);
            if (!json_object_get(seen, cat)) {
                json_object_set_new(seen, cat, json_true());
                obj_inc(cat_drafts, cat, 1);
            }
        }
        with_hits += json_array_size(hits) > 0;
        json_decref(seen);
        json_decref(hits);
    }
    sq_reset(st);
    if (rc != SQ_DONE) goto fail;
    static const char *const codes[] = {"draft", "first", "second", "final",
                                        "approved", "published", "withdrawn"};
    static const char *const titles[] = {"草稿", "待初审", "待复审", "待终审",
                                         "审核通过待发布", "已发布", "已撤稿"};
    json_t *states = json_array();
    for (int i = 0; i < 7; i++)
        json_array_append_new(states, json_pack("{ss ss sI}", "state", codes[i], "title", titles[i],
                                                "count", json_integer_value(json_object_get(by_state, codes[i]))));
    json_t *cats = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(cat_hits, k, v)
        json_array_append_new(cats, json_pack("{ss sI sI}", "category", k, "hits",
                                              json_integer_value(v), "drafts",
                                              json_integer_value(json_object_get(cat_drafts, k))));
    json_decref(by_state);
    json_decref(cat_hits);
    json_decref(cat_drafts);
    json_object_set_new(c->out, "drafts", json_pack("{sI sI sI so}", "total", total, "with_hits",
                                                    with_hits, "overrides", overrides, "by_state",
                                                    states));
    json_object_set_new(c->out, "hits_by_category", cats);

    /* turnaround: the round's submission to the 终审's approval */
    static const char tsql[] =
        "SELECT u.id, u.name, count(*), CAST(sum(r.created_at - d.submitted_at) AS BIGINT),"
        " CAST(max(r.created_at - d.submitted_at) AS BIGINT) FROM publish_review r"
        " JOIN publish_draft d ON d.id = r.draft_id JOIN unit u ON u.id = d.unit_id"
        " WHERE r.level = 3 AND r.decision = 'approve' AND r.round = d.round"
        " AND d.submitted_at IS NOT NULL AND {in_scope u.path} AND {in_subtree u.path}"
        " GROUP BY u.id, u.name ORDER BY u.name";
    st = sq_prep(tx, tsql);
    sq_bind(st, "ss", c->scope, c->subtree);
    json_t *units = json_array();
    int64_t n = 0, sum = 0, max = 0;
    while ((rc = sq_step(st)) == SQ_ROW) {
        int64_t cnt = sq_int(st, 2), s = sq_int(st, 3), m = sq_int(st, 4);
        n += cnt;
        sum += s;
        if (m > max) max = m;
        json_array_append_new(units, json_pack("{sI ss sI sf}", "unit_id", (json_int_t)sq_int(st, 0),
                                               "unit_name", sq_text(c->a, st, 1), "approved",
                                               (json_int_t)cnt, "avg_hours",
                                               cnt ? (double)s / cnt / 3600.0 : 0.0));
    }
    sq_reset(st);
    if (rc != SQ_DONE) goto fail;
    json_object_set_new(c->out, "turnaround",
                        json_pack("{sI sf sf so}", "approved", (json_int_t)n, "avg_hours",
                                  n ? (double)sum / n / 3600.0 : 0.0, "max_hours", max / 3600.0,
                                  "by_unit", units));

    /* outlets */
    int64_t idle, zombie;
    err_code e = publish_thresholds(tx, &idle, &zombie);
    if (e != E_OK) return e;
    cal_day today = cal_local_day(clock_now());
    static const char osql[] =
        "SELECT o.id, o.name, o.platform, o.status, o.last_post_on, o.fans, o.users, u.name"
        " FROM publish_outlet o JOIN unit u ON u.id = o.unit_id WHERE {in_scope u.path} AND"
        " {in_subtree u.path} ORDER BY o.last_post_on, o.id";
    st = sq_prep(tx, osql);
    sq_bind(st, "ss", c->scope, c->subtree);
    json_t *idle_list = json_array(), *zombie_list = json_array(), *plat = json_object();
    json_int_t open = 0, all = 0, fans = 0, users = 0;
    while ((rc = sq_step(st)) == SQ_ROW) {
        all++;
        if (strcmp(sq_text_peek(st, 3), "open")) continue;
        open++;
        fans += sq_int(st, 5);
        users += sq_int(st, 6);
        const char *p = sq_text(c->a, st, 2);
        json_t *po = json_object_get(plat, p);
        if (!po) json_object_set_new(plat, p, po = json_object());
        obj_inc(po, "count", 1);
        obj_inc(po, "fans", sq_int(st, 5));
        cal_day d;
        if (cal_parse(sq_text_peek(st, 4), &d)) continue;
        int64_t days = today - d;
        if (days <= idle) continue;
        json_array_append_new(days > zombie ? zombie_list : idle_list,
                              json_pack("{sI ss ss sI}", "id", (json_int_t)sq_int(st, 0), "name",
                                        sq_text(c->a, st, 1), "unit_name", sq_text(c->a, st, 7),
                                        "days", (json_int_t)days));
    }
    sq_reset(st);
    if (rc != SQ_DONE) {
        json_decref(idle_list);
        json_decref(zombie_list);
        json_decref(plat);
        goto fail;
    }
    json_object_set_new(c->out, "outlets",
                        json_pack("{sI sI sI sI so so so sI sI}", "total", all, "open", open, "fans",
                                  fans, "users", users, "by_platform", plat, "idle", idle_list,
                                  "zombie", zombie_list, "idle_days", (json_int_t)idle,
                                  "zombie_days", (json_int_t)zombie));
    return E_OK;
fail:
    return (err_code)rc;
}

err_code api_publish_stats(http_req *r)
{
    stats_ctx c = {http_app(r), http_arena(r), NULL, NULL, 0, json_object()};
    c.scope = authz_scope(http_principal(r), "publish.read", c.a);
    err_code e = http_query_id(r, "unit_id", &c.unit_id);
    if (e == E_OK) e = api_read_filtered(r, stats_fn, &c);
    if (e != E_OK) {
        json_decref(c.out);
        return e;
    }
    return http_reply(r, 200, c.out);
}
