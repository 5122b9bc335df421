/*
 * liaison_int — what the liaison mechanism's own files share and nobody else includes: the
 * register engine's descriptors (reg.c), the handlers listed in routes.c, and the helpers
 * visits, figures, the tick and the demo have in common.
 *
 * The register engine: each register (persons, enterprises, assignments, stations, alliances,
 * teams, rotation, meetings, activities) is one table described by its columns (type, limits,
 * choices, references) and its link tables (an assignment's persons and enterprises, an
 * alliance's members and departments …). From the description the engine builds its SQL once
 * (portable: ?N parameters, {in_scope}, {in_subtree}, {instr}), checks a body against it
 * (unknown fields, types, lengths, dates, choices, references within the caller's scope),
 * writes it with its audit record in one transaction, and reads it back as JSON in which people
 * are named with their unit and codes carry their Chinese titles.
 */
#ifndef DUBAN_LIAISON_INT_H
#define DUBAN_LIAISON_INT_H

#include "api/api.h"
#include "core/mech.h"
#include "liaison/liaison.h"
#include "store/sq.h"

#include <jansson.h>

typedef enum {
    LT_TEXT,   /* text up to max characters (0: 200) */
    LT_INT,    /* an integer in [0, max] (max 0: any non-negative) */
    LT_FLAG,   /* 0/1 (JSON true/false or 0/1) */
    LT_DATE,   /* YYYY-MM-DD; with past, not after today */
    LT_MONTH,  /* YYYY-MM */
    LT_CHOICE, /* one of codes (or its title), stored as the code */
    LT_CODE,   /* a code of the data table ref (code, title), e.g. liaison_category */
    LT_USER,   /* a user id (an active user), shown as 姓名（单位） */
    LT_REF,    /* the id of a record of the register ref ("enterprise") or of a unit ("unit") */
} ltype;

typedef struct {
    const char *name, *title;
    ltype type;
    int required;
    int max;
    const char *const *codes;  /* LT_CHOICE: codes, NULL-terminated */
    const char *const *titles; /* LT_CHOICE: their titles */
    const char *ref;           /* LT_CODE: its table; LT_REF: a register name or "unit" */
    int past;                  /* LT_DATE: not after today */
    int filter;                /* a list filter ?name= (exact) */
} lcol;

typedef struct {
    const char *key;   /* the body's array of ids: "enterprise_ids" */
    const char *out;   /* the reply's array of {id, name}: "enterprises" */
    const char *table; /* (owner_id, ref_id) */
    const char *ref;   /* a register name, or "unit" */
    const char *title;
} llink;

typedef struct lreg lreg;
typedef struct {
    app *ap;
    arena *a;
    const principal *p;
    const lreg *reg;
    const char **bad_field;
} lctx;

/* Sets *c->bad_field to an arena copy of field; returns e. */
err_code liaison_fail(lctx *c, err_code e, const char *field);

struct lreg {
    const char *name;   /* "person": its audit objects are liaison_person:<id> */
    const char *path;   /* the route segment: "persons" */
    const char *table;  /* "liaison_person" */
    const char *title;  /* "统战对象" */
    const char *read_perm;
    const char *parent; /* a register whose <parent>_id column gives the unit, or NULL */
    const lcol *cols;   /* the columns besides id, unit_id, created_at, version */
    size_t ncols;
    const llink *links;
    size_t nlinks;
    const char *label;  /* the column that names a record ("name", "topic", "title") */
    const char *date;   /* a date column filtered by ?from= and ?to=, or NULL */
    /* Further rules of the register on the row about to be written (may be NULL). */
    err_code (*check)(lctx *c, store_tx *tx, json_t *row);
};

/* The register named name (or whose route segment is name); NULL when none is. */
const lreg *liaison_reg(const char *name);

/* The path of the unit a register's record belongs to; E_NOT_FOUND when there is none. */
err_code liaison_record_path(store_tx *tx, arena *a, const lreg *g, int64_t id, int64_t *unit_id,
                             const char **path);
/* One record as the API shows it (a new reference), for p (person names masked without
 * liaison.person over the person's unit). */
