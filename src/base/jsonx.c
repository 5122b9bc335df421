/* jsonx — the declarative request-body parser (see jsonx.h). */
#include "base/jsonx.h"

#include "base/text.h"

#include <stdlib.h>
#include <string.h>

static const jfield *find(const jfield *spec, const char *name, int *idx)
{
    for (int i = 0; spec[i].name; i++)
        if (strcmp(spec[i].name, name) == 0) {
            *idx = i;
            return &spec[i];
        }
    return NULL;
}

static err_code take_string(arena *a, const jfield *f, json_t *v, void *slot)
{
    if (!json_is_string(v)) return E_FIELD_TYPE;
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) return E_FIELD_INVALID; /* embedded NUL */
    size_t max = f->max_chars ? f->max_chars : 200;
    if (text_chars(s) > max) return E_FIELD_TOO_LONG;
    if (f->required && s[0] == 0) return E_FIELD_REQUIRED;
    *(const char **)slot = arena_strdup(a, s);
    return E_OK;
}

static err_code take_value(arena *a, const jfield *f, json_t *v, void *out)
{
    void *slot = (char *)out + f->offset;
    switch (f->type) {
    case JF_STR:
        return take_string(a, f, v, slot);
    case JF_INT: {
        if (!json_is_integer(v)) return E_FIELD_TYPE;
        json_int_t n = json_integer_value(v);
        int64_t lo = f->min, hi = f->max;
        if (lo == 0 && hi == 0) hi = INT64_MAX;
        if (n < lo || n > hi) return E_FIELD_INVALID;
        *(int64_t *)slot = n;
        return E_OK;
    }
    case JF_BOOL:
        if (!json_is_boolean(v)) return E_FIELD_TYPE;
        *(int *)slot = json_is_true(v);
        return E_OK;
    case JF_STRS: {
        if (!json_is_array(v)) return E_FIELD_TYPE;
        size_t max = f->max_chars ? f->max_chars : 100;
        if (json_array_size(v) > max) return E_FIELD_TOO_LONG;
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) if (!json_is_string(item)) return E_FIELD_TYPE;
        *(json_t **)slot = v;
        return E_OK;
    }
    case JF_IDS: {
        if (!json_is_array(v)) return E_FIELD_TYPE;
        size_t max = f->max_chars ? f->max_chars : 100;
        if (json_array_size(v) > max) return E_FIELD_TOO_LONG;
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item)
        {
            if (!json_is_integer(item)) return E_FIELD_TYPE;
            if (json_integer_value(item) <= 0) return E_FIELD_INVALID;
        }
        *(json_t **)slot = v;
        return E_OK;
    }
    case JF_ARR: {
        if (!json_is_array(v)) return E_FIELD_TYPE;
        size_t max = f->max_chars ? f->max_chars : 100;
        if (json_array_size(v) > max) return E_FIELD_TOO_LONG;
        *(json_t **)slot = v;
        return E_OK;
    }
    case JF_OBJ:
        if (!json_is_object(v)) return E_FIELD_TYPE;
        *(json_t **)slot = v;
        return E_OK;
    }
    return E_FIELD_TYPE;
}

err_code jsonx_parse_object(arena *a, json_t *obj, const jfield *spec, void *out,
                            uint32_t *present, const char **field)
{
    *present = 0;
    *field = NULL;
    if (!json_is_object(obj)) return E_FIELD_TYPE;
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int idx = 0;
        const jfield *f = find(spec, key, &idx);
        if (!f) {
            *field = arena_strdup(a, key);
            return E_FIELD_UNKNOWN;
        }
        if (json_is_null(v) && !f->required) continue; /* null means "not given" */
        err_code rc = take_value(a, f, v, out);
        if (rc != E_OK) {
            *field = f->name;
            return rc;
        }
        *present |= 1u << idx;
    }
    for (int i = 0; spec[i].name; i++)
        if (spec[i].required && !(*present & (1u << i))) {
            *field = spec[i].name;
            return E_FIELD_REQUIRED;
        }
    return E_OK;
}

err_code jsonx_parse(arena *a, const char *body, size_t len, const jfield *spec, void *out,
                     uint32_t *present, const char **field, json_t **root)
{
    *present = 0;
    *field = NULL;
    *root = NULL;
    if (len == 0) return E_BAD_JSON;
    json_error_t jerr;
    json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) return E_BAD_JSON;
    if (!json_is_object(doc)) {
        json_decref(doc);
        return E_BAD_JSON;
    }
    err_code rc = jsonx_parse_object(a, doc, spec, out, present, field);
    if (rc != E_OK) {
        json_decref(doc);
        return rc;
    }
    *root = doc;
    return E_OK;
}

char *jsonx_dump(const json_t *v)
{
    return json_dumps(v, JSON_COMPACT);
}

json_t *jsonx_text(const char *s)
{
    if (!s) return json_string("");
    if (text_valid_utf8(s)) return json_string(s);
    size_t n = strlen(s);
    char *clean = xmalloc(3 * n + 1), *o = clean;
    for (const char *p = s; *p;) {
        char one[5] = {0};
        /* Take the longest valid sequence starting here (1..4 bytes), else replace a byte. */
        int taken = 0;
        for (int len = 1; len <= 4 && p[len - 1]; len++) {
            memcpy(one, p, (size_t)len);
            one[len] = 0;
            if (text_valid_utf8(one)) taken = len;
            if (taken) break;
        }
        if (taken) {
            memcpy(o, p, (size_t)taken);
            o += taken;
            p += taken;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    *o = 0;
    json_t *j = json_string(clean);
    free(clean);
    return j;
}
