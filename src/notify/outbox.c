/*
 * outbox — the SQL of channels, rules and the outbox, the digest, and the sending loop: claim a
 * due row under a lease (one portable UPDATE whose WHERE re-checks the row, so two instances on
 * PostgreSQL never hold the same row), keep to the robot's rate, send outside any transaction,
 * record the outcome (sent; retry with exponential backoff; dead letter with the platform's
 * error). A row whose sender died mid-send is claimed again when its lease runs out.
 */
#include "notify/notify.h"

#include "base/log.h"
#include "store/sq.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- channels ---- */

#define CHANNEL_COLS                                                                               \
    "c.id, c.unit_id, c.enabled, c.created_at, c.version, c.kind, c.name, c.target, c.keyword,"    \
    " c.sender, u.name, u.path, c.secret"

static void read_channel(arena *a, sq_stmt *st, void *row)
{
    notify_channel *c = row;
    c->id = sq_int(st, 0);
    c->unit_id = sq_int(st, 1);
    c->enabled = sq_int(st, 2);
    c->created_at = sq_int(st, 3);
    c->version = sq_int(st, 4);
    c->kind = sq_text(a, st, 5);
    c->name = sq_text(a, st, 6);
    c->target = sq_text(a, st, 7);
    c->keyword = sq_text(a, st, 8);
    c->sender = sq_text(a, st, 9);
    c->unit_name = sq_text(a, st, 10);
    c->unit_path = sq_text(a, st, 11);
    size_t n = 0;
    const void *b = sq_blob(st, 12, &n);
    c->has_secret = b && n > 0;
    if (c->has_secret) {
        unsigned char *copy = arena_alloc(a, n);
        memcpy(copy, b, n);
        c->secret = copy;
        c->secret_len = n;
    }
}

err_code notify_channel_list(store_tx *tx, arena *a, const char *scope, notify_channel **out,
                             size_t *n)
{
    static const char all[] = "SELECT " CHANNEL_COLS " FROM notify_channel c JOIN unit u ON"
                              " u.id = c.unit_id ORDER BY u.path, c.kind";
    static const char scoped[] =
        "SELECT " CHANNEL_COLS " FROM notify_channel c JOIN unit u ON"
        " u.id = c.unit_id WHERE {in_scope u.path} ORDER BY u.path, c.kind";
    sq_stmt *st = sq_prep(tx, scope ? scoped : all);
    if (scope) sq_bind(st, "s", scope);
    return sq_collect(tx, a, st, sizeof(notify_channel), read_channel, (void **)out, n);
}

err_code notify_channel_get(store_tx *tx, arena *a, int64_t id, notify_channel *out)
{
    static const char sql[] = "SELECT " CHANNEL_COLS " FROM notify_channel c JOIN unit u ON"
                              " u.id = c.unit_id WHERE c.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_channel, out);
}

err_code notify_channel_save(store_tx *tx, notify_channel *c, const char *secret, int64_t now)
{
    unsigned char *sealed = NULL;
    size_t n = 0;
    if (secret && *secret) sealed = notify_seal(secret, &n);
    err_code e;
    if (!c->id) {
        static const char sql[] =
            "INSERT INTO notify_channel(unit_id, kind, name, target, keyword, sender, secret,"
            " enabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?){returning_id}";
        sq_stmt *st = sq_prep(tx, sql);
        sq_bind(st, "isssss", c->unit_id, c->kind, c->name, c->target, c->keyword, c->sender);
        if (sealed)
            sq_bind_blob(st, 7, sealed, n);
        else
            sq_bind_null(st, 7);
        sq_bind_int(st, 8, c->enabled);
        sq_bind_int(st, 9, now);
        e = sq_insert(tx, st, &c->id);
        c->version = 1;
    } else {
        static const char sql[] =
            "UPDATE notify_channel SET name = ?1, target = ?2, keyword = ?3, sender = ?4,"
            " enabled = ?5, secret = CASE WHEN ?6 = 1 THEN ?7 ELSE secret END,"
            " version = version + 1 WHERE id = ?8 AND version = ?9";
        sq_stmt *st = sq_prep(tx, sql);
        sq_bind(st, "ssssii", c->name, c->target, c->keyword, c->sender, c->enabled,
                (int64_t)(secret != NULL));
        if (sealed)
            sq_bind_blob(st, 7, sealed, n);
        else
            sq_bind_null(st, 7);
        sq_bind_int(st, 8, c->id);
        sq_bind_int(st, 9, c->version);
        e = sq_versioned(tx, st, &c->version);
    }
    if (sealed) {
        sodium_memzero(sealed, n);
        free(sealed);
    }
    return e;
}

