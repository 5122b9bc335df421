/*
 * study_store — the records and store operations of the study and outreach registry
 * (理论学习与宣讲): persons, activity kinds, study plans, activities with attendance,
 * reflections and outputs, observations and their feedback, branches' fixed days, outreach
 * brands, teams, sites and visits, and the figures over them (study/sql.c, study/sql_review.c),
 * each run inside a transaction of store.h; `scope` arguments are a principal's JSON array of
 * unit paths (NULL: everywhere), `subtree` a unit path or NULL.
 */
#ifndef DUBAN_STUDY_STORE_H
#define DUBAN_STUDY_STORE_H

#include "store/store.h"

/* ---- persons ---- */
typedef struct {
    int64_t id, unit_id, party_member, created_at, version;
    const char *name, *position, *rank;
    const char *unit_name, *unit_path; /* read only */
} store_person;

typedef struct {
    const char *scope, *subtree, *q, *rank;
    int party_member;  /* -1 any, 0 no, 1 yes */
    int64_t unit_only; /* a unit id: its own persons only (0: the subtree) */
    int64_t limit, offset;
} store_person_filter;

err_code store_person_insert(store_tx *tx, store_person *p); /* sets id; E_DUPLICATE */
err_code store_person_get(store_tx *tx, arena *a, int64_t id, store_person *out);
/* Writes name, position, rank, party_member, unit_id when p->version matches (E_CONFLICT). */
err_code store_person_update(store_tx *tx, store_person *p);
err_code store_person_list(store_tx *tx, arena *a, const store_person_filter *f, store_person **out,
                           size_t *n, int64_t *total);

/* ---- activity kinds ---- */
typedef struct {
    const char *name, *title, *category;
    int64_t builtin;
} store_activity_kind;

err_code store_activity_kinds(store_tx *tx, arena *a, store_activity_kind **out, size_t *n);
err_code store_activity_kind_get(store_tx *tx, arena *a, const char *name,
                                 store_activity_kind *out);
err_code store_activity_kind_insert(store_tx *tx, const store_activity_kind *k);

/* ---- study plans ---- */
typedef struct {
    int64_t id, unit_id, year, created_at;
    const char *title, *unit_name, *unit_path;
} store_plan;

typedef struct {
    int64_t id, plan_id, month, planned;
    const char *topic;
} store_plan_topic;

err_code store_plan_insert(store_tx *tx, store_plan *p); /* E_DUPLICATE: one per unit and year */
err_code store_plan_get(store_tx *tx, arena *a, int64_t id, store_plan *out);
err_code store_plan_list(store_tx *tx, arena *a, const char *scope, const char *subtree,
                         int64_t year, store_plan **out, size_t *n);
err_code store_plan_topics(store_tx *tx, arena *a, int64_t plan_id, store_plan_topic **out,
                           size_t *n);
/* Replaces the plan's topics with topics[0..n). */
err_code store_plan_set_topics(store_tx *tx, int64_t plan_id, const store_plan_topic *topics,
                               size_t n);
/* Sessions of categories study and discussion held by the unit itself, per month 1..12 of year. */
err_code store_plan_held(store_tx *tx, int64_t unit_id, int64_t year, int64_t held[13]);

/* ---- activities ---- */
typedef struct {
    int64_t id, unit_id, lead_person_id, plan_id, brand_id, team_id, audience, created_by,
        created_at, version;
    const char *kind, *held_on, *topic, *lead_name, *place, *minutes;
    /* read only */
    const char *kind_title, *category, *unit_name, *unit_path, *brand_name, *team_name;
    int64_t present, absent, shared;
} store_activity;

typedef struct {
    const char *scope, *subtree, *kind, *category, *from, *to, *q;
    int64_t brand_id, team_id, unit_only;
    int member_lecture; /* 1: 党课 given by an ordinary party member */
    int64_t limit, offset;
} store_activity_filter;

err_code store_activity_insert(store_tx *tx, store_activity *x); /* sets id */
err_code store_activity_get(store_tx *tx, arena *a, int64_t id, store_activity *out);
/* Writes the editable columns when x->version matches (E_CONFLICT); bumps the version. */
err_code store_activity_update(store_tx *tx, store_activity *x);
err_code store_activity_list(store_tx *tx, arena *a, const store_activity_filter *f,
                             store_activity **out, size_t *n, int64_t *total);

typedef struct {
    int64_t person_id, present, shared;
    const char *absence_reason;
    const char *name, *position, *rank; /* read only */
    int64_t unit_id;                    /* read only: the person's unit */
} store_attendance;

/* Replaces the activity's attendance with rows[0..n). */
err_code store_attendance_set(store_tx *tx, int64_t activity_id, const store_attendance *rows,
                              size_t n);
err_code store_attendance_list(store_tx *tx, arena *a, int64_t activity_id, store_attendance **out,
                               size_t *n);

typedef struct {
    int64_t id, activity_id, person_id, created_by, created_at;
    const char *text, *person_name;
} store_reflection;

err_code store_reflection_insert(store_tx *tx, store_reflection *r);
err_code store_reflection_list(store_tx *tx, arena *a, int64_t activity_id, store_reflection **out,
                               size_t *n);

typedef struct {
    int64_t id, unit_id, activity_id, created_at;
    const char *kind, *title, *author, *published_on, *unit_name;
} store_output;

