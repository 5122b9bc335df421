/*
 * audit — append, verify and export the HMAC-SM3 chain (see audit.h).
 *
 * The MAC covers each field length-prefixed (so "ab"+"c" and "a"+"bc" differ) followed by the
 * previous mac; the first record's prev is 64 zeros. The head file holds "seq mac tag" with
 * tag = HMAC-SM3(key, "head|seq|mac"); writers take an exclusive flock on it and never move
 * it backwards, so the server and a CLI command can both append.
 */
#include "audit/audit.h"

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/log.h"
#include "base/text.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum { KEY_LEN = 32 };
static const char GENESIS[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct audit {
    unsigned char key[KEY_LEN];
    char *head_path;
};

static void to_hex(const unsigned char *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = 0;
}

void audit_sm3_hex(const void *data, size_t n, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data, n, md, &len, EVP_sm3(), NULL);
    to_hex(md, len, out);
}

/* HMAC-SM3 over a list of parts, each length-prefixed (8 bytes big-endian). */
static void hmac_parts(const unsigned char *key, size_t keylen, const char **parts, int nparts,
                       unsigned char out[32])
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SM3", 0),
                           OSSL_PARAM_construct_end()};
    size_t outl = 0;
    if (!ctx || !EVP_MAC_init(ctx, key, keylen, params)) abort();
    for (int i = 0; i < nparts; i++) {
        uint64_t n = strlen(parts[i]);
        unsigned char len[8];
        for (int b = 0; b < 8; b++) len[b] = (unsigned char)(n >> (56 - 8 * b));
        EVP_MAC_update(ctx, len, 8);
        EVP_MAC_update(ctx, (const unsigned char *)parts[i], n);
    }
    EVP_MAC_final(ctx, out, &outl, 32);
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
}

void audit_record_mac(const unsigned char *key, size_t keylen, const store_audit *r, char out[65])
{
    char seq[24], at[24], actor_id[24];
    snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
    snprintf(at, sizeof at, "%lld", (long long)r->at);
    snprintf(actor_id, sizeof actor_id, "%lld", (long long)r->actor_id);
    const char *parts[] = {"duban-audit-v1", seq, at, actor_id, r->actor, r->action,
                           r->object, r->detail, r->prev};
    unsigned char md[32];
    hmac_parts(key, keylen, parts, 9, md);
    to_hex(md, 32, out);
}

/* ---- key and head files ---- */

int audit_create_key(const char *key_path, char *err, size_t errlen)
{
    unsigned char key[KEY_LEN];
    char hex[2 * KEY_LEN + 2];
    randombytes_buf(key, sizeof key);
    to_hex(key, sizeof key, hex);
    strcat(hex, "\n");
    int fd = open(key_path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create audit key %s: %s", key_path, strerror(errno));
        return -1;
    }
    int ok = write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) && fsync(fd) == 0;
    close(fd);
    sodium_memzero(key, sizeof key);
    if (!ok) {
        snprintf(err, errlen, "cannot write audit key %s", key_path);
        unlink(key_path);
        return -1;
    }
    return 0;
}

audit *audit_open(const char *key_path, char *err, size_t errlen)
{
    FILE *f = fopen(key_path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read audit key %s: %s (run 'duban init' first)", key_path,
                 strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077)) {
        snprintf(err, errlen,
                 "audit key %s is open to other users (mode %03o): run 'chmod 600 %s' "
                 "(审计密钥文件权限过宽，请执行 chmod 600)",
                 key_path, (unsigned)(sb.st_mode & 0777), key_path);
        fclose(f);
        return NULL;
    }
    char hex[2 * KEY_LEN + 2] = {0};
    size_t n = fread(hex, 1, 2 * KEY_LEN, f);
    fclose(f);
    audit *au = xcalloc(1, sizeof *au);
    size_t bin_len = 0;
    if (n != 2 * KEY_LEN || sodium_hex2bin(au->key, KEY_LEN, hex, n, NULL, &bin_len, NULL) ||
        bin_len != KEY_LEN) {
        snprintf(err, errlen, "audit key %s is malformed (want 64 hex characters)", key_path);
        free(au);
        return NULL;
    }
    sodium_memzero(hex, sizeof hex);
    au->head_path = xasprintf("%s.head", key_path);
    return au;
}

void audit_close(audit *au)
{
    if (!au) return;
    sodium_memzero(au->key, sizeof au->key);
    free(au->head_path);
    free(au);
}

