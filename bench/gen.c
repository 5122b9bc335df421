/*
 * gen — writes a province-sized duban database for the benchmarks (bench/README in
 * docs/performance.md): 500 units in a tree, 100k users, 1M problems with Chinese titles of
 * 10–30 characters and descriptions of 200–2,000, about 5M flow events, 15% of problems
 * overdue. Everything scales with --scale except the 500 units.
 *
 * The database is created by duban's own `init` (setup_init: schema by the migrations, the
 * audit key, the root unit, the administrators, the first audit record), so the server opens
 * it like any other. The bulk rows are then written on one connection with the indexes dropped
 * and rebuilt afterwards, which is what makes a million problems take minutes: into SQLite by
 * prepared INSERTs, or, with --pg URI, into PostgreSQL by COPY FROM STDIN table by table
 * followed by VACUUM ANALYZE. Both writers take the same rows from the same code. Last, through
 * duban's own store and audit code again, one `bench.generate` audit
 * record is appended and an API token is created for the benchmark user `bench` (who holds
 * operator, supervisor and leader grants over the whole province), so the audit chain and its
 * head file stay valid. The token goes to DIR/token, the password of every generated account
 * to DIR/password; with --pg the audit key is DIR/audit.key (serve it with --key_file).
 *
 * The same seed and scale give the same rows; dates are laid out around --today (default: the
 * current date in Asia/Shanghai), so that "overdue" means overdue when the benchmark runs.
 */
#include "account/account.h"
#include "auth/password.h"
#include "base/clock.h"
#include "base/mem.h"
#include "core/app.h"
#include "core/setup.h"
#include "flow/calendar.h"
#include "problem/tick.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char PASSWORD[] = "Bench@2026duban";
enum { UNITS = 500, DEPARTMENTS = 29, TOWNSHIPS = 20, LEADERS = 20 };

/* ---- deterministic randomness (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int64_t between(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

static const char *pick(const char *const *list, size_t n)
{
    return list[rnd() % n];
}
#define PICK(list) pick(list, sizeof list / sizeof list[0])

/* ---- Chinese text ---- */

/* Common characters of government prose; each is 3 bytes of UTF-8. */
static const char HANZI[] =
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    "说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当"
    "使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你"
    "明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果"
    "料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农"
    "指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济"
    "阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示"
    "议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装"
    "影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克"
    "何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适"
    "属圆包火住调满县局照参红细引听该铁价严镇村企项目整改督促落实推进安全生产融资招商环境";
static size_t hanzi_count;

static void put_hanzi(char *out, size_t nchars)
{
    for (size_t i = 0; i < nchars; i++) memcpy(out + 3 * i, HANZI + 3 * (rnd() % hanzi_count), 3);
    out[3 * nchars] = 0;
}

/* ---- dates ---- */

static char *day(arena *a, int64_t d)
{
    char out[11];
    cal_format((cal_day)d, out);
    return arena_strdup(a, out);
}

/* ---- the bulk part: rows made once, written by one of two writers ----
 *
 * The rows are made by gen_units, gen_users and gen_problems, the same for both engines (same
 * seed, same rows, same ids), and handed to emit() as a table and its values in the column
 * order of TABLES. The SQLite writer binds them to one prepared INSERT per table; the
 * PostgreSQL writer formats them as COPY text, straight into the table being copied, or into a
 * spool file for a table whose rows come interleaved with it (grants with users; co-units and
 * events with problems), copied when its turn comes. */

enum { T_UNIT, T_USER, T_GRANT, T_PROBLEM, T_COUNIT, T_EVENT, NTABLES };
static const struct {
    const char *name, *cols;
    int ncols;
} TABLES[NTABLES] = {
    [T_UNIT] = {"unit", "id, parent_id, kind, code, name, path, created_at", 7},
    [T_USER] = {"\"user\"", "id, login, name, unit_id, pw_hash, must_change, created_at,"
                            " pw_changed_at", 8},
    [T_GRANT] = {"user_grant", "user_id, role_id, unit_id, created_at, created_by", 5},
    [T_PROBLEM] = {"problem", "id, source, category, title, description, found_on, unit_id,"
                              " leader, leader_user_id, mode, state, deadline, original_deadline,"
                              " overdue, overdue_since, overdue_notified, closed_at, assigned_at,"
                              " registered_by, registered_unit_id, created_at, updated_at,"
                              " person, measures, goal, verification, progress", 27},
    [T_COUNIT] = {"problem_counit", "problem_id, unit_id", 2},
    [T_EVENT] = {"flow_event", "flow, item_id, action, from_state, to_state, actor_id, actor,"
                               " at, fields", 9},
};
enum { MAXCOLS = 27 };

