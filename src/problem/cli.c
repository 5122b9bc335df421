/*
 * problem — `duban problem list|show|act`: the problem list from the command line. Reading
 * needs no account (the CLI is the server's administrator); acting is done in the name of a
 * user (--as LOGIN) with that user's permissions and checks, exactly as through the API, and
 * the audit record notes that it came through the CLI.
 */
#include "problem/problem_int.h"

#include "base/clock.h"
#include "core/store_fn.h"
#include "problem/problem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    arena *a;
    store_problem_filter f;
    store_problem *items, one;
    size_t n;
    int64_t total, id;
    const char *login;
    store_event *events;
    size_t nevents;
} problem_ctx;

static const char *state_title(const app *ap, const char *state)
{
    const flow_state *s = flow_state_named(problem_flow_def(ap), state);
    return s ? s->title : state;
}

static const cli_opt list_opts[] = {
    {"state", 1, "registered | assigned | in_progress | claimed | closed"},
    {"overdue", 0, "only overdue problems"},
    {"q", 1, "text in the title, description or subject"},
    {"limit", 1, "at most this many (default 50)"},
    {NULL, 0, NULL},
};
static const cli_spec list_spec = {"problem list",
                                   "[--state S] [--overdue] [--q TEXT]",
                                   "Lists problems, newest first.",
                                   list_opts,
                                   0,
                                   0};

STORE_FN(list_fn, problem_ctx *c, store_problem_list(tx, c->a, &c->f, &c->items, &c->n, &c->total));

static int problem_list(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&list_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    problem_ctx pc = {.a = arena_new()};
    const char *limit = cli_opt_value(&list_spec, &c, "limit");
    pc.f = (store_problem_filter){.state = cli_opt_value(&list_spec, &c, "state"),
                                  .q = cli_opt_value(&list_spec, &c, "q"),
                                  .overdue = cli_opt_value(&list_spec, &c, "overdue") != NULL,
                                  .limit = limit ? atoll(limit) : 50};
    rc = 1;
    if (pc.f.limit < 1 || pc.f.limit > 100000) {
        fprintf(stderr, "duban problem list: --limit must be 1..100000\n");
        rc = 2;
    } else if (!cli_open(&c, &ap)) {
        err_code e = store_read(ap.st, list_fn, &pc);
        if (e == E_OK) {
            for (size_t i = 0; i < pc.n; i++) {
                const store_problem *p = &pc.items[i];
                printf("%6lld  %-10s %s  %s%s  %s\n", (long long)p->id, state_title(&ap, p->state),
                       p->deadline, p->overdue ? "[逾期] " : "", p->unit_name, p->title);
            }
            printf("%zu of %lld problems\n", pc.n, (long long)pc.total);
            rc = 0;
        } else {
            rc = cli_fail("problem list", e, NULL);
        }
        app_close(&ap);
    }
    arena_free(pc.a);
    cli_free(&c);
    return rc;
}

static const cli_spec show_spec = {"problem show", "ID", "Shows a problem with its timeline.",
                                   NULL,           1,    1};

static err_code show_fn(store_tx *tx, void *ctx)
{
    problem_ctx *c = ctx;
    err_code e = store_problem_get(tx, c->a, c->id, &c->one);
    if (e == E_OK) e = store_event_list(tx, c->a, "problem", c->id, &c->events, &c->nevents);
    return e;
}

static int problem_show(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&show_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    problem_ctx pc = {.a = arena_new(), .id = atoll(c.args[0])};
    rc = 1;
    if (!cli_open(&c, &ap)) {
        err_code e = store_read(ap.st, show_fn, &pc);
        if (e == E_OK) {
            const store_problem *p = &pc.one;
            printf("#%lld %s\n%s\n", (long long)p->id, p->title, p->description);
            printf("来源 %s · 类别 %s · 责任单位 %s · %s · 发现 %s · 时限 %s (原 %s)\n", p->source,
                   p->category, p->unit_name, problem_mode_title(p->mode), p->found_on, p->deadline,
                   p->original_deadline);
            printf("状态 %s%s%s · 版本 %lld\n", state_title(&ap, p->state),
                   p->overdue ? " · 逾期" : "", p->supervised ? " · 挂牌督办" : "",
                   (long long)p->version);
            for (size_t i = 0; i < pc.nevents; i++) {
                char at[24];
                const store_event *ev = &pc.events[i];
                printf("  %s  %-18s %-10s → %-10s %s\n", clock_iso(ev->at, at), ev->action,
                       ev->from_state, ev->to_state, ev->actor);
            }
            rc = 0;
        } else {
            rc = cli_fail("problem show", e, NULL);
        }
        app_close(&ap);
    }
    arena_free(pc.a);
    cli_free(&c);
    return rc;
}