static void head_tag(const audit *au, int64_t seq, const char *mac, char out[65])
{
    char s[24];
    snprintf(s, sizeof s, "%lld", (long long)seq);
    const char *parts[] = {"duban-audit-head", s, mac};
    unsigned char md[32];
    hmac_parts(au->key, KEY_LEN, parts, 3, md);
    to_hex(md, 32, out);
}

typedef struct {
    int64_t seq;
    char mac[65], tag[65];
} head;

/* Reads the head file through fd: 1 read, 0 absent or empty, -1 malformed. */
static int head_read(int fd, head *h)
{
    char buf[256] = {0};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return 0;
    long long seq;
    if (sscanf(buf, "%lld %64s %64s", &seq, h->mac, h->tag) != 3) return -1;
    h->seq = seq;
    return 1;
}

typedef struct {
    audit *au;
    int64_t seq;
    char mac[65];
    int frozen; /* the log lost records the head confirmed: leave the head as evidence */
} head_update;

/* After commit: move the head forward (never back) under an exclusive lock. */
static void head_write(void *arg)
{
    head_update *u = arg;
    if (u->frozen) return;
    int fd = open(u->au->head_path, O_RDWR | O_CREAT, 0600);
    if (fd < 0) {
        log_error("cannot open audit head %s: %s", u->au->head_path, strerror(errno));
        return;
    }
    flock(fd, LOCK_EX);
    head cur;
    if (head_read(fd, &cur) != 1 || cur.seq < u->seq) {
        char tag[65], line[256];
        head_tag(u->au, u->seq, u->mac, tag);
        int n = snprintf(line, sizeof line, "%lld %s %s\n", (long long)u->seq, u->mac, tag);
        if (pwrite(fd, line, (size_t)n, 0) != n || ftruncate(fd, n) != 0)
            log_error("cannot write audit head %s", u->au->head_path);
    }
    flock(fd, LOCK_UN);
    close(fd);
}

/* ---- append ---- */

/*
 * 1 when a genuine head file confirms a record the table no longer holds as it was: the tail
 * was cut off (and perhaps written again). The head is written only after commit, so it never
 * legitimately runs ahead of the table or disagrees with it.
 */
static int head_contradicted(const audit *au, store_tx *tx, arena *a, int64_t last_seq)
{
    int fd = open(au->head_path, O_RDONLY);
    if (fd < 0) return 0;
    head h;
    int have = head_read(fd, &h) == 1;
    close(fd);
    if (!have) return 0;
    char tag[65];
    head_tag(au, h.seq, h.mac, tag);
    if (!text_equal_ct(tag, h.tag)) return 0;
    if (h.seq > last_seq) return 1;
    store_audit_filter f = {.before = h.seq + 1, .limit = 1};
    store_audit *at;
    size_t n;
    if (store_audit_list(tx, a, &f, &at, &n) != E_OK) return 0;
    return n != 1 || at[0].seq != h.seq || strcmp(at[0].mac, h.mac) != 0;
}

err_code audit_append(audit *au, store_tx *tx, arena *a, const audit_actor *actor,
                      const char *action, const char *object, json_t *detail)
{
    if (!detail) detail = json_object();
    if (actor->ip) json_object_set_new(detail, "ip", jsonx_text(actor->ip));
    char *detail_text = jsonx_dump(detail);
    json_decref(detail);

    int64_t last_seq;
    const char *last_mac;
    err_code e = store_audit_last(tx, a, &last_seq, &last_mac);
    if (e != E_OK) goto out;
    store_audit r = {
        .seq = last_seq + 1,
        .at = clock_now(),
        .actor_id = actor->user_id,
        .actor = actor->login,
        .action = action,
        .object = object,
        .detail = detail_text,
        .prev = last_seq ? last_mac : GENESIS,
    };
    char mac[65];
    audit_record_mac(au->key, KEY_LEN, &r, mac);
    r.mac = mac;
    e = store_audit_insert(tx, &r);
    if (e != E_OK) goto out;
    head_update *u = arena_alloc(a, sizeof *u);
    u->au = au;
    u->seq = r.seq;
    memcpy(u->mac, mac, sizeof mac);
    /* Moving the head on past a cut would let new records take the place of the lost ones,
     * and the cut would no longer show in verify: leave it where it is. */
    u->frozen = head_contradicted(au, tx, a, last_seq);
    if (u->frozen)
        log_error("audit log (last seq %lld) contradicts its head file: records were removed",
                  (long long)last_seq);
    store_after_commit(tx, head_write, u);
out:
    free(detail_text);
    return e;
}

