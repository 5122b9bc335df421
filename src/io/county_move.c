/*
 * county_move — a county's SQLite database copied into another duban database (see
 * county_move.h for what it guarantees).
 *
 * The schema is read from the source (SQLite's own catalogue: the source of a move is a
 * county's SQLite file by definition, so this is the one place outside the driver that reads
 * SQLite's pragmas). Each table is classified once: its own integer id (a fresh one is taken
 * in the target and the pair remembered), its foreign keys (rewritten through the map of the
 * table named), a (flow, item_id) pair (rewritten through the table of the flow), or a table
 * without an id of its own (copied with its references rewritten; a row that is already there
 * is left as it is). A few tables are matched by a natural key instead of copied (the roles,
 * the shared indicator library): the county's rows then map onto the target's. Then every row
 * is written in one transaction of the target, in an order where what a row references is
 * already there.
 */
#include "io/county_move.h"

#include "attach/attach.h"
#include "base/clock.h"
#include "base/jsonx.h"
#include "base/mem.h"
#include "base/text.h"
#include "store/sq.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_TABLES = 192, MAX_COLS = 64, MAX_SEALS = 4, MAX_LISTED = 8, ROWS_PER_ARENA = 4096 };

/* ---- a map of ids, old → new (open addressing; ids are positive) ---- */

typedef struct {
    int64_t *keys, *vals;
    size_t cap, n;
} idmap;

static void idmap_free(idmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static size_t slot_of(const idmap *m, int64_t k)
{
    uint64_t h = (uint64_t)k * 0x9E3779B97F4A7C15ull;
    size_t i = (size_t)(h >> 17) & (m->cap - 1);
    while (m->keys[i] && m->keys[i] != k)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void idmap_put(idmap *m, int64_t k, int64_t v)
{
    if (2 * (m->n + 1) > m->cap) {
        idmap old = *m;
        m->cap = old.cap ? 2 * old.cap : 1024;
        m->keys = xcalloc(m->cap, sizeof *m->keys);
        m->vals = xcalloc(m->cap, sizeof *m->vals);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i]) idmap_put(m, old.keys[i], old.vals[i]);
        idmap_free(&old);
    }
    size_t i = slot_of(m, k);
    if (!m->keys[i]) m->n++;
    m->keys[i] = k;
    m->vals[i] = v;
}

/* The value for k, or 0 when there is none. */
static int64_t idmap_get(const idmap *m, int64_t k)
{
    if (!m->cap || k <= 0) return 0;
    size_t i = slot_of(m, k);
    return m->keys[i] ? m->vals[i] : 0;
}

/* ---- the schema, as the move sees it ---- */

typedef struct table table;

typedef struct {
    const char *name, *type;
    const char *where; /* "table.column", for messages */
    int pk;
    table *fk; /* the table this column references by its id, or NULL */
    int fk_text; /* references a text key (copied as it is) */
} column;

struct table {
    const char *name;
    column cols[MAX_COLS];
    int ncols;
    int own_id;          /* index of the table's own integer id, or -1 */
    int flow, item;      /* the (flow, item_id) pair, or -1 */
    const char *natural; /* "name" or "class, level1, level2, name": matched, not copied */
    int skip;            /* not copied by the walk (handled apart, or local to an instance) */
    int placed;          /* already written (the walk's order) */
    struct {
        int col, hash;   /* the sealed column's index, its hash column's or -1 */
        const move_sealer *by;
        const move_sealed_col *def;
    } seals[MAX_SEALS];
    int nseals;
    idmap map;           /* old id → new id */
    idmap existing;      /* old id → 1 when the row matched one already in the target */
    int64_t rows, copied, matched, skipped, before, after;
};

/* Flows and the table whose id their item_id is. A flow missing here stops the move. */
static const struct {
    const char *flow, *table;
} FLOW_TABLES[] = {
    {"problem", "problem"},   {"feedback", "feedback"},
    {"budget", "budget_project"}, {"branch", "unit"},
    {"liaison", "liaison_assignment"}, {"activity", "activity"},
};

/* Keys of JSON details that hold an id, and the table of that id. Another *_id key stops it. */
static const struct {
    const char *key, *table;
} JSON_IDS[] = {
    {"leader_id", "user"}, {"reviewer_id", "user"}, {"user_id", "user"},
    {"unit_id", "unit"},   {"problem_id", "problem"},
};

/* References the schema does not declare as foreign keys (the column's table has rows the
 * referenced one is written with, or the reference was added later), named here instead. */
static const struct {
    const char *table, *column, *to;
} UNDECLARED_REFS[] = {
    {"budget_opinion", "event_id", "flow_event"},
};

/*
 * The notifications' dedupe keys name rows too ("overdue:<problem>:<date>:<user>"): so that
 * the first tick after the move knows what was already sent, each key is rewritten by the
 * form of its first segment, one role per segment, comma-separated: I the row's item, U its
 * user, - as it is, or the name of the table whose id the segment is (0: none). A key that
 * does not fit its form (I and U must be the row's own) keeps its text behind the move's tag:
 * unique, at the cost of the next tick perhaps notifying once more.
 */
static const struct {
    const char *head, *roles;
} DEDUPE_FORMS[] = {
    {"budget.monitor", "-,budget_monitor,U"},
    {"budget", "-,I,flow_event,U"},
    {"liaison.", "-,I,liaison_person,liaison_enterprise,-,U"},
    {"lookback", "-,U,-"},
    {"branch_noncompliant", "-,-,I,U"},
    {"feedback_overdue", "-,I,U"},
    {"urge", "-,notify_urge,U"},
    {"calendar_missing", "-,-,U"},
    {"audit_disk_low", "-,-,U"},
    {"", "-,I,-,U"}, /* the problem list's tick */
};

/* Binary columns that hold no sealed value: copied as they are. Any other binary column must
 * be declared by a mechanism's re-sealer, or the move stops (see classify). */
