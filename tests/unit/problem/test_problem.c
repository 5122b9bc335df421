/*
 * Tests of the problem mechanism on a real database: registration, the whole closed loop with
 * its guards, deadlines on the working-day calendar, extension, overdue, reopening and scope.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/setup.h"
#include "org/org.h"
#include "access/access.h"
#include "problem/ledger.h"
#include "problem/problem.h"
#include "problem/tick.h"

typedef struct {
    char dir[64];
    config cfg;
    app ap;
    arena *a;
    int64_t county_unit, town_a, town_b;
    principal op, handler_a, handler_b, verifier, leader;
} fixture;

static int64_t add_unit(fixture *fx, const char *code, const char *kind, int64_t parent)
{
    principal sys = authz_system(fx->a);
    org_unit_input in = {code, code, kind, parent};
    store_unit u;
    const char *field;
    assert_int_equal(org_unit_add(&fx->ap, fx->a, &sys, &in, &u, &field), E_OK);
    return u.id;
}

/* A principal backed by a real user (events refer to users), with in-memory grants. */
static principal person(fixture *fx, const char *login, int64_t unit_id, const char *perms_csv,
                        const char *scope_path)
{
    principal sys = authz_system(fx->a);
    org_user_input in = {login, login, unit_id, "Duban#2024q", 0};
    store_user u;
    char otp[16];
    const char *field;
    assert_int_equal(org_user_add(&fx->ap, fx->a, &sys, &in, &u, otp, &field), E_OK);
    principal p = {.user_id = u.id,
                   .unit_id = u.unit_id,
                   .login = u.login,
                   .name = u.name,
                   .unit_path = u.unit_path};
    char *list = arena_strdup(fx->a, perms_csv);
    p.perms = arena_alloc(fx->a, 8 * sizeof *p.perms);
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ","))
        p.perms[p.nperms++] = (store_perm_scope){tok, scope_path};
    return p;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/duban-problem-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    config_defaults(&fx->cfg);
    char err[512], *db = xasprintf("%s/t.db", fx->dir);
    assert_int_equal(config_set(&fx->cfg, "db", db, "test", err, sizeof err), 0);
    free(db);
    setenv("DUBAN_ADMIN_PASSWORD", "Duban#2024x", 1);
    setenv("DUBAN_SECADMIN_PASSWORD", "Duban#2024y", 1);
    setenv("DUBAN_AUDITOR_PASSWORD", "Duban#2024z", 1);
    FILE *devnull = fopen("/dev/null", "w");
    assert_int_equal(setup_init(&fx->cfg, devnull, err, sizeof err), 0);
    fclose(devnull);
    if (app_open(&fx->ap, &fx->cfg, err, sizeof err)) fail_msg("%s", err);
    fx->a = arena_new();
    fx->county_unit = 1;
    int64_t office = add_unit(fx, "ducha", "department", 1);
    fx->town_a = add_unit(fx, "town-a", "township", 1);
    fx->town_b = add_unit(fx, "town-b", "township", 1);
    char *pa = arena_sprintf(fx->a, "/1/%lld/", (long long)fx->town_a);
    char *pb = arena_sprintf(fx->a, "/1/%lld/", (long long)fx->town_b);
    fx->op = person(fx, "op", office,
                    "problem.read,problem.register,problem.assign,problem.supervise", "/1/");
    fx->handler_a = person(fx, "ha", fx->town_a, "problem.read,problem.handle", pa);
    fx->handler_b = person(fx, "hb", fx->town_b, "problem.read,problem.handle", pb);
    fx->verifier = person(fx, "ver", office, "problem.read,problem.verify", "/1/");
    fx->leader = person(fx, "lead", 1, "problem.read,problem.lookback,problem.supervise", "/1/");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    app_close(&fx->ap);
    arena_free(fx->a);
    config_free(&fx->cfg);
    char *cmd = xasprintf("rm -rf '%s'", fx->dir);
    assert_int_equal(system(cmd), 0);
    free(cmd);
    free(fx);
    return 0;
}