/* ---- archived chains of counties moved in ---- */

void audit_archive_digest_start(char digest[65])
{
    memcpy(digest, GENESIS, sizeof GENESIS);
}

/* digest = SM3(digest || each field of r, length-prefixed as in the MAC). */
void audit_archive_digest_step(char digest[65], const store_audit *r)
{
    char seq[24], at[24], actor_id[24];
    snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
    snprintf(at, sizeof at, "%lld", (long long)r->at);
    snprintf(actor_id, sizeof actor_id, "%lld", (long long)r->actor_id);
    const char *parts[] = {digest, seq, at, actor_id, r->actor, r->action,
                           r->object, r->detail, r->prev, r->mac};
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sm3(), NULL);
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
        uint64_t n = strlen(parts[i]);
        unsigned char len[8];
        for (int b = 0; b < 8; b++)
            len[b] = (unsigned char)(n >> (56 - 8 * b));
        EVP_DigestUpdate(ctx, len, sizeof len);
        EVP_DigestUpdate(ctx, parts[i], n);
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    EVP_MD_CTX_free(ctx);
    to_hex(md, mdlen, digest);
}

/* ---- verify ---- */

typedef struct {
    audit *au;
    audit_report *rep;
    int64_t expect;
    char prev[65];
    int64_t head_seq;
    char head_mac_seen[65]; /* the mac stored at head_seq, if reached */
    json_t *moves;          /* the details of county.move records met, checked after the walk */
} walk;

static int fail(walk *w, int64_t seq, const char *reason, const char *zh)
{
    w->rep->ok = 0;
    w->rep->first_bad = seq;
    w->rep->reason = reason;
    w->rep->reason_zh = zh;
    return 1;
}

static int check_record(const store_audit *r, void *ctx)
{
    walk *w = ctx;
    w->rep->records++;
    if (r->seq != w->expect)
        return fail(w, w->expect, "record missing or out of order", "记录缺失或顺序被改动");
    if (strcmp(r->prev, w->prev) != 0)
        return fail(w, r->seq, "prev does not match the previous record", "与前一条记录不衔接");
    char mac[65];
    audit_record_mac(w->au->key, KEY_LEN, r, mac);
    if (!text_equal_ct(mac, r->mac))
        return fail(w, r->seq, "record was altered (mac mismatch)", "记录内容被篡改");
    /* A log starts with its initialisation; one that does not lost its beginning. */
    if (r->seq == 1 && strcmp(r->action, "system.init") != 0)
        return fail(w, 1, "the first record is not the initialisation record",
                    "第一条记录不是初始化记录");
    if (r->seq == w->head_seq) snprintf(w->head_mac_seen, sizeof w->head_mac_seen, "%s", r->mac);
    if (strcmp(r->action, "county.move") == 0) {
        json_t *d = json_loads(r->detail, 0, NULL);
        if (d) json_object_set_new(d, "seq", json_integer(r->seq));
        json_array_append_new(w->moves, d ? d : json_null());
    }
    snprintf(w->prev, sizeof w->prev, "%s", r->mac);
    w->expect++;
    return 0;
}

/* Reads the head file under a shared lock: 1 read and authentic, 0 absent, -1 damaged. */
static int head_load(const audit *au, head *h)
{
    int fd = open(au->head_path, O_RDONLY);
    if (fd < 0) return 0;
    flock(fd, LOCK_SH);
    int rc = head_read(fd, h);
    flock(fd, LOCK_UN);
    close(fd);
    if (rc == 1) {
        char tag[65];
        head_tag(au, h->seq, h->mac, tag);
        if (!text_equal_ct(tag, h->tag)) rc = -1;
    }
    return rc;
}

