/*
 * sql — the problem list's SQL (问题清单): problems and their co-units, the list filters
 * built per shape, pages for the ledger, and the figures. Through the portable statement
 * layer (store/sq.h) only.
 */
#include "problem/problem_store.h"

#include "store/sq.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBLEM_COLS                                                                               \
    "p.id, p.unit_id, coalesce(p.leader_user_id, 0), coalesce(p.registered_by, 0),"                \
    " coalesce(p.registered_unit_id, 0), p.source, p.category, p.title, p.description,"            \
    " p.found_on, p.leader, p.person, p.measures, p.goal, p.mode, p.subject, p.note, p.state,"     \
    " p.deadline, p.original_deadline, p.sign_by, p.staged_due, p.overdue_since, p.supervisor,"    \
    " p.progress, p.verification, p.deadline_estimated, p.staged_done, p.overdue, p.supervised,"   \
    " p.reopened, coalesce(p.assigned_at, 0), coalesce(p.closed_at, 0), p.created_at,"             \
    " p.updated_at, p.version, n.name, n.path"

static void read_problem(arena *a, sq_stmt *st, void *row)
{
    store_problem *p = row;
    int c = 0;
    p->id = sq_int(st, c++);
    p->unit_id = sq_int(st, c++);
    p->leader_user_id = sq_int(st, c++);
    p->registered_by = sq_int(st, c++);
    p->registered_unit_id = sq_int(st, c++);
    const char **text[] = {
        &p->source,      &p->category,   &p->title,         &p->description, &p->found_on,
        &p->leader,      &p->person,     &p->measures,      &p->goal,        &p->mode,
        &p->subject,     &p->note,       &p->state,         &p->deadline,    &p->original_deadline,
        &p->sign_by,     &p->staged_due, &p->overdue_since, &p->supervisor,  &p->progress,
        &p->verification};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        *text[i] = sq_text(a, st, c++);
    int64_t *ints[] = {&p->deadline_estimated, &p->staged_done, &p->overdue,   &p->supervised,
                       &p->reopened,           &p->assigned_at, &p->closed_at, &p->created_at,
                       &p->updated_at,         &p->version};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        *ints[i] = sq_int(st, c++);
    p->unit_name = sq_text(a, st, c++);
    p->unit_path = sq_text(a, st, c++);
}

/* NULL for an empty optional date, so the column holds NULL rather than ''. */
static const char *opt(const char *s)
{
    return s && *s ? s : NULL;
}

static err_code insert_counits(store_tx *tx, const store_problem *p)
{
    static const char sql[] = "INSERT INTO problem_counit(problem_id, unit_id) VALUES (?, ?)"
                              " ON CONFLICT DO NOTHING";
    for (size_t i = 0; i < p->ncounits; i++) {
        sq_stmt *st = sq_prep(tx, sql);
        sq_bind(st, "ii", p->id, p->counits[i]);
        err_code e = sq_exec(tx, st);
        if (e != E_OK) return e;
    }
    return E_OK;
}

err_code store_problem_insert(store_tx *tx, store_problem *p)
{
    static const char sql[] =
        "INSERT INTO problem(source, category, title, description, found_on, unit_id, leader,"
        " leader_user_id, person, measures, goal, mode, subject, note, state, deadline,"
        " original_deadline, deadline_estimated, sign_by, staged_due, registered_by,"
        " registered_unit_id, created_at, updated_at, overdue, overdue_since)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0), ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
        " ?16, ?17, ?18, ?19, nullif(?20, 0), nullif(?21, 0), ?22, ?22, ?23, ?24){returning_id}";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sssssisissssssssiss", p->source, p->category, p->title, p->description,
            p->found_on, p->unit_id, p->leader, p->leader_user_id, p->person, p->measures, p->goal,
            p->mode, p->subject, p->note, p->state, p->deadline, p->deadline_estimated,
            opt(p->sign_by), opt(p->staged_due));
    sq_bind_int(st, 20, p->registered_by);
    sq_bind_int(st, 21, p->registered_unit_id);
    sq_bind_int(st, 22, p->created_at);
    sq_bind_int(st, 23, p->overdue);
    sq_bind_text(st, 24, opt(p->overdue_since));
    err_code e = sq_insert(tx, st, &p->id);
    if (e != E_OK) return e;
    p->version = 1;
    return insert_counits(tx, p);
}

