/*
 * xlsx_read — the first worksheet of an .xlsx file, row by row (see xlsx.h).
 *
 * An .xlsx file is a zip archive of XML parts. The reader opens the archive in memory with
 * libzip and streams each part it needs through its own expat parser, in this order:
 * xl/workbook.xml (the sheets in tab order, the date system), xl/_rels/workbook.xml.rels
 * (which part each sheet is, and where the shared strings and styles are), the styles (which
 * cell formats show numbers as dates or times), the shared strings (into one pool), and
 * finally the worksheet, whose rows go to the caller as they are parsed, so a large sheet is
 * never held in memory.
 *
 * Every byte comes from outside, so: expat refuses DOCTYPE (and with it every entity
 * declaration, the root of "billion laughs" and external-entity attacks); each part's inflated
 * bytes are counted as they come out of libzip, not taken from the zip header, against the
 * per-part and total limits and the compression ratio; rows, columns and cell sizes are capped.
 * Every error names the part and, inside XML, the line.
 */
#include "io/xlsx.h"
#include "io/xlsx_cells.h"

#include "base/mem.h"

#include <expat.h>
#include <zip.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    CHUNK = 64 * 1024,
    RATIO_FLOOR = 1024 * 1024,
    EXCEL_MAX_ROW = 1048576,
    EXCEL_MAX_COL = 16384
};


/* ---- small growing buffers ---- */

typedef struct {
    char *b;
    size_t n, cap;
} buf;

/* Appends s[0..n) and keeps the buffer NUL-terminated. */
static void buf_add(buf *b, const char *s, size_t n)
{
    if (b->cap - b->n < n + 1 || !b->b) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->n < n + 1)
            cap *= 2;
        b->b = xrealloc(b->b, cap);
        b->cap = cap;
    }
    memcpy(b->b + b->n, s, n);
    b->n += n;
    b->b[b->n] = '\0';
}

static void buf_clear(buf *b)
{
    b->n = 0;
    if (b->b) b->b[0] = '\0';
}

/* ---- the reader's state across parts ---- */

typedef struct {
    char *id, *type, *target; /* target resolved to a part name */
    int external;
} rel;

typedef struct {
    zip_t *z;
    size_t total; /* bytes inflated so far, all parts */
    char *err;
    size_t errlen;
    int date1904;
    /* workbook: sheets in tab order */
    char **sheet_rid;
    int *sheet_visible;
    size_t nsheets;
    /* workbook relationships */
    rel *rels;
    size_t nrels;
    /* styles: custom formats, then the cell formats (cellXfs) as FMT_* */
    int *numfmt_id, *numfmt_kind;
    size_t nnumfmt;
    int *xf_numfmt;
    unsigned char *xf_kind;
    size_t nxf;
    /* shared strings: one pool, each string NUL-terminated */
    buf pool;
    size_t *soff;
    size_t nstr, capstr;
} xr;

static void xr_fail(xr *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xr_fail(xr *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err, x->errlen, fmt, ap);
    va_end(ap);
}

/* ---- XML parsing common to all parts ---- */

/* The first member of every part's parse state, so the shared handlers can reach it. */
typedef struct {
    xr *x;
    XML_Parser p;
    const char *part;
    int failed;  /* a handler refused the content; the message is in x->err */
    int stopped; /* the row callback asked to stop */
} xml_ctx;