/* Compares the chain's end (last seq) with the head file. */
static void check_end(walk *w, int have_head, const head *h)
{
    audit_report *out = w->rep;
    int64_t last = w->expect - 1;
    if (have_head < 0) {
        out->ok = 0;
        out->reason = "head file is damaged or forged";
        out->reason_zh = "审计链末端标记文件损坏或被伪造";
    } else if (last == 0) {
        fail(w, 1, "the log is empty: even its initialisation record is gone",
             "审计日志为空，连初始化记录也不存在");
    } else if (have_head == 0) {
        out->ok = 0;
        out->first_bad = 0;
        out->reason = "head file is missing: the end of the log cannot be confirmed";
        out->reason_zh = "缺少审计链末端标记文件，无法确认日志末尾是否完整";
    } else if (h->seq > last) {
        fail(w, last + 1, "records at the end were removed (truncated)", "日志末尾的记录被删除");
    } else if (strcmp(w->head_mac_seen, h->mac) != 0) {
        fail(w, h->seq, "record differs from the one the head file confirmed",
             "记录与末端标记不一致");
    }
}

typedef struct {
    char digest[65];
    int64_t records;
} archive_sum;

static int fold_archived(const store_audit *r, void *ctx)
{
    archive_sum *sum = ctx;
    audit_archive_digest_step(sum->digest, r);
    sum->records++;
    return 0;
}

/* Each archived county chain still has the digest its move recorded in this chain. */
static err_code check_archives(store_tx *tx, walk *w)
{
    size_t i;
    json_t *d;
    json_array_foreach(w->moves, i, d) {
        json_int_t seq = json_integer_value(json_object_get(d, "seq"));
        const char *want = json_string_value(json_object_get(d, "archive_digest"));
        json_int_t move = json_integer_value(json_object_get(d, "move_id"));
        json_int_t records = json_integer_value(json_object_get(d, "archive_records"));
        archive_sum sum = {.records = 0};
        audit_archive_digest_start(sum.digest);
        err_code e = want ? store_audit_archive_each(tx, move, fold_archived, &sum) : E_OK;
        if (e != E_OK) return e;
        if (!want || sum.records != records || strcmp(sum.digest, want) != 0) {
            fail(w, seq, "a county chain archived by this move was altered",
                 "迁入县的归档审计记录被改动");
            return E_OK;
        }
    }
    return E_OK;
}

/* Verifies the whole chain inside the caller's read transaction. */
static err_code verify_in(store_tx *tx, audit *au, audit_report *out)
{
    memset(out, 0, sizeof *out);
    out->ok = 1;
    out->reason = "chain intact";
    out->reason_zh = "审计链完整";
    walk w = {.au = au, .rep = out, .expect = 1};
    memcpy(w.prev, GENESIS, sizeof GENESIS);
    head h = {0};
    int have_head = head_load(au, &h);
    if (have_head == 1) w.head_seq = h.seq;
    w.moves = json_array();
    err_code e = store_audit_each(tx, check_record, &w);
    if (e == E_OK && out->ok) check_end(&w, have_head, &h);
    if (e == E_OK && out->ok) e = check_archives(tx, &w);
    json_decref(w.moves);
    return e;
}

typedef struct {
    audit *au;
    audit_report *rep;
    FILE *out; /* export only */
    int64_t seq, exported;
    char mac[65];
} verify_ctx;

static err_code verify_fn(store_tx *tx, void *ctx)
{
    verify_ctx *v = ctx;
    return verify_in(tx, v->au, v->rep);
}

err_code audit_verify(audit *au, store *st, audit_report *out)
{
    verify_ctx v = {.au = au, .rep = out};
    return store_read(st, verify_fn, &v);
}

/* ---- export ---- */

/* The Ed25519 key pair derived from the audit key that signs checkpoints and archive seals. */
static void signing_keys(const audit *au, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                         unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
    const char *seed_parts[] = {"duban-checkpoint-signing-key"};
    unsigned char seed[32];
    hmac_parts(au->key, KEY_LEN, seed_parts, 1, seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    sodium_memzero(seed, sizeof seed);
}

void audit_public_key(const audit *au, char out[65])
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    signing_keys(au, pk, sk);
    sodium_memzero(sk, sizeof sk);
    to_hex(pk, sizeof pk, out);
}

static json_t *record_json(const store_audit *r)
{
    json_error_t jerr;
    json_t *detail = json_loads(r->detail, 0, &jerr);
    char at[24];
    return json_pack("{sI sI ss sI so so so so so so}", "seq", (json_int_t)r->seq, "at",
                     (json_int_t)r->at, "time", clock_iso(r->at, at), "actor_id",
                     (json_int_t)r->actor_id, "actor", jsonx_text(r->actor), "action",
                     jsonx_text(r->action), "object", jsonx_text(r->object), "detail",
                     detail ? detail : jsonx_text(r->detail), "prev", jsonx_text(r->prev), "mac",
                     jsonx_text(r->mac));
}

