/* text — UTF-8 lengths and identifier checks (see text.h). */
#include "base/text.h"

#include <string.h>

size_t text_chars(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80) n++;
    return n;
}

static int ident_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

int text_is_ident(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max || !ident_char((unsigned char)s[0]) || s[0] == '.' || s[0] == '_' ||
        s[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!ident_char((unsigned char)s[i])) return 0;
    return 1;
}

int text_valid_utf8n(const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return 0;
        }
        if (n - i <= need) return 0;
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80) return 0;
        i += need + 1;
    }
    return 1;
}

int text_valid_utf8(const char *s)
{
    return text_valid_utf8n(s, strlen(s));
}

/*
 * The length of a control character starting at p that no text of duban may hold besides the
 * C0 ones: C1 controls (U+0080–U+009F) and the bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which make text read differently from what it is
 * ("evil\u202Egnp.html"). 0 when p starts none.
 */
static size_t hidden_control(const unsigned char *p)
{
    if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 && p[2] >= 0xAA && p[2] <= 0xAE) return 3;
    if (p[0] == 0xE2 && p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9) return 3;
    return 0;
}

int text_has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7F || hidden_control(p)) return 1;
    return 0;
}

int text_equal_ct(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = (unsigned char)(la != lb);
    for (size_t i = 0; i < la && i < lb; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0;
}

err_code text_check_field(const char *v, size_t max_chars, int required)
{
    if (!v || !*v) return required ? E_FIELD_REQUIRED : E_OK;
    if (text_chars(v) > max_chars) return E_FIELD_TOO_LONG;
    for (const unsigned char *c = (const unsigned char *)v; *c; c++)
        if ((*c < 0x20 && *c != '\n' && *c != '\r' && *c != '\t') || *c == 0x7F ||
            hidden_control(c))
            return E_FIELD_INVALID;
    return E_OK;
}
