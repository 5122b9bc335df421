/*
 * calwatch — the working-day calendar kept current. The State Council publishes next year's
 * holiday notice in November or December; from 1 November until that year is in the calendar
 * (built in, or imported with `duban calendar import|add`), every administrator (a holder of
 * unit.write) gets one notification asking for it and sees a banner (GET /calendar/status).
 * Deadlines counted over a year without its notice are estimates (deadline_estimated); when the
 * year arrives, each problem's estimated deadline is counted again — from its recorded start
 * and number of working days (deadline_basis) when it was a count, or merely confirmed when it
 * was a date — with a timeline entry "节假日安排导入后重算时限" and an audit record; the study
 * registry's feedback deadlines (列席旁听反馈) likewise.
 */
#include "feeds/feeds_int.h"

#include "base/clock.h"
#include "flow/calendar.h"
#include "problem/problem.h"

#include <stdio.h>
#include <string.h>

int feeds_missing_year(const app *ap, int64_t now)
{
    int y, m, d;
    cal_to_ymd(cal_local_day(now), &y, &m, &d);
    if (!calendar_has_year(ap->cal, y)) return y; /* this very year is missing: ask at once */
    if (m >= 11 && !calendar_has_year(ap->cal, y + 1)) return y + 1;
    return 0;
}

typedef struct {
    app *ap;
    arena *a;
    int64_t now;
    int asked, recounted;
} tick_ctx;

/* Active administrators (unit.write through any grant). */
static err_code admins(store_tx *tx, arena *a, int64_t **ids, size_t *n)
{
    static const char sql[] = "SELECT DISTINCT g.user_id FROM user_grant g"
                              " JOIN role_perm rp ON rp.role_id = g.role_id"
                              " JOIN \"user\" u ON u.id = g.user_id"
                              " WHERE rp.perm = 'unit.write' AND u.disabled = 0 ORDER BY g.user_id";
    sq_stmt *st = sq_prep(tx, sql);
    size_t cap = 8;
    *ids = arena_alloc(a, cap * sizeof **ids);
    *n = 0;
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        if (*n == cap) {
            int64_t *grown = arena_alloc(a, 2 * cap * sizeof *grown);
            memcpy(grown, *ids, cap * sizeof *grown);
            *ids = grown;
            cap *= 2;
        }
        (*ids)[(*n)++] = sq_int(st, 0);
    }
    return rc == SQ_DONE ? E_OK : rc;
}

static err_code ask_for_year(tick_ctx *t, store_tx *tx, int year)
{
    int64_t *ids;
    size_t n;
    err_code e = admins(tx, t->a, &ids, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        store_notification no = {
            .user_id = ids[i],
            .kind = "calendar_missing",
            .flow = "calendar",
            .item_id = year,
            .title = arena_sprintf(t->a, "请导入%d年节假日安排", year),
            .body = arena_sprintf(t->a,
                                  "尚未导入国务院办公厅关于%d年部分节假日安排的通知。导入前，"
                                  "%d年的工作日时限只按周末推算，标为“估算”；通知发布后请用 "
                                  "duban calendar import 导入，估算的时限将自动重算。",
                                  year, year),
            .created_at = t->now,
        };
        int added;
        e = store_notification_add(tx, &no,
                                   arena_sprintf(t->a, "calendar_missing:%d:%lld", year,
                                                 (long long)ids[i]),
                                   &added);
        t->asked += added;
    }
    return e;
}

/* An estimated problem deadline with how it was counted (start_on "" when it was a date). */
typedef struct {
    int64_t id, workdays;
    const char *deadline, *start_on;
} estimated_row;

static void read_estimated(arena *a, sq_stmt *st, void *row)
{
    estimated_row *r = row;
    r->id = sq_int(st, 0);
    r->deadline = sq_text(a, st, 1);
    r->start_on = sq_text(a, st, 2);
    r->workdays = sq_int(st, 3);
}

