/*
 * scan.h — the publishing review's term scanner: a draft's text is normalised (full-width →
 * half-width, traditional → simplified with OpenCC's t2s.json, case, digit variants, separators
 * and symbols inserted between characters, repeated characters, zero-width characters) with a
 * map back to the original byte offsets, then scanned with Vectorscan/Hyperscan against term
 * lists compiled into one database. Each hit names its term, its list (category, severity), its
 * span in the ORIGINAL text and the normalisations that made it match. Phrases of the whitelist
 * that contain a term suppress the hits inside them; terms of ASCII letters match whole words
 * only. Personal data (身份证号 with its checksum, mobile numbers, bank card numbers with Luhn)
 * are found on the normalised digits.
 *
 * A compiled database is immutable and shared by reference; scan_holder keeps the current one
 * and swaps in a replacement atomically (the old one serves every scan begun before the swap
 * and is freed after the last of them), so replacing a list never needs a restart.
 */
#ifndef DUBAN_PUBLISH_SCAN_H
#define DUBAN_PUBLISH_SCAN_H

#include <stddef.h>
#include <stdint.h>

/* Which normalisations a hit needed (bit set). */
enum {
    SCAN_N_FULLWIDTH = 1 << 0, /* ＡＢＣ１２３ → ABC123 */
    SCAN_N_T2S = 1 << 1,       /* 敏鹹 → 敏咸 (OpenCC t2s, per character) */
    SCAN_N_CASE = 1 << 2,      /* ABC → abc */
    SCAN_N_DIGIT = 1 << 3,     /* ① ⒈ ⑴ ❶ (and 壹 / 一 when configured) → 1 */
    SCAN_N_SEPARATOR = 1 << 4, /* 敏@感, 敏 感, 敏★感 */
    SCAN_N_REPEAT = 1 << 5,    /* 敏敏感感 */
    SCAN_N_ZEROWIDTH = 1 << 6, /* 敏\u200b感 */
};

/* Options of the normaliser (a database's terms are normalised with the same ones). */
enum {
    SCAN_OPT_CN_FINANCIAL = 1 << 0, /* 零壹贰叁肆伍陆柒捌玖 → 0–9 */
    SCAN_OPT_CN_NUMERALS = 1 << 1,  /* 〇一二三四五六七八九 → 0–9 */
};

typedef enum { SCAN_TERM = 0, SCAN_ID_CARD, SCAN_MOBILE, SCAN_BANK_CARD } scan_kind;

/* One entry of a term list as given to scan_db_compile. */
typedef struct {
    const char *term;     /* UTF-8 */
    const char *list;     /* the list's name, e.g. "政治敏感" */
    const char *category; /* e.g. "政治" */
    int severity;         /* 1 low … 3 high */
} scan_term;

typedef struct {
    scan_kind kind;
    int term_index;          /* index into the compiled terms (SCAN_TERM), else -1 */
    const char *term;        /* the term as listed (SCAN_TERM), else the kind's name */
    const char *list;        /* list name (SCAN_TERM), else "个人信息" */
    const char *category;
    int severity;            /* personal data: 2 */
    size_t start, end;       /* byte span in the ORIGINAL text, end exclusive */
    unsigned how;            /* SCAN_N_* bits */
} scan_hit;

typedef struct {
    scan_hit *hits;
    size_t n, cap;
} scan_result;

/* ---- normaliser (exposed for the tests, the fuzz target and the benchmark) ---- */

/* A normalised text: UTF-8 bytes, each normalised character mapped back to its original span. */
typedef struct {
    uint32_t cp;          /* the normalised code point */
    size_t ostart, oend;  /* its span in the original */
    unsigned how;         /* SCAN_N_FULLWIDTH | T2S | CASE | DIGIT for this character */
    unsigned before;      /* SCAN_N_SEPARATOR | ZEROWIDTH: something dropped just before it */
    uint32_t count;       /* characters collapsed into this one (repeats), ≥ 1 */
} scan_char;

typedef struct {
    char *text;        /* the collapsed normalised text, NUL-terminated */
    size_t len;
    uint32_t *byte_ch; /* byte offset in text → index into ch */
    scan_char *ch;     /* collapsed characters */
    size_t nch;
    scan_char *full;   /* before collapsing repeats (the personal-data scan reads these) */
    size_t nfull;
} scan_norm;

/* Prepares OpenCC's t2s table (once per process; thread-safe). 0, or -1 with a message. */
int scan_init(char *err, size_t errlen);
/* Normalises text[0..len). 0, or -1 when out of memory. */
int scan_normalise(const char *text, size_t len, unsigned opts, scan_norm *out);
void scan_norm_free(scan_norm *n);
/* The simplified form of one code point (itself when OpenCC has none); needs scan_init. */
uint32_t scan_t2s(uint32_t cp);

/* ---- databases ---- */

typedef struct scan_db scan_db;

/* Compiles terms and whitelist phrases (normalised with opts) into a database. Terms that
 * normalise to nothing are refused: NULL with a message naming the term. Zero terms give a
 * database that finds only personal data. */
scan_db *scan_db_compile(const scan_term *terms, size_t nterms, const char *const *whitelist,
                         size_t nwhite, unsigned opts, char *err, size_t errlen);
void scan_db_ref(scan_db *db);
void scan_db_unref(scan_db *db);
size_t scan_db_terms(const scan_db *db);

/* Scans text with db: hits in order of start (then end). 0, or -1 (out of memory, scan
 * failure) with res left empty. */
int scan_text(const scan_db *db, const char *text, size_t len, scan_result *res);
void scan_result_free(scan_result *res);
/* Appends a hit (0, or -1 when out of memory). */
int scan_result_push(scan_result *res, const scan_hit *h);

/* Personal data alone, on a normalised text (appends to res). */
int scan_personal(const scan_norm *n, scan_result *res);
/* The rules (exposed for the tests): 18 characters, checksum and a plausible birth date. */
int scan_id_card_valid(const char *s18);
int scan_luhn_valid(const char *digits, size_t n);

/* Names for the JSON and the UI. */
const char *scan_kind_name(scan_kind k); /* "term" "id_card" "mobile" "bank_card" */
/* Appends the Chinese names of the bits in how, joined by "、", to buf. */
void scan_how_text(unsigned how, char *buf, size_t buflen);

/* ---- the current database, replaced atomically ---- */

typedef struct scan_holder scan_holder;
scan_holder *scan_holder_new(void);
void scan_holder_free(scan_holder *h);
/* Takes a reference to the current database (NULL when none); release with scan_db_unref. */
scan_db *scan_holder_get(scan_holder *h);
/* Installs db (the holder takes the caller's reference); the previous one is released. */
void scan_holder_set(scan_holder *h, scan_db *db);

#endif