static problem_input sample(fixture *fx, const char *found, const char *deadline)
{
    problem_input in = {.source = "调研",
                        .category = "项目推进",
                        .title = "园区道路未硬化",
                        .description = "工业园区东侧道路未硬化，雨天影响企业运输。",
                        .found_on = found,
                        .mode = "立行立改",
                        .unit_id = fx->town_a,
                        .deadline = deadline,
                        .measures = "协调资金，限期硬化"};
    return in;
}

static err_code act(fixture *fx, const principal *p, int64_t id, const char *action,
                    const char *fields_json, int64_t *attachments, size_t n, store_problem *out,
                    flow_refusal *why)
{
    json_error_t jerr;
    json_t *fields = fields_json ? json_loads(fields_json, 0, &jerr) : NULL;
    problem_action_input in = {action, fields, attachments, n, PROBLEM_VERSION_ANY};
    err_code e = problem_act(&fx->ap, fx->a, p, id, &in, out, why);
    json_decref(fields);
    return e;
}

typedef struct {
    store_attachment at;
    store_event *events;
    size_t n;
    int64_t id;
    arena *a;
} raw_ctx;

static err_code add_attachment_fn(store_tx *tx, void *ctx)
{
    raw_ctx *r = ctx;
    return store_attachment_insert(tx, &r->at);
}

static int64_t attachment_for(fixture *fx, int64_t problem_id)
{
    raw_ctx r = {.at = {.sha256 = "ab",
                        .size = 10,
                        .mime = "image/png",
                        .filename = "photo.png",
                        .flow = "problem",
                        .item_id = problem_id,
                        .created_at = 1}};
    assert_int_equal(store_write(fx->ap.st, add_attachment_fn, &r), E_OK);
    return r.at.id;
}

static err_code events_fn(store_tx *tx, void *ctx)
{
    raw_ctx *r = ctx;
    return store_event_list(tx, r->a, "problem", r->id, &r->events, &r->n);
}

