/* Tests of the flow engine on small synthetic flows: definition checks and action guards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "flow/flow.h"

/* A little review flow: draft → submitted → approved (by someone outside, not the submitter). */
static const char REVIEW[] =
    "{\"name\":\"review\",\"title\":\"审核\",\"initial\":\"draft\","
    " \"states\":{\"draft\":{\"title\":\"草稿\"},\"submitted\":{\"title\":\"已提交\"},"
    "            \"approved\":{\"title\":\"已通过\",\"terminal\":true}},"
    " \"actions\":["
    "  {\"name\":\"submit\",\"title\":\"提交\",\"from\":[\"draft\"],\"to\":\"submitted\","
    "   \"permission\":\"doc.write\",\"evidence\":1,"
    "   \"fields\":[{\"name\":\"summary\",\"title\":\"摘要\",\"type\":\"text\",\"required\":true,"
    "              \"max_chars\":10},"
    "             {\"name\":\"due\",\"title\":\"完成时限\",\"type\":\"date\"},"
    "             {\"name\":\"method\",\"title\":\"方式\",\"type\":\"choice\","
    "              \"choices\":[\"电话核实\",\"实地核查\"]}],"
    "   "
    "\"deadlines\":[{\"name\":\"deadline\",\"field\":\"due\"},{\"name\":\"sign_by\",\"workdays\":3}"
    "]},"
    "  {\"name\":\"approve\",\"title\":\"审核通过\",\"from\":[\"submitted\"],\"to\":\"approved\","
    "   \"permission\":\"doc.approve\",\"outside_unit\":true,\"different_from\":\"submit\"},"
    "  {\"name\":\"return\",\"title\":\"退回\",\"from\":[\"submitted\"],\"to\":\"draft\","
    "   \"permission\":\"doc.approve\"}]}";

static flow_def *parse_ok(const char *text)
{
    char err[512] = "";
    flow_def *f = flow_parse(text, "review.json", err, sizeof err);
    if (!f) fail_msg("parse failed: %s", err);
    return f;
}

static void test_parse(void **state)
{
    (void)state;
    flow_def *f = parse_ok(REVIEW);
    assert_string_equal(f->name, "review");
    assert_int_equal(f->nstates, 3);
    assert_int_equal(f->nactions, 3);
    assert_string_equal(f->states[f->initial].name, "draft");
    const flow_action *a = flow_action_named(f, "submit");
    assert_non_null(a);
    assert_int_equal(a->evidence, 1);
    assert_int_equal(a->nfields, 3);
    assert_int_equal(a->ndeadlines, 2);
    assert_int_equal(a->deadlines[0].kind, FD_FIELD);
    assert_int_equal(a->deadlines[1].kind, FD_WORKDAYS);
    assert_int_equal(a->deadlines[1].amount, 3);
    assert_true(flow_state_named(f, "approved")->terminal);
    assert_null(flow_action_named(f, "nope"));
    flow_free(f);
}

/* Replaces the first occurrence of `from` in REVIEW with `to` and expects the fault `want`. */
static void bad(const char *from, const char *to, const char *want)
{
    char text[4096];
    const char *at = strstr(REVIEW, from);
    assert_non_null(at);
    size_t pre = (size_t)(at - REVIEW);
    snprintf(text, sizeof text, "%.*s%s%s", (int)pre, REVIEW, to, at + strlen(from));
    char err[512] = "";
    flow_def *f = flow_parse(text, "flows/review.json", err, sizeof err);
    if (f) fail_msg("accepted a bad flow (%s → %s)", from, to);
    if (!strstr(err, "flows/review.json: ") || !strstr(err, want))
        fail_msg("error '%s' does not say '%s'", err, want);
}

