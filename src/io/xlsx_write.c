/*
 * xlsx_write — a one-sheet workbook built with libxlsxwriter (see xlsx.h).
 *
 * libxlsxwriter (Debian 12 ships 1.1.4, which has no in-memory output) writes the workbook to
 * a file when it is closed, so the writer creates a private temporary file with mkstemp under
 * $TMPDIR, lets libxlsxwriter write there, reads the file back into a heap buffer and removes
 * it. The workbook runs in libxlsxwriter's constant-memory mode: each row is flushed to
 * disk as it is completed, so a large export holds one row in memory, not the whole sheet.
 *
 * Text is always written as a string cell, so Excel never turns "0012" into 12 or a long ID
 * number into 1.1E+17; text with line breaks is set to wrap, so Excel shows the lines. Column
 * widths are derived from the text as it is written (a Chinese character is about two Latin
 * characters wide) unless the caller sets them.
 */
#include "io/xlsx.h"

#include "base/mem.h"
#include "base/text.h"

#include <xlsxwriter.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { WIDTH_MIN = 8, WIDTH_MAX = 60 };

typedef struct {
    char *code;
    lxw_format *f;
} numfmt;

struct xlsx_writer {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold, *date, *wrap, *bold_wrap; /* wrap: text with line breaks */
    char *path;                                 /* the temporary file */
    size_t row;                                 /* the next row to write, 0-based */
    int failed, finished;
    char err[256];
    double width[XLSX_MAX_COLUMNS]; /* derived from content */
    double fixed[XLSX_MAX_COLUMNS]; /* set by the caller; 0: not set */
    size_t ncols;                   /* columns seen */
    numfmt *fmts;
    size_t nfmts;
};

static int wfail(xlsx_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int wfail(xlsx_writer *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof w->err, fmt, ap);
    va_end(ap);
    w->failed = 1;
    return -1;
}


/* The display width of the widest line of valid UTF-8 text s: East Asian characters count 2. */
static double text_width(const char *s)
{
    double best = 0, cur = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned long cp;
        int n;
        if (*p < 0x80)
            cp = *p, n = 1;
        else if (*p < 0xE0)
            cp = *p & 0x1F, n = 2;
        else if (*p < 0xF0)
            cp = *p & 0x0F, n = 3;
        else
            cp = *p & 0x07, n = 4;
        for (int k = 1; k < n; k++)
            cp = (cp << 6) | (p[k] & 0x3F);
        p += n;
        if (cp == '\n') {
            if (cur > best) best = cur;
            cur = 0;
            continue;
        }
        cur += (cp >= 0x1100 &&
                (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
                 (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
                 (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000))
                   ? 2
                   : 1;
    }
    return cur > best ? cur : best;
}

static void note_width(xlsx_writer *w, size_t col, double width)
{
    if (col + 1 > w->ncols) w->ncols = col + 1;
    if (width > w->width[col]) w->width[col] = width;
}

xlsx_writer *xlsx_writer_new(const char *sheet, char *err, size_t errlen)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
    char *path = xasprintf("%s/duban-xlsx-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file in %s: %s", dir, strerror(errno));
        free(path);
        return NULL;
    }
    close(fd);

    xlsx_writer *w = xcalloc(1, sizeof *w);
    w->path = path;
    lxw_workbook_options opt = {
        .constant_memory = LXW_TRUE, .tmpdir = (char *)dir, .use_zip64 = LXW_FALSE};
    w->wb = workbook_new_opt(path, &opt);
    if (!w->wb) {
        snprintf(err, errlen, "cannot start a workbook");
        xlsx_writer_free(w);
        return NULL;
    }
    const char *name = sheet ? sheet : "Sheet1";
    lxw_error e = workbook_validate_sheet_name(w->wb, name);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "sheet name \"%s\": %s", name, lxw_strerror(e));
        xlsx_writer_free(w);
        return NULL;
    }
    w->ws = workbook_add_worksheet(w->wb, name);
    if (!w->ws) {
        snprintf(err, errlen, "sheet name \"%s\" is not allowed", name);
        xlsx_writer_free(w);
        return NULL;
    }
    w->bold = workbook_add_format(w->wb);
    format_set_bold(w->bold);
    w->wrap = workbook_add_format(w->wb);
    format_set_text_wrap(w->wrap);
    format_set_align(w->wrap, LXW_ALIGN_VERTICAL_TOP);
    w->bold_wrap = workbook_add_format(w->wb);
    format_set_bold(w->bold_wrap);
    format_set_text_wrap(w->bold_wrap);
    format_set_align(w->bold_wrap, LXW_ALIGN_VERTICAL_TOP);
    w->date = workbook_add_format(w->wb);
    format_set_num_format(w->date, "yyyy-mm-dd");
    return w;
}

