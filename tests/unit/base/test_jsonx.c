/* Tests of jsonx_parse: request bodies against declarative field specs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/jsonx.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *name, *note;
    int64_t age, count;
    int active;
    json_t *tags, *ids, *form;
} input;

enum { F_NAME, F_NOTE, F_AGE, F_COUNT, F_ACTIVE, F_TAGS, F_IDS, F_FORM };

static const jfield spec[] = {
    {"name", JF_STR, 1, offsetof(input, name), 60, 0, 0},
    {"note", JF_STR, 0, offsetof(input, note), 0, 0, 0},
    {"age", JF_INT, 0, offsetof(input, age), 0, 1, 150},
    {"count", JF_INT, 0, offsetof(input, count), 0, 0, 0},
    {"active", JF_BOOL, 0, offsetof(input, active), 0, 0, 0},
    {"tags", JF_STRS, 0, offsetof(input, tags), 3, 0, 0},
    {"ids", JF_IDS, 0, offsetof(input, ids), 0, 0, 0},
    {"form", JF_OBJ, 0, offsetof(input, form), 0, 0, 0},
    JF_END,
};

typedef struct {
    arena *a;
    input in;
    uint32_t present;
    const char *field;
    json_t *root;
    err_code rc;
} parsed;

static parsed parse(const char *body)
{
    parsed p = {.a = arena_new()};
    memset(&p.in, 0, sizeof p.in);
    p.rc = jsonx_parse(p.a, body, strlen(body), spec, &p.in, &p.present, &p.field, &p.root);
    if (p.rc == E_OK)
        assert_non_null(p.root);
    else
        assert_null(p.root);
    return p;
}

static void done(parsed *p)
{
    json_decref(p->root);
    arena_free(p->a);
}

/* Asserts body is refused with rc, naming field (NULL: the body as a whole). */
static void refused(const char *body, err_code rc, const char *field)
{
    parsed p = parse(body);
    if (p.rc != rc) fail_msg("%s: got %s, want %s", body, err_name(p.rc), err_name(rc));
    if (field) {
        if (!p.field || strcmp(p.field, field) != 0)
            fail_msg("%s: names field %s, want %s", body, p.field ? p.field : "(none)", field);
    } else if (p.field) {
        fail_msg("%s: names field %s, want none", body, p.field);
    }
    done(&p);
}

static void test_ok_all_types(void **state)
{
    (void)state;
    parsed p = parse("{\"name\":\"张三\",\"note\":\"备注\",\"age\":30,\"count\":0,\"active\":true,"
                     "\"tags\":[\"a\",\"b\"],\"ids\":[1,2,3],\"form\":{\"x\":[1]}}");
    assert_int_equal(p.rc, E_OK);
    assert_null(p.field);
    assert_string_equal(p.in.name, "张三");
    assert_string_equal(p.in.note, "备注");
    assert_int_equal(p.in.age, 30);
    assert_int_equal(p.in.count, 0);
    assert_int_equal(p.in.active, 1);
    assert_int_equal(json_array_size(p.in.tags), 2);
    assert_string_equal(json_string_value(json_array_get(p.in.tags, 1)), "b");
    assert_int_equal(json_array_size(p.in.ids), 3);
    assert_true(json_is_object(p.in.form));
    assert_int_equal(p.present, (1u << F_NAME) | (1u << F_NOTE) | (1u << F_AGE) | (1u << F_COUNT) |
                                    (1u << F_ACTIVE) | (1u << F_TAGS) | (1u << F_IDS) |
                                    (1u << F_FORM));
    done(&p);

    /* Only the required field: the others stay as they were and are not present. */
    p = parse("{\"name\":\"x\"}");
    assert_int_equal(p.rc, E_OK);
    assert_int_equal(p.present, 1u << F_NAME);
    assert_null(p.in.note);
    assert_int_equal(p.in.age, 0);
    done(&p);

    p = parse("  {\"active\":false, \"name\":\"x\"}  \n");
    assert_int_equal(p.rc, E_OK);
    assert_int_equal(p.in.active, 0);
    assert_true(p.present & (1u << F_ACTIVE));
    done(&p);
}