static err_code recount_one(tick_ctx *t, store_tx *tx, const estimated_row *r, cal_day due)
{
    store_problem pr;
    err_code e = store_problem_get(tx, t->a, r->id, &pr);
    if (e != E_OK) return e;
    const char *old = pr.deadline;
    char text[11];
    cal_format(due, text);
    pr.deadline = arena_strdup(t->a, text);
    pr.deadline_estimated = 0;
    if (!pr.closed_at) problem_refresh_overdue(t->a, &pr, cal_local_day(t->now));
    pr.updated_at = t->now;
    e = store_problem_update(tx, &pr);
    if (e == E_OK) e = store_deadline_basis_set(tx, "problem", pr.id, "deadline", NULL, 0);
    if (e != E_OK) return e;
    int y, m, d;
    cal_to_ymd(due, &y, &m, &d);
    const char *note =
        strcmp(old, pr.deadline) == 0
            ? arena_sprintf(t->a, "%d年节假日安排已导入，完成时限 %s 确认无误，不再是估算。", y,
                            pr.deadline)
            : arena_sprintf(t->a, "%d年节假日安排已导入，按 %lld 个工作日重算：完成时限由 %s 改为 %s。",
                            y, (long long)r->workdays, old, pr.deadline);
    json_t *fields = json_pack("{ss ss ss}", "previous_deadline", old, "deadline", pr.deadline,
                               "explanation", note);
    char *dump = json_dumps(fields, JSON_COMPACT);
    json_decref(fields);
    store_event ev = {.flow = "problem",
                      .item_id = pr.id,
                      .action = "recalendar",
                      .from_state = pr.state,
                      .to_state = pr.state,
                      .actor = "system:scheduler",
                      .at = t->now,
                      .fields = arena_strdup(t->a, dump)};
    free(dump);
    e = store_event_insert(tx, &ev);
    if (e != E_OK) return e;
    principal sys = {.system = 1, .login = "system:scheduler"};
    t->recounted++;
    return app_audit(t->ap, tx, t->a, &sys, "problem.recalendar",
                     arena_sprintf(t->a, "problem:%lld", (long long)pr.id),
                     json_pack("{ss ss}", "from", old, "to", pr.deadline));
}

static err_code recount(tick_ctx *t, store_tx *tx)
{
    static const char sql[] =
        "SELECT p.id, p.deadline, b.start_on, b.workdays FROM problem p"
        " LEFT JOIN deadline_basis b ON b.flow = 'problem' AND b.item_id = p.id"
        " AND b.slot = 'deadline' WHERE p.deadline_estimated = 1 ORDER BY p.id";
    estimated_row *rows;
    size_t n;
    sq_stmt *st = sq_prep(tx, sql);
    err_code e = sq_collect(tx, t->a, st, sizeof *rows, read_estimated, (void **)&rows, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        int est = 0;
        cal_day due, start;
        if (*rows[i].start_on && rows[i].workdays > 0 && cal_parse(rows[i].start_on, &start) == 0)
            due = calendar_add_workdays(t->ap->cal, start, (int)rows[i].workdays, &est);
        else if (cal_parse(rows[i].deadline, &due) == 0)
            calendar_is_workday(t->ap->cal, due, &est);
        else
            continue;
        if (!est) e = recount_one(t, tx, &rows[i], due);
    }
    return e;
}

/*
 * The study registry's feedback deadlines (列席旁听反馈), counted the same way: the row's deadline,
 * flag and version are written here (the registry's header is out of this mechanism's reach),
 * with an event on the feedback's timeline and an audit record.
 */