/* One value of a row: NULL, an integer or a text. */
typedef struct {
    enum { V_NULL, V_INT, V_TEXT } kind;
    int64_t i;
    const char *s;
} val;
#define VI(x) ((val){.kind = V_INT, .i = (x)})
#define VS(x) ((val){.kind = V_TEXT, .s = (x)})
#define VN ((val){.kind = V_NULL})

typedef struct {
    sqlite3 *db;     /* the SQLite writer, or */
    PGconn *pg;      /* the PostgreSQL writer */
    sqlite3_stmt *ins[NTABLES];
    int copying;     /* PostgreSQL: the table in COPY, or -1 */
    FILE *spool[NTABLES];
    char *line;      /* PostgreSQL: one row of COPY text */
    size_t cap;
    arena *a;
    double scale;
    int64_t today; /* days since the epoch, local */
    int64_t now;
    int64_t bench_user, first_user, next_user, nusers;
    int64_t role_handler, role_leader, role_operator, role_supervisor;
    int64_t nproblems, nevents, noverdue;
} gen;

static void die_sql(sqlite3 *db, const char *what)
{
    fprintf(stderr, "gen: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "gen: %s: %s\n", sql, msg ? msg : "?");
        exit(1);
    }
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) die_sql(db, sql);
    return st;
}

static void die_pg(PGconn *pg, const char *what)
{
    fprintf(stderr, "gen: %s: %s", what, PQerrorMessage(pg));
    exit(1);
}

/* Runs a statement that returns no rows, or returns the first column of the first row as a
 * number (0 when there is none). */
static int64_t pg_exec(PGconn *pg, const char *sql)
{
    PGresult *r = PQexec(pg, sql);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) die_pg(pg, sql);
    int64_t v = s == PGRES_TUPLES_OK && PQntuples(r) && !PQgetisnull(r, 0, 0)
                    ? strtoll(PQgetvalue(r, 0, 0), NULL, 10) : 0;
    PQclear(r);
    return v;
}

static void line_put(gen *g, const char *s, size_t n)
{
    while (strlen(g->line) + n + 1 > g->cap) {
        g->cap = g->cap ? 2 * g->cap : 65536;
        g->line = xrealloc(g->line, g->cap);
    }
    strncat(g->line, s, n);
}

/* A text in COPY's text format: backslash, tab, newline and carriage return escaped. */
static void line_text(gen *g, const char *s)
{
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\\\t\n\r");
        line_put(g, p, n);
        p += n;
        if (!*p) break;
        line_put(g, *p == '\\' ? "\\\\" : *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : "\\r", 2);
        p++;
    }
}

static void copy_begin(gen *g, int t)
{
    char sql[512];
    snprintf(sql, sizeof sql, "COPY %s(%s) FROM STDIN", TABLES[t].name, TABLES[t].cols);
    PGresult *r = PQexec(g->pg, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) die_pg(g->pg, sql);
    PQclear(r);
    g->copying = t;
}

static void copy_data(gen *g, const char *buf, size_t n)
{
    if (PQputCopyData(g->pg, buf, (int)n) != 1) die_pg(g->pg, "COPY data");
}

static void copy_end(gen *g)
{
    if (PQputCopyEnd(g->pg, NULL) != 1) die_pg(g->pg, "COPY end");
    PGresult *r = PQgetResult(g->pg);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die_pg(g->pg, TABLES[g->copying].name);
    PQclear(r);
    while ((r = PQgetResult(g->pg))) PQclear(r);
    g->copying = -1;
}

