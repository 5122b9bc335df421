/*
 * sql — the SQL of budget performance (see budget_store.h), portable to SQLite and PostgreSQL
 * through store/sq.h. Lists and figures share one WHERE (BUDGET_WHERE) so a figure, its
 * drill-down list and the list's total can never disagree: ?1 the caller's budget.read scope,
 * ?2 a unit subtree, ?3 the third party whose assignments are visible too, ?4 … ?13 filters.
 * Sums are cast back to BIGINT (PostgreSQL sums bigints as numeric).
 */
#include "budget/budget_store.h"

#include "store/sq.h"

#include <string.h>

#define PROJECT_COLS                                                                               \
    "p.id, p.year, p.unit_id, p.is_new, p.start_year, p.end_year, p.fund_fiscal,"                  \
    " p.fund_carryover, p.fund_other, p.round, p.cost_total, p.gate_failures,"                     \
    " p.has_cost_target, COALESCE(p.passed_round, 0), COALESCE(p.approved_amount, -1),"            \
    " COALESCE(p.reviewer_id, 0), COALESCE(p.published_at, 0), p.created_by, p.created_at,"        \
    " p.updated_at, p.version, p.impl_unit, p.name, p.class, p.goal, p.contact, p.phone,"          \
    " p.state, p.stage, p.approval_note, u.name, u.path"

#define PROJECT_FROM " FROM budget_project p JOIN unit u ON u.id = p.unit_id"

#define BUDGET_WHERE                                                                               \
    PROJECT_FROM " WHERE ({in_scope u.path} OR EXISTS (SELECT 1 FROM budget_assignment ba"         \
                 " WHERE ba.project_id = p.id AND ba.user_id = ?3))"                               \
                 " AND {in_subtree u.path} AND (?4 = 0 OR p.year = ?4)"                            \
                 " AND (?5 = 0 OR p.unit_id = ?5) AND (?6 IS NULL OR p.class = ?6)"                \
                 " AND (?7 IS NULL OR p.stage = ?7) AND (?8 IS NULL OR p.state = ?8)"              \
                 " AND (?9 IS NULL OR {instr p.name, ?9} > 0)"                                     \
                 " AND (?10 IS NULL OR EXISTS (SELECT 1 FROM budget_gate_event g"                  \
                 " WHERE g.project_id = p.id AND g.code = ?10))"                                   \
                 " AND (?11 = 0 OR p.round = ?11)"                                                 \
                 " AND (?12 < 0 OR p.has_cost_target = ?12)"                                       \
                 " AND (?13 < 0 OR (?13 = 1 AND p.passed_round = 1)"                               \
                 " OR (?13 = 0 AND p.passed_round > 1))"

static void read_project(arena *a, sq_stmt *st, void *row)
{
    store_budget_project *p = row;
    int64_t *ints[] = {&p->id,           &p->year,          &p->unit_id,      &p->is_new,
                       &p->start_year,   &p->end_year,      &p->fund_fiscal,  &p->fund_carryover,
                       &p->fund_other,   &p->round,         &p->cost_total,   &p->gate_failures,
                       &p->has_cost_target, &p->passed_round, &p->approved_amount,
                       &p->reviewer_id,  &p->published_at,  &p->created_by,   &p->created_at,
                       &p->updated_at,   &p->version};
    for (int i = 0; i < 21; i++)
        *ints[i] = sq_int(st, i);
    const char **texts[] = {&p->impl_unit, &p->name,  &p->class_, &p->goal,
                            &p->contact,   &p->phone, &p->state,  &p->stage,
                            &p->approval_note, &p->unit_name, &p->unit_path};
    for (int i = 0; i < 11; i++)
        *texts[i] = sq_text(a, st, 21 + i);
}

err_code store_budget_insert(store_tx *tx, store_budget_project *p)
{
    static const char sql[] =
        "INSERT INTO budget_project(year, unit_id, impl_unit, name, class, is_new, start_year,"
        " end_year, fund_fiscal, fund_carryover, fund_other, goal, contact, phone, state, stage,"
        " round, cost_total, gate_failures, has_cost_target, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        "{returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iisssiiiiiisssssiiiiiii", p->year, p->unit_id, p->impl_unit, p->name, p->class_,
            p->is_new, p->start_year, p->end_year, p->fund_fiscal, p->fund_carryover,
            p->fund_other, p->goal, p->contact, p->phone, p->state, p->stage, p->round,
            p->cost_total, p->gate_failures, p->has_cost_target, p->created_by, p->created_at,
            p->updated_at);
    p->version = 1;
    return sq_insert(tx, st, &p->id);
}