void xlsx_writer_width(xlsx_writer *w, size_t col, double width)
{
    if (col < XLSX_MAX_COLUMNS) w->fixed[col] = width > 0 ? width : 0;
}

/* The format for number format code (NULL: none), created once per distinct code. */
static lxw_format *number_format(xlsx_writer *w, const char *code)
{
    if (!code || !*code) return NULL;
    for (size_t i = 0; i < w->nfmts; i++)
        if (!strcmp(w->fmts[i].code, code)) return w->fmts[i].f;
    w->fmts = xrealloc(w->fmts, (w->nfmts + 1) * sizeof *w->fmts);
    lxw_format *f = workbook_add_format(w->wb);
    format_set_num_format(f, code);
    w->fmts[w->nfmts].code = xstrdup(code);
    w->fmts[w->nfmts].f = f;
    w->nfmts++;
    return f;
}

/* Parses "YYYY-MM-DD" (a real date, years 1900–9999). */
static int parse_date(const char *s, lxw_datetime *dt)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1]) return -1;
    if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return -1;
    *dt = (lxw_datetime){.year = y, .month = m, .day = d};
    return 0;
}

/* Writes one row of cells at w->row; header rows are bold. */
static int write_row(xlsx_writer *w, const xlsx_cell *cells, size_t n, int header)
{
    if (w->failed) return -1;
    if (w->finished) return wfail(w, "the workbook is already finished");
    size_t r = w->row + 1;
    if (r > XLSX_MAX_ROWS) return wfail(w, "row %zu: more than 1000000 rows", r);
    if (n > XLSX_MAX_COLUMNS) return wfail(w, "row %zu: more than 200 columns", r);
    for (size_t k = 0; k < n; k++) {
        const xlsx_cell *c = &cells[k];
        lxw_error e = LXW_NO_ERROR;
        lxw_row_t lr = (lxw_row_t)w->row;
        lxw_col_t lc = (lxw_col_t)k;
        char num[40];
        switch (c->kind) {
        case XLSX_EMPTY:
            continue;
        case XLSX_TEXT:
            if (!c->text || !*c->text) continue;
            if (!text_valid_utf8(c->text))
                return wfail(w, "row %zu, column %zu: invalid UTF-8", r, k + 1);
            int multi = strchr(c->text, '\n') != NULL;
            lxw_format *f = header ? (multi ? w->bold_wrap : w->bold) : (multi ? w->wrap : NULL);
            e = worksheet_write_string(w->ws, lr, lc, c->text, f);
            if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
                return wfail(w, "row %zu, column %zu: text longer than 32767 characters", r, k + 1);
            note_width(w, k, text_width(c->text));
            break;
        case XLSX_NUMBER:
            if (!isfinite(c->number))
                return wfail(w, "row %zu, column %zu: not a finite number", r, k + 1);
            e = worksheet_write_number(w->ws, lr, lc, c->number, number_format(w, c->format));
            snprintf(num, sizeof num, "%.10g", c->number);
            note_width(w, k, (double)strlen(num));
            break;
        case XLSX_DATE: {
            lxw_datetime dt;
            if (parse_date(c->text, &dt))
                return wfail(w, "row %zu, column %zu: \"%.40s\" is not a date YYYY-MM-DD", r, k + 1,
                             c->text ? c->text : "");
            e = worksheet_write_datetime(w->ws, lr, lc, &dt, w->date);
            note_width(w, k, 10);
            break;
        }
        default:
            return wfail(w, "row %zu, column %zu: unknown cell kind", r, k + 1);
        }
        if (e != LXW_NO_ERROR)
            return wfail(w, "row %zu, column %zu: %s", r, k + 1, lxw_strerror(e));
    }
    w->row++;
    return 0;
}

