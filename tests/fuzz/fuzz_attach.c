/*
 * fuzz_attach — libFuzzer target for the checks an uploaded evidence file meets before it is
 * stored (src/attach/attach.c): the type by content (attach_sniff) and the name the user gave
 * (attach_name_ok), on the same bytes.
 *
 * Promises checked: a sniffed type is one of the five accepted and its magic bytes are really
 * at the start; an accepted name is valid UTF-8 without separators, "..", control characters,
 * and is never empty. attach_path accepts exactly 64 lower-case hex digits.
 */
#include "attach/attach.h"
#include "base/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) abort();                                                                      \
    } while (0)

static void check_type(const uint8_t *d, size_t n)
{
    const char *t = attach_sniff(d, n);
    if (!t) return;
    if (strcmp(t, "image/jpeg") == 0) CHECK(n >= 3 && d[0] == 0xFF && d[1] == 0xD8);
    else if (strcmp(t, "image/png") == 0) CHECK(n >= 8 && d[0] == 0x89 && d[1] == 'P');
    else if (strcmp(t, "image/gif") == 0) CHECK(n >= 6 && memcmp(d, "GIF8", 4) == 0);
    else if (strcmp(t, "image/webp") == 0) CHECK(n >= 12 && memcmp(d + 8, "WEBP", 4) == 0);
    else CHECK(strcmp(t, "application/pdf") == 0 && n >= 5 && memcmp(d, "%PDF-", 5) == 0);
}

static void check_name(const char *s)
{
    if (!attach_name_ok(s)) return;
    CHECK(*s && text_valid_utf8(s) && !text_has_control(s));
    CHECK(!strchr(s, '/') && !strchr(s, '\\') && !strstr(s, ".."));
}

static void check_path(const char *s)
{
    char *p = attach_path("/files", s);
    size_t n = strlen(s);
    int hex = n == 64 && strspn(s, "0123456789abcdef") == 64;
    CHECK(!p == !hex);
    free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_type(data, size);
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    check_name(s);
    check_path(s);
    free(s);
    return 0;
}