err_code store_budget_get(store_tx *tx, arena *a, int64_t id, store_budget_project *out)
{
    static const char sql[] = "SELECT " PROJECT_COLS PROJECT_FROM " WHERE p.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    return sq_one(tx, a, st, read_project, out);
}

err_code store_budget_update(store_tx *tx, store_budget_project *p)
{
    static const char sql[] =
        "UPDATE budget_project SET year = ?1, unit_id = ?2, impl_unit = ?3, name = ?4,"
        " class = ?5, is_new = ?6, start_year = ?7, end_year = ?8, fund_fiscal = ?9,"
        " fund_carryover = ?10, fund_other = ?11, goal = ?12, contact = ?13, phone = ?14,"
        " state = ?15, stage = ?16, round = ?17, cost_total = ?18, gate_failures = ?19,"
        " has_cost_target = ?20, passed_round = ?21, approved_amount = ?22,"
        " approval_note = ?23, reviewer_id = ?24, published_at = ?25, updated_at = ?26,"
        " version = version + 1 WHERE id = ?27 AND version = ?28";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iisssiiiiiisssssiiii", p->year, p->unit_id, p->impl_unit, p->name, p->class_,
            p->is_new, p->start_year, p->end_year, p->fund_fiscal, p->fund_carryover,
            p->fund_other, p->goal, p->contact, p->phone, p->state, p->stage, p->round,
            p->cost_total, p->gate_failures, p->has_cost_target);
    sq_bind_ref(st, 21, p->passed_round);
    if (p->approved_amount >= 0) sq_bind_int(st, 22, p->approved_amount);
    else sq_bind_null(st, 22);
    sq_bind_text(st, 23, p->approval_note);
    sq_bind_ref(st, 24, p->reviewer_id);
    sq_bind_ref(st, 25, p->published_at);
    sq_bind_int(st, 26, p->updated_at);
    sq_bind_int(st, 27, p->id);
    sq_bind_int(st, 28, p->version);
    return sq_versioned(tx, st, &p->version);
}

static void bind_filter(sq_stmt *st, const store_budget_filter *f)
{
    sq_bind(st, "ssiiisssssiii", f->scope, f->subtree, f->assigned_to, f->year, f->unit_only_id,
            f->class_, f->stage, f->state, f->q, f->gate_code, f->round, (int64_t)f->has_cost,
            (int64_t)f->first_pass);
}