static int export_record(const store_audit *r, void *ctx)
{
    verify_ctx *x = ctx;
    json_t *j = record_json(r);
    char *line = jsonx_dump(j);
    fprintf(x->out, "%s\n", line);
    free(line);
    json_decref(j);
    x->seq = r->seq;
    x->exported++;
    snprintf(x->mac, sizeof x->mac, "%s", r->mac);
    return 0;
}

/* Verifies and exports the same snapshot, so the checkpoint vouches for what was written. */
static err_code export_fn(store_tx *tx, void *ctx)
{
    verify_ctx *x = ctx;
    err_code e = verify_in(tx, x->au, x->rep);
    if (e != E_OK) return e;
    fprintf(x->out, "{\"format\":\"duban-audit-export\",\"version\":1,\"mac\":\"HMAC-SM3\"}\n");
    return store_audit_each(tx, export_record, x);
}

err_code audit_export(audit *au, store *st, FILE *out, audit_report *report)
{
    verify_ctx x = {.au = au, .rep = report, .out = out};
    err_code e = store_read(st, export_fn, &x);
    if (e != E_OK) return e;

    /* An Ed25519 key derived from the audit key signs the checkpoint, so anyone holding the
     * public key can check an export without the secret. */
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    signing_keys(au, pk, sk);
    int64_t now = clock_now();
    /* {verified} is signed as the checkpoint shows it: true or false. */
    char *msg = xasprintf("duban-audit-checkpoint\n%lld\n%s\n%lld\n%s", (long long)x.seq, x.mac,
                          (long long)now, report->ok ? "true" : "false");
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), sk);
    char pk_hex[2 * sizeof pk + 1], sig_hex[2 * sizeof sig + 1];
    to_hex(pk, sizeof pk, pk_hex);
    to_hex(sig, sizeof sig, sig_hex);
    json_t *cp = json_pack("{s{sI ss sI sI sb ss ss ss}}", "checkpoint", "seq", (json_int_t)x.seq,
                           "mac", x.mac, "records", (json_int_t)x.exported, "at",
                           (json_int_t)now, "verified", report->ok,
                           "public_key", pk_hex, "signature", sig_hex, "signed_message_format",
                           "duban-audit-checkpoint\\n{seq}\\n{mac}\\n{at}\\n{verified}");
    char *line = jsonx_dump(cp);
    fprintf(out, "%s\n", line);
    free(line);
    json_decref(cp);
    free(msg);
    sodium_memzero(sk, sizeof sk);
    return ferror(out) ? E_INTERNAL : E_OK;
}

/* ---- archives: a date range, verifiable offline ---- */

static const char ARCHIVE_FORMAT[] = "duban-audit-archive";

/* The text member name of j, or "" when it is absent or not text. */
static const char *jsonx_str_or(const json_t *j, const char *name)
{
    const char *s = json_string_value(json_object_get(j, name));
    return s ? s : "";
}

/* The text the seal's signature covers (heap). */
static char *seal_message(const json_t *seal, int64_t from, int64_t to)
{
    json_t *v = json_object_get(seal, "chain_verified");
    return xasprintf(
        "%s\n%lld\n%lld\n%lld\n%lld\n%lld\n%s\n%s\n%s\n%lld\n%s", ARCHIVE_FORMAT, (long long)from,
        (long long)to, (long long)json_integer_value(json_object_get(seal, "first_seq")),
        (long long)json_integer_value(json_object_get(seal, "last_seq")),
        (long long)json_integer_value(json_object_get(seal, "records")),
        jsonx_str_or(seal, "first_prev"), jsonx_str_or(seal, "last_mac"),
        jsonx_str_or(seal, "digest"), (long long)json_integer_value(json_object_get(seal, "at")),
        json_is_true(v) ? "true" : "false");
}

typedef struct {
    audit *au;
    FILE *out;
    audit_archive_info *info;
    char first_prev[65], last_mac[65];
    int started, done;
} archive_ctx;