static const struct {
    const char *table, *column;
} PLAIN_BLOBS[] = {
    {"api_token", "token_hash"},
};

/* Tables matched by a natural key: the target's row stands for the county's. */
static const struct {
    const char *table, *key;
} NATURAL[] = {
    {"role", "name"},
    {"budget_indicator_lib", "class, level1, level2, name"},
};

/* Tables that stay behind: the instance's own settings, sessions (users sign in again), the
 * failed-login counters (they age out in minutes and name the old instance's addresses), the
 * audit chain (archived apart), files (copied by hash), and earlier moves' records. */
static const char *const LOCAL_TABLES[] = {
    "meta",         "session",       "login_throttle", "audit",
    "file_chunk",   "county_move",   "audit_archive",  "schema_version",
};

typedef struct {
    const move_opts *o;
    store_tx *src, *dst;
    arena *a;   /* lives as long as the move: the schema, the paths */
    arena *row; /* the rewritten values of the rows being copied, renewed every few thousand */
    char *why;
    size_t whylen;
    table tables[MAX_TABLES];
    int ntables;
    int64_t under_id, root_id, move_id;
    const char *under_path, *source_id, *tag;
    idmap unit_path; /* new unit id → index into paths */
    const char **paths;
    size_t npaths, cappaths;
    int64_t files, file_bytes;
    int64_t dedupe_kept; /* dedupe keys rewritten to the moved ids (others: tagged) */
    int checked; /* the check ran to its end and was rolled back on purpose */
} mover;

static err_code refuse(mover *m, err_code e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->why, m->whylen, fmt, ap);
    va_end(ap);
    return e;
}

static table *table_named(mover *m, const char *name)
{
    for (int i = 0; i < m->ntables; i++)
        if (strcmp(m->tables[i].name, name) == 0) return &m->tables[i];
    return NULL;
}

static int listed(const char *const *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0) return 1;
    return 0;
}

static err_code read_tables(mover *m)
{
    static const char sql[] = "SELECT name FROM sqlite_schema WHERE type = 'table'"
                              " AND name NOT LIKE 'sqlite_%' ORDER BY name";
    sq_stmt *st = sq_prep_once(m->src, sql);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW) {
        if (m->ntables == MAX_TABLES) {
            rc = refuse(m, E_INTERNAL, "源数据库的表超过 %d 个", MAX_TABLES);
            break;
        }
        table *t = &m->tables[m->ntables++];
        memset(t, 0, sizeof *t);
        t->name = sq_text(m->a, st, 0);
        t->own_id = t->flow = t->item = -1;
        t->skip = listed(LOCAL_TABLES, sizeof LOCAL_TABLES / sizeof *LOCAL_TABLES, t->name);
    }
    sq_finalize(st);
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

static err_code read_columns(mover *m, table *t)
{
    sq_stmt *st = sq_prep_once(m->src, "SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid");
    sq_bind_text(st, 1, t->name);
    int rc;
    while ((rc = sq_step(st)) == SQ_ROW && t->ncols < MAX_COLS) {
        column *c = &t->cols[t->ncols++];
        c->name = sq_text(m->a, st, 0);
        c->type = sq_text(m->a, st, 1);
        c->pk = (int)sq_int(st, 2);
        c->where = arena_sprintf(m->a, "%s.%s", t->name, c->name);
    }
    sq_finalize(st);
    if (rc == SQ_ROW) return refuse(m, E_INTERNAL, "表 %s 的列太多", t->name);
    if (rc != SQ_DONE) return (err_code)rc;
    return E_OK;
}

static column *column_named(table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0) return &t->cols[i];
    return NULL;
}

static err_code read_keys(mover *m, table *t)
{
    sq_stmt *st = sq_prep_once(
        m->src, "SELECT \"from\", \"table\", coalesce(\"to\", '') FROM pragma_foreign_key_list(?1)");
    sq_bind_text(st, 1, t->name);
    int rc;
    err_code e = E_OK;
    while (e == E_OK && (rc = sq_step(st)) == SQ_ROW) {
        column *c = column_named(t, sq_text_peek(st, 0));
        table *to = table_named(m, sq_text_peek(st, 1));
        const char *to_col = sq_text_peek(st, 2);
        if (!c || !to)
            e = refuse(m, E_INTERNAL, "表 %s 的外键无法解析", t->name);
        else if (strcmp(to_col, "id") == 0 || !*to_col)
            c->fk = to;
        else
            c->fk_text = 1;
    }
    sq_finalize(st);
    return e != E_OK ? e : rc == SQ_DONE ? E_OK : (err_code)rc;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

static int column_index(const table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0) return i;
    return -1;
}

/* Whether column i of t is declared as sealed, or as plain binary. */
static int blob_declared(const table *t, int i)
{
    for (int k = 0; k < t->nseals; k++)
        if (t->seals[k].col == i) return 1;
    for (size_t k = 0; k < sizeof PLAIN_BLOBS / sizeof *PLAIN_BLOBS; k++)
        if (strcmp(PLAIN_BLOBS[k].table, t->name) == 0 &&
            strcmp(PLAIN_BLOBS[k].column, t->cols[i].name) == 0)
            return 1;
    return 0;
}

/* The re-sealers' columns of t; a binary column nobody declares stops the move, since a
 * sealed value copied as it is could never be opened under the target's keys. */