static void read_id(arena *a, sq_stmt *st, void *row)
{
    (void)a;
    *(int64_t *)row = sq_int(st, 0);
}

static err_code load_counits(store_tx *tx, arena *a, store_problem *p)
{
    static const char sql[] =
        "SELECT unit_id FROM problem_counit WHERE problem_id = ? ORDER BY unit_id";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", p->id);
    return sq_collect(tx, a, st, sizeof(int64_t), read_id, (void **)&p->counits, &p->ncounits);
}

err_code store_problem_get(store_tx *tx, arena *a, int64_t id, store_problem *out)
{
    static const char sql[] =
        "SELECT " PROBLEM_COLS " FROM problem p JOIN unit n ON n.id = p.unit_id WHERE p.id = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    err_code e = sq_one(tx, a, st, read_problem, out);
    return e == E_OK ? load_counits(tx, a, out) : e;
}

err_code store_problem_update(store_tx *tx, store_problem *p)
{
    static const char sql[] =
        "UPDATE problem SET state = ?1, deadline = ?2, deadline_estimated = ?3, sign_by = ?4,"
        " staged_due = ?5, staged_done = ?6, overdue = ?7, overdue_since = ?8, supervised = ?9,"
        " supervisor = ?10, reopened = ?11, progress = ?12, verification = ?13,"
        " assigned_at = nullif(?14, 0), closed_at = nullif(?15, 0), updated_at = ?16,"
        " version = version + 1 WHERE id = ?17 AND version = ?18";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "ssissiisisissiiiii", p->state, p->deadline, p->deadline_estimated, opt(p->sign_by),
            opt(p->staged_due), p->staged_done, p->overdue, opt(p->overdue_since), p->supervised,
            p->supervisor, p->reopened, p->progress, p->verification, p->assigned_at, p->closed_at,
            p->updated_at, p->id, p->version);
    return sq_versioned(tx, st, &p->version);
}

static void read_path(arena *a, sq_stmt *st, void *row)
{
    *(const char **)row = sq_text(a, st, 0);
}

err_code store_problem_unit_paths(store_tx *tx, arena *a, int64_t id, const char ***paths,
                                  size_t *n)
{
    static const char sql[] =
        "SELECT n.path FROM problem p JOIN unit n ON n.id = p.unit_id WHERE p.id = ?1"
        " UNION ALL SELECT n.path FROM problem_counit c JOIN unit n ON n.id = c.unit_id"
        " WHERE c.problem_id = ?1";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "i", id);
    err_code e = sq_collect(tx, a, st, sizeof(char *), read_path, (void **)paths, n);
    return e == E_OK && *n == 0 ? E_NOT_FOUND : e;
}

/*
 * A reader sees a problem when its lead unit or one of its co-units lies in the reader's scope.
 *
 * The WHERE clause holds only the conditions a filter uses. The first design had every
 * condition in every statement as "(?N IS NULL OR …)", which SQLite cannot plan with an index:
 * each list, count and figure scanned all problems, and since the long description sits
 * before the filtered columns in each row, a scan of 1M problems read their overflow pages
 * too (about 700 ms a list on the benchmark's database). Each condition keeps its parameter
 * number: ?1 scope, ?2 lead-unit subtree path, ?3 source, ?4 category, ?5 state, ?6 text,
 * ?11/?12 found range, ?13/?14 closed range (UTC seconds), ?15 leader, ?18 the lead unit
 * itself, ?21 a subtree to leave out; ?16, ?17 and ?19 are the callers'. Flags (including a
 * pending extension request) bind nothing.
 */
