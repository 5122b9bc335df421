/*
 * norm.c — the scanner's normaliser (scan.h): UTF-8 in, a normalised character sequence out,
 * each character knowing its span in the original text and which normalisations changed it.
 *
 * Per code point, in order: zero-width characters (U+200B–200F, 202A–202E, 2060–2064, FEFF,
 * 00AD, 180E, variation selectors) are dropped and marked on the next character; full-width
 * forms U+FF01–FF5E and U+3000 become ASCII; A–Z become a–z; traditional characters become
 * simplified (scan_t2s); digit variants (①–⑳, ⑴–⒇, ⒈–⒛, ❶–❿, ➀–➓, full-width digits, and
 * 壹 / 一 … when configured) become ASCII digits, "⑩" giving "10"; separators (ASCII
 * punctuation and spaces, CJK and general punctuation, symbols, arrows, shapes, emoji) are
 * dropped and marked on the next character. Invalid UTF-8 bytes become U+FFFD one byte each.
 * Finally runs of the same code point collapse into one character with a count, so 敏敏感感
 * and 敏感 meet (a term's own doubled characters must be matched as often); the uncollapsed sequence is kept for the personal-data scan.
 */
#include "publish/scan.h"

#include <stdlib.h>
#include <string.h>

/* Decodes one code point at s[i..len): its value and length (invalid: U+FFFD, 1 byte). */
static uint32_t utf8_next(const unsigned char *s, size_t len, size_t i, size_t *n)
{
    unsigned char c = s[i];
    if (c < 0x80) { *n = 1; return c; }
    int need; uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; min = 0x10000; }
    else { *n = 1; return 0xFFFD; }
    if ((size_t)need > len - i - 1) { *n = 1; return 0xFFFD; }
    for (int k = 1; k <= need; k++) {
        unsigned char d = s[i + (size_t)k];
        if ((d & 0xC0) != 0x80) { *n = 1; return 0xFFFD; }
        cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { *n = 1; return 0xFFFD; }
    *n = (size_t)need + 1;
    return cp;
}

static size_t utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int zero_width(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF || cp == 0x00AD || cp == 0x180E ||
           (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x034F;
}

static int separator(uint32_t cp)
{
    if (cp < 0x80) return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                            (cp >= 'A' && cp <= 'Z'));
    return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 ||
           (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20CF) ||
           (cp >= 0x2100 && cp <= 0x245F) || (cp >= 0x2500 && cp <= 0x2775) ||
           (cp >= 0x2794 && cp <= 0x2BFF) || (cp >= 0x2E00 && cp <= 0x2E7F) ||
           (cp >= 0x3000 && cp <= 0x3006) || (cp >= 0x3008 && cp <= 0x303F) ||
           cp == 0x30FB || (cp >= 0xFE10 && cp <= 0xFE6F) || (cp >= 0xFF5F && cp <= 0xFF65) ||
           (cp >= 0xFFE0 && cp <= 0xFFEF) || cp == 0xFFFD || (cp >= 0x1F000 && cp <= 0x1FAFF);
}