/* Copies a table's spooled rows, if it has any. */
static void copy_spool(gen *g, int t)
{
    FILE *f = g->spool[t];
    if (!f) return;
    rewind(f);
    copy_begin(g, t);
    static char buf[1 << 20];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) copy_data(g, buf, n);
    copy_end(g);
    fclose(f);
    g->spool[t] = NULL;
}

/* One row of table t, in the column order of TABLES[t]. */
static void emit(gen *g, int t, const val *v)
{
    if (g->db) {
        sqlite3_stmt *st = g->ins[t];
        for (int i = 0; i < TABLES[t].ncols; i++) {
            if (v[i].kind == V_INT) sqlite3_bind_int64(st, i + 1, v[i].i);
            else if (v[i].kind == V_TEXT) sqlite3_bind_text(st, i + 1, v[i].s, -1, SQLITE_TRANSIENT);
            else sqlite3_bind_null(st, i + 1);
        }
        if (sqlite3_step(st) != SQLITE_DONE) die_sql(g->db, sqlite3_sql(st));
        sqlite3_reset(st);
        return;
    }
    g->line[0] = 0;
    for (int i = 0; i < TABLES[t].ncols; i++) {
        if (i) line_put(g, "\t", 1);
        if (v[i].kind == V_INT) {
            char num[24];
            line_put(g, num, (size_t)snprintf(num, sizeof num, "%lld", (long long)v[i].i));
        } else if (v[i].kind == V_TEXT) line_text(g, v[i].s);
        else line_put(g, "\\N", 2);
    }
    line_put(g, "\n", 1);
    size_t n = strlen(g->line);
    if (g->copying == t) copy_data(g, g->line, n);
    else {
        if (!g->spool[t] && !(g->spool[t] = tmpfile())) {
            perror("gen: spool file");
            exit(1);
        }
        if (fwrite(g->line, 1, n, g->spool[t]) != n) {
            perror("gen: spool file");
            exit(1);
        }
    }
}

static int64_t role_id(gen *g, const char *name)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT id FROM role WHERE name = '%s'", name);
    int64_t id;
    if (g->pg) id = pg_exec(g->pg, sql);
    else {
        sqlite3_stmt *st = prep(g->db, sql);
        id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
    }
    if (!id) {
        fprintf(stderr, "gen: no role %s\n", name);
        exit(1);
    }
    return id;
}

/* The next id of a table whose ids the generator gives itself. */
static int64_t next_id(gen *g, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) + 1 FROM %s", table);
    if (g->pg) return pg_exec(g->pg, sql);
    sqlite3_stmt *st = prep(g->db, sql);
    if (sqlite3_step(st) != SQLITE_ROW) die_sql(g->db, sql);
    int64_t id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

/* Unit ids 2..500: departments and townships under the root, villages under townships. */
static int64_t unit_parent(int64_t id)
{
    int64_t first_village = 2 + DEPARTMENTS + TOWNSHIPS;
    if (id < first_village) return 1;
    return 2 + DEPARTMENTS + (id - first_village) % TOWNSHIPS;
}

static void gen_units(gen *g)
{
    static const char *const depts[] = {"发改局", "财政局", "住建局", "交通局", "农业农村局",
                                        "水利局", "商务局", "应急局", "生态环境分局", "教体局",
                                        "卫健局", "民政局", "人社局", "自然资源局", "市场监管局",
                                        "文旅局", "工信局", "审批局", "统计局", "医保局"};
    char name[128], code[32], path[64], hz[16];
    for (int64_t id = 2; id <= UNITS; id++) {
        int64_t parent = unit_parent(id);
        const char *kind;
        if (id < 2 + DEPARTMENTS) {
            kind = "department";
            snprintf(name, sizeof name, "%s%s", id - 2 < 20 ? "县" : "县第二", depts[(id - 2) % 20]);
            snprintf(code, sizeof code, "d%03lld", (long long)id);
        } else if (parent == 1) {
            kind = "township";
            put_hanzi(hz, 2);
            snprintf(name, sizeof name, "%s镇", hz);
            snprintf(code, sizeof code, "t%03lld", (long long)id);
        } else {
            kind = "village";
            put_hanzi(hz, 2);
            snprintf(name, sizeof name, "%s村", hz);
            snprintf(code, sizeof code, "t%03lld-v%03lld", (long long)parent, (long long)id);
        }
        if (parent == 1) snprintf(path, sizeof path, "/1/%lld/", (long long)id);
        else snprintf(path, sizeof path, "/1/%lld/%lld/", (long long)parent, (long long)id);
        emit(g, T_UNIT, (val[]){VI(id), VI(parent), VS(kind), VS(code), VS(name), VS(path),
                                VI(g->now)});
    }
}

