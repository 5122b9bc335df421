/*
 * csv — comma-separated values as RFC 4180 has them, the way county offices hand over their
 * ledgers (台账) when they save them from Excel or WPS, and the way duban hands them back.
 *
 * The reader takes the whole file as bytes and calls a function once per record, with the
 * record's cells as NUL-terminated UTF-8 strings. It accepts quoted fields, doubled quotes,
 * commas and line breaks inside quotes, CRLF or LF line ends and a leading UTF-8 byte-order
 * mark; it refuses anything else (invalid UTF-8, NUL bytes, stray quotes, too many columns,
 * over-long fields) with a message that names the row and the column, so the office can find
 * the cell. The writer builds a file in memory that Excel opens correctly, Chinese text included.
 *
 * The row callback type is shared with the XLSX reader (xlsx.h), so an import can take either.
 */
#ifndef DUBAN_CSV_H
#define DUBAN_CSV_H

#include <stddef.h>

enum {
    CSV_MAX_COLUMNS = 200,     /* more columns in a record is an error */
    CSV_MAX_FIELD = 64 * 1024, /* bytes in one field (after unquoting); more is an error */
};

/*
 * Called once per record. row is 1-based and counts records (the header is row 1; a record
 * whose quoted fields span several lines is still one row). cells[0..ncells-1] are
 * NUL-terminated UTF-8 strings owned by the reader and valid only during the call; an empty
 * line is a record with no cells. Returning non-zero stops the reading.
 */
typedef int (*csv_row_fn)(void *ctx, size_t row, const char *const *cells, size_t ncells);

/*
 * Reads the CSV text data (len bytes; need not be NUL-terminated) and calls fn for each record.
 * Returns 0 when every record was delivered, 1 when fn stopped the reading, and -1 on a fault,
 * with "row R, column C: reason" written to err (size errlen; 1-based, the row counted as for
 * fn). Records before the faulty one have already been delivered.
 */
int csv_read(const char *data, size_t len, csv_row_fn fn, void *ctx, char *err, size_t errlen);

/*
 * A CSV file under construction in a growing heap buffer. Fields are quoted only when they
 * need it (a comma, a quote, CR or LF, a lone empty field that would otherwise read back as an
 * empty line, or a U+FEFF opening a file without byte-order mark); lines end with CRLF.
 */
typedef struct csv_writer csv_writer;

/* A new writer; with bom non-zero the file starts with a UTF-8 byte-order mark, which Excel
 * needs to read Chinese text as UTF-8. Free with csv_writer_free. */
csv_writer *csv_writer_new(int bom);
/*
 * Would a spreadsheet take s for a formula? =, +, -, @, a tab or a CR first — after any leading
 * whitespace (ASCII, U+00A0, U+3000), since " =1+1" is a formula to Excel and WPS too.
 */
int csv_formula_like(const char *s);

/* Appends one record of n cells (n may be 0: an empty line). A NULL cell is written empty; a
 * cell a spreadsheet would take for a formula gets a leading apostrophe (csv_formula_like),
 * which Excel and WPS show as text, so an exported record can never run as a formula. */
void csv_writer_row(csv_writer *w, const char *const *cells, size_t n);
/* The bytes written so far (not NUL-terminated), owned by the writer; *len gets their count. */
const char *csv_writer_data(const csv_writer *w, size_t *len);
/* Hands the buffer to the caller (free() it; NUL-terminated for convenience, *len excludes the
 * NUL) and frees the writer. */
char *csv_writer_take(csv_writer *w, size_t *len);
/* Frees the writer and its buffer; accepts NULL. */
void csv_writer_free(csv_writer *w);

#endif
