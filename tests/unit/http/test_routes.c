/*
 * The route tables as the API's table of contents: every route of every registered mechanism
 * names a known permission or is marked public / optional sign-in / signed in; a list mark
 * goes with a permission on a GET; no method and path is served twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/mech.h"
#include "http/http.h"

#include <stdio.h>
#include <string.h>

static void test_every_route_is_guarded(void **state)
{
    (void)state;
    size_t n = 0;
    for (const mech *const *m = duban_mechs; *m; m++) {
        for (const http_route *rt = (*m)->routes; rt && rt->method; rt++, n++) {
            if (!http_route_guarded(rt))
                fail_msg("%s %s (%s) names no known permission and is not marked public, "
                         "optional sign-in or signed in",
                         rt->method, rt->pattern, (*m)->name);
            if (rt->flags & ROUTE_LIST) {
                assert_non_null(rt->perm);
                assert_string_equal(rt->method, "GET");
            }
            assert_true(strncmp(rt->pattern, "/api/v1/", 8) == 0 ||
                        strcmp(rt->pattern, "/healthz") == 0);
        }
    }
    assert_true(n >= 90);
}

static void test_no_route_twice(void **state)
{
    (void)state;
    for (const mech *const *m = duban_mechs; *m; m++)
        for (const http_route *rt = (*m)->routes; rt && rt->method; rt++)
            for (const mech *const *o = duban_mechs; *o; o++)
                for (const http_route *q = (*o)->routes; q && q->method && q != rt; q++)
                    if (strcmp(q->method, rt->method) == 0 && strcmp(q->pattern, rt->pattern) == 0)
                        fail_msg("%s %s is in %s and %s", rt->method, rt->pattern, (*o)->name,
                                 (*m)->name);
}

static void test_guard_rule(void **state)
{
    (void)state;
    http_route bare = {"GET", "/api/v1/x", NULL, 0, NULL};
    http_route typo = {"GET", "/api/v1/x", "problem.reed", 0, NULL};
    http_route ok = {"GET", "/api/v1/x", "problem.read", 0, NULL};
    http_route pub = {"GET", "/api/v1/x", NULL, ROUTE_PUBLIC, NULL};
    assert_false(http_route_guarded(&bare));
    assert_false(http_route_guarded(&typo));
    assert_true(http_route_guarded(&ok));
    assert_true(http_route_guarded(&pub));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_route_is_guarded),
        cmocka_unit_test(test_no_route_twice),
        cmocka_unit_test(test_guard_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
