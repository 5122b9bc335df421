/*
 * xlsx — Excel workbooks in and out: the ledgers (台账) county offices keep in Excel.
 *
 * The reader (xlsx_read.c) takes an .xlsx file as bytes and delivers the rows of its first
 * worksheet through the same callback as the CSV reader, each cell as the text the office sees
 * in Excel: shared and inline strings, TRUE/FALSE, numbers without a spurious ".0", dates as
 * "YYYY-MM-DD", formulas by their cached value. Files come from outside, so it is defensive:
 * no DOCTYPE or entity declarations, a guard against zip bombs that counts the bytes actually
 * inflated, limits on rows and columns, and errors that name the part, the line, the row and
 * the column.
 *
 * The writer (xlsx_write.c) builds a one-sheet workbook with libxlsxwriter: a bold, frozen
 * header row, column widths, text cells that stay text ("0012" stays "0012"), and numbers and
 * dates as real Excel numbers and dates when the caller asks for them.
 */
#ifndef DUBAN_XLSX_H
#define DUBAN_XLSX_H

#include "io/csv.h"

#include <stddef.h>

enum {
    XLSX_MAX_ROWS = 1000000, /* a sheet row number above this is an error */
    XLSX_MAX_COLUMNS = 200,  /* a cell right of column GR is an error */
    /* bytes of text in one cell or shared string (Excel's own limit, 32767 UTF-16 units, can
     * take 96 KiB of UTF-8) */
    XLSX_MAX_CELL = 128 * 1024,
};

/* Limits on what may be inflated from the archive, checked on the bytes actually produced. */
#define XLSX_MAX_PART (64u * 1024 * 1024)   /* one part (zip entry), uncompressed */
#define XLSX_MAX_TOTAL (128u * 1024 * 1024) /* all parts read together */
#define XLSX_MAX_RATIO 200u                 /* uncompressed:compressed, for parts over 1 MiB */

/*
 * Reads the first worksheet (the first visible one in the workbook's tab order) of the .xlsx
 * file in data (len bytes) and calls fn once per row, from row 1 to the last row that has a
 * non-empty cell, with the sheet's own row numbers: a row in between without content (absent
 * from the file, or only empty or formatted cells) is delivered with ncells 0, and empty rows
 * after the last row with content are not delivered. Cells are placed by their references
 * (r="C7"): cells[2] is column C, gaps are filled with empty strings, and ncells is the column
 * of the row's last non-empty cell (trailing empty cells are never delivered, as Excel does
 * not store them either).
 *
 * Cell text: shared and inline strings as written (rich-text runs joined, phonetic guides
 * left out, _xHHHH_ escapes decoded); booleans "TRUE"/"FALSE"; error values as Excel shows them
 * ("#N/A"); numbers in the shortest form that reads back to the same double, integers without
 * ".0"; numbers formatted as dates (built-in formats 14–17, 22, the Chinese date formats 27–31,
 * 36, 50–54, 57, 58, and custom formats with year, month or day) as "YYYY-MM-DD", or
 * "YYYY-MM-DD HH:MM:SS" when the value has a time of day, in the workbook's 1900 or 1904 date
 * system (serial 60 is Excel's fictitious 1900-02-29, serial 0 its "1900-01-00"; values Excel
 * cannot show as dates stay numbers); numbers formatted as times of day (built-in 18–21, 32–35,
 * 45–47, 55, 56, custom formats with only h, m, s) as "HH:MM:SS" when below 1, else as
 * numbers; formulas by their cached value (empty if the file holds none).
 *
 * Limits: XLSX_MAX_ROWS, XLSX_MAX_COLUMNS and XLSX_MAX_CELL apply to non-empty cells (an empty
 * formatted cell beyond them is ignored); parts over XLSX_MAX_PART, workbooks over
 * XLSX_MAX_TOTAL and parts over 1 MiB compressed more than XLSX_MAX_RATIO are refused, counted
 * on the bytes actually inflated. A DOCTYPE in any part is refused.
 *
 * Returns 0 when every row was delivered, 1 when fn stopped the reading, -1 on a fault with a
 * message in err (size errlen) naming the part, e.g. "xl/worksheets/sheet1.xml: line 3: row 7,
 * column 3 (C7): invalid number". Rows before the fault have already been delivered.
 */
int xlsx_read(const void *data, size_t len, csv_row_fn fn, void *ctx, char *err, size_t errlen);

/*
 * A workbook with one worksheet under construction. Rows are appended in order; the first may
 * be a header. Once a call has failed the writer refuses further rows and xlsx_writer_error()
 * says why.
 */
typedef struct xlsx_writer xlsx_writer;

typedef enum {
    XLSX_TEXT,   /* text: written as a string, never converted to a number */
    XLSX_NUMBER, /* number: a double, shown with format (NULL: Excel's General) */
    XLSX_DATE,   /* date: text "YYYY-MM-DD", shown as yyyy-mm-dd */
    XLSX_EMPTY,  /* no cell */
} xlsx_kind;

typedef struct {
    xlsx_kind kind;
    const char *text;   /* XLSX_TEXT, XLSX_DATE */
    double number;      /* XLSX_NUMBER */
    const char *format; /* XLSX_NUMBER: an Excel number format such as "0.00", or NULL */
} xlsx_cell;

/*
 * A new workbook whose sheet is called sheet (NULL: "Sheet1"; at most 31 characters, none of
 * []:*?/\). The workbook is assembled in a temporary file under $TMPDIR (or /tmp), removed by
 * xlsx_writer_finish or xlsx_writer_free. Returns NULL with the reason in err on failure.
 */
xlsx_writer *xlsx_writer_new(const char *sheet, char *err, size_t errlen);
/* Sets the width of column col (0-based) in Excel character units, overriding the width the
 * writer otherwise derives from the longest text in the column (Chinese characters counting
 * twice), between 8 and 60. */
void xlsx_writer_width(xlsx_writer *w, size_t col, double width);
/* Writes a header row of n text cells: bold, and frozen so it stays in view while scrolling.
 * Must come before any other row. Returns 0, or -1 (see xlsx_writer_error). */
int xlsx_writer_header(xlsx_writer *w, const char *const *cells, size_t n);
/* Appends a row of n text cells (NULL or "" cells are left empty). Returns 0 or -1. */
int xlsx_writer_row(xlsx_writer *w, const char *const *cells, size_t n);
/* Appends a row of n typed cells. Returns 0 or -1. */
int xlsx_writer_cells(xlsx_writer *w, const xlsx_cell *cells, size_t n);
/*
 * Completes the workbook and hands the file to the caller in *bytes (heap, free() it) and its
 * size in *len. Returns 0, or -1 (see xlsx_writer_error). The writer accepts no more rows
 * afterwards; it must still be freed.
 */
int xlsx_writer_finish(xlsx_writer *w, char **bytes, size_t *len);
/* Why the last call failed, e.g. "row 3, column 2: invalid UTF-8"; "" when nothing failed. */
const char *xlsx_writer_error(const xlsx_writer *w);
/* Frees the writer and removes its temporary file; accepts NULL. */
void xlsx_writer_free(xlsx_writer *w);

#endif