enum {
    T_SCOPE,
    T_SUBTREE,
    T_SOURCE,
    T_CATEGORY,
    T_STATE,
    T_TEXT,
    T_OVERDUE,
    T_SUPERVISED,
    T_REOPENED,
    T_OPEN,
    T_FOUND_FROM,
    T_FOUND_TO,
    T_CLOSED_FROM,
    T_CLOSED_TO,
    T_LEADER,
    T_UNIT,
    T_EXTENSION_PENDING,
    T_NOT_UNDER,
    NTERMS
};
static const char *const terms[NTERMS] = {
    [T_SCOPE] = " AND EXISTS (SELECT 1 FROM {json_each ?1} j WHERE"
                " substr(n.path, 1, length(j.value)) = j.value OR EXISTS (SELECT 1 FROM"
                " problem_counit c JOIN unit cu ON cu.id = c.unit_id WHERE c.problem_id = p.id"
                " AND substr(cu.path, 1, length(j.value)) = j.value))",
    [T_SUBTREE] = " AND substr(n.path, 1, length(?2)) = ?2",
    [T_SOURCE] = " AND p.source = ?3",
    [T_CATEGORY] = " AND p.category = ?4",
    [T_STATE] = " AND p.state = ?5",
    [T_TEXT] = " AND ({instr p.title, ?6} > 0 OR {instr p.description, ?6} > 0"
               " OR {instr p.subject, ?6} > 0)",
    [T_OVERDUE] = " AND p.overdue = 1",
    [T_SUPERVISED] = " AND p.supervised = 1",
    [T_REOPENED] = " AND p.reopened > 0",
    [T_OPEN] = " AND p.state <> 'closed'",
    [T_FOUND_FROM] = " AND p.found_on >= ?11",
    [T_FOUND_TO] = " AND p.found_on <= ?12",
    [T_CLOSED_FROM] = " AND p.closed_at >= ?13",
    [T_CLOSED_TO] = " AND p.closed_at < ?14",
    [T_LEADER] = " AND p.leader_user_id = ?15",
    [T_UNIT] = " AND p.unit_id = ?18",
    [T_EXTENSION_PENDING] = " AND (SELECT e.action FROM flow_event e WHERE e.flow = 'problem'"
                            " AND e.item_id = p.id AND e.action IN ('request_extension',"
                            " 'approve_extension', 'reject_extension') ORDER BY e.id DESC"
                            " LIMIT 1) = 'request_extension'",
    [T_NOT_UNDER] = " AND substr(n.path, 1, length(?21)) <> ?21",
};

/*
 * 1 when the scope holds the root's path ("/1/": one component), which every unit lies
 * under: the scope test then passes for every problem and is left out. Scopes are JSON
 * arrays of unit paths made by authz_scope, so the root appears as the exact text "/N/".
 */
static int scope_is_everything(const char *scope)
{
    for (const char *q = scope; (q = strstr(q, "\"/")) != NULL; q++) {
        const char *d = q + 2;
        while (*d >= '0' && *d <= '9')
            d++;
        if (d > q + 2 && d[0] == '/' && d[1] == '"') return 1;
    }
    return 0;
}

static unsigned filter_mask(const char *subtree, const store_problem_filter *f)
{
    const int used[NTERMS] = {
        [T_SCOPE] = f->scope && !scope_is_everything(f->scope),
        [T_SUBTREE] = subtree != NULL,
        [T_SOURCE] = opt(f->source) != NULL,
        [T_CATEGORY] = opt(f->category) != NULL,
        [T_STATE] = opt(f->state) != NULL,
        [T_TEXT] = opt(f->q) != NULL,
        [T_OVERDUE] = f->overdue,
        [T_SUPERVISED] = f->supervised,
        [T_REOPENED] = f->reopened,
        [T_OPEN] = f->open_only,
        [T_FOUND_FROM] = opt(f->found_from) != NULL,
        [T_FOUND_TO] = opt(f->found_to) != NULL,
        [T_CLOSED_FROM] = f->closed_from != 0,
        [T_CLOSED_TO] = f->closed_to != 0,
        [T_LEADER] = f->leader_user_id != 0,
        [T_UNIT] = f->unit_only && f->unit_id,
        [T_EXTENSION_PENDING] = f->extension_pending,
        [T_NOT_UNDER] = f->not_under != NULL,
    };
    unsigned m = 0;
    for (int i = 0; i < NTERMS; i++)
        if (used[i]) m |= 1u << i;
    return m;
}

