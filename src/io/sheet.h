/*
 * sheet — a spreadsheet an office uploads (CSV or XLSX), read whole into rows of text cells,
 * with the small facts every importer needs: trimmed cells (spaces and full-width padding
 * removed), the column of a header, blank rows, and dates written the ways offices write them.
 * The ledger (问题台账) and the person registry (人员名册) import through it.
 */
#ifndef DUBAN_SHEET_H
#define DUBAN_SHEET_H

#include "base/mem.h"

#include <stddef.h>

typedef struct {
    arena *a;
    const char ***rows;      /* rows[i][k]: the cells as the file has them */
    size_t *widths, *numbers; /* cells in row i; its 1-based row number in the file */
    size_t n, cap;
} sheet;

/*
 * Reads data as XLSX when it is a zip (or xlsx is 1), else as CSV, into s (strings in a).
 * 0, or -1 with the Chinese reason in err ("文件无法读取：…", "文件是空的").
 */
int sheet_read(sheet *s, arena *a, const void *data, size_t len, int xlsx, char *err,
               size_t errlen);
/* Row i's cell in column k, trimmed; "" beyond the row's end. */
const char *sheet_cell(const sheet *s, size_t i, size_t k);
/* The column whose trimmed header (row 0) is title, or -1. */
int sheet_column(const sheet *s, const char *title);
/* 1 when every cell of row i is blank. */
int sheet_blank(const sheet *s, size_t i);
/* s without leading and trailing white space (also U+3000 at the end), in a. */
char *sheet_trim(arena *a, const char *s);
/* YYYY-MM-DD for 2024-03-05, 2024/3/5, 2024.3.5 or 2024年3月5日; NULL when not a date. */
const char *sheet_date(arena *a, const char *s);

/* What an import found wrong, and what it did. */
typedef struct {
    size_t row;         /* 1-based, the header being row 1 */
    const char *column; /* the column's header, or NULL for the row as a whole */
    const char *reason; /* Chinese */
} sheet_fault;

typedef struct {
    size_t rows, imported, skipped;
    sheet_fault *faults;
    size_t nfaults, cap;
    char fatal[512]; /* a fault of the file as a whole ("" when none) */
} sheet_report;

/* Adds a fault (strings must live as long as the report); returns -1 for `return …`. */
int sheet_fault_add(sheet_report *r, arena *a, size_t row, const char *column,
                    const char *reason);

#endif
