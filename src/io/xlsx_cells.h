/*
 * xlsx_cells — number formats and cell values of a worksheet (see xlsx_cells.c); internal to
 * src/io/.
 */
#ifndef DUBAN_XLSX_CELLS_H
#define DUBAN_XLSX_CELLS_H

#include <stddef.h>

/* How a cell format shows a number. */
enum { FMT_NUMBER, FMT_DATE, FMT_TIME };

/* The kind of a custom number format code. */
int xlsx_format_kind(const char *code);
/* The kind of a built-in number format id (ECMA-376 18.8.30 and the zh-CN ids). */
int xlsx_builtin_kind(int id);
/* v as Excel's cell holds it: integers without ".0", else the shortest exact text (40 bytes). */
void xlsx_format_number(double v, char *out);
/* The serial date v as "YYYY-MM-DD" (with " HH:MM:SS" when it has a time), in the 1900 or
 * 1904 system; -1 outside Excel's dates. out has room for 40 bytes. */
int xlsx_format_date(double v, int date1904, char *out);
/* The day fraction v as "HH:MM:SS"; -1 outside [0, 1). */
int xlsx_format_time(double v, char *out);
/*
 * Decodes the OOXML escapes "_xHHHH_" (UTF-16 code units; Excel writes control characters so,
 * and a literal "_x" as "_x005F_x") of the n bytes at s, in place, and NUL-terminates them;
 * returns the new length. An escape of NUL or of an unpaired surrogate is left as it stands.
 */
size_t xlsx_unescape(char *s, size_t n);

#endif