static void test_bad_json(void **state)
{
    (void)state;
    refused("", E_BAD_JSON, NULL);
    refused("{", E_BAD_JSON, NULL);
    refused("{\"name\":}", E_BAD_JSON, NULL);
    refused("{\"name\":\"x\",}", E_BAD_JSON, NULL);
    refused("{'name':'x'}", E_BAD_JSON, NULL);
    refused("{\"name\":\"x\"} {}", E_BAD_JSON, NULL);
    refused("{\"name\":\"\xff\"}", E_BAD_JSON, NULL); /* invalid UTF-8 */
    /* Not an object. */
    refused("[]", E_BAD_JSON, NULL);
    refused("[{\"name\":\"x\"}]", E_BAD_JSON, NULL);
    refused("\"name\"", E_BAD_JSON, NULL);
    refused("42", E_BAD_JSON, NULL);
    refused("null", E_BAD_JSON, NULL);
    /* Length is what counts, not a NUL terminator. */
    arena *a = arena_new();
    input in;
    uint32_t present;
    const char *field;
    json_t *root;
    const char body[] = "{\"name\":\"x\"}GARBAGE";
    assert_int_equal(jsonx_parse(a, body, 12, spec, &in, &present, &field, &root), E_OK);
    json_decref(root);
    assert_int_equal(jsonx_parse(a, body, 11, spec, &in, &present, &field, &root), E_BAD_JSON);
    assert_int_equal(jsonx_parse(a, body, 0, spec, &in, &present, &field, &root), E_BAD_JSON);
    arena_free(a);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    refused("{\"name\":\"x\",\"name\":\"y\"}", E_BAD_JSON, NULL);
    refused("{\"name\":\"x\",\"age\":1,\"age\":2}", E_BAD_JSON, NULL);
}

static void test_unknown_field(void **state)
{
    (void)state;
    refused("{\"name\":\"x\",\"nmae\":\"y\"}", E_FIELD_UNKNOWN, "nmae");
    refused("{\"Name\":\"x\"}", E_FIELD_UNKNOWN, "Name");
    refused("{\"name\":\"x\",\"extra\":null}", E_FIELD_UNKNOWN, "extra");
    refused("{\"名字\":\"x\"}", E_FIELD_UNKNOWN, "名字");
}

static void test_wrong_types(void **state)
{
    (void)state;
    refused("{\"name\":5}", E_FIELD_TYPE, "name");
    refused("{\"name\":[\"x\"]}", E_FIELD_TYPE, "name");
    refused("{\"name\":\"x\",\"age\":\"30\"}", E_FIELD_TYPE, "age");
    refused("{\"name\":\"x\",\"age\":30.0}", E_FIELD_TYPE, "age");
    refused("{\"name\":\"x\",\"age\":true}", E_FIELD_TYPE, "age");
    refused("{\"name\":\"x\",\"active\":1}", E_FIELD_TYPE, "active");
    refused("{\"name\":\"x\",\"active\":\"true\"}", E_FIELD_TYPE, "active");
    refused("{\"name\":\"x\",\"tags\":\"a\"}", E_FIELD_TYPE, "tags");
    refused("{\"name\":\"x\",\"tags\":[\"a\",1]}", E_FIELD_TYPE, "tags");
    refused("{\"name\":\"x\",\"tags\":[null]}", E_FIELD_TYPE, "tags");
    refused("{\"name\":\"x\",\"ids\":[1,\"2\"]}", E_FIELD_TYPE, "ids");
    refused("{\"name\":\"x\",\"ids\":[1.5]}", E_FIELD_TYPE, "ids");
    refused("{\"name\":\"x\",\"ids\":{}}", E_FIELD_TYPE, "ids");
    refused("{\"name\":\"x\",\"form\":[]}", E_FIELD_TYPE, "form");
    refused("{\"name\":\"x\",\"form\":\"{}\"}", E_FIELD_TYPE, "form");
}

static void test_missing_required(void **state)
{
    (void)state;
    refused("{}", E_FIELD_REQUIRED, "name");
    refused("{\"note\":\"x\",\"age\":3}", E_FIELD_REQUIRED, "name");
    refused("{\"name\":\"\"}", E_FIELD_REQUIRED, "name");
    /* null for a required field is not "not given" but a wrong type or a missing value. */
    parsed p = parse("{\"name\":null}");
    assert_int_not_equal(p.rc, E_OK);
    assert_string_equal(p.field, "name");
    done(&p);
}

