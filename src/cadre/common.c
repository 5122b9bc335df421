/*
 * common — what the cadre mechanism's handlers share: the sealing keys (derived from the key
 * file the audit chain uses), sealed columns, the cadre's scope and the rule that nobody reads
 * their own file, audit records, the codes' titles, and the cadre's warning over the store.
 */
#include "cadre/cadre_int.h"

#include "base/clock.h"
#include "base/config.h"
#include "base/log.h"

#include <stdlib.h>
#include <string.h>

char *cadre_key_path(const app *ap)
{
    const char *own = getenv("DUBAN_CADRE_KEY_FILE");
    return own && *own ? strdup(own) : config_key_path(&ap->cfg);
}

err_code cadre_keys(app *ap)
{
    char err[256];
    char *path = cadre_key_path(ap);
    int rc = cadre_seal_load(path, err, sizeof err);
    if (rc != 0) log_error("cadre: %s", err);
    free(path);
    return rc == 0 ? E_OK : E_INTERNAL;
}

err_code cadre_bind_sealed(arena *a, sq_stmt *st, int i, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    unsigned char *buf = arena_alloc(a, n + CADRE_SEAL_OVERHEAD);
    if (cadre_seal(text ? text : "", n, buf) != 0) return E_INTERNAL;
    sq_bind_blob(st, i, buf, n + CADRE_SEAL_OVERHEAD);
    return E_OK;
}

const char *cadre_col_sealed(arena *a, sq_stmt *st, int i)
{
    size_t n = 0;
    const unsigned char *b = sq_blob(st, i, &n);
    if (!b) return "";
    char *out = arena_alloc(a, n + 1);
    size_t m = 0;
    if (cadre_unseal(b, n, (unsigned char *)out, &m) != 0) return "〔无法解密〕";
    out[m] = 0;
    return out;
}

err_code cadre_path(store_tx *tx, arena *a, int64_t cadre_id, const char **path, int64_t *user_id)
{
    static const char sql[] = "SELECT u.path, COALESCE(c.user_id, 0) FROM cadre c JOIN unit u ON"
                              " u.id = c.unit_id WHERE c.id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, cadre_id);
    int rc = sq_step(st);
    if (rc == SQ_ROW) {
        *path = sq_text(a, st, 0);
        if (user_id) *user_id = sq_int(st, 1);
    }
    sq_reset(st);
    return rc == SQ_ROW ? E_OK : rc == SQ_DONE ? E_NOT_FOUND : (err_code)rc;
}

err_code cadre_may_read(store_tx *tx, arena *a, const principal *p, const char *perm,
                        int64_t cadre_id)
{
    const char *path;
    int64_t uid = 0;
    err_code e = cadre_path(tx, a, cadre_id, &path, &uid);
    if (e != E_OK) return e;
    if (!authz_can(p, perm, path)) return E_FORBIDDEN;
    if (uid && uid == p->user_id) return E_CADRE_OWN_FILE;
    return E_OK;
}

err_code cadre_audit(app *ap, store_tx *tx, arena *a, const principal *p, const char *action,
                     const char *kind, int64_t id, json_t *detail)
{
    return app_audit(ap, tx, a, p, action, arena_sprintf(a, "%s:%lld", kind, (long long)id),
                     detail);
}

const char *cadre_code_title(store_tx *tx, arena *a, const char *list, const char *code)
{
    static const char sql[] = "SELECT title FROM cadre_code WHERE list = ?1 AND code = ?2";
    static const char rsql[] = "SELECT title FROM cadre_response_kind WHERE code = ?1";
    int resp = strcmp(list, "response") == 0;
    sq_stmt *st = sq_prep(tx, resp ? rsql : sql);
    if (resp) sq_bind(st, "s", code);
    else sq_bind(st, "ss", list, code);
    const char *t = sq_step(st) == SQ_ROW ? sq_text(a, st, 0) : "";
    sq_reset(st);
    return t;
}

int cadre_code_listed(store_tx *tx, const char *list, const char *code)
{
    static const char sql[] = "SELECT count(*) FROM cadre_code WHERE list = ?1 AND code = ?2";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ss", list, code ? code : "");
    int64_t n = 0;
    return sq_count(tx, st, &n) == E_OK && n > 0;
}

