/*
 * Tests of the XLSX reader and writer: round trips through libxlsxwriter, hand-made workbooks
 * (built here with libzip) for shared strings, styles and dates, and hostile files: DOCTYPE and
 * entities, zip bombs with honest and lying headers, truncated and garbled archives.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/clock.h"
#include "io/xlsx.h"

/* ---- a sink that keeps every row ---- */

typedef struct {
    size_t row, n;
    char **cells;
} trow;

typedef struct {
    trow *rows;
    size_t n;
    size_t stop_after;
} sink;

static int collect(void *ctx, size_t row, const char *const *cells, size_t n)
{
    sink *s = ctx;
    s->rows = realloc(s->rows, (s->n + 1) * sizeof *s->rows);
    trow *r = &s->rows[s->n++];
    r->row = row;
    r->n = n;
    r->cells = calloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++)
        r->cells[i] = strdup(cells[i]);
    return s->stop_after && s->n >= s->stop_after;
}

static void sink_free(sink *s)
{
    for (size_t i = 0; i < s->n; i++) {
        for (size_t k = 0; k < s->rows[i].n; k++)
            free(s->rows[i].cells[k]);
        free(s->rows[i].cells);
    }
    free(s->rows);
    memset(s, 0, sizeof *s);
}

static void row_is(const sink *s, size_t i, size_t rownum, size_t n, ...)
{
    assert_true(i < s->n);
    assert_int_equal(s->rows[i].row, rownum);
    assert_int_equal(s->rows[i].n, n);
    va_list ap;
    va_start(ap, n);
    for (size_t k = 0; k < n; k++)
        assert_string_equal(s->rows[i].cells[k], va_arg(ap, const char *));
    va_end(ap);
}

/* ---- building archives with libzip ---- */

typedef struct {
    const char *name;
    const char *data; /* NUL-terminated */
} zpart;

/* The bytes of a finished in-memory archive (the source is freed). */
static char *source_bytes(zip_source_t *src, size_t *len)
{
    assert_int_equal(zip_source_open(src), 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
    zip_int64_t n = zip_source_tell(src);
    assert_true(n > 0);
    assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
    char *b = malloc((size_t)n);
    assert_int_equal(zip_source_read(src, b, (zip_uint64_t)n), n);
    zip_source_close(src);
    zip_source_free(src);
    *len = (size_t)n;
    return b;
}

static zip_t *zip_start(zip_source_t **src)
{
    zip_error_t ze;
    zip_error_init(&ze);
    *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(*src);
    zip_t *z = zip_open_from_source(*src, ZIP_TRUNCATE, &ze);
    assert_non_null(z);
    zip_source_keep(*src);
    return z;
}

static void zip_put(zip_t *z, const char *name, const char *data)
{
    zip_source_t *s = zip_source_buffer(z, data, strlen(data), 0);
    assert_non_null(s);
    assert_true(zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) >= 0);
}

static char *zip_build(const zpart *parts, size_t n, size_t *len)
{
    zip_source_t *src;
    zip_t *z = zip_start(&src);
    for (size_t i = 0; i < n; i++)
        zip_put(z, parts[i].name, parts[i].data);
    assert_int_equal(zip_close(z), 0);
    return source_bytes(src, len);
}

#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define XML_DECL "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

static const char *CONTENT_TYPES =
    XML_DECL "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
             "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char *WORKBOOK =
    XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
             "<sheet name=\"台账\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *RELS = XML_DECL
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";

/* A workbook of the given parts (NULL: the default workbook; no shared strings or styles). */
static char *make_xlsx(const char *workbook, const char *sheet, const char *sst, const char *styles,
                       size_t *len)
{
    zpart p[6];
    size_t n = 0;
    p[n++] = (zpart){"[Content_Types].xml", CONTENT_TYPES};
    p[n++] = (zpart){"xl/workbook.xml", workbook ? workbook : WORKBOOK};
    p[n++] = (zpart){"xl/_rels/workbook.xml.rels", RELS};
    p[n++] = (zpart){"xl/worksheets/sheet1.xml", sheet};
    if (sst) p[n++] = (zpart){"xl/sharedStrings.xml", sst};
    if (styles) p[n++] = (zpart){"xl/styles.xml", styles};
    return zip_build(p, n, len);
}

#define SHEET(rows)                                                                                \
    XML_DECL "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>" rows "</sheetData></worksheet>"

/* Reads a workbook and expects success. */
static void read_ok(const char *data, size_t len, sink *s)
{
    char err[512] = "";
    int rc = xlsx_read(data, len, collect, s, err, sizeof err);
    if (rc != 0) fail_msg("xlsx_read failed: %s", err);
}

/* Builds a workbook from the parts and expects the error message want exactly. */
static void parts_err(const char *workbook, const char *sheet, const char *sst, const char *styles,
                      const char *want)
{
    size_t len;
    char *x = make_xlsx(workbook, sheet, sst, styles, &len);
    sink s = {0};
    char err[512] = "";
    assert_int_equal(xlsx_read(x, len, collect, &s, err, sizeof err), -1);
    assert_string_equal(err, want);
    sink_free(&s);
    free(x);
}

/* The text of one part of an archive (heap, NUL-terminated). */
static char *part_text(const char *data, size_t len, const char *name)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    char *b = malloc(st.size + 1);
    zip_file_t *f = zip_fopen(z, name, 0);
    assert_int_equal(zip_fread(f, b, st.size), (zip_int64_t)st.size);
    b[st.size] = '\0';
    zip_fclose(f);
    zip_discard(z);
    return b;
}

