/*
 * Tests of the Word document writer: the package reopens with libzip and holds its three
 * parts, document.xml is well-formed XML (parsed with expat here), the text of each paragraph
 * comes back exactly — escaped on the way in, with characters XML forbids and malformed UTF-8
 * dropped, a newline starting another paragraph — and the title is bold and centred, followed
 * by a blank line, or absent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "io/docx.h"

/* ---- reading a package back ---- */

typedef struct {
    char *doc;       /* word/document.xml, NUL-terminated */
    char *paras[16]; /* each paragraph's text: w:t content, "\t" for w:tab */
    size_t n;
    int in_t;
} unpacked;

/* A part of the archive as a NUL-terminated heap string; NULL when it is missing. */
static char *read_part(zip_t *z, const char *name)
{
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) < 0) return NULL;
    zip_file_t *f = zip_fopen(z, name, 0);
    assert_non_null(f);
    char *b = malloc(st.size + 1);
    assert_int_equal(zip_fread(f, b, st.size), (zip_int64_t)st.size);
    b[st.size] = '\0';
    zip_fclose(f);
    return b;
}

static void append(char **s, const char *add, size_t n)
{
    size_t have = *s ? strlen(*s) : 0;
    *s = realloc(*s, have + n + 1);
    memcpy(*s + have, add, n);
    (*s)[have + n] = '\0';
}

static void XMLCALL on_start(void *ctx, const XML_Char *name, const XML_Char **attrs)
{
    unpacked *u = ctx;
    if (strcmp(name, "w:p") == 0) {
        assert_true(u->n < 16);
        append(&u->paras[u->n++], "", 0);
    } else if (strcmp(name, "w:t") == 0) {
        u->in_t = 1;
    } else if (strcmp(name, "w:tab") == 0) {
        append(&u->paras[u->n - 1], "\t", 1);
    }
}

static void XMLCALL on_end(void *ctx, const XML_Char *name)
{
    if (strcmp(name, "w:t") == 0) ((unpacked *)ctx)->in_t = 0;
}

static void XMLCALL on_text(void *ctx, const XML_Char *s, int len)
{
    unpacked *u = ctx;
    if (u->in_t) append(&u->paras[u->n - 1], s, (size_t)len);
}

/* Reopens the .docx bytes, checks its parts and parses document.xml into u. */
static void unpack(const char *data, size_t len, unpacked *u)
{
    memset(u, 0, sizeof *u);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    assert_non_null(src);
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(z);
    assert_int_equal(zip_get_num_entries(z, 0), 3);
    assert_string_equal(zip_get_name(z, 0, 0), "[Content_Types].xml");
    char *types = read_part(z, "[Content_Types].xml"), *rels = read_part(z, "_rels/.rels");
    assert_non_null(types);
    assert_non_null(rels);
    assert_non_null(strstr(types, "wordprocessingml.document.main+xml"));
    assert_non_null(strstr(rels, "Target=\"word/document.xml\""));
    free(types);
    free(rels);
    u->doc = read_part(z, "word/document.xml");
    assert_non_null(u->doc);
    zip_close(z);

    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, u);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    if (XML_Parse(p, u->doc, (int)strlen(u->doc), 1) != XML_STATUS_OK)
        fail_msg("document.xml: %s at line %lu", XML_ErrorString(XML_GetErrorCode(p)),
                 (unsigned long)XML_GetCurrentLineNumber(p));
    XML_ParserFree(p);
}

static void unpacked_free(unpacked *u)
{
    free(u->doc);
    for (size_t i = 0; i < u->n; i++)
        free(u->paras[i]);
}

/* ---- tests ---- */

