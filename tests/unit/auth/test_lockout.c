/* Tests of the lockout rule as pure functions of the clock (no waiting). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "auth/lockout.h"

enum { T0 = 1700000000, THRESHOLD = 5, SECONDS = 900 };

static void test_fresh_not_locked(void **state)
{
    (void)state;
    lockout_state s = {0};
    assert_int_equal(lockout_remaining(&s, T0), 0);
}

static void test_fifth_failure_locks(void **state)
{
    (void)state;
    lockout_state s = {0};
    for (int i = 1; i <= 4; i++) {
        assert_int_equal(lockout_fail(&s, T0 + i, THRESHOLD, SECONDS), 0);
        assert_int_equal(s.failed, i);
        assert_int_equal(s.locked_until, 0);
        assert_int_equal(lockout_remaining(&s, T0 + i), 0);
    }
    assert_int_equal(lockout_fail(&s, T0 + 5, THRESHOLD, SECONDS), 1);
    assert_int_equal(s.locked_until, T0 + 5 + SECONDS);
    assert_int_equal(lockout_remaining(&s, T0 + 5), SECONDS);
}

static void test_remaining_counts_down(void **state)
{
    (void)state;
    lockout_state s = {0};
    for (int i = 0; i < THRESHOLD; i++)
        lockout_fail(&s, T0, THRESHOLD, SECONDS);
    assert_int_equal(lockout_remaining(&s, T0), SECONDS);
    assert_int_equal(lockout_remaining(&s, T0 + 1), SECONDS - 1);
    assert_int_equal(lockout_remaining(&s, T0 + 600), SECONDS - 600);
    assert_int_equal(lockout_remaining(&s, T0 + SECONDS - 1), 1);
    assert_int_equal(lockout_remaining(&s, T0 + SECONDS), 0);
    assert_int_equal(lockout_remaining(&s, T0 + SECONDS + 3600), 0);
}

static void test_expired_lock_starts_new_count(void **state)
{
    (void)state;
    lockout_state s = {0};
    for (int i = 0; i < THRESHOLD; i++)
        lockout_fail(&s, T0, THRESHOLD, SECONDS);
    assert_true(lockout_remaining(&s, T0) > 0);
    int64_t later = T0 + SECONDS + 10;
    /* The first failure after the lock ran out counts as the first of a new series. */
    assert_int_equal(lockout_fail(&s, later, THRESHOLD, SECONDS), 0);
    assert_int_equal(s.failed, 1);
    assert_int_equal(s.locked_until, 0);
    assert_int_equal(lockout_remaining(&s, later), 0);
    for (int i = 2; i <= 4; i++)
        assert_int_equal(lockout_fail(&s, later + i, THRESHOLD, SECONDS), 0);
    assert_int_equal(lockout_fail(&s, later + 5, THRESHOLD, SECONDS), 1);
    assert_int_equal(lockout_remaining(&s, later + 5), SECONDS);
}

static void test_lock_exactly_at_expiry(void **state)
{
    (void)state;
    lockout_state s = {0};
    for (int i = 0; i < THRESHOLD; i++)
        lockout_fail(&s, T0, THRESHOLD, SECONDS);
    /* At locked_until the lock is over: a failure then starts a new count. */
    assert_int_equal(lockout_remaining(&s, T0 + SECONDS), 0);
    assert_int_equal(lockout_fail(&s, T0 + SECONDS, THRESHOLD, SECONDS), 0);
    assert_int_equal(s.failed, 1);
}

static void test_success_resets(void **state)
{
    (void)state;
    lockout_state s = {0};
    for (int i = 0; i < 4; i++)
        lockout_fail(&s, T0, THRESHOLD, SECONDS);
    lockout_success(&s);
    assert_int_equal(s.failed, 0);
    assert_int_equal(s.locked_until, 0);
    /* Four more failures after a success still do not lock: the count started again. */
    for (int i = 0; i < 4; i++)
        assert_int_equal(lockout_fail(&s, T0 + 1, THRESHOLD, SECONDS), 0);
    assert_int_equal(lockout_fail(&s, T0 + 2, THRESHOLD, SECONDS), 1);
    /* A success (an administrator's unlock likewise) lifts a lock. */
    lockout_success(&s);
    assert_int_equal(lockout_remaining(&s, T0 + 3), 0);
    assert_int_equal(s.locked_until, 0);
}

static void test_other_thresholds(void **state)
{
    (void)state;
    lockout_state s = {0};
    assert_int_equal(lockout_fail(&s, T0, 1, 60), 1);
    assert_int_equal(lockout_remaining(&s, T0 + 59), 1);
    lockout_state t = {0};
    for (int i = 0; i < 9; i++)
        assert_int_equal(lockout_fail(&t, T0, 10, 60), 0);
    assert_int_equal(lockout_fail(&t, T0, 10, 60), 1);
    assert_int_equal(lockout_remaining(&t, T0), 60);
}

/* The throttle's waits: none up to the limit, then 1 s, 2 s, 4 s … never above the cap, and no
 * overflow however far past the limit. */
static void test_delay_doubles_to_cap(void **state)
{
    (void)state;
    assert_int_equal(lockout_delay(-5, 900), 0);
    assert_int_equal(lockout_delay(0, 900), 0);
    assert_int_equal(lockout_delay(1, 900), 1);
    assert_int_equal(lockout_delay(2, 900), 2);
    assert_int_equal(lockout_delay(3, 900), 4);
    assert_int_equal(lockout_delay(10, 900), 512);
    assert_int_equal(lockout_delay(11, 900), 900);
    assert_int_equal(lockout_delay(64, 900), 900);
    assert_int_equal(lockout_delay(1000000, 900), 900);
    assert_int_equal(lockout_delay(3, 3), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fresh_not_locked),
        cmocka_unit_test(test_fifth_failure_locks),
        cmocka_unit_test(test_remaining_counts_down),
        cmocka_unit_test(test_expired_lock_starts_new_count),
        cmocka_unit_test(test_lock_exactly_at_expiry),
        cmocka_unit_test(test_success_resets),
        cmocka_unit_test(test_other_thresholds),
        cmocka_unit_test(test_delay_doubles_to_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