static err_code find_seals(mover *m, table *t)
{
    for (size_t s = 0; s < m->o->nsealers; s++)
        for (const move_sealed_col *d = m->o->sealers[s].cols; d->table; d++) {
            if (strcmp(d->table, t->name) != 0) continue;
            int col = column_index(t, d->column);
            int hash = d->hash_column ? column_index(t, d->hash_column) : -1;
            if (col < 0 || (d->hash_column && hash < 0) || t->nseals == MAX_SEALS)
                return refuse(m, E_INTERNAL, "表 %s 没有加密列 %s 或其散列列，迁移的规则与表结构不符",
                              t->name, d->column);
            t->seals[t->nseals].col = col;
            t->seals[t->nseals].hash = hash;
            t->seals[t->nseals].by = &m->o->sealers[s];
            t->seals[t->nseals].def = d;
            t->nseals++;
        }
    for (int i = 0; i < t->ncols; i++)
        if (strcasecmp(t->cols[i].type, "BLOB") == 0 && !blob_declared(t, i))
            return refuse(m, E_INTERNAL,
                          "表 %s 的列 %s 是二进制列，迁移没有它的规则（若是加密数据，所属机制须提供重新加密）",
                          t->name, t->cols[i].name);
    return E_OK;
}

/* Finds each table's id, references and pair; refuses a column that looks like a reference
 * with no rule for it (a new mechanism's table the move does not yet understand). */
static err_code classify(mover *m, table *t)
{
    for (size_t i = 0; i < sizeof NATURAL / sizeof *NATURAL; i++)
        if (strcmp(NATURAL[i].table, t->name) == 0) t->natural = NATURAL[i].key;
    for (size_t i = 0; i < sizeof UNDECLARED_REFS / sizeof *UNDECLARED_REFS; i++) {
        column *c = strcmp(UNDECLARED_REFS[i].table, t->name) == 0
                        ? column_named(t, UNDECLARED_REFS[i].column)
                        : NULL;
        if (c) c->fk = table_named(m, UNDECLARED_REFS[i].to);
    }
    for (int i = 0; i < t->ncols; i++) {
        column *c = &t->cols[i];
        if (c->pk == 1 && strcmp(c->name, "id") == 0 && !c->fk) t->own_id = i;
        if (strcmp(c->name, "flow") == 0) t->flow = i;
        if (strcmp(c->name, "item_id") == 0) t->item = i;
    }
    if (t->skip) return E_OK;
    err_code e = find_seals(m, t);
    if (e != E_OK) return e;
    for (int i = 0; i < t->ncols; i++) {
        column *c = &t->cols[i];
        int looks_like_ref = ends_with(c->name, "_id") && strcasecmp(c->type, "INTEGER") == 0;
        if (looks_like_ref && !c->fk && i != t->item)
            return refuse(m, E_INTERNAL,
                          "表 %s 的列 %s 像是引用，但迁移没有对应的规则（请补充外键或迁移规则）",
                          t->name, c->name);
    }
    if (t->item >= 0 && t->flow < 0)
        return refuse(m, E_INTERNAL, "表 %s 有 item_id 而没有 flow 列", t->name);
    return E_OK;
}

static err_code read_schema(mover *m)
{
    err_code e = read_tables(m);
    for (int i = 0; e == E_OK && i < m->ntables; i++)
        e = read_columns(m, &m->tables[i]);
    for (int i = 0; e == E_OK && i < m->ntables; i++)
        e = read_keys(m, &m->tables[i]);
    for (int i = 0; e == E_OK && i < m->ntables; i++)
        e = classify(m, &m->tables[i]);
    return e;
}

/* ---- before anything is written: the target, the county, and what would collide ---- */

static err_code count_rows(store_tx *tx, arena *a, const char *name, int64_t *n)
{
    sq_stmt *st = sq_prep_once(tx, arena_sprintf(a, "SELECT count(*) FROM \"%s\"", name));
    err_code e = sq_count(tx, st, n);
    sq_finalize(st);
    return e;
}

static err_code find_under(mover *m)
{
    static const char sql[] = "SELECT id, path FROM unit WHERE code = ?1";
    sq_stmt *st = sq_prep(m->dst, sql);
    sq_bind_text(st, 1, m->o->under);
    int rc = sq_step(st);
    if (rc == SQ_ROW) {
        m->under_id = sq_int(st, 0);
        m->under_path = sq_text(m->a, st, 1);
    }
    sq_reset(st);
    if (rc == SQ_DONE) return refuse(m, E_NOT_FOUND, "目标数据库中没有编码为 %s 的单位", m->o->under);
    return rc == SQ_ROW ? E_OK : (err_code)rc;
}

/* The county's identity: the first mac of its chain (random key, so unique per county). */
static err_code find_source(mover *m)
{
    sq_stmt *st = sq_prep_once(m->src, "SELECT mac FROM audit WHERE seq = 1");
    int rc = sq_step(st);
    if (rc == SQ_ROW) m->source_id = sq_text(m->a, st, 0);
    sq_finalize(st);
    if (rc == SQ_DONE) return refuse(m, E_FIELD_INVALID, "源数据库没有审计链的初始化记录");
    if (rc != SQ_ROW) return rc;
    m->tag = arena_sprintf(m->a, "mv%.12s:", m->source_id);
    static const char sql[] = "SELECT id, moved_at FROM county_move WHERE source_id = ?1";
    st = sq_prep(m->dst, sql);
    sq_bind_text(st, 1, m->source_id);
    rc = sq_step(st);
    int64_t id = rc == SQ_ROW ? sq_int(st, 0) : 0, at = rc == SQ_ROW ? sq_int(st, 1) : 0;
    sq_reset(st);
    if (rc == SQ_ROW) {
        char when[32];
        clock_iso(at, when);
        return refuse(m, E_DUPLICATE, "这个县的数据库已经迁入过（第 %lld 次迁移，%s），不能再迁一次",
                      (long long)id, when);
    }
    return rc == SQ_DONE ? E_OK : (err_code)rc;
}

/*
 * Lists, in why, the county's values of column `col` of `table` (with prefix put before them)
 * that the target already has; E_CONFLICT when there is any. `where` narrows the county's rows.
 */