static void test_closed_loop(void **state)
{
    fixture *fx = *state;
    problem_input in = sample(fx, "2030-03-01", "2030-06-30");
    store_problem pr;
    const char *field;
    flow_refusal why;
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_OK);
    assert_string_equal(pr.state, "registered");
    assert_string_equal(pr.mode, "immediate");
    assert_int_equal(pr.overdue, 0);
    int64_t id = pr.id;

    /* The township cannot assign; the operator can. */
    assert_int_equal(act(fx, &fx->handler_a, id, "assign", NULL, NULL, 0, &pr, &why), E_FORBIDDEN);
    assert_int_equal(
        act(fx, &fx->op, id, "assign", "{\"note\":\"请于月底前完成\"}", NULL, 0, &pr, &why), E_OK);
    assert_string_equal(pr.state, "assigned");
    assert_true(pr.sign_by && *pr.sign_by);
    /* The neighbouring township cannot even see it. */
    assert_int_equal(act(fx, &fx->handler_b, id, "sign", NULL, NULL, 0, &pr, &why), E_FORBIDDEN);
    assert_int_equal(problem_get(&fx->ap, fx->a, &fx->handler_b, id, &pr), E_FORBIDDEN);
    assert_int_equal(act(fx, &fx->handler_a, id, "sign", NULL, NULL, 0, &pr, &why), E_OK);
    assert_string_equal(pr.state, "in_progress");
    assert_true(!pr.sign_by || !*pr.sign_by);
    assert_int_equal(act(fx, &fx->handler_a, id, "report", "{}", NULL, 0, &pr, &why),
                     E_FIELD_REQUIRED);
    assert_string_equal(why.field, "progress");
    assert_int_equal(
        act(fx, &fx->handler_a, id, "report", "{\"progress\":\"已完成招标\"}", NULL, 0, &pr, &why),
        E_OK);
    assert_string_equal(pr.progress, "已完成招标");
    /* Completion needs evidence; an attachment of another problem does not count. */
    assert_int_equal(
        act(fx, &fx->handler_a, id, "claim", "{\"summary\":\"道路已硬化\"}", NULL, 0, &pr, &why),
        E_FLOW_EVIDENCE);
    int64_t foreign = attachment_for(fx, id + 1000);
    assert_int_equal(act(fx, &fx->handler_a, id, "claim", "{\"summary\":\"道路已硬化\"}", &foreign,
                         1, &pr, &why),
                     E_FIELD_INVALID);
    int64_t photo = attachment_for(fx, id);
    assert_int_equal(
        act(fx, &fx->handler_a, id, "claim", "{\"summary\":\"道路已硬化\"}", &photo, 1, &pr, &why),
        E_OK);
    assert_string_equal(pr.state, "claimed");
    /* Verification: not by the handling unit, not without a finding; then closed. */
    const char *ok = "{\"method\":\"实地核查（四不两直）\",\"finding\":\"现场查看，道路已硬化\"}";
    assert_int_equal(act(fx, &fx->handler_a, id, "verify_pass", ok, NULL, 0, &pr, &why),
                     E_FORBIDDEN);
    assert_int_equal(
        act(fx, &fx->verifier, id, "verify_pass", "{\"method\":\"电话核实\"}", NULL, 0, &pr, &why),
        E_FIELD_REQUIRED);
    assert_int_equal(act(fx, &fx->verifier, id, "verify_pass", ok, NULL, 0, &pr, &why), E_OK);
    assert_string_equal(pr.state, "closed");
    assert_true(pr.closed_at > 0);
    assert_non_null(strstr(pr.verification, "现场查看"));
    assert_int_equal(act(fx, &fx->verifier, id, "verify_pass", ok, NULL, 0, &pr, &why),
                     E_FLOW_STATE);

    /* Every action is an event, in order. */
    raw_ctx r = {.a = fx->a, .id = id};
    assert_int_equal(store_read(fx->ap.st, events_fn, &r), E_OK);
    const char *want[] = {"register", "assign", "sign", "report", "claim", "verify_pass"};
    assert_int_equal(r.n, 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(r.events[i].action, want[i]);
    assert_string_equal(r.events[5].actor, "ver");

    /* A look-back finds it came back: reopened, counted, with a new deadline. */
    assert_int_equal(act(fx, &fx->leader, id, "reopen",
                         "{\"finding\":\"道路再次破损\",\"new_deadline\":\"2030-09-30\"}", NULL, 0,
                         &pr, &why),
                     E_OK);
    assert_string_equal(pr.state, "in_progress");
    assert_int_equal(pr.reopened, 1);
    assert_string_equal(pr.deadline, "2030-09-30");
    assert_string_equal(pr.original_deadline, "2030-06-30");
    assert_int_equal(pr.closed_at, 0);

    audit_report rep;
    assert_int_equal(audit_verify(fx->ap.au, fx->ap.st, &rep), E_OK);
    assert_true(rep.ok);
}