static void xfail(xml_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void xfail(xml_ctx *c, const char *fmt, ...)
{
    if (c->failed || c->stopped) return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xr_fail(c->x, "%s: line %lu: %s", c->part, (unsigned long)XML_GetCurrentLineNumber(c->p), msg);
    c->failed = 1;
    XML_StopParser(c->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    xfail(ud, "a DOCTYPE declaration is not allowed");
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                              int value_len, const XML_Char *base, const XML_Char *sysid,
                              const XML_Char *pubid, const XML_Char *notation)
{
    xfail(ud, "an ENTITY declaration is not allowed");
}

/* The name without its namespace prefix: "x:row" → "row". */
static const char *local(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

/* The value of the attribute whose local name is want, or NULL. */
static const char *attr(const XML_Char **atts, const char *want)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (!strcmp(local(atts[i]), want)) return atts[i + 1];
    return NULL;
}

/*
 * Streams the zip entry name through a new expat parser with the given handlers, c being
 * their user data (c->x, c->part set by the caller). Returns 0 when parsed, 1 when stopped by
 * the row callback, 2 when the part does not exist, -1 on an error (message in x->err).
 */
static int parse_part(xr *x, xml_ctx *c, XML_StartElementHandler start, XML_EndElementHandler end,
                      XML_CharacterDataHandler text)
{
    const char *name = c->part;
    zip_int64_t idx = zip_name_locate(x->z, name, ZIP_FL_NOCASE);
    if (idx < 0) return 2;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->z, (zip_uint64_t)idx, 0, &st) != 0) {
        xr_fail(x, "%s: %s", name, zip_strerror(x->z));
        return -1;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        xr_fail(x, "%s: the part is encrypted", name);
        return -1;
    }
    zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    /* What the header declares is checked first, so an honest bomb is refused at once; what
     * is actually inflated is checked below, because a header can lie. */
    if (st.valid & ZIP_STAT_SIZE) {
        if (st.size > XLSX_MAX_PART) {
            xr_fail(x, "%s: the part is larger than 64 MiB uncompressed", name);
            return -1;
        }
        if (st.size > RATIO_FLOOR && st.size / XLSX_MAX_RATIO > comp) {
            xr_fail(x, "%s: the part is compressed more than 200:1 (a zip bomb?)", name);
            return -1;
        }
    }

    zip_file_t *f = zip_fopen_index(x->z, (zip_uint64_t)idx, 0);
    if (!f) {
        xr_fail(x, "%s: %s", name, zip_strerror(x->z));
        return -1;
    }
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) {
        fprintf(stderr, "duban: out of memory creating an XML parser\n");
        abort();
    }
    c->p = p;
    XML_SetUserData(p, c);
    XML_SetElementHandler(p, start, end);
    if (text) XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);

    int rc = 0;
    size_t got = 0;
    for (;;) {
        void *b = XML_GetBuffer(p, CHUNK);
        if (!b) {
            fprintf(stderr, "duban: out of memory in the XML parser\n");
            abort();
        }
        zip_int64_t n = zip_fread(f, b, CHUNK);
        if (n < 0) {
            xr_fail(x, "%s: %s", name, zip_file_strerror(f));
            rc = -1;
            break;
        }
        got += (size_t)n;
        x->total += (size_t)n;
        if (got > XLSX_MAX_PART) {
            xr_fail(x, "%s: the part is larger than 64 MiB uncompressed", name);
            rc = -1;
            break;
        }
        if (x->total > XLSX_MAX_TOTAL) {
            xr_fail(x, "%s: the workbook is larger than 128 MiB uncompressed", name);
            rc = -1;
            break;
        }
        if (got > RATIO_FLOOR && got / XLSX_MAX_RATIO > comp) {
            xr_fail(x, "%s: the part is compressed more than 200:1 (a zip bomb?)", name);
            rc = -1;
            break;
        }
        if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
            if (c->stopped) {
                rc = 1;
            } else if (!c->failed) {
                xr_fail(x, "%s: line %lu: %s", name, (unsigned long)XML_GetCurrentLineNumber(p),
                        XML_ErrorString(XML_GetErrorCode(p)));
                rc = -1;
            } else {
                rc = -1;
            }
            break;
        }
        if (n == 0) break;
    }
    XML_ParserFree(p);
    c->p = NULL;
    zip_fclose(f);
    return rc;
}

/* Like parse_part, but a missing part is an error. */
static int parse_required(xr *x, xml_ctx *c, XML_StartElementHandler start,
                          XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    int rc = parse_part(x, c, start, end, text);
    if (rc == 2) {
        xr_fail(x, "%s: missing from the file, so it is not an Excel workbook", c->part);
        return -1;
    }
    return rc;
}

