/*
 * notify — the service's state, sealing of secrets, quiet hours, and the hook that turns each
 * new notification into outbox rows in the notification's own transaction (see notify.h).
 */
#include "notify/notify.h"

#include "base/log.h"
#include "store/sq.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    config cfg; /* a copy of the strings we use (owned) */
    unsigned char key[32];
    int keyed;
    calendar *_Atomic *cal;
    notify_describer describe;
    int quiet_from, quiet_to, digest_at; /* minutes of the local day */
} S;

const config *notify_config(void)
{
    return &S.cfg;
}

void notify_set_describer(notify_describer fn)
{
    S.describe = fn;
}

static int parse_hm(const char *s, int *min)
{
    int h, m;
    char tail;
    if (!s || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
        return -1;
    *min = h * 60 + m;
    return 0;
}

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

int notify_open(const config *cfg, const char *key_path, calendar *_Atomic *cal, char *err,
                size_t errlen)
{
    notify_close();
    char from[8] = "", to[8] = "";
    const char *q = cfg->notify_quiet ? cfg->notify_quiet : "";
    const char *dash = strchr(q, '-');
    if (*q && (!dash || dash - q > 5 || strlen(dash + 1) > 5)) {
        snprintf(err, errlen, "notify_quiet must be HH:MM-HH:MM (or empty), not %s", q);
        return -1;
    }
    S.quiet_from = S.quiet_to = 0;
    if (*q) {
        memcpy(from, q, (size_t)(dash - q));
        strcpy(to, dash + 1);
        if (parse_hm(from, &S.quiet_from) || parse_hm(to, &S.quiet_to)) {
            snprintf(err, errlen, "notify_quiet must be HH:MM-HH:MM (or empty), not %s", q);
            return -1;
        }
    }
    if (parse_hm(cfg->notify_digest_at ? cfg->notify_digest_at : "08:30", &S.digest_at)) {
        snprintf(err, errlen, "notify_digest_at must be HH:MM");
        return -1;
    }
    S.cfg = *cfg;
    S.cfg.public_url = dup_or_empty(cfg->public_url);
    S.cfg.dingtalk_url = dup_or_empty(cfg->dingtalk_url);
    S.cfg.wecom_url = dup_or_empty(cfg->wecom_url);
    S.cfg.smtp_ca = dup_or_empty(cfg->smtp_ca);
    /* strings of the caller's config we do not keep */
    S.cfg.config = S.cfg.db = S.cfg.listen = S.cfg.key_file = S.cfg.county = S.cfg.root_kind =
        S.cfg.flows_dir = S.cfg.files_dir = S.cfg.notify_quiet = S.cfg.notify_digest_at = NULL;
    S.cal = cal;
    S.keyed = notify_key_derive(key_path, S.key) == 0;
    store_notification_set_hook(NULL);
    if (!S.keyed) {
        snprintf(err, errlen, "cannot read the key %s for the channels' secrets",
                 key_path ? key_path : "(none)");
        return -1;
    }
    extern err_code notify_route_hook(store_tx * tx, const store_notification *n,
                                      const char *dedupe);
    store_notification_set_hook(notify_route_hook);
    return 0;
}

void notify_close(void)
{
    store_notification_set_hook(NULL);
    free(S.cfg.public_url);
    free(S.cfg.dingtalk_url);
    free(S.cfg.wecom_url);
    free(S.cfg.smtp_ca);
    sodium_memzero(S.key, sizeof S.key);
    memset(&S.cfg, 0, sizeof S.cfg);
    S.keyed = 0;
    S.cal = NULL;
}

/* ---- secrets: nonce(12) | ciphertext | tag(16), AES-256-GCM ---- */

/* The sealing key: HMAC-SHA256 of a label under the audit key (never the audit key). */
int notify_key_derive(const char *key_path, unsigned char key[32])
{
    FILE *f = key_path ? fopen(key_path, "r") : NULL;
    char hex[65] = {0};
    unsigned char raw[32];
    size_t bin = 0;
    int rc = -1;
    if (f && fread(hex, 1, 64, f) == 64 &&
        sodium_hex2bin(raw, sizeof raw, hex, 64, NULL, &bin, NULL) == 0 && bin == 32) {
        unsigned int len = 32;
        static const char label[] = "duban notify channel secrets v1";
        HMAC(EVP_sha256(), raw, 32, (const unsigned char *)label, sizeof label - 1, key, &len);
        rc = 0;
    }
    if (f) fclose(f);
    sodium_memzero(hex, sizeof hex);
    sodium_memzero(raw, sizeof raw);
    return rc;
}

unsigned char *notify_seal(const char *text, size_t *n)
{
    return notify_seal_with(S.key, text, n);
}

char *notify_unseal(const unsigned char *b, size_t n)
{
    return S.keyed ? notify_unseal_with(S.key, b, n) : NULL;
}

unsigned char *notify_seal_with(const unsigned char key[32], const char *text, size_t *n)
{
    size_t len = strlen(text);
    unsigned char *out = xmalloc(12 + len + 16);
    RAND_bytes(out, 12);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int l = 0, fl = 0;
    EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, out);
    EVP_EncryptUpdate(c, out + 12, &l, (const unsigned char *)text, (int)len);
    EVP_EncryptFinal_ex(c, out + 12 + l, &fl);
    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, out + 12 + len);
    EVP_CIPHER_CTX_free(c);
    *n = 12 + len + 16;
    return out;
}