err_code liaison_record_json(store_tx *tx, arena *a, const principal *p, const lreg *g,
                             int64_t id, json_t **out);

typedef struct {
    const char *scope;   /* authz_scope of the read permission */
    const char *subtree; /* ?unit_id= */
    json_t *eq;          /* column → value (string or integer) for exact filters */
    const char *q, *from, *to;
    int64_t limit, offset;
} lfilter;
/* A page of records (JSON objects appended to items) and the total matching. */
err_code liaison_record_list(store_tx *tx, arena *a, const principal *p, const lreg *g,
                             const lfilter *f, json_t *items, int64_t *total);

/* A record's fields (JSON), checked and written with its links and audit record; sets *id. */
err_code liaison_record_save(lctx *c, store_tx *tx, json_t *body, int64_t id, int64_t *out_id,
                             int64_t *version);

/* The user as 姓名（单位） (for texts and notifications). */
const char *liaison_user_label(store_tx *tx, arena *a, int64_t user_id);
/* A setting of the mechanism (liaison_setting), dflt when absent. */
err_code liaison_setting_get(store_tx *tx, const char *key, int64_t dflt, int64_t *v);
/* The caller's audit record of a change of this mechanism ("liaison.<what>"). */
err_code liaison_audit(const lctx *c, store_tx *tx, const char *action, const char *kind,
                       int64_t id, json_t *detail);
/* Chinese title of a code of a choice column of a register ("" when unknown). */
const char *liaison_choice_title(const char *reg, const char *col, const char *code);

/* The reply for a refused change (a missing reference is the field's fault). */
err_code liaison_reply_change(http_req *r, err_code e, const char *bad_field);
/* The body of a request as a JSON object (the caller decrefs it), else bad_json. */
err_code liaison_body(http_req *r, json_t **out);

/* Runs fn as one write transaction of the mechanism (lctx in ctx). */
err_code liaison_write(app *ap, arena *a, const principal *p, const char **bad_field, void *ctx,
                       store_fn fn);

/* ---- visits and their plans (visits.c) ---- */

/* One target of an assignment or station: a person or an enterprise. */
typedef struct {
    int64_t owner_id, person_id, enterprise_id, unit_id, cadre_user_id;
    const char *name, *name_path; /* the target's name and its own unit's path */
    const char *unit_path, *unit_name, *starts_on, *ends_on;
    int freq, festivals;
} liaison_target;

/*
 * Targets of the assignments in scope (NULL: all) or of one cadre (cadre > 0) or one
 * assignment (assignment_id > 0), with their plan, in assignment and target order.
 */
err_code liaison_targets(store_tx *tx, arena *a, const char *scope, int64_t cadre,
                         int64_t assignment_id, liaison_target **out, size_t *n);
/* The days of visits of a target on an assignment, ascending. */
err_code liaison_target_visits(store_tx *tx, arena *a, const liaison_target *t, cal_day **days,
                               size_t *n);

/* A visit as recorded (strings may be NULL: empty). */
typedef struct {
    int64_t assignment_id, station_id, person_id, enterprise_id;
    const char *visited_on, *form, *companions, *thoughts, *suggestions, *requests, *help;
} visit_body;
/* Records a visit as p (the API and the demo): the owner's own cadre or the 统战 office. */
err_code liaison_visit_add(app *ap, arena *a, const principal *p, const visit_body *b, int64_t *id,
                           const char **bad_field);
/* Who may act for an assignment or station at path: the 统战 office (liaison.write), or its own
 * cadre holding perm there (E_LIAISON_NOT_OWN for another cadre, E_FORBIDDEN without perm). */
err_code liaison_owner_access(const principal *p, const char *perm, const char *path,
                              int64_t cadre);
/* A problem of the list as the visit and the alliance show it: its state (title), deadline,
 * overdue flag and handling unit; null when there is none. */
json_t *liaison_problem_json(store_tx *tx, arena *a, const app *ap, int64_t problem_id);

/* The target's name as p may see it (a person's only with liaison.person over them). */
const char *liaison_target_name(const principal *p, const liaison_target *t);