static err_code collisions(mover *m, const char *tname, const char *col, const char *where,
                           const char *prefix, const char *what)
{
    sq_stmt *src = sq_prep_once(
        m->src, arena_sprintf(m->a, "SELECT \"%s\" FROM \"%s\"%s ORDER BY 1", col, tname, where));
    sq_stmt *dst = sq_prep_once(
        m->dst, arena_sprintf(m->a, "SELECT 1 FROM \"%s\" WHERE \"%s\" = ?1", tname, col));
    char list[512] = "";
    size_t used = 0;
    int found = 0, rc;
    err_code e = E_OK;
    while (e == E_OK && (rc = sq_step(src)) == SQ_ROW) {
        const char *v = arena_sprintf(m->a, "%s%s", prefix ? prefix : "", sq_text_peek(src, 0));
        sq_reset(dst);
        sq_bind_text(dst, 1, v);
        int hit = sq_step(dst);
        if (hit != SQ_ROW && hit != SQ_DONE) e = (err_code)hit;
        if (hit == SQ_ROW && found++ < MAX_LISTED && used < sizeof list - 64)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", used ? "、" : "", v);
    }
    if (e == E_OK && rc != SQ_DONE) e = (err_code)rc;
    sq_finalize(src);
    sq_finalize(dst);
    if (e != E_OK) return e;
    if (!found) return E_OK;
    return refuse(m, E_DUPLICATE, "%d 个%s与目标数据库重复：%s%s（可用 --%s 加前缀）", found, what,
                  list, found > MAX_LISTED ? " 等" : "",
                  strcmp(col, "login") == 0 ? "login_prefix" : "code_prefix");
}

static err_code check_collisions(mover *m)
{
    err_code e = collisions(m, "unit", "code", "", m->o->code_prefix, "单位编码");
    if (e == E_OK) e = collisions(m, "user", "login", "", m->o->login_prefix, "登录名");
    if (e == E_OK) e = collisions(m, "role", "name", " WHERE builtin = 0", NULL, "自定义角色");
    return e;
}

/* ---- rewriting one value ---- */

typedef struct {
    sq_kind kind;
    int64_t i;
    const char *s; /* text (arena) or blob */
    size_t n;
} value;

static err_code mapped(mover *m, table *to, int64_t old, const char *where, int64_t *out)
{
    *out = idmap_get(&to->map, old);
    if (*out) return E_OK;
    return refuse(m, E_FIELD_INVALID, "%s 引用的 %s 第 %lld 行在源数据库中不存在", where, to->name,
                  (long long)old);
}

static table *flow_table(mover *m, const char *flow)
{
    for (size_t i = 0; i < sizeof FLOW_TABLES / sizeof *FLOW_TABLES; i++)
        if (strcmp(FLOW_TABLES[i].flow, flow) == 0) return table_named(m, FLOW_TABLES[i].table);
    return NULL;
}

/* "user:N" (an actor or a grantor) with N rewritten; other text as it is. */
static const char *actor_text(mover *m, const char *s, int *bad)
{
    if (strncmp(s, "user:", 5) != 0 || !s[5]) return s;
    char *end;
    long long id = strtoll(s + 5, &end, 10);
    if (*end) return s;
    int64_t to = idmap_get(&table_named(m, "user")->map, id);
    if (!to) *bad = 1;
    return arena_sprintf(m->row, "user:%lld", (long long)to);
}

/* A JSON object's *_id keys rewritten by JSON_IDS; any other *_id key with a number refuses. */
static err_code json_text(mover *m, const char *where, const char *s, const char **out)
{
    *out = s;
    if (s[0] != '{' || !strstr(s, "_id\"")) return E_OK;
    json_t *j = json_loads(s, 0, NULL);
    if (!j) return E_OK;
    const char *key;
    json_t *v;
    err_code e = E_OK;
    int changed = 0;
    json_object_foreach(j, key, v) {
        if (!ends_with(key, "_id") || !json_is_integer(v)) continue;
        table *to = NULL;
        for (size_t i = 0; i < sizeof JSON_IDS / sizeof *JSON_IDS; i++)
            if (strcmp(JSON_IDS[i].key, key) == 0) to = table_named(m, JSON_IDS[i].table);
        if (!to) {
            e = refuse(m, E_INTERNAL, "%s 的 JSON 键 %s 像是引用，但迁移没有对应的规则", where, key);
            break;
        }
        int64_t id;
        e = mapped(m, to, json_integer_value(v), where, &id);
        if (e != E_OK) break;
        json_object_set_new(j, key, json_integer(id));
        changed = 1;
    }
    if (e == E_OK && changed) {
        char *txt = json_dumps(j, JSON_COMPACT);
        *out = arena_strdup(m->row, txt);
        free(txt);
    }
    json_decref(j);
    return e;
}

static const char *dedupe_roles(const char *key)
{
    for (size_t i = 0; i < sizeof DEDUPE_FORMS / sizeof *DEDUPE_FORMS; i++) {
        const char *h = DEDUPE_FORMS[i].head;
        size_t n = strlen(h);
        if (strncmp(key, h, n) == 0 && (!n || h[n - 1] == '.' || key[n] == ':'))
            return DEDUPE_FORMS[i].roles;
    }
    return NULL;
}

/* A segment's new text by its role, or NULL when it does not fit. */
static const char *dedupe_segment(mover *m, const char *role, const char *seg, int64_t item,
                                  int64_t user, table *items)
{
    if (strcmp(role, "-") == 0) return seg;
    char *end;
    long long id = strtoll(seg, &end, 10);
    if (!*seg || *end) return NULL;
    int is_item = strcmp(role, "I") == 0, is_user = strcmp(role, "U") == 0;
    table *to = is_item ? items : table_named(m, is_user ? "user" : role);
    if ((is_item && id != item) || (is_user && id != user) || !to) return NULL;
    if (id == 0 && !is_item && !is_user) return seg; /* none */
    int64_t now = idmap_get(&to->map, id);
    return now ? arena_sprintf(m->row, "%lld", (long long)now) : NULL;
}