/* ---- the writer, read back ---- */

static void test_writer_roundtrip(void **state)
{
    (void)state;
    static const char *header[] = {"序号", "单位", "问题描述", "身份证号", "备注"};
    static const char *rows[][5] = {
        {"0012", "县财政局", "台账\"不全\"，需补齐", "110101199001011234", "=SUM(A1:A2)"},
        {"1", "", "第一行\n第二行, 含逗号", "", "TRUE"},
        {" 12 ", "a,b", "say \"hi\"", "1e5", "𠀀 U+20000"},
        {"", "", "", "", "last"},
    };
    char err[256];
    xlsx_writer *w = xlsx_writer_new("台账", err, sizeof err);
    assert_non_null(w);
    assert_int_equal(xlsx_writer_header(w, header, 5), 0);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(xlsx_writer_row(w, rows[i], 5), 0);
    const char *trailing[] = {"only", "", ""};
    assert_int_equal(xlsx_writer_row(w, trailing, 3), 0);
    xlsx_writer_width(w, 4, 30);
    char *bytes;
    size_t len;
    assert_int_equal(xlsx_writer_finish(w, &bytes, &len), 0);
    assert_string_equal(xlsx_writer_error(w), "");
    char *again;
    size_t again_len;
    assert_int_equal(xlsx_writer_finish(w, &again, &again_len), -1); /* only once */
    assert_null(again);
    xlsx_writer_free(w);

    sink s = {0};
    read_ok(bytes, len, &s);
    assert_int_equal(s.n, 6);
    row_is(&s, 0, 1, 5, "序号", "单位", "问题描述", "身份证号", "备注");
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(s.rows[i + 1].row, i + 2);
        assert_int_equal(s.rows[i + 1].n, 5);
        for (size_t k = 0; k < 5; k++)
            assert_string_equal(s.rows[i + 1].cells[k], rows[i][k]);
    }
    row_is(&s, 5, 6, 1, "only"); /* trailing empty cells are not stored */
    sink_free(&s);

    /* bold header, frozen, widths: derived (a Chinese character counts two) and set */
    char *sheet = part_text(bytes, len, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(sheet, "state=\"frozen\""));
    assert_non_null(strstr(sheet, "ySplit=\"1\""));
    assert_non_null(strstr(sheet, "<col min=\"5\" max=\"5\" width=\"30.7109375\""));
    assert_non_null(strstr(sheet, "<col min=\"3\" max=\"3\" width=\"20.7109375\"")); /* 18+2 */
    assert_non_null(strstr(sheet, "<c r=\"A2\" t=\"inlineStr\"><is><t>0012</t>"));
    free(sheet);
    char *styles = part_text(bytes, len, "xl/styles.xml");
    assert_non_null(strstr(styles, "<b/>"));
    free(styles);
    char *wb = part_text(bytes, len, "xl/workbook.xml");
    assert_non_null(strstr(wb, "name=\"台账\""));
    free(wb);
    free(bytes);
}

static void test_writer_numbers_dates(void **state)
{
    (void)state;
    char err[256];
    xlsx_writer *w = xlsx_writer_new(NULL, err, sizeof err);
    assert_non_null(w);
    const char *header[] = {"金额", "日期", "说明"};
    assert_int_equal(xlsx_writer_header(w, header, 3), 0);
    xlsx_cell r1[] = {{.kind = XLSX_NUMBER, .number = 12},
                      {.kind = XLSX_DATE, .text = "2024-03-05"},
                      {.kind = XLSX_TEXT, .text = "12"}};
    xlsx_cell r2[] = {{.kind = XLSX_NUMBER, .number = 1234.5, .format = "#,##0.00"},
                      {.kind = XLSX_DATE, .text = "1900-01-01"},
                      {.kind = XLSX_NUMBER, .number = 0.1 + 0.2}};
    xlsx_cell r3[] = {{.kind = XLSX_NUMBER, .number = -3},
                      {.kind = XLSX_DATE, .text = "1900-03-01"},
                      {.kind = XLSX_NUMBER, .number = 1e20}};
    xlsx_cell r4[] = {{.kind = XLSX_NUMBER, .number = 123456789012345.0},
                      {.kind = XLSX_DATE, .text = "2000-02-29"},
                      {.kind = XLSX_NUMBER, .number = 1.0 / 3}};
    xlsx_cell r5[] = {{.kind = XLSX_EMPTY},
                      {.kind = XLSX_DATE, .text = "9999-12-31"},
                      {.kind = XLSX_NUMBER, .number = 0.5, .format = "0%"}};
    assert_int_equal(xlsx_writer_cells(w, r1, 3), 0);
    assert_int_equal(xlsx_writer_cells(w, r2, 3), 0);
    assert_int_equal(xlsx_writer_cells(w, r3, 3), 0);
    assert_int_equal(xlsx_writer_cells(w, r4, 3), 0);
    assert_int_equal(xlsx_writer_cells(w, r5, 3), 0);
    char *bytes;
    size_t len;
    assert_int_equal(xlsx_writer_finish(w, &bytes, &len), 0);
    xlsx_writer_free(w);

    sink s = {0};
    read_ok(bytes, len, &s);
    assert_int_equal(s.n, 6);
    row_is(&s, 1, 2, 3, "12", "2024-03-05", "12");
    /* libxlsxwriter stores 16 significant digits ("%.16G"), so 0.1 + 0.2 arrives as 0.3 */
    row_is(&s, 2, 3, 3, "1234.5", "1900-01-01", "0.3");
    row_is(&s, 3, 4, 3, "-3", "1900-03-01", "1e+20");
    row_is(&s, 4, 5, 3, "123456789012345", "2000-02-29", "0.3333333333333333");
    row_is(&s, 5, 6, 3, "", "9999-12-31", "0.5");
    sink_free(&s);
    free(bytes);
}

