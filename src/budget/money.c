/*
 * money — exact decimals for the cost sheet (see money.h): parsing, formatting, the line rule
 * quantity × unit price rounded half up to the fen, and money targets stated in 元/万元/亿元.
 */
#include "budget/money.h"

#include <stdio.h>
#include <string.h>

int money_parse(const char *s, int digits, int64_t max, int64_t *out)
{
    if (!s || !*s || digits < 0 || digits > 6) return -1;
    __int128 v = 0;
    int seen = 0, frac = -1, sig = 0;
    for (const char *c = s; *c; c++) {
        if (*c == '.') {
            if (frac >= 0 || !seen) return -1; /* ".5" and "1.2.3" are not numbers */
            frac = 0;
            continue;
        }
        if (*c < '0' || *c > '9') return -1;
        if (frac >= 0 && ++frac > digits) {
            if (*c != '0') return -1; /* more precision than the unit has */
            continue;
        }
        if (v || *c != '0') sig++;
        if (sig > 18) return -1;
        v = v * 10 + (*c - '0');
        seen = 1;
    }
    if (!seen || frac == 0) return -1; /* "" and "12." */
    for (int k = frac < 0 ? 0 : frac; k < digits; k++)
        v *= 10;
    if (v > max) return -1;
    *out = (int64_t)v;
    return 0;
}

void money_format(int64_t v, int digits, char *buf, size_t n)
{
    int64_t scale = 1;
    for (int k = 0; k < digits; k++)
        scale *= 10;
    int64_t whole = v / scale, frac = v % scale;
    if (frac == 0) {
        snprintf(buf, n, "%lld", (long long)whole);
        return;
    }
    char f[24];
    snprintf(f, sizeof f, "%0*lld", digits & 7, (long long)frac);
    for (size_t k = strlen(f); k > 0 && f[k - 1] == '0'; k--)
        f[k - 1] = 0;
    snprintf(buf, n, "%lld.%s", (long long)whole, f);
}

void money_yuan(int64_t fen, char *buf, size_t n)
{
    snprintf(buf, n, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
}

int money_line_amount(int64_t qty_milli, int64_t price_fen, int64_t *amount)
{
    if (qty_milli < 0 || price_fen < 0) return -1;
    __int128 p = (__int128)qty_milli * price_fen;
    __int128 r = (p + 500) / 1000; /* half up: 0.0005 元 and more of a fen counts as a fen */
    if (r > BUDGET_FEN_MAX) return -1;
    *amount = (int64_t)r;
    return 0;
}

int money_add(int64_t a, int64_t b, int64_t *sum)
{
    if (a < 0 || b < 0 || a > BUDGET_FEN_MAX || b > BUDGET_FEN_MAX - a) return -1;
    *sum = a + b;
    return 0;
}

int money_in_unit(const char *value, const char *unit, int64_t *fen)
{
    int digits;
    int64_t mult;
    if (!unit) return -1;
    if (strcmp(unit, "元") == 0) digits = 2, mult = 1;
    else if (strcmp(unit, "万元") == 0) digits = 6, mult = 1;
    else if (strcmp(unit, "亿元") == 0) digits = 6, mult = 10000; /* 1 亿元 = 10^10 fen */
    else return -1;
    int64_t v;
    if (money_parse(value, digits, BUDGET_FEN_MAX, &v)) return -1;
    if (v > BUDGET_FEN_MAX / mult) return -1;
    *fen = v * mult;
    return 0;
}