/* ---- rules ---- */

const notify_rule notify_default_rules[] = {
    {"problem.overdue", 1, 1, 1, "now"},
    {"problem.escalate", 1, 0, 1, "now"},
    {"problem.urge", 1, 1, 1, "now"},
    {"problem.remind", 1, 0, 0, "digest"},
    {"problem.unsigned", 1, 0, 0, "now"},
    {"problem.staged", 1, 0, 0, "digest"},
    {"problem.lookback", 0, 1, 0, "digest"},
    {"feedback.feedback_overdue", 1, 0, 0, "now"},
    {"branch.branch_noncompliant", 1, 0, 0, "digest"},
    {"budget.budget_review", 0, 1, 0, "now"},
    {"budget.budget_returned", 0, 1, 0, "now"},
    {"budget.budget_approved", 0, 1, 0, "digest"},
    {"liaison.overdue", 1, 0, 0, "now"},
    {"liaison.remind", 0, 1, 0, "digest"},
    {NULL, 0, 0, 0, NULL},
};

static void read_rule(arena *a, sq_stmt *st, void *row)
{
    notify_rule *r = row;
    r->kind = sq_text(a, st, 0);
    r->robot = (int)sq_int(st, 1);
    r->email = (int)sq_int(st, 2);
    r->mode = sq_text(a, st, 3);
    r->urgent = (int)sq_int(st, 4);
}

err_code notify_rule_for(store_tx *tx, arena *a, const char *kind, const char *unit_path,
                         notify_rule *out)
{
    static const char sql[] =
        "SELECT r.kind, r.robot, r.email, r.mode, r.urgent FROM notify_rule r JOIN unit u ON"
        " u.id = r.unit_id WHERE r.kind = ?1 AND {instr ?2, u.path} = 1"
        " ORDER BY length(u.path) DESC LIMIT 1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ss", kind, unit_path);
    err_code e = sq_one(tx, a, st, read_rule, out);
    if (e != E_NOT_FOUND) return e;
    for (const notify_rule *d = notify_default_rules; d->kind; d++)
        if (strcmp(d->kind, kind) == 0) {
            *out = *d;
            return E_OK;
        }
    /* a kind added later: to the robot at once, not urgent */
    *out = (notify_rule){kind, 1, 0, 0, "now"};
    return E_OK;
}

err_code notify_rule_set(store_tx *tx, int64_t unit_id, const notify_rule *r)
{
    static const char sql[] =
        "INSERT INTO notify_rule(unit_id, kind, robot, email, mode, urgent) VALUES"
        " (?, ?, ?, ?, ?, ?) ON CONFLICT(unit_id, kind) DO UPDATE SET robot = excluded.robot,"
        " email = excluded.email, mode = excluded.mode, urgent = excluded.urgent";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isiisi", unit_id, r->kind, (int64_t)r->robot, (int64_t)r->email, r->mode,
            (int64_t)r->urgent);
    return sq_exec(tx, st);
}

err_code notify_rule_list(store_tx *tx, arena *a, int64_t unit_id, notify_rule **out, size_t *n)
{
    static const char sql[] = "SELECT kind, robot, email, mode, urgent FROM notify_rule"
                              " WHERE unit_id = ? ORDER BY kind";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", unit_id);
    return sq_collect(tx, a, st, sizeof(notify_rule), read_rule, (void **)out, n);
}

/* ---- the outbox as the administrator sees it ---- */

static void read_outbox(arena *a, sq_stmt *st, void *row)
{
    notify_outbox_row *o = row;
    o->id = sq_int(st, 0);
    o->channel_id = sq_int(st, 1);
    o->attempts = sq_int(st, 2);
    o->next_at = sq_int(st, 3);
    o->created_at = sq_int(st, 4);
    o->sent_at = sq_int(st, 5);
    o->dedupe = sq_text(a, st, 6);
    o->recipient = sq_text(a, st, 7);
    o->title = sq_text(a, st, 8);
    o->state = sq_text(a, st, 9);
    o->last_error = sq_text(a, st, 10);
    o->source = sq_text(a, st, 11);
    o->channel_name = sq_text(a, st, 12);
    o->channel_kind = sq_text(a, st, 13);
    o->unit_name = sq_text(a, st, 14);
}

