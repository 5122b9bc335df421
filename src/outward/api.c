/*
 * api — the outbound mechanism's handlers: channels (secrets accepted, sealed, and never shown
 * again: the reply says only whether one is set), the test send, rules per kind, the outbox
 * with its dead letters and their retry, one's own e-mail and mobile, and 催办 with its list and
 * figures. Each change is checked against the object's unit inside its write transaction and
 * audited (without the secret).
 */
#include "outward/outward_int.h"

#include "base/clock.h"
#include "base/text.h"
#include "store/sq.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = {"dingtalk", "wecom", "email"};

static json_t *channel_json(const notify_channel *c)
{
    json_t *j =
        json_pack("{sI sI ss ss ss ss ss ss ss sb sb sI}", "id", (json_int_t)c->id, "unit_id",
                  (json_int_t)c->unit_id, "unit_name", c->unit_name, "kind", c->kind, "name",
                  c->name, "target", c->target, "keyword", c->keyword, "sender", c->sender,
                  "secret", c->has_secret ? "******" : "", "has_secret", (int)c->has_secret,
                  "enabled", (int)c->enabled, "version", (json_int_t)c->version);
    json_object_set_new(j, "created_at", api_time(c->created_at));
    return j;
}

/* ---- channels ---- */

typedef struct {
    arena *a;
    const char *scope;
    notify_channel *items;
    size_t n;
} list_ctx;

static err_code list_fn(store_tx *tx, void *ctx)
{
    list_ctx *l = ctx;
    return notify_channel_list(tx, l->a, l->scope, &l->items, &l->n);
}

err_code api_outward_channels(http_req *r)
{
    list_ctx l = {.a = http_arena(r),
                  .scope = authz_scope(http_principal(r), "notify.admin", http_arena(r))};
    err_code e = store_read(http_app(r)->st, list_fn, &l);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < l.n; i++)
        json_array_append_new(items, channel_json(&l.items[i]));
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "total", (json_int_t)l.n));
}

typedef struct {
    int64_t unit_id, enabled, version;
    const char *kind, *name, *target, *keyword, *sender, *secret;
} channel_body;

static const jfield channel_spec[] = {
    {"unit_id", JF_INT, 0, offsetof(channel_body, unit_id), 0, 1, INT64_MAX},
    {"kind", JF_STR, 0, offsetof(channel_body, kind), 20, 0, 0},
    {"name", JF_STR, 0, offsetof(channel_body, name), 50, 0, 0},
    {"target", JF_STR, 0, offsetof(channel_body, target), 300, 0, 0},
    {"keyword", JF_STR, 0, offsetof(channel_body, keyword), 20, 0, 0},
    {"sender", JF_STR, 0, offsetof(channel_body, sender), 200, 0, 0},
    {"secret", JF_STR, 0, offsetof(channel_body, secret), 300, 0, 0},
    {"enabled", JF_BOOL, 0, offsetof(channel_body, enabled), 0, 0, 0},
    {"version", JF_INT, 0, offsetof(channel_body, version), 0, 0, 0},
    JF_END,
};
enum {
    CB_UNIT,
    CB_KIND,
    CB_NAME,
    CB_TARGET,
    CB_KEYWORD,
    CB_SENDER,
    CB_SECRET,
    CB_ENABLED,
    CB_VERSION
};

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    channel_body *b;
    uint32_t present;
    notify_channel c;
    const char *bad;
} save_op;

static int has_ctrl(const char *s)
{
    for (; s && *s; s++)
        if ((unsigned char)*s < 0x20) return 1;
    return 0;
}