/* Outsiders verify: not a co-unit's member, not the claimant's colleague at a higher unit. */
static void test_outside_means_outside(void **state)
{
    fixture *fx = *state;
    const char *field;
    flow_refusal why;
    store_problem pr;
    const char *ok = "{\"method\":\"电话核实\",\"finding\":\"已解决\"}";
    /* A co-unit: the county office of the verifier shares the problem. */
    problem_input in = sample(fx, "2030-03-01", "2030-06-30");
    int64_t office = fx->verifier.unit_id;
    in.counits = &office;
    in.ncounits = 1;
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_OK);
    int64_t photo = attachment_for(fx, pr.id);
    assert_int_equal(act(fx, &fx->op, pr.id, "assign", NULL, NULL, 0, &pr, &why), E_OK);
    assert_int_equal(act(fx, &fx->handler_a, pr.id, "sign", NULL, NULL, 0, &pr, &why), E_OK);
    assert_int_equal(
        act(fx, &fx->handler_a, pr.id, "claim", "{\"summary\":\"好了\"}", &photo, 1, &pr, &why),
        E_OK);
    assert_int_equal(act(fx, &fx->verifier, pr.id, "verify_pass", ok, NULL, 0, &pr, &why),
                     E_FLOW_OUTSIDE);
    /* A village of town A, handled (claimed) by the township: a town-A supervisor is no outsider.
     */
    principal sys = authz_system(fx->a);
    org_unit_input vin = {"town-a-v1", "东街村", "village", fx->town_a};
    store_unit village;
    assert_int_equal(org_unit_add(&fx->ap, fx->a, &sys, &vin, &village, &field), E_OK);
    principal sup_a = person(fx, "supa", fx->town_a, "problem.read,problem.verify",
                             arena_sprintf(fx->a, "/1/%lld/", (long long)fx->town_a));
    in = sample(fx, "2030-03-01", "2030-06-30");
    in.unit_id = village.id;
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_OK);
    photo = attachment_for(fx, pr.id);
    assert_int_equal(act(fx, &fx->op, pr.id, "assign", NULL, NULL, 0, &pr, &why), E_OK);
    assert_int_equal(act(fx, &fx->handler_a, pr.id, "sign", NULL, NULL, 0, &pr, &why), E_OK);
    assert_int_equal(
        act(fx, &fx->handler_a, pr.id, "claim", "{\"summary\":\"好了\"}", &photo, 1, &pr, &why),
        E_OK);
    assert_int_equal(act(fx, &sup_a, pr.id, "verify_pass", ok, NULL, 0, &pr, &why), E_FLOW_OUTSIDE);
    assert_int_equal(act(fx, &fx->verifier, pr.id, "verify_pass", ok, NULL, 0, &pr, &why), E_OK);
}

static void test_deadlines_overdue_and_extension(void **state)
{
    fixture *fx = *state;
    const char *field;
    flow_refusal why;
    store_problem pr;
    /* Two working days after Thursday 2024-02-08: Friday 2/9, then the make-up Sunday 2/18. */
    problem_input in = sample(fx, "2024-02-08", NULL);
    in.deadline_workdays = 2;
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_OK);
    assert_string_equal(pr.deadline, "2024-02-18");
    assert_int_equal(pr.deadline_estimated, 0);
    assert_int_equal(pr.overdue, 1); /* long past */
    assert_string_equal(pr.overdue_since, "2024-02-19");
    int64_t id = pr.id;
    assert_int_equal(act(fx, &fx->op, id, "assign", NULL, NULL, 0, &pr, &why), E_OK);
    assert_int_equal(act(fx, &fx->handler_a, id, "sign", NULL, NULL, 0, &pr, &why), E_OK);
    /* Nothing to approve before a request is made. */
    assert_int_equal(act(fx, &fx->op, id, "approve_extension", "{\"new_deadline\":\"2031-01-31\"}",
                         NULL, 0, &pr, &why),
                     E_FLOW_STATE);
    assert_non_null(strstr(why.message, "申请延期"));
    /* A rejected request is answered: it cannot be approved afterwards. */
    const char *req0 = "{\"new_deadline\":\"2030-01-31\",\"reason\":\"天气原因\"}";
    assert_int_equal(act(fx, &fx->handler_a, id, "request_extension", req0, NULL, 0, &pr, &why),
                     E_OK);
    assert_int_equal(
        act(fx, &fx->op, id, "reject_extension", "{\"note\":\"理由不充分\"}", NULL, 0, &pr, &why),
        E_OK);
    assert_int_equal(act(fx, &fx->op, id, "approve_extension", "{\"new_deadline\":\"2030-01-31\"}",
                         NULL, 0, &pr, &why),
                     E_FLOW_STATE);
    /* Only an approved extension moves the deadline; the handling unit cannot approve. */
    const char *req = "{\"new_deadline\":\"2031-01-31\",\"reason\":\"资金未到位\"}";
    assert_int_equal(act(fx, &fx->handler_a, id, "request_extension", req, NULL, 0, &pr, &why),
                     E_OK);
    assert_string_equal(pr.deadline, "2024-02-18");
    assert_int_equal(act(fx, &fx->handler_a, id, "approve_extension",
                         "{\"new_deadline\":\"2031-01-31\"}", NULL, 0, &pr, &why),
                     E_FORBIDDEN);
    assert_int_equal(act(fx, &fx->op, id, "approve_extension", "{\"new_deadline\":\"2031-01-31\"}",
                         NULL, 0, &pr, &why),
                     E_OK);
    assert_string_equal(pr.deadline, "2031-01-31");
    assert_string_equal(pr.original_deadline, "2024-02-18");
    assert_int_equal(pr.overdue, 0);
    assert_int_equal(pr.deadline_estimated, 1); /* 2031 has no holiday data */
    /* A new deadline in the past is refused. */
    assert_int_equal(act(fx, &fx->handler_a, id, "request_extension", req, NULL, 0, &pr, &why),
                     E_OK);
    assert_int_equal(act(fx, &fx->op, id, "approve_extension", "{\"new_deadline\":\"2020-01-31\"}",
                         NULL, 0, &pr, &why),
                     E_FIELD_INVALID);
    assert_string_equal(why.field, "new_deadline");
    assert_int_equal(
        act(fx, &fx->op, id, "reject_extension", "{\"note\":\"已延期过\"}", NULL, 0, &pr, &why),
        E_OK);
    /* 挂牌督办 names a leader among the users who hold problem.lookback, and only once. */
    principal sys = authz_system(fx->a);
    store_grant g;
    const char *bad;
    assert_int_equal(access_grant(&fx->ap, fx->a, &sys, fx->leader.user_id, "leader", fx->town_a, &g, &bad),
                     E_OK);
    char sup[96];
    snprintf(sup, sizeof sup, "{\"leader_id\":%lld}", (long long)fx->handler_a.user_id);
    assert_int_equal(act(fx, &fx->leader, id, "supervise", sup, NULL, 0, &pr, &why),
                     E_FIELD_INVALID);
    assert_string_equal(why.field, "leader_id");
    snprintf(sup, sizeof sup, "{\"leader_id\":%lld}", (long long)fx->leader.user_id);
    assert_int_equal(act(fx, &fx->leader, id, "supervise", sup, NULL, 0, &pr, &why), E_OK);
    assert_int_equal(pr.supervised, 1);
    assert_string_equal(pr.supervisor, "lead");
    assert_int_equal(act(fx, &fx->leader, id, "supervise", sup, NULL, 0, &pr, &why), E_FLOW_STATE);
    assert_non_null(strstr(why.message, "不能重复"));
}