err_code notify_outbox_list(store_tx *tx, arena *a, const char *scope, const char *state,
                            int64_t limit, int64_t offset, notify_outbox_row **out, size_t *n,
                            int64_t *total)
{
    static const char count_sql[] =
        "SELECT count(*) FROM outbox o JOIN notify_channel c ON c.id = o.channel_id"
        " JOIN unit u ON u.id = c.unit_id WHERE (?2 IS NULL OR o.state = ?2)"
        " AND (?1 IS NULL OR {in_scope u.path})";
    static const char sql[] =
        "SELECT o.id, o.channel_id, o.attempts, o.next_at, o.created_at, o.sent_at, o.dedupe,"
        " o.recipient, o.title, o.state, o.last_error, o.source, c.name, c.kind, u.name"
        " FROM outbox o JOIN notify_channel c ON c.id = o.channel_id"
        " JOIN unit u ON u.id = c.unit_id WHERE (?2 IS NULL OR o.state = ?2)"
        " AND (?1 IS NULL OR {in_scope u.path}) ORDER BY o.id DESC LIMIT ?3 OFFSET ?4";
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "ss", scope, state);
    err_code e = sq_count(tx, st, total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "ssii", scope, state, limit, offset);
    return sq_collect(tx, a, st, sizeof(notify_outbox_row), read_outbox, (void **)out, n);
}

err_code notify_outbox_retry(store_tx *tx, int64_t id, int64_t now, int64_t *channel_id)
{
    static const char get[] = "SELECT channel_id FROM outbox WHERE id = ? AND state = 'dead'";
    sq_stmt *st = sq_prep(tx, get);
    sq_bind(st, "i", id);
    err_code e = sq_int_or(tx, st, 0, channel_id);
    if (e != E_OK) return e;
    if (!*channel_id) return E_NOT_FOUND;
    static const char sql[] = "UPDATE outbox SET state = 'pending', attempts = 0, next_at = ?1,"
                              " lease_until = 0, lease_owner = '' WHERE id = ?2 AND state = 'dead'";
    st = sq_prep(tx, sql);
    sq_bind(st, "ii", now, id);
    return sq_exec_some(tx, st, E_NOT_FOUND);
}

/* ---- the digest ---- */

typedef struct {
    int64_t id, channel_id;
    const char *recipient, *title, *source, *kind, *keyword;
} held_row;

static void read_held(arena *a, sq_stmt *st, void *row)
{
    held_row *h = row;
    h->id = sq_int(st, 0);
    h->channel_id = sq_int(st, 1);
    h->recipient = sq_text(a, st, 2);
    h->title = sq_text(a, st, 3);
    h->source = sq_text(a, st, 4);
    h->kind = sq_text(a, st, 5);
    h->keyword = sq_text(a, st, 6);
}

/* The UI path of a source "problem:12" (the digest lists links). */
static const char *source_path(arena *a, const char *source)
{
    if (strncmp(source, "problem:", 8) == 0) return arena_sprintf(a, "/problems/%s", source + 8);
    return "/notifications";
}