static const char *dedupe_text(mover *m, table *t, sq_stmt *row, const char *key)
{
    const char *tagged = arena_sprintf(m->row, "%s%s", m->tag, key);
    const char *form = dedupe_roles(key);
    column *uc = column_named(t, "user_id");
    if (!form || !uc || t->item < 0) return tagged;
    int64_t item = sq_int(row, t->item), user = sq_int(row, (int)(uc - t->cols));
    table *items = flow_table(m, sq_text_peek(row, t->flow));
    char *segs = arena_strdup(m->row, key), *roles = arena_strdup(m->row, form);
    char *ssave = NULL, *rsave = NULL, *out = NULL;
    char *seg = strtok_r(segs, ":", &ssave), *role = strtok_r(roles, ",", &rsave);
    for (; seg && role; seg = strtok_r(NULL, ":", &ssave), role = strtok_r(NULL, ",", &rsave)) {
        const char *now = dedupe_segment(m, role, seg, item, user, items);
        if (!now) return tagged;
        out = out ? arena_sprintf(m->row, "%s:%s", out, now) : arena_strdup(m->row, now);
    }
    if (seg || role) return tagged; /* more segments or more roles than the form has */
    m->dedupe_kept++;
    return out;
}

/* Reads column i of the current source row, rewritten for the target. */
static err_code rewrite(mover *m, table *t, sq_stmt *row, int i, value *v)
{
    column *c = &t->cols[i];
    const char *where = c->where;
    v->kind = sq_column_kind(row, i);
    if (v->kind == SQ_NULL) return E_OK;
    if (v->kind == SQ_REAL) return refuse(m, E_INTERNAL, "%s 是小数列，迁移不支持", where);
    if (v->kind == SQ_BLOB) {
        v->s = sq_blob(row, i, &v->n);
        return E_OK;
    }
    if (v->kind == SQ_INTEGER) {
        v->i = sq_int(row, i);
        if (c->fk) return mapped(m, c->fk, v->i, where, &v->i);
        if (i == t->item) {
            const char *flow = sq_text_peek(row, t->flow);
            table *to = flow_table(m, flow);
            if (!to) return refuse(m, E_INTERNAL, "%s 属于流程 %s，迁移没有它的规则", where, flow);
            return mapped(m, to, v->i, where, &v->i);
        }
        return E_OK;
    }
    arena *a = m->row;
    v->s = sq_text(a, row, i);
    if (strcmp(t->name, "unit") == 0 && strcmp(c->name, "code") == 0 && m->o->code_prefix)
        v->s = arena_sprintf(a, "%s%s", m->o->code_prefix, v->s);
    else if (strcmp(t->name, "unit") == 0 && strcmp(c->name, "path") == 0)
        v->s = arena_sprintf(a, "%s%s", m->tag, v->s); /* set once the id is known */
    else if (strcmp(t->name, "user") == 0 && strcmp(c->name, "login") == 0 && m->o->login_prefix)
        v->s = arena_sprintf(a, "%s%s", m->o->login_prefix, v->s);
    else if (strcmp(c->name, "dedupe") == 0)
        v->s = dedupe_text(m, t, row, v->s);
    else {
        int bad = 0;
        v->s = actor_text(m, v->s, &bad);
        if (bad) return refuse(m, E_FIELD_INVALID, "%s 的 %s 指向不存在的用户", where, sq_text_peek(row, i));
        err_code e = json_text(m, where, v->s, &v->s);
        if (e != E_OK) return e;
    }
    v->n = strlen(v->s);
    return E_OK;
}

static void bind_value(sq_stmt *st, int p, const value *v)
{
    switch (v->kind) {
    case SQ_INTEGER: sq_bind_int(st, p, v->i); break;
    case SQ_TEXT: sq_bind_text(st, p, v->s); break;
    case SQ_BLOB: sq_bind_blob(st, p, v->s, v->n); break;
    default: sq_bind_null(st, p); break;
    }
}

/* ---- copying one table ---- */

typedef struct {
    sq_stmt *read, *insert, *match;
} table_stmts;

static const char *column_list(mover *m, table *t, int with_id)
{
    char *s = arena_strdup(m->a, "");
    for (int i = 0; i < t->ncols; i++)
        if (with_id || i != t->own_id)
            s = arena_sprintf(m->a, "%s%s\"%s\"", s, *s ? ", " : "", t->cols[i].name);
    return s;
}

static void prepare(mover *m, table *t, table_stmts *s)
{
    const char *all = column_list(m, t, 1), *some = column_list(m, t, 0);
    const char *order = strcmp(t->name, "unit") == 0 ? " ORDER BY length(path), id" : "";
    s->read = sq_prep_once(m->src, arena_sprintf(m->a, "SELECT %s FROM \"%s\"%s", all, t->name, order));
    char *params = arena_strdup(m->a, "");
    int n = 0;
    for (int i = 0; i < t->ncols; i++)
        if (i != t->own_id) {
            n++;
            params = arena_sprintf(m->a, "%s%s?%d", params, n > 1 ? ", " : "", n);
        }
    s->insert = sq_prep_once(
        m->dst, arena_sprintf(m->a, "INSERT INTO \"%s\"(%s) VALUES (%s)%s", t->name, some, params,
                              t->own_id >= 0 ? " {returning_id}" : " ON CONFLICT DO NOTHING"));
    s->match = NULL;
    if (t->natural) {
        char *cond = arena_strdup(m->a, "");
        char *keys = arena_strdup(m->a, t->natural), *save = NULL;
        int k = 0;
        for (char *key = strtok_r(keys, ", ", &save); key; key = strtok_r(NULL, ", ", &save))
        {
            cond = arena_sprintf(m->a, "%s%s\"%s\" = ?%d", cond, k ? " AND " : "", key, k + 1);
            k++;
        }
        s->match = sq_prep_once(m->dst,
                                arena_sprintf(m->a, "SELECT id FROM \"%s\" WHERE %s", t->name, cond));
    }
}