static void gen_users(gen *g)
{
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(PASSWORD, hash)) {
        fprintf(stderr, "gen: cannot hash the password\n");
        exit(1);
    }
    char login[32], name[32];
    /* The benchmark's own user first, then the county leaders, then everyone else. */
    for (int64_t i = 0; i <= g->nusers; i++) {
        int64_t unit = i <= LEADERS ? 1 : between(2, UNITS);
        if (i == 0) snprintf(login, sizeof login, "bench");
        else snprintf(login, sizeof login, "u%06lld", (long long)i);
        put_hanzi(name, (size_t)between(2, 3));
        int64_t uid = g->next_user++;
        emit(g, T_USER, (val[]){VI(uid), VS(login), VS(name), VI(unit), VS(hash), VI(0),
                                VI(g->now), VI(g->now)});
        if (i == 0) g->bench_user = uid;
        if (i == 1) g->first_user = uid;
        /* One account in ten handles problems for its unit (about twenty per unit); the rest
         * hold no grant yet. The benchmark user may do everything the problem flow asks. */
        int64_t roles[4] = {i % 10 == 0 ? g->role_handler : 0, 0, 0, 0};
        if (i == 0) roles[0] = g->role_operator, roles[1] = g->role_supervisor,
                    roles[2] = g->role_leader, roles[3] = g->role_handler;
        else if (i <= LEADERS) roles[0] = g->role_leader;
        for (int r = 0; r < 4 && roles[r]; r++)
            emit(g, T_GRANT, (val[]){VI(uid), VI(roles[r]), VI(unit), VI(g->now), VS("bench")});
    }
}

/* The states a problem can be in, with their share in percent and the events that led there. */
typedef struct {
    const char *state;
    int percent;
    const char *const *actions; /* NULL-terminated, after "register" */
} state_mix;

static const char *const TO_ASSIGNED[] = {"assign", NULL};
static const char *const TO_PROGRESS[] = {"assign", "sign", NULL};
static const char *const TO_CLAIMED[] = {"assign", "sign", "claim", NULL};
static const char *const TO_CLOSED[] = {"assign", "sign", "claim", "verify_pass", NULL};
static const state_mix MIX[] = {
    {"registered", 5, (const char *const[]){NULL}},
    {"assigned", 10, TO_ASSIGNED},
    {"in_progress", 35, TO_PROGRESS},
    {"claimed", 10, TO_CLAIMED},
    {"closed", 40, TO_CLOSED},
};

static const state_mix *pick_state(void)
{
    int r = (int)between(0, 99);
    for (size_t i = 0; i < sizeof MIX / sizeof MIX[0]; i++) {
        if (r < MIX[i].percent) return &MIX[i];
        r -= MIX[i].percent;
    }
    return &MIX[0];
}

/* The state an action leads to (the state itself for progress reports). */
static const char *after(const char *action, const char *state)
{
    if (strcmp(action, "assign") == 0) return "assigned";
    if (strcmp(action, "sign") == 0) return "in_progress";
    if (strcmp(action, "claim") == 0) return "claimed";
    if (strcmp(action, "verify_pass") == 0) return "closed";
    return state;
}

static void add_event(gen *g, int64_t item, const char *action, const char *from,
                      const char *to, int64_t at, const char *fields)
{
    emit(g, T_EVENT, (val[]){VS("problem"), VI(item), VS(action), VS(from), VS(to),
                             VI(g->bench_user), VS("bench"), VI(at), VS(fields)});
    g->nevents++;
}