/* Parses an unsigned decimal number that is all of s (no sign, no spaces) and at most max. */
static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    if (!s || !*s) return -1;
    unsigned long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        unsigned long d = (unsigned long)(*s - '0');
        if (v > (max - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* ---- xl/workbook.xml ---- */

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xml_ctx *c = ud;
    xr *x = c->x;
    const char *ln = local(name);
    if (!strcmp(ln, "workbookPr")) {
        const char *v = attr(atts, "date1904");
        x->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(ln, "sheet")) {
        const char *rid = attr(atts, "id"), *state = attr(atts, "state");
        if (!rid) {
            xfail(c, "a sheet has no relationship id");
            return;
        }
        x->sheet_rid = xrealloc(x->sheet_rid, (x->nsheets + 1) * sizeof *x->sheet_rid);
        x->sheet_visible = xrealloc(x->sheet_visible, (x->nsheets + 1) * sizeof(int));
        x->sheet_rid[x->nsheets] = xstrdup(rid);
        x->sheet_visible[x->nsheets] = !state || !strcmp(state, "visible");
        x->nsheets++;
    }
}

static void XMLCALL no_end(void *ud, const XML_Char *name) {}

/* ---- xl/_rels/workbook.xml.rels ---- */

/* The part name a relationship target of xl/workbook.xml refers to, or NULL if it leaves the
 * package. Relative targets are relative to xl/; "." and ".." segments are resolved. */
static char *resolve_target(const char *target)
{
    char *path = target[0] == '/' ? xstrdup(target + 1) : xasprintf("xl/%s", target);
    char *out = xmalloc(strlen(path) + 1);
    size_t n = 0;
    char *save = NULL;
    for (char *seg = strtok_r(path, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
        if (!strcmp(seg, ".")) continue;
        if (!strcmp(seg, "..")) {
            if (n == 0) {
                free(path);
                free(out);
                return NULL;
            }
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0) n--; /* the slash before the dropped segment */
            continue;
        }
        if (n) out[n++] = '/';
        size_t sl = strlen(seg);
        memcpy(out + n, seg, sl);
        n += sl;
    }
    out[n] = '\0';
    free(path);
    return out;
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xml_ctx *c = ud;
    xr *x = c->x;
    if (strcmp(local(name), "Relationship")) return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
    const char *mode = attr(atts, "TargetMode");
    if (!id || !type || !target) return;
    x->rels = xrealloc(x->rels, (x->nrels + 1) * sizeof *x->rels);
    rel *r = &x->rels[x->nrels++];
    r->id = xstrdup(id);
    r->type = xstrdup(type);
    r->external = mode && !strcmp(mode, "External");
    r->target = r->external ? NULL : resolve_target(target);
}

/* The relationship of a type ending in "/suffix" (the first), or NULL. */
static const rel *rel_of_type(const xr *x, const char *suffix)
{
    size_t sl = strlen(suffix);
    for (size_t i = 0; i < x->nrels; i++) {
        size_t tl = strlen(x->rels[i].type);
        if (tl > sl && x->rels[i].type[tl - sl - 1] == '/' &&
            !strcmp(x->rels[i].type + tl - sl, suffix) && x->rels[i].target)
            return &x->rels[i];
    }
    return NULL;
}

/* ---- styles: which cell formats are dates ---- */

typedef struct {
    xml_ctx base;
    int in_xfs; /* inside cellXfs */
} styles_ctx;

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    styles_ctx *c = ud;
    xr *x = c->base.x;
    const char *ln = local(name);
    unsigned long id = 0;
    if (!strcmp(ln, "numFmt")) {
        const char *code = attr(atts, "formatCode");
        if (!code || parse_uint(attr(atts, "numFmtId"), 100000, &id)) return;
        x->numfmt_id = xrealloc(x->numfmt_id, (x->nnumfmt + 1) * sizeof(int));
        x->numfmt_kind = xrealloc(x->numfmt_kind, (x->nnumfmt + 1) * sizeof(int));
        x->numfmt_id[x->nnumfmt] = (int)id;
        x->numfmt_kind[x->nnumfmt] = xlsx_format_kind(code);
        x->nnumfmt++;
    } else if (!strcmp(ln, "cellXfs")) {
        c->in_xfs = 1;
    } else if (c->in_xfs && !strcmp(ln, "xf")) {
        if (parse_uint(attr(atts, "numFmtId"), 100000, &id)) id = 0;
        x->xf_numfmt = xrealloc(x->xf_numfmt, (x->nxf + 1) * sizeof(int));
        x->xf_numfmt[x->nxf++] = (int)id;
    }
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    styles_ctx *c = ud;
    if (!strcmp(local(name), "cellXfs")) c->in_xfs = 0;
}