static void finish(table_stmts *s)
{
    sq_finalize(s->read);
    sq_finalize(s->insert);
    if (s->match) sq_finalize(s->match);
}

/* The target's row with the same natural key as the current source row, or 0. */
static err_code match_row(mover *m, table *t, table_stmts *s, int64_t *id)
{
    char *keys = arena_strdup(m->a, t->natural), *save = NULL;
    int k = 0;
    sq_reset(s->match);
    for (char *key = strtok_r(keys, ", ", &save); key; key = strtok_r(NULL, ", ", &save)) {
        int c = 0;
        while (strcmp(t->cols[c].name, key) != 0)
            c++;
        sq_bind_text(s->match, ++k, sq_text_peek(s->read, c));
    }
    int rc = sq_step(s->match);
    *id = rc == SQ_ROW ? sq_int(s->match, 0) : 0;
    sq_reset(s->match);
    return rc == SQ_ROW || rc == SQ_DONE ? E_OK : (err_code)rc;
}

/* A row of a table without its own id that hangs on a row the target already had (a role's
 * permissions): the target's stays as it is. */
static int hangs_on_existing(table *t, sq_stmt *row)
{
    if (t->own_id >= 0) return 0;
    for (int i = 0; i < t->ncols; i++)
        if (t->cols[i].fk && idmap_get(&t->cols[i].fk->existing, sq_int(row, i))) return 1;
    return 0;
}

/* A unit's real path, now that its id is known: its parent's path and its id. */
static err_code place_unit(mover *m, table *t, sq_stmt *row, int64_t id)
{
    column *parent = column_named(t, "parent_id");
    int pcol = (int)(parent - t->cols);
    const char *base = m->under_path;
    if (sq_column_kind(row, pcol) != SQ_NULL) {
        int64_t p = idmap_get(&t->map, sq_int(row, pcol));
        base = m->paths[idmap_get(&m->unit_path, p) - 1];
    } else {
        m->root_id = id;
    }
    const char *path = arena_sprintf(m->a, "%s%lld/", base, (long long)id);
    if (m->npaths == m->cappaths) {
        m->cappaths = m->cappaths ? 2 * m->cappaths : 256;
        const char **grown = arena_alloc(m->a, m->cappaths * sizeof *grown);
        if (m->npaths) memcpy(grown, m->paths, m->npaths * sizeof *grown);
        m->paths = grown;
    }
    m->paths[m->npaths++] = path;
    idmap_put(&m->unit_path, id, (int64_t)m->npaths);
    static const char sql[] = "UPDATE unit SET path = ?1 WHERE id = ?2";
    sq_stmt *st = sq_prep(m->dst, sql);
    sq_bind(st, "si", path, id);
    return sq_exec(m->dst, st);
}

/* Seals the row's sealed values again under the target's keys (and their hashes). */
static err_code reseal_row(mover *m, table *t, value *vals, int64_t old)
{
    for (int k = 0; k < t->nseals; k++) {
        value *v = &vals[t->seals[k].col];
        if (v->kind == SQ_NULL) continue;
        const move_sealer *by = t->seals[k].by;
        unsigned char *out = NULL;
        size_t n = 0;
        const char *hash = NULL;
        if (v->kind != SQ_BLOB ||
            by->reseal(by->ctx, t->seals[k].def, m->row, (const unsigned char *)v->s, v->n,
                       &out, &n, &hash) != 0)
            return refuse(m, E_FIELD_INVALID,
                          "%s（%s 表第 %lld 行）不能用县级密钥解开：--from_key 须是该县的审计密钥"
                          "（该县若轮换过密钥，先在县里轮换回审计密钥）",
                          t->seals[k].def->what, t->name, (long long)old);
        v->s = (const char *)out;
        v->n = n;
        if (t->seals[k].hash >= 0) {
            value *h = &vals[t->seals[k].hash];
            h->kind = hash ? SQ_TEXT : SQ_NULL;
            h->s = hash;
            h->n = hash ? strlen(hash) : 0;
        }
    }
    return E_OK;
}

static err_code copy_row(mover *m, table *t, table_stmts *s)
{
    t->rows++;
    int64_t old = t->own_id >= 0 ? sq_int(s->read, t->own_id) : 0;
    if (t->natural) {
        int64_t id;
        err_code e = match_row(m, t, s, &id);
        if (e != E_OK) return e;
        if (id) {
            idmap_put(&t->map, old, id);
            idmap_put(&t->existing, old, 1);
            t->matched++;
            return E_OK;
        }
    }
    if (hangs_on_existing(t, s->read)) {
        t->skipped++;
        return E_OK;
    }
    value vals[MAX_COLS];
    for (int i = 0; i < t->ncols; i++) {
        err_code e = i == t->own_id ? E_OK : rewrite(m, t, s->read, i, &vals[i]);
        if (e != E_OK) return e;
    }
    err_code e = reseal_row(m, t, vals, old);
    if (e != E_OK) return e;
    sq_reset(s->insert);
    for (int i = 0, p = 0; i < t->ncols; i++)
        if (i != t->own_id) bind_value(s->insert, ++p, &vals[i]);
    if (t->own_id < 0) {
        e = sq_exec(m->dst, s->insert);
        if (e != E_OK) return refuse(m, e, "写入表 %s 失败（%s）", t->name, err_message(e));
        if (sq_changes(m->dst)) t->copied++;
        else t->skipped++;
        return E_OK;
    }
    int64_t id;
    e = sq_insert(m->dst, s->insert, &id);
    if (e != E_OK)
        return refuse(m, e, "写入表 %s 失败（源数据库第 %lld 行：%s）", t->name, (long long)old,
                      err_message(e));
    idmap_put(&t->map, old, id);
    t->copied++;
    return strcmp(t->name, "unit") == 0 ? place_unit(m, t, s->read, id) : E_OK;
}