static int archive_record(const store_audit *r, void *ctx)
{
    archive_ctx *x = ctx;
    if (!x->started && r->at < x->info->from) return 0;
    /* Contiguous in seq: the range ends at the first record at or after its end. */
    if (x->info->to && r->at >= x->info->to) return 1;
    if (!x->started) {
        x->started = 1;
        x->info->first_seq = r->seq;
        snprintf(x->first_prev, sizeof x->first_prev, "%s", r->prev);
    }
    char at[24];
    json_t *j = json_pack(
        "{sI sI ss sI so so so so so so}", "seq", (json_int_t)r->seq, "at", (json_int_t)r->at,
        "time", clock_iso(r->at, at), "actor_id", (json_int_t)r->actor_id, "actor",
        jsonx_text(r->actor), "action", jsonx_text(r->action), "object", jsonx_text(r->object),
        "detail", jsonx_text(r->detail), "prev", jsonx_text(r->prev), "mac", jsonx_text(r->mac));
    char *line = jsonx_dump(j);
    fprintf(x->out, "%s\n", line);
    free(line);
    json_decref(j);
    audit_archive_digest_step(x->info->digest, r);
    x->info->last_seq = r->seq;
    x->info->records++;
    snprintf(x->last_mac, sizeof x->last_mac, "%s", r->mac);
    return 0;
}

static err_code archive_fn(store_tx *tx, void *ctx)
{
    archive_ctx *x = ctx;
    err_code e = verify_in(tx, x->au, &x->info->chain);
    if (e != E_OK) return e;
    char pk[65];
    audit_public_key(x->au, pk);
    json_t *h =
        json_pack("{ss sI sI sI ss ss ss ss}", "format", ARCHIVE_FORMAT, "version", (json_int_t)1,
                  "from", (json_int_t)x->info->from, "to", (json_int_t)x->info->to, "mac",
                  "HMAC-SM3", "digest", "SM3", "signature", "Ed25519", "public_key", pk);
    char *line = jsonx_dump(h);
    fprintf(x->out, "%s\n", line);
    free(line);
    json_decref(h);
    return store_audit_each(tx, archive_record, x);
}

err_code audit_archive(audit *au, store *st, int64_t from, int64_t to, FILE *out,
                       audit_archive_info *info)
{
    memset(&info->chain, 0, sizeof info->chain);
    info->from = from;
    info->to = to;
    info->first_seq = info->last_seq = info->records = 0;
    audit_archive_digest_start(info->digest);
    archive_ctx x = {.au = au, .out = out, .info = info};
    err_code e = store_read(st, archive_fn, &x);
    if (e != E_OK) return e;
    json_t *seal =
        json_pack("{sI sI sI ss ss ss sI sb}", "first_seq", (json_int_t)info->first_seq, "last_seq",
                  (json_int_t)info->last_seq, "records", (json_int_t)info->records, "first_prev",
                  x.first_prev, "last_mac", x.last_mac, "digest", info->digest, "at",
                  (json_int_t)clock_now(), "chain_verified", info->chain.ok);
    char *msg = seal_message(seal, from, to);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    unsigned char sig[crypto_sign_BYTES];
    signing_keys(au, pk, sk);
    crypto_sign_detached(sig, NULL, (const unsigned char *)msg, strlen(msg), sk);
    sodium_memzero(sk, sizeof sk);
    char sig_hex[2 * sizeof sig + 1];
    to_hex(sig, sizeof sig, sig_hex);
    json_object_set_new(seal, "signature", json_string(sig_hex));
    json_object_set_new(seal, "signed_message_format",
                        json_string("duban-audit-archive\\n{from}\\n{to}\\n{first_seq}\\n"
                                    "{last_seq}\\n{records}\\n{first_prev}\\n{last_mac}\\n"
                                    "{digest}\\n{at}\\n{chain_verified}"));
    json_t *wrap = json_pack("{so}", "seal", seal);
    char *line = jsonx_dump(wrap);
    fprintf(out, "%s\n", line);
    free(line);
    free(msg);
    json_decref(wrap);
    return ferror(out) ? E_INTERNAL : E_OK;
}

/* ---- verifying an archive, without the database ---- */

static int bad(audit_archive_report *rep, int64_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(audit_archive_report *rep, int64_t line, const char *fmt, ...)
{
    rep->ok = 0;
    rep->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->message, sizeof rep->message, fmt, ap);
    va_end(ap);
    return -1;
}