err_code store_budget_list(store_tx *tx, arena *a, const store_budget_filter *f,
                           store_budget_project **out, size_t *n, int64_t *total)
{
    static const char count_sql[] = "SELECT count(*)" BUDGET_WHERE;
    static const char sql[] = "SELECT " PROJECT_COLS BUDGET_WHERE
                              " ORDER BY p.year DESC, u.path, p.id LIMIT ?14 OFFSET ?15";
    sq_stmt *st = sq_prep(tx, count_sql);
    bind_filter(st, f);
    err_code e = sq_count(tx, st, total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    bind_filter(st, f);
    sq_bind_int(st, 14, f->limit);
    sq_bind_int(st, 15, f->offset);
    return sq_collect(tx, a, st, sizeof(store_budget_project), read_project, (void **)out, n);
}

/* ---- the cost sheet and the targets ---- */

err_code store_budget_lines_set(store_tx *tx, int64_t project_id, store_budget_line *lines,
                                size_t n, const int *parent_index)
{
    static const char del_subs[] =
        "DELETE FROM budget_line WHERE project_id = ? AND parent_id IS NOT NULL";
    static const char del_all[] = "DELETE FROM budget_line WHERE project_id = ?";
    static const char ins[] =
        "INSERT INTO budget_line(project_id, parent_id, seq, item, kind, qty_milli, measure_unit,"
        " price, amount, basis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, del_subs);
    sq_bind(st, "i", project_id);
    err_code e = sq_exec(tx, st);
    if (e != E_OK) return e;
    st = sq_prep(tx, del_all);
    sq_bind(st, "i", project_id);
    if ((e = sq_exec(tx, st)) != E_OK) return e;
    for (size_t i = 0; i < n; i++) {
        store_budget_line *l = &lines[i];
        l->project_id = project_id;
        l->seq = (int64_t)i + 1;
        l->parent_id = parent_index[i] >= 0 ? lines[parent_index[i]].id : 0;
        st = sq_prep(tx, ins);
        sq_bind(st, "i", project_id);
        sq_bind_ref(st, 2, l->parent_id);
        sq_bind_int(st, 3, l->seq);
        sq_bind_text(st, 4, l->item);
        sq_bind_text(st, 5, l->kind);
        sq_bind_int(st, 6, l->qty_milli);
        sq_bind_text(st, 7, l->measure_unit);
        sq_bind_int(st, 8, l->price);
        sq_bind_int(st, 9, l->amount);
        sq_bind_text(st, 10, l->basis);
        if ((e = sq_insert(tx, st, &l->id)) != E_OK) return e;
    }
    return E_OK;
}

err_code store_budget_indicators_set(store_tx *tx, int64_t project_id,
                                     const store_budget_indicator *items, size_t n)
{
    static const char del[] = "DELETE FROM budget_indicator WHERE project_id = ?";
    static const char ins[] =
        "INSERT INTO budget_indicator(project_id, seq, level1, level2, cost_kind, name,"
        " comparison, target, measure_unit, weight_milli, method)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    sq_stmt *st = sq_prep(tx, del);
    sq_bind(st, "i", project_id);
    err_code e = sq_exec(tx, st);
    for (size_t i = 0; e == E_OK && i < n; i++) {
        const store_budget_indicator *d = &items[i];
        st = sq_prep(tx, ins);
        sq_bind(st, "iisssssssis", project_id, (int64_t)i + 1, d->level1, d->level2,
                d->cost_kind, d->name, d->comparison, d->target, d->measure_unit, d->weight_milli,
                d->method);
        e = sq_exec(tx, st);
    }
    return e;
}

static void read_line(arena *a, sq_stmt *st, void *row)
{
    store_budget_line *l = row;
    l->id = sq_int(st, 0);
    l->project_id = sq_int(st, 1);
    l->parent_id = sq_int(st, 2);
    l->seq = sq_int(st, 3);
    l->qty_milli = sq_int(st, 4);
    l->price = sq_int(st, 5);
    l->amount = sq_int(st, 6);
    l->item = sq_text(a, st, 7);
    l->kind = sq_text(a, st, 8);
    l->measure_unit = sq_text(a, st, 9);
    l->basis = sq_text(a, st, 10);
}

err_code store_budget_lines(store_tx *tx, arena *a, int64_t project_id, store_budget_line **out,
                            size_t *n)
{
    static const char sql[] = "SELECT id, project_id, COALESCE(parent_id, 0), seq, qty_milli,"
                              " price, amount, item, kind, measure_unit, basis FROM budget_line"
                              " WHERE project_id = ? ORDER BY seq, id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", project_id);
    return sq_collect(tx, a, st, sizeof(store_budget_line), read_line, (void **)out, n);
}

static void read_indicator(arena *a, sq_stmt *st, void *row)
{
    store_budget_indicator *d = row;
    d->id = sq_int(st, 0);
    d->project_id = sq_int(st, 1);
    d->seq = sq_int(st, 2);
    d->weight_milli = sq_int(st, 3);
    const char **texts[] = {&d->level1,     &d->level2, &d->cost_kind,    &d->name,
                            &d->comparison, &d->target, &d->measure_unit, &d->method};
    for (int i = 0; i < 8; i++)
        *texts[i] = sq_text(a, st, 4 + i);
}

err_code store_budget_indicators(store_tx *tx, arena *a, int64_t project_id,
                                 store_budget_indicator **out, size_t *n)
{
    static const char sql[] = "SELECT id, project_id, seq, weight_milli, level1, level2,"
                              " cost_kind, name, comparison, target, measure_unit, method"
                              " FROM budget_indicator WHERE project_id = ? ORDER BY seq, id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", project_id);
    return sq_collect(tx, a, st, sizeof(store_budget_indicator), read_indicator, (void **)out, n);
}

