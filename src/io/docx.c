/*
 * docx — a minimal Word document writer (see docx.h).
 *
 * word/document.xml is written into a memory stream: each paragraph is a paragraph-properties
 * block and one run, whose text is decoded character by character so that only what XML 1.0
 * allows reaches the file, escaped; a newline in the text starts another paragraph of the same
 * style, and a blank paragraph separates the title from the body. The three parts are then added to
 * a zip archive that lives in a libzip buffer source; after zip_close the finished archive is read
 * back out of that source into one malloc'd block for the caller.
 */
#include "io/docx.h"

#include "base/mem.h"

#include <zip.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "</Types>";

static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "</Relationships>";

static const char document_head[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
    "<w:body>";

/* A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (GB/T 9704), in twips. */
static const char document_tail[] =
    "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>"
    "<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\" "
    "w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>"
    "</w:body></w:document>";

/* How a paragraph looks: its paragraph properties and its run properties. */
typedef struct {
    const char *ppr, *rpr;
} para_style;

/* Fixed 28-point lines (560 twips) for both; sizes in half-points (44 = 22pt, 32 = 16pt). */
static const para_style title_style = {
    "<w:pPr><w:jc w:val=\"center\"/><w:spacing w:after=\"0\" w:line=\"560\" "
    "w:lineRule=\"exact\"/></w:pPr>",
    "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
    "w:eastAsia=\"宋体\"/><w:b/><w:bCs/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>"
    "<w:lang w:eastAsia=\"zh-CN\"/></w:rPr>",
};

static const para_style body_style = {
    "<w:pPr><w:jc w:val=\"both\"/><w:spacing w:after=\"0\" w:line=\"560\" "
    "w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/></w:pPr>",
    "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" "
    "w:eastAsia=\"仿宋\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
    "<w:lang w:eastAsia=\"zh-CN\"/></w:rPr>",
};

/* ---- text ---- */

/*
 * Decodes the UTF-8 character at s (n > 0 bytes left): its code point, and in *used its length.
 * A malformed sequence (bad lead or continuation byte, overlong, surrogate, past U+10FFFF,
 * truncated) gives -1 with *used = 1, so the caller skips one byte and resynchronises.
 */
static int32_t utf8_next(const unsigned char *s, size_t n, size_t *used)
{
    static const int32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    *used = 1;
    size_t len = s[0] < 0x80             ? 1
                 : (s[0] & 0xE0) == 0xC0 ? 2
                 : (s[0] & 0xF0) == 0xE0 ? 3
                 : (s[0] & 0xF8) == 0xF0 ? 4
                                         : 0;
    if (len == 0 || len > n) return -1;
    int32_t c = len == 1 ? s[0] : s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return -1;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return -1;
    *used = len;
    return c;
}

/* XML 1.0's Char production (tab, newline and carriage return are handled before this). */
static int xml_allowed(int32_t c)
{
    return (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || c >= 0x10000;
}

static void open_paragraph(FILE *f, const para_style *st)
{
    fprintf(f, "<w:p>%s<w:r>%s<w:t xml:space=\"preserve\">", st->ppr, st->rpr);
}

static void close_paragraph(FILE *f)
{
    fputs("</w:t></w:r></w:p>", f);
}

/*
 * Writes text as paragraphs of style st: escaped, tabs as tabs, and each "\n" starting a new
 * paragraph of the same style (a manual line break would stretch a justified line across the page).
 */
/* Writes the character c, whose `used` bytes are at p, into the open paragraph of style st. */
static void put_char(FILE *f, const para_style *st, int32_t c, const unsigned char *p, size_t used)
{
    switch (c) {
    case '\n':
        close_paragraph(f);
        open_paragraph(f, st);
        break;
    case '\t':
        fputs("</w:t><w:tab/><w:t xml:space=\"preserve\">", f);
        break;
    case '&':
        fputs("&amp;", f);
        break;
    case '<':
        fputs("&lt;", f);
        break;
    case '>':
        fputs("&gt;", f);
        break;
    default:
        if (c >= 0 && xml_allowed(c)) fwrite(p, 1, used, f);
    }
}

static void put_paragraph(FILE *f, const para_style *st, const char *text)
{
    const unsigned char *p = (const unsigned char *)(text ? text : "");
    size_t n = strlen((const char *)p);
    open_paragraph(f, st);
    while (n) {
        size_t used;
        int32_t c = utf8_next(p, n, &used);
        put_char(f, st, c, p, used);
        p += used;
        n -= used;
    }
    close_paragraph(f);
}

/* word/document.xml as one malloc'd string; *len its size. */
static char *document_xml(const char *title, const char *const *paragraphs, size_t n, size_t *len)
{
    char *xml = NULL;
    FILE *f = open_memstream(&xml, len);
    if (!f) abort(); /* out of memory, as everywhere in duban */
    fputs(document_head, f);
    if (title && *title) {
        put_paragraph(f, &title_style, title);
        put_paragraph(f, &body_style, ""); /* the blank line under a title */
    }
    for (size_t i = 0; i < n; i++)
        put_paragraph(f, &body_style, paragraphs[i]);
    fputs(document_tail, f);
    if (fclose(f) != 0) abort();
    return xml;
}

/* ---- the package ---- */

/* Adds a part whose bytes stay valid until zip_close; 0 on success. */
static int add_part(zip_t *z, const char *name, const char *data, size_t len)
{
    zip_source_t *s = zip_source_buffer(z, data, len, 0);
    if (!s) return -1;
    if (zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(s);
        return -1;
    }
    return 0;
}

/* The whole content of a (closed) buffer source, malloc'd; 0 on success. */
static int read_source(zip_source_t *src, char **out, size_t *len)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE)) return -1;
    if (zip_source_open(src) < 0) return -1;
    char *b = xmalloc(st.size ? st.size : 1);
    zip_int64_t got = zip_source_read(src, b, st.size);
    zip_source_close(src);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(b);
        return -1;
    }
    *out = b;
    *len = st.size;
    return 0;
}

err_code docx_write(const char *title, const char *const *paragraphs, size_t n, char **out,
                    size_t *len)
{
    *out = NULL;
    *len = 0;
    err_code rc = E_INTERNAL;
    size_t doc_len;
    char *doc = document_xml(title, paragraphs, n, &doc_len);

    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src) goto out;
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!z) {
        zip_source_free(src);
        goto out;
    }
    zip_source_keep(src); /* ours to read after zip_close */
    if (add_part(z, "[Content_Types].xml", content_types, sizeof content_types - 1) ||
        add_part(z, "_rels/.rels", package_rels, sizeof package_rels - 1) ||
        add_part(z, "word/document.xml", doc, doc_len) || zip_close(z) < 0) {
        zip_discard(z);
        zip_source_free(src);
        goto out;
    }
    if (read_source(src, out, len) == 0) rc = E_OK;
    zip_source_free(src);
out:
    zip_error_fini(&ze);
    free(doc);
    return rc;
}
