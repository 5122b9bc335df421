/*
 * monitor — 执行监控 (see monitor.h): the flags of a report computed from integers only, the
 * department's report written in one transaction (permission over the project's unit, the
 * checks of month, money and indicators, the values, a flow event, the audit record), and the
 * tick that announces flagged reports once.
 */
#include "budget/monitor.h"

#include "base/clock.h"
#include "base/jsonx.h"
#include "base/text.h"
#include "budget/money.h"
#include "flow/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const flag_codes[] = {"green", "yellow", "red"};
static const char *const flag_titles[] = {"绿", "黄", "红"};

const char *budget_flag_code(budget_flag f)
{
    return flag_codes[f];
}

const char *budget_flag_title(budget_flag f)
{
    return flag_titles[f];
}

int budget_flag_of(const char *code)
{
    for (int i = 0; code && i < 3; i++)
        if (strcmp(flag_codes[i], code) == 0) return i;
    return -1;
}

int64_t budget_time_permille(int month)
{
    if (month < 1) return 0;
    if (month > 12) return 1000;
    return (int64_t)month * 1000 / 12;
}

int64_t budget_rate_permille(int64_t spent, int64_t approved)
{
    if (approved <= 0 || spent <= 0) return 0;
    /* both at most BUDGET_FEN_MAX (10^15): the product fits in 128 bits */
    return (int64_t)((__int128)spent * 1000 / approved);
}

budget_flag budget_lag_flag(int64_t completion, int64_t time, const budget_thresholds *t)
{
    int64_t lag = time - completion; /* permille; the thresholds are points (× 10) */
    if (lag > t->red * 10) return BUDGET_RED;
    if (lag > t->yellow * 10) return BUDGET_YELLOW;
    return BUDGET_GREEN;
}

int budget_indicator_progress(const char *comparison, const char *target, const char *actual,
                              int64_t time, const budget_thresholds *t, int64_t *completion,
                              budget_flag *flag)
{
    *completion = -1;
    *flag = BUDGET_GREEN;
    if (!actual || !*actual) return -1;
    if (strcmp(comparison, "定性") == 0) return 0;
    int64_t a, g;
    if (money_parse(actual, 3, BUDGET_QTY_MAX * 1000, &a) != 0) return -1;
    if (!target || money_parse(target, 3, BUDGET_QTY_MAX * 1000, &g) != 0) return 0; /* unjudged */
    if (strcmp(comparison, "≤") == 0 || strcmp(comparison, "<") == 0) {
        int over = comparison[0] == '<' ? a >= g : a > g;
        *completion = 1000;
        *flag = over ? BUDGET_RED : BUDGET_GREEN;
        return 0;
    }
    if (g <= 0) {
        *completion = 1000;
        return 0;
    }
    int64_t c = (int64_t)((__int128)a * 1000 / g);
    *completion = c > 1000 ? 1000 : c;
    *flag = budget_lag_flag(*completion, time, t);
    return 0;
}

/* ---- the report ---- */

typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    int64_t id;
    const budget_monitor_input *in;
    store_budget_monitor *out;
    const char **field, **message;
} report_op;

static err_code refuse(report_op *op, const char *field, const char *message, err_code e)
{
    *op->field = field;
    *op->message = message;
    return e;
}

