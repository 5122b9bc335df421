/*
 * scan.c — the one module that talks to Vectorscan/Hyperscan (<hs/hs.h>) and OpenCC
 * (<opencc/opencc.h>), behind scan.h.
 *
 * OpenCC's t2s.json is asked once per process for the simplified form of every CJK code point
 * (U+3400–9FFF, U+F900–FAFF) in one conversion, characters separated by newlines, giving a
 * table the normaliser reads per character (phrase-level conversions are not used: a term and
 * the text are normalised alike, so the per-character form is what they meet on).
 *
 * A database holds the normalised, collapsed literals of the terms (ids 0…n-1) and of the
 * whitelist phrases (ids n…), compiled with hs_compile_lit_multi in block mode; a hit's start is
 * its end minus the literal's length, mapped to characters and then to the original text.
 * Scratch spaces are cloned from a prototype and pooled per database. The holder swaps
 * databases under a mutex; a database is freed by its last reference.
 */
#include "publish/scan.h"

#include <hs/hs.h>
#include <opencc/opencc.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- OpenCC's table ---- */

#define T2S_A0 0x3400u
#define T2S_A1 0x9FFFu
#define T2S_B0 0xF900u
#define T2S_B1 0xFAFFu
#define T2S_NA (T2S_A1 - T2S_A0 + 1)
#define T2S_N (T2S_NA + (T2S_B1 - T2S_B0 + 1))

static uint32_t t2s_table[T2S_N];
static int t2s_ready;
static char t2s_err[160];
static pthread_once_t t2s_once = PTHREAD_ONCE_INIT;

static size_t idx_of(uint32_t cp)
{
    if (cp >= T2S_A0 && cp <= T2S_A1) return cp - T2S_A0;
    if (cp >= T2S_B0 && cp <= T2S_B1) return T2S_NA + (cp - T2S_B0);
    return (size_t)-1;
}

static uint32_t cp_at(size_t i) { return i < T2S_NA ? T2S_A0 + (uint32_t)i : T2S_B0 + (uint32_t)(i - T2S_NA); }