/* ---- rounds, opinions, assignments, gate failures ---- */

err_code store_budget_round_insert(store_tx *tx, store_budget_round *r)
{
    static const char sql[] = "INSERT INTO budget_round(project_id, round, submitted_by,"
                              " submitted_at, snapshot) VALUES (?, ?, ?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiiis", r->project_id, r->round, r->submitted_by, r->submitted_at, r->snapshot);
    return sq_insert(tx, st, &r->id);
}

static void read_round(arena *a, sq_stmt *st, void *row)
{
    store_budget_round *r = row;
    r->id = sq_int(st, 0);
    r->project_id = sq_int(st, 1);
    r->round = sq_int(st, 2);
    r->submitted_by = sq_int(st, 3);
    r->submitted_at = sq_int(st, 4);
    r->snapshot = sq_text(a, st, 5);
}

err_code store_budget_rounds(store_tx *tx, arena *a, int64_t project_id, store_budget_round **out,
                             size_t *n)
{
    static const char sql[] = "SELECT id, project_id, round, submitted_by, submitted_at, snapshot"
                              " FROM budget_round WHERE project_id = ? ORDER BY round, id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", project_id);
    return sq_collect(tx, a, st, sizeof(store_budget_round), read_round, (void **)out, n);
}

err_code store_budget_opinion_insert(store_tx *tx, store_budget_opinion *o)
{
    static const char sql[] = "INSERT INTO budget_opinion(project_id, round, event_id, side,"
                              " target, text, author_id, created_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiisssii", o->project_id, o->round, o->event_id, o->side, o->target, o->text,
            o->author_id, o->created_at);
    return sq_insert(tx, st, &o->id);
}

static void read_opinion(arena *a, sq_stmt *st, void *row)
{
    store_budget_opinion *o = row;
    o->id = sq_int(st, 0);
    o->project_id = sq_int(st, 1);
    o->round = sq_int(st, 2);
    o->event_id = sq_int(st, 3);
    o->author_id = sq_int(st, 4);
    o->created_at = sq_int(st, 5);
    o->side = sq_text(a, st, 6);
    o->target = sq_text(a, st, 7);
    o->text = sq_text(a, st, 8);
}

err_code store_budget_opinions(store_tx *tx, arena *a, int64_t project_id,
                               store_budget_opinion **out, size_t *n)
{
    static const char sql[] = "SELECT id, project_id, round, event_id, author_id, created_at,"
                              " side, target, text FROM budget_opinion WHERE project_id = ?"
                              " ORDER BY round, id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", project_id);
    return sq_collect(tx, a, st, sizeof(store_budget_opinion), read_opinion, (void **)out, n);
}

err_code store_budget_assign(store_tx *tx, int64_t project_id, int64_t user_id, int64_t round,
                             int64_t by, int64_t at)
{
    static const char sql[] = "INSERT INTO budget_assignment(project_id, user_id, round,"
                              " assigned_by, assigned_at) VALUES (?, ?, ?, ?, ?)"
                              " ON CONFLICT DO NOTHING";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiiii", project_id, user_id, round, by, at);
    return sq_exec(tx, st);
}

err_code store_budget_assigned(store_tx *tx, int64_t project_id, int64_t user_id, int64_t round,
                               int *yes)
{
    static const char sql[] = "SELECT count(*) FROM budget_assignment WHERE project_id = ?1"
                              " AND user_id = ?2 AND (?3 = 0 OR round = ?3)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iii", project_id, user_id, round);
    int64_t n = 0;
    err_code e = sq_count(tx, st, &n);
    *yes = n > 0;
    return e;
}

err_code store_budget_gate_event(store_tx *tx, int64_t project_id, const char *code, int64_t at)
{
    static const char sql[] = "INSERT INTO budget_gate_event(project_id, code, at) VALUES (?, ?, ?)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isi", project_id, code, at);
    return sq_exec(tx, st);
}