/* One problem, its co-unit (one in five has one) and its events. The random draws are made in
 * a fixed order (the order of the statements below): the same seed, the same rows. */
static void gen_problem(gen *g, int64_t id)
{
    static const char *const sources[] = {"调研", "驻厂", "督查", "联盟议事", "信访", "巡察"};
    static const char *const categories[] = {"项目推进", "安全生产", "融资", "环境整治",
                                             "营商环境", "民生保障", "基层治理", "乡村振兴"};
    static const char *const leaders[] = {"王县长", "李副县长", "张书记", "刘副书记", "陈部长"};
    char title[31 * 3 + 1];
    static char desc[2000 * 3 + 1];
    put_hanzi(title, (size_t)between(10, 30));
    put_hanzi(desc, (size_t)between(200, 2000));
    const state_mix *m = pick_state();
    int closed = strcmp(m->state, "closed") == 0;
    /* 15% of all problems are overdue: one in four of the 60% still open. */
    int overdue = !closed && between(0, 3) == 0;
    int64_t found = g->today - between(overdue ? 61 : 30, 730);
    int64_t deadline = found + between(15, 120);
    if (!closed) deadline = overdue ? g->today - between(1, 60) : g->today + between(1, 120);
    int64_t at = found * 86400 + 3600; /* 09:00 in Beijing */
    int64_t unit = between(2, UNITS);
    const char *source = PICK(sources);
    const char *category = PICK(categories);
    const char *leader = PICK(leaders);
    int64_t leader_user = g->first_user + between(0, LEADERS - 1);
    const char *mode = between(0, 1) ? "immediate" : "ongoing";
    val closed_at = closed ? VI(at + 86400 * between(5, 30)) : VN;
    char person[4 * 3 + 1], measures[60 * 3 + 1], goal[30 * 3 + 1];
    put_hanzi(person, (size_t)between(2, 3));
    put_hanzi(measures, (size_t)between(20, 60));
    put_hanzi(goal, (size_t)between(10, 30));
    const char *dl = day(g->a, deadline);
    int progressed = strcmp(m->state, "registered") && strcmp(m->state, "assigned");
    emit(g, T_PROBLEM,
         (val[]){VI(id), VS(source), VS(category), VS(title), VS(desc), VS(day(g->a, found)),
                 VI(unit), VS(leader), VI(leader_user), VS(mode), VS(m->state), VS(dl), VS(dl),
                 VI(overdue), overdue ? VS(day(g->a, deadline + 1)) : VN, overdue ? VS(dl) : VN,
                 closed_at, m->actions[0] ? VI(at + 3600) : VN, VI(g->bench_user), VI(1),
                 VI(at), VI(at), VS(person), VS(measures), VS(goal),
                 VS(closed ? "经电话核实、现场查看，整改到位" : ""),
                 VS(progressed ? "已按计划推进，正在整改" : "")});
    g->nproblems++;
    g->noverdue += overdue;
    if (between(0, 4) == 0) {
        int64_t co = between(2, UNITS);
        if (co != unit) emit(g, T_COUNIT, (val[]){VI(id), VI(co)});
    }
    add_event(g, id, "register", "", "registered", at, "{}");
    const char *state = "registered";
    int reports = (int)between(0, 3);
    for (const char *const *a = m->actions; *a; a++) {
        at += 3600 * between(1, 48);
        /* Progress reports come after signing, before the claim. */
        if (strcmp(*a, "claim") == 0 || (!a[1] && strcmp(state, "in_progress") == 0))
            for (; reports > 0; reports--, at += 3600)
                add_event(g, id, "report", state, state, at,
                          "{\"progress\":\"已按计划推进，正在整改\"}");
        const char *to = after(*a, state);
        add_event(g, id, *a, state, to, at, "{}");
        state = to;
    }
    for (; reports > 0 && strcmp(state, "in_progress") == 0; reports--, at += 3600)
        add_event(g, id, "report", state, state, at, "{\"progress\":\"已按计划推进，正在整改\"}");
}