static err_code report_fn(store_tx *tx, void *ctx)
{
    report_op *op = ctx;
    arena *a = op->a;
    const budget_monitor_input *in = op->in;
    store_budget_project pr;
    err_code e = store_budget_get(tx, a, op->id, &pr);
    if (e != E_OK) return e;
    if (!authz_can(op->p, "budget.read", pr.unit_path) &&
        !authz_can(op->p, "budget.apply", pr.unit_path))
        return E_NOT_FOUND;
    if (!authz_can(op->p, "budget.apply", pr.unit_path)) return E_FORBIDDEN;
    if ((strcmp(pr.state, "approved") != 0 && strcmp(pr.state, "published") != 0) ||
        pr.approved_amount <= 0)
        return E_BUDGET_MONITOR_STATE;
    int64_t now = clock_now();
    cal_day today = cal_local_day(now);
    char day[11];
    cal_format(today, day);
    int year = atoi(day), month = atoi(day + 5);
    if (pr.year > year || (pr.year == year && in->month > month))
        return refuse(op, "month", "不能报送尚未到来的月份的执行情况", E_FIELD_INVALID);
    store_budget_monitor *ms;
    size_t nm;
    e = store_budget_monitors(tx, a, pr.id, &ms, &nm);
    if (e != E_OK) return e;
    int64_t last_spent = 0;
    for (size_t i = 0; i < nm; i++) {
        if (ms[i].month == in->month) return E_BUDGET_MONITOR_DUP;
        if (ms[i].month > in->month)
            return refuse(op, "month",
                          arena_sprintf(a, "已报送 %lld 月的执行情况，不能补报更早的月份",
                                        (long long)ms[i].month),
                          E_FIELD_INVALID);
        last_spent = ms[i].spent;
    }
    if (in->spent < last_spent)
        return refuse(op, "spent", "累计支付数不能少于上次报送的累计数", E_FIELD_INVALID);
    if (in->spent > pr.approved_amount)
        return refuse(op, "spent", "累计支付数不能超过批复金额", E_FIELD_INVALID);
    store_budget_indicator *inds;
    size_t ni;
    e = store_budget_indicators(tx, a, pr.id, &inds, &ni);
    if (e != E_OK) return e;
    budget_thresholds th;
    e = store_budget_setting(tx, "monitor_yellow_points", 20, &th.yellow);
    if (e == E_OK) e = store_budget_setting(tx, "monitor_red_points", 40, &th.red);
    if (e != E_OK) return e;
    int64_t time = budget_time_permille(in->month);
    int64_t exec = budget_rate_permille(in->spent, pr.approved_amount);
    budget_flag worst = budget_lag_flag(exec, time, &th);
    char reasons[2048] = "";
    size_t rl = 0;
    if (worst != BUDGET_GREEN)
        rl += (size_t)snprintf(reasons + rl, sizeof reasons - rl,
                               "执行率 %lld.%lld%%，时间进度 %lld.%lld%%；",
                               (long long)(exec / 10), (long long)(exec % 10),
                               (long long)(time / 10), (long long)(time % 10));
    store_budget_monitor_value *vals = arena_alloc(a, (in->nvalues + 1) * sizeof *vals);
    for (size_t i = 0; i < in->nvalues; i++) {
        const store_budget_indicator *ind = NULL;
        for (size_t k = 0; k < ni; k++)
            if (inds[k].id == in->values[i].indicator_id) ind = &inds[k];
        const char *f = arena_sprintf(a, "values:%d:indicator_id", (int)i + 1);
        if (!ind) return refuse(op, f, "不是本项目的绩效指标", E_FIELD_INVALID);
        for (size_t k = 0; k < i; k++)
            if (in->values[k].indicator_id == ind->id)
                return refuse(op, f, "同一指标只能填报一次", E_FIELD_INVALID);
        int64_t c;
        budget_flag fl;
        if (budget_indicator_progress(ind->comparison, ind->target, in->values[i].actual, time,
                                      &th, &c, &fl) != 0)
            return refuse(op, arena_sprintf(a, "values:%d:actual", (int)i + 1),
                          arena_sprintf(a, "指标“%s”的实际值须为数字（不带单位）", ind->name),
                          E_FIELD_INVALID);
        vals[i] = (store_budget_monitor_value){.indicator_id = ind->id,
                                               .actual = in->values[i].actual,
                                               .completion = c,
                                               .flag = budget_flag_code(fl)};
        if (fl != BUDGET_GREEN && rl < sizeof reasons - 200)
            rl += (size_t)snprintf(reasons + rl, sizeof reasons - rl, "%s %s%s（目标 %s%s）；",
                                   ind->name, in->values[i].actual, ind->measure_unit,
                                   ind->comparison, ind->target);
        if (fl > worst) worst = fl;
    }
    if (rl >= 3) reasons[rl - 3] = '\0'; /* the last "；" */
    if (worst != BUDGET_GREEN) {
        const char *msg = arena_sprintf(a, "本期执行监控为%s色预警（%s），须填写偏差原因和整改措施",
                                        budget_flag_title(worst), reasons);
        if (!in->explanation || !*in->explanation)
            return refuse(op, "explanation", msg, E_FIELD_REQUIRED);
        if (!in->measures || !*in->measures) return refuse(op, "measures", msg, E_FIELD_REQUIRED);
    }
    store_budget_monitor *m = op->out;
    *m = (store_budget_monitor){.project_id = pr.id,
                                .month = in->month,
                                .spent = in->spent,
                                .exec_permille = exec,
                                .time_permille = time,
                                .flag = budget_flag_code(worst),
                                .reasons = arena_strdup(a, reasons),
                                .explanation = in->explanation ? in->explanation : "",
                                .measures = in->measures ? in->measures : "",
                                .reported_by = op->p->user_id,
                                .reported_at = now};
    e = store_budget_monitor_insert(tx, m);
    for (size_t i = 0; e == E_OK && i < in->nvalues; i++) {
        vals[i].monitor_id = m->id;
        e = store_budget_monitor_value_insert(tx, &vals[i]);
    }
    if (e != E_OK) return e;
    json_t *f = json_pack("{sI sI sI ss}", "month", (json_int_t)in->month, "spent",
                          (json_int_t)in->spent, "exec_permille", (json_int_t)exec, "flag",
                          m->flag);
    char *fields = jsonx_dump(f);
    store_event ev = {.flow = "budget",
                      .item_id = pr.id,
                      .action = "monitor",
                      .from_state = pr.state,
                      .to_state = pr.state,
                      .actor_id = op->p->user_id,
                      .actor = op->p->login,
                      .at = now,
                      .fields = arena_strdup(a, fields)};
    free(fields);
    e = store_event_insert(tx, &ev);
    if (e != E_OK) {
        json_decref(f);
        return e;
    }
    return app_audit(op->ap, tx, a, op->p, "budget.monitor",
                     arena_sprintf(a, "budget:%lld", (long long)pr.id), f);
}