err_code store_budget_assessment_insert(store_tx *tx, store_budget_assessment *x)
{
    static const char sql[] = "INSERT INTO budget_assessment(project_id, grades, total, conclusion,"
                              " opinion, project_version, assessor_id, created_at)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "isissiii", x->project_id, x->grades, x->total, x->conclusion, x->opinion,
            x->project_version, x->assessor_id, x->created_at);
    return sq_insert(tx, st, &x->id);
}

static void read_assessment(arena *a, sq_stmt *st, void *row)
{
    store_budget_assessment *x = row;
    x->id = sq_int(st, 0);
    x->project_id = sq_int(st, 1);
    x->total = sq_int(st, 2);
    x->project_version = sq_int(st, 3);
    x->assessor_id = sq_int(st, 4);
    x->created_at = sq_int(st, 5);
    x->grades = sq_text(a, st, 6);
    x->conclusion = sq_text(a, st, 7);
    x->opinion = sq_text(a, st, 8);
}

err_code store_budget_assessment_latest(store_tx *tx, arena *a, int64_t project_id,
                                        store_budget_assessment *out)
{
    static const char sql[] = "SELECT id, project_id, total, project_version, assessor_id,"
                              " created_at, grades, conclusion, opinion FROM budget_assessment"
                              " WHERE project_id = ? ORDER BY id DESC LIMIT 1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", project_id);
    return sq_one(tx, a, st, read_assessment, out);
}

err_code store_budget_setting(store_tx *tx, const char *name, int64_t dflt, int64_t *value)
{
    static const char sql[] = "SELECT value FROM budget_setting WHERE name = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", name);
    return sq_int_or(tx, st, dflt, value);
}

/* ---- the indicator library ---- */

static void read_lib(arena *a, sq_stmt *st, void *row)
{
    store_budget_lib *l = row;
    l->id = sq_int(st, 0);
    l->builtin = sq_int(st, 1);
    const char **texts[] = {&l->class_,     &l->level1,       &l->level2, &l->cost_kind,
                            &l->name,       &l->comparison, &l->measure_unit, &l->method};
    for (int i = 0; i < 8; i++)
        *texts[i] = sq_text(a, st, 2 + i);
}

err_code store_budget_lib_list(store_tx *tx, arena *a, const char *class_, store_budget_lib **out,
                               size_t *n)
{
    static const char sql[] =
        "SELECT id, builtin, class, level1, level2, cost_kind, name, comparison, measure_unit,"
        " method FROM budget_indicator_lib WHERE ?1 IS NULL OR class = '' OR class = ?1"
        " ORDER BY CASE level1 WHEN '成本指标' THEN 1 WHEN '产出指标' THEN 2"
        " WHEN '效益指标' THEN 3 ELSE 4 END, level2, class, id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "s", class_);
    return sq_collect(tx, a, st, sizeof(store_budget_lib), read_lib, (void **)out, n);
}

err_code store_budget_lib_insert(store_tx *tx, store_budget_lib *l, int64_t at)
{
    static const char sql[] =
        "INSERT INTO budget_indicator_lib(class, level1, level2, cost_kind, name, comparison,"
        " measure_unit, method, builtin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)"
        "{returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssssssssi", l->class_, l->level1, l->level2, l->cost_kind, l->name,
            l->comparison, l->measure_unit, l->method, at);
    return sq_insert(tx, st, &l->id);
}

/* ---- figures ---- */

#define REQUESTED "p.fund_fiscal + p.fund_carryover + p.fund_other"

static void read_group(arena *a, sq_stmt *st, void *row)
{
    store_budget_group *g = row;
    g->key = sq_text(a, st, 0);
    g->label = sq_text(a, st, 1);
    g->projects = sq_int(st, 2);
    g->requested = sq_int(st, 3);
    g->approved = sq_int(st, 4);
}

#define GROUP_SUMS                                                                                 \
    ", count(*), CAST(COALESCE(sum(" REQUESTED "), 0) AS BIGINT),"                                 \
    " CAST(COALESCE(sum(p.approved_amount), 0) AS BIGINT)"