static void test_null_for_optional(void **state)
{
    (void)state;
    parsed p = parse("{\"name\":\"x\",\"note\":null,\"age\":null,\"active\":null,\"tags\":null,"
                     "\"ids\":null,\"form\":null}");
    assert_int_equal(p.rc, E_OK);
    assert_int_equal(p.present, 1u << F_NAME);
    assert_null(p.in.note);
    assert_null(p.in.tags);
    done(&p);
    /* An empty string for an optional string is given (and empty). */
    p = parse("{\"name\":\"x\",\"note\":\"\"}");
    assert_int_equal(p.rc, E_OK);
    assert_true(p.present & (1u << F_NOTE));
    assert_string_equal(p.in.note, "");
    done(&p);
}

static char *repeat(const char *unit, int n, const char *before, const char *after)
{
    size_t len = strlen(unit) * (size_t)n + strlen(before) + strlen(after) + 1;
    char *s = xmalloc(len);
    strcpy(s, before);
    for (int i = 0; i < n; i++)
        strcat(s, unit);
    strcat(s, after);
    return s;
}

static void test_too_long_counts_characters(void **state)
{
    (void)state;
    /* 60 Chinese characters (180 bytes) fit a 60-character limit... */
    char *body = repeat("中", 60, "{\"name\":\"", "\"}");
    parsed p = parse(body);
    assert_int_equal(p.rc, E_OK);
    assert_int_equal(text_chars(p.in.name), 60);
    assert_int_equal(strlen(p.in.name), 180);
    done(&p);
    free(body);
    /* ...61 do not. */
    body = repeat("中", 61, "{\"name\":\"", "\"}");
    refused(body, E_FIELD_TOO_LONG, "name");
    free(body);
    /* ASCII likewise. */
    body = repeat("a", 60, "{\"name\":\"", "\"}");
    p = parse(body);
    assert_int_equal(p.rc, E_OK);
    done(&p);
    free(body);
    body = repeat("a", 61, "{\"name\":\"", "\"}");
    refused(body, E_FIELD_TOO_LONG, "name");
    free(body);
    /* Escapes count as the characters they stand for. */
    body = repeat("\\u4e2d", 60, "{\"name\":\"", "\"}");
    p = parse(body);
    assert_int_equal(p.rc, E_OK);
    done(&p);
    free(body);
    /* Four-byte characters (outside the BMP) count once each. */
    body = repeat("\xF0\x9F\x98\x80", 60, "{\"name\":\"", "\"}");
    p = parse(body);
    assert_int_equal(p.rc, E_OK);
    done(&p);
    free(body);
    /* Default limit 200 for a field without one. */
    body = repeat("文", 200, "{\"name\":\"x\",\"note\":\"", "\"}");
    p = parse(body);
    assert_int_equal(p.rc, E_OK);
    done(&p);
    free(body);
    body = repeat("文", 201, "{\"name\":\"x\",\"note\":\"", "\"}");
    refused(body, E_FIELD_TOO_LONG, "note");
    free(body);
    /* Arrays: max items. */
    refused("{\"name\":\"x\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", E_FIELD_TOO_LONG, "tags");
    p = parse("{\"name\":\"x\",\"tags\":[\"a\",\"b\",\"c\"]}");
    assert_int_equal(p.rc, E_OK);
    done(&p);
}

static void test_embedded_nul_refused(void **state)
{
    (void)state;
    parsed p = parse("{\"name\":\"a\\u0000b\"}");
    assert_int_not_equal(p.rc, E_OK);
    done(&p);
}