/* The channel as it would be saved is complete and well-formed for its kind. */
static err_code check_channel(save_op *op, int secret_set)
{
    const notify_channel *c = &op->c;
    if (!*c->name) return op->bad = "name", E_FIELD_REQUIRED;
    const char *texts[] = {c->name, c->target, c->keyword, c->sender};
    const char *names[] = {"name", "target", "keyword", "sender"};
    for (int i = 0; i < 4; i++)
        if (has_ctrl(texts[i]) || !text_valid_utf8(texts[i]))
            return op->bad = names[i], E_FIELD_INVALID;
    if (strcmp(c->kind, "dingtalk") == 0) {
        if (!*c->target) return op->bad = "target", E_FIELD_REQUIRED; /* access_token */
        if (strchr(c->target, '&') || strchr(c->target, ' '))
            return op->bad = "target", E_FIELD_INVALID;
    } else if (strcmp(c->kind, "wecom") == 0) {
        if (!secret_set) return op->bad = "secret", E_OUTWARD_NO_SECRET; /* the webhook key */
    } else {
        if (strncmp(c->target, "smtp://", 7) != 0 && strncmp(c->target, "smtps://", 8) != 0)
            return op->bad = "target", *c->target ? E_FIELD_INVALID : E_FIELD_REQUIRED;
        const char *at = strchr(c->sender, '@');
        if (!at || at == c->sender || !strchr(at, '.') || strchr(c->sender, ' ') ||
            strchr(c->sender, '<'))
            return op->bad = "sender", *c->sender ? E_FIELD_INVALID : E_FIELD_REQUIRED;
    }
    return E_OK;
}

static err_code save_fn(store_tx *tx, void *ctx)
{
    save_op *op = ctx;
    channel_body *b = op->b;
    int creating = op->c.id == 0;
    if (creating) {
        store_unit u;
        err_code e = store_unit_get(tx, op->a, b->unit_id, &u);
        if (e == E_NOT_FOUND) return op->bad = "unit_id", E_FIELD_INVALID;
        if (e != E_OK) return e;
        if (!authz_can(op->p, "notify.admin", u.path)) return E_FORBIDDEN;
        op->c.unit_id = u.id;
        op->c.unit_path = u.path;
        op->c.enabled = 1;
    } else {
        int64_t id = op->c.id;
        err_code e = notify_channel_get(tx, op->a, id, &op->c);
        if (e != E_OK) return e;
        if (!authz_can(op->p, "notify.admin", op->c.unit_path)) return E_FORBIDDEN;
        if (op->c.version != b->version) return E_CONFLICT;
    }
    if (op->present & (1u << CB_NAME)) op->c.name = b->name;
    if (op->present & (1u << CB_TARGET)) op->c.target = b->target;
    if (op->present & (1u << CB_KEYWORD)) op->c.keyword = b->keyword;
    if (op->present & (1u << CB_SENDER)) op->c.sender = b->sender;
    if (op->present & (1u << CB_ENABLED)) op->c.enabled = b->enabled;
    if (!op->c.name) op->c.name = "";
    if (!op->c.target) op->c.target = "";
    if (!op->c.keyword) op->c.keyword = "";
    if (!op->c.sender) op->c.sender = "";
    const char *secret = (op->present & (1u << CB_SECRET)) ? b->secret : NULL;
    int secret_set = secret ? *secret != 0 : (int)op->c.has_secret;
    err_code e = check_channel(op, secret_set);
    if (e == E_OK) e = notify_channel_save(tx, &op->c, secret, clock_now());
    if (e == E_DUPLICATE) op->bad = "kind";
    if (e != E_OK) return e;
    e = notify_channel_get(tx, op->a, op->c.id, &op->c);
    if (e != E_OK) return e;
    /* the audit record names what changed, never the secret itself */
    return app_audit(op->ap, tx, op->a, op->p,
                     creating ? "notify.channel.create" : "notify.channel.update",
                     arena_sprintf(op->a, "notify_channel:%lld", (long long)op->c.id),
                     json_pack("{sI ss ss sb sb}", "unit_id", (json_int_t)op->c.unit_id, "kind",
                               op->c.kind, "name", op->c.name, "secret_changed", secret != NULL,
                               "enabled", (int)op->c.enabled));
}