static void test_register_validation(void **state)
{
    fixture *fx = *state;
    const char *field;
    store_problem pr;
    problem_input in = sample(fx, "2030-03-01", "2030-02-01");
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_PROBLEM_DEADLINE_EARLY);
    assert_string_equal(field, "deadline");
    in = sample(fx, "2030-13-01", "2030-06-01");
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_FIELD_INVALID);
    assert_string_equal(field, "found_on");
    in = sample(fx, "2030-03-01", "2030-06-01");
    in.mode = "持续推进"; /* needs a goal */
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_FIELD_REQUIRED);
    assert_string_equal(field, "goal");
    in = sample(fx, "2030-03-01", NULL);
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_FIELD_REQUIRED);
    assert_string_equal(field, "deadline");
    in = sample(fx, "2030-03-01", "2030-06-01");
    in.title = "";
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_FIELD_REQUIRED);
    assert_string_equal(field, "title");
    in = sample(fx, "2030-03-01", "2030-06-01");
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->handler_a, &in, &pr, &field),
                     E_FORBIDDEN);
    int64_t co = fx->town_a;
    in.counits = &co;
    in.ncounits = 1;
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_FIELD_INVALID);
    assert_string_equal(field, "counit_ids");
    /* A co-unit sees the problem too. */
    co = fx->town_b;
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_OK);
    store_problem seen;
    assert_int_equal(problem_get(&fx->ap, fx->a, &fx->handler_b, pr.id, &seen), E_OK);
    assert_int_equal(seen.ncounits, 1);
    /* 持续推进 with a goal owes a staged result three months after assignment. */
    in = sample(fx, "2030-03-01", "2030-12-31");
    in.mode = "ongoing";
    in.goal = "年底前完成改造";
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_OK);
    flow_refusal why;
    assert_int_equal(act(fx, &fx->op, pr.id, "assign", NULL, NULL, 0, &pr, &why), E_OK);
    assert_true(pr.staged_due && strlen(pr.staged_due) == 10);
}