/* ---- figures (stats.c) ---- */

/* The span of the figures: a year, one of its quarters or one of its months. */
typedef struct {
    int year, quarter, month; /* quarter, month 0: not narrowed */
    cal_day from, to;
    char from_text[11], to_text[11];
    char title[32]; /* "2025年", "2025年第一季度", "2025年3月" */
} liaison_window;
/* The window of a year (2000..2100), narrowed to a quarter (1..4) or a month (1..12), not
 * both (0: not narrowed); E_BAD_QUERY otherwise. */
err_code liaison_window_set(liaison_window *w, int year, int quarter, int month);
/* ?year= (this year by default), ?quarter=1..4 or ?month=1..12 (not both): the window. */
err_code liaison_window_query(http_req *r, liaison_window *w);

/* Called for each target in scope (pd NULL) and then for each of its periods due in the window
 * that has begun by today, with the target's status in it. */
typedef void (*liaison_plan_fn)(void *ctx, store_tx *tx, const liaison_target *t,
                                const liaison_period *pd, liaison_status s);
/* Walks the visit plans of the assignments in scope (NULL: all) under subtree (NULL: all):
 * the one walk the figures and the list behind them (GET /liaison/plan) share. */
err_code liaison_plan_walk(store_tx *tx, arena *a, const app *ap, const char *scope,
                           const char *subtree, cal_day from, cal_day to, liaison_plan_fn fn,
                           void *ctx);
/* The figures of the window for p's scope (unit_id > 0: that unit's subtree). */
err_code liaison_stats(app *ap, arena *a, const principal *p, int64_t unit_id,
                       const liaison_window *w, json_t **out);
/* A count as the reports write it ("2000余"). */
const char *liaison_count_text(arena *a, int64_t n);

/* ---- problems raised here (problems.c) ---- */
typedef struct {
    const char *origin; /* "visit", "meeting", "station" */
    int64_t visit_id, meeting_id, alliance_id, station_id, unit_id;
} liaison_origin;

/* What a raised problem says (NULL or 0: the origin's own, e.g. the visit's request text). */
typedef struct {
    int64_t unit_id, deadline_workdays, enterprise_id;
    const char *title, *description, *category, *deadline, *found_on;
} raise_body;
/* Raises a problem from a visit, meeting or station (origin) as p; the new problem's id. */
err_code liaison_raise(app *ap, arena *a, const principal *p, const char *origin, int64_t owner,
                       const raise_body *b, int64_t *problem_id, const char **bad_field);

/* ---- handlers (api_*.c), listed in routes.c ---- */
err_code api_liaison_list(http_req *r);
err_code api_liaison_get(http_req *r);
err_code api_liaison_create(http_req *r);
err_code api_liaison_update(http_req *r);
err_code api_liaison_meta(http_req *r);
err_code api_liaison_settings_set(http_req *r);
err_code api_liaison_names(http_req *r);
err_code api_liaison_users(http_req *r);
err_code api_liaison_visits_list(http_req *r);
err_code api_liaison_visits_get(http_req *r);
err_code api_liaison_visits_create(http_req *r);
err_code api_liaison_visit_problem(http_req *r);
err_code api_liaison_meeting_problem(http_req *r);
err_code api_liaison_station_problem(http_req *r);
err_code api_liaison_problems_list(http_req *r);
err_code api_liaison_plan(http_req *r);
err_code api_liaison_mine(http_req *r);
err_code api_liaison_stats(http_req *r);
err_code api_liaison_plan_list(http_req *r);
err_code api_liaison_alliance_view(http_req *r);

extern const http_route liaison_routes[];

/* The scheduler's part (tick.c): overdue and due-soon visit reminders, idempotent. */
err_code liaison_tick(app *ap, arena *a, int64_t now, int *overdue, int *soon);

/* `duban liaison …` (cli.c). */
int cmd_liaison(int argc, char **argv);

/* Its part of `duban demo` (demo.c). */
err_code liaison_demo(app *ap, mech_demo_county *c, FILE *out);

#endif
