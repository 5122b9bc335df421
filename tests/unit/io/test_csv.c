/* Tests of the CSV reader and writer: RFC 4180 parsing, round trips, exact error positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

/* ---- a sink that keeps every record ---- */

typedef struct {
    size_t row, n;
    char **cells;
} trow;

typedef struct {
    trow *rows;
    size_t n;
    size_t stop_after; /* 0: never stop */
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

/* Reads text (strlen) and expects success. */
static void read_ok(const char *text, sink *s)
{
    char err[256] = "";
    int rc = csv_read(text, strlen(text), collect, s, err, sizeof err);
    if (rc != 0) fail_msg("csv_read failed: %s", err);
}

/* Reads len bytes and expects the error message want exactly. */
static void read_err(const char *data, size_t len, const char *want)
{
    sink s = {0};
    char err[256] = "";
    assert_int_equal(csv_read(data, len, collect, &s, err, sizeof err), -1);
    assert_string_equal(err, want);
    sink_free(&s);
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

/* ---- reading ---- */

static void test_basic(void **state)
{
    (void)state;
    sink s = {0};
    read_ok("name,code\r\n县财政局,0012\r\n\"a, b\",\"say \"\"hi\"\"\"\r\n", &s);
    assert_int_equal(s.n, 3);
    row_is(&s, 0, 1, 2, "name", "code");
    row_is(&s, 1, 2, 2, "县财政局", "0012");
    row_is(&s, 2, 3, 2, "a, b", "say \"hi\"");
    sink_free(&s);

    /* LF line ends, no final line end, empty fields */
    read_ok("a,,c\n,\nlast", &s);
    assert_int_equal(s.n, 3);
    row_is(&s, 0, 1, 3, "a", "", "c");
    row_is(&s, 1, 2, 2, "", "");
    row_is(&s, 2, 3, 1, "last");
    sink_free(&s);

    /* a trailing comma is an empty last field */
    read_ok("a,\n", &s);
    row_is(&s, 0, 1, 2, "a", "");
    sink_free(&s);
}

static void test_bom_and_empty(void **state)
{
    (void)state;
    sink s = {0};
    read_ok("\xEF\xBB\xBF序号,名称\r\n1,甲\r\n", &s);
    assert_int_equal(s.n, 2);
    row_is(&s, 0, 1, 2, "序号", "名称");
    sink_free(&s);

    read_ok("", &s);
    assert_int_equal(s.n, 0);
    read_ok("\xEF\xBB\xBF", &s);
    assert_int_equal(s.n, 0);

    /* an empty line is a record without cells and still counts; "" is one empty cell */
    read_ok("a\n\n\"\"\r\n\r\nb\n", &s);
    assert_int_equal(s.n, 5);
    row_is(&s, 0, 1, 1, "a");
    row_is(&s, 1, 2, 0);
    row_is(&s, 2, 3, 1, "");
    row_is(&s, 3, 4, 0);
    row_is(&s, 4, 5, 1, "b");
    sink_free(&s);
}

static void test_multiline_fields(void **state)
{
    (void)state;
    sink s = {0};
    /* line breaks inside quotes are kept as written and do not start a new row */
    read_ok("h1,h2\r\n\"line1\r\nline2\",\"x\ny\"\r\nnext,row\r\n", &s);
    assert_int_equal(s.n, 3);
    row_is(&s, 1, 2, 2, "line1\r\nline2", "x\ny");
    row_is(&s, 2, 3, 2, "next", "row");
    sink_free(&s);
}

static void test_stop(void **state)
{
    (void)state;
    sink s = {.stop_after = 2};
    char err[64];
    const char *t = "a\nb\nc\nd\n";
    assert_int_equal(csv_read(t, strlen(t), collect, &s, err, sizeof err), 1);
    assert_int_equal(s.n, 2);
    sink_free(&s);
}

static void test_errors(void **state)
{
    (void)state;
#define E(lit, want) read_err(lit, sizeof lit - 1, want)
    E("a,b\nc,\"d\n", "row 2, column 2: quoted field is not closed");
    E("a,b\nx,y\"z\n",
      "row 2, column 2: quote inside an unquoted field (quote the field and double the quote)");
    E("\"a\"b,c", "row 1, column 1: text after the closing quote of a quoted field");
    E("a,\xff\n", "row 1, column 2: invalid UTF-8 (save the file as CSV UTF-8)");
    /* GBK, as Excel's plain "CSV" saves Chinese text on a Chinese Windows: 台账 */
    E("h\n1,2,\xcc\xa8\xd5\xcb\n", "row 2, column 3: invalid UTF-8 (save the file as CSV UTF-8)");
    E("\xc0\xaf", "row 1, column 1: invalid UTF-8 (save the file as CSV UTF-8)"); /* overlong */
    E("\xed\xa0\x80",
      "row 1, column 1: invalid UTF-8 (save the file as CSV UTF-8)"); /* surrogate */
    E("\xf4\x90\x80\x80", "row 1, column 1: invalid UTF-8 (save the file as CSV UTF-8)");
    E("ok,\xe4\xb8,x", "row 1, column 2: invalid UTF-8 (save the file as CSV UTF-8)"); /* cut */
    E("a\nb\x00"
      "c\n",
      "row 2, column 1: NUL byte");
    E("a,\"b\x00\"", "row 1, column 2: NUL byte");
    E("a\rb\n", "row 1, column 1: carriage return without a line feed");
    /* found by fuzz_csv (UBSan): a fault after nothing but empty fields */
    E("\n,,\r\x0b", "row 2, column 3: carriage return without a line feed");
    /* a record spanning lines is one row: the bad byte is in row 3 */
    E("h\n\"x\ny\nz\"\n\xff\n", "row 3, column 1: invalid UTF-8 (save the file as CSV UTF-8)");
#undef E
}

static void test_limits(void **state)
{
    (void)state;
    /* 200 columns pass, 201 do not */
    char *line = malloc(2 * 201 + 2);
    size_t n = 0;
    for (int i = 0; i < 200; i++) {
        if (i) line[n++] = ',';
        line[n++] = 'x';
    }
    sink s = {0};
    char err[256];
    assert_int_equal(csv_read(line, n, collect, &s, err, sizeof err), 0);
    assert_int_equal(s.rows[0].n, 200);
    sink_free(&s);
    line[n++] = ',';
    line[n++] = 'y';
    read_err(line, n, "row 1, column 201: more than 200 columns");
    free(line);

    /* a 64 KiB field passes, one byte more does not (quoted or not) */
    size_t big = CSV_MAX_FIELD;
    char *f = malloc(big + 16);
    memcpy(f, "a\nb,", 4);
    memset(f + 4, 'z', big);
    assert_int_equal(csv_read(f, 4 + big, collect, &s, err, sizeof err), 0);
    assert_int_equal(strlen(s.rows[1].cells[1]), big);
    sink_free(&s);
    f[4 + big] = 'z';
    read_err(f, 5 + big, "row 2, column 2: field longer than 65536 bytes");
    f[4] = '"';
    memset(f + 5, 'q', big + 1);
    f[6 + big] = '"';
    read_err(f, 7 + big, "row 2, column 2: field longer than 65536 bytes");
    f[5 + big] = '"'; /* exactly 64 KiB quoted: fine */
    assert_int_equal(csv_read(f, 6 + big, collect, &s, err, sizeof err), 0);
    sink_free(&s);
    free(f);
}

/* ---- writing ---- */

/* What a spreadsheet would run as a formula is written as text, leading whitespace or not
 * (security review: " =1+1" went out as it was). */
static void test_writer_formulas(void **state)
{
    (void)state;
    const char *like[] = {"=1+1", " =1+1", "  +1", "\t-1", "\r@A1", "\xE3\x80\x80=A1",
                          "\xC2\xA0 @SUM(A1)", "\n=1"};
    for (size_t i = 0; i < sizeof like / sizeof *like; i++)
        assert_true(csv_formula_like(like[i]));
    const char *plain[] = {"", "1+1", "a=b", " x", "（=）", "—1"};
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        assert_false(csv_formula_like(plain[i]));
    csv_writer *w = csv_writer_new(0);
    const char *row[] = {" =1+1", "=HYPERLINK(\"http://x\",\"a,b\")", "ok"};
    csv_writer_row(w, row, 3);
    size_t len;
    char *b = csv_writer_take(w, &len);
    assert_string_equal(b, "' =1+1,\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\",ok\r\n");
    free(b);
}

static void test_writer_format(void **state)
{
    (void)state;
    csv_writer *w = csv_writer_new(1);
    const char *r1[] = {"序号", "名称"};
    const char *r2[] = {"0012", "a,b"};
    const char *r3[] = {"say \"hi\"", "two\nlines"};
    const char *r4[] = {""};
    const char *r5[] = {"", NULL};
    csv_writer_row(w, r1, 2);
    csv_writer_row(w, r2, 2);
    csv_writer_row(w, r3, 2);
    csv_writer_row(w, r4, 1);
    csv_writer_row(w, r5, 2);
    csv_writer_row(w, NULL, 0);
    size_t len;
    char *b = csv_writer_take(w, &len);
    const char *want =
        "\xEF\xBB\xBF序号,名称\r\n0012,\"a,b\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        "\"\"\r\n,\r\n\r\n";
    assert_int_equal(len, strlen(want));
    assert_string_equal(b, want);
    free(b);

    /* found by fuzz_csv: a first field starting with U+FEFF, in a file without BOM */
    const char *feff[] = {"\xEF\xBB\xBF"
                          "a",
                          "b"};
    for (int bom = 0; bom <= 1; bom++) {
        w = csv_writer_new(bom);
        csv_writer_row(w, feff, 2);
        csv_writer_row(w, feff, 2);
        size_t fl;
        const char *fd = csv_writer_data(w, &fl);
        sink s = {0};
        char err[128];
        assert_int_equal(csv_read(fd, fl, collect, &s, err, sizeof err), 0);
        row_is(&s, 0, 1, 2,
               "\xEF\xBB\xBF"
               "a",
               "b");
        row_is(&s, 1, 2, 2,
               "\xEF\xBB\xBF"
               "a",
               "b");
        sink_free(&s);
        csv_writer_free(w);
    }

    w = csv_writer_new(0);
    size_t l0;
    csv_writer_data(w, &l0);
    assert_int_equal(l0, 0);
    csv_writer_row(w, r2, 2);
    const char *d = csv_writer_data(w, &l0);
    assert_int_equal(l0, strlen("0012,\"a,b\"\r\n"));
    assert_memory_equal(d, "0012,\"a,b\"\r\n", l0);
    csv_writer_free(w);
    csv_writer_free(NULL);
}

static void test_roundtrip(void **state)
{
    (void)state;
    static const char *rows[][4] = {
        {"序号", "单位", "问题描述", "整改时限"},
        {"0012", "县财政局", "台账\"不全\"，需补齐", "2024-03-05"},
        {"", "a,b,c", "第一行\r\n第二行\n第三行", ""},
        {"  spaces  ", "\"", ",", "\r"},
        {"=1+1", "𠀀 (U+20000)", "tab\there", "end"},
    };
    size_t nr = sizeof rows / sizeof rows[0];
    for (int bom = 0; bom <= 1; bom++) {
        csv_writer *w = csv_writer_new(bom);
        for (size_t i = 0; i < nr; i++)
            csv_writer_row(w, rows[i], 4);
        const char *single[] = {""};
        csv_writer_row(w, single, 1); /* one empty cell */
        csv_writer_row(w, NULL, 0);   /* no cells */
        size_t len;
        const char *data = csv_writer_data(w, &len);
        sink s = {0};
        char err[256] = "";
        assert_int_equal(csv_read(data, len, collect, &s, err, sizeof err), 0);
        assert_int_equal(s.n, nr + 2);
        for (size_t i = 0; i < nr; i++) {
            assert_int_equal(s.rows[i].row, i + 1);
            assert_int_equal(s.rows[i].n, 4);
            for (size_t k = 0; k < 4; k++) {
                /* formula-like text reads back with the apostrophe that neutralised it */
                char want[64];
                snprintf(want, sizeof want, "%s%s", csv_formula_like(rows[i][k]) ? "'" : "",
                         rows[i][k]);
                assert_string_equal(s.rows[i].cells[k], want);
            }
        }
        assert_int_equal(s.rows[nr].n, 1);
        assert_string_equal(s.rows[nr].cells[0], "");
        assert_int_equal(s.rows[nr + 1].n, 0);
        sink_free(&s);
        csv_writer_free(w);
    }
}

/* Arbitrary bytes never crash the reader; whatever it accepts, the writer writes back to a
 * file that reads the same. */
static void test_garbage(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    char buf[300];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = 0, len = (size_t)(iter % 290);
        for (; n < len; n++) {
            seed = seed * 1103515245u + 12345u;
            static const char alphabet[] = "ab,\"\r\n\xe4\xb8\xad\xff";
            buf[n] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        sink s = {0};
        char err[256];
        int rc = csv_read(buf, n, collect, &s, err, sizeof err);
        if (rc == 0) {
            csv_writer *w = csv_writer_new(iter & 1);
            for (size_t i = 0; i < s.n; i++)
                csv_writer_row(w, (const char *const *)s.rows[i].cells, s.rows[i].n);
            size_t wl;
            const char *wd = csv_writer_data(w, &wl);
            sink t = {0};
            assert_int_equal(csv_read(wd, wl, collect, &t, err, sizeof err), 0);
            assert_int_equal(t.n, s.n);
            for (size_t i = 0; i < s.n; i++) {
                assert_int_equal(t.rows[i].n, s.rows[i].n);
                for (size_t k = 0; k < s.rows[i].n; k++)
                    assert_string_equal(t.rows[i].cells[k], s.rows[i].cells[k]);
            }
            sink_free(&t);
            csv_writer_free(w);
        } else {
            assert_int_equal(rc, -1);
            assert_int_equal(strncmp(err, "row ", 4), 0);
        }
        sink_free(&s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_bom_and_empty),
        cmocka_unit_test(test_multiline_fields),
        cmocka_unit_test(test_stop),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_writer_format),
        cmocka_unit_test(test_writer_formulas),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