typedef struct {
    arena *a;
    int64_t user_id;
    store_notification *items;
    size_t n;
    int64_t unread;
    store_lookback *tasks;
    size_t ntasks;
} notes_ctx;

static err_code notes_fn(store_tx *tx, void *ctx)
{
    notes_ctx *c = ctx;
    err_code e =
        store_notification_list(tx, c->a, c->user_id, 0, 100, 0, &c->items, &c->n, &c->unread);
    if (e == E_OK)
        e = store_lookback_list(tx, c->a, c->user_id, NULL, 500, 0, &c->tasks, &c->ntasks);
    return e;
}

static size_t count_kind(fixture *fx, int64_t user_id, const char *kind)
{
    notes_ctx c = {.a = fx->a, .user_id = user_id};
    assert_int_equal(store_read(fx->ap.st, notes_fn, &c), E_OK);
    size_t k = 0;
    for (size_t i = 0; i < c.n; i++)
        k += strcmp(c.items[i].kind, kind) == 0;
    return k;
}

/* Grants that the tick's recipient queries can see (they read grants from the database). */
static void grant(fixture *fx, const principal *p, const char *role, int64_t unit_id)
{
    principal sys = authz_system(fx->a);
    store_grant g;
    const char *field;
    assert_int_equal(access_grant(&fx->ap, fx->a, &sys, p->user_id, role, unit_id, &g, &field),
                     E_OK);
}

static void test_tick(void **state)
{
    fixture *fx = *state;
    grant(fx, &fx->handler_a, "handler", fx->town_a);
    grant(fx, &fx->op, "operator", 1);
    grant(fx, &fx->leader, "leader", 1);
    const char *field;
    flow_refusal why;
    store_problem late, soon, done;
    /* Overdue since long ago (flagged at registration already). */
    problem_input in = sample(fx, "2024-03-01", "2024-03-15");
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &late, &field), E_OK);
    /* Due within three working days of "now" (2024-06-03, a Monday). */
    in = sample(fx, "2024-05-20", "2024-06-05");
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &soon, &field), E_OK);
    /* Closed, with a county-level leader who owes a look-back. */
    in = sample(fx, "2024-01-02", "2030-01-01");
    in.leader_user_id = fx->leader.user_id;
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &done, &field), E_OK);
    int64_t photo = attachment_for(fx, done.id);
    const char *ok = "{\"method\":\"电话核实\",\"finding\":\"已解决\"}";
    assert_int_equal(act(fx, &fx->op, done.id, "assign", NULL, NULL, 0, &done, &why), E_OK);
    assert_int_equal(act(fx, &fx->handler_a, done.id, "sign", NULL, NULL, 0, &done, &why), E_OK);
    assert_int_equal(
        act(fx, &fx->handler_a, done.id, "claim", "{\"summary\":\"好了\"}", &photo, 1, &done, &why),
        E_OK);
    assert_int_equal(act(fx, &fx->verifier, done.id, "verify_pass", ok, NULL, 0, &done, &why),
                     E_OK);

    int64_t now = 1717372800 + 3600; /* 2024-06-03T01:00Z, 09:00 in Shanghai */
    problem_tick_report r;
    assert_int_equal(problem_tick(&fx->ap, now, &r), E_OK);
    assert_true(r.overdue >= 1);
    assert_true(r.reminders >= 1);
    assert_int_equal(r.lookbacks, 1);
    size_t overdue_a = count_kind(fx, fx->handler_a.user_id, "overdue");
    size_t remind_a = count_kind(fx, fx->handler_a.user_id, "remind");
    assert_true(overdue_a >= 1);
    assert_true(remind_a >= 1);
    assert_true(count_kind(fx, fx->op.user_id, "escalate") >= 1); /* the assigning side hears */
    assert_int_equal(count_kind(fx, fx->handler_b.user_id, "overdue"), 0); /* the neighbour not */
    assert_int_equal(count_kind(fx, fx->leader.user_id, "lookback"), 1);
    /* Running it again notifies once. */
    problem_tick_report again;
    assert_int_equal(problem_tick(&fx->ap, now + 60, &again), E_OK);
    assert_int_equal(again.notifications, 0);
    assert_int_equal(again.lookbacks, 0);
    assert_int_equal(count_kind(fx, fx->handler_a.user_id, "overdue"), overdue_a);
    assert_int_equal(count_kind(fx, fx->handler_a.user_id, "remind"), remind_a);
    store_problem now_late;
    assert_int_equal(problem_get(&fx->ap, fx->a, &fx->op, late.id, &now_late), E_OK);
    assert_int_equal(now_late.overdue, 1);
    assert_string_equal(now_late.overdue_since, "2024-03-16");
}