/* Open file descriptors of this process. */
static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    assert_non_null(d);
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static void test_writer_errors(void **state)
{
    (void)state;
    char err[256];
    int fds = open_fds();
    assert_null(xlsx_writer_new("bad[name]", err, sizeof err));
    assert_non_null(strstr(err, "bad[name]"));

    xlsx_writer *w = xlsx_writer_new(NULL, err, sizeof err);
    const char *ok[] = {"a", "b"};
    const char *bad[] = {"fine", "\xff\xfe"};
    assert_int_equal(xlsx_writer_row(w, ok, 2), 0);
    assert_int_equal(xlsx_writer_header(w, ok, 2), -1);
    assert_string_equal(xlsx_writer_error(w), "the header must be the first row");
    xlsx_writer_free(w);

    w = xlsx_writer_new(NULL, err, sizeof err);
    assert_int_equal(xlsx_writer_row(w, ok, 2), 0);
    assert_int_equal(xlsx_writer_row(w, bad, 2), -1);
    assert_string_equal(xlsx_writer_error(w), "row 2, column 2: invalid UTF-8");
    assert_int_equal(xlsx_writer_row(w, ok, 2), -1); /* refuses once failed */
    char *bytes;
    size_t len;
    assert_int_equal(xlsx_writer_finish(w, &bytes, &len), -1);
    assert_null(bytes);
    xlsx_writer_free(w);

    w = xlsx_writer_new(NULL, err, sizeof err);
    xlsx_cell d[] = {{.kind = XLSX_TEXT, .text = "x"}, {.kind = XLSX_DATE, .text = "2023-02-29"}};
    assert_int_equal(xlsx_writer_cells(w, d, 2), -1);
    assert_string_equal(xlsx_writer_error(w),
                        "row 1, column 2: \"2023-02-29\" is not a date YYYY-MM-DD");
    xlsx_writer_free(w);

    w = xlsx_writer_new(NULL, err, sizeof err);
    const char *many[201];
    for (int i = 0; i < 201; i++)
        many[i] = "x";
    assert_int_equal(xlsx_writer_row(w, many, 201), -1);
    assert_string_equal(xlsx_writer_error(w), "row 1: more than 200 columns");
    xlsx_writer_free(w);

    /* text over Excel's 32767 characters */
    w = xlsx_writer_new(NULL, err, sizeof err);
    char *longtext = malloc(40000);
    memset(longtext, 'a', 39999);
    longtext[39999] = '\0';
    const char *lr[] = {longtext};
    assert_int_equal(xlsx_writer_row(w, lr, 1), -1);
    assert_string_equal(xlsx_writer_error(w), "row 1, column 1: text longer than 32767 characters");
    free(longtext);
    xlsx_writer_free(w);
    xlsx_writer_free(NULL);
    /* unfinished writers leave no file open (libxlsxwriter's own temporary file included) */
    assert_int_equal(open_fds(), fds);
}

/* ---- hand-made workbooks ---- */

static void test_shared_strings_and_types(void **state)
{
    (void)state;
    const char *sst = XML_DECL
        "<sst xmlns=\"" NS_MAIN "\" count=\"5\" uniqueCount=\"5\">"
        "<si><t>县财政局</t></si>"
        "<si><r><rPr><b/></rPr><t>整改</t></r><r><t xml:space=\"preserve\"> 到位 </t></r></si>"
        "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr "
        "fontId=\"1\"/></si>"
        "<si><t>a_x000D_b_x005F_x0041_c_xD83D__xDE00_</t></si>"
        "<si><t/></si>"
        "</sst>";
    const char *sheet = SHEET(
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
        "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><r><t>内联</t></r><r><t>文本</t></r></is></c>"
        "<c r=\"B2\" t=\"b\"><v>1</v></c><c r=\"C2\" t=\"b\"><v>0</v></c>"
        "<c r=\"D2\" t=\"e\"><v>#N/A</v></c>"
        "<c r=\"E2\" t=\"str\"><f>A1&amp;\"x\"</f><v>县财政局x</v></c>"
        "<c r=\"F2\"><f>1+1</f><v>2</v></c><c r=\"G2\"><f>NOW()</f></c>"
        "<c r=\"H2\" t=\"s\"><v>4</v></c><c r=\"I2\" t=\"s\"/></row>"
        /* gaps: B and D absent; cells without r follow the previous one */
        "<row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"C3\"><v>3.0</v></c><c><v>4</v></c>"
        "<c r=\"F3\" s=\"0\"/></row>"
        /* rows 4 and 5 absent, 6 present without cells, 7 with content */
        "<row r=\"6\"/><row r=\"7\"><c r=\"B7\"><v>-0.0</v></c><c r=\"C7\"><v>1.5E-3</v></c>"
        "<c r=\"D7\"><v>  42  </v></c><c r=\"E7\" t=\"d\"><v>2024-03-05T00:00:00Z</v></c>"
        "<c r=\"F7\" t=\"d\"><v>2024-03-05T08:30:00</v></c>"
        "<c r=\"G7\"><v>0.30000000000000004</v></c><c r=\"H7\"><v>12.0</v></c>"
        "<c r=\"I7\"><v>1.2345678901234567E+19</v></c></row>"
        /* a row without r follows the previous; a trailing empty row is not delivered */
        "<row><c><v>8</v></c></row><row r=\"20\"><c r=\"A20\" s=\"0\"/></row>");
    size_t len;
    char *x = make_xlsx(NULL, sheet, sst, NULL, &len);
    sink s = {0};
    read_ok(x, len, &s);
    assert_int_equal(s.n, 8);
    row_is(&s, 0, 1, 4, "县财政局", "整改 到位 ", "東京", "a\rb_x0041_c\xF0\x9F\x98\x80");
    row_is(&s, 1, 2, 6, "内联文本", "TRUE", "FALSE", "#N/A", "县财政局x", "2");
    row_is(&s, 2, 3, 4, "1", "", "3", "4");
    row_is(&s, 3, 4, 0);
    row_is(&s, 4, 5, 0);
    row_is(&s, 5, 6, 0);
    row_is(&s, 6, 7, 9, "", "0", "0.0015", "42", "2024-03-05", "2024-03-05 08:30:00",
           "0.30000000000000004", "12", "1.2345678901234567e+19");
    row_is(&s, 7, 8, 1, "8");
    sink_free(&s);
    free(x);
}

