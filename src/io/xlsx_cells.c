/*
 * xlsx_cells — what a number in a worksheet cell reads as: its number format's kind (number,
 * date or time, from a custom format code or a built-in format id) and its text (the number
 * as Excel holds it, or the serial date or time of day), and the decoding of OOXML's "_xHHHH_"
 * text escapes. Pure functions, for xlsx_read.
 */
#include "io/xlsx_cells.h"

#include "flow/calendar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* How a custom format code shows a number: a date when it has a year, day or month field (m
 * without h or s nearby being a month), a time when it has only hours, minutes, seconds.
 * Quoted text, escaped characters, [colour]/[$-locale] brackets and AM/PM are skipped; only the
 * first section (positive numbers) counts. */
int xlsx_format_kind(const char *code)
{
    int y = 0, m = 0, d = 0, h = 0, s = 0;
    for (const char *p = code; *p; p++) {
        char ch = *p;
        if (ch == ';') break;
        if (ch == '"') {
            const char *q = strchr(p + 1, '"');
            if (!q) break;
            p = q;
            continue;
        }
        if (ch == '\\' || ch == '_' || ch == '*') {
            if (!p[1]) break;
            p++;
            continue;
        }
        if (ch == '[') {
            const char *q = strchr(p + 1, ']');
            if (!q) break;
            /* [h], [mm], [ss]: elapsed time */
            int allt = q > p + 1;
            for (const char *r = p + 1; r < q; r++)
                if (!strchr("hHmMsS", *r)) allt = 0;
            if (allt) h = 1;
            p = q;
            continue;
        }
        if (!strncasecmp(p, "AM/PM", 5)) {
            h = 1;
            p += 4;
            continue;
        }
        if (!strncasecmp(p, "A/P", 3)) {
            h = 1;
            p += 2;
            continue;
        }
        switch (ch) {
        case 'y':
        case 'Y':
            y = 1;
            break;
        case 'd':
        case 'D':
            d = 1;
            break;
        case 'm':
        case 'M':
            m = 1;
            break;
        case 'h':
        case 'H':
            h = 1;
            break;
        case 's':
        case 'S':
            s = 1;
            break;
        default:
            break;
        }
    }
    if (y || d || (m && !h && !s)) return FMT_DATE;
    if (h || m || s) return FMT_TIME;
    return FMT_NUMBER;
}

/* The built-in formats (ECMA-376 18.8.30, with the zh-CN ids 27–58) that show dates or times. */
int xlsx_builtin_kind(int id)
{
    if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
        (id >= 50 && id <= 54) || id == 57 || id == 58)
        return FMT_DATE;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 ||
        id == 56)
        return FMT_TIME;
    return FMT_NUMBER;
}

/* The number as Excel's cell holds it: integers without ".0", otherwise the shortest text that
 * reads back to the same double. out has room for 40 bytes. */
void xlsx_format_number(double v, char *out)
{
    if (v == 0) {
        strcpy(out, "0");
        return;
    }
    if (v == trunc(v) && fabs(v) < 1e15) {
        snprintf(out, 40, "%.0f", v);
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(out, 40, "%.*g", prec, v);
        if (strtod(out, NULL) == v) return;
    }
}

/* The serial date v as "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" (nearest second) in the 1900
 * system (with Excel's fictitious 1900-02-29, serial 60, and its "1900-01-00", serial 0) or the
 * 1904 system. Returns -1 when v is outside what Excel shows as a date (negative, after 9999). */
int xlsx_format_date(double v, int date1904, char *out)
{
    if (!(v >= 0) || v >= 2958466) return -1;
    long long secs = llround(v * 86400.0);
    long serial = (long)(secs / 86400);
    long tod = (long)(secs % 86400);
    int y = 0, m = 0, d = 0;
    if (date1904) {
        cal_to_ymd((cal_day)(serial + 1462 - 25569), &y, &m, &d);
    } else if (serial == 0) {
        y = 1900, m = 1, d = 0;
    } else if (serial == 60) {
        y = 1900, m = 2, d = 29;
    } else {
        cal_to_ymd((cal_day)((serial < 60 ? serial + 1 : serial) - 25569), &y, &m, &d);
    }
    if (y > 9999) return -1;
    if (tod)
        snprintf(out, 40, "%04d-%02d-%02d %02ld:%02ld:%02ld", y, m, d, tod / 3600, tod / 60 % 60,
                 tod % 60);
    else
        snprintf(out, 40, "%04d-%02d-%02d", y, m, d);
    return 0;
}

/* The fraction of a day v (0 <= v < 1) as "HH:MM:SS"; -1 outside that range. */
int xlsx_format_time(double v, char *out)
{
    if (!(v >= 0) || v >= 1) return -1;
    long secs = lround(v * 86400.0);
    if (secs >= 86400) return -1;
    snprintf(out, 40, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
    return 0;
}


/* ---- text escapes ---- */

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* The code unit of an "_xHHHH_" escape at s (with n bytes available), or -1. */
static long xescape(const char *s, size_t n)
{
    if (n < 7 || s[0] != '_' || (s[1] != 'x' && s[1] != 'X') || s[6] != '_') return -1;
    long v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hexval(s[i]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t xlsx_unescape(char *s, size_t n)
{
    if (!memchr(s, '_', n)) return n;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        long u = s[i] == '_' ? xescape(s + i, n - i) : -1;
        if (u > 0 && (u < 0xD800 || u > 0xDFFF)) {
            o += put_utf8(s + o, (unsigned long)u);
            i += 7;
            continue;
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
            long lo = xescape(s + i + 7, n - i - 7);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                o += put_utf8(s + o, 0x10000 + (((unsigned long)u - 0xD800) << 10) +
                                         ((unsigned long)lo - 0xDC00));
                i += 14;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    s[o] = '\0';
    return o;
}