char *notify_unseal_with(const unsigned char key[32], const unsigned char *b, size_t n)
{
    if (!b || n < 28) return NULL;
    size_t len = n - 28;
    char *out = xmalloc(len + 1);
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int l = 0, fl = 0;
    int ok = EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, b) &&
             EVP_DecryptUpdate(c, (unsigned char *)out, &l, b + 12, (int)len) &&
             EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, (void *)(b + 12 + len)) &&
             EVP_DecryptFinal_ex(c, (unsigned char *)out + l, &fl) > 0;
    EVP_CIPHER_CTX_free(c);
    if (!ok) {
        sodium_memzero(out, len + 1);
        free(out);
        return NULL;
    }
    out[len] = 0;
    return out;
}

void notify_wipe_free(char *s)
{
    if (!s) return;
    sodium_memzero(s, strlen(s));
    free(s);
}

/* ---- time ---- */

static int minute_of(int64_t t)
{
    int64_t local = t + 8 * 3600;
    int64_t s = ((local % 86400) + 86400) % 86400;
    return (int)(s / 60);
}

static int workday(cal_day d)
{
    calendar *c = S.cal ? *S.cal : NULL;
    if (!c) return cal_weekday(d) <= 5;
    return calendar_is_workday(c, d, NULL);
}

int notify_quiet_at(int64_t t)
{
    if (!workday(cal_local_day(t))) return 1;
    int m = minute_of(t);
    if (S.quiet_from == S.quiet_to) return 0;
    if (S.quiet_from > S.quiet_to) return m >= S.quiet_from || m < S.quiet_to;
    return m >= S.quiet_from && m < S.quiet_to;
}

int64_t notify_next_morning(int64_t t)
{
    cal_day d = cal_local_day(t);
    if (!workday(d) || minute_of(t) > S.digest_at) {
        d++;
        for (int i = 0; i < 60 && !workday(d); i++)
            d++;
    }
    return (int64_t)d * 86400 + S.digest_at * 60 - 8 * 3600;
}

/* ---- the hook: a new notification → outbox rows ---- */

static void read_contact(arena *a, sq_stmt *st, void *row)
{
    const char **c = row;
    c[0] = sq_text(a, st, 0);
    c[1] = sq_text(a, st, 1);
}

typedef struct {
    int64_t id;
    const char *kind, *keyword;
} robot;

static void read_robot(arena *a, sq_stmt *st, void *row)
{
    robot *r = row;
    r->id = sq_int(st, 0);
    r->kind = sq_text(a, st, 1);
    r->keyword = sq_text(a, st, 2);
}

/* The nearest enabled channel of each kind on the path (robots), or the e-mail one. */
static err_code channels_on_path(store_tx *tx, arena *a, const char *path, robot **out, size_t *n)
{
    static const char sql[] =
        "SELECT c.id, c.kind, c.keyword FROM notify_channel c JOIN unit u ON u.id = c.unit_id"
        " WHERE c.enabled = 1 AND {instr ?1, u.path} = 1 ORDER BY length(u.path) DESC, c.id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", path);
    robot *all;
    size_t k;
    err_code e = sq_collect(tx, a, st, sizeof(robot), read_robot, (void **)&all, &k);
    if (e != E_OK) return e;
    /* keep the first (nearest) of each kind */
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        int seen = 0;
        for (size_t j = 0; j < m; j++)
            if (strcmp(all[j].kind, all[i].kind) == 0) seen = 1;
        if (!seen) all[m++] = all[i];
    }
    *out = all;
    *n = m;
    return E_OK;
}

/* The notification's dedupe key without its trailing ":<user id>" (one robot message per
 * item and event, however many people of the unit were told). */
static const char *shared_key(arena *a, const char *dedupe, int64_t user_id)
{
    char tail[32];
    snprintf(tail, sizeof tail, ":%lld", (long long)user_id);
    size_t n = strlen(dedupe), t = strlen(tail);
    if (n > t && strcmp(dedupe + n - t, tail) == 0) return arena_strndup(a, dedupe, n - t);
    return dedupe;
}

static const char *kind_key(arena *a, const store_notification *n)
{
    const char *colon = strchr(n->kind, ':');
    size_t len = colon ? (size_t)(colon - n->kind) : strlen(n->kind);
    return arena_sprintf(a, "%s.%.*s", n->flow, (int)len, n->kind);
}