err_code store_budget_groups(store_tx *tx, arena *a, const store_budget_filter *f, int group,
                             store_budget_group **out, size_t *n)
{
    static const char by_unit[] = "SELECT CAST(p.unit_id AS TEXT), u.name" GROUP_SUMS BUDGET_WHERE
                                  " GROUP BY p.unit_id, u.name, u.path ORDER BY u.path, p.unit_id";
    static const char by_class[] = "SELECT p.class, p.class" GROUP_SUMS BUDGET_WHERE
                                   " GROUP BY p.class ORDER BY p.class";
    static const char by_stage[] = "SELECT p.stage, p.stage" GROUP_SUMS BUDGET_WHERE
                                   " GROUP BY p.stage ORDER BY p.stage";
    sq_stmt *st = sq_prep(tx, group == 0 ? by_unit : group == 1 ? by_class : by_stage);
    bind_filter(st, f);
    return sq_collect(tx, a, st, sizeof(store_budget_group), read_group, (void **)out, n);
}

static void read_totals(arena *a, sq_stmt *st, void *row)
{
    (void)a;
    store_budget_totals *t = row;
    int64_t *v[] = {&t->projects,  &t->requested, &t->approved,   &t->with_cost,
                    &t->submitted, &t->passed,    &t->first_pass, &t->published};
    for (int i = 0; i < 8; i++)
        *v[i] = sq_int(st, i);
}

err_code store_budget_totals_get(store_tx *tx, const store_budget_filter *f,
                                 store_budget_totals *out)
{
    static const char sql[] =
        "SELECT count(*), CAST(COALESCE(sum(" REQUESTED "), 0) AS BIGINT),"
        " CAST(COALESCE(sum(p.approved_amount), 0) AS BIGINT),"
        " count(*) FILTER (WHERE p.has_cost_target = 1),"
        " count(*) FILTER (WHERE p.state <> 'drafted' OR p.round > 1),"
        " count(*) FILTER (WHERE p.passed_round IS NOT NULL),"
        " count(*) FILTER (WHERE p.passed_round = 1),"
        " count(*) FILTER (WHERE p.state = 'published')" BUDGET_WHERE;
    sq_stmt *st = sq_prep(tx, sql);
    bind_filter(st, f);
    return sq_one(tx, NULL, st, read_totals, out);
}

static void read_count(arena *a, sq_stmt *st, void *row)
{
    (void)a;
    store_budget_count *c = row;
    c->key = sq_int(st, 0);
    c->count = sq_int(st, 1);
}

err_code store_budget_rounds_count(store_tx *tx, arena *a, const store_budget_filter *f,
                                   store_budget_count **out, size_t *n)
{
    static const char sql[] = "SELECT p.round, count(*)" BUDGET_WHERE
                              " AND (p.state <> 'drafted' OR p.round > 1)"
                              " GROUP BY p.round ORDER BY p.round";
    sq_stmt *st = sq_prep(tx, sql);
    bind_filter(st, f);
    return sq_collect(tx, a, st, sizeof(store_budget_count), read_count, (void **)out, n);
}

static void read_gate_count(arena *a, sq_stmt *st, void *row)
{
    store_budget_gate_count *g = row;
    g->code = sq_text(a, st, 0);
    g->times = sq_int(st, 1);
    g->projects = sq_int(st, 2);
}

err_code store_budget_gate_counts(store_tx *tx, arena *a, const store_budget_filter *f,
                                  store_budget_gate_count **out, size_t *n)
{
    static const char sql[] =
        "SELECT ge.code, count(*), count(DISTINCT ge.project_id) FROM budget_gate_event ge"
        " WHERE ge.project_id IN (SELECT p.id" BUDGET_WHERE ")"
        " GROUP BY ge.code ORDER BY count(*) DESC, ge.code LIMIT 10";
    sq_stmt *st = sq_prep(tx, sql);
    bind_filter(st, f);
    return sq_collect(tx, a, st, sizeof(store_budget_gate_count), read_gate_count, (void **)out,
                      n);
}

