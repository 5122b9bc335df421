/*
 * monitor — 执行监控 of approved budget projects: during the year the department reports, as of
 * the end of a month, what has been paid to date out of the 批复 amount and the actual value of
 * each indicator so far. The report is judged against the time elapsed (month / 12): execution
 * or an indicator's completion behind that schedule by more than the yellow / red thresholds
 * (budget_setting monitor_yellow_points / monitor_red_points, percentage points, default 20 /
 * 40) flags it 黄 / 红, and a cost cap (≤, <) already exceeded flags it 红. A flagged report
 * needs the department's explanation and corrective measures. The scheduler's tick announces
 * every flagged report once to the department and to the finance bureau (a dedupe key per
 * report and user). All figures are integers: rates in permille, money in fen.
 */
#ifndef DUBAN_BUDGET_MONITOR_H
#define DUBAN_BUDGET_MONITOR_H

#include "budget/budget.h"

#include <stdint.h>

typedef enum { BUDGET_GREEN = 0, BUDGET_YELLOW = 1, BUDGET_RED = 2 } budget_flag;

/* "green" "yellow" "red" and their titles 绿 黄 红. */
const char *budget_flag_code(budget_flag f);
const char *budget_flag_title(budget_flag f);
/* The flag of a code, or -1. */
int budget_flag_of(const char *code);

/* The thresholds, in percentage points behind the time-proportional schedule. */
typedef struct {
    int64_t yellow, red;
} budget_thresholds;

/* The share of the year elapsed at the end of month (1…12), in permille, rounded down. */
int64_t budget_time_permille(int month);
/* spent of approved (> 0) in permille, rounded down; 0 when approved is not positive. */
int64_t budget_rate_permille(int64_t spent, int64_t approved);
/* The flag of a completion (permille) lagging the schedule time (permille): lag > red → 红 … */
budget_flag budget_lag_flag(int64_t completion, int64_t time, const budget_thresholds *t);

/*
 * One indicator's progress: actual against target under comparison. Quantitative (target and
 * actual exact decimals, thousandths): for ≥ > = the completion is actual / target (capped at
 * 1000 permille) judged by the lag rule; for ≤ < a value over (or, for <, at) the cap is 红 and
 * the completion is 1000 otherwise. 定性 is never flagged (completion -1).
 * 0, or -1 when actual is not a number (quantitative) or is empty.
 */
int budget_indicator_progress(const char *comparison, const char *target, const char *actual,
                              int64_t time, const budget_thresholds *t, int64_t *completion,
                              budget_flag *flag);

/* A value reported for one indicator. */
typedef struct {
    int64_t indicator_id;
    const char *actual;
} budget_monitor_value_input;

typedef struct {
    int month;
    int64_t spent; /* fen, paid to date */
    const budget_monitor_value_input *values;
    size_t nvalues;
    const char *explanation, *measures;
} budget_monitor_input;

typedef struct {
    int64_t id, monitor_id, indicator_id, completion; /* completion -1: 定性 */
    const char *actual, *flag;
    const char *name, *level1, *comparison, *target, *measure_unit; /* the indicator's */
} store_budget_monitor_value;

typedef struct {
    int64_t id, project_id, month, spent, exec_permille, time_permille, reported_by, reported_at;
    const char *flag, *reasons, *explanation, *measures;
} store_budget_monitor;

/* The monitoring list: an approved project with its latest report (month 0: none yet). */
typedef struct {
    store_budget_project p;
    store_budget_monitor m;
} store_budget_monitor_row;

/*
 * Records the department's report of an approved project (批复 or 公开; else
 * E_BUDGET_MONITOR_STATE): needs budget.apply over its unit. month 1…12, not after the clock's
 * month of the project's year, after every month reported before (E_BUDGET_MONITOR_DUP when
 * that month is reported); spent at least the last report's and at most the 批复 amount; each
 * value an indicator of the project, once. A flagged report without explanation or measures is
 * refused (E_FIELD_REQUIRED, *message says why). Audit and a flow event.
 */
err_code budget_monitor_report(app *ap, arena *a, const principal *p, int64_t project_id,
                               const budget_monitor_input *in, store_budget_monitor *out,
                               const char **bad_field, const char **message);
err_code budget_monitor_report_in(store_tx *tx, app *ap, arena *a, const principal *p,
                                  int64_t project_id, const budget_monitor_input *in,
                                  store_budget_monitor *out, const char **bad_field,
                                  const char **message);

/* The scheduler's part: announces each flagged report once; *sent the notifications added. */
err_code budget_monitor_tick(app *ap, arena *a, int64_t now, int *sent);

/* ---- store (sql.c) ---- */
err_code store_budget_monitor_insert(store_tx *tx, store_budget_monitor *m);
err_code store_budget_monitor_value_insert(store_tx *tx, store_budget_monitor_value *v);
/* A project's reports, by month. */
err_code store_budget_monitors(store_tx *tx, arena *a, int64_t project_id,
                               store_budget_monitor **out, size_t *n);
/* The values of a project's reports (all months), with their indicators. */
err_code store_budget_monitor_values(store_tx *tx, arena *a, int64_t project_id,
                                     store_budget_monitor_value **out, size_t *n);
/*
 * Approved and published projects under f (its scope, year, unit, class, q) with their latest
 * report; flag: NULL any, "none" not reported yet, else the latest report's flag.
 */
err_code store_budget_monitor_list(store_tx *tx, arena *a, const store_budget_filter *f,
                                   const char *flag, store_budget_monitor_row **out, size_t *n,
                                   int64_t *total);
/* Reports flagged yellow or red, with their projects (for the tick). */
err_code store_budget_monitor_flagged(store_tx *tx, arena *a, store_budget_monitor_row **out,
                                      size_t *n);

#endif