static err_code save(http_req *r, int64_t id)
{
    channel_body b = {0};
    uint32_t present = 0;
    err_code e = http_parse(r, channel_spec, &b, &present);
    if (e != E_OK) return e;
    save_op op = {http_app(r), http_arena(r), http_principal(r), &b, present, {.id = id}, NULL};
    if (!id) {
        if (!(present & (1u << CB_UNIT))) return http_fail(r, E_FIELD_REQUIRED, "unit_id");
        if (!b.kind) return http_fail(r, E_FIELD_REQUIRED, "kind");
        int known = 0;
        for (size_t i = 0; i < 3; i++)
            known |= strcmp(kinds[i], b.kind) == 0;
        if (!known) return http_fail(r, E_FIELD_INVALID, "kind");
        op.c.kind = b.kind;
    } else {
        if (present & ((1u << CB_UNIT) | (1u << CB_KIND)))
            return http_fail(r, E_FIELD_UNKNOWN, present & (1u << CB_UNIT) ? "unit_id" : "kind");
        if (!(present & (1u << CB_VERSION))) return http_fail(r, E_FIELD_REQUIRED, "version");
    }
    e = store_write(http_app(r)->st, save_fn, &op);
    if (e != E_OK) return http_fail(r, e, op.bad);
    return http_reply(r, id ? 200 : 201, channel_json(&op.c));
}

err_code api_outward_channel_create(http_req *r)
{
    return save(r, 0);
}

err_code api_outward_channel_update(http_req *r)
{
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    return e == E_OK ? save(r, id) : e;
}

/* ---- the test send: now, outside the outbox, with the platform's answer ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    notify_channel c;
    const char *email;
    const char *error; /* NULL: sent */
} test_op;

static void read_email(arena *a, sq_stmt *st, void *row)
{
    *(const char **)row = sq_text(a, st, 0);
}

static err_code test_load_fn(store_tx *tx, void *ctx)
{
    test_op *op = ctx;
    err_code e = notify_channel_get(tx, op->a, op->id, &op->c);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "notify.admin", op->c.unit_path)) return E_NOT_FOUND;
    static const char sql[] = "SELECT email FROM notify_contact WHERE user_id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", op->p->user_id);
    op->email = "";
    e = sq_one(tx, op->a, st, read_email, &op->email);
    return e == E_NOT_FOUND ? E_OK : e;
}

static err_code test_audit_fn(store_tx *tx, void *ctx)
{
    test_op *op = ctx;
    return app_audit(
        op->ap, tx, op->a, op->p, "notify.channel.test",
        arena_sprintf(op->a, "notify_channel:%lld", (long long)op->id),
        json_pack("{sb ss}", "ok", op->error == NULL, "error", op->error ? op->error : ""));
}

err_code api_outward_channel_test(http_req *r)
{
    test_op op = {http_app(r), http_arena(r), http_principal(r), 0, {0}, "", NULL};
    err_code e = http_param_id(r, "id", &op.id);
    if (e == E_OK) e = store_read(op.ap->st, test_load_fn, &op);
    if (e != E_OK) return e;
    if (strcmp(op.c.kind, "email") == 0 && !*op.email)
        return http_fail(r, E_FIELD_REQUIRED, "email"); /* the tester's own address */
    int64_t now = clock_now();
    const char *body = arena_sprintf(
        op.a,
        "#### "
        "【督办提醒】渠道测试\n\n**渠道：**%s（%s）\n\n这是一条测试消息，收到即表示配置正确。\n\n> "
        "督办平台",
        op.c.name, op.c.unit_name);
    if (*op.c.keyword && !strstr(body, op.c.keyword))
        body = arena_sprintf(op.a, "%s\n\n%s", body, op.c.keyword);
    notify_message m = {.dedupe =
                            arena_sprintf(op.a, "test:%lld:%lld", (long long)op.id, (long long)now),
                        .title = "督办平台渠道测试",
                        .body = body,
                        .recipient = op.email,
                        .mention = ""};
    char err[512] = "";
    e = notify_send(&op.c, &m, err, sizeof err);
    if (e != E_OK) op.error = arena_strdup(op.a, err);
    err_code ae = store_write(op.ap->st, test_audit_fn, &op);
    if (ae != E_OK) return ae;
    if (op.error) {
        http_set_message(r, arena_sprintf(op.a, "测试消息发送失败：%s", op.error));
        return http_fail(r, E_OUTWARD_SEND_FAILED, "target");
    }
    return http_reply(r, 200, json_pack("{sb ss}", "ok", 1, "message_id", m.dedupe));
}