/*
 * The statements built from a shape ("…%s…", where the terms go) and a mask are kept for the
 * process's life, so each has a stable address for the per-connection statement cache. Their
 * number is bounded (a caller could combine filters at will); past the bound a statement is
 * prepared for the one call and finalized after.
 */
enum { MAX_SHAPES = 256 };
typedef struct {
    const char *shape;
    unsigned mask;
    char *sql;
} shape_sql;
static shape_sql shapes[MAX_SHAPES];
static int nshapes;
static pthread_mutex_t shapes_lock = PTHREAD_MUTEX_INITIALIZER;

static char *build_sql(const char *shape, unsigned mask)
{
    size_t len = strlen(shape) + 1;
    for (int i = 0; i < NTERMS; i++)
        if (mask & (1u << i)) len += strlen(terms[i]);
    char *where = xmalloc(len), *w = where;
    *w = 0;
    for (int i = 0; i < NTERMS; i++)
        if (mask & (1u << i)) w = stpcpy(w, terms[i]);
    char *sql = xasprintf(shape, where);
    free(where);
    return sql;
}

/* A filtered statement: cached (owned 0) or prepared for this call only (owned 1). */
typedef struct {
    sq_stmt *st;
    int owned;
} fstmt;

static fstmt prep_filtered(store_tx *tx, const char *shape, unsigned mask)
{
    const char *sql = NULL;
    pthread_mutex_lock(&shapes_lock);
    for (int i = 0; i < nshapes && !sql; i++)
        if (shapes[i].shape == shape && shapes[i].mask == mask) sql = shapes[i].sql;
    if (!sql && nshapes < MAX_SHAPES) {
        shapes[nshapes] = (shape_sql){shape, mask, build_sql(shape, mask)};
        sql = shapes[nshapes++].sql;
    }
    pthread_mutex_unlock(&shapes_lock);
    if (sql) return (fstmt){sq_prep(tx, sql), 0};
    char *once = build_sql(shape, mask);
    fstmt f = {sq_prep_once(tx, once), 1};
    free(once);
    return f;
}

static void done_filtered(fstmt *f)
{
    if (f->owned)
        sq_finalize(f->st);
    else
        sq_reset(f->st);
}

/* Binds the parameters of the terms in the statement (absent ones are never referenced). */
static void bind_filter(sq_stmt *st, const char *subtree, const store_problem_filter *f)
{
    sq_bind_text(st, 1, f->scope);
    sq_bind_text(st, 2, subtree);
    sq_bind_text(st, 3, opt(f->source));
    sq_bind_text(st, 4, opt(f->category));
    sq_bind_text(st, 5, opt(f->state));
    sq_bind_text(st, 6, opt(f->q));
    sq_bind_text(st, 11, opt(f->found_from));
    sq_bind_text(st, 12, opt(f->found_to));
    sq_bind_int(st, 13, f->closed_from);
    sq_bind_int(st, 14, f->closed_to);
    sq_bind_int(st, 15, f->leader_user_id);
    sq_bind_int(st, 18, f->unit_only ? f->unit_id : 0);
    sq_bind_text(st, 21, f->not_under);
}

#define FROM_PROBLEMS " FROM problem p JOIN unit n ON n.id = p.unit_id WHERE 1 = 1%s"

/* The lead unit's subtree path of a filter with unit_id, else NULL. */
static err_code subtree_of(store_tx *tx, arena *a, const store_problem_filter *f,
                           const char **subtree)
{
    *subtree = NULL;
    if (!f->unit_id) return E_OK;
    store_unit u;
    err_code e = store_unit_get(tx, a, f->unit_id, &u);
    if (e == E_OK) *subtree = u.path;
    return e;
}