static const char *STYLES = XML_DECL
    "<styleSheet xmlns=\"" NS_MAIN "\">"
    "<numFmts count=\"4\">"
    "<numFmt numFmtId=\"176\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"177\" formatCode=\"[$-F400]h:mm:ss\\ AM/PM\"/>"
    "<numFmt numFmtId=\"178\" formatCode=\"#,##0.00_);[Red]\\(#,##0.00\\)\"/>"
    "<numFmt numFmtId=\"179\" formatCode=\"0.0&quot; days&quot;\"/>"
    "</numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"11\">"
    "<xf numFmtId=\"0\"/>"   /* 0 general */
    "<xf numFmtId=\"14\"/>"  /* 1 m/d/yyyy */
    "<xf numFmtId=\"176\"/>" /* 2 yyyy年m月d日 */
    "<xf numFmtId=\"177\"/>" /* 3 a time */
    "<xf numFmtId=\"178\"/>" /* 4 money */
    "<xf numFmtId=\"22\"/>"  /* 5 m/d/yy h:mm */
    "<xf numFmtId=\"31\"/>"  /* 6 zh-CN yyyy年m月d日, not declared */
    "<xf numFmtId=\"58\"/>"  /* 7 zh-CN m月d日 */
    "<xf numFmtId=\"20\"/>"  /* 8 h:mm */
    "<xf numFmtId=\"179\"/>" /* 9 a number with "days" in quotes */
    "<xf numFmtId=\"49\"/>"  /* 10 text @ */
    "</cellXfs></styleSheet>";

static void test_dates_and_formats(void **state)
{
    (void)state;
    const char *sheet = SHEET(
        "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>45356</v></c><c r=\"B1\" s=\"2\"><v>45356</v></c>"
        "<c r=\"C1\" s=\"3\"><v>0.5</v></c><c r=\"D1\" s=\"4\"><v>1234.5</v></c>"
        "<c r=\"E1\" s=\"5\"><v>45356.75</v></c><c r=\"F1\" s=\"6\"><v>45356</v></c>"
        "<c r=\"G1\" s=\"7\"><v>45356</v></c><c r=\"H1\" s=\"8\"><v>0.604166666666667</v></c>"
        "<c r=\"I1\" s=\"9\"><v>3</v></c><c r=\"J1\" s=\"10\"><v>7</v></c>"
        "<c r=\"K1\" s=\"99\"><v>45356</v></c></row>"
        /* the 1900 system: its fictitious 1900-02-29 and the dates around it */
        "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>1</v></c><c r=\"B2\" s=\"1\"><v>59</v></c>"
        "<c r=\"C2\" s=\"1\"><v>60</v></c><c r=\"D2\" s=\"1\"><v>61</v></c>"
        "<c r=\"E2\" s=\"1\"><v>0</v></c><c r=\"F2\" s=\"1\"><v>-1</v></c>"
        "<c r=\"G2\" s=\"1\"><v>2958465</v></c><c r=\"H2\" s=\"1\"><v>2958466</v></c>"
        "<c r=\"I2\" s=\"1\"><v>45356.99999999</v></c><c r=\"J2\" s=\"8\"><v>1.25</v></c></row>");
    size_t len;
    char *x = make_xlsx(NULL, sheet, NULL, STYLES, &len);
    sink s = {0};
    read_ok(x, len, &s);
    assert_int_equal(s.n, 2);
    row_is(&s, 0, 1, 11, "2024-03-05", "2024-03-05", "12:00:00", "1234.5", "2024-03-05 18:00:00",
           "2024-03-05", "2024-03-05", "14:30:00", "3", "7", "45356");
    row_is(&s, 1, 2, 10, "1900-01-01", "1900-02-28", "1900-02-29", "1900-03-01", "1900-01-00", "-1",
           "9999-12-31", "2958466", "2024-03-06", "1.25");
    sink_free(&s);
    free(x);
}