/* ---- rules ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t unit_id;
    store_unit u;
    notify_rule *rows;
    size_t n;
    notify_rule set;
} rules_op;

static err_code rules_fn(store_tx *tx, void *ctx)
{
    rules_op *op = ctx;
    err_code e = store_unit_get(tx, op->a, op->unit_id, &op->u);
    if (e == E_NOT_FOUND) return E_BAD_QUERY;
    if (e != E_OK) return e;
    if (!authz_can(op->p, "notify.admin", op->u.path)) return E_FORBIDDEN;
    size_t nd = 0;
    while (notify_default_rules[nd].kind)
        nd++;
    op->rows = arena_alloc(op->a, nd * sizeof *op->rows);
    op->n = nd;
    for (size_t i = 0; e == E_OK && i < nd; i++)
        e = notify_rule_for(tx, op->a, notify_default_rules[i].kind, op->u.path, &op->rows[i]);
    return e;
}

static const char *const kind_titles[][2] = {
    {"problem.overdue", "问题逾期"},
    {"problem.escalate", "逾期上报上级"},
    {"problem.urge", "催办"},
    {"problem.remind", "即将到期"},
    {"problem.unsigned", "未按时签收"},
    {"problem.staged", "未报送阶段性成效"},
    {"problem.lookback", "回头看任务"},
    {"feedback.feedback_overdue", "列席旁听反馈逾期"},
    {"branch.branch_noncompliant", "未落实三定一分享"},
    {"budget.budget_review", "预算项目待审"},
    {"budget.budget_returned", "预算项目退回"},
    {"budget.budget_approved", "预算项目已批复"},
    {"liaison.overdue", "走访逾期"},
    {"liaison.remind", "走访提醒"},
};

static const char *kind_title(const char *k)
{
    for (size_t i = 0; i < sizeof kind_titles / sizeof kind_titles[0]; i++)
        if (strcmp(kind_titles[i][0], k) == 0) return kind_titles[i][1];
    return k;
}

static json_t *rule_json(const notify_rule *x)
{
    return json_pack("{ss ss sb sb ss sb}", "kind", x->kind, "title", kind_title(x->kind), "robot",
                     x->robot, "email", x->email, "mode", x->mode, "urgent", x->urgent);
}

err_code api_outward_rules(http_req *r)
{
    rules_op op = {.ap = http_app(r), .a = http_arena(r), .p = http_principal(r)};
    err_code e = http_query_id(r, "unit_id", &op.unit_id);
    if (e != E_OK) return e;
    if (!op.unit_id) return http_fail(r, E_BAD_QUERY, "unit_id");
    e = store_read(op.ap->st, rules_fn, &op);
    if (e == E_BAD_QUERY) return http_fail(r, e, "unit_id");
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < op.n; i++)
        json_array_append_new(items, rule_json(&op.rows[i]));
    return http_reply(r, 200,
                      json_pack("{sI so}", "unit_id", (json_int_t)op.unit_id, "items", items));
}

static err_code rule_set_fn(store_tx *tx, void *ctx)
{
    rules_op *op = ctx;
    err_code e = store_unit_get(tx, op->a, op->unit_id, &op->u);
    if (e == E_NOT_FOUND) return E_FIELD_INVALID;
    if (e != E_OK) return e;
    if (!authz_can(op->p, "notify.admin", op->u.path)) return E_FORBIDDEN;
    e = notify_rule_set(tx, op->u.id, &op->set);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "notify.rule.set",
                     arena_sprintf(op->a, "unit:%lld", (long long)op->u.id), rule_json(&op->set));
}

err_code api_outward_rule_set(http_req *r)
{
    typedef struct {
        int64_t unit_id, robot, email, urgent;
        const char *kind, *mode;
    } body;
    static const jfield spec[] = {
        {"unit_id", JF_INT, 1, offsetof(body, unit_id), 0, 1, INT64_MAX},
        {"kind", JF_STR, 1, offsetof(body, kind), 60, 0, 0},
        {"robot", JF_BOOL, 1, offsetof(body, robot), 0, 0, 0},
        {"email", JF_BOOL, 1, offsetof(body, email), 0, 0, 0},
        {"mode", JF_STR, 1, offsetof(body, mode), 10, 0, 0},
        {"urgent", JF_BOOL, 0, offsetof(body, urgent), 0, 0, 0},
        JF_END,
    };
    body b = {0};
    uint32_t present;
    err_code e = http_parse(r, spec, &b, &present);
    if (e != E_OK) return e;
    int known = 0;
    for (const notify_rule *d = notify_default_rules; d->kind; d++)
        known |= strcmp(d->kind, b.kind) == 0;
    if (!known) return http_fail(r, E_FIELD_INVALID, "kind");
    if (strcmp(b.mode, "now") && strcmp(b.mode, "digest") && strcmp(b.mode, "off"))
        return http_fail(r, E_FIELD_INVALID, "mode");
    rules_op op = {
        .ap = http_app(r), .a = http_arena(r), .p = http_principal(r), .unit_id = b.unit_id};
    op.set = (notify_rule){b.kind, (int)b.robot, (int)b.email, (int)b.urgent, b.mode};
    e = store_write(op.ap->st, rule_set_fn, &op);
    if (e != E_OK) return http_fail(r, e, e == E_FIELD_INVALID ? "unit_id" : NULL);
    return http_reply(r, 200, rule_json(&op.set));
}

/* ---- the outbox and its dead letters ---- */