static void test_definition_faults(void **state)
{
    (void)state;
    bad("\"from\":[\"submitted\"],\"to\":\"approved\"", "\"from\":[\"checkd\"],\"to\":\"approved\"",
        "unknown state 'checkd' in from");
    bad("\"to\":\"approved\"", "\"to\":\"done\"", "unknown state 'done' in to");
    bad("\"initial\":\"draft\"", "\"initial\":\"start\"", "unknown initial state 'start'");
    bad("\"approved\":{\"title\":\"已通过\",\"terminal\":true}",
        "\"approved\":{\"title\":\"已通过\",\"terminal\":true},\"lost\":{\"title\":\"孤立\"}",
        "state 'lost' cannot be reached");
    bad("\"permission\":\"doc.approve\",\"outside_unit\"", "\"outside_unit\"",
        "action 'approve' has no permission");
    bad("{\"name\":\"return\"", "{\"name\":\"approve\"", "duplicate action 'approve'");
    bad("\"type\":\"date\"", "\"type\":\"datetime\"", "unknown type 'datetime'");
    bad("\"evidence\":1", "\"evidence\":1,\"evidnce\":2", "unknown key 'evidnce'");
    bad("\"different_from\":\"submit\"", "\"different_from\":\"sumbit\"",
        "unknown action 'sumbit'");
    bad("{\"name\":\"deadline\",\"field\":\"due\"}",
        "{\"name\":\"deadline\",\"field\":\"summary\"}", "not a date field");
    bad("{\"name\":\"sign_by\",\"workdays\":3}", "{\"name\":\"sign_by\",\"workdays\":3,\"days\":1}",
        "exactly one of");
    bad("\"choices\":[\"电话核实\",\"实地核查\"]", "\"choices\":[]", "needs choices");
    bad("\"title\":\"审核\",", "\"title\":\"审核\",,", "line 1");
}

typedef struct {
    int64_t submitter;
} history;

static int64_t last_actor(void *ctx, const char *action)
{
    history *h = ctx;
    return strcmp(action, "submit") == 0 ? h->submitter : 0;
}

static store_perm_scope county_perms[] = {{"doc.write", "/1/"}, {"doc.approve", "/1/"}};
static store_perm_scope township_perms[] = {{"doc.write", "/1/2/"}, {"doc.approve", "/1/2/"}};

static principal person(int64_t id, const char *unit_path, store_perm_scope *perms, size_t n)
{
    principal p = {
        .user_id = id, .login = "u", .unit_path = unit_path, .perms = perms, .nperms = n};
    return p;
}

static void test_guards(void **state)
{
    (void)state;
    flow_def *f = parse_ok(REVIEW);
    history h = {.submitter = 7};
    flow_item item = {
        .state = "submitted", .unit_path = "/1/2/", .last_actor = last_actor, .ctx = &h};
    flow_refusal why;
    principal township = person(11, "/1/2/", township_perms, 2); /* not the submitter */
    principal county = person(8, "/1/", county_perms, 2);
    principal neighbour = person(9, "/1/3/", township_perms, 2); /* grants over /1/2/ only */
    principal village_of_same = person(10, "/1/2/5/", county_perms, 2);

    /* A township member may not approve its own unit's work (outside_unit). */
    assert_int_equal(flow_check(f, &item, &township, "approve", NULL, 0, &why), E_FLOW_OUTSIDE);
    assert_non_null(strstr(why.message, "责任单位以外"));
    assert_int_equal(flow_check(f, &item, &village_of_same, "approve", NULL, 0, &why),
                     E_FLOW_OUTSIDE);
    /* The county may; the submitter may not, even from outside. */
    assert_int_equal(flow_check(f, &item, &county, "approve", NULL, 0, &why), E_OK);
    h.submitter = 8;
    assert_int_equal(flow_check(f, &item, &county, "approve", NULL, 0, &why), E_FLOW_PERSON);
    assert_non_null(strstr(why.message, "提交"));
    /* A neighbour without permission over /1/2/ is refused on permission first. */
    neighbour.perms = (store_perm_scope[]){{"doc.approve", "/1/3/"}};
    neighbour.nperms = 1;
    assert_int_equal(flow_check(f, &item, &neighbour, "approve", NULL, 0, &why), E_FORBIDDEN);
    /* Wrong state. */
    item.state = "approved";
    assert_int_equal(flow_check(f, &item, &county, "return", NULL, 0, &why), E_FLOW_STATE);
    assert_non_null(strstr(why.message, "已通过"));
    assert_int_equal(flow_check(f, &item, &county, "publish", NULL, 0, &why), E_NOT_FOUND);
    /* flow_may agrees with the guards. */
    item.state = "submitted";
    h.submitter = 7;
    assert_true(flow_may(f, &item, &county, flow_action_named(f, "approve")));
    assert_false(flow_may(f, &item, &township, flow_action_named(f, "approve")));
    assert_false(flow_may(f, &item, &county, flow_action_named(f, "submit")));
    flow_free(f);
}