const char *cadre_user_label(store_tx *tx, arena *a, int64_t user_id)
{
    static const char sql[] = "SELECT us.name, COALESCE(un.name, '') FROM \"user\" us LEFT JOIN"
                              " unit un ON un.id = us.unit_id WHERE us.id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind_int(st, 1, user_id);
    const char *t = user_id ? "命令行·系统管理员" : "系统";
    if (sq_step(st) == SQ_ROW)
        t = arena_sprintf(a, "%s（%s）", sq_text_peek(st, 0), sq_text_peek(st, 1));
    sq_reset(st);
    return t;
}

err_code cadre_reply_change(http_req *r, err_code e, const char *bad_field, int status,
                            json_t *body)
{
    if (e == E_NOT_FOUND && bad_field) e = E_FIELD_INVALID;
    if (e == E_OK) return http_reply(r, status, body);
    json_decref(body);
    return http_fail(r, e, bad_field);
}

err_code cadre_reply_read(http_req *r, err_code e, json_t *out)
{
    if (e == E_OK) return http_reply(r, 200, out);
    json_decref(out);
    return e;
}

cal_day cadre_today(void)
{
    return cal_local_day(clock_now());
}

err_code cadre_config_get(store_tx *tx, cadre_config *cfg)
{
    static const char sql[] = "SELECT key, value FROM cadre_setting";
    *cfg = (cadre_config){365, 180, 2000, 4000, 7000, 2, 2, 183};
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"window_days", offsetof(cadre_config, window_days)},
        {"half_life_days", offsetof(cadre_config, half_life_days)},
        {"level_blue", offsetof(cadre_config, level_blue)},
        {"level_yellow", offsetof(cadre_config, level_yellow)},
        {"level_red", offsetof(cadre_config, level_red)},
        {"count_clues", offsetof(cadre_config, count_clues)},
        {"count_sources", offsetof(cadre_config, count_sources)},
        {"count_days", offsetof(cadre_config, count_days)},
    };
    sq_stmt *st = sq_prep(tx, sql);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (strcmp(keys[i].key, sq_text_peek(st, 0)) == 0)
                *(int64_t *)((char *)cfg + keys[i].off) = sq_int(st, 1);
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

/* The weight of a code in a dimension, 1000 (neutral) when none is configured. */
static int64_t weight(store_tx *tx, const char *dim, const char *code)
{
    static const char sql[] = "SELECT weight FROM cadre_weight WHERE dim = ?1 AND code = ?2";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ss", dim, code);
    int64_t w = 1000;
    if (sq_int_or(tx, st, 1000, &w) != E_OK) return 1000;
    return w;
}