err_code store_problem_list(store_tx *tx, arena *a, const store_problem_filter *f,
                            store_problem **out, size_t *n, int64_t *total)
{
    /* The count joins the units only for a term about the unit's path: otherwise the join
     * reads each counted problem's row for its unit_id (the FK makes the unit exist), where
     * an index alone can count. */
    static const char count_shape[] = "SELECT count(*)" FROM_PROBLEMS;
    static const char count_rows_shape[] = "SELECT count(*) FROM problem p WHERE 1 = 1%s";
    static const char shape[] =
        "SELECT " PROBLEM_COLS FROM_PROBLEMS " ORDER BY p.id DESC LIMIT ?16 OFFSET ?17";
    const char *subtree;
    err_code e = subtree_of(tx, a, f, &subtree);
    if (e != E_OK) return e;
    unsigned mask = filter_mask(subtree, f);
    int by_unit = mask & (1u << T_SCOPE | 1u << T_SUBTREE | 1u << T_NOT_UNDER);
    fstmt c = prep_filtered(tx, by_unit ? count_shape : count_rows_shape, mask);
    bind_filter(c.st, subtree, f);
    *total = 0;
    e = sq_count(tx, c.st, total);
    done_filtered(&c);
    if (e != E_OK) return e;
    fstmt l = prep_filtered(tx, shape, mask);
    bind_filter(l.st, subtree, f);
    sq_bind_int(l.st, 16, f->limit);
    sq_bind_int(l.st, 17, f->offset);
    e = sq_collect(tx, a, l.st, sizeof(store_problem), read_problem, (void **)out, n);
    done_filtered(&l);
    /* The co-units too: the list shows counit_ids and the ledger its 配合单位 column. */
    for (size_t i = 0; e == E_OK && i < *n; i++)
        e = load_counits(tx, a, &(*out)[i]);
    return e;
}

err_code store_problem_page(store_tx *tx, arena *a, const store_problem_filter *f, int64_t after_id,
                            int64_t limit, store_problem **out, size_t *n)
{
    static const char shape[] =
        "SELECT " PROBLEM_COLS FROM_PROBLEMS " AND p.id > ?19 ORDER BY p.id LIMIT ?16";
    const char *subtree;
    err_code e = subtree_of(tx, a, f, &subtree);
    if (e != E_OK) return e;
    fstmt l = prep_filtered(tx, shape, filter_mask(subtree, f));
    bind_filter(l.st, subtree, f);
    sq_bind_int(l.st, 16, limit);
    sq_bind_int(l.st, 19, after_id);
    e = sq_collect(tx, a, l.st, sizeof(store_problem), read_problem, (void **)out, n);
    done_filtered(&l);
    for (size_t i = 0; e == E_OK && i < *n; i++)
        e = load_counits(tx, a, &(*out)[i]);
    return e;
}

/* ---- figures ---- */

/* The group key of a problem row; ?16 is the parent path for PG_UNIT. */
#define KEY_UNIT                                                                                   \
    "CASE WHEN n.path = ?16 THEN '0' ELSE substr(n.path, length(?16) + 1,"                         \
    " {instr substr(n.path, length(?16) + 1), '/'} - 1) END"
#define STATS_SELECT(key)                                                                          \
    "SELECT " key " AS k, count(*), count(*) FILTER (WHERE p.state = 'closed'),"                   \
    " count(*) FILTER (WHERE p.state <> 'closed'),"                                                \
    " count(*) FILTER (WHERE p.overdue = 1 AND p.state <> 'closed'),"                              \
    " count(*) FILTER (WHERE p.reopened > 0)" FROM_PROBLEMS                                        \
    " AND (?16 IS NULL OR substr(n.path, 1, length(?16)) = ?16) GROUP BY k ORDER BY k"
/* {unindexed p.state} keeps SQLite from taking problem_state_id for the closed ones,
 * which reads each closed problem's row (and its description's overflow pages); the covering
 * problem_figures index answers the query without touching a row. */
#define CLOSURE_SELECT(key)                                                                        \
    "SELECT " key " AS k, p.found_on, p.closed_at" FROM_PROBLEMS                                   \
    " AND {unindexed p.state} = 'closed'"                                                          \
    " AND (?16 IS NULL OR substr(n.path, 1, length(?16)) = ?16)"

