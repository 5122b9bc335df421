/*
 * fuzz_xlsx — libFuzzer target for the XLSX reader (src/io/xlsx_read.c): the zip container,
 * every XML part it parses, and the cell conversions.
 *
 * An input that starts with "PK" is taken as a whole .xlsx file. Any other input is taken as
 * the XML of three parts separated by NUL bytes — worksheet, shared strings, styles — and
 * packed into a workbook (stored, uncompressed) here, so that mutations reach the XML handlers
 * instead of breaking the zip's checksums.
 *
 * Any input must be either read or refused with a message, never crash, leak or hang; every
 * row delivered must have increasing row numbers and NUL-terminated cells within the limits.
 */
#include "io/xlsx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static int row_fn(void *ctx, size_t row, const char *const *cells, size_t n)
{
    size_t *last = ctx;
    if (row <= *last || row > XLSX_MAX_ROWS || n > XLSX_MAX_COLUMNS) abort();
    *last = row;
    for (size_t i = 0; i < n; i++)
        if (strlen(cells[i]) > XLSX_MAX_CELL) abort();
    if (n && !cells[n - 1][0]) abort(); /* the last cell delivered is never empty */
    return 0;
}

static void check(const void *data, size_t size)
{
    size_t last = 0;
    char err[512];
    err[0] = '\0';
    int rc = xlsx_read(data, size, row_fn, &last, err, sizeof err);
    if (rc == -1 && !err[0]) abort();
    if (rc != 0 && rc != -1) abort();
}

static void add(zip_t *z, const char *name, const void *data, size_t len)
{
    zip_source_t *s = zip_source_buffer(z, data, len, 0);
    if (!s) abort();
    zip_int64_t i = zip_file_add(z, name, s, 0);
    if (i < 0) abort();
    zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
}

static const char WORKBOOK[] =
    "<workbook xmlns:r=\"r\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
    "</workbook>";
static const char RELS[] = "<Relationships>"
                           "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"s.xml\"/>"
                           "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"t.xml\"/>"
                           "<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"u.xml\"/>"
                           "</Relationships>";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        check(data, size);
        return 0;
    }
    /* the three parts */
    const char *part[3] = {"", "", ""};
    size_t plen[3] = {0, 0, 0};
    const char *p = (const char *)data, *end = p + size;
    for (int k = 0; k < 3 && p <= end; k++) {
        const char *nul = memchr(p, '\0', (size_t)(end - p));
        part[k] = p;
        plen[k] = nul ? (size_t)(nul - p) : (size_t)(end - p);
        if (!nul) break;
        p = nul + 1;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!z) abort();
    zip_source_keep(src);
    add(z, "xl/workbook.xml", WORKBOOK, sizeof WORKBOOK - 1);
    add(z, "xl/_rels/workbook.xml.rels", RELS, sizeof RELS - 1);
    add(z, "xl/s.xml", part[0], plen[0]);
    if (plen[1]) add(z, "xl/t.xml", part[1], plen[1]);
    if (plen[2]) add(z, "xl/u.xml", part[2], plen[2]);
    if (zip_close(z) != 0) abort();
    if (zip_source_open(src) != 0) abort();
    zip_source_seek(src, 0, SEEK_END);
    zip_int64_t n = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (n > 0 && zip_source_read(src, buf, (zip_uint64_t)n) != n) abort();
    zip_source_close(src);
    zip_source_free(src);
    check(buf, (size_t)n);
    free(buf);
    return 0;
}
