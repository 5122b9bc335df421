/*
 * pii.c — personal data in a draft (scan.h): 身份证号 (18 characters, the GB 11643 checksum and
 * a birth date that exists), mobile numbers (11 digits 1[3-9]…, or with 86 in front) and bank
 * card numbers (16–19 digits, Luhn, a card network's first digit).
 *
 * Read from the normalised, uncollapsed characters, so full-width digits (１３８…), digits with
 * zero-width characters between them and numbers written in groups (138 1234 5678,
 * 6222-0212-3456-7890) are found. Digits form groups; groups separated only by dropped
 * separators form a chain; a kept character (a letter, 年, 号) ends the chain. Each window of
 * whole consecutive groups is a candidate, the longest valid one starting at a group wins, so a
 * long number is never cut in the middle into a "phone number".
 */
#include "publish/scan.h"

#include <stdlib.h>
#include <string.h>

int scan_luhn_valid(const char *d, size_t n)
{
    if (n < 2) return 0;
    int sum = 0;
    for (size_t i = 0; i < n; i++) {
        char c = d[n - 1 - i];
        if (c < '0' || c > '9') return 0;
        int v = c - '0';
        if (i % 2 == 1) { v *= 2; if (v > 9) v -= 9; }
        sum += v;
    }
    return sum % 10 == 0;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

int scan_id_card_valid(const char *s)
{
    static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        sum += (s[i] - '0') * w[i];
    }
    char last = s[17] == 'x' ? 'X' : s[17];
    if (check[sum % 11] != last) return 0;
    if (s[0] < '1' || s[0] > '9') return 0;
    int y = num(s + 6, 4), m = num(s + 10, 2), d = num(s + 12, 2);
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return 0;
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d > mdays[m - 1] || (m == 2 && d == 29 && !leap)) return 0;
    return 1;
}

static int mobile(const char *s, size_t n)
{
    if (n == 13 && s[0] == '8' && s[1] == '6') { s += 2; n -= 2; }
    return n == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

static int bank_card(const char *s, size_t n)
{
    return n >= 16 && n <= 19 && strchr("3456", s[0]) && scan_luhn_valid(s, n);
}

typedef struct {
    size_t first, last; /* indexes into full[] */
} group;

static int emit(const scan_norm *nm, scan_result *res, scan_kind k, size_t a, size_t b)
{
    static const char *names[] = {"", "身份证号", "手机号码", "银行卡号"};
    unsigned how = 0;
    for (size_t i = a; i <= b; i++) { how |= nm->full[i].how; if (i > a) how |= nm->full[i].before; }
    scan_hit h = {k, -1, names[k], "个人信息", "个人信息", 2,
                  nm->full[a].ostart, nm->full[b].oend, how};
    return scan_result_push(res, &h);
}

/* One chain of groups: every window of whole groups, longest valid first. */
static int chain(const scan_norm *nm, const group *g, size_t ng, scan_result *res)
{
    char buf[24];
    for (size_t i = 0; i < ng;) {
        size_t best_j = 0; scan_kind best = SCAN_TERM;
        size_t len = 0;
        for (size_t j = i; j < ng; j++) {
            size_t gl = g[j].last - g[j].first + 1;
            if (len + gl > 19) break;
            for (size_t k = g[j].first; k <= g[j].last; k++) buf[len++] = (char)nm->full[k].cp;
            scan_kind k = SCAN_TERM;
            if (len == 18 && scan_id_card_valid(buf)) k = SCAN_ID_CARD;
            else if (memchr(buf, 'x', len)) k = SCAN_TERM; /* x only in an ID */
            else if (mobile(buf, len)) k = SCAN_MOBILE;
            else if (bank_card(buf, len)) k = SCAN_BANK_CARD;
            if (k != SCAN_TERM) { best = k; best_j = j; }
        }
        if (best == SCAN_TERM) { i++; continue; }
        if (emit(nm, res, best, g[i].first, g[best_j].last)) return -1;
        i = best_j + 1;
    }
    return 0;
}

int scan_personal(const scan_norm *nm, scan_result *res)
{
    group *g = NULL;
    size_t ng = 0, cap = 0;
    int rc = 0;
    size_t k = 0;
    while (k < nm->nfull && rc == 0) {
        uint32_t cp = nm->full[k].cp;
        if (cp < '0' || cp > '9') {
            if (ng && chain(nm, g, ng, res)) rc = -1;
            ng = 0;
            k++;
            continue;
        }
        /* A new group; it joins the chain when only dropped separators came between. */
        if (ng && g[ng - 1].last + 1 != k) {
            if (chain(nm, g, ng, res)) { rc = -1; break; }
            ng = 0;
        }
        size_t s = k;
        while (k + 1 < nm->nfull && nm->full[k + 1].cp >= '0' && nm->full[k + 1].cp <= '9' &&
               !nm->full[k + 1].before)
            k++;
        /* An ID's final x belongs to its group and ends the chain after it. */
        int x_end = k + 1 < nm->nfull && nm->full[k + 1].cp == 'x' && !nm->full[k + 1].before;
        if (x_end) k++;
        if (ng == cap) {
            cap = cap ? cap * 2 : 8;
            group *v = realloc(g, cap * sizeof *v);
            if (!v) { rc = -1; break; }
            g = v;
        }
        g[ng++] = (group){s, k};
        k++;
        if (x_end) {
            if (chain(nm, g, ng, res)) rc = -1;
            ng = 0;
            /* a letter right after the x: the x was part of a word, the chain is done anyway */
        }
    }
    if (rc == 0 && ng && chain(nm, g, ng, res)) rc = -1;
    free(g);
    return rc;
}