static void test_date1904(void **state)
{
    (void)state;
    const char *wb = XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                              "<workbookPr date1904=\"1\"/><sheets>"
                              "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    const char *sheet = SHEET("<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c>"
                              "<c r=\"B1\" s=\"1\"><v>43894</v></c>"
                              "<c r=\"C1\" s=\"1\"><v>1.5</v></c></row>");
    size_t len;
    char *x = make_xlsx(wb, sheet, NULL, STYLES, &len);
    sink s = {0};
    read_ok(x, len, &s);
    row_is(&s, 0, 1, 3, "1904-01-01", "2024-03-05", "1904-01-02 12:00:00");
    sink_free(&s);
    free(x);
}

/* The first visible worksheet is read: not a hidden sheet, not a chart sheet. Parts may use a
 * namespace prefix and absolute targets. */
static void test_sheet_choice(void **state)
{
    (void)state;
    const char *wb =
        XML_DECL "<x:workbook xmlns:x=\"" NS_MAIN "\" xmlns:rel=\"" NS_REL "\"><x:sheets>"
                 "<x:sheet name=\"hidden\" sheetId=\"1\" state=\"hidden\" rel:id=\"rId1\"/>"
                 "<x:sheet name=\"chart\" sheetId=\"2\" rel:id=\"rId2\"/>"
                 "<x:sheet name=\"data\" sheetId=\"3\" rel:id=\"rId3\"/>"
                 "</x:sheets></x:workbook>";
    const char *rels = XML_DECL
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" NS_REL
        "/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" NS_REL
        "/worksheet\" Target=\"/xl/worksheets/./x/../sheet3.xml\"/>"
        "</Relationships>";
    const char *s1 =
        SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>hidden</t></is></c></row>");
    const char *s3 = XML_DECL "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData>"
                              "<x:row x:r=\"2\"><x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>data</x:t>"
                              "</x:is></x:c></x:row></x:sheetData></x:worksheet>";
    zpart p[] = {{"xl/workbook.xml", wb},
                 {"xl/_rels/workbook.xml.rels", rels},
                 {"xl/worksheets/sheet1.xml", s1},
                 {"xl/chartsheets/sheet1.xml", "<chartsheet/>"},
                 {"xl/worksheets/sheet3.xml", s3}};
    size_t len;
    char *x = zip_build(p, 5, &len);
    sink s = {0};
    read_ok(x, len, &s);
    assert_int_equal(s.n, 2);
    row_is(&s, 0, 1, 0);
    row_is(&s, 1, 2, 2, "", "data");
    sink_free(&s);
    free(x);

    /* only hidden worksheets: the first is read */
    const char *wb2 =
        XML_DECL "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
                 "<sheet name=\"h\" sheetId=\"1\" state=\"veryHidden\" r:id=\"rId1\"/>"
                 "</sheets></workbook>";
    x = make_xlsx(wb2, s1, NULL, NULL, &len);
    read_ok(x, len, &s);
    row_is(&s, 0, 1, 1, "hidden");
    sink_free(&s);
    free(x);
}

static void test_doctype_refused(void **state)
{
    (void)state;
    const char *ok = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>");
    /* an internal entity in the sheet */
    parts_err(NULL,
              XML_DECL "<!DOCTYPE worksheet [<!ENTITY x \"boom\">]>\n"
                       "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" "
                       "t=\"inlineStr\"><is><t>&x;</t></is></c></row></sheetData></worksheet>",
              NULL, NULL, "xl/worksheets/sheet1.xml: line 2: a DOCTYPE declaration is not allowed");
    /* billion laughs in the shared strings */
    parts_err(NULL, ok,
              XML_DECL "<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
                       "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
                       "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>\n"
                       "<sst xmlns=\"" NS_MAIN "\"><si><t>&lol3;</t></si></sst>",
              NULL, "xl/sharedStrings.xml: line 2: a DOCTYPE declaration is not allowed");
    /* an external entity in the workbook */
    parts_err(XML_DECL "<!DOCTYPE workbook SYSTEM \"file:///etc/passwd\">\n<workbook/>", ok, NULL,
              NULL, "xl/workbook.xml: line 2: a DOCTYPE declaration is not allowed");
    /* a DOCTYPE without entities in the styles */
    parts_err(NULL, ok, NULL, "<!DOCTYPE styleSheet><styleSheet/>",
              "xl/styles.xml: line 1: a DOCTYPE declaration is not allowed");
    /* an entity that is used without being declared is a plain XML error */
    parts_err(NULL,
              SHEET("\n<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&ext;</t></is></c></row>"),
              NULL, NULL, "xl/worksheets/sheet1.xml: line 3: undefined entity");
}

/* ---- zip bombs ---- */

/* A zip_source that produces prefix, then size bytes of fill, then suffix, without holding
 * them in memory. */
typedef struct {
    const char *prefix, *suffix;
    char fill;
    zip_uint64_t size, pos;
} stream;

