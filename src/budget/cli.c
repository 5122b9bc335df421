/*
 * cli — `duban budget list|show|act`: budget projects from the command line. Reading needs no
 * account (the CLI is the server's administrator): `show` prints the cost sheet, the targets
 * and the gate's failures; acting is done in the name of a user (--as LOGIN) with that user's
 * permissions and checks, exactly as through the API.
 */
#include "budget/budget_int.h"

#include "budget/money.h"
#include "cli/cli.h"
#include "core/store_fn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    arena *a;
    store_budget_filter f;
    store_budget_project *items, one;
    size_t n, nl, ni;
    int64_t total, id;
    budget_gate_env env;
    store_budget_line *lines;
    store_budget_indicator *inds;
    const char *login;
    store_user user;
} budget_ctx;

static const char *state_title(const app *ap, const char *state)
{
    const flow_state *s = flow_state_named(budget_flow_def(ap), state);
    return s ? s->title : state;
}

static const char *yuan(arena *a, int64_t fen)
{
    char buf[40];
    money_yuan(fen, buf, sizeof buf);
    return arena_strdup(a, buf);
}

static const cli_opt list_opts[] = {
    {"year", 1, "budget year, e.g. 2024"},
    {"state", 1, "drafted | submitted | finance_review | third_party | deciding | returned | "
                 "stored | approved | published | terminated"},
    {"limit", 1, "at most this many (default 50)"},
    {NULL, 0, NULL},
};
static const cli_spec list_spec = {"budget list", "[--year Y] [--state S] [--limit N]",
                                   "Lists budget projects by year and department.", list_opts, 0,
                                   0};

STORE_FN(list_fn, budget_ctx *c, store_budget_list(tx, c->a, &c->f, &c->items, &c->n, &c->total));

static int budget_list(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&list_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    budget_ctx bc = {.a = arena_new()};
    const char *limit = cli_opt_value(&list_spec, &c, "limit"),
               *year = cli_opt_value(&list_spec, &c, "year");
    bc.f = (store_budget_filter){.state = cli_opt_value(&list_spec, &c, "state"),
                                 .year = year ? atoll(year) : 0,
                                 .has_cost = -1,
                                 .first_pass = -1,
                                 .limit = limit ? atoll(limit) : 50};
    rc = 1;
    if (bc.f.limit < 1 || bc.f.limit > 100000) {
        fprintf(stderr, "duban budget list: --limit must be 1..100000\n");
        rc = 2;
    } else if (!cli_open(&c, &ap)) {
        err_code e = store_read(ap.st, list_fn, &bc);
        if (e == E_OK) {
            for (size_t i = 0; i < bc.n; i++) {
                const store_budget_project *p = &bc.items[i];
                printf("%6lld  %lld  %-12s 第%lld轮  %14s 元  %s  %s\n", (long long)p->id,
                       (long long)p->year, state_title(&ap, p->state), (long long)p->round,
                       yuan(bc.a, p->fund_fiscal + p->fund_carryover + p->fund_other),
                       p->unit_name, p->name);
            }
            printf("%zu of %lld projects\n", bc.n, (long long)bc.total);
            rc = 0;
        } else {
            rc = cli_fail("budget list", e, NULL);
        }
        app_close(&ap);
    }
    arena_free(bc.a);
    cli_free(&c);
    return rc;
}

static const cli_spec show_spec = {"budget show", "ID",
                                   "Shows a project: its cost sheet, targets and the gate's "
                                   "failures.",
                                   NULL, 1, 1};

static err_code show_fn(store_tx *tx, void *ctx)
{
    budget_ctx *c = ctx;
    err_code e = store_budget_get(tx, c->a, c->id, &c->one);
    if (e == E_OK) e = store_budget_lines(tx, c->a, c->id, &c->lines, &c->nl);
    if (e == E_OK) e = store_budget_indicators(tx, c->a, c->id, &c->inds, &c->ni);
    if (e == E_OK) e = budget_gate_env_get(tx, c->a, &c->one, 0, &c->env);
    return e;
}

