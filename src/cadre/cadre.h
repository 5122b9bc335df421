/*
 * cadre — cadre supervision and early warning (干部监督预警, MECHANISMS.md §4): its public
 * interface, the pure rules the handlers and the tests share.
 *
 * The warning score of a cadre is a sum over the records of a rolling window: each clue and
 * each response contributes its base (weights by source, category, severity and state, or by
 * response kind, per mille) halved every half-life of its age; the level is 蓝/黄/红 by
 * thresholds, and a count rule (N clues not yet disposed from S different sources within D
 * days) raises the level to at least 黄. Every contribution is kept, so the score is shown
 * with its explanation. Impact periods run from the day of the response for its months:
 * a cadre is within it on days d with decided_on <= d < cal_add_months(decided_on, months).
 * Sealing (seal.c) is SM4-CTR with an HMAC-SM3 tag, keyed by keys derived from the key file.
 */
#ifndef DUBAN_CADRE_H
#define DUBAN_CADRE_H

#include "flow/calendar.h"

#include <stddef.h>
#include <stdint.h>

/* ---- the score (score.c) ---- */
typedef struct {
    int64_t window_days, half_life_days;
    int64_t level_blue, level_yellow, level_red; /* points per mille */
    int64_t count_clues, count_sources, count_days;
} cadre_config;

typedef struct {
    int is_clue;        /* 1: a clue, 0: a response */
    int64_t id;
    cal_day day;        /* occurred_on (clue) or decided_on (response) */
    int64_t base;       /* per mille, the product of its weights */
    int undisposed;     /* a clue not yet disposed in 研判 (for the count rule) */
    const char *source; /* a clue's source (for the count rule) */
} cadre_item;

typedef struct {
    int64_t points;   /* per mille, after decay; 0 outside the window */
    int64_t decay;    /* per mille of the base kept */
    int counted;      /* 1: within the window */
} cadre_contrib;

enum { CADRE_NONE = 0, CADRE_BLUE = 1, CADRE_YELLOW = 2, CADRE_RED = 3 };

typedef struct {
    int64_t score;   /* per mille */
    int level;       /* CADRE_NONE … CADRE_RED */
    int count_met;   /* 1: the count rule's condition holds */
    int by_count;    /* 1: the count rule raised the level */
    int count_clues, count_sources; /* what the count rule saw */
} cadre_result;

/* Scores items[0..n) at today, writing each contribution to contrib[i]. */
void cadre_score(const cadre_config *cfg, const cadre_item *items, size_t n, cal_day today,
                 cadre_contrib *contrib, cadre_result *out);
/* The product of weights per mille: a * b / 1000, rounded half up. */
int64_t cadre_mul(int64_t a, int64_t b);
/* "blue", "yellow", "red" or "" and their Chinese titles. */
const char *cadre_level_code(int level);
const char *cadre_level_title(int level);

/* ---- impact periods ---- */
/* The first day after the impact period (decided_on when months is 0). */
cal_day cadre_impact_end(cal_day decided_on, int months);
/* 1 when day lies within the impact period. */
int cadre_in_impact(cal_day decided_on, int months, cal_day day);

/* ---- ID numbers (idno.c): GB 11643 居民身份证号码 ---- */
/* 1 when s is 18 characters (17 digits and a digit or X) with a valid birth date and check. */
int cadre_idno_valid(const char *s);
/* The masked form: the first 6 and last 4 kept, "110105********123X". */
void cadre_idno_mask(const char *s, char out[19]);

/* ---- sealing (seal.c) ---- */
enum { CADRE_SEAL_OVERHEAD = 1 + 16 + 32 };
typedef struct {
    unsigned char enc[16], mac[32], idx[32];
} cadre_keyset;
/* The keys derived from 32 bytes of key material, or from a key file's bytes (0, or -1 with
 * err). */
void cadre_keyset_derive(const unsigned char key[32], cadre_keyset *k);
int cadre_keyset_load(const char *key_path, cadre_keyset *k, char *err, size_t errlen);
/* The process's keys (NULL before they are loaded). */
const cadre_keyset *cadre_seal_current(void);
/* Sealing, opening and hashing under given keys (the rotation re-seals from old to new). */
int cadre_seal_with(const cadre_keyset *k, const void *in, size_t n, unsigned char *out);
int cadre_unseal_with(const cadre_keyset *k, const unsigned char *in, size_t n,
                      unsigned char *out, size_t *outlen);
void cadre_seal_hash_with(const cadre_keyset *k, const char *s, char out[65]);
/* Opens in (n bytes) under from and seals the plaintext under to into out (n bytes), with the
 * plaintext's lookup hash under to when hash is not NULL; the plaintext is wiped. 0, or -1
 * when it does not open. */
int cadre_reseal_with(const cadre_keyset *from, const cadre_keyset *to, const unsigned char *in,
                      size_t n, unsigned char *out, char hash[65]);
/* Loads the keys from a key file (derived from its bytes); 0, or -1 with err. */
int cadre_seal_load(const char *key_path, char *err, size_t errlen);
/* Keys given directly (tests): 32 bytes of key material. */
void cadre_seal_set_key(const unsigned char key[32]);
/* Seals n bytes into out (n + CADRE_SEAL_OVERHEAD bytes). 0, or -1 without keys. */
int cadre_seal(const void *in, size_t n, unsigned char *out);
/* Opens a sealed blob into out (n - CADRE_SEAL_OVERHEAD bytes); -1 when the tag fails. */
int cadre_unseal(const unsigned char *in, size_t n, unsigned char *out, size_t *outlen);
/* A keyed SM3 of s as 64 hex characters (a lookup key for a unique ID number). */
void cadre_seal_hash(const char *s, char out[65]);

#endif
