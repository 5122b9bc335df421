/*
 * gen — writes a province-sized duban database for the benchmarks (bench/README in
 * docs/performance.md): 500 units in a tree, 100k users, 1M problems with Chinese titles of
 * 10–30 characters and descriptions of 200–2,000, about 5M flow events, 15% of problems
 * overdue. Everything scales with --scale except the 500 units.
 *
 * The database is created by duban's own `init` (setup_init: schema by the migrations, the
 * audit key, the root unit, the administrators, the first audit record), so the server opens
 * it like any other. The bulk rows are then written straight into SQLite on one connection
 * with the indexes dropped and rebuilt afterwards, which is what makes a million problems take
 * minutes. Last, through duban's own store and audit code again, one `bench.generate` audit
 * record is appended and an API token is created for the benchmark user `bench` (who holds
 * operator, supervisor and leader grants over the whole province), so the audit chain and its
 * head file stay valid. The token goes to DIR/token, the password of every generated account
 * to DIR/password.
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

/* ---- the bulk part, straight into SQLite ---- */

typedef struct {
    sqlite3 *db;
    arena *a;
    double scale;
    int64_t today; /* days since the epoch, local */
    int64_t now;
    int64_t bench_user, first_user, nusers;
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

/* Steps an INSERT once and resets it for the next row. */
static void step(sqlite3 *db, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE) die_sql(db, sqlite3_sql(st));
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

static void text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static int64_t role_id(gen *g, const char *name)
{
    sqlite3_stmt *st = prep(g->db, "SELECT id FROM role WHERE name = ?");
    text(st, 1, name);
    if (sqlite3_step(st) != SQLITE_ROW) die_sql(g->db, "no such role");
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
    sqlite3_stmt *st = prep(g->db, "INSERT INTO unit(id, parent_id, kind, code, name, path,"
                                   " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
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
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, parent);
        text(st, 3, kind);
        text(st, 4, code);
        text(st, 5, name);
        text(st, 6, path);
        sqlite3_bind_int64(st, 7, g->now);
        step(g->db, st);
    }
    sqlite3_finalize(st);
}

static void gen_users(gen *g)
{
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(PASSWORD, hash)) {
        fprintf(stderr, "gen: cannot hash the password\n");
        exit(1);
    }
    sqlite3_stmt *ins = prep(g->db, "INSERT INTO user(login, name, unit_id, pw_hash, must_change,"
                                    " created_at, pw_changed_at) VALUES (?, ?, ?, ?, 0, ?, ?)");
    sqlite3_stmt *grant = prep(g->db, "INSERT INTO user_grant(user_id, role_id, unit_id,"
                                      " created_at, created_by) VALUES (?, ?, ?, ?, 'bench')");
    char login[32], name[32];
    /* The benchmark's own user first, then the county leaders, then everyone else. */
    for (int64_t i = 0; i <= g->nusers; i++) {
        int64_t unit = i <= LEADERS ? 1 : between(2, UNITS);
        if (i == 0) snprintf(login, sizeof login, "bench");
        else snprintf(login, sizeof login, "u%06lld", (long long)i);
        put_hanzi(name, (size_t)between(2, 3));
        text(ins, 1, login);
        text(ins, 2, name);
        sqlite3_bind_int64(ins, 3, unit);
        text(ins, 4, hash);
        sqlite3_bind_int64(ins, 5, g->now);
        sqlite3_bind_int64(ins, 6, g->now);
        step(g->db, ins);
        int64_t uid = sqlite3_last_insert_rowid(g->db);
        if (i == 0) g->bench_user = uid;
        if (i == 1) g->first_user = uid;
        /* One account in ten handles problems for its unit (about twenty per unit); the rest
         * hold no grant yet. The benchmark user may do everything the problem flow asks. */
        int64_t roles[4] = {i % 10 == 0 ? g->role_handler : 0, 0, 0, 0};
        if (i == 0) roles[0] = g->role_operator, roles[1] = g->role_supervisor,
                    roles[2] = g->role_leader, roles[3] = g->role_handler;
        else if (i <= LEADERS) roles[0] = g->role_leader;
        for (int r = 0; r < 4 && roles[r]; r++) {
            sqlite3_bind_int64(grant, 1, uid);
            sqlite3_bind_int64(grant, 2, roles[r]);
            sqlite3_bind_int64(grant, 3, unit);
            sqlite3_bind_int64(grant, 4, g->now);
            step(g->db, grant);
        }
    }
    sqlite3_finalize(ins);
    sqlite3_finalize(grant);
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