static int budget_show(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&show_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    budget_ctx bc = {.a = arena_new(), .id = atoll(c.args[0])};
    rc = 1;
    if (!cli_open(&c, &ap)) {
        err_code e = store_read(ap.st, show_fn, &bc);
        if (e == E_OK) {
            const store_budget_project *p = &bc.one;
            printf("#%lld %s（%lld 年，%s）\n%s · %s · 第 %lld 轮 · 申请 %s 元 · 版本 %lld\n",
                   (long long)p->id, p->name, (long long)p->year, p->unit_name,
                   budget_class_title(p->class_), state_title(&ap, p->state), (long long)p->round,
                   yuan(bc.a, p->fund_fiscal + p->fund_carryover + p->fund_other),
                   (long long)p->version);
            printf("测算表：\n");
            for (size_t i = 0; i < bc.nl; i++) {
                const store_budget_line *l = &bc.lines[i];
                char q[40];
                money_format(l->qty_milli, 3, q, sizeof q);
                printf("  %s%-20s %-6s %8s %-4s × %12s = %14s  %s\n", l->parent_id ? "  └ " : "",
                       l->item, l->kind, q, l->measure_unit, yuan(bc.a, l->price),
                       yuan(bc.a, l->amount), l->basis);
            }
            printf("绩效目标：\n");
            for (size_t i = 0; i < bc.ni; i++) {
                const store_budget_indicator *d = &bc.inds[i];
                char w[40];
                money_format(d->weight_milli, 3, w, sizeof w);
                printf("  %s/%s/%s%s %s %s %s（%s 分）\n", d->level1, d->level2, d->name,
                       *d->cost_kind ? arena_sprintf(bc.a, "〔%s〕", d->cost_kind) : "",
                       d->comparison, d->target, d->measure_unit, w);
            }
            budget_gate_result g;
            budget_gate_stored(bc.a, p, bc.lines, bc.nl, bc.inds, bc.ni, &bc.env, &g);
            if (g.n == 0) printf("机审：通过\n");
            for (size_t i = 0; i < g.n; i++)
                printf("机审问题 %zu：%s\n", i + 1, g.items[i].message);
            rc = 0;
        } else {
            rc = cli_fail("budget show", e, NULL);
        }
        app_close(&ap);
    }
    arena_free(bc.a);
    cli_free(&c);
    return rc;
}

static const cli_opt act_opts[] = {
    {"as", 1, "the login of the user who takes the action (required)"},
    {"fields", 1, "the action's form as a JSON object, e.g. '{\"opinion\":\"…\"}'"},
    {"version", 1, "the project's version as `budget show` printed it (required)"},
    {NULL, 0, NULL},
};
static const cli_spec act_spec = {"budget act", "ID ACTION --as LOGIN --version N [--fields JSON]",
                                  "Takes a flow action on a budget project as a user, with that "
                                  "user's permissions.",
                                  act_opts, 2, 2};

STORE_FN(user_fn, budget_ctx *c, store_user_by_login(tx, c->a, c->login, &c->user));

typedef struct {
    arena *a;
    principal *p;
} grants_ctx;

STORE_FN(grants_fn, grants_ctx *g, authz_load(tx, g->a, g->p));

static int budget_act_cmd(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&act_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    budget_ctx bc = {.a = arena_new(), .login = cli_opt_value(&act_spec, &c, "as")};
    const char *fields_text = cli_opt_value(&act_spec, &c, "fields");
    json_error_t jerr;
    json_t *fields = fields_text ? json_loads(fields_text, 0, &jerr) : NULL;
    int64_t version = 0;
    rc = 1;
    if (!bc.login) {
        fprintf(stderr, "duban budget act: --as LOGIN is required\n");
        rc = 2;
    } else if (!(version = cli_required_version(&act_spec, &c))) {
        rc = 2;
    } else if (fields_text && !json_is_object(fields)) {
        fprintf(stderr, "duban budget act: --fields: not a JSON object\n");
        rc = 2;
    } else if (!cli_open(&c, &ap)) {
        err_code e = store_read(ap.st, user_fn, &bc);
        principal p = {0};
        if (e == E_OK && bc.user.disabled) e = E_ACCOUNT_DISABLED;
        if (e == E_OK) {
            p = (principal){.user_id = bc.user.id, .unit_id = bc.user.unit_id,
                            .login = bc.user.login, .name = bc.user.name,
                            .unit_path = bc.user.unit_path, .ip = "cli"};
            grants_ctx g = {bc.a, &p};
            e = store_read(ap.st, grants_fn, &g);
        }
        budget_action_input in = {c.args[1], fields, NULL, 0, version};
        store_budget_project out;
        flow_refusal why = {{0}, {0}};
        budget_gate_result gate = {0};
        if (e == E_OK) e = budget_act(&ap, bc.a, &p, atoll(c.args[0]), &in, &out, &why, &gate);
        if (e == E_OK) {
            printf("budget %lld: %s\n", (long long)out.id, state_title(&ap, out.state));
            rc = 0;
        } else {
            fprintf(stderr, "duban budget act: %s%s%s (%s)\n", why.field[0] ? why.field : "",
                    why.field[0] ? ": " : "", why.message[0] ? why.message : err_message(e),
                    err_name(e));
            for (size_t i = 0; i < gate.n; i++)
                fprintf(stderr, "  %s\n", gate.items[i].message);
        }
        app_close(&ap);
    }
    json_decref(fields);
    arena_free(bc.a);
    cli_free(&c);
    return rc;
}

int cmd_budget(int argc, char **argv)
{
    static const cli_sub subs[] = {
        {"list", budget_list, "list budget projects"},
        {"show", budget_show, "show a project with its cost sheet, targets and gate"},
        {"act", budget_act_cmd, "take a flow action as a user"},
        {NULL, NULL, NULL},
    };
    return cli_dispatch("budget", subs, argc, argv);
}