err_code notify_digest(store_tx *tx, arena *a, int64_t now, int *made)
{
    *made = 0;
    /* Due on a working day from the digest time on; held rows wait for their morning. */
    if (!notify_digest_due(now)) return E_OK;
    char day[11];
    cal_format(cal_local_day(now), day);
    static const char sql[] =
        "SELECT o.id, o.channel_id, o.recipient, o.title, o.source, c.kind, c.keyword"
        " FROM outbox o JOIN notify_channel c ON c.id = o.channel_id"
        " WHERE o.state = 'held' AND o.next_at <= ?1 ORDER BY o.channel_id, o.recipient, o.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", now);
    held_row *hs;
    size_t n;
    err_code e = sq_collect(tx, a, st, sizeof(held_row), read_held, (void **)&hs, &n);
    const config *cfg = notify_config();
    for (size_t i = 0; e == E_OK && i < n;) {
        size_t j = i;
        while (j < n && hs[j].channel_id == hs[i].channel_id &&
               strcmp(hs[j].recipient, hs[i].recipient) == 0)
            j++;
        const char *body =
            arena_sprintf(a, "#### 【督办提醒】每日汇总（%s，共 %zu 项）\n\n", day, j - i);
        for (size_t k = i; k < j; k++)
            body =
                arena_sprintf(a, "%s%zu. [%s](%s%s)\n", body, k - i + 1, hs[k].title,
                              cfg->public_url ? cfg->public_url : "", source_path(a, hs[k].source));
        body = arena_sprintf(a, "%s\n> 督办平台 · 请及时办理", body);
        if (*hs[i].keyword && !strstr(body, hs[i].keyword))
            body = arena_sprintf(a, "%s\n\n%s", body, hs[i].keyword);
        notify_message m = {.dedupe = arena_sprintf(a, "digest:%lld:%s:%s:%lld",
                                                    (long long)hs[i].channel_id, day,
                                                    hs[i].recipient, (long long)hs[i].id),
                            .title = arena_sprintf(a, "督办每日汇总（%s）", day),
                            .body = body,
                            .recipient = hs[i].recipient,
                            .mention = ""};
        int added;
        e = notify_enqueue(tx, hs[i].channel_id, &m, "digest", now, &added);
        *made += added;
        static const char merge[] = "UPDATE outbox SET state = 'merged' WHERE id = ?";
        for (size_t k = i; e == E_OK && k < j; k++) {
            sq_stmt *mt = sq_prep(tx, merge);
            sq_bind(mt, "i", hs[k].id);
            e = sq_exec(tx, mt);
        }
        i = j;
    }
    return e;
}

/* ---- sending ---- */

typedef struct {
    arena *a;
    int64_t now;
    char owner[40];
    int found, deferred;
    notify_channel ch;
    notify_message m;
    int64_t id, attempts;
} claim_ctx;

static void read_claimed(arena *a, sq_stmt *st, void *row)
{
    claim_ctx *c = row;
    c->id = sq_int(st, 0);
    c->ch.id = sq_int(st, 1);
    c->attempts = sq_int(st, 2);
    c->m.dedupe = sq_text(a, st, 3);
    c->m.recipient = sq_text(a, st, 4);
    c->m.mention = sq_text(a, st, 5);
    c->m.title = sq_text(a, st, 6);
    c->m.body = sq_text(a, st, 7);
}

static err_code claim_fn(store_tx *tx, void *ctx)
{
    claim_ctx *c = ctx;
    const config *cfg = notify_config();
    c->found = c->deferred = 0;
    static const char claim[] =
        "UPDATE outbox SET state = 'sending', lease_until = ?3, lease_owner = ?2,"
        " attempts = attempts + 1 WHERE id = (SELECT id FROM outbox WHERE"
        " (state = 'pending' AND next_at <= ?1) OR (state = 'sending' AND lease_until < ?1)"
        " ORDER BY next_at, id LIMIT 1) AND ((state = 'pending' AND next_at <= ?1)"
        " OR (state = 'sending' AND lease_until < ?1))";
    sq_stmt *st = sq_prep(tx, claim);
    sq_bind(st, "isi", c->now, c->owner, c->now + cfg->outbox_lease);
    err_code e = sq_exec(tx, st);
    if (e != E_OK || sq_changes(tx) != 1) return e;
    static const char get[] = "SELECT id, channel_id, attempts, dedupe, recipient, mention, title,"
                              " body FROM outbox WHERE lease_owner = ? AND state = 'sending'";
    st = sq_prep(tx, get);
    sq_bind(st, "s", c->owner);
    e = sq_one(tx, c->a, st, read_claimed, c);
    if (e == E_OK) e = notify_channel_get(tx, c->a, c->ch.id, &c->ch);
    if (e != E_OK) return e;
    c->found = 1;
    if (strcmp(c->ch.kind, "email") == 0) return E_OK;
    /* The robot's rate: messages sent in the last minute and others in flight. */
    static const char rate[] =
        "SELECT count(*) FROM outbox WHERE channel_id = ?1 AND id <> ?2 AND"
        " ((state = 'sent' AND sent_at > ?3 - 60) OR (state = 'sending' AND lease_until >= ?3))";
    st = sq_prep(tx, rate);
    sq_bind(st, "iii", c->ch.id, c->id, c->now);
    int64_t recent;
    e = sq_count(tx, st, &recent);
    if (e != E_OK || recent < cfg->outbox_rate) return e;
    static const char oldest[] = "SELECT coalesce(min(sent_at), 0) FROM outbox WHERE"
                                 " channel_id = ?1 AND state = 'sent' AND sent_at > ?2 - 60";
    st = sq_prep(tx, oldest);
    sq_bind(st, "ii", c->ch.id, c->now);
    int64_t first;
    e = sq_int_or(tx, st, 0, &first);
    if (e != E_OK) return e;
    int64_t next = first ? first + 61 : c->now + 5;
    static const char back[] = "UPDATE outbox SET state = 'pending', attempts = attempts - 1,"
                               " next_at = ?1, lease_until = 0, lease_owner = '' WHERE id = ?2";
    st = sq_prep(tx, back);
    sq_bind(st, "ii", next, c->id);
    c->deferred = 1;
    return sq_exec(tx, st);
}

