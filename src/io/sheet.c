/* sheet — an uploaded spreadsheet read whole into rows of text cells (see sheet.h). */
#include "io/sheet.h"

#include "flow/calendar.h"
#include "io/csv.h"
#include "io/xlsx.h"

#include <stdio.h>
#include <string.h>

static int collect(void *ctx, size_t row, const char *const *cells, size_t ncells)
{
    sheet *t = ctx;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        const char ***rows = arena_alloc(t->a, cap * sizeof *rows);
        size_t *widths = arena_alloc(t->a, cap * sizeof *widths);
        size_t *numbers = arena_alloc(t->a, cap * sizeof *numbers);
        if (t->n) {
            memcpy(rows, t->rows, t->n * sizeof *rows);
            memcpy(widths, t->widths, t->n * sizeof *widths);
            memcpy(numbers, t->numbers, t->n * sizeof *numbers);
        }
        t->rows = rows, t->widths = widths, t->numbers = numbers, t->cap = cap;
    }
    const char **copy = arena_alloc(t->a, (ncells + 1) * sizeof *copy);
    for (size_t i = 0; i < ncells; i++) copy[i] = arena_strdup(t->a, cells[i]);
    t->rows[t->n] = copy;
    t->widths[t->n] = ncells;
    t->numbers[t->n] = row;
    t->n++;
    return 0;
}

int sheet_read(sheet *s, arena *a, const void *data, size_t len, int xlsx, char *err,
               size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->a = a;
    char why[400];
    int zip = len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
    int rc = xlsx || zip ? xlsx_read(data, len, collect, s, why, sizeof why)
                         : csv_read(data, len, collect, s, why, sizeof why);
    if (rc < 0) {
        snprintf(err, errlen, "文件无法读取：%s", why);
        return -1;
    }
    if (s->n == 0) {
        snprintf(err, errlen, "文件是空的");
        return -1;
    }
    return 0;
}

char *sheet_trim(arena *a, const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    /* A trailing full-width space (U+3000) is padding too. */
    while (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0) n -= 3;
    return arena_strndup(a, s, n);
}

const char *sheet_cell(const sheet *s, size_t i, size_t k)
{
    return k < s->widths[i] ? sheet_trim(s->a, s->rows[i][k]) : "";
}

int sheet_column(const sheet *s, const char *title)
{
    for (size_t k = 0; s->n && k < s->widths[0]; k++)
        if (strcmp(sheet_cell(s, 0, k), title) == 0) return (int)k;
    return -1;
}

int sheet_blank(const sheet *s, size_t i)
{
    for (size_t k = 0; k < s->widths[i]; k++)
        if (*sheet_cell(s, i, k)) return 0;
    return 1;
}

const char *sheet_date(arena *a, const char *s)
{
    int y, m, d;
    char tail[8] = "";
    if (sscanf(s, "%d-%d-%d%7s", &y, &m, &d, tail) != 3 &&
        sscanf(s, "%d/%d/%d%7s", &y, &m, &d, tail) != 3 &&
        sscanf(s, "%d.%d.%d%7s", &y, &m, &d, tail) != 3 &&
        !(sscanf(s, "%d年%d月%d%7s", &y, &m, &d, tail) == 4 && strcmp(tail, "日") == 0))
        return NULL;
    char *out = arena_sprintf(a, "%04d-%02d-%02d", y, m, d);
    cal_day day;
    return cal_parse(out, &day) == 0 ? out : NULL;
}

int sheet_fault_add(sheet_report *r, arena *a, size_t row, const char *column, const char *reason)
{
    if (r->nfaults == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        sheet_fault *grown = arena_alloc(a, cap * sizeof *grown);
        if (r->nfaults) memcpy(grown, r->faults, r->nfaults * sizeof *grown);
        r->faults = grown;
        r->cap = cap;
    }
    r->faults[r->nfaults++] = (sheet_fault){row, column, reason};
    return -1;
}