/* The record of line j, or -1 when a field is missing or of the wrong type. */
static int record_of(const json_t *j, store_audit *r)
{
    json_t *seq = json_object_get(j, "seq"), *at = json_object_get(j, "at"),
           *actor_id = json_object_get(j, "actor_id");
    if (!json_is_integer(seq) || !json_is_integer(at) || !json_is_integer(actor_id)) return -1;
    const char **texts[] = {&r->actor, &r->action, &r->object, &r->detail, &r->prev, &r->mac};
    const char *names[] = {"actor", "action", "object", "detail", "prev", "mac"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        json_t *v = json_object_get(j, names[i]);
        if (!json_is_string(v)) return -1;
        *texts[i] = json_string_value(v);
    }
    r->seq = json_integer_value(seq);
    r->at = json_integer_value(at);
    r->actor_id = json_integer_value(actor_id);
    return 0;
}

typedef struct {
    const audit *key;
    audit_archive_report *rep;
    int64_t line, expect;
    char prev_mac[65], first_prev[65], digest[65];
    json_t *seal;
} reader;

/* One record line; -1 when the archive is broken there. */
static int read_record(reader *rd, const json_t *j)
{
    audit_archive_report *rep = rd->rep;
    store_audit r;
    if (record_of(j, &r))
        return bad(rep, rd->line, "line %lld: not an audit record (第%lld行不是审计记录)",
                   (long long)rd->line, (long long)rd->line);
    if (rep->records == 0) {
        rep->first_seq = r.seq;
        snprintf(rd->first_prev, sizeof rd->first_prev, "%s", r.prev);
    } else if (r.seq != rd->expect) {
        return bad(rep, rd->line,
                   "line %lld: seq %lld where %lld was expected: records missing or reordered "
                   "(第%lld行：序号%lld，应为%lld，记录缺失或顺序被改动)",
                   (long long)rd->line, (long long)r.seq, (long long)rd->expect,
                   (long long)rd->line, (long long)r.seq, (long long)rd->expect);
    } else if (strcmp(r.prev, rd->prev_mac) != 0) {
        return bad(rep, rd->line,
                   "line %lld: does not follow the line before it (prev mismatch) "
                   "(第%lld行与上一行不衔接)",
                   (long long)rd->line, (long long)rd->line);
    }
    if (rd->key) {
        char mac[65];
        audit_record_mac(rd->key->key, KEY_LEN, &r, mac);
        if (!text_equal_ct(mac, r.mac))
            return bad(rep, rd->line,
                       "line %lld: record seq %lld was altered (mac mismatch) "
                       "(第%lld行：序号%lld的记录被篡改)",
                       (long long)rd->line, (long long)r.seq, (long long)rd->line,
                       (long long)r.seq);
    }
    audit_archive_digest_step(rd->digest, &r);
    snprintf(rd->prev_mac, sizeof rd->prev_mac, "%s", r.mac);
    rep->last_seq = r.seq;
    rep->records++;
    rd->expect = r.seq + 1;
    return 0;
}

/* The seal, once every record was read; -1 when it does not vouch for them. */
static int check_seal(reader *rd, const char *pk_hex, int64_t from, int64_t to)
{
    audit_archive_report *rep = rd->rep;
    const json_t *s = rd->seal;
    int64_t line = rd->line;
    int64_t first = json_integer_value(json_object_get(s, "first_seq"));
    int64_t last = json_integer_value(json_object_get(s, "last_seq"));
    int64_t records = json_integer_value(json_object_get(s, "records"));
    const char *sig_hex = json_string_value(json_object_get(s, "signature"));
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sig[crypto_sign_BYTES];
    size_t n = 0;
    if (!sig_hex || sodium_hex2bin(sig, sizeof sig, sig_hex, strlen(sig_hex), NULL, &n, NULL) ||
        n != sizeof sig || sodium_hex2bin(pk, sizeof pk, pk_hex, strlen(pk_hex), NULL, &n, NULL) ||
        n != sizeof pk)
        return bad(rep, line, "line %lld: the seal is malformed (第%lld行：封签格式错误)",
                   (long long)line, (long long)line);
    char *msg = seal_message(s, from, to);
    int sig_ok = crypto_sign_verify_detached(sig, (const unsigned char *)msg, strlen(msg), pk) == 0;
    free(msg);
    if (!sig_ok)
        return bad(rep, line,
                   "line %lld: the seal's signature does not verify: the header or the seal was "
                   "altered, or another key signed it (第%lld行：封签签名无效)",
                   (long long)line, (long long)line);
    if (records != rep->records ||
        (records && (first != rep->first_seq || last != rep->last_seq))) {
        if (records > rep->records && first == rep->first_seq)
            return bad(
                rep, line - 1,
                "line %lld: the archive ends at seq %lld but its seal covers seq %lld..%lld: "
                "records were cut out (第%lld行之后的记录被删除)",
                (long long)(line - 1), (long long)rep->last_seq, (long long)first, (long long)last,
                (long long)(line - 1));
        return bad(rep, line,
                   "line %lld: the seal covers %lld records (seq %lld..%lld) but the archive "
                   "holds %lld (seq %lld..%lld) (第%lld行：封签与记录条数不符)",
                   (long long)line, (long long)records, (long long)first, (long long)last,
                   (long long)rep->records, (long long)rep->first_seq, (long long)rep->last_seq,
                   (long long)line);
    }
    if (records && (strcmp(jsonx_str_or(s, "first_prev"), rd->first_prev) != 0 ||
                    strcmp(jsonx_str_or(s, "last_mac"), rd->prev_mac) != 0))
        return bad(rep, line,
                   "line %lld: the seal names other chain ends (第%lld行：封签与记录不衔接)",
                   (long long)line, (long long)line);
    if (strcmp(jsonx_str_or(s, "digest"), rd->digest) != 0)
        return bad(rep, 0,
                   "a record was altered: the records' digest differs from the sealed one "
                   "(give the audit key file, --key, to name the line) "
                   "(记录被篡改：摘要与封签不符；提供审计密钥文件可定位到行)");
    rep->chain_verified = json_is_true(json_object_get(s, "chain_verified"));
    rep->sealed_at = json_integer_value(json_object_get(s, "at"));
    return 0;
}

