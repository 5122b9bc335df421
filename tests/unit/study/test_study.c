/*
 * Tests of the study registry's rules: 三定一分享 compliance of a branch's month (held on the
 * fixed day, one topic, one lead, everyone present shared; the fixed day 29–31 in short months;
 * a month without sessions; no declared day) and the days since a member last led.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "study/study.h"

static store_branch_session session(const char *day, const char *topic, int64_t lead,
                                    int64_t present, int64_t shared)
{
    return (store_branch_session){.held_on = day,
                                  .topic = topic,
                                  .lead_person_id = lead,
                                  .lead_name = "",
                                  .present = present,
                                  .shared = shared};
}

static void test_compliant_month(void **state)
{
    (void)state;
    store_branch_session s[] = {session("2024-03-05", "学习二十大精神", 7, 12, 12)};
    study_compliance c = study_branch_compliance(5, 2024, 3, s, 1);
    assert_true(c.held_on_fixed_day && c.one_topic && c.one_lead && c.all_shared && c.compliant);
    assert_int_equal(c.sessions, 1);
}

static void test_each_rule_fails_alone(void **state)
{
    (void)state;
    store_branch_session off_day[] = {session("2024-03-06", "学习", 7, 5, 5)};
    study_compliance c = study_branch_compliance(5, 2024, 3, off_day, 1);
    assert_false(c.held_on_fixed_day);
    assert_false(c.compliant);
    assert_true(c.one_topic && c.one_lead && c.all_shared);

    store_branch_session two_topics[] = {session("2024-03-05", "学习甲", 7, 5, 5),
                                         session("2024-03-20", "学习乙", 7, 5, 5)};
    c = study_branch_compliance(5, 2024, 3, two_topics, 2);
    assert_false(c.one_topic);
    assert_false(c.compliant);

    store_branch_session no_lead[] = {session("2024-03-05", "学习", 0, 5, 5)};
    c = study_branch_compliance(5, 2024, 3, no_lead, 1);
    assert_false(c.one_lead);

    /* a lead named without being on the roll still counts as designated */
    store_branch_session named[] = {session("2024-03-05", "学习", 0, 5, 5)};
    named[0].lead_name = "县委党校 王老师";
    c = study_branch_compliance(5, 2024, 3, named, 1);
    assert_true(c.one_lead);

    store_branch_session silent[] = {session("2024-03-05", "学习", 7, 5, 4)};
    c = study_branch_compliance(5, 2024, 3, silent, 1);
    assert_false(c.all_shared);

    store_branch_session empty_room[] = {session("2024-03-05", "学习", 7, 0, 0)};
    c = study_branch_compliance(5, 2024, 3, empty_room, 1);
    assert_false(c.all_shared);

    store_branch_session blank_topic[] = {session("2024-03-05", "", 7, 5, 5)};
    c = study_branch_compliance(5, 2024, 3, blank_topic, 1);
    assert_false(c.one_topic);
}

static void test_no_sessions_or_no_day(void **state)
{
    (void)state;
    study_compliance c = study_branch_compliance(5, 2024, 3, NULL, 0);
    assert_false(c.held_on_fixed_day || c.one_topic || c.one_lead || c.all_shared || c.compliant);
    store_branch_session s[] = {session("2024-03-05", "学习", 7, 5, 5)};
    c = study_branch_compliance(0, 2024, 3, s, 1);
    assert_false(c.held_on_fixed_day);
    assert_false(c.compliant);
}

static void test_fixed_day_past_month_end(void **state)
{
    (void)state;
    /* A branch studying on the 31st meets on the month's last day in shorter months. */
    store_branch_session feb_leap[] = {session("2024-02-29", "学习", 7, 5, 5)};
    assert_true(study_branch_compliance(31, 2024, 2, feb_leap, 1).compliant);
    store_branch_session feb[] = {session("2023-02-28", "学习", 7, 5, 5)};
    assert_true(study_branch_compliance(30, 2023, 2, feb, 1).compliant);
    store_branch_session apr[] = {session("2024-04-30", "学习", 7, 5, 5)};
    assert_true(study_branch_compliance(31, 2024, 4, apr, 1).compliant);
    store_branch_session early[] = {session("2024-04-29", "学习", 7, 5, 5)};
    assert_false(study_branch_compliance(31, 2024, 4, early, 1).compliant);
}

static void test_days_since(void **state)
{
    (void)state;
    assert_int_equal(study_days_since("2024-03-01", "2024-03-01"), 0);
    assert_int_equal(study_days_since("2024-02-28", "2024-03-01"), 2); /* leap day between */
    assert_int_equal(study_days_since("2023-12-31", "2024-01-01"), 1);
    assert_int_equal(study_days_since("", "2024-01-01"), -1);
    assert_int_equal(study_days_since(NULL, "2024-01-01"), -1);
    assert_int_equal(study_days_since("2024-02-30", "2024-03-01"), -1);
}

static void test_ranks(void **state)
{
    (void)state;
    assert_true(study_rank_valid("普通党员"));
    assert_true(study_rank_valid("县处级"));
    assert_false(study_rank_valid("处级"));
    assert_false(study_rank_valid(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compliant_month),
        cmocka_unit_test(test_each_rule_fails_alone),
        cmocka_unit_test(test_no_sessions_or_no_day),
        cmocka_unit_test(test_fixed_day_past_month_end),
        cmocka_unit_test(test_days_since),
        cmocka_unit_test(test_ranks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