err_code store_budget_published(store_tx *tx, arena *a, int64_t year, int64_t unit_id,
                                int64_t limit, int64_t offset, store_budget_project **out,
                                size_t *n, int64_t *total)
{
    static const char count_sql[] = "SELECT count(*)" PROJECT_FROM
                                    " WHERE p.state = 'published' AND (?1 = 0 OR p.year = ?1)"
                                    " AND (?2 = 0 OR p.unit_id = ?2)";
    static const char sql[] = "SELECT " PROJECT_COLS PROJECT_FROM
                              " WHERE p.state = 'published' AND (?1 = 0 OR p.year = ?1)"
                              " AND (?2 = 0 OR p.unit_id = ?2)"
                              " ORDER BY p.year DESC, u.path, p.id LIMIT ?3 OFFSET ?4";
    sq_stmt *st = sq_prep(tx, count_sql);
    sq_bind(st, "ii", year, unit_id);
    err_code e = sq_count(tx, st, total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    sq_bind(st, "iiii", year, unit_id, limit, offset);
    return sq_collect(tx, a, st, sizeof(store_budget_project), read_project, (void **)out, n);
}

/* ---- 执行监控 (monitor.h) ---- */

#include "budget/monitor.h"

#define MONITOR_COLS                                                                               \
    "m.id, m.project_id, m.month, m.spent, m.exec_permille, m.time_permille, m.reported_by,"       \
    " m.reported_at, m.flag, m.reasons, m.explanation, m.measures"

static void read_monitor_at(arena *a, sq_stmt *st, int col, store_budget_monitor *m)
{
    int64_t *ints[] = {&m->id,          &m->project_id,    &m->month,       &m->spent,
                       &m->exec_permille, &m->time_permille, &m->reported_by, &m->reported_at};
    for (int i = 0; i < 8; i++)
        *ints[i] = sq_is_null(st, col + i) ? 0 : sq_int(st, col + i);
    const char **texts[] = {&m->flag, &m->reasons, &m->explanation, &m->measures};
    for (int i = 0; i < 4; i++)
        *texts[i] = sq_is_null(st, col + 8 + i) ? "" : sq_text(a, st, col + 8 + i);
}

static void read_monitor(arena *a, sq_stmt *st, void *row)
{
    read_monitor_at(a, st, 0, row);
}

static void read_monitor_row(arena *a, sq_stmt *st, void *row)
{
    store_budget_monitor_row *r = row;
    read_project(a, st, &r->p);
    read_monitor_at(a, st, 32, &r->m);
}

err_code store_budget_monitor_insert(store_tx *tx, store_budget_monitor *m)
{
    static const char sql[] =
        "INSERT INTO budget_monitor(project_id, month, spent, exec_permille, time_permille, flag,"
        " reasons, explanation, measures, reported_by, reported_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iiiiissssii", m->project_id, m->month, m->spent, m->exec_permille,
            m->time_permille, m->flag, m->reasons, m->explanation, m->measures, m->reported_by,
            m->reported_at);
    return sq_insert(tx, st, &m->id);
}

err_code store_budget_monitor_value_insert(store_tx *tx, store_budget_monitor_value *v)
{
    static const char sql[] =
        "INSERT INTO budget_monitor_value(monitor_id, indicator_id, actual, completion, flag)"
        " VALUES (?, ?, ?, ?, ?){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iisis", v->monitor_id, v->indicator_id, v->actual, v->completion, v->flag);
    return sq_insert(tx, st, &v->id);
}

err_code store_budget_monitors(store_tx *tx, arena *a, int64_t project_id,
                               store_budget_monitor **out, size_t *n)
{
    static const char sql[] =
        "SELECT " MONITOR_COLS " FROM budget_monitor m WHERE m.project_id = ? ORDER BY m.month";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", project_id);
    return sq_collect(tx, a, st, sizeof(store_budget_monitor), read_monitor, (void **)out, n);
}

static void read_value(arena *a, sq_stmt *st, void *row)
{
    store_budget_monitor_value *v = row;
    v->id = sq_int(st, 0);
    v->monitor_id = sq_int(st, 1);
    v->indicator_id = sq_int(st, 2);
    v->completion = sq_int(st, 3);
    const char **texts[] = {&v->actual, &v->flag,       &v->name,        &v->level1,
                            &v->comparison, &v->target, &v->measure_unit};
    for (int i = 0; i < 7; i++)
        *texts[i] = sq_text(a, st, 4 + i);
}