static err_code report_check(arena *a, const budget_monitor_input *in, const char **field,
                             const char **message)
{
    (void)a;
    *field = NULL;
    *message = NULL;
    if (in->month < 1 || in->month > 12) {
        *field = "month";
        *message = "月份须为 1 至 12";
        return E_FIELD_INVALID;
    }
    if (in->spent < 0 || in->spent > BUDGET_FEN_MAX) {
        *field = "spent";
        return E_FIELD_INVALID;
    }
    if (text_check_field(in->explanation, 2000, 0) != E_OK) {
        *field = "explanation";
        return E_FIELD_TOO_LONG;
    }
    if (text_check_field(in->measures, 2000, 0) != E_OK) {
        *field = "measures";
        return E_FIELD_TOO_LONG;
    }
    for (size_t i = 0; i < in->nvalues; i++)
        if (text_check_field(in->values[i].actual, 200, 0) != E_OK) {
            *field = arena_sprintf(a, "values:%d:actual", (int)i + 1);
            return E_FIELD_TOO_LONG;
        }
    return E_OK;
}

err_code budget_monitor_report(app *ap, arena *a, const principal *p, int64_t project_id,
                               const budget_monitor_input *in, store_budget_monitor *out,
                               const char **bad_field, const char **message)
{
    return budget_monitor_report_in(NULL, ap, a, p, project_id, in, out, bad_field, message);
}

err_code budget_monitor_report_in(store_tx *tx, app *ap, arena *a, const principal *p,
                                  int64_t project_id, const budget_monitor_input *in,
                                  store_budget_monitor *out, const char **bad_field,
                                  const char **message)
{
    err_code e = report_check(a, in, bad_field, message);
    if (e != E_OK) return e;
    report_op op = {ap, a, p, project_id, in, out, bad_field, message};
    return tx ? report_fn(tx, &op) : store_write(ap->st, report_fn, &op);
}

/* ---- the tick ---- */

typedef struct {
    arena *a;
    int64_t now;
    int sent;
} tick_ctx;

static err_code notify_all(tick_ctx *t, store_tx *tx, const store_budget_monitor_row *row,
                           const char *perm, const char *title, const char *body)
{
    int64_t *ids;
    size_t n;
    err_code e = store_users_with_perm(tx, t->a, perm, row->p.unit_path, 0, &ids, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        store_notification note = {.user_id = ids[i], .kind = "budget_monitor", .flow = "budget",
                                   .item_id = row->p.id, .title = title, .body = body,
                                   .created_at = t->now};
        int added = 0;
        e = store_notification_add(tx, &note,
                                   arena_sprintf(t->a, "budget.monitor:%lld:%lld",
                                                 (long long)row->m.id, (long long)ids[i]),
                                   &added);
        t->sent += added;
    }
    return e;
}

static err_code tick_fn(store_tx *tx, void *ctx)
{
    tick_ctx *t = ctx;
    store_budget_monitor_row *rows;
    size_t n;
    err_code e = store_budget_monitor_flagged(tx, t->a, &rows, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        const store_budget_monitor_row *r = &rows[i];
        budget_flag f = budget_flag_of(r->m.flag) == BUDGET_RED ? BUDGET_RED : BUDGET_YELLOW;
        const char *title = arena_sprintf(t->a, "执行监控%s色预警：%s（%lld 月）",
                                          budget_flag_title(f), r->p.name, (long long)r->m.month);
        const char *body = arena_sprintf(t->a, "%s。偏差原因：%s 整改措施：%s", r->m.reasons,
                                         r->m.explanation, r->m.measures);
        e = notify_all(t, tx, r, "budget.apply", title, body);
        if (e == E_OK) e = notify_all(t, tx, r, "budget.review", title, body);
    }
    return e;
}

err_code budget_monitor_tick(app *ap, arena *a, int64_t now, int *sent)
{
    tick_ctx t = {a, now, 0};
    err_code e = store_write(ap->st, tick_fn, &t);
    *sent = t.sent;
    return e;
}