static size_t put3(char *o, uint32_t cp)
{
    o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* The one code point of a UTF-8 line, or 0 when it is not exactly one. */
static uint32_t single_cp(const unsigned char *s, size_t n)
{
    if (n == 1 && s[0] < 0x80) return s[0];
    if (n == 2 && (s[0] & 0xE0) == 0xC0) return ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
    if (n == 3 && (s[0] & 0xF0) == 0xE0)
        return ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    if (n == 4 && (s[0] & 0xF8) == 0xF0)
        return ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
               ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 0;
}

static void t2s_build(void)
{
    for (size_t i = 0; i < T2S_N; i++) t2s_table[i] = cp_at(i);
    opencc_t cc = opencc_open("t2s.json");
    if (cc == (opencc_t)-1) {
        snprintf(t2s_err, sizeof t2s_err, "OpenCC 无法打开 t2s.json：%s", opencc_error());
        return;
    }
    char *in = malloc(T2S_N * 4 + 1);
    if (!in) { opencc_close(cc); snprintf(t2s_err, sizeof t2s_err, "内存不足"); return; }
    size_t at = 0;
    for (size_t i = 0; i < T2S_N; i++) { at += put3(in + at, cp_at(i)); in[at++] = '\n'; }
    char *out = opencc_convert_utf8(cc, in, at);
    free(in);
    if (!out) {
        snprintf(t2s_err, sizeof t2s_err, "OpenCC 转换失败：%s", opencc_error());
        opencc_close(cc);
        return;
    }
    const unsigned char *p = (const unsigned char *)out;
    size_t i = 0;
    while (*p && i < T2S_N) {
        const unsigned char *e = (const unsigned char *)strchr((const char *)p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen((const char *)p);
        uint32_t cp = single_cp(p, n);
        if (cp >= 0x80) t2s_table[i] = cp;
        i++;
        if (!e) break;
        p = e + 1;
    }
    opencc_convert_utf8_free(out);
    opencc_close(cc);
    if (i != T2S_N) {
        for (size_t k = 0; k < T2S_N; k++) t2s_table[k] = cp_at(k);
        snprintf(t2s_err, sizeof t2s_err, "OpenCC 的结果与输入不对应（%zu/%u 行）", i, T2S_N);
        return;
    }
    t2s_ready = 1;
}

int scan_init(char *err, size_t errlen)
{
    pthread_once(&t2s_once, t2s_build);
    if (!t2s_ready) {
        if (err && errlen) snprintf(err, errlen, "%s", t2s_err);
        return -1;
    }
    return 0;
}

uint32_t scan_t2s(uint32_t cp)
{
    size_t i = idx_of(cp);
    return i == (size_t)-1 ? cp : t2s_table[i];
}

/* ---- databases ---- */

typedef struct {
    char *term, *list, *category;
    int severity;
    uint32_t *counts; /* required repeats per collapsed character */
    size_t nch;
    int word_start, word_end; /* ASCII letter/digit at the edge: whole words only */
} entry;

#define POOL 8

struct scan_db {
    atomic_int refs;
    hs_database_t *hs;
    hs_scratch_t *proto;
    unsigned opts;
    entry *terms;
    size_t nterms;
    size_t *white_nch;
    size_t nwhite;
    size_t *lit_len; /* bytes of each literal, by id */
    pthread_mutex_t mu;
    hs_scratch_t *pool[POOL];
    int npool;
};

static int ascii_alnum(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z');
}

static void db_free(scan_db *db)
{
    if (!db) return;
    for (size_t i = 0; i < db->nterms; i++) {
        free(db->terms[i].term); free(db->terms[i].list); free(db->terms[i].category);
        free(db->terms[i].counts);
    }
    free(db->terms); free(db->white_nch); free(db->lit_len);
    for (int i = 0; i < db->npool; i++) hs_free_scratch(db->pool[i]);
    if (db->proto) hs_free_scratch(db->proto);
    if (db->hs) hs_free_database(db->hs);
    pthread_mutex_destroy(&db->mu);
    free(db);
}

void scan_db_ref(scan_db *db) { if (db) atomic_fetch_add(&db->refs, 1); }
void scan_db_unref(scan_db *db)
{
    if (db && atomic_fetch_sub(&db->refs, 1) == 1) db_free(db);
}
size_t scan_db_terms(const scan_db *db) { return db ? db->nterms : 0; }

static char *dup(const char *s) { return strdup(s ? s : ""); }

scan_db *scan_db_compile(const scan_term *terms, size_t nterms, const char *const *whitelist,
                         size_t nwhite, unsigned opts, char *err, size_t errlen)
{
    if (scan_init(err, errlen)) return NULL;
    scan_db *db = calloc(1, sizeof *db);
    if (!db) { snprintf(err, errlen, "内存不足"); return NULL; }
    atomic_init(&db->refs, 1);
    pthread_mutex_init(&db->mu, NULL);
    db->opts = opts;
    size_t total = nterms + nwhite;
    db->terms = calloc(nterms ? nterms : 1, sizeof *db->terms);
    db->white_nch = calloc(nwhite ? nwhite : 1, sizeof *db->white_nch);
    db->lit_len = calloc(total ? total : 1, sizeof *db->lit_len);
    char **lits = calloc(total ? total : 1, sizeof *lits);
    unsigned *ids = calloc(total ? total : 1, sizeof *ids);
    unsigned *flags = calloc(total ? total : 1, sizeof *flags);
    if (!db->terms || !db->white_nch || !db->lit_len || !lits || !ids || !flags) {
        snprintf(err, errlen, "内存不足");
        goto fail;
    }
    for (size_t i = 0; i < total; i++) {
        const char *src = i < nterms ? terms[i].term : whitelist[i - nterms];
        scan_norm n;
        if (!src || scan_normalise(src, strlen(src), opts, &n)) {
            snprintf(err, errlen, "内存不足");
            goto fail;
        }
        if (n.len == 0) {
            scan_norm_free(&n);
            snprintf(err, errlen, "%s“%s”只含符号或空白，无法匹配", i < nterms ? "词条" : "白名单短语",
                     src ? src : "");
            goto fail;
        }
        lits[i] = n.text; n.text = NULL;
        db->lit_len[i] = n.len;
        ids[i] = (unsigned)i;
        if (i < nterms) {
            entry *e = &db->terms[i];
            db->nterms = i + 1;
            e->term = dup(terms[i].term); e->list = dup(terms[i].list);
            e->category = dup(terms[i].category);
            e->severity = terms[i].severity;
            e->nch = n.nch;
            e->counts = malloc(n.nch * sizeof *e->counts);
            if (!e->term || !e->list || !e->category || !e->counts) {
                scan_norm_free(&n);
                snprintf(err, errlen, "内存不足");
                goto fail;
            }
            for (size_t k = 0; k < n.nch; k++) e->counts[k] = n.ch[k].count;
            e->word_start = ascii_alnum(n.ch[0].cp);
            e->word_end = ascii_alnum(n.ch[n.nch - 1].cp);
        } else {
            db->white_nch[i - nterms] = n.nch;
        }
        scan_norm_free(&n);
    }
    db->nwhite = nwhite;
    if (total) {
        hs_compile_error_t *ce = NULL;
        if (hs_compile_lit_multi((const char *const *)lits, flags, ids, db->lit_len,
                                 (unsigned)total, HS_MODE_BLOCK, NULL, &db->hs, &ce) != HS_SUCCESS) {
            snprintf(err, errlen, "词库编译失败：%s", ce && ce->message ? ce->message : "?");
            if (ce) hs_free_compile_error(ce);
            goto fail;
        }
        if (hs_alloc_scratch(db->hs, &db->proto) != HS_SUCCESS) {
            snprintf(err, errlen, "内存不足");
            goto fail;
        }
    }
    for (size_t i = 0; i < total; i++) free(lits[i]);
    free(lits); free(ids); free(flags);
    return db;
fail:
    if (lits) for (size_t i = 0; i < total; i++) free(lits[i]);
    free(lits); free(ids); free(flags);
    db_free(db);
    return NULL;
}

/* ---- scanning ---- */

typedef struct {
    unsigned id;
    size_t end;
} raw;

typedef struct {
    raw *v;
    size_t n, cap;
    int oom;
} rawvec;

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
                    unsigned int fl, void *ctx)
{
    (void)from; (void)fl;
    rawvec *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        raw *v = realloc(r->v, cap * sizeof *v);
        if (!v) { r->oom = 1; return 1; }
        r->v = v; r->cap = cap;
    }
    r->v[r->n++] = (raw){id, (size_t)to};
    return 0;
}