static void test_int_range(void **state)
{
    (void)state;
    parsed p = parse("{\"name\":\"x\",\"age\":1}");
    assert_int_equal(p.rc, E_OK);
    assert_int_equal(p.in.age, 1);
    done(&p);
    p = parse("{\"name\":\"x\",\"age\":150}");
    assert_int_equal(p.rc, E_OK);
    assert_int_equal(p.in.age, 150);
    done(&p);
    refused("{\"name\":\"x\",\"age\":0}", E_FIELD_INVALID, "age");
    refused("{\"name\":\"x\",\"age\":151}", E_FIELD_INVALID, "age");
    refused("{\"name\":\"x\",\"age\":-1}", E_FIELD_INVALID, "age");
    /* min = max = 0: any non-negative integer. */
    p = parse("{\"name\":\"x\",\"count\":9223372036854775807}");
    assert_int_equal(p.rc, E_OK);
    assert_int_equal(p.in.count, INT64_MAX);
    done(&p);
    refused("{\"name\":\"x\",\"count\":-1}", E_FIELD_INVALID, "count");
    /* Past int64: not a valid integer at all. */
    p = parse("{\"name\":\"x\",\"count\":99999999999999999999}");
    assert_int_not_equal(p.rc, E_OK);
    done(&p);
    /* Ids are positive. */
    refused("{\"name\":\"x\",\"ids\":[1,0]}", E_FIELD_INVALID, "ids");
    refused("{\"name\":\"x\",\"ids\":[-3]}", E_FIELD_INVALID, "ids");
}

static void test_arrays_of_strings(void **state)
{
    (void)state;
    parsed p = parse("{\"name\":\"x\",\"tags\":[]}");
    assert_int_equal(p.rc, E_OK);
    assert_true(p.present & (1u << F_TAGS));
    assert_int_equal(json_array_size(p.in.tags), 0);
    done(&p);
    p = parse("{\"name\":\"x\",\"tags\":[\"中文\",\"\",\"b\"]}");
    assert_int_equal(p.rc, E_OK);
    assert_string_equal(json_string_value(json_array_get(p.in.tags, 0)), "中文");
    /* The array is borrowed from the root the caller keeps. */
    assert_ptr_equal(p.in.tags, json_object_get(p.root, "tags"));
    done(&p);
    refused("{\"name\":\"x\",\"tags\":[[\"a\"]]}", E_FIELD_TYPE, "tags");
    refused("{\"name\":\"x\",\"tags\":[{}]}", E_FIELD_TYPE, "tags");
}

static void test_first_error_wins_and_no_leak(void **state)
{
    (void)state;
    /* Refusals free the document (ASan's leak check runs on this binary). */
    for (int i = 0; i < 50; i++) {
        refused("{\"name\":\"x\",\"age\":\"old\",\"tags\":[\"a\"]}", E_FIELD_TYPE, "age");
        refused("{\"tags\":[\"a\"],\"bogus\":1}", E_FIELD_UNKNOWN, "bogus");
    }
}

static void test_text(void **state)
{
    (void)state;
    json_t *j = jsonx_text("普通文本");
    assert_string_equal(json_string_value(j), "普通文本");
    json_decref(j);
    j = jsonx_text(NULL);
    assert_string_equal(json_string_value(j), "");
    json_decref(j);
    /* Invalid bytes become U+FFFD; the valid ones around them stay. */
    j = jsonx_text("a\xff"
                   "b\xe4\xb8"
                   "c中");
    assert_non_null(j);
    assert_string_equal(json_string_value(j), "a\xEF\xBF\xBD"
                                              "b\xEF\xBF\xBD\xEF\xBF\xBD"
                                              "c中");
    json_decref(j);
    j = jsonx_text("\xed\xa0\x80"); /* a surrogate */
    assert_non_null(j);
    assert_true(text_valid_utf8(json_string_value(j)));
    json_decref(j);
    json_t *o = json_pack("{ss si}", "k", "中", "n", 1);
    char *s = jsonx_dump(o);
    assert_string_equal(s, "{\"k\":\"中\",\"n\":1}");
    free(s);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok_all_types),
        cmocka_unit_test(test_bad_json),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_unknown_field),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_null_for_optional),
        cmocka_unit_test(test_too_long_counts_characters),
        cmocka_unit_test(test_embedded_nul_refused),
        cmocka_unit_test(test_int_range),
        cmocka_unit_test(test_arrays_of_strings),
        cmocka_unit_test(test_first_error_wins_and_no_leak),
        cmocka_unit_test(test_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