static void gen_problems(gen *g, int64_t n)
{
    for (int64_t id = 1; id <= n; id++) {
        gen_problem(g, id);
        if (id % 4096 == 0) {
            /* Dates are formatted into the arena: a fresh one now and then keeps it small. */
            arena_free(g->a);
            g->a = arena_new();
        }
    }
}

/* The rows of every table, by whichever writer g holds. */
static void gen_rows(gen *g)
{
    g->role_handler = role_id(g, "handler");
    g->role_leader = role_id(g, "leader");
    g->role_operator = role_id(g, "operator");
    g->role_supervisor = role_id(g, "supervisor");
    g->next_user = next_id(g, "\"user\"");
    if (g->pg) copy_begin(g, T_UNIT);
    gen_units(g);
    if (g->pg) copy_end(g), copy_begin(g, T_USER);
    gen_users(g);
    if (g->pg) copy_end(g), copy_spool(g, T_GRANT), copy_begin(g, T_PROBLEM);
    double t = clock_mono_ms();
    gen_problems(g, (int64_t)(1000000 * g->scale));
    if (g->pg) copy_end(g), copy_spool(g, T_COUNIT), copy_spool(g, T_EVENT);
    fprintf(stderr, "gen: %lld problems, %lld events in %.1f s\n", (long long)g->nproblems,
            (long long)g->nevents, (clock_mono_ms() - t) / 1000);
}