static err_code submit(const flow_def *f, const char *fields_json, size_t evidence,
                       flow_refusal *why)
{
    flow_item item = {.state = "draft", .unit_path = "/1/2/"};
    principal p = person(7, "/1/2/", township_perms, 2);
    json_error_t jerr;
    json_t *fields = fields_json ? json_loads(fields_json, 0, &jerr) : NULL;
    err_code e = flow_check(f, &item, &p, "submit", fields, evidence, why);
    json_decref(fields);
    return e;
}

static void test_fields_and_evidence(void **state)
{
    (void)state;
    flow_def *f = parse_ok(REVIEW);
    flow_refusal why;
    assert_int_equal(submit(f, "{\"summary\":\"整改完成\"}", 1, &why), E_OK);
    assert_int_equal(
        submit(f, "{\"summary\":\"整改完成\",\"due\":\"2024-03-05\",\"method\":\"电话核实\"}", 2,
               &why),
        E_OK);
    assert_int_equal(submit(f, "{}", 1, &why), E_FIELD_REQUIRED);
    assert_string_equal(why.field, "summary");
    assert_non_null(strstr(why.message, "摘要"));
    assert_int_equal(submit(f, "{\"summary\":\"\"}", 1, &why), E_FIELD_REQUIRED);
    assert_int_equal(submit(f, "{\"summary\":\"一二三四五六七八九十\"}", 1, &why), E_OK);
    assert_int_equal(submit(f, "{\"summary\":\"一二三四五六七八九十一\"}", 1, &why),
                     E_FIELD_TOO_LONG);
    assert_int_equal(submit(f, "{\"summary\":5}", 1, &why), E_FIELD_TYPE);
    assert_int_equal(submit(f, "{\"summary\":\"x\",\"due\":\"2024-02-30\"}", 1, &why),
                     E_FIELD_INVALID);
    assert_string_equal(why.field, "due");
    assert_int_equal(submit(f, "{\"summary\":\"x\",\"method\":\"暗访\"}", 1, &why),
                     E_FIELD_INVALID);
    assert_int_equal(submit(f, "{\"summary\":\"x\",\"colour\":\"red\"}", 1, &why), E_FIELD_UNKNOWN);
    assert_string_equal(why.field, "colour");
    assert_int_equal(submit(f, "{\"summary\":\"x\"}", 0, &why), E_FLOW_EVIDENCE);
    assert_string_equal(why.field, "evidence");
    flow_free(f);
}

/* Every shipped flow definition loads and passes the checks. */
static void test_shipped_flows(void **state)
{
    (void)state;
    char err[512] = "";
    flow_def *f = flow_load(DUBAN_SOURCE_DIR "/flows/problem.json", err, sizeof err);
    if (!f) fail_msg("%s", err);
    const flow_action *report = flow_action_named(f, "report");
    assert_non_null(report);
    assert_string_equal(flow_next_state(f, report, "in_progress"), "in_progress");
    assert_string_equal(flow_next_state(f, flow_action_named(f, "claim"), "in_progress"),
                        "claimed");
    assert_true(flow_action_named(f, "verify_pass")->outside_unit);
    flow_free(f);
    assert_null(flow_load("/nonexistent/flow.json", err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/flow.json"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),         cmocka_unit_test(test_definition_faults),
        cmocka_unit_test(test_guards),        cmocka_unit_test(test_fields_and_evidence),
        cmocka_unit_test(test_shipped_flows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