typedef struct {
    const char *scope, *subtree, *from, *to;
    int64_t activity_id, limit, offset;
} store_output_filter;

err_code store_output_insert(store_tx *tx, store_output *o);
err_code store_output_list(store_tx *tx, arena *a, const store_output_filter *f, store_output **out,
                           size_t *n, int64_t *total);

/* ---- observations (列席旁听) and feedback ---- */
typedef struct {
    int64_t id, activity_id, created_by, created_at;
    const char *observer, *observer_body, *rating, *comment;
} store_observation;

typedef struct {
    int64_t id, observation_id, unit_id, deadline_estimated, overdue, answered_at, created_by,
        created_at, version;
    const char *issue, *state, *deadline, *answer;
    /* read only */
    int64_t activity_id;
    const char *activity_topic, *activity_held_on, *observer, *unit_name, *unit_path;
} store_feedback;

typedef struct {
    const char *scope, *subtree, *state;
    int overdue;
    int64_t activity_id, limit, offset;
} store_feedback_filter;

err_code store_observation_insert(store_tx *tx, store_observation *o);
err_code store_observation_list(store_tx *tx, arena *a, int64_t activity_id,
                                store_observation **out, size_t *n);
err_code store_feedback_insert(store_tx *tx, store_feedback *f);
err_code store_feedback_get(store_tx *tx, arena *a, int64_t id, store_feedback *out);
/* Writes state, answer, answered_at, overdue when f->version matches; bumps the version. */
err_code store_feedback_update(store_tx *tx, store_feedback *f);
err_code store_feedback_list(store_tx *tx, arena *a, const store_feedback_filter *f,
                             store_feedback **out, size_t *n, int64_t *total);
/* Open feedback whose deadline is before `today` and not yet flagged: flags it, returns it. */
err_code store_feedback_mark_overdue(store_tx *tx, arena *a, const char *today,
                                     store_feedback **out, size_t *n);

/* ---- branches (三定一分享) ---- */
err_code store_branch_rule_set(store_tx *tx, int64_t unit_id, int64_t fixed_day, int64_t at);

typedef struct {
    int64_t unit_id, fixed_day; /* 0: not declared */
    const char *name, *path;
} store_branch;

/* Branches (units of kind branch) in scope and under subtree, with their fixed days. */
err_code store_branches(store_tx *tx, arena *a, const char *scope, const char *subtree,
                        store_branch **out, size_t *n);

typedef struct {
    int64_t id, unit_id, lead_person_id, present, shared;
    const char *held_on, *topic, *lead_name;
} store_branch_session;

/* The branch study sessions (三会一课, 主题党日) of the given units within [from, to]. */
err_code store_branch_sessions(store_tx *tx, arena *a, const char *scope, const char *subtree,
                               const char *from, const char *to, store_branch_session **out,
                               size_t *n);

typedef struct {
    int64_t person_id, led_count;
    const char *name, *position, *last_led; /* last_led "" when never */
} store_rotation_row;

/* The branch's party members and when each last led one of its sessions. */
err_code store_rotation(store_tx *tx, arena *a, int64_t branch_id, store_rotation_row **out,
                        size_t *n);

/* ---- outreach: brands, teams, sites, visits ---- */
typedef struct {
    int64_t id, unit_id, brand_id, created_at, members, visitors, site_id;
    const char *name, *description, *address, *unit_name, *brand_name, *visited_on, *topic,
        *site_name;
} store_outreach_row; /* one shape for the four small registries; unused fields are zero */

err_code store_brand_insert(store_tx *tx, store_outreach_row *b);
err_code store_brand_list(store_tx *tx, arena *a, const char *scope, store_outreach_row **out,
                          size_t *n);
err_code store_team_insert(store_tx *tx, store_outreach_row *t, const int64_t *members,
                           size_t nmembers);
err_code store_team_list(store_tx *tx, arena *a, const char *scope, store_outreach_row **out,
                         size_t *n);
err_code store_team_members(store_tx *tx, arena *a, int64_t team_id, store_person **out, size_t *n);
err_code store_site_insert(store_tx *tx, store_outreach_row *s);
err_code store_site_list(store_tx *tx, arena *a, const char *scope, store_outreach_row **out,
                         size_t *n);
err_code store_visit_insert(store_tx *tx, store_outreach_row *v);
err_code store_visit_list(store_tx *tx, arena *a, const char *scope, const char *from,
                          const char *to, store_outreach_row **out, size_t *n);
/* A registry row's unit path by table ("brand", "team", "edu_site"): for scope checks. */
err_code store_outreach_unit(store_tx *tx, arena *a, const char *table, int64_t id,
                             int64_t *unit_id, const char **path);

/* ---- figures ---- */
typedef enum { SG_KIND, SG_UNIT, SG_MONTH, SG_TOTAL } study_grouping;

typedef struct {
    const char *key, *label;
    int64_t sessions, discussions, lectures, outreach, audience, present, expected,
        member_lecturers, outputs, visits, visitors;
} store_study_group;

/*
 * Figures of the activities matching f (kind, category, from, to, scope, subtree) grouped by
 * g; for SG_UNIT, by the child of `parent_path` each unit lies under. Outputs and site visits
 * are counted by their own dates and units.
 */
err_code store_study_stats(store_tx *tx, arena *a, const store_activity_filter *f, study_grouping g,
                           const char *parent_path, store_study_group **out, size_t *n);

#endif