static zip_int64_t stream_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    stream *s = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        s->pos = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        size_t pl = strlen(s->prefix), sl = strlen(s->suffix);
        zip_uint64_t total = pl + s->size + sl, n = 0;
        char *out = data;
        while (n < len && s->pos < total) {
            if (s->pos < pl) {
                out[n++] = s->prefix[s->pos++];
            } else if (s->pos < pl + s->size) {
                zip_uint64_t k = pl + s->size - s->pos;
                if (k > len - n) k = len - n;
                memset(out + n, s->fill, k);
                n += k;
                s->pos += k;
            } else {
                out[n++] = s->suffix[s->pos++ - pl - s->size];
            }
        }
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_STAT:
        zip_stat_init(data);
        return sizeof(zip_stat_t);
    case ZIP_SOURCE_ERROR:
        return 2 * sizeof(int);
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                              -1);
    default:
        return -1;
    }
}

/* A workbook whose sheet part is streamed from s, deflated at level. */
static char *bomb(stream *s, int level, size_t *len)
{
    zip_source_t *src;
    zip_t *z = zip_start(&src);
    zip_put(z, "xl/workbook.xml", WORKBOOK);
    zip_put(z, "xl/_rels/workbook.xml.rels", RELS);
    zip_source_t *fs = zip_source_function(z, stream_cb, s);
    assert_non_null(fs);
    zip_int64_t i = zip_file_add(z, "xl/worksheets/sheet1.xml", fs, 0);
    assert_true(i >= 0);
    assert_int_equal(
        zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_DEFLATE, (zip_uint32_t)level), 0);
    assert_int_equal(zip_close(z), 0);
    return source_bytes(src, len);
}

static void test_zip_bomb(void **state)
{
    (void)state;
    /* 200 MiB of zeros: refused from the sizes, before anything is inflated */
    stream s = {.prefix = "", .suffix = "", .fill = 0, .size = 200u << 20};
    size_t len;
    char *x = bomb(&s, 1, &len);
    assert_true(len < 2u << 20);
    sink out = {0};
    char err[512];
    double t0 = clock_mono_ms();
    assert_int_equal(xlsx_read(x, len, collect, &out, err, sizeof err), -1);
    assert_true(clock_mono_ms() - t0 < 1000);
    assert_string_equal(err,
                        "xl/worksheets/sheet1.xml: the part is larger than 64 MiB uncompressed");
    assert_int_equal(out.n, 0);
    free(x);
}

/* The header lies: it declares 1000 bytes. libzip inflates whatever the stream holds, so the
 * reader has to count what comes out. */
static void test_zip_bomb_lying_header(void **state)
{
    (void)state;
    stream s = {.prefix = "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\">"
                          "<v>1</v></c></row>",
                .suffix = "</sheetData></worksheet>",
                .fill = ' ',
                .size = 8u << 20};
    size_t len;
    char *x = bomb(&s, 9, &len);
    /* patch the sheet's uncompressed size in the central directory (the third entry) */
    const unsigned char *eocd = (const unsigned char *)x + len - 22;
    assert_memory_equal(eocd, "PK\5\6", 4);
    uint32_t cd = (uint32_t)eocd[16] | (uint32_t)eocd[17] << 8 | (uint32_t)eocd[18] << 16 |
                  (uint32_t)eocd[19] << 24;
    unsigned char *h = (unsigned char *)x + cd;
    for (int e = 0; e < 3; e++) {
        assert_memory_equal(h, "PK\1\2", 4);
        size_t nl = h[28] | h[29] << 8, el = h[30] | h[31] << 8, cl = h[32] | h[33] << 8;
        if (e == 2) {
            assert_memory_equal(h + 46, "xl/worksheets/sheet1.xml", nl);
            h[24] = 1000 & 0xFF, h[25] = 1000 >> 8, h[26] = 0, h[27] = 0;
        }
        h += 46 + nl + el + cl;
    }
    sink out = {0};
    char err[512];
    assert_int_equal(xlsx_read(x, len, collect, &out, err, sizeof err), -1);
    assert_string_equal(
        err, "xl/worksheets/sheet1.xml: the part is compressed more than 200:1 (a zip bomb?)");
    sink_free(&out);
    free(x);

    /* the same with an honest header is refused before inflating */
    s.pos = 0;
    x = bomb(&s, 9, &len);
    assert_int_equal(xlsx_read(x, len, collect, &out, err, sizeof err), -1);
    assert_string_equal(
        err, "xl/worksheets/sheet1.xml: the part is compressed more than 200:1 (a zip bomb?)");
    assert_int_equal(out.n, 0);
    free(x);
}

/* ---- limits and errors ---- */