static err_code copy_table(mover *m, table *t)
{
    err_code e = count_rows(m->dst, m->a, t->name, &t->before);
    if (e != E_OK) return e;
    table_stmts s;
    prepare(m, t, &s);
    int rc;
    int64_t n = 0;
    while (e == E_OK && (rc = sq_step(s.read)) == SQ_ROW) {
        e = copy_row(m, t, &s);
        if (++n % ROWS_PER_ARENA == 0) { /* the rewritten values of the rows done */
            arena_free(m->row);
            m->row = arena_new();
        }
    }
    if (e == E_OK && rc != SQ_DONE) e = (err_code)rc;
    finish(&s);
    if (e == E_OK) e = count_rows(m->dst, m->a, t->name, &t->after);
    return e;
}

/* Is every table t references (other than itself) written already? A table of (flow, item_id)
 * pairs also waits for the table of every flow, and one of dedupe keys for every other. */
static int ready(mover *m, const table *t)
{
    for (int i = 0; i < t->ncols; i++) {
        const table *to = t->cols[i].fk;
        if (to && to != t && !to->placed && !to->skip) return 0;
    }
    if (column_named((table *)t, "dedupe")) { /* its keys may name any row: it goes last */
        for (int j = 0; j < m->ntables; j++) {
            const table *o = &m->tables[j];
            if (o != t && !o->skip && !o->placed && !column_named((table *)o, "dedupe")) return 0;
        }
    }
    if (t->item < 0) return 1;
    for (size_t i = 0; i < sizeof FLOW_TABLES / sizeof *FLOW_TABLES; i++) {
        const table *to = table_named(m, FLOW_TABLES[i].table);
        if (to && to != t && !to->placed) return 0;
    }
    return 1;
}

static err_code copy_tables(mover *m)
{
    for (int left = 1; left;) {
        left = 0;
        int progress = 0;
        for (int i = 0; i < m->ntables; i++) {
            table *t = &m->tables[i];
            if (t->skip || t->placed) continue;
            if (!ready(m, t)) {
                left = 1;
                continue;
            }
            err_code e = copy_table(m, t);
            if (e != E_OK) return e;
            t->placed = progress = 1;
        }
        if (left && !progress) return refuse(m, E_INTERNAL, "表之间的引用成环，无法确定迁移顺序");
    }
    return E_OK;
}

/* ---- evidence files, by hash ---- */

