/*
 * fuzz_csv — libFuzzer target for the CSV reader (src/io/csv.c).
 *
 * Any input must be either read or refused with a "row R, column C: …" message, never crash.
 * What is read is also written back with csv_writer and read again: the second reading must
 * give the same records, so the reader and the writer agree on every file the reader accepts
 * (a cell a spreadsheet would take for a formula comes back with the writer's apostrophe).
 */
#include "io/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    csv_writer *w; /* first pass: collects the records */
    char **cells;  /* second pass: the first pass's cells, in order */
    size_t *counts;
    size_t nrec, ncells, at_rec, at_cell;
    size_t row;
} state;

static int first(void *ctx, size_t row, const char *const *cells, size_t n)
{
    state *s = ctx;
    if (row != s->nrec + 1) abort();
    csv_writer_row(s->w, cells, n);
    s->counts = realloc(s->counts, (s->nrec + 1) * sizeof *s->counts);
    s->counts[s->nrec++] = n;
    s->cells = realloc(s->cells, (s->ncells + n + 1) * sizeof *s->cells);
    for (size_t i = 0; i < n; i++) {
        const char *c = cells[i];
        char *want = malloc(strlen(c) + 2);
        strcpy(want + 1, c);
        want[0] = '\'';
        s->cells[s->ncells++] = csv_formula_like(c) ? want : (free(want), strdup(c));
    }
    return 0;
}

static int second(void *ctx, size_t row, const char *const *cells, size_t n)
{
    state *s = ctx;
    if (s->at_rec >= s->nrec || s->counts[s->at_rec] != n) abort();
    for (size_t i = 0; i < n; i++)
        if (strcmp(cells[i], s->cells[s->at_cell++])) abort();
    s->at_rec++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    state s = {.w = csv_writer_new(size & 1)};
    char err[256];
    int rc = csv_read((const char *)data, size, first, &s, err, sizeof err);
    if (rc == -1 && strncmp(err, "row ", 4)) abort();
    if (rc == 0) {
        size_t len;
        const char *out = csv_writer_data(s.w, &len);
        if (csv_read(out, len, second, &s, err, sizeof err) != 0 || s.at_rec != s.nrec) abort();
    }
    for (size_t i = 0; i < s.ncells; i++)
        free(s.cells[i]);
    free(s.cells);
    free(s.counts);
    csv_writer_free(s.w);
    return 0;
}