static void test_limits(void **state)
{
    (void)state;
    /* column GR (200) is fine, GS (201) is not; an empty styled cell out there is ignored */
    const char *sheet = SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"GR1\"><v>200</v></c>"
                              "<c r=\"XFD1\" s=\"0\"/></row>"
                              "<row r=\"1048576\"><c r=\"A1048576\" s=\"0\"/></row>");
    size_t len;
    char *x = make_xlsx(NULL, sheet, NULL, NULL, &len);
    sink s = {0};
    read_ok(x, len, &s);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.rows[0].n, 200);
    assert_string_equal(s.rows[0].cells[199], "200");
    assert_string_equal(s.rows[0].cells[100], "");
    sink_free(&s);
    free(x);

    parts_err(NULL, SHEET("\n<row r=\"3\">\n<c r=\"GS3\"><v>1</v></c></row>"), NULL, NULL,
              "xl/worksheets/sheet1.xml: line 4: row 3, column 201 (GS3): more than 200 columns");
    parts_err(NULL, SHEET("<row r=\"1000001\"><c r=\"B1000001\"><v>1</v></c></row>"), NULL, NULL,
              "xl/worksheets/sheet1.xml: line 2: row 1000001, column 2 (B1000001): more than "
              "1000000 rows");
    parts_err(NULL, SHEET("<row r=\"1048577\"/>"), NULL, NULL,
              "xl/worksheets/sheet1.xml: line 2: invalid row number \"1048577\"");

    /* a cell of 128 KiB passes, one byte more does not */
    size_t big = XLSX_MAX_CELL;
    const char *pre = SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
    const char *post = "</t></is></c></row></sheetData></worksheet>";
    size_t pl = strlen(pre) - strlen("</sheetData></worksheet>");
    char *doc = malloc(pl + big + 1 + strlen(post) + 1);
    memcpy(doc, pre, pl);
    memset(doc + pl, 'x', big);
    strcpy(doc + pl + big, post);
    x = make_xlsx(NULL, doc, NULL, NULL, &len);
    read_ok(x, len, &s);
    assert_int_equal(strlen(s.rows[0].cells[0]), big);
    sink_free(&s);
    free(x);
    memset(doc + pl, 'x', big + 1);
    strcpy(doc + pl + big + 1, post);
    x = make_xlsx(NULL, doc, NULL, NULL, &len);
    char err[512];
    assert_int_equal(xlsx_read(x, len, collect, &s, err, sizeof err), -1);
    assert_string_equal(err, "xl/worksheets/sheet1.xml: line 2: row 1, column 1 (A1): text longer "
                             "than 131072 bytes");
    free(x);
    free(doc);
}

static void test_cell_errors(void **state)
{
    (void)state;
    const char *pre = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n";
    char sheet[1024];
#define BAD(rows, want)                                                                            \
    do {                                                                                           \
        snprintf(sheet, sizeof sheet, SHEET("%s%s"), pre, rows);                                   \
        parts_err(NULL, sheet, "<sst><si><t>x</t></si></sst>", NULL, want);                        \
    } while (0)
    BAD("<row r=\"7\"><c r=\"C7\"><v>12abc</v></c></row>",
        "xl/worksheets/sheet1.xml: line 3: row 7, column 3 (C7): invalid number");
    BAD("<row r=\"7\"><c r=\"C7\"><v>nan</v></c></row>",
        "xl/worksheets/sheet1.xml: line 3: row 7, column 3 (C7): invalid number");
    BAD("<row r=\"7\"><c r=\"C7\"><v>1e999</v></c></row>",
        "xl/worksheets/sheet1.xml: line 3: row 7, column 3 (C7): invalid number");
    BAD("<row r=\"2\"><c r=\"AB2\" t=\"s\"><v>1</v></c></row>",
        "xl/worksheets/sheet1.xml: line 3: row 2, column 28 (AB2): refers to a shared string "
        "that does not exist");
    BAD("<row r=\"2\"><c r=\"A2\" t=\"s\"><v>-1</v></c></row>",
        "xl/worksheets/sheet1.xml: line 3: row 2, column 1 (A2): refers to a shared string "
        "that does not exist");
    BAD("<row r=\"2\"><c r=\"A2\" t=\"b\"><v>2</v></c></row>",
        "xl/worksheets/sheet1.xml: line 3: row 2, column 1 (A2): invalid boolean");
    BAD("<row r=\"2\"><c r=\"A2\" t=\"zz\"><v>2</v></c></row>",
        "xl/worksheets/sheet1.xml: line 3: row 2, column 1 (A2): unknown cell type");
    BAD("<row r=\"1\"/>",
        "xl/worksheets/sheet1.xml: line 3: row 1 comes after row 1 (rows out of order)");
    BAD("<row r=\"2\"><c r=\"B2\"/><c r=\"A2\"/></row>",
        "xl/worksheets/sheet1.xml: line 3: row 2: cell A2 comes after column 2 (cells out of "
        "order)");
    BAD("<row r=\"2\"><c r=\"B3\"/></row>",
        "xl/worksheets/sheet1.xml: line 3: row 2: cell B3 is not in this row");
    BAD("<row r=\"2\"><c r=\"b2\"/></row>",
        "xl/worksheets/sheet1.xml: line 3: row 2: invalid cell reference \"b2\"");
    BAD("<row r=\"x\"/>", "xl/worksheets/sheet1.xml: line 3: invalid row number \"x\"");
    BAD("<row r=\"2\"><c r=\"A2\"><v>1</c></row>",
        "xl/worksheets/sheet1.xml: line 3: mismatched tag");
#undef BAD

    /* the rows before the fault were delivered */
    size_t len;
    char *x = make_xlsx(NULL,
                        SHEET("<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"><c><v>x</v>"
                              "</c></row>"),
                        NULL, NULL, &len);
    sink s = {0};
    char err[512];
    assert_int_equal(xlsx_read(x, len, collect, &s, err, sizeof err), -1);
    assert_int_equal(s.n, 1);
    sink_free(&s);
    free(x);

    /* parts missing or malformed */
    zpart only[] = {{"hello.txt", "hi"}};
    x = zip_build(only, 1, &len);
    assert_int_equal(xlsx_read(x, len, collect, &s, err, sizeof err), -1);
    assert_string_equal(err, "xl/workbook.xml: missing from the file, so it is not an Excel "
                             "workbook");
    free(x);
    zpart nosheet[] = {{"xl/workbook.xml", WORKBOOK}, {"xl/_rels/workbook.xml.rels", RELS}};
    x = zip_build(nosheet, 2, &len);
    assert_int_equal(xlsx_read(x, len, collect, &s, err, sizeof err), -1);
    assert_string_equal(err, "xl/worksheets/sheet1.xml: missing from the file, so it is not an "
                             "Excel workbook");
    free(x);
    parts_err(XML_DECL "<workbook><sheets/></workbook>", "<worksheet/>", NULL, NULL,
              "xl/workbook.xml: the workbook has no worksheet");
    parts_err(NULL, "<worksheet><sheetData>", NULL, NULL,
              "xl/worksheets/sheet1.xml: line 1: no element found");
    parts_err(NULL, "<worksheet/>", "<sst><si><t>x</sst>", NULL,
              "xl/sharedStrings.xml: line 1: mismatched tag");
}