err_code cadre_warning_json(store_tx *tx, arena *a, const cadre_config *cfg, int64_t cadre_id,
                            cal_day today, json_t **out, int *level)
{
    static const char clues_sql[] =
        "SELECT id, source, category, severity, occurred_on, disposal FROM cadre_clue WHERE"
        " cadre_id = ?1 ORDER BY occurred_on, id";
    static const char resp_sql[] = "SELECT id, kind, decided_on FROM cadre_response WHERE"
                                   " cadre_id = ?1 ORDER BY decided_on, id";
    size_t cap = 16, n = 0;
    cadre_item *items = arena_alloc(a, cap * sizeof *items);
    json_t *why = json_array();
    sq_stmt *st = sq_prep(tx, clues_sql);
    sq_bind_int(st, 1, cadre_id);
    int rc;
    typedef struct {
        const char *title, *detail;
    } label;
    label *labels = arena_alloc(a, cap * sizeof *labels);
    /* collect first (the weights' statement may not run while this one steps on PG) */
    typedef struct {
        int64_t id, sev;
        const char *source, *category, *on, *disposal;
    } crow;
    crow *rows = NULL;
    size_t nr = 0, cr = 0;
    while ((rc = sq_step(st)) == SQ_ROW) {
        crow *c = sq_push(a, (void **)&rows, &nr, &cr, sizeof *c);
        *c = (crow){sq_int(st, 0), sq_int(st, 3), sq_text(a, st, 1), sq_text(a, st, 2),
                    sq_text(a, st, 4), sq_text(a, st, 5)};
    }
    sq_reset(st);
    if (rc != SQ_DONE) {
        json_decref(why);
        return (err_code)rc;
    }
    typedef struct {
        int64_t id;
        const char *kind, *on;
    } rrow;
    rrow *rr = NULL;
    size_t nrr = 0, crr = 0;
    st = sq_prep(tx, resp_sql);
    sq_bind_int(st, 1, cadre_id);
    while ((rc = sq_step(st)) == SQ_ROW) {
        rrow *x = sq_push(a, (void **)&rr, &nrr, &crr, sizeof *x);
        *x = (rrow){sq_int(st, 0), sq_text(a, st, 1), sq_text(a, st, 2)};
    }
    sq_reset(st);
    if (rc != SQ_DONE) {
        json_decref(why);
        return (err_code)rc;
    }
    size_t total = nr + nrr;
    if (total > cap) {
        items = arena_alloc(a, total * sizeof *items);
        labels = arena_alloc(a, total * sizeof *labels);
    }
    for (size_t i = 0; i < nr; i++) {
        const char *state = *rows[i].disposal ? rows[i].disposal : "received";
        int64_t ws = weight(tx, "source", rows[i].source), wc = weight(tx, "category", rows[i].category),
                wv = weight(tx, "state", state);
        int64_t base = cadre_mul(cadre_mul(ws, wc), wv) * rows[i].sev;
        cal_day d = 0;
        cal_parse(rows[i].on, &d);
        items[n] = (cadre_item){1, rows[i].id, d, base, !*rows[i].disposal, rows[i].source};
        labels[n] = (label){
            arena_sprintf(a, "线索：%s·%s", cadre_code_title(tx, a, "source", rows[i].source),
                          cadre_code_title(tx, a, "category", rows[i].category)),
            arena_sprintf(a, "来源权重%.1f×类别权重%.1f×状态权重%.1f×严重程度%lld", ws / 1000.0,
                          wc / 1000.0, wv / 1000.0, (long long)rows[i].sev)};
        n++;
    }
    for (size_t i = 0; i < nrr; i++) {
        int64_t w = weight(tx, "response", rr[i].kind);
        cal_day d = 0;
        cal_parse(rr[i].on, &d);
        items[n] = (cadre_item){0, rr[i].id, d, w, 0, ""};
        labels[n] = (label){arena_sprintf(a, "处置：%s", cadre_code_title(tx, a, "response", rr[i].kind)),
                            arena_sprintf(a, "处置权重%.1f", w / 1000.0)};
        n++;
    }
    cadre_contrib *cb = arena_alloc(a, (n + 1) * sizeof *cb);
    cadre_result res;
    cadre_score(cfg, items, n, today, cb, &res);
    for (size_t i = 0; i < n; i++) {
        if (!cb[i].counted) continue;
        char day[11];
        cal_format(items[i].day, day);
        json_array_append_new(
            why, json_pack("{ss sI ss ss ss sf sf sf}", "kind", items[i].is_clue ? "clue" : "response",
                           "id", (json_int_t)items[i].id, "date", day, "title", labels[i].title,
                           "weights", labels[i].detail, "base", items[i].base / 1000.0, "decay",
                           cb[i].decay / 1000.0, "points", cb[i].points / 1000.0));
    }
    const char *rule = "";
    if (res.count_met)
        rule = arena_sprintf(a,
                             "%lld天内有%d条未研判线索、来自%d个不同来源，达到计数规则（%lld条、%lld个来源），"
                             "预警至少为黄色%s",
                             (long long)cfg->count_days, res.count_clues, res.count_sources,
                             (long long)cfg->count_clues, (long long)cfg->count_sources,
                             res.by_count ? "（已据此提升等级）" : "");
    static const char *const advice[] = {"", "关注，必要时提醒谈话", "建议提醒谈话（须经研判确认）",
                                         "建议函询或诫勉（须经研判确认）"};
    *level = res.level;
    *out = json_pack("{sf si ss ss ss ss sb so}", "score", res.score / 1000.0, "level_num", res.level,
                     "level", cadre_level_code(res.level), "level_title", cadre_level_title(res.level),
                     "count_rule", rule, "advice", advice[res.level], "by_count", res.by_count,
                     "explanation", why);
    return E_OK;
}