typedef struct {
    arena *a;
    const char *scope, *state;
    int64_t limit, offset, total;
    notify_outbox_row *items;
    size_t n;
} outbox_ctx;

static err_code outbox_fn(store_tx *tx, void *ctx)
{
    outbox_ctx *o = ctx;
    return notify_outbox_list(tx, o->a, o->scope, o->state, o->limit, o->offset, &o->items, &o->n,
                              &o->total);
}

err_code api_outward_outbox(http_req *r)
{
    static const char *const states[] = {"held", "pending", "sending", "sent", "dead", "merged"};
    outbox_ctx o = {.a = http_arena(r)};
    int st = -1;
    err_code e = http_query_choice(r, "state", states, 6, -1, &st);
    if (e == E_OK) e = api_list_page(r, 50, &o.limit, &o.offset);
    if (e != E_OK) return e;
    o.state = st >= 0 ? states[st] : NULL;
    o.scope = authz_scope(http_principal(r), "notify.admin", o.a);
    e = store_read(http_app(r)->st, outbox_fn, &o);
    if (e != E_OK) return e;
    json_t *items = json_array();
    for (size_t i = 0; i < o.n; i++) {
        const notify_outbox_row *x = &o.items[i];
        json_t *j = json_pack("{sI sI ss ss ss ss ss ss sI ss ss ss}", "id", (json_int_t)x->id,
                              "channel_id", (json_int_t)x->channel_id, "channel_name",
                              x->channel_name, "channel_kind", x->channel_kind, "unit_name",
                              x->unit_name, "dedupe", x->dedupe, "recipient", x->recipient, "title",
                              x->title, "attempts", (json_int_t)x->attempts, "state", x->state,
                              "last_error", x->last_error, "source", x->source);
        json_object_set_new(j, "created_at", api_time(x->created_at));
        json_object_set_new(j, "next_at", api_time(x->next_at));
        json_object_set_new(j, "sent_at", api_time(x->sent_at));
        json_array_append_new(items, j);
    }
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "total", (json_int_t)o.total));
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
} retry_op;

static err_code retry_fn(store_tx *tx, void *ctx)
{
    retry_op *op = ctx;
    int64_t channel_id = 0;
    err_code e = notify_outbox_retry(tx, op->id, clock_now(), &channel_id);
    if (e != E_OK) return e;
    notify_channel c;
    e = notify_channel_get(tx, op->a, channel_id, &c);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "notify.admin", c.unit_path)) return E_NOT_FOUND; /* rolled back */
    return app_audit(op->ap, tx, op->a, op->p, "notify.outbox.retry",
                     arena_sprintf(op->a, "outbox:%lld", (long long)op->id), NULL);
}

err_code api_outward_outbox_retry(http_req *r)
{
    retry_op op = {http_app(r), http_arena(r), http_principal(r), 0};
    err_code e = http_param_id(r, "id", &op.id);
    if (e == E_OK) e = store_write(op.ap->st, retry_fn, &op);
    if (e != E_OK) return e;
    return http_reply(r, 200, json_pack("{sI ss}", "id", (json_int_t)op.id, "state", "pending"));
}