/* Turns the cell formats' numFmtIds into FMT_* once the whole styles part is known. */
static void styles_resolve(xr *x)
{
    x->xf_kind = xcalloc(x->nxf ? x->nxf : 1, 1);
    for (size_t i = 0; i < x->nxf; i++) {
        int id = x->xf_numfmt[i], kind = xlsx_builtin_kind(id);
        for (size_t k = 0; k < x->nnumfmt; k++)
            if (x->numfmt_id[k] == id) kind = x->numfmt_kind[k];
        x->xf_kind[i] = (unsigned char)kind;
    }
}

/* Decodes the OOXML "_xHHHH_" escapes of the buffer in place (see xlsx_unescape). */
static void decode_escapes(buf *b)
{
    if (b->b) b->n = xlsx_unescape(b->b, b->n);
}

/* ---- xl/sharedStrings.xml ---- */

typedef struct {
    xml_ctx base;
    int in_si, in_t, rph;
    buf cur;
} sst_ctx;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sst_ctx *c = ud;
    const char *ln = local(name);
    if (!strcmp(ln, "si")) {
        c->in_si = 1;
        c->rph = 0;
        buf_clear(&c->cur);
    } else if (c->in_si && !strcmp(ln, "rPh")) {
        c->rph++;
    } else if (c->in_si && !c->rph && !strcmp(ln, "t")) {
        c->in_t = 1;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_ctx *c = ud;
    xr *x = c->base.x;
    const char *ln = local(name);
    if (!strcmp(ln, "t")) {
        c->in_t = 0;
    } else if (!strcmp(ln, "rPh")) {
        if (c->rph) c->rph--;
    } else if (!strcmp(ln, "si") && c->in_si) {
        c->in_si = 0;
        decode_escapes(&c->cur);
        if (x->nstr == x->capstr) {
            x->capstr = x->capstr ? x->capstr * 2 : 256;
            x->soff = xrealloc(x->soff, x->capstr * sizeof *x->soff);
        }
        x->soff[x->nstr++] = x->pool.n;
        buf_add(&x->pool, c->cur.b ? c->cur.b : "", c->cur.n);
        buf_add(&x->pool, "", 1); /* the string's NUL, kept in the pool */
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    sst_ctx *c = ud;
    if (!c->in_t) return;
    if (c->cur.n + (size_t)len > XLSX_MAX_CELL) {
        xfail(&c->base, "shared string %zu is longer than %d bytes", c->base.x->nstr,
              XLSX_MAX_CELL);
        return;
    }
    buf_add(&c->cur, s, (size_t)len);
}

/* ---- numbers and dates ---- */

/* ---- the worksheet ---- */

typedef struct {
    xml_ctx base;
    csv_row_fn fn;
    void *fctx;
    int in_data, in_row, in_cell, in_is, rph;
    int collect;      /* 1: inside <v>, 2: inside <is>…<t> */
    size_t row;       /* the current row's number */
    size_t last_row;  /* the previous row's number (0 before the first) */
    size_t delivered; /* the last row handed to fn */
    size_t col, last_col;
    char type[12];
    int kind; /* FMT_* of the cell's format */
    buf v, t;
    /* the current row: cells as NUL-terminated strings in rb at off[] */
    buf rb;
    size_t off[XLSX_MAX_COLUMNS];
    const char *cells[XLSX_MAX_COLUMNS];
    size_t ncell;    /* slots filled */
    size_t nonempty; /* column of the last non-empty cell */
} sheet_ctx;

/* Column letters as Excel shows them: 1 → "A", 28 → "AB". out has room for 4 bytes. */
static void col_name(size_t col, char *out)
{
    char tmp[4];
    int n = 0;
    while (col > 0 && n < 3) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
}

static void cell_fail(sheet_ctx *c, const char *why)
{
    char cn[4];
    col_name(c->col, cn);
    xfail(&c->base, "row %zu, column %zu (%s%zu): %s", c->row, c->col, cn, c->row, why);
}

/* Hands a row to the caller; 1 when it asked to stop. */
static int emit(sheet_ctx *c, size_t row, size_t n)
{
    for (size_t i = 0; i < n; i++)
        c->cells[i] = c->rb.b + c->off[i];
    if (c->fn(c->fctx, row, c->cells, n)) {
        c->base.stopped = 1;
        XML_StopParser(c->base.p, XML_FALSE);
        return 1;
    }
    return 0;
}

/* Parses a cell reference like "C7" into column and row; -1 if malformed. */
static int parse_ref(const char *r, size_t *col, size_t *row)
{
    size_t cl = 0, i = 0;
    for (; r[i] >= 'A' && r[i] <= 'Z'; i++) {
        cl = cl * 26 + (size_t)(r[i] - 'A' + 1);
        if (cl > EXCEL_MAX_COL) return -1;
    }
    if (i == 0) return -1;
    unsigned long rw;
    if (parse_uint(r + i, EXCEL_MAX_ROW, &rw) || rw == 0) return -1;
    *col = cl;
    *row = rw;
    return 0;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sheet_ctx *c = ud;
    xr *x = c->base.x;
    if (c->base.failed || c->base.stopped) return;
    const char *ln = local(name);
    if (!strcmp(ln, "sheetData")) {
        c->in_data = 1;
    } else if (!c->in_data) {
        return;
    } else if (!strcmp(ln, "row")) {
        const char *r = attr(atts, "r");
        unsigned long rw = c->last_row + 1;
        if (r && (parse_uint(r, EXCEL_MAX_ROW, &rw) || rw == 0)) {
            xfail(&c->base, "invalid row number \"%.20s\"", r);
            return;
        }
        if (rw <= c->last_row) {
            xfail(&c->base, "row %lu comes after row %zu (rows out of order)", rw, c->last_row);
            return;
        }
        c->row = c->last_row = rw;
        c->in_row = 1;
        c->last_col = 0;
        c->ncell = 0;
        c->nonempty = 0;
        buf_clear(&c->rb);
    } else if (!c->in_row) {
        return;
    } else if (!strcmp(ln, "c")) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        size_t col = c->last_col + 1, rw = c->row;
        if (r && parse_ref(r, &col, &rw)) {
            xfail(&c->base, "row %zu: invalid cell reference \"%.20s\"", c->row, r);
            return;
        }
        if (rw != c->row) {
            xfail(&c->base, "row %zu: cell %.20s is not in this row", c->row, r);
            return;
        }
        if (col <= c->last_col) {
            xfail(&c->base, "row %zu: cell %.20s comes after column %zu (cells out of order)",
                  c->row, r, c->last_col);
            return;
        }
        c->col = c->last_col = col;
        c->in_cell = 1;
        snprintf(c->type, sizeof c->type, "%s", t ? t : "n");
        unsigned long si;
        c->kind = (s && !parse_uint(s, 1000000, &si) && si < x->nxf) ? x->xf_kind[si] : FMT_NUMBER;
        buf_clear(&c->v);
        buf_clear(&c->t);
        c->in_is = 0;
        c->rph = 0;
        c->collect = 0;
    } else if (!c->in_cell) {
        return;
    } else if (!strcmp(ln, "v")) {
        c->collect = 1;
    } else if (!strcmp(ln, "is")) {
        c->in_is = 1;
    } else if (c->in_is && !strcmp(ln, "rPh")) {
        c->rph++;
    } else if (c->in_is && !c->rph && !strcmp(ln, "t")) {
        c->collect = 2;
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
    sheet_ctx *c = ud;
    if (!c->collect || c->base.failed || c->base.stopped) return;
    buf *b = c->collect == 1 ? &c->v : &c->t;
    if (b->n + (size_t)len > XLSX_MAX_CELL) {
        char why[64];
        snprintf(why, sizeof why, "text longer than %d bytes", XLSX_MAX_CELL);
        cell_fail(c, why);
        return;
    }
    buf_add(b, s, (size_t)len);
}

/* Trims ASCII spaces at both ends, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* The cell just closed, as text; NULL after a failure. tmp has room for 40 bytes. */
static const char *cell_value(sheet_ctx *c, char *tmp)
{
    xr *x = c->base.x;
    const char *ty = c->type;
    char *v = c->v.b ? c->v.b : tmp;
    if (!c->v.b) tmp[0] = '\0';
    if (!strcmp(ty, "s")) {
        unsigned long i;
        v = trim(v);
        if (!*v) return ""; /* no value: an empty cell */
        if (parse_uint(v, (unsigned long)-1, &i) || i >= x->nstr) {
            cell_fail(c, "refers to a shared string that does not exist");
            return NULL;
        }
        return x->pool.b + x->soff[i];
    }
    if (!strcmp(ty, "inlineStr")) {
        decode_escapes(&c->t);
        return c->t.b ? c->t.b : "";
    }
    if (!strcmp(ty, "str")) {
        decode_escapes(&c->v);
        return c->v.b ? c->v.b : "";
    }
    if (!strcmp(ty, "e")) return v;
    v = trim(v);
    if (!strcmp(ty, "b")) {
        if (!*v) return "";
        if (!strcmp(v, "1") || !strcmp(v, "true")) return "TRUE";
        if (!strcmp(v, "0") || !strcmp(v, "false")) return "FALSE";
        cell_fail(c, "invalid boolean");
        return NULL;
    }
    if (!strcmp(ty, "d")) {
        /* ISO 8601 date-time text: the date alone when there is no time of day */
        size_t n = strlen(v);
        if (n > 10 && v[10] == 'T') {
            if (!strncmp(v + 10, "T00:00:00", 9) && strspn(v + 19, ".0Z") == strlen(v + 19))
                v[10] = '\0';
            else
                v[10] = ' ';
            if (strlen(v) > 19) v[19] = '\0';
        }
        return v;
    }
    if (strcmp(ty, "n")) {
        cell_fail(c, "unknown cell type");
        return NULL;
    }
    if (!*v) return "";
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (*end || end == v || !isfinite(d) || !strpbrk(v, "0123456789")) {
        cell_fail(c, "invalid number");
        return NULL;
    }
    if (c->kind == FMT_DATE && xlsx_format_date(d, x->date1904, tmp) == 0) return tmp;
    if (c->kind == FMT_TIME && xlsx_format_time(d, tmp) == 0) return tmp;
    xlsx_format_number(d, tmp);
    return tmp;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    sheet_ctx *c = ud;
    if (c->base.failed || c->base.stopped) return;
    const char *ln = local(name);
    if (!strcmp(ln, "sheetData")) {
        c->in_data = 0;
    } else if (c->in_cell && (!strcmp(ln, "v") || !strcmp(ln, "t"))) {
        c->collect = 0;
    } else if (c->in_cell && !strcmp(ln, "rPh")) {
        if (c->rph) c->rph--;
    } else if (c->in_cell && !strcmp(ln, "is")) {
        c->in_is = 0;
    } else if (c->in_cell && !strcmp(ln, "c")) {
        c->in_cell = 0;
        char tmp[40];
        const char *val = cell_value(c, tmp);
        if (!val) return;
        if (!*val) return; /* an empty cell: a gap like any other */
        if (c->col > XLSX_MAX_COLUMNS) {
            cell_fail(c, "more than 200 columns");
            return;
        }
        if (c->row > XLSX_MAX_ROWS) {
            cell_fail(c, "more than 1000000 rows");
            return;
        }
        while (c->ncell < c->col - 1) {
            c->off[c->ncell++] = c->rb.n;
            buf_add(&c->rb, "", 1);
        }
        c->off[c->ncell++] = c->rb.n;
        buf_add(&c->rb, val, strlen(val) + 1);
        c->nonempty = c->col;
    } else if (c->in_row && !strcmp(ln, "row")) {
        c->in_row = 0;
        if (!c->nonempty) return; /* delivered later, if a row with content follows */
        while (c->delivered + 1 < c->row)
            if (emit(c, ++c->delivered, 0)) return;
        c->delivered = c->row;
        emit(c, c->row, c->nonempty);
    }
}

/* ---- the whole ---- */

static void xr_free(xr *x)
{
    for (size_t i = 0; i < x->nsheets; i++)
        free(x->sheet_rid[i]);
    free(x->sheet_rid);
    free(x->sheet_visible);
    for (size_t i = 0; i < x->nrels; i++) {
        free(x->rels[i].id);
        free(x->rels[i].type);
        free(x->rels[i].target);
    }
    free(x->rels);
    free(x->numfmt_id);
    free(x->numfmt_kind);
    free(x->xf_numfmt);
    free(x->xf_kind);
    free(x->pool.b);
    free(x->soff);
}

int xlsx_read(const void *data, size_t len, csv_row_fn fn, void *ctx, char *err, size_t errlen)
{
    xr x = {.err = err, .errlen = errlen};
    int rc = -1;
    zip_error_t ze;
    zip_error_init(&ze);
    if (errlen) err[0] = '\0';

    if (len == 0) {
        xr_fail(&x, "the file is empty, not an .xlsx workbook");
        goto out;
    }
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        xr_fail(&x, "cannot read the file: %s", zip_error_strerror(&ze));
        goto out;
    }
    x.z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!x.z) {
        xr_fail(&x,
                "not an .xlsx workbook (%s); save .xls files and password-protected workbooks "
                "as .xlsx without a password first",
                zip_error_strerror(&ze));
        zip_source_free(src);
        goto out;
    }

    xml_ctx wb = {.x = &x, .part = "xl/workbook.xml"};
    if (parse_required(&x, &wb, wb_start, no_end, NULL)) goto out;
    xml_ctx rl = {.x = &x, .part = "xl/_rels/workbook.xml.rels"};
    if (parse_required(&x, &rl, rels_start, no_end, NULL)) goto out;

    /* The first visible worksheet in tab order, else the first worksheet. */
    const rel *sheet = NULL, *first = NULL;
    for (size_t i = 0; i < x.nsheets && !sheet; i++)
        for (size_t k = 0; k < x.nrels; k++) {
            const rel *r = &x.rels[k];
            size_t tl = strlen(r->type);
            if (strcmp(r->id, x.sheet_rid[i]) || tl < 10 ||
                strcmp(r->type + tl - 10, "/worksheet") || !r->target)
                continue;
            if (!first) first = r;
            if (x.sheet_visible[i]) sheet = r;
            break;
        }
    if (!sheet) sheet = first;
    if (!sheet) {
        xr_fail(&x, "xl/workbook.xml: the workbook has no worksheet");
        goto out;
    }

    const rel *r = rel_of_type(&x, "styles");
    styles_ctx st = {.base = {.x = &x, .part = r ? r->target : "xl/styles.xml"}};
    if (parse_part(&x, &st.base, styles_start, styles_end, NULL) < 0) goto out;
    styles_resolve(&x);

    r = rel_of_type(&x, "sharedStrings");
    sst_ctx ss = {.base = {.x = &x, .part = r ? r->target : "xl/sharedStrings.xml"}};
    int prc = parse_part(&x, &ss.base, sst_start, sst_end, sst_text);
    free(ss.cur.b);
    if (prc < 0) goto out;

    sheet_ctx *sc = xcalloc(1, sizeof *sc);
    sc->base.x = &x;
    sc->base.part = sheet->target;
    sc->fn = fn;
    sc->fctx = ctx;
    prc = parse_required(&x, &sc->base, sheet_start, sheet_end, sheet_text);
    free(sc->v.b);
    free(sc->t.b);
    free(sc->rb.b);
    free(sc);
    rc = prc;

out:
    if (x.z) zip_discard(x.z);
    xr_free(&x);
    return rc;
}