int scan_result_push(scan_result *res, const scan_hit *h)
{
    if (res->n == res->cap) {
        size_t cap = res->cap ? res->cap * 2 : 16;
        scan_hit *v = realloc(res->hits, cap * sizeof *v);
        if (!v) return -1;
        res->hits = v; res->cap = cap;
    }
    res->hits[res->n++] = *h;
    return 0;
}

void scan_result_free(scan_result *res)
{
    if (!res) return;
    free(res->hits);
    memset(res, 0, sizeof *res);
}

static hs_scratch_t *scratch_get(scan_db *db)
{
    hs_scratch_t *s = NULL;
    pthread_mutex_lock(&db->mu);
    if (db->npool) s = db->pool[--db->npool];
    pthread_mutex_unlock(&db->mu);
    if (!s && hs_clone_scratch(db->proto, &s) != HS_SUCCESS) return NULL;
    return s;
}

static void scratch_put(scan_db *db, hs_scratch_t *s)
{
    pthread_mutex_lock(&db->mu);
    if (db->npool < POOL) { db->pool[db->npool++] = s; s = NULL; }
    pthread_mutex_unlock(&db->mu);
    if (s) hs_free_scratch(s);
}

static int hit_cmp(const void *a, const void *b)
{
    const scan_hit *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return (x->term_index > y->term_index) - (x->term_index < y->term_index);
}

/* Does term hit at characters [cs, ce] hold: enough repeats, whole words? Sets *how. */
static int term_holds(const entry *e, const scan_norm *n, size_t cs, size_t ce, unsigned *how)
{
    unsigned h = 0;
    for (size_t k = 0; k < e->nch; k++) {
        const scan_char *c = &n->ch[cs + k];
        if (c->count < e->counts[k]) return 0;
        if (c->count > e->counts[k]) h |= SCAN_N_REPEAT;
        h |= c->how;
        if (k) h |= c->before;
    }
    if (e->word_start && cs > 0 && ascii_alnum(n->ch[cs - 1].cp) && !n->ch[cs].before) return 0;
    if (e->word_end && ce + 1 < n->nch && ascii_alnum(n->ch[ce + 1].cp) && !n->ch[ce + 1].before)
        return 0;
    *how = h;
    return 1;
}