/* Drops the indexes of the bulk tables, returning their CREATE statements for later. */
static char **drop_indexes(sqlite3 *db, size_t *n)
{
    sqlite3_stmt *st = prep(db, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND"
                                " sql IS NOT NULL AND tbl_name IN ('problem', 'flow_event',"
                                " 'user', 'user_grant', 'problem_counit')");
    char **sqls = NULL, **names = NULL;
    *n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqls = xrealloc(sqls, (*n + 1) * sizeof *sqls);
        names = xrealloc(names, (*n + 1) * sizeof *names);
        names[*n] = xstrdup((const char *)sqlite3_column_text(st, 0));
        sqls[(*n)++] = xstrdup((const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    for (size_t i = 0; i < *n; i++) {
        char *sql = sqlite3_mprintf("DROP INDEX \"%w\"", names[i]);
        exec(db, sql);
        sqlite3_free(sql);
        free(names[i]);
    }
    free(names);
    return sqls;
}

static void bulk(gen *g, const char *path)
{
    if (sqlite3_open(path, &g->db) != SQLITE_OK) die_sql(g->db, path);
    /* One writer, nobody else: no journal while loading; WAL again at the end. */
    exec(g->db, "PRAGMA journal_mode=DELETE; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                " PRAGMA cache_size=-262144; PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY");
    size_t nidx;
    char **indexes = drop_indexes(g->db, &nidx);
    for (int t = 0; t < NTABLES; t++) {
        char sql[1024];
        int n = snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES (?", TABLES[t].name,
                         TABLES[t].cols);
        for (int i = 1; i < TABLES[t].ncols; i++) n += snprintf(sql + n, sizeof sql - (size_t)n, ", ?");
        snprintf(sql + n, sizeof sql - (size_t)n, ")");
        g->ins[t] = prep(g->db, sql);
    }
    exec(g->db, "BEGIN");
    gen_rows(g);
    exec(g->db, "COMMIT");
    for (int t = 0; t < NTABLES; t++) sqlite3_finalize(g->ins[t]);
    double t = clock_mono_ms();
    for (size_t i = 0; i < nidx; i++) {
        exec(g->db, indexes[i]);
        free(indexes[i]);
    }
    free(indexes);
    fprintf(stderr, "gen: indexes in %.1f s\n", (clock_mono_ms() - t) / 1000);
    exec(g->db, "PRAGMA foreign_key_check; PRAGMA journal_mode=WAL");
    sqlite3_close(g->db);
    g->db = NULL;
}

/* The same rows into PostgreSQL, table by table with COPY, in one transaction with the bulk
 * tables' plain indexes dropped and built again after (constraint indexes stay); then the
 * identity sequences set past the ids given here, and VACUUM ANALYZE (statistics for the
 * planner, and the visibility map that index-only scans need). */
static void bulk_pg(gen *g, const char *uri)
{
    g->pg = PQconnectdb(uri);
    if (PQstatus(g->pg) != CONNECTION_OK) die_pg(g->pg, "connect");
    g->copying = -1;
    g->line = xmalloc(g->cap = 65536);
    pg_exec(g->pg, "SET client_min_messages = warning; SET synchronous_commit = off;"
                   " SET maintenance_work_mem = '256MB'");
    /* Foreign keys are checked row by row by triggers, which a superuser may switch off for
     * the load (the rows are consistent by construction); anyone else loads with them on. */
    PGresult *r = PQexec(g->pg, "SET session_replication_role = replica");
    int no_triggers = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    pg_exec(g->pg, "BEGIN");
    r = PQexec(g->pg, "SELECT indexname, indexdef FROM pg_indexes i WHERE schemaname ="
                      " current_schema() AND tablename IN ('problem', 'flow_event', 'user',"
                      " 'user_grant', 'problem_counit') AND NOT EXISTS (SELECT 1 FROM"
                      " pg_constraint c WHERE c.conname = i.indexname)");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) die_pg(g->pg, "the indexes");
    int nidx = PQntuples(r);
    char **indexes = xmalloc(((size_t)nidx + 1) * sizeof *indexes);
    for (int i = 0; i < nidx; i++) {
        char sql[256];
        snprintf(sql, sizeof sql, "DROP INDEX \"%s\"", PQgetvalue(r, i, 0));
        pg_exec(g->pg, sql);
        indexes[i] = xstrdup(PQgetvalue(r, i, 1));
    }
    PQclear(r);
    gen_rows(g);
    double t = clock_mono_ms();
    for (int i = 0; i < nidx; i++) {
        pg_exec(g->pg, indexes[i]);
        free(indexes[i]);
    }
    free(indexes);
    fprintf(stderr, "gen: indexes in %.1f s\n", (clock_mono_ms() - t) / 1000);
    pg_exec(g->pg, "SELECT setval(pg_get_serial_sequence('unit', 'id'), max(id)) FROM unit;"
                   " SELECT setval(pg_get_serial_sequence('\"user\"', 'id'), max(id)) FROM \"user\";"
                   " SELECT setval(pg_get_serial_sequence('problem', 'id'), max(id)) FROM problem");
    pg_exec(g->pg, "COMMIT");
    if (no_triggers) pg_exec(g->pg, "RESET session_replication_role");
    t = clock_mono_ms();
    pg_exec(g->pg, "VACUUM ANALYZE");
    fprintf(stderr, "gen: vacuum analyze in %.1f s\n", (clock_mono_ms() - t) / 1000);
    free(g->line);
    g->line = NULL;
    PQfinish(g->pg);
    g->pg = NULL;
}

/* ---- the finishing part, through duban itself ---- */

typedef struct {
    app *ap;
    arena *a;
    gen *g;
    principal p;
} finish_op;

static err_code load_bench_fn(store_tx *tx, void *ctx)
{
    finish_op *op = ctx;
    op->p = (principal){.user_id = op->g->bench_user, .unit_id = 1, .login = "bench",
                        .name = "bench", .unit_path = "/1/", .ip = "127.0.0.1"};
    return authz_load(tx, op->a, &op->p);
}

static err_code record_fn(store_tx *tx, void *ctx)
{
    finish_op *op = ctx;
    principal sys = authz_system(op->a);
    return app_audit(op->ap, tx, op->a, &sys, "bench.generate", "database",
                     json_pack("{sI sI sI sI}", "users", (json_int_t)op->g->nusers,
                               "problems", (json_int_t)op->g->nproblems, "events",
                               (json_int_t)op->g->nevents, "overdue",
                               (json_int_t)op->g->noverdue));
}

static void write_file(const char *dir, const char *name, const char *content)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(content, f) < 0 || fclose(f)) {
        fprintf(stderr, "gen: cannot write %s\n", path);
        exit(1);
    }
}