/* The message in the style offices use (markdown: 钉钉 and 企业微信 render it; e-mail as text). */
static const char *compose(arena *a, const store_notification *n, const notify_item *it, int64_t at,
                           const char *mention)
{
    char when[40];
    int64_t local = at + 8 * 3600;
    cal_day d = cal_local_day(at);
    char day[11];
    cal_format(d, day);
    int m = (int)(((local % 86400) + 86400) % 86400 / 60);
    snprintf(when, sizeof when, "%s %02d:%02d", day, m / 60, m % 60);
    const char *body = arena_sprintf(a, "#### 【督办提醒】%s\n\n", n->title);
    if (*it->unit_name) body = arena_sprintf(a, "%s**责任单位：**%s\n\n", body, it->unit_name);
    if (*it->deadline) body = arena_sprintf(a, "%s**完成时限：**%s\n\n", body, it->deadline);
    if (n->body && *n->body) body = arena_sprintf(a, "%s%s\n\n", body, n->body);
    body = arena_sprintf(a, "%s[点击查看详情](%s%s)\n\n", body, S.cfg.public_url, it->path);
    if (mention && *mention) {
        const char *ats = "";
        char *copy = arena_strdup(a, mention), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            ats = arena_sprintf(a, "%s@%s ", ats, tok);
        body = arena_sprintf(a, "%s%s\n\n", body, ats);
    }
    return arena_sprintf(a, "%s> 督办平台 · %s", body, when);
}

static err_code insert_row(store_tx *tx, int64_t channel_id, const char *dedupe,
                           const char *recipient, const char *mention, const char *title,
                           const char *body, const char *state, int64_t next_at, const char *source,
                           int64_t now, int *added)
{
    static const char sql[] =
        "INSERT INTO outbox(channel_id, dedupe, recipient, mention, title, body, state, next_at,"
        " source, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "issssssis", channel_id, dedupe, recipient, mention, title, body, state, next_at,
            source);
    sq_bind_int(st, 10, now);
    err_code e = sq_exec(tx, st);
    if (added) *added = e == E_OK && sq_changes(tx) == 1;
    return e;
}

err_code notify_enqueue(store_tx *tx, int64_t channel_id, const notify_message *m,
                        const char *source, int64_t now, int *added)
{
    return insert_row(tx, channel_id, m->dedupe, m->recipient ? m->recipient : "",
                      m->mention ? m->mention : "", m->title, m->body, "pending", now, source, now,
                      added);
}

err_code notify_route_hook(store_tx *tx, const store_notification *n, const char *dedupe);

err_code notify_route_hook(store_tx *tx, const store_notification *n, const char *dedupe)
{
    arena *a = arena_new();
    err_code e = E_OK;
    store_user u;
    notify_rule rule;
    const char *kind = kind_key(a, n);
    e = store_user_get(tx, a, n->user_id, &u);
    if (e == E_OK) e = notify_rule_for(tx, a, kind, u.unit_path, &rule);
    if (e != E_OK || strcmp(rule.mode, "off") == 0 || (!rule.robot && !rule.email)) goto out;
    robot *chs;
    size_t nch;
    e = channels_on_path(tx, a, u.unit_path, &chs, &nch);
    if (e != E_OK || nch == 0) goto out;
    const char *contact[2] = {"", ""};
    static const char csql[] = "SELECT email, mobile FROM notify_contact WHERE user_id = ?";
    sq_stmt *st = sq_prep(tx, csql);
    sq_bind(st, "i", n->user_id);
    e = sq_one(tx, a, st, read_contact, contact);
    if (e == E_NOT_FOUND) e = E_OK;
    if (e != E_OK) goto out;
    notify_item it = {.unit_name = "", .deadline = "", .path = "/notifications"};
    if (S.describe) e = S.describe(tx, a, n->flow, n->item_id, &it);
    if (e != E_OK) goto out;
    if (!*it.unit_name) it.unit_name = u.unit_name;
    const char *state = "pending";
    int64_t now = n->created_at, next = now;
    if (strcmp(rule.mode, "digest") == 0) {
        state = "held";
        next = notify_next_morning(now);
    } else if (!rule.urgent && notify_quiet_at(now)) {
        next = notify_next_morning(now);
    }
    const char *source = arena_sprintf(a, "%s:%lld", n->flow, (long long)n->item_id);
    const char *key = shared_key(a, dedupe, n->user_id);
    for (size_t i = 0; e == E_OK && i < nch; i++) {
        const robot *c = &chs[i];
        int is_mail = strcmp(c->kind, "email") == 0;
        if (is_mail ? !rule.email || !*contact[0] : !rule.robot) continue;
        /* @ by mobile: 钉钉 markdown supports it; 企业微信 only in plain text messages */
        const char *mention = strcmp(c->kind, "dingtalk") == 0 ? contact[1] : "";
        const char *body = compose(a, n, &it, now, mention);
        if (*c->keyword && !strstr(body, c->keyword))
            body = arena_sprintf(a, "%s\n\n%s", body, c->keyword);
        const char *dk = is_mail ? arena_sprintf(a, "m%lld:%s", (long long)c->id, dedupe)
                                 : arena_sprintf(a, "r%lld:%s", (long long)c->id, key);
        e = insert_row(tx, c->id, dk, is_mail ? contact[0] : "", mention, n->title, body, state,
                       next, source, now, NULL);
    }
out:
    arena_free(a);
    return e;
}

int notify_digest_due(int64_t t)
{
    return workday(cal_local_day(t)) && minute_of(t) >= S.digest_at;
}