int audit_archive_verify(FILE *in, const audit *key, const char *public_key,
                         audit_archive_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->ok = 1;
    rep->macs_checked = key != NULL;
    reader rd = {.key = key, .rep = rep};
    audit_archive_digest_start(rd.digest);
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    int rc = 0;
    json_t *header = NULL;
    while (rc == 0 && (len = getline(&buf, &cap, in)) >= 0) {
        rd.line++;
        if (rd.seal) {
            rc = bad(rep, rd.line, "line %lld: text after the seal (第%lld行：封签之后还有内容)",
                     (long long)rd.line, (long long)rd.line);
            break;
        }
        json_error_t jerr;
        json_t *j = json_loadb(buf, (size_t)len, 0, &jerr);
        if (!json_is_object(j)) {
            json_decref(j);
            rc = bad(rep, rd.line, "line %lld: not valid JSON (第%lld行不是有效的JSON)",
                     (long long)rd.line, (long long)rd.line);
        } else if (!header) {
            if (strcmp(jsonx_str_or(j, "format"), ARCHIVE_FORMAT) != 0 ||
                json_integer_value(json_object_get(j, "version")) != 1) {
                json_decref(j);
                rc = bad(rep, 1, "line 1: not a duban audit archive (第1行：不是督办审计归档文件)");
            } else {
                header = j;
            }
        } else if (json_object_get(j, "seal")) {
            rd.seal = json_incref(json_object_get(j, "seal"));
            json_decref(j);
        } else {
            rc = read_record(&rd, j);
            json_decref(j);
        }
    }
    free(buf);
    if (rc == 0 && !header) rc = bad(rep, 1, "line 1: the file is empty (文件为空)");
    if (rc == 0 && !rd.seal)
        rc = bad(rep, rd.line,
                 "line %lld: the archive ends without its seal: it was cut short "
                 "(第%lld行之后缺少封签，文件被截断)",
                 (long long)rd.line, (long long)rd.line);
    if (rc == 0) {
        rep->from = json_integer_value(json_object_get(header, "from"));
        rep->to = json_integer_value(json_object_get(header, "to"));
        const char *own = jsonx_str_or(header, "public_key");
        char derived[65];
        if (key) {
            audit_public_key(key, derived);
            public_key = derived;
        }
        snprintf(rep->public_key, sizeof rep->public_key, "%s", public_key ? public_key : own);
        rep->own_key = !public_key;
        if (public_key && strcmp(own, public_key) != 0)
            rc = bad(rep, 1,
                     "line 1: the archive names public key %.16s…, not the expected %.16s… "
                     "(第1行：归档的公钥与预期不符)",
                     own, public_key);
        else
            rc = check_seal(&rd, rep->public_key, rep->from, rep->to);
    }
    json_decref(header);
    json_decref(rd.seal);
    return rc;
}