static const char *const stats_sql[] = {
    [PG_UNIT] = STATS_SELECT(KEY_UNIT),
    [PG_CATEGORY] = STATS_SELECT("p.category"),
    [PG_SOURCE] = STATS_SELECT("p.source"),
    [PG_MONTH] = STATS_SELECT("substr(p.found_on, 1, 7)"),
};
static const char *const closure_sql[] = {
    [PG_UNIT] = CLOSURE_SELECT(KEY_UNIT),
    [PG_CATEGORY] = CLOSURE_SELECT("p.category"),
    [PG_SOURCE] = CLOSURE_SELECT("p.source"),
    [PG_MONTH] = CLOSURE_SELECT("substr(p.found_on, 1, 7)"),
};

/* Runs a grouped figure query of shape over f's problems, collecting rows with read. */
static err_code grouped(store_tx *tx, arena *a, const char *shape, const store_problem_filter *f,
                        const char *parent_path, size_t size, sq_read_fn read, void **out,
                        size_t *n)
{
    fstmt g = prep_filtered(tx, shape, filter_mask(NULL, f));
    bind_filter(g.st, NULL, f);
    sq_bind_text(g.st, 16, parent_path);
    err_code e = sq_collect(tx, a, g.st, size, read, out, n);
    done_filtered(&g);
    return e;
}

/* One row of store_problem_stats. */
static void read_problem_stats(arena *a, sq_stmt *st, void *row)
{
    store_problem_group *g = row;
    g->key = sq_text(a, st, 0);
    g->found = sq_int(st, 1);
    g->solved = sq_int(st, 2);
    g->open = sq_int(st, 3);
    g->overdue = sq_int(st, 4);
    g->reopened = sq_int(st, 5);
}

err_code store_problem_stats(store_tx *tx, arena *a, const store_problem_filter *f,
                             problem_grouping g, const char *parent_path, store_problem_group **out,
                             size_t *n)
{
    return grouped(tx, a, stats_sql[g], f, parent_path, sizeof(store_problem_group),
                   read_problem_stats, (void **)out, n);
}

/* One row of store_problem_closures. */
static void read_problem_closures(arena *a, sq_stmt *st, void *row)
{
    store_problem_closure *c = row;
    c->key = sq_text(a, st, 0);
    c->found_on = sq_text(a, st, 1);
    c->closed_at = sq_int(st, 2);
}

err_code store_problem_closures(store_tx *tx, arena *a, const store_problem_filter *f,
                                problem_grouping g, const char *parent_path,
                                store_problem_closure **out, size_t *n)
{
    return grouped(tx, a, closure_sql[g], f, parent_path, sizeof(store_problem_closure),
                   read_problem_closures, (void **)out, n);
}

/* One row of store_problem_recurring. */
static void read_problem_recurring(arena *a, sq_stmt *st, void *row)
{
    store_recurring *r = row;
    r->category = sq_text(a, st, 0);
    r->units = sq_int(st, 1);
    r->problems = sq_int(st, 2);
}

err_code store_problem_recurring(store_tx *tx, arena *a, const store_problem_filter *f,
                                 int64_t min_units, store_recurring **out, size_t *n)
{
    static const char shape[] =
        "SELECT p.category, count(DISTINCT p.unit_id) AS u, count(*)" FROM_PROBLEMS
        " GROUP BY p.category"
        " HAVING count(DISTINCT p.unit_id) >= ?16"
        " ORDER BY u DESC, p.category";
    const char *subtree;
    err_code e = subtree_of(tx, a, f, &subtree);
    if (e != E_OK) return e;
    fstmt r = prep_filtered(tx, shape, filter_mask(subtree, f));
    bind_filter(r.st, subtree, f);
    sq_bind_int(r.st, 16, min_units);
    e = sq_collect(tx, a, r.st, sizeof(store_recurring), read_problem_recurring, (void **)out, n);
    done_filtered(&r);
    return e;
}