err_code store_budget_monitor_values(store_tx *tx, arena *a, int64_t project_id,
                                     store_budget_monitor_value **out, size_t *n)
{
    static const char sql[] =
        "SELECT v.id, v.monitor_id, v.indicator_id, v.completion, v.actual, v.flag, i.name,"
        " i.level1, i.comparison, i.target, i.measure_unit FROM budget_monitor_value v"
        " JOIN budget_monitor m ON m.id = v.monitor_id"
        " JOIN budget_indicator i ON i.id = v.indicator_id"
        " WHERE m.project_id = ? ORDER BY m.month, i.seq";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", project_id);
    return sq_collect(tx, a, st, sizeof(store_budget_monitor_value), read_value, (void **)out,
                      n);
}

#define MONITOR_JOIN                                                                               \
    " LEFT JOIN budget_monitor m ON m.project_id = p.id AND m.month ="                             \
    " (SELECT max(m2.month) FROM budget_monitor m2 WHERE m2.project_id = p.id)"

/* BUDGET_WHERE with the latest report joined: its FROM gains the join before the WHERE. */
#define MONITOR_WHERE                                                                              \
    PROJECT_FROM MONITOR_JOIN                                                                      \
        " WHERE ({in_scope u.path} OR EXISTS (SELECT 1 FROM budget_assignment ba"                  \
        " WHERE ba.project_id = p.id AND ba.user_id = ?3))"                                        \
        " AND {in_subtree u.path} AND (?4 = 0 OR p.year = ?4)"                                     \
        " AND (?5 = 0 OR p.unit_id = ?5) AND (?6 IS NULL OR p.class = ?6)"                         \
        " AND (?7 IS NULL OR p.stage = ?7) AND (?8 IS NULL OR p.state = ?8)"                       \
        " AND (?9 IS NULL OR {instr p.name, ?9} > 0)"                                              \
        " AND (?10 IS NULL OR EXISTS (SELECT 1 FROM budget_gate_event g"                           \
        " WHERE g.project_id = p.id AND g.code = ?10))"                                            \
        " AND (?11 = 0 OR p.round = ?11)"                                                          \
        " AND (?12 < 0 OR p.has_cost_target = ?12)"                                                \
        " AND (?13 < 0 OR (?13 = 1 AND p.passed_round = 1)"                                        \
        " OR (?13 = 0 AND p.passed_round > 1))"                                                    \
        " AND p.state IN ('approved', 'published')"                                                \
        " AND (?14 IS NULL OR (?14 = 'none' AND m.id IS NULL) OR m.flag = ?14)"

err_code store_budget_monitor_list(store_tx *tx, arena *a, const store_budget_filter *f,
                                   const char *flag, store_budget_monitor_row **out, size_t *n,
                                   int64_t *total)
{
    static const char count_sql[] = "SELECT count(*)" MONITOR_WHERE;
    static const char sql[] =
        "SELECT " PROJECT_COLS ", " MONITOR_COLS MONITOR_WHERE
        " ORDER BY CASE m.flag WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 WHEN 'green' THEN 3"
        " ELSE 2 END, u.path, p.id LIMIT ?15 OFFSET ?16";
    sq_stmt *st = sq_prep(tx, count_sql);
    bind_filter(st, f);
    if (flag) sq_bind_text(st, 14, flag);
    else sq_bind_null(st, 14);
    err_code e = sq_count(tx, st, total);
    if (e != E_OK) return e;
    st = sq_prep(tx, sql);
    bind_filter(st, f);
    if (flag) sq_bind_text(st, 14, flag);
    else sq_bind_null(st, 14);
    sq_bind_int(st, 15, f->limit);
    sq_bind_int(st, 16, f->offset);
    return sq_collect(tx, a, st, sizeof(store_budget_monitor_row), read_monitor_row,
                      (void **)out, n);
}

err_code store_budget_monitor_flagged(store_tx *tx, arena *a, store_budget_monitor_row **out,
                                      size_t *n)
{
    static const char sql[] = "SELECT " PROJECT_COLS ", " MONITOR_COLS PROJECT_FROM
                              " JOIN budget_monitor m ON m.project_id = p.id"
                              " WHERE m.flag IN ('yellow', 'red') ORDER BY m.id";
    sq_stmt *st = sq_prep(tx, sql);
    return sq_collect(tx, a, st, sizeof(store_budget_monitor_row), read_monitor_row,
                      (void **)out, n);
}