int scan_text(const scan_db *cdb, const char *text, size_t len, scan_result *res)
{
    scan_db *db = (scan_db *)cdb;
    memset(res, 0, sizeof *res);
    scan_norm n;
    if (scan_normalise(text, len, db ? db->opts : 0, &n)) return -1;
    rawvec r = {0};
    int rc = 0;
    if (db && db->hs && n.len) {
        hs_scratch_t *s = scratch_get(db);
        if (!s) { rc = -1; goto out; }
        hs_error_t e = hs_scan(db->hs, n.text, (unsigned)n.len, 0, s, on_match, &r);
        scratch_put(db, s);
        if (r.oom || (e != HS_SUCCESS && e != HS_SCAN_TERMINATED)) { rc = -1; goto out; }
    }
    /* Whitelist spans first, in characters. */
    size_t nw = 0, nt = db ? db->nterms : 0;
    for (size_t i = 0; i < r.n; i++) if (r.v[i].id >= nt) nw++;
    size_t (*white)[2] = nw ? malloc(nw * sizeof *white) : NULL;
    if (nw && !white) { rc = -1; goto out; }
    nw = 0;
    for (size_t i = 0; i < r.n; i++) {
        if (r.v[i].id < nt) continue;
        size_t sb = r.v[i].end - db->lit_len[r.v[i].id];
        white[nw][0] = n.byte_ch[sb];
        white[nw][1] = n.byte_ch[r.v[i].end - 1];
        nw++;
    }
    for (size_t i = 0; i < r.n && rc == 0; i++) {
        unsigned id = r.v[i].id;
        if (id >= nt) continue;
        const entry *e = &db->terms[id];
        size_t sb = r.v[i].end - db->lit_len[id];
        size_t cs = n.byte_ch[sb], ce = n.byte_ch[r.v[i].end - 1];
        unsigned how = 0;
        if (!term_holds(e, &n, cs, ce, &how)) continue;
        int white_out = 0;
        for (size_t w = 0; w < nw && !white_out; w++)
            if (white[w][0] <= cs && ce <= white[w][1]) white_out = 1;
        if (white_out) continue;
        scan_hit h = {SCAN_TERM, (int)id, e->term, e->list, e->category, e->severity,
                      n.ch[cs].ostart, n.ch[ce].oend, how};
        if (scan_result_push(res, &h)) rc = -1;
    }
    free(white);
    if (rc == 0 && scan_personal(&n, res)) rc = -1;
    if (rc == 0 && res->n > 1) qsort(res->hits, res->n, sizeof *res->hits, hit_cmp);
out:
    free(r.v);
    scan_norm_free(&n);
    if (rc) scan_result_free(res);
    return rc;
}

/* ---- names ---- */

const char *scan_kind_name(scan_kind k)
{
    switch (k) {
    case SCAN_TERM: return "term";
    case SCAN_ID_CARD: return "id_card";
    case SCAN_MOBILE: return "mobile";
    case SCAN_BANK_CARD: return "bank_card";
    }
    return "term";
}

void scan_how_text(unsigned how, char *buf, size_t buflen)
{
    static const char *names[] = {"全角字符", "繁体字", "大小写", "数字变体",
                                  "插入符号", "重复字符", "零宽字符"};
    if (!buflen) return;
    buf[0] = '\0';
    size_t at = 0;
    for (int i = 0; i < 7; i++) {
        if (!(how & (1u << i))) continue;
        int w = snprintf(buf + at, buflen - at, "%s%s", at ? "、" : "", names[i]);
        if (w < 0 || (size_t)w >= buflen - at) break;
        at += (size_t)w;
    }
}

/* ---- the holder ---- */

struct scan_holder {
    pthread_mutex_t mu;
    scan_db *db;
};

scan_holder *scan_holder_new(void)
{
    scan_holder *h = calloc(1, sizeof *h);
    if (h) pthread_mutex_init(&h->mu, NULL);
    return h;
}

void scan_holder_free(scan_holder *h)
{
    if (!h) return;
    scan_db_unref(h->db);
    pthread_mutex_destroy(&h->mu);
    free(h);
}

scan_db *scan_holder_get(scan_holder *h)
{
    pthread_mutex_lock(&h->mu);
    scan_db *db = h->db;
    scan_db_ref(db);
    pthread_mutex_unlock(&h->mu);
    return db;
}

void scan_holder_set(scan_holder *h, scan_db *db)
{
    pthread_mutex_lock(&h->mu);
    scan_db *old = h->db;
    h->db = db;
    pthread_mutex_unlock(&h->mu);
    scan_db_unref(old);
}
