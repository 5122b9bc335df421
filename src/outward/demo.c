/*
 * demo — the outbound mechanism's part of `duban demo`: a channel administrator over the
 * county (qudao01), a 钉钉 group robot for each of the first townships and the county's SMTP
 * channel (all disabled: the demo's tokens are not real, so nothing leaves the machine until an
 * administrator fills in real ones and enables them), the e-mail and mobile of the supervisor
 * and the townships' handlers, and 催办 on a few overdue problems, so the timeline, the figures
 * and the settings page show real content.
 */
#include "outward/outward_int.h"

#include "base/clock.h"
#include "demo/demo.h"
#include "store/sq.h"

#include <string.h>

typedef struct {
    mech_demo_county *c;
    int channels;
} demo_ctx;

static void read_id(arena *a, sq_stmt *st, void *row)
{
    (void)a;
    *(int64_t *)row = sq_int(st, 0);
}

static err_code channels_fn(store_tx *tx, void *ctx)
{
    demo_ctx *d = ctx;
    mech_demo_county *c = d->c;
    int64_t now = clock_now();
    err_code e = E_OK;
    for (int i = 0; e == E_OK && i < c->ntown && i < 4; i++) {
        notify_channel ch = {.unit_id = c->towns[i].id,
                             .kind = "dingtalk",
                             .name = arena_sprintf(c->a, "%s督办工作群", c->towns[i].name),
                             .target = arena_sprintf(c->a, "demo-%s-token", c->towns[i].code),
                             .keyword = "督办",
                             .sender = "",
                             .enabled = 0};
        e = notify_channel_save(tx, &ch, "SECdemo0000000000000000000000000000000000000000000", now);
        d->channels += e == E_OK;
    }
    notify_channel mail = {.unit_id = c->root,
                           .kind = "email",
                           .name = "县委督查室邮箱",
                           .target = "smtps://smtp.example.gov.cn:465",
                           .keyword = "",
                           .sender = "duban@example.gov.cn",
                           .enabled = 0};
    if (e == E_OK) e = notify_channel_save(tx, &mail, "demo-password", now);
    d->channels += e == E_OK;
    /* contacts: the supervisor and each township's first handler */
    static const char users[] = "SELECT id FROM \"user\" WHERE login = ?";
    static const char ins[] = "INSERT INTO notify_contact(user_id, email, mobile) VALUES (?, ?, ?)"
                              " ON CONFLICT(user_id) DO NOTHING";
    for (int i = -1; e == E_OK && i < c->ntown; i++) {
        const char *login = i < 0 ? "duchayuan" : arena_sprintf(c->a, "%s01", c->towns[i].code);
        sq_stmt *st = sq_prep(tx, users);
        sq_bind(st, "s", login);
        int64_t uid = 0;
        e = sq_int_or(tx, st, 0, &uid);
        if (e != E_OK || !uid) continue;
        st = sq_prep(tx, ins);
        sq_bind(st, "iss", uid, arena_sprintf(c->a, "%s@example.gov.cn", login),
                arena_sprintf(c->a, "1390534%04d", 100 + i));
        e = sq_exec(tx, st);
    }
    return e;
}

typedef struct {
    arena *a;
    int64_t *ids;
    size_t n;
    principal *ducha;
} overdue_ctx;

static err_code overdue_fn(store_tx *tx, void *ctx)
{
    overdue_ctx *o = ctx;
    static const char sql[] = "SELECT id FROM problem WHERE overdue = 1 AND state <> 'closed'"
                              " ORDER BY id LIMIT 6";
    sq_stmt *st = sq_prep(tx, sql);
    err_code e = sq_collect(tx, o->a, st, sizeof(int64_t), read_id, (void **)&o->ids, &o->n);
    /* the problem list's supervisor, made by its demo part, urges */
    store_user u;
    if (e == E_OK) e = store_user_by_login(tx, o->a, "duchayuan", &u);
    if (e != E_OK) return e;
    *o->ducha = (principal){.user_id = u.id,
                            .unit_id = u.unit_id,
                            .login = u.login,
                            .name = u.name,
                            .unit_path = u.unit_path,
                            .ip = "demo"};
    return authz_load(tx, o->a, o->ducha);
}

err_code outward_demo(app *ap, mech_demo_county *county, FILE *out)
{
    principal admin, ducha;
    err_code e = demo_account(county, "qudao01", "孙渠道", county->depts[0].id, "notify_admin",
                              county->root, &admin);
    if (e != E_OK) return e;
    demo_ctx d = {county, 0};
    e = store_write(ap->st, channels_fn, &d);
    if (e != E_OK) return e;
    overdue_ctx o = {county->a, NULL, 0, &ducha};
    e = store_read(ap->st, overdue_fn, &o);
    if (e == E_NOT_FOUND) return E_OK; /* without the problem list's part: no 催办 */
    if (e != E_OK) return e;
    int urged = 0;
    static const char *const says[] = {
        "请于本周内报送整改进展，逾期将予以通报。",
        "该问题已逾期，请主要负责同志亲自过问，尽快整改到位。",
        "请对照整改时限抓紧落实，并及时上传佐证材料。",
    };
    for (size_t i = 0; e == E_OK && i < o.n; i++) {
        outward_urged res;
        e = outward_urge_problem(ap, county->a, &ducha, o.ids[i], says[i % 3], &res);
        urged += e == E_OK;
        if (e == E_OUTWARD_URGE_TOO_SOON || e == E_OUTWARD_ITEM_CLOSED) e = E_OK;
    }
    if (e != E_OK) return e;
    fprintf(out,
            "outward: %d channels (disabled until real tokens are set), %d 催办 on overdue "
            "problems\n  qudao01     孙渠道   通知渠道管理员 over the county (钉钉/企业微信/邮件 "
            "channels, dead letters)\n",
            d.channels, urged);
    return E_OK;
}