static void test_round_trip(void **state)
{
    const char *paras[] = {
        "2023年以来，全县开展县委理论学习中心组学习16次、研讨13次。",
        "a < b && c > d \"quoted\" 'single' 中文",
        "bell\x07 escape\x1b vertical\x0b gone\r, tab\tand\nnew line",
        "bad \xff\xfe bytes \xc3( and \xe4\xb8 truncated, overlong \xc0\xaf, surrogate "
        "\xed\xa0\x80, "
        "\xef\xbf\xbe not a char, emoji \xf0\x9f\x98\x80 kept",
        NULL,
    };
    char *out;
    size_t len;
    assert_int_equal(docx_write("关于理论学习情况的报告 & <总结>", paras, 5, &out, &len), E_OK);
    assert_true(len > 0);

    unpacked u;
    unpack(out, len, &u);
    assert_int_equal(u.n, 8);
    assert_string_equal(u.paras[0], "关于理论学习情况的报告 & <总结>");
    assert_string_equal(u.paras[1], "");
    assert_string_equal(u.paras[2], paras[0]);
    assert_string_equal(u.paras[3], "a < b && c > d \"quoted\" 'single' 中文");
    assert_string_equal(u.paras[4], "bell escape vertical gone, tab\tand");
    assert_string_equal(u.paras[5], "new line");
    assert_string_equal(u.paras[6], "bad  bytes ( and  truncated, overlong , surrogate ,  not a "
                                    "char, emoji \xf0\x9f\x98\x80 kept");
    assert_string_equal(u.paras[7], "");

    /* The escapes themselves, and no raw control byte anywhere in the part. */
    assert_non_null(strstr(u.doc, "a &lt; b &amp;&amp; c &gt; d"));
    assert_non_null(strstr(u.doc, "中文"));
    for (const char *p = u.doc; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\n') fail_msg("control byte 0x%02x kept", *p);

    /* Title: bold, centred, 22pt; body: 16pt with the first-line indent. */
    assert_non_null(strstr(u.doc, "<w:jc w:val=\"center\"/>"));
    assert_non_null(strstr(u.doc, "<w:b/>"));
    assert_non_null(strstr(u.doc, "<w:sz w:val=\"44\"/>"));
    assert_non_null(strstr(u.doc, "<w:sz w:val=\"32\"/>"));
    assert_non_null(strstr(u.doc, "w:eastAsia=\"仿宋\""));
    unpacked_free(&u);
    free(out);
}

static void test_without_title(void **state)
{
    const char *paras[] = {"只有正文。"};
    char *out;
    size_t len;
    assert_int_equal(docx_write(NULL, paras, 1, &out, &len), E_OK);
    unpacked u;
    unpack(out, len, &u);
    assert_int_equal(u.n, 1);
    assert_string_equal(u.paras[0], "只有正文。");
    assert_null(strstr(u.doc, "<w:b/>"));
    unpacked_free(&u);
    free(out);

    /* Nothing at all is still a document Word opens: a body with its section. */
    assert_int_equal(docx_write("", NULL, 0, &out, &len), E_OK);
    unpack(out, len, &u);
    assert_int_equal(u.n, 0);
    assert_non_null(strstr(u.doc, "<w:sectPr>"));
    unpacked_free(&u);
    free(out);
}

/* A two-line title is two centred, bold paragraphs, then the blank line, then the body. */
static void test_two_line_title(void **state)
{
    const char *paras[] = {"正文。"};
    char *out;
    size_t len;
    assert_int_equal(docx_write("关于理论学习情况\n的报告", paras, 1, &out, &len), E_OK);
    unpacked u;
    unpack(out, len, &u);
    assert_int_equal(u.n, 4);
    assert_string_equal(u.paras[0], "关于理论学习情况");
    assert_string_equal(u.paras[1], "的报告");
    assert_string_equal(u.paras[2], "");
    assert_string_equal(u.paras[3], "正文。");
    const char *second = strstr(u.doc, "的报告");
    const char *p = strstr(u.doc, "<w:p>");
    p = strstr(p + 1, "<w:p>"); /* the second paragraph */
    assert_true(p < second);
    assert_non_null(strstr(p, "<w:jc w:val=\"center\"/>"));
    assert_true(strstr(p, "<w:jc w:val=\"center\"/>") < second);
    assert_true(strstr(p, "<w:b/>") < second);
    unpacked_free(&u);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_without_title),
        cmocka_unit_test(test_two_line_title),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