static void test_stop(void **state)
{
    (void)state;
    size_t len;
    char *x = make_xlsx(NULL,
                        SHEET("<row r=\"1\"><c><v>1</v></c></row><row r=\"3\"><c><v>3</v>"
                              "</c></row><row r=\"4\"><c><v>4</v></c></row>"),
                        NULL, NULL, &len);
    char err[256];
    for (size_t k = 1; k <= 4; k++) { /* row 2 is delivered too, without cells */
        sink s = {.stop_after = k};
        assert_int_equal(xlsx_read(x, len, collect, &s, err, sizeof err), 1);
        assert_int_equal(s.n, k);
        sink_free(&s);
    }
    sink s = {.stop_after = 5};
    assert_int_equal(xlsx_read(x, len, collect, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 4);
    sink_free(&s);
    free(x);
}

/* Empty, garbage, truncated and garbled files are refused with a message, never a crash. */
static void test_garbage(void **state)
{
    (void)state;
    char err[512];
    sink s = {0};
    assert_int_equal(xlsx_read("", 0, collect, &s, err, sizeof err), -1);
    assert_string_equal(err, "the file is empty, not an .xlsx workbook");
    const char *junk = "序号,名称\r\n1,甲\r\n";
    assert_int_equal(xlsx_read(junk, strlen(junk), collect, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "not an .xlsx workbook"));
    /* an OLE2 header (.xls, or an encrypted .xlsx) */
    const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
    assert_int_equal(xlsx_read(ole, sizeof ole, collect, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "not an .xlsx workbook"));
    sink_free(&s);

    char e2[256];
    xlsx_writer *w = xlsx_writer_new(NULL, e2, sizeof e2);
    const char *h[] = {"序号", "名称"}, *r[] = {"0012", "县财政局"};
    xlsx_writer_header(w, h, 2);
    for (int i = 0; i < 20; i++)
        xlsx_writer_row(w, r, 2);
    char *bytes;
    size_t len;
    assert_int_equal(xlsx_writer_finish(w, &bytes, &len), 0);
    xlsx_writer_free(w);

    /* every truncation */
    for (size_t cut = 0; cut < len; cut += 3) {
        int rc = xlsx_read(bytes, cut, collect, &s, err, sizeof err);
        assert_int_equal(rc, -1);
        assert_true(strlen(err) > 0);
        sink_free(&s);
    }
    /* flipped bytes: either read or refused, with a message */
    char *copy = malloc(len);
    uint32_t seed = 7;
    for (int iter = 0; iter < 1500; iter++) {
        memcpy(copy, bytes, len);
        for (int k = 0; k < 1 + iter % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % len;
            seed = seed * 1103515245u + 12345u;
            copy[at] ^= (char)(1 + (seed >> 16) % 255);
        }
        err[0] = '\0';
        int rc = xlsx_read(copy, len, collect, &s, err, sizeof err);
        assert_true(rc == 0 || rc == -1);
        if (rc == -1) assert_true(strlen(err) > 0);
        sink_free(&s);
    }
    free(copy);
    free(bytes);
}

/* Committed files shaped like Excel's and WPS's own output. */
static void test_fixtures(void **state)
{
    (void)state;
    static const char *names[] = {"excel.xlsx", "wps.xlsx"};
    for (int i = 0; i < 2; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/tests/unit/fixtures/%s", DUBAN_SOURCE_DIR, names[i]);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        char *b = malloc(1 << 20);
        size_t len = fread(b, 1, 1 << 20, f);
        fclose(f);
        sink s = {0};
        read_ok(b, len, &s);
        assert_int_equal(s.n, 4);
        row_is(&s, 0, 1, 5, "序号", "责任单位", "问题描述", "整改时限", "金额（元）");
        row_is(&s, 1, 2, 5, "0012", "县财政局", "台账不全，需补齐", "2024-03-05", "1234.5");
        row_is(&s, 2, 3, 0);
        row_is(&s, 3, 4, 5, "0013", "县审计局", "第一行\n第二行", "2024-12-31", "20");
        sink_free(&s);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer_roundtrip),
        cmocka_unit_test(test_writer_numbers_dates),
        cmocka_unit_test(test_writer_errors),
        cmocka_unit_test(test_shared_strings_and_types),
        cmocka_unit_test(test_dates_and_formats),
        cmocka_unit_test(test_date1904),
        cmocka_unit_test(test_sheet_choice),
        cmocka_unit_test(test_doctype_refused),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_zip_bomb_lying_header),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_cell_errors),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
