/*
 * csv — the RFC 4180 reader and the CSV writer (see csv.h).
 *
 * The reader is one pass over the bytes. A record is collected into one buffer, each field
 * NUL-terminated after the previous one, with the fields' offsets alongside; when the record
 * ends, the offsets become the cell pointers handed to the callback. Each field is checked for
 * valid UTF-8 once it is complete: the bytes that delimit fields (comma, quote, CR, LF) are
 * ASCII and can never sit inside a multi-byte sequence of valid UTF-8, so a field-by-field check
 * accepts exactly the files whose text is valid UTF-8, and can name the column at fault.
 */
#include "io/csv.h"

#include "base/mem.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reader ---- */

typedef struct {
    char *buf; /* the record's fields, each NUL-terminated */
    size_t len, cap;
    size_t off[CSV_MAX_COLUMNS]; /* where each field starts in buf */
    const char *cells[CSV_MAX_COLUMNS];
    size_t n; /* fields complete so far */
} record;

static void rec_put(record *r, char c)
{
    if (r->len == r->cap) {
        r->cap *= 2;
        r->buf = xrealloc(r->buf, r->cap);
    }
    r->buf[r->len++] = c;
}


int csv_read(const char *data, size_t len, csv_row_fn fn, void *ctx, char *err, size_t errlen)
{
    const unsigned char *d = (const unsigned char *)data;
    record r = {0};
    size_t i = 0, row = 1, col = 0;
    int rc = 0;
    const char *why = NULL;

    if (len >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) i = 3;
    r.cap = 1024;
    r.buf = xmalloc(r.cap); /* never NULL, not even for a record of empty fields */

    while (i < len) {
        r.len = 0;
        r.n = 0;
        /* An empty line is a record without cells. */
        if (d[i] == '\n' || (d[i] == '\r' && i + 1 < len && d[i + 1] == '\n')) {
            i += d[i] == '\r' ? 2 : 1;
            goto deliver;
        }
        for (;;) {
            col = r.n + 1;
            if (col > CSV_MAX_COLUMNS) {
                why = "more than 200 columns";
                goto fail;
            }
            r.off[r.n] = r.len;
            size_t start = r.len;
            if (i < len && d[i] == '"') {
                i++;
                for (;;) {
                    if (i >= len) {
                        why = "quoted field is not closed";
                        goto fail;
                    }
                    if (d[i] == '"') {
                        if (i + 1 < len && d[i + 1] == '"') {
                            i++; /* a doubled quote stands for one */
                        } else {
                            i++;
                            break;
                        }
                    } else if (d[i] == 0) {
                        why = "NUL byte";
                        goto fail;
                    }
                    if (r.len - start >= CSV_MAX_FIELD) {
                        why = "field longer than 65536 bytes";
                        goto fail;
                    }
                    rec_put(&r, (char)d[i++]);
                }
                if (i < len && d[i] != ',' && d[i] != '\n' && d[i] != '\r') {
                    why = "text after the closing quote of a quoted field";
                    goto fail;
                }
            } else {
                while (i < len && d[i] != ',' && d[i] != '\n' && d[i] != '\r') {
                    if (d[i] == '"') {
                        why =
                            "quote inside an unquoted field (quote the field and double the quote)";
                        goto fail;
                    }
                    if (d[i] == 0) {
                        why = "NUL byte";
                        goto fail;
                    }
                    if (r.len - start >= CSV_MAX_FIELD) {
                        why = "field longer than 65536 bytes";
                        goto fail;
                    }
                    rec_put(&r, (char)d[i++]);
                }
            }
            if (!text_valid_utf8n(r.buf + start, r.len - start)) {
                why = "invalid UTF-8 (save the file as CSV UTF-8)";
                goto fail;
            }
            rec_put(&r, '\0');
            r.n++;
            if (i >= len) break;
            if (d[i] == ',') {
                i++;
                continue;
            }
            if (d[i] == '\n') {
                i++;
                break;
            }
            /* d[i] == '\r' */
            if (i + 1 < len && d[i + 1] == '\n') {
                i += 2;
                break;
            }
            why = "carriage return without a line feed";
            goto fail;
        }
    deliver:
        for (size_t k = 0; k < r.n; k++)
            r.cells[k] = r.buf + r.off[k];
        if (fn(ctx, row, r.cells, r.n)) {
            rc = 1;
            goto out;
        }
        row++;
    }
    goto out;

fail:
    snprintf(err, errlen, "row %zu, column %zu: %s", row, col, why);
    rc = -1;
out:
    free(r.buf);
    return rc;
}

/* ---- writer ---- */

struct csv_writer {
    char *buf;
    size_t len, cap;
};

static void w_put(csv_writer *w, const char *s, size_t n)
{
    if (w->cap - w->len < n + 1) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap - w->len < n + 1)
            cap *= 2;
        w->buf = xrealloc(w->buf, cap);
        w->cap = cap;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

csv_writer *csv_writer_new(int bom)
{
    csv_writer *w = xcalloc(1, sizeof *w);
    if (bom) w_put(w, "\xEF\xBB\xBF", 3);
    return w;
}

int csv_formula_like(const char *s)
{
    for (;;) {
        if (*s == ' ' || *s == '\n' || *s == '\v' || *s == '\f')
            s++;
        else if (!strncmp(s, "\xC2\xA0", 2))
            s += 2;
        else if (!strncmp(s, "\xE3\x80\x80", 3))
            s += 3;
        else
            break;
    }
    return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

/* Writes one field, quoted when it needs it (see csv.h); alone: the record's only field. */
static void put_field(csv_writer *w, const char *s, int alone)
{
    size_t sl = strlen(s);
    /* A file's first field that starts with U+FEFF would lose it to the reader, which takes
     * those bytes at the very start for a byte-order mark: quoting protects it. */
    int quote = strcspn(s, ",\"\r\n") < sl || (alone && sl == 0) ||
                (w->len == 0 && !strncmp(s, "\xEF\xBB\xBF", 3));
    if (!quote) {
        w_put(w, s, sl);
        return;
    }
    w_put(w, "\"", 1);
    for (const char *p = s; *p;) {
        const char *q = strchr(p, '"');
        if (!q) {
            w_put(w, p, strlen(p));
            break;
        }
        w_put(w, p, (size_t)(q - p) + 1);
        w_put(w, "\"", 1); /* the quote once more */
        p = q + 1;
    }
    w_put(w, "\"", 1);
}

void csv_writer_row(csv_writer *w, const char *const *cells, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const char *s = cells[k] ? cells[k] : "";
        if (k) w_put(w, ",", 1);
        if (!csv_formula_like(s)) {
            put_field(w, s, n == 1);
            continue;
        }
        char *safe = xasprintf("'%s", s); /* inside the quotes, if any: the field's first */
        put_field(w, safe, n == 1);
        free(safe);
    }
    w_put(w, "\r\n", 2);
}

const char *csv_writer_data(const csv_writer *w, size_t *len)
{
    *len = w->len;
    return w->buf ? w->buf : "";
}

char *csv_writer_take(csv_writer *w, size_t *len)
{
    w_put(w, "", 0); /* makes sure there is room for the NUL */
    char *b = w->buf;
    b[w->len] = '\0';
    *len = w->len;
    free(w);
    return b;
}

void csv_writer_free(csv_writer *w)
{
    if (!w) return;
    free(w->buf);
    free(w);
}