static err_code read_file(const char *path, unsigned char **data, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return E_NOT_FOUND;
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = xmalloc(cap);
    for (size_t got; (got = fread(buf + len, 1, cap - len, f)) > 0;) {
        len += got;
        if (len == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return E_INTERNAL;
    }
    *data = buf;
    *n = len;
    return E_OK;
}

/* Copies one file: read from the county, its hash checked, stored as the target keeps files. */
static err_code copy_file(mover *m, const char *sha)
{
    unsigned char *data = NULL;
    size_t n = 0;
    err_code e;
    if (m->o->src_files) {
        char *path = attach_path(m->o->src_files, sha);
        e = path ? read_file(path, &data, &n) : E_FIELD_INVALID;
        free(path);
    } else {
        e = attach_read_from_db(m->src, sha, &data, &n);
    }
    if (e != E_OK) return refuse(m, e, "源数据库的佐证文件 %s 缺失或无法读取", sha);
    char got[65], err[256];
    e = attach_store(m->o->dst_files, data, n, got, err, sizeof err);
    if (e == E_OK && strcmp(got, sha) != 0)
        e = refuse(m, E_FIELD_INVALID, "源数据库的佐证文件 %s 内容与其哈希不符（文件已损坏）", sha);
    else if (e != E_OK)
        e = refuse(m, e, "写入佐证文件 %s 失败：%s", sha, err);
    else
        e = attach_store_in_db(m->dst, m->o->dst_files, sha, data, n);
    if (e == E_OK) {
        m->files++;
        m->file_bytes += (int64_t)n;
    }
    free(data);
    return e;
}

static err_code copy_files(mover *m)
{
    sq_stmt *st = sq_prep_once(m->src, "SELECT DISTINCT sha256 FROM attachment ORDER BY 1");
    int rc;
    err_code e = E_OK;
    while (e == E_OK && (rc = sq_step(st)) == SQ_ROW)
        e = copy_file(m, sq_text(m->row, st, 0));
    if (e == E_OK && rc != SQ_DONE) e = (err_code)rc;
    sq_finalize(st);
    return e;
}

/* ---- the county's chain, archived; the move's record ---- */

typedef struct {
    mover *m;
    char digest[65];
    int64_t records;
    err_code e;
} archiving;

static int archive_one(const store_audit *r, void *ctx)
{
    archiving *ar = ctx;
    ar->e = store_audit_archive_insert(ar->m->dst, ar->m->move_id, r);
    audit_archive_digest_step(ar->digest, r);
    ar->records++;
    return ar->e != E_OK;
}

static json_t *counts_json(const mover *m)
{
    json_t *c = json_object();
    for (int i = 0; i < m->ntables; i++) {
        const table *t = &m->tables[i];
        if (!t->skip) json_object_set_new(c, t->name, json_integer(t->copied + t->matched));
    }
    json_object_set_new(c, "files", json_integer(m->files));
    return c;
}

static err_code record_move(mover *m)
{
    static const char ins[] =
        "INSERT INTO county_move(source_id, source_label, root_unit_id, under_unit_id, moved_at,"
        " counts, archive_records, archive_digest) VALUES (?, ?, ?, ?, ?, ?, 0, '') {returning_id}";
    static const char upd[] =
        "UPDATE county_move SET archive_records = ?1, archive_digest = ?2 WHERE id = ?3";
    static const char hist[] =
        "INSERT INTO unit_history(unit_id, at, actor, change, old_value, new_value)"
        " VALUES (?, ?, ?, 'move', ?, ?) {returning_id}";
    int64_t now = clock_now();
    json_t *counts = counts_json(m);
    char *counts_txt = json_dumps(counts, JSON_COMPACT | JSON_SORT_KEYS);
    sq_stmt *st = sq_prep(m->dst, ins);
    sq_bind(st, "ssiiis", m->source_id, m->o->src_label, m->root_id, m->under_id, now, counts_txt);
    free(counts_txt);
    err_code e = sq_insert(m->dst, st, &m->move_id);
    archiving ar = {.m = m, .e = E_OK};
    audit_archive_digest_start(ar.digest);
    if (e == E_OK) e = store_audit_each(m->src, archive_one, &ar);
    if (e == E_OK) e = ar.e;
    if (e == E_OK) {
        st = sq_prep(m->dst, upd);
        sq_bind(st, "isi", ar.records, ar.digest, m->move_id);
        e = sq_exec(m->dst, st);
    }
    int64_t hid;
    const char *root_path = m->paths[idmap_get(&m->unit_path, m->root_id) - 1];
    if (e == E_OK) {
        st = sq_prep(m->dst, hist);
        sq_bind(st, "iisss", m->root_id, now, m->o->actor, m->o->src_label, root_path);
        e = sq_insert(m->dst, st, &hid);
    }
    if (e != E_OK) {
        json_decref(counts);
        return e;
    }
    json_t *detail = json_pack("{sI ss ss ss sI ss so}", "move_id", (json_int_t)m->move_id,
                               "from", m->o->src_label, "under", m->o->under, "source_id",
                               m->source_id, "archive_records", (json_int_t)ar.records,
                               "archive_digest", ar.digest, "counts", counts);
    audit_actor actor = {.user_id = 0, .login = m->o->actor, .ip = NULL};
    return audit_append(m->o->dst_audit, m->dst, m->row, &actor, "county.move",
                        arena_sprintf(m->row, "unit:%lld", (long long)m->root_id), detail);
}

/* ---- the whole move ---- */

static void reset_counts(mover *m)
{
    for (int i = 0; i < m->ntables; i++) {
        table *t = &m->tables[i];
        idmap_free(&t->map);
        idmap_free(&t->existing);
        t->placed = 0;
        t->rows = t->copied = t->matched = t->skipped = t->before = t->after = 0;
    }
    idmap_free(&m->unit_path);
    m->npaths = m->cappaths = 0;
    m->paths = NULL;
    m->files = m->file_bytes = m->dedupe_kept = 0;
    m->root_id = m->move_id = 0;
}

static err_code move_in(store_tx *tx, void *ctx)
{
    mover *m = ctx;
    m->dst = tx;
    reset_counts(m); /* a retried transaction starts again from nothing */
    err_code e = find_under(m);
    if (e == E_OK) e = find_source(m);
    if (e == E_OK) e = check_collisions(m);
    if (e == E_OK) e = copy_tables(m);
    if (e == E_OK) e = copy_files(m);
    if (e == E_OK) e = record_move(m);
    if (e == E_OK && m->o->check) {
        m->checked = 1;
        return E_CONFLICT; /* rolls everything back */
    }
    return e;
}

static err_code read_county(store_tx *tx, void *ctx)
{
    mover *m = ctx;
    m->src = tx;
    err_code e = read_schema(m);
    return e == E_OK ? store_write(m->o->dst, move_in, m) : e;
}

static void print_report(const mover *m, FILE *f)
{
    fprintf(f, "%-34s %10s %10s %8s %8s %12s %12s\n", "table", "county", "copied", "matched",
            "kept", "target was", "target now");
    int64_t rows = 0, copied = 0;
    for (int i = 0; i < m->ntables; i++) {
        const table *t = &m->tables[i];
        if (t->skip) continue;
        fprintf(f, "%-34s %10lld %10lld %8lld %8lld %12lld %12lld\n", t->name, (long long)t->rows,
                (long long)t->copied, (long long)t->matched, (long long)t->skipped,
                (long long)t->before, (long long)t->after);
        rows += t->rows;
        copied += t->copied;
    }
    fprintf(f, "%-34s %10lld %10lld\n", "(all tables)", (long long)rows, (long long)copied);
    fprintf(f, "files: %lld (%lld bytes); audit records archived: see the county.move record\n",
            (long long)m->files, (long long)m->file_bytes);
    const table *n = table_named((mover *)m, "notification");
    if (n) fprintf(f, "notification keys rewritten: %lld of %lld (the others tagged)\n",
                   (long long)m->dedupe_kept, (long long)n->rows);
    for (int i = 0; i < m->ntables; i++)
        if (m->tables[i].skip && strcmp(m->tables[i].name, "schema_version") != 0)
            fprintf(f, "not copied: %s\n", m->tables[i].name);
}

err_code county_move(const move_opts *o, char *why, size_t whylen)
{
    mover *m = xcalloc(1, sizeof *m);
    m->o = o;
    m->why = why;
    m->whylen = whylen;
    m->a = arena_new();
    m->row = arena_new();
    why[0] = 0;
    audit_report rep;
    err_code e = audit_verify(o->src_audit, o->src, &rep);
    if (e == E_OK && !rep.ok)
        e = refuse(m, E_FIELD_INVALID, "源数据库的审计链校验未通过：%s（第 %lld 条），不能迁移",
                   rep.reason_zh, (long long)rep.first_bad);
    if (e == E_OK) e = store_read(o->src, read_county, m);
    if (e == E_CONFLICT && m->checked) e = E_OK;
    if (e == E_OK && o->report) print_report(m, o->report);
    if (e != E_OK && !why[0]) snprintf(why, whylen, "%s", err_message(e));
    reset_counts(m);
    arena_free(m->row);
    arena_free(m->a);
    free(m);
    return e;
}
