/*
 * problem — the closed-loop problem list (问题清单, MECHANISMS.md §1) on the flow engine.
 *
 * A problem is registered with its responsible unit, deadline and mode (立行立改 or 持续推进),
 * then moves through flows/problem.json: 交办 → 签收 → 进展 → 申请销号 → 核查 → 销号 or 退回重办.
 * Each action is checked by the flow engine (state, permission over the problem's unit,
 * "outside the handling unit", "someone other than the claimant", fields, evidence), applies
 * its deadline effects on the working-day calendar, records a flow event and an audit record,
 * and recomputes whether the problem is overdue — all in one transaction.
 */
#ifndef DUBAN_PROBLEM_H
#define DUBAN_PROBLEM_H

#include "core/app.h"
#include "flow/flow.h"
#include "problem/problem_store.h"

extern const char *const problem_modes[2];       /* "immediate", "ongoing" */
extern const char *const problem_mode_titles[2]; /* "立行立改", "持续推进" */
/* The mode code for a code or Chinese title, or NULL. */
const char *problem_mode_code(const char *code_or_title);
const char *problem_mode_title(const char *code);

typedef struct {
    const char *source, *category, *title, *description, *found_on;
    const char *leader, *person, *measures, *goal, *mode, *subject, *note;
    int64_t unit_id, leader_user_id;
    const int64_t *counits;
    size_t ncounits;
    /* The deadline: a date, or a count of calendar or working days after found_on. */
    const char *deadline;
    int64_t deadline_days, deadline_workdays;
} problem_input;

/*
 * Checks an input without touching the database: texts, mode, dates, the deadline (computed
 * from days when given so) and the goal a 持续推进 problem needs. Gives the mode code, the
 * deadline date and whether it was computed in a year without holiday data.
 */
err_code problem_check_input(const app *ap, arena *a, const problem_input *in, const char **mode,
                             const char **deadline, int *estimated, const char **bad_field);

/*
 * Registers a problem (needs problem.register over its unit) in the flow's initial state.
 * On a bad input returns the error with *bad_field naming it.
 */
err_code problem_register(app *ap, arena *a, const principal *p, const problem_input *in,
                          store_problem *out, const char **bad_field);

/*
 * The same inside the caller's write transaction, for a mechanism that puts a problem on the
 * list together with its own records (a visit's request, an alliance meeting's problem): both
 * commit or neither does.
 */
err_code problem_register_in(store_tx *tx, app *ap, arena *a, const principal *p,
                             const problem_input *in, store_problem *out, const char **bad_field);

typedef struct {
    const char *action;
    json_t *fields;             /* the action's form (may be NULL) */
    const int64_t *attachments; /* evidence uploaded for this problem, not yet used */
    size_t nattachments;
    /* The version the actor saw: E_CONFLICT when the problem changed since, E_VERSION_REQUIRED
     * when 0 (a write without it would overwrite others' changes unseen). PROBLEM_VERSION_ANY
     * only for an action taken inside another step that has just read the problem (a look-back's
     * reopen) or by the demo generator, never for a user's own request. */
    int64_t version;
} problem_action_input;

#define PROBLEM_VERSION_ANY (-1)

/* Takes an action; on refusal *why says why (field and Chinese message). */
err_code problem_act(app *ap, arena *a, const principal *p, int64_t id,
                     const problem_action_input *in, store_problem *out, flow_refusal *why);

/* Reads a problem the principal may see (problem.read over its unit or a co-unit). */
err_code problem_get(app *ap, arena *a, const principal *p, int64_t id, store_problem *out);

/* The actions p may take on the problem now (guards only; forms are checked on submit). */
err_code problem_actions(app *ap, arena *a, const principal *p, const store_problem *pr,
                         const flow_action ***out, size_t *n);

/*
 * The users a field of type user may name on this problem: active users holding the field's
 * `holding` permission over the problem's unit (every active user in the problem's unit's
 * tree when it names none), in id order.
 */
err_code problem_field_users(app *ap, arena *a, const store_problem *pr, const flow_field *fl,
                             store_user **out, size_t *n);

/*
 * Completes a look-back task of p (the leader it was given to): "held" records that the
 * problem stayed solved; "reopened" reopens the problem (问题反弹) with the finding and a new
 * deadline through the flow's reopen action. *why explains a refusal.
 */
err_code problem_lookback_complete(app *ap, arena *a, const principal *p, int64_t task_id,
                                   const char *result, const char *finding,
                                   const char *new_deadline, flow_refusal *why);

/* Sets the overdue flag (and since when) from the deadline and today. */
void problem_refresh_overdue(arena *a, store_problem *pr, cal_day today);

/* 1 when the problem is open and its deadline's local day has ended by `today`. */
int problem_is_overdue(const store_problem *pr, cal_day today);

/* The problem list's flow (flows/problem.json, or the county's own; problem/mech.c). */
const flow_def *problem_flow_def(const app *ap);

#endif
