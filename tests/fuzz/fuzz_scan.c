/*
 * fuzz_scan — libFuzzer target for the publishing review's normaliser and scanner
 * (src/publish/norm.c, scan.c, pii.c).
 *
 * The input's first byte picks the normaliser's options, the rest is the text. Checked: the
 * normalised text is valid UTF-8 of its characters, every character maps to a span inside the
 * input in increasing order, the byte → character map agrees; every hit's span lies inside the
 * input, and for a term the normalised span contains the term's own normalised form (the map
 * back is right); personal-data hits are digits.
 */
#include "publish/scan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const scan_term TERMS[] = {
    {"代开发票", "l", "c", 3}, {"赌博", "l", "c", 3}, {"ass", "l", "c", 1},
    {"110", "l", "c", 2},      {"谢谢", "l", "c", 1}, {"法轮", "l", "c", 3},
};
#define NT (sizeof TERMS / sizeof TERMS[0])
static const char *WHITE[] = {"宪法轮流"};
static scan_db *dbs[4];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    unsigned opts = data[0] & 3;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    char err[200];
    if (!dbs[opts]) {
        dbs[opts] = scan_db_compile(TERMS, NT, WHITE, 1, opts, err, sizeof err);
        if (!dbs[opts]) abort();
    }
    scan_norm n;
    if (scan_normalise(text, len, opts, &n)) return 0;
    if (strlen(n.text) != n.len) abort();
    /* Spans grow in order; they may overlap only where one original character gave two
     * (⑳ → 2 0) and a repeat was collapsed into the first ("2⑳"). */
    for (size_t k = 0; k < n.nch; k++) {
        if (n.ch[k].ostart >= n.ch[k].oend || n.ch[k].oend > len) abort();
        if (k && (n.ch[k].ostart < n.ch[k - 1].ostart || n.ch[k].oend < n.ch[k - 1].oend))
            abort();
        if (n.ch[k].count < 1) abort();
    }
    for (size_t b = 0; b < n.len; b++) {
        if (n.byte_ch[b] >= n.nch) abort();
        if (b && n.byte_ch[b] < n.byte_ch[b - 1]) abort();
    }
    if (n.byte_ch[n.len] != n.nch) abort();
    scan_norm_free(&n);

    scan_result r;
    if (scan_text(dbs[opts], text, len, &r)) return 0;
    for (size_t i = 0; i < r.n; i++) {
        const scan_hit *h = &r.hits[i];
        if (h->start >= h->end || h->end > len) abort();
        if (i && h->start < r.hits[i - 1].start) abort();
        scan_norm span, term;
        if (scan_normalise(text + h->start, h->end - h->start, opts, &span)) continue;
        if (h->kind == SCAN_TERM) {
            if (scan_normalise(h->term, strlen(h->term), opts, &term) == 0) {
                if (!strstr(span.text, term.text)) abort();
                scan_norm_free(&term);
            }
        } else {
            for (size_t k = 0; k < span.nfull; k++) {
                uint32_t c = span.full[k].cp;
                if (!(c >= '0' && c <= '9') && c != 'x') abort();
            }
        }
        scan_norm_free(&span);
    }
    scan_result_free(&r);
    return 0;
}