static void finish(gen *g, config *cfg, const char *dir)
{
    app ap;
    char err[512];
    if (app_open(&ap, cfg, err, sizeof err)) {
        fprintf(stderr, "gen: %s\n", err);
        exit(1);
    }
    finish_op op = {.ap = &ap, .a = g->a, .g = g};
    store_token tok;
    char secret[SECRET_TEXT + 8];
    if (store_write(ap.st, record_fn, &op) != E_OK || store_read(ap.st, load_bench_fn, &op) != E_OK ||
        account_token_create(&ap, g->a, &op.p, "bench", &tok, secret) != E_OK) {
        fprintf(stderr, "gen: cannot record the generation or create the token\n");
        exit(1);
    }
    /* One scheduler run, as the server's own tick would have done by now, so that the
     * server's first tick finds a steady state (overdue lapses were marked as announced). */
    double t = clock_mono_ms();
    problem_tick_report rep;
    if (problem_tick(&ap, clock_now(), &rep) != E_OK) {
        fprintf(stderr, "gen: the scheduler run failed\n");
        exit(1);
    }
    fprintf(stderr, "gen: tick in %.1f s: %d look-back tasks, %d notifications\n",
            (clock_mono_ms() - t) / 1000, rep.lookbacks, rep.notifications);
    app_close(&ap);
    write_file(dir, "token", secret);
    write_file(dir, "password", PASSWORD);
}

static void usage(void)
{
    fprintf(stderr, "usage: gen --dir DIR [--pg URI] [--seed N] [--scale F] [--today YYYY-MM-DD]\n"
                    "  SQLite: writes DIR/duban.db (+ .key, .key.head), DIR/token, DIR/password\n"
                    "  --pg URI: the database URI names (empty) instead; the audit key and its\n"
                    "  head in DIR/audit.key(.head)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *today = NULL, *pg = NULL;
    uint64_t seed = 1;
    double scale = 1.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
        else if (strcmp(argv[i], "--seed") == 0) seed = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--scale") == 0) scale = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--today") == 0) today = argv[i + 1];
        else if (strcmp(argv[i], "--pg") == 0) pg = argv[i + 1];
        else usage();
    }
    if (!dir || argc % 2 == 0 || scale <= 0 || scale > 10) usage();
    rng_state = seed;
    hanzi_count = (sizeof HANZI - 1) / 3;
    gen g = {.a = arena_new(), .scale = scale, .now = clock_now()};
    g.nusers = (int64_t)(100000 * scale);
    if (g.nusers < LEADERS + 1) g.nusers = LEADERS + 1;
    cal_day d;
    g.today = today && cal_parse(today, &d) == 0 ? d : cal_local_day(g.now);
    mkdir(dir, 0700);
    config cfg;
    config_defaults(&cfg);
    char db[4096];
    if (pg) {
        /* PostgreSQL: duban init on the database the URI names, the key given explicitly. */
        snprintf(db, sizeof db, "%s", pg);
        free(cfg.key_file);
        cfg.key_file = xasprintf("%s/audit.key", dir);
    } else snprintf(db, sizeof db, "%s/duban.db", dir);
    free(cfg.db);
    cfg.db = xstrdup(db);
    setenv("DUBAN_ADMIN_PASSWORD", PASSWORD, 1);
    setenv("DUBAN_SECADMIN_PASSWORD", PASSWORD, 1);
    setenv("DUBAN_AUDITOR_PASSWORD", PASSWORD, 1);
    char err[512];
    FILE *devnull = fopen("/dev/null", "w");
    if (setup_init(&cfg, devnull, err, sizeof err)) {
        fprintf(stderr, "gen: %s\n", err);
        return 1;
    }
    fclose(devnull);
    double t = clock_mono_ms();
    if (pg) bulk_pg(&g, pg);
    else bulk(&g, db);
    finish(&g, &cfg, dir);
    char label[512];
    config_db_label(db, label, sizeof label);
    fprintf(stderr, "gen: %s: %d units, %lld users, %lld problems (%lld overdue), %lld events"
                    " in %.1f s\n", label, UNITS, (long long)g.nusers + 1, (long long)g.nproblems,
            (long long)g.noverdue, (long long)g.nevents, (clock_mono_ms() - t) / 1000);
    config_free(&cfg);
    arena_free(g.a);
    return 0;
}