typedef struct {
    arena *a;
    store_problem_filter f;
    store_problem *items;
    size_t n;
    int64_t total;
} count_ctx;

static err_code count_fn(store_tx *tx, void *ctx)
{
    count_ctx *c = ctx;
    return store_problem_list(tx, c->a, &c->f, &c->items, &c->n, &c->total);
}

static int64_t count_problems(fixture *fx)
{
    count_ctx c = {.a = fx->a, .f = {.limit = 1}};
    assert_int_equal(store_read(fx->ap.st, count_fn, &c), E_OK);
    return c.total;
}

static void test_ledger(void **state)
{
    fixture *fx = *state;
    const char *field;
    store_problem pr;
    problem_input in = sample(fx, "2030-03-01", "2030-06-30");
    int64_t co = fx->town_b;
    in.counits = &co;
    in.ncounits = 1;
    in.note = "含逗号,引号\"和换行\n的备注";
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_OK);
    /* Two villages of one name (town A's, made earlier, and town B's): the ledger tells them
     * apart by code, and the round trip below must not stumble on them. */
    principal sys = authz_system(fx->a);
    org_unit_input vin = {"town-b-v1", "东街村", "village", fx->town_b};
    store_unit village;
    assert_int_equal(org_unit_add(&fx->ap, fx->a, &sys, &vin, &village, &field), E_OK);
    in = sample(fx, "2030-03-02", "2030-06-30");
    in.unit_id = village.id;
    assert_int_equal(problem_register(&fx->ap, fx->a, &fx->op, &in, &pr, &field), E_OK);
    int64_t before = count_problems(fx);

    /* Export, import the export, export again: the same ledger (but the 序号). */
    store_problem_filter all = {0};
    char *first, *second, err[256] = "";
    size_t n1, n2;
    assert_int_equal(
        ledger_export(&fx->ap, &fx->op, &all, LEDGER_CSV, &first, &n1, err, sizeof err), E_OK);
    ledger_report rep;
    assert_int_equal(ledger_import(&fx->ap, fx->a, &fx->op, first, n1, LEDGER_CSV, 0, &rep), E_OK);
    assert_int_equal(rep.imported, (size_t)before);
    assert_int_equal(count_problems(fx), 2 * before);
    store_problem_filter newer = {.found_from = "2030-03-01", .found_to = "2030-03-01"};
    assert_int_equal(
        ledger_export(&fx->ap, &fx->op, &newer, LEDGER_XLSX, &second, &n2, err, sizeof err), E_OK);
    ledger_report rep2;
    /* The XLSX carries the same rows: importing it reports no faults. */
    assert_int_equal(ledger_import(&fx->ap, fx->a, &fx->op, second, n2, LEDGER_XLSX, 0, &rep2),
                     E_OK);
    assert_true(rep2.imported >= 2);
    free(first);
    free(second);

    /* Bad rows are reported by row and column, and nothing is written. */
    const char *bad =
        "问题来源,问题类别,问题描述,发现时间,责任单位,完成时限,整改方式,状态,核查情况\n"
        "调研,项目推进,道路破损,2030-02-30,town-a,2030-06-01,立行立改,,\n"
        "调研,项目推进,道路破损,2030-02-01,无此单位,2030-06-01,立行立改,,\n"
        "调研,项目推进,道路破损,2030年2月1日,town-a,2030/6/1,立行立改,已销号,\n"
        "调研,项目推进,道路破损,2030-02-01,town-a,2030-06-01,持续推进,,\n"
        "调研,项目推进,路灯损坏，夜间出行不便,2030.2.1,town-a,2030-06-01,立行立改,,\n";
    int64_t now = count_problems(fx);
    assert_int_equal(ledger_import(&fx->ap, fx->a, &fx->op, bad, strlen(bad), LEDGER_CSV, 0, &rep),
                     E_FIELD_INVALID);
    assert_int_equal(rep.nfaults, 4);
    assert_int_equal(rep.faults[0].row, 2);
    assert_string_equal(rep.faults[0].column, "发现时间");
    assert_int_equal(rep.faults[1].row, 3);
    assert_string_equal(rep.faults[1].column, "责任单位");
    assert_int_equal(rep.faults[2].row, 4);
    assert_string_equal(rep.faults[2].column, "核查情况");
    assert_int_equal(rep.faults[3].row, 5);
    assert_string_equal(rep.faults[3].column, "整改目标");
    assert_int_equal(count_problems(fx), now);
    /* With skip_bad the good row goes in, its title taken from the description. */
    assert_int_equal(ledger_import(&fx->ap, fx->a, &fx->op, bad, strlen(bad), LEDGER_CSV, 1, &rep),
                     E_OK);
    assert_int_equal(rep.imported, 1);
    assert_int_equal(rep.skipped, 4);
    assert_int_equal(count_problems(fx), now + 1);
    /* A file without a required column is refused as a whole. */
    const char *no_unit = "问题来源,问题类别,问题描述,发现时间,完成时限,整改方式\n调研,a,b,2030-01-"
                          "01,2030-02-01,立行立改\n";
    assert_int_equal(
        ledger_import(&fx->ap, fx->a, &fx->op, no_unit, strlen(no_unit), LEDGER_CSV, 0, &rep),
        E_FIELD_INVALID);
    assert_non_null(strstr(rep.fatal, "责任单位"));
    /* A township's own operator may not enter its problems as already handled (closed). */
    principal zhenop =
        person(fx, "zhenop", fx->town_a, "problem.read,problem.register,problem.assign",
               arena_sprintf(fx->a, "/1/%lld/", (long long)fx->town_a));
    const char *own_closed =
        "问题来源,问题类别,问题描述,发现时间,责任单位,完成时限,整改方式,状态,核查情况,销号时间\n"
        "调研,项目推进,道路破损,2030-02-01,town-a,2030-06-01,立行立改,已销号,自己说好了,2030-05-"
        "01\n"
        "调研,项目推进,路灯损坏,2030-02-01,town-a,2030-06-01,立行立改,,,\n";
    assert_int_equal(
        ledger_import(&fx->ap, fx->a, &zhenop, own_closed, strlen(own_closed), LEDGER_CSV, 0, &rep),
        E_FIELD_INVALID);
    assert_int_equal(rep.nfaults, 1);
    assert_int_equal(rep.faults[0].row, 2);
    assert_string_equal(rep.faults[0].column, "状态");
    /* The township may not import for the neighbour. */
    const char *neighbour = "问题来源,问题类别,问题描述,发现时间,责任单位,完成时限,整改方式\n调研,"
                            "a,b,2030-01-01,town-b,2030-02-01,立行立改\n";
    assert_int_equal(ledger_import(&fx->ap, fx->a, &fx->handler_a, neighbour, strlen(neighbour),
                                   LEDGER_CSV, 0, &rep),
                     E_FIELD_INVALID);
    assert_string_equal(rep.faults[0].column, "责任单位");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_loop),
        cmocka_unit_test(test_outside_means_outside),
        cmocka_unit_test(test_deadlines_overdue_and_extension),
        cmocka_unit_test(test_register_validation),
        cmocka_unit_test(test_tick),
        cmocka_unit_test(test_ledger),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