/* Digit variants: the digits' value (0–20) or -1. */
static int digit_value(uint32_t cp, unsigned opts)
{
    if (cp >= 0x2460 && cp <= 0x2473) return (int)(cp - 0x2460) + 1; /* ①–⑳ */
    if (cp >= 0x2474 && cp <= 0x2487) return (int)(cp - 0x2474) + 1; /* ⑴–⒇ */
    if (cp >= 0x2488 && cp <= 0x249B) return (int)(cp - 0x2488) + 1; /* ⒈–⒛ */
    if (cp == 0x24EA || cp == 0x24FF || cp == 0x1F10B || cp == 0x1F10C) return 0; /* ⓪ ⓿ */
    if (cp >= 0x24EB && cp <= 0x24F4) return (int)(cp - 0x24EB) + 11; /* ⓫–⓴ */
    if (cp >= 0x24F5 && cp <= 0x24FE) return (int)(cp - 0x24F5) + 1;  /* ⓵–⓾ */
    if (cp >= 0x2776 && cp <= 0x2793) return (int)((cp - 0x2776) % 10) + 1; /* ❶ ➀ ➊ */
    if (cp >= 0x1D7CE && cp <= 0x1D7FF) return (int)((cp - 0x1D7CE) % 10); /* math digits */
    if (opts & SCAN_OPT_CN_FINANCIAL) {
        static const uint32_t fin[] = {0x96F6, 0x58F9, 0x8D30, 0x53C1, 0x8086,
                                       0x4F0D, 0x9646, 0x67D2, 0x634C, 0x7396};
        for (int k = 0; k < 10; k++) if (cp == fin[k]) return k;
    }
    if (opts & SCAN_OPT_CN_NUMERALS) {
        static const uint32_t num[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                       0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
        for (int k = 0; k < 10; k++) if (cp == num[k]) return k;
    }
    return -1;
}

typedef struct {
    scan_char *v;
    size_t n, cap;
} charvec;

static int push(charvec *cv, scan_char c)
{
    if (cv->n == cv->cap) {
        size_t cap = cv->cap ? cv->cap * 2 : 64;
        scan_char *v = realloc(cv->v, cap * sizeof *v);
        if (!v) return -1;
        cv->v = v; cv->cap = cap;
    }
    cv->v[cv->n++] = c;
    return 0;
}

void scan_norm_free(scan_norm *n)
{
    if (!n) return;
    free(n->text); free(n->byte_ch); free(n->ch); free(n->full);
    memset(n, 0, sizeof *n);
}

int scan_normalise(const char *text, size_t len, unsigned opts, scan_norm *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *s = (const unsigned char *)text;
    charvec full = {0};
    unsigned pending = 0; /* SEPARATOR / ZEROWIDTH dropped since the last character */
    for (size_t i = 0; i < len;) {
        size_t n;
        uint32_t cp = utf8_next(s, len, i, &n);
        size_t os = i;
        i += n;
        if (zero_width(cp)) { pending |= SCAN_N_ZEROWIDTH; continue; }
        unsigned how = 0;
        if (cp >= 0xFF01 && cp <= 0xFF5E) { cp -= 0xFEE0; how |= SCAN_N_FULLWIDTH; }
        else if (cp == 0x3000) { cp = ' '; how |= SCAN_N_FULLWIDTH; }
        if (cp >= 'A' && cp <= 'Z') { cp += 32; how |= SCAN_N_CASE; }
        if (cp >= 0x3400) {
            uint32_t t = scan_t2s(cp);
            if (t != cp) { cp = t; how |= SCAN_N_T2S; }
        }
        int d = cp >= 0x2460 ? digit_value(cp, opts) : -1;
        if (d >= 0) {
            how |= SCAN_N_DIGIT;
            if (d >= 10) {
                scan_char c = {(uint32_t)('0' + d / 10), os, i, how, pending, 1};
                if (push(&full, c)) goto oom;
                pending = 0;
            }
            cp = (uint32_t)('0' + d % 10);
        }
        if (separator(cp)) { pending |= SCAN_N_SEPARATOR; continue; }
        scan_char c = {cp, os, i, how, pending, 1};
        if (push(&full, c)) goto oom;
        pending = 0;
    }
    /* Collapse repeats. */
    charvec col = {0};
    size_t bytes = 0;
    for (size_t k = 0; k < full.n; k++) {
        scan_char c = full.v[k];
        if (col.n && col.v[col.n - 1].cp == c.cp) {
            scan_char *p = &col.v[col.n - 1]; /* 敏敏感感, 敏.敏: what was dropped inside */
            p->oend = c.oend; p->how |= c.how | c.before; p->count++;
            continue;
        }
        if (push(&col, c)) { free(col.v); goto oom; }
        char tmp[4];
        bytes += utf8_put(tmp, c.cp);
    }
    out->text = malloc(bytes + 1);
    out->byte_ch = malloc((bytes + 1) * sizeof *out->byte_ch);
    if (!out->text || !out->byte_ch) { free(col.v); goto oom; }
    size_t at = 0;
    for (size_t k = 0; k < col.n; k++) {
        size_t w = utf8_put(out->text + at, col.v[k].cp);
        for (size_t b = 0; b < w; b++) out->byte_ch[at + b] = (uint32_t)k;
        at += w;
    }
    out->text[at] = '\0';
    out->byte_ch[at] = (uint32_t)col.n;
    out->len = at;
    out->ch = col.v; out->nch = col.n;
    out->full = full.v; out->nfull = full.n;
    return 0;
oom:
    free(full.v);
    scan_norm_free(out);
    return -1;
}