typedef struct {
    int64_t id, now, attempts;
    const char *owner, *error; /* error NULL: sent */
} record_ctx;

static err_code record_fn(store_tx *tx, void *ctx)
{
    record_ctx *r = ctx;
    const config *cfg = notify_config();
    if (!r->error) {
        static const char sql[] = "UPDATE outbox SET state = 'sent', sent_at = ?1,"
                                  " lease_owner = '', last_error = '' WHERE id = ?2"
                                  " AND lease_owner = ?3";
        sq_stmt *st = sq_prep(tx, sql);
        sq_bind(st, "iis", r->now, r->id, r->owner);
        return sq_exec(tx, st);
    }
    int dead = r->attempts >= cfg->outbox_attempts;
    int64_t delay = cfg->outbox_backoff;
    for (int64_t i = 1; i < r->attempts && delay < 86400; i++)
        delay *= 2;
    if (delay > 86400) delay = 86400;
    static const char sql[] =
        "UPDATE outbox SET state = ?1, next_at = ?2, last_error = ?3,"
        " lease_until = 0, lease_owner = '' WHERE id = ?4 AND lease_owner = ?5";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sisis", dead ? "dead" : "pending", r->now + delay, r->error, r->id, r->owner);
    return sq_exec(tx, st);
}

#include "base/clock.h"

int notify_run_once(store *st, int64_t now, int max)
{
    int sent = 0;
    for (int i = 0; i < max; i++) {
        claim_ctx c = {.a = arena_new(), .now = now};
        unsigned char rnd[12];
        randombytes_buf(rnd, sizeof rnd);
        sodium_bin2hex(c.owner, sizeof c.owner, rnd, sizeof rnd);
        err_code e = store_write(st, claim_fn, &c);
        if (e != E_OK || !c.found) {
            arena_free(c.a);
            if (e != E_OK) log_error("outbox: cannot claim a message: %s", err_name(e));
            break;
        }
        if (c.deferred) {
            arena_free(c.a);
            continue;
        }
        char err[512] = "";
        err_code se = notify_send(&c.ch, &c.m, err, sizeof err);
        record_ctx r = {.id = c.id,
                        .now = now,
                        .attempts = c.attempts,
                        .owner = c.owner,
                        .error = se == E_OK ? NULL : err};
        if (se != E_OK)
            log_warn("outbox: message %lld on channel %lld failed (attempt %lld): %s",
                     (long long)c.id, (long long)c.ch.id, (long long)c.attempts, err);
        e = store_write(st, record_fn, &r);
        if (e != E_OK)
            log_error("outbox: cannot record message %lld: %s", (long long)c.id, err_name(e));
        sent += se == E_OK;
        arena_free(c.a);
    }
    return sent;
}

/* ---- the worker thread ---- */

struct notify_worker {
    store *st;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
};

static void *work(void *arg)
{
    notify_worker *w = arg;
    int64_t poll = notify_config()->outbox_poll;
    pthread_mutex_lock(&w->lock);
    while (!w->stopping) {
        pthread_mutex_unlock(&w->lock);
        notify_run_once(w->st, clock_now(), 50);
        pthread_mutex_lock(&w->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += poll / 1000;
        until.tv_nsec += (poll % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (!w->stopping) pthread_cond_timedwait(&w->wake, &w->lock, &until);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

notify_worker *notify_worker_start(store *st)
{
    notify_worker *w = xcalloc(1, sizeof *w);
    w->st = st;
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, work, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        free(w);
        return NULL;
    }
    return w;
}

void notify_worker_stop(notify_worker *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    free(w);
}
