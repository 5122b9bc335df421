/*
 * text — small facts about UTF-8 text: lengths as the user counts them (characters, not bytes),
 * and validity checks for identifiers such as logins and unit codes.
 */
#ifndef DUBAN_TEXT_H
#define DUBAN_TEXT_H

#include "base/err.h"

#include <stddef.h>

/* Number of characters (code points) in a valid UTF-8 string. */
size_t text_chars(const char *s);
/* 1 when s is 1..max bytes of [A-Za-z0-9._-] starting with a letter or digit. */
int text_is_ident(const char *s, size_t max);
/* 1 when s is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
int text_valid_utf8(const char *s);
/* The same for the n bytes at s (which may hold NULs). */
int text_valid_utf8n(const char *s, size_t n);
/* 1 when s has a control character: below U+0020, DEL, C1 (U+0080–U+009F), or a bidi override
 * or isolate (U+202A–U+202E, U+2066–U+2069). */
int text_has_control(const char *s);
/*
 * A free-text field as users type it: E_FIELD_REQUIRED when empty and required,
 * E_FIELD_TOO_LONG beyond max_chars characters, E_FIELD_INVALID for control characters other
 * than line breaks and tabs; E_OK otherwise (also for an empty optional field).
 */
err_code text_check_field(const char *v, size_t max_chars, int required);
/* Constant-time comparison of two strings; 1 when equal. */
int text_equal_ct(const char *a, const char *b);

#endif
