/*
 * study — the study and outreach registry (理论学习与宣讲, MECHANISMS.md §2): its rules and its
 * changes. Rules are pure functions (三定一分享 compliance of a branch's month, days since a
 * member last led); changes check the caller's permission over the unit inside the write
 * transaction, validate what users typed, write, and audit — the API and the CLI both call
 * these, never the store directly.
 *
 * Every change returns E_OK, or an error with *bad_field naming the input at fault (NULL when
 * none): E_FORBIDDEN (no permission over the unit), E_NOT_FOUND (a referenced record missing),
 * E_FIELD_* (invalid input), E_DUPLICATE, E_CONFLICT (stale version).
 */
#ifndef DUBAN_STUDY_H
#define DUBAN_STUDY_H

#include "core/app.h"
#include "study/study_store.h"

/* ---- rules ---- */

/* The ranks a person may have, in display order; NULL-terminated. */
extern const char *const study_ranks[];
int study_rank_valid(const char *rank);

typedef struct {
    int64_t fixed_day;     /* 0: the branch declared none */
    int64_t sessions;      /* branch study sessions in the month */
    int held_on_fixed_day; /* a session on the fixed day (the month's last day for 29–31) */
    int one_topic;         /* every session of the month has the same, non-empty topic */
    int one_lead;          /* a designated lead (领学人) for every session */
    int all_shared;        /* everyone present shared (人人分享), and someone was present */
    int compliant;         /* all four */
} study_compliance;

/*
 * 三定一分享 for one branch and month from its sessions of that month (any order).
 * A month without a session is non-compliant on every count.
 */
study_compliance study_branch_compliance(int64_t fixed_day, int year, int month,
                                         const store_branch_session *s, size_t n);

/* Whole days from date to today (both YYYY-MM-DD); -1 when date is empty or invalid. */
int64_t study_days_since(const char *date, const char *today);

/* ---- changes ---- */

err_code study_person_save(app *ap, arena *a, const principal *p, store_person *x, int create,
                           const char **bad_field);
err_code study_activity_save(app *ap, arena *a, const principal *p, store_activity *x, int create,
                             const char **bad_field);
/* Replaces an activity's attendance; each person must belong to the activity's unit subtree. */
err_code study_attendance_set(app *ap, arena *a, const principal *p, int64_t activity_id,
                              const store_attendance *rows, size_t n, const char **bad_field);
err_code study_reflection_add(app *ap, arena *a, const principal *p, store_reflection *r,
                              const char **bad_field);
err_code study_output_add(app *ap, arena *a, const principal *p, store_output *o,
                          const char **bad_field);
/*
 * 列席旁听: records an observation of an activity and one feedback item per issue, each due
 * `workdays` working days from today for the activity's unit to answer.
 */
err_code study_observe(app *ap, arena *a, const principal *p, store_observation *o,
                       const char *const *issues, size_t nissues, int64_t workdays,
                       const char **bad_field);
/* Answers feedback through flows/feedback.json; why carries the flow's refusal. */
err_code study_feedback_answer(app *ap, arena *a, const principal *p, int64_t id, json_t *fields,
                               store_feedback *out, flow_refusal *why);
/* A branch's fixed study day (unit of kind branch). */
err_code study_branch_set(app *ap, arena *a, const principal *p, int64_t unit_id, int64_t fixed_day,
                          const char **bad_field);
err_code study_plan_create(app *ap, arena *a, const principal *p, store_plan *plan,
                           const store_plan_topic *topics, size_t n, const char **bad_field);
err_code study_plan_set_topics(app *ap, arena *a, const principal *p, int64_t plan_id,
                               const store_plan_topic *topics, size_t n, const char **bad_field);
err_code study_kind_add(app *ap, arena *a, const principal *p, const store_activity_kind *k,
                        const char **bad_field);
/* Adds to one of the outreach registries: table "brand", "team" (with members), "edu_site" or
 * "site_visit". */
err_code study_registry_add(app *ap, arena *a, const principal *p, const char *table,
                            store_outreach_row *row, const int64_t *members, size_t nmembers,
                            const char **bad_field);

/*
 * The scheduler's part: flags open feedback past its deadline and notifies the unit's
 * answerers; on the first tick of a month, notifies the clerks of branches that missed
 * 三定一分享 last month. Counts what it did (either may be NULL).
 */
err_code study_tick(app *ap, arena *a, int64_t now, int *overdue, int *noncompliant);

/* The flow of observers' feedback (flows/feedback.json, or the county's own; study/mech.c). */
const flow_def *study_feedback_flow(const app *ap);

#endif