typedef struct {
    sqlite3_stmt *problem, *event, *counit;
} problem_stmts;

static void add_event(gen *g, sqlite3_stmt *st, int64_t item, const char *action,
                      const char *from, const char *to, int64_t at, const char *fields)
{
    text(st, 1, action);
    sqlite3_bind_int64(st, 2, item);
    text(st, 3, from);
    text(st, 4, to);
    sqlite3_bind_int64(st, 5, g->bench_user);
    sqlite3_bind_int64(st, 6, at);
    text(st, 7, fields);
    step(g->db, st);
    g->nevents++;
}

/* One problem, its co-unit (one in five has one) and its events. */
static void gen_problem(gen *g, problem_stmts *s, int64_t id)
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
    sqlite3_stmt *p = s->problem;
    sqlite3_bind_int64(p, 1, id);
    text(p, 2, PICK(sources));
    text(p, 3, PICK(categories));
    text(p, 4, title);
    text(p, 5, desc);
    text(p, 6, day(g->a, found));
    sqlite3_bind_int64(p, 7, unit);
    text(p, 8, PICK(leaders));
    sqlite3_bind_int64(p, 9, g->first_user + between(0, LEADERS - 1));
    text(p, 10, between(0, 1) ? "immediate" : "ongoing");
    text(p, 11, m->state);
    text(p, 12, day(g->a, deadline));
    sqlite3_bind_int64(p, 13, overdue);
    if (overdue) text(p, 14, day(g->a, deadline + 1));
    if (closed) sqlite3_bind_int64(p, 15, at + 86400 * between(5, 30));
    if (m->actions[0]) sqlite3_bind_int64(p, 16, at + 3600);
    sqlite3_bind_int64(p, 17, g->bench_user);
    sqlite3_bind_int64(p, 18, at);
    char person[4 * 3 + 1], measures[60 * 3 + 1], goal[30 * 3 + 1];
    put_hanzi(person, (size_t)between(2, 3));
    put_hanzi(measures, (size_t)between(20, 60));
    put_hanzi(goal, (size_t)between(10, 30));
    text(p, 19, person);
    text(p, 20, measures);
    text(p, 21, goal);
    text(p, 22, closed ? "经电话核实、现场查看，整改到位" : "");
    text(p, 23, strcmp(m->state, "registered") && strcmp(m->state, "assigned") ? "已按计划推进，正在整改" : "");
    step(g->db, p);
    g->nproblems++;
    g->noverdue += overdue;
    if (between(0, 4) == 0) {
        int64_t co = between(2, UNITS);
        if (co != unit) {
            sqlite3_bind_int64(s->counit, 1, id);
            sqlite3_bind_int64(s->counit, 2, co);
            step(g->db, s->counit);
        }
    }
    add_event(g, s->event, id, "register", "", "registered", at, "{}");
    const char *state = "registered";
    int reports = (int)between(0, 3);
    for (const char *const *a = m->actions; *a; a++) {
        at += 3600 * between(1, 48);
        /* Progress reports come after signing, before the claim. */
        if (strcmp(*a, "claim") == 0 || (!a[1] && strcmp(state, "in_progress") == 0))
            for (; reports > 0; reports--, at += 3600)
                add_event(g, s->event, id, "report", state, state, at,
                          "{\"progress\":\"已按计划推进，正在整改\"}");
        const char *to = after(*a, state);
        add_event(g, s->event, id, *a, state, to, at, "{}");
        state = to;
    }
    for (; reports > 0 && strcmp(state, "in_progress") == 0; reports--, at += 3600)
        add_event(g, s->event, id, "report", state, state, at,
                  "{\"progress\":\"已按计划推进，正在整改\"}");
}