/* ---- one's own addresses ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const char *contact[2];
} contact_op;

static void read_contact(arena *a, sq_stmt *st, void *row)
{
    const char **c = row;
    c[0] = sq_text(a, st, 0);
    c[1] = sq_text(a, st, 1);
}

static err_code contact_get_fn(store_tx *tx, void *ctx)
{
    contact_op *op = ctx;
    static const char sql[] = "SELECT email, mobile FROM notify_contact WHERE user_id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", op->p->user_id);
    op->contact[0] = op->contact[1] = "";
    err_code e = sq_one(tx, op->a, st, read_contact, op->contact);
    return e == E_NOT_FOUND ? E_OK : e;
}

err_code api_outward_contact_get(http_req *r)
{
    contact_op op = {http_app(r), http_arena(r), http_principal(r), {"", ""}};
    err_code e = store_read(op.ap->st, contact_get_fn, &op);
    if (e != E_OK) return e;
    return http_reply(r, 200,
                      json_pack("{ss ss}", "email", op.contact[0], "mobile", op.contact[1]));
}

static err_code contact_set_fn(store_tx *tx, void *ctx)
{
    contact_op *op = ctx;
    static const char sql[] =
        "INSERT INTO notify_contact(user_id, email, mobile) VALUES (?, ?, ?)"
        " ON CONFLICT(user_id) DO UPDATE SET email = excluded.email, mobile = excluded.mobile";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iss", op->p->user_id, op->contact[0], op->contact[1]);
    err_code e = sq_exec(tx, st);
    if (e != E_OK) return e;
    return app_audit(op->ap, tx, op->a, op->p, "notify.contact.set",
                     arena_sprintf(op->a, "user:%lld", (long long)op->p->user_id), NULL);
}

err_code api_outward_contact_set(http_req *r)
{
    typedef struct {
        const char *email, *mobile;
    } body;
    static const jfield spec[] = {
        {"email", JF_STR, 0, offsetof(body, email), 200, 0, 0},
        {"mobile", JF_STR, 0, offsetof(body, mobile), 20, 0, 0},
        JF_END,
    };
    body b = {0};
    uint32_t present;
    err_code e = http_parse(r, spec, &b, &present);
    if (e != E_OK) return e;
    if (!http_principal(r)->user_id) return E_FORBIDDEN;
    const char *email = b.email ? b.email : "", *mobile = b.mobile ? b.mobile : "";
    if (*email) {
        const char *at = strchr(email, '@');
        if (!at || at == email || !strchr(at, '.') || strpbrk(email, " <>,;\r\n\t"))
            return http_fail(r, E_FIELD_INVALID, "email");
    }
    if (*mobile) {
        size_t n = strlen(mobile);
        int ok = n == 11 && mobile[0] == '1';
        for (size_t i = 0; ok && i < n; i++)
            ok = mobile[i] >= '0' && mobile[i] <= '9';
        if (!ok) return http_fail(r, E_FIELD_INVALID, "mobile");
    }
    contact_op op = {http_app(r), http_arena(r), http_principal(r), {email, mobile}};
    e = store_write(op.ap->st, contact_set_fn, &op);
    if (e != E_OK) return e;
    return http_reply(r, 200, json_pack("{ss ss}", "email", email, "mobile", mobile));
}

/* ---- 催办 ---- */

err_code api_outward_urge(http_req *r)
{
    typedef struct {
        const char *message;
    } body;
    static const jfield spec[] = {
        {"message", JF_STR, 1, offsetof(body, message), 500, 0, 0},
        JF_END,
    };
    int64_t id;
    err_code e = http_param_id(r, "id", &id);
    if (e != E_OK) return e;
    body b = {0};
    uint32_t present;
    e = http_parse(r, spec, &b, &present);
    if (e != E_OK) return e;
    if (has_ctrl(b.message) && !strchr(b.message, '\n'))
        return http_fail(r, E_FIELD_INVALID, "message");
    outward_urged out;
    e = outward_urge_problem(http_app(r), http_arena(r), http_principal(r), id, b.message, &out);
    if (e == E_OUTWARD_URGE_TOO_SOON) {
        char when[40];
        int64_t local = out.next_allowed + 8 * 3600;
        cal_day d = cal_local_day(out.next_allowed);
        char day[11];
        cal_format(d, day);
        int m = (int)(((local % 86400) + 86400) % 86400 / 60);
        snprintf(when, sizeof when, "%s %02d:%02d", day, m / 60, m % 60);
        http_set_message(r,
                         arena_sprintf(http_arena(r), "该问题刚催办过，%s 后方可再次催办", when));
        return http_fail(r, e, "message");
    }
    if (e != E_OK) return e;
    return http_reply(
        r, 201, json_pack("{sI sI}", "id", (json_int_t)out.id, "urged", (json_int_t)out.count));
}

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    json_t *items;
    int64_t last;
} urges_op;