/* Text cells as xlsx_cells, written as one row. */
static int write_texts(xlsx_writer *w, const char *const *cells, size_t n, int header)
{
    if (n > XLSX_MAX_COLUMNS && !w->failed)
        return wfail(w, "row %zu: more than 200 columns", w->row + 1);
    xlsx_cell tc[XLSX_MAX_COLUMNS];
    for (size_t k = 0; k < n; k++)
        tc[k] = (xlsx_cell){.kind = XLSX_TEXT, .text = cells[k]};
    return write_row(w, tc, n, header);
}

int xlsx_writer_header(xlsx_writer *w, const char *const *cells, size_t n)
{
    if (!w->failed && w->row != 0) return wfail(w, "the header must be the first row");
    if (write_texts(w, cells, n, 1)) return -1;
    worksheet_freeze_panes(w->ws, 1, 0);
    return 0;
}

int xlsx_writer_row(xlsx_writer *w, const char *const *cells, size_t n)
{
    return write_texts(w, cells, n, 0);
}

int xlsx_writer_cells(xlsx_writer *w, const xlsx_cell *cells, size_t n)
{
    return write_row(w, cells, n, 0);
}

int xlsx_writer_finish(xlsx_writer *w, char **bytes, size_t *len)
{
    *bytes = NULL;
    *len = 0;
    if (w->failed) return -1;
    if (w->finished) return wfail(w, "the workbook is already finished");
    w->finished = 1;
    for (size_t k = 0; k < XLSX_MAX_COLUMNS; k++) {
        double width = w->fixed[k];
        if (!width && k < w->ncols) {
            width = w->width[k] + 2;
            if (width < WIDTH_MIN) width = WIDTH_MIN;
            if (width > WIDTH_MAX) width = WIDTH_MAX;
        }
        if (width) worksheet_set_column(w->ws, (lxw_col_t)k, (lxw_col_t)k, width, NULL);
    }
    lxw_error e = workbook_close(w->wb); /* frees the workbook whatever the outcome */
    w->wb = NULL;
    if (e != LXW_NO_ERROR) return wfail(w, "cannot write the workbook: %s", lxw_strerror(e));

    int fd = open(w->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int saved = errno;
        if (fd >= 0) close(fd);
        return wfail(w, "cannot read the workbook back: %s", strerror(saved));
    }
    char *b = xmalloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, b + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(fd);
            free(b);
            return wfail(w, "cannot read the workbook back: %s", strerror(saved));
        }
        got += (size_t)n;
    }
    close(fd);
    unlink(w->path);
    *bytes = b;
    *len = got;
    return 0;
}

const char *xlsx_writer_error(const xlsx_writer *w)
{
    return w->err;
}

void xlsx_writer_free(xlsx_writer *w)
{
    if (!w) return;
    if (w->wb) {
        /* An unfinished workbook: libxlsxwriter 1.1.4 frees it without closing the worksheet's
         * constant-memory temporary file, so that descriptor is closed here. */
        if (w->ws && w->ws->optimize_tmpfile) {
            fclose(w->ws->optimize_tmpfile);
            w->ws->optimize_tmpfile = NULL;
        }
        lxw_workbook_free(w->wb);
    }
    if (w->path) {
        unlink(w->path);
        free(w->path);
    }
    for (size_t i = 0; i < w->nfmts; i++)
        free(w->fmts[i].code);
    free(w->fmts);
    free(w);
}