static const cli_opt act_opts[] = {
    {"as", 1, "the login of the user who takes the action (required)"},
    {"fields", 1, "the action's form as a JSON object, e.g. '{\"progress\":\"…\"}'"},
    {"version", 1, "the problem's version as `problem show` printed it (required): refused if it "
                   "changed since"},
    {NULL, 0, NULL},
};
static const cli_spec act_spec = {"problem act",
                                  "ID ACTION --as LOGIN --version N [--fields JSON]",
                                  "Takes a flow action on a problem as a user, with that user's "
                                  "permissions (actions needing evidence are for the browser).",
                                  act_opts,
                                  2,
                                  2};

/* The user named by --as as a principal with their grants; E_NOT_FOUND when there is none. */
static err_code load_as(app *ap, problem_ctx *pc, principal *p)
{
    return cli_as_user(ap, pc->a, pc->login, p);
}

static const cli_opt actions_opts[] = {
    {"as", 1, "the login of the user (required)"},
    {NULL, 0, NULL},
};
static const cli_spec actions_spec = {"problem actions",
                                      "ID --as LOGIN",
                                      "Lists the actions the user may take on the problem now, "
                                      "with the fields each one asks for.",
                                      actions_opts,
                                      1,
                                      1};

static int problem_actions_cmd(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&actions_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    problem_ctx pc = {.a = arena_new(), .login = cli_opt_value(&actions_spec, &c, "as")};
    rc = 1;
    if (!pc.login) {
        fprintf(stderr, "duban problem actions: --as LOGIN is required\n");
        rc = 2;
    } else if (!cli_open(&c, &ap)) {
        principal p;
        store_problem pr;
        const flow_action **acts;
        size_t n = 0;
        err_code e = load_as(&ap, &pc, &p);
        if (e == E_OK) e = problem_get(&ap, pc.a, &p, atoll(c.args[0]), &pr);
        if (e == E_OK) e = problem_actions(&ap, pc.a, &p, &pr, &acts, &n);
        if (e == E_OK) {
            for (size_t i = 0; i < n; i++) {
                printf("%-18s %s", acts[i]->name, acts[i]->title);
                for (size_t k = 0; k < acts[i]->nfields; k++)
                    printf("%s %s%s", k ? "," : "  fields:", acts[i]->fields[k].name,
                           acts[i]->fields[k].required ? "*" : "");
                if (acts[i]->evidence) printf("  evidence: %d", acts[i]->evidence);
                printf("\n");
            }
            if (n == 0) printf("no action available to %s now\n", pc.login);
            rc = 0;
        } else {
            rc = cli_fail("problem actions", e, e == E_NOT_FOUND ? "ID or --as" : NULL);
        }
        app_close(&ap);
    }
    arena_free(pc.a);
    cli_free(&c);
    return rc;
}

static int problem_act_cmd(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&act_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    problem_ctx pc = {.a = arena_new(), .login = cli_opt_value(&act_spec, &c, "as")};
    const char *fields_text = cli_opt_value(&act_spec, &c, "fields");
    json_error_t jerr;
    json_t *fields = fields_text ? json_loads(fields_text, 0, &jerr) : NULL;
    int64_t version = 0;
    rc = 1;
    if (!pc.login) {
        fprintf(stderr, "duban problem act: --as LOGIN is required\n");
        rc = 2;
    } else if (!(version = cli_required_version(&act_spec, &c))) {
        rc = 2;
    } else if (fields_text && !json_is_object(fields)) {
        fprintf(stderr, "duban problem act: --fields: not a JSON object\n");
        rc = 2;
    } else if (!cli_open(&c, &ap)) {
        principal p;
        err_code e = load_as(&ap, &pc, &p);
        if (e == E_NOT_FOUND) {
            fprintf(stderr, "duban problem act: no user '%s'\n", pc.login);
        } else {
            problem_action_input in = {c.args[1], fields, NULL, 0, version};
            store_problem out;
            flow_refusal why = {{0}, {0}};
            if (e == E_OK) e = problem_act(&ap, pc.a, &p, atoll(c.args[0]), &in, &out, &why);
            if (e == E_OK) {
                printf("problem %lld: %s\n", (long long)out.id, state_title(&ap, out.state));
                rc = 0;
            } else {
                fprintf(stderr, "duban problem act: %s%s%s (%s)\n", why.field[0] ? why.field : "",
                        why.field[0] ? ": " : "", why.message[0] ? why.message : err_message(e),
                        err_name(e));
            }
        }
        app_close(&ap);
    }
    json_decref(fields);
    arena_free(pc.a);
    cli_free(&c);
    return rc;
}

int cmd_problem(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"list", problem_list, "list problems"},
        {"show", problem_show, "show a problem and its timeline"},
        {"actions", problem_actions_cmd, "the actions a user may take on a problem now"},
        {"act", problem_act_cmd, "take a flow action as a user"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("problem", subs, argc, argv);
}