static err_code urges_fn(store_tx *tx, void *ctx)
{
    urges_op *op = ctx;
    store_problem pr;
    err_code e = store_problem_get(tx, op->a, op->id, &pr);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "problem.read", pr.unit_path)) return E_NOT_FOUND;
    static const char sql[] = "SELECT id, user_id, message, at FROM notify_urge"
                              " WHERE flow = 'problem' AND item_id = ? ORDER BY at, id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", op->id);
    api_people *pp = api_people_new(op->a);
    op->items = json_array();
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        int64_t uid = sq_int(st, 1), at = sq_int(st, 3);
        json_t *j = json_pack("{sI so}", "id", (json_int_t)sq_int(st, 0), "message",
                              jsonx_text(sq_text_peek(st, 2)));
        json_object_set_new(j, "at", api_time(at));
        json_object_set_new(j, "by", api_actor_json(tx, pp, uid, ""));
        json_array_append_new(op->items, j);
        op->last = at;
    }
    sq_reset(st);
    api_people_free(pp);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

err_code api_outward_urges(http_req *r)
{
    urges_op op = {http_app(r), http_arena(r), http_principal(r), 0, NULL, 0};
    err_code e = http_param_id(r, "id", &op.id);
    if (e == E_OK) e = store_read(op.ap->st, urges_fn, &op);
    if (e != E_OK) {
        json_decref(op.items);
        return e;
    }
    int64_t next = op.last ? op.last + notify_config()->urge_interval : 0;
    json_t *body =
        json_pack("{so sI}", "items", op.items, "urged", (json_int_t)json_array_size(op.items));
    json_object_set_new(body, "next_allowed_at", next > clock_now() ? api_time(next) : json_null());
    return http_reply(r, 200, body);
}

typedef struct {
    arena *a;
    const char *scope;
    json_t *items;
} stats_op;

static err_code stats_fn(store_tx *tx, void *ctx)
{
    stats_op *op = ctx;
    static const char all[] =
        "SELECT u.id, u.name, count(*), count(DISTINCT g.item_id) FROM notify_urge g"
        " JOIN unit u ON u.id = g.unit_id GROUP BY u.id, u.name ORDER BY count(*) DESC, u.id";
    static const char scoped[] =
        "SELECT u.id, u.name, count(*), count(DISTINCT g.item_id) FROM notify_urge g"
        " JOIN unit u ON u.id = g.unit_id WHERE {in_scope u.path}"
        " GROUP BY u.id, u.name ORDER BY count(*) DESC, u.id";
    sq_stmt *st = sq_prep(tx, op->scope ? scoped : all);
    if (op->scope) sq_bind(st, "s", op->scope);
    op->items = json_array();
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW)
        json_array_append_new(
            op->items, json_pack("{sI so sI sI}", "unit_id", (json_int_t)sq_int(st, 0), "unit_name",
                                 jsonx_text(sq_text_peek(st, 1)), "urged",
                                 (json_int_t)sq_int(st, 2), "problems", (json_int_t)sq_int(st, 3)));
    sq_reset(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

err_code api_outward_urge_stats(http_req *r)
{
    stats_op op = {http_arena(r), authz_scope(http_principal(r), "problem.read", http_arena(r)),
                   NULL};
    err_code e = store_read(http_app(r)->st, stats_fn, &op);
    if (e != E_OK) {
        json_decref(op.items);
        return e;
    }
    int64_t total = 0;
    size_t i;
    json_t *v;
    json_array_foreach(op.items, i, v) total += json_integer_value(json_object_get(v, "urged"));
    return http_reply(r, 200, json_pack("{so sI}", "items", op.items, "urged", (json_int_t)total));
}
