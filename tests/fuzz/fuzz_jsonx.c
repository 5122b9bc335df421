/*
 * fuzz_jsonx — jsonx_parse against a spec with every field type, checking what it promises:
 * a success fills only valid values (non-empty required strings within their character limit,
 * integers in range, arrays of the right item type and size) and hands back the document; a
 * refusal hands back nothing and names a field of the spec (or, for an unknown field, that
 * field). Also jsonx_text on the raw bytes: always a string, always valid UTF-8, unchanged
 * when the input was valid — and text_valid_utf8 agrees with jansson's own UTF-8 check.
 */
#include "base/jsonx.h"
#include "base/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name, *note, *empty_ok;
    int64_t age, any, neg;
    int flag;
    json_t *tags, *ids, *form;
} input;

static const jfield spec[] = {
    {"name", JF_STR, 1, offsetof(input, name), 10, 0, 0},
    {"note", JF_STR, 0, offsetof(input, note), 0, 0, 0},
    {"empty_ok", JF_STR, 0, offsetof(input, empty_ok), 3, 0, 0},
    {"age", JF_INT, 1, offsetof(input, age), 0, 1, 150},
    {"any", JF_INT, 0, offsetof(input, any), 0, 0, 0},
    {"neg", JF_INT, 0, offsetof(input, neg), 0, -5, -1},
    {"flag", JF_BOOL, 0, offsetof(input, flag), 0, 0, 0},
    {"tags", JF_STRS, 0, offsetof(input, tags), 4, 0, 0},
    {"ids", JF_IDS, 0, offsetof(input, ids), 0, 0, 0},
    {"form", JF_OBJ, 0, offsetof(input, form), 0, 0, 0},
    JF_END,
};
enum { NFIELDS = sizeof spec / sizeof spec[0] - 1 };

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) abort();                                                                      \
    } while (0)

static int in_spec(const char *name)
{
    for (int i = 0; i < NFIELDS; i++)
        if (strcmp(spec[i].name, name) == 0) return 1;
    return 0;
}

static void check_string(const char *s, int given, size_t max, int required)
{
    if (!given) return;
    CHECK(s != NULL);
    CHECK(text_valid_utf8(s));
    CHECK(text_chars(s) <= (max ? max : 200));
    if (required) CHECK(s[0] != 0);
}

static void check_parse(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    input in;
    memset(&in, 0, sizeof in);
    uint32_t present = 0xdeadbeef;
    const char *field = (const char *)1;
    json_t *root = (json_t *)1;
    err_code rc = jsonx_parse(a, (const char *)data, size, spec, &in, &present, &field, &root);
    if (rc == E_OK) {
        CHECK(root != NULL && json_is_object(root));
        CHECK(field == NULL);
        CHECK((present >> NFIELDS) == 0);
        for (int i = 0; i < NFIELDS; i++)
            if (spec[i].required) CHECK(present & (1u << i));
        check_string(in.name, 1, 10, 1);
        check_string(in.note, present & 2, 0, 0);
        check_string(in.empty_ok, present & 4, 3, 0);
        CHECK(in.age >= 1 && in.age <= 150);
        CHECK(in.any >= 0);
        if (present & (1u << 5)) CHECK(in.neg >= -5 && in.neg <= -1);
        else CHECK(in.neg == 0);
        CHECK(in.flag == 0 || in.flag == 1);
        if (present & (1u << 7)) {
            CHECK(json_is_array(in.tags) && json_array_size(in.tags) <= 4);
            for (size_t i = 0; i < json_array_size(in.tags); i++)
                CHECK(json_is_string(json_array_get(in.tags, i)));
        }
        if (present & (1u << 8)) {
            CHECK(json_is_array(in.ids) && json_array_size(in.ids) <= 100);
            for (size_t i = 0; i < json_array_size(in.ids); i++) {
                json_t *v = json_array_get(in.ids, i);
                CHECK(json_is_integer(v) && json_integer_value(v) > 0);
            }
        }
        if (present & (1u << 9)) CHECK(json_is_object(in.form));
        /* The document round-trips through the serialiser. */
        char *dump = jsonx_dump(root);
        CHECK(dump != NULL);
        free(dump);
        json_decref(root);
    } else {
        CHECK(root == NULL);
        CHECK(rc != E_INTERNAL);
        if (rc == E_BAD_JSON) CHECK(field == NULL);
        else if (rc == E_FIELD_UNKNOWN) CHECK(field != NULL && !in_spec(field));
        else CHECK(field != NULL && in_spec(field));
    }
    arena_free(a);
}

static void check_text(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = 0;
    int valid = text_valid_utf8(s);
    json_t *j = jsonx_text(s);
    CHECK(j != NULL);
    const char *out = json_string_value(j);
    CHECK(text_valid_utf8(out));
    if (valid) CHECK(strcmp(out, s) == 0);
    else CHECK(strcmp(out, s) != 0);
    json_decref(j);
    /* Our validator and jansson's agree on every NUL-terminated string. */
    json_t *direct = json_string(s);
    CHECK((direct != NULL) == (valid != 0));
    json_decref(direct);
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_parse(data, size);
    check_text(data, size);
    return 0;
}