static err_code recount_feedback(tick_ctx *t, store_tx *tx)
{
    static const char sql[] =
        "SELECT f.id, f.deadline, b.start_on, b.workdays FROM feedback f"
        " LEFT JOIN deadline_basis b ON b.flow = 'feedback' AND b.item_id = f.id"
        " AND b.slot = 'deadline' WHERE f.deadline_estimated = 1 ORDER BY f.id";
    static const char upd[] = "UPDATE feedback SET deadline = ?, deadline_estimated = 0,"
                              " version = version + 1 WHERE id = ?";
    static const char state[] = "SELECT state FROM feedback WHERE id = ?";
    estimated_row *rows;
    size_t n;
    sq_stmt *st = sq_prep(tx, sql);
    err_code e = sq_collect(tx, t->a, st, sizeof *rows, read_estimated, (void **)&rows, &n);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        int est = 0;
        cal_day due, start;
        if (*rows[i].start_on && rows[i].workdays > 0 && cal_parse(rows[i].start_on, &start) == 0)
            due = calendar_add_workdays(t->ap->cal, start, (int)rows[i].workdays, &est);
        else if (cal_parse(rows[i].deadline, &due) == 0)
            calendar_is_workday(t->ap->cal, due, &est);
        else
            continue;
        if (est) continue;
        char text[11];
        cal_format(due, text);
        st = sq_prep(tx, upd);
        sq_bind(st, "si", text, rows[i].id);
        e = sq_exec(tx, st);
        if (e == E_OK) e = store_deadline_basis_set(tx, "feedback", rows[i].id, "deadline", NULL, 0);
        const char *now_state = "";
        if (e == E_OK) {
            st = sq_prep(tx, state);
            sq_bind(st, "i", rows[i].id);
            if (sq_step(st) == SQ_ROW) now_state = sq_text(t->a, st, 0);
        }
        if (e != E_OK) return e;
        json_t *fields = json_pack("{ss ss}", "previous_deadline", rows[i].deadline, "deadline", text);
        char *dump = json_dumps(fields, JSON_COMPACT);
        json_decref(fields);
        store_event ev = {.flow = "feedback",
                          .item_id = rows[i].id,
                          .action = "recalendar",
                          .from_state = now_state,
                          .to_state = now_state,
                          .actor = "system:scheduler",
                          .at = t->now,
                          .fields = arena_strdup(t->a, dump)};
        free(dump);
        e = store_event_insert(tx, &ev);
        principal sys = {.system = 1, .login = "system:scheduler"};
        if (e == E_OK)
            e = app_audit(t->ap, tx, t->a, &sys, "feedback.recalendar",
                          arena_sprintf(t->a, "feedback:%lld", (long long)rows[i].id),
                          json_pack("{ss ss}", "from", rows[i].deadline, "to", text));
        t->recounted++;
    }
    return e;
}

static err_code tick_fn(store_tx *tx, void *ctx)
{
    tick_ctx *t = ctx;
    int year = feeds_missing_year(t->ap, t->now);
    err_code e = year ? ask_for_year(t, tx, year) : E_OK;
    if (e == E_OK) e = recount(t, tx);
    if (e == E_OK) e = recount_feedback(t, tx);
    return e;
}

err_code feeds_calendar_tick(app *ap, arena *a, int64_t now, int *asked, int *recounted)
{
    tick_ctx t = {.ap = ap, .a = a, .now = now};
    err_code e = store_write(ap->st, tick_fn, &t);
    *asked = e == E_OK ? t.asked : 0;
    *recounted = e == E_OK ? t.recounted : 0;
    return e;
}

/* GET /api/v1/calendar/status: the years known, and whether to show the caller the banner. */
err_code api_calendar_status(http_req *r)
{
    app *ap = http_app(r);
    const principal *p = http_principal(r);
    int64_t now = clock_now();
    app_refresh_calendar(ap); /* a year imported through the CLI counts at once */
    int missing = feeds_missing_year(ap, now);
    json_t *years = json_array();
    for (size_t i = 0; i < calendar_year_count(ap->cal); i++) {
        int y = calendar_year_at(ap->cal, i);
        json_array_append_new(years, json_pack("{si ss}", "year", y, "notice",
                                               calendar_year_notice(ap->cal, y)));
    }
    json_t *body = json_pack("{so so}", "years", years, "missing_year",
                             missing ? json_integer(missing) : json_null());
    json_object_set_new(body, "ask", json_boolean(missing && authz_has(p, "unit.write")));
    return http_reply(r, 200, body);
}
