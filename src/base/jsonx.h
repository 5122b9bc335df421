/*
 * jsonx — request bodies parsed by declarative field specs.
 *
 * A handler describes the fields it accepts in a static table (name, type, required, limits,
 * where to store the value in its input struct) and calls jsonx_parse(). The body must be one
 * JSON object; unknown fields, wrong types, missing required fields, over-long strings and
 * out-of-range numbers are refused with the field named. Parsed strings live in the arena.
 */
#ifndef DUBAN_JSONX_H
#define DUBAN_JSONX_H

#include "base/err.h"
#include "base/mem.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    JF_STR,  /* const char *: a required one must not be empty */
    JF_INT,  /* int64_t */
    JF_BOOL, /* int (0 or 1) */
    JF_STRS, /* json_t * array of strings, borrowed from a value kept alive by the caller */
    JF_IDS,  /* json_t * array of positive integers (ids), borrowed likewise */
    JF_OBJ,  /* json_t * object (a form checked elsewhere), borrowed likewise */
    JF_ARR,  /* json_t * array of anything (items parsed by jsonx_parse_object), borrowed */
} jfield_type;

typedef struct {
    const char *name;
    jfield_type type;
    int required;
    size_t offset;        /* offsetof(input struct, member) */
    size_t max_chars;     /* JF_STR: upper bound in characters (0: 200); JF_STRS, JF_IDS: max items */
    int64_t min, max;     /* JF_INT: inclusive range (both 0: any non-negative) */
} jfield;

#define JF_END {0}

/*
 * Parses body (len bytes) against spec into out. On success returns E_OK and sets bit i of
 * *present for each spec[i] given. On failure returns the error and sets *field to the
 * offending field's name (or NULL when the body as a whole is bad). *root receives the parsed
 * document, which the caller must json_decref (NULL on failure).
 */
err_code jsonx_parse(arena *a, const char *body, size_t len, const jfield *spec, void *out,
                     uint32_t *present, const char **field, json_t **root);

/* The same checks for an object already parsed (e.g. one item of a JF_ARR field). */
err_code jsonx_parse_object(arena *a, json_t *obj, const jfield *spec, void *out,
                            uint32_t *present, const char **field);

/*
 * A JSON string for s that is never NULL: invalid UTF-8 bytes become U+FFFD (jansson refuses
 * such text, and a NULL in json_pack would drop the whole value).
 */
json_t *jsonx_text(const char *s);

/* Serialises v compactly into a new heap string (caller frees). */
char *jsonx_dump(const json_t *v);

#endif