static void gen_problems(gen *g, int64_t n)
{
    problem_stmts s = {
        .problem = prep(g->db,
                        "INSERT INTO problem(id, source, category, title, description, found_on,"
                        " unit_id, leader, leader_user_id, mode, state, deadline,"
                        " original_deadline, overdue, overdue_since, overdue_notified, closed_at,"
                        " assigned_at, registered_by, registered_unit_id, created_at, updated_at,"
                        " person, measures, goal, verification, progress)"
                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13,"
                        " ?14, CASE WHEN ?13 THEN ?12 END, ?15, ?16, ?17, 1, ?18, ?18, ?19, ?20, ?21,"
                        " ?22, ?23)"),
        .event = prep(g->db, "INSERT INTO flow_event(flow, item_id, action, from_state, to_state,"
                             " actor_id, actor, at, fields) VALUES ('problem', ?2, ?1, ?3, ?4,"
                             " ?5, 'bench', ?6, ?7)"),
        .counit = prep(g->db, "INSERT OR IGNORE INTO problem_counit(problem_id, unit_id)"
                              " VALUES (?, ?)"),
    };
    for (int64_t id = 1; id <= n; id++) {
        gen_problem(g, &s, id);
        if (id % 4096 == 0) {
            /* Dates are formatted into the arena: a fresh one now and then keeps it small. */
            arena_free(g->a);
            g->a = arena_new();
        }
    }
    sqlite3_finalize(s.problem);
    sqlite3_finalize(s.event);
    sqlite3_finalize(s.counit);
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
    g->role_handler = role_id(g, "handler");
    g->role_leader = role_id(g, "leader");
    g->role_operator = role_id(g, "operator");
    g->role_supervisor = role_id(g, "supervisor");
    size_t nidx;
    char **indexes = drop_indexes(g->db, &nidx);
    exec(g->db, "BEGIN");
    gen_units(g);
    gen_users(g);
    double t = clock_mono_ms();
    gen_problems(g, (int64_t)(1000000 * g->scale));
    fprintf(stderr, "gen: %lld problems, %lld events in %.1f s\n", (long long)g->nproblems,
            (long long)g->nevents, (clock_mono_ms() - t) / 1000);
    exec(g->db, "COMMIT");
    t = clock_mono_ms();
    for (size_t i = 0; i < nidx; i++) {
        exec(g->db, indexes[i]);
        free(indexes[i]);
    }
    free(indexes);
    fprintf(stderr, "gen: indexes in %.1f s\n", (clock_mono_ms() - t) / 1000);
    exec(g->db, "PRAGMA foreign_key_check; PRAGMA journal_mode=WAL");
    sqlite3_close(g->db);
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
    fprintf(stderr, "usage: gen --dir DIR [--seed N] [--scale F] [--today YYYY-MM-DD]\n"
                    "  writes DIR/duban.db (+ .key, .key.head), DIR/token, DIR/password\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *today = NULL;
    uint64_t seed = 1;
    double scale = 1.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--dir") == 0) dir = argv[i + 1];
        else if (strcmp(argv[i], "--seed") == 0) seed = strtoull(argv[i + 1], NULL, 10);
        else if (strcmp(argv[i], "--scale") == 0) scale = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--today") == 0) today = argv[i + 1];
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
    snprintf(db, sizeof db, "%s/duban.db", dir);
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
    bulk(&g, db);
    finish(&g, &cfg, dir);
    fprintf(stderr, "gen: %s: %d units, %lld users, %lld problems (%lld overdue), %lld events"
                    " in %.1f s\n", db, UNITS, (long long)g.nusers + 1, (long long)g.nproblems,
            (long long)g.noverdue, (long long)g.nevents, (clock_mono_ms() - t) / 1000);
    config_free(&cfg);
    arena_free(g.a);
    return 0;
}
