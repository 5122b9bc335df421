/*
 * sql — the storage ceiling for `make bench`: plain C loops of prepared SQLite statements on a
 * duban database, with the pragmas duban's store sets (WAL, synchronous=FULL, foreign keys,
 * temp_store=MEMORY), doing what a benchmarked request does underneath, without duban's
 * routing, permissions, JSON or audit MACs. Each mode prints one number on stdout.
 *
 *   sql figures DB          ms for the dashboard's two queries by unit (counts by state, and
 *                           the closed problems' dates), best of 5
 *   sql write DB SECONDS    transactions/s: one problem update + one flow event + one audit
 *                           row per transaction, each committed on its own
 *   sql import SRC DST N    rows/s: the first N problems of SRC inserted into DST in one
 *                           transaction (DST has duban's schema and indexes)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        fprintf(stderr, "sql: cannot open %s\n", path);
        exit(1);
    }
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;"
                     " PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
    return db;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "sql: %s: %s\n", sqlite3_errmsg(db), sql);
        exit(1);
    }
    return st;
}

static void run(sqlite3 *db, sqlite3_stmt *st)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {}
    if (rc != SQLITE_DONE) {
        fprintf(stderr, "sql: %s: %s\n", sqlite3_errmsg(db), sqlite3_sql(st));
        exit(1);
    }
    sqlite3_reset(st);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        fprintf(stderr, "sql: %s: %s\n", sqlite3_errmsg(db), sql);
        exit(1);
    }
}

/* The figures by unit over the whole province: first-level subtrees of the root. */
#define KEY "CASE WHEN n.path = ?1 THEN '0' ELSE substr(n.path, length(?1) + 1," \
            " instr(substr(n.path, length(?1) + 1), '/') - 1) END"
static int figures(const char *path)
{
    sqlite3 *db = open_db(path);
    sqlite3_stmt *counts = prep(db, "SELECT " KEY " AS k, count(*), sum(p.state = 'closed'),"
                                    " sum(p.state <> 'closed'), sum(p.overdue = 1 AND"
                                    " p.state <> 'closed'), sum(p.reopened > 0) FROM problem p"
                                    " JOIN unit n ON n.id = p.unit_id GROUP BY k ORDER BY k");
    sqlite3_stmt *closed = prep(db, "SELECT " KEY " AS k, p.found_on, p.closed_at FROM problem p"
                                    " JOIN unit n ON n.id = p.unit_id WHERE +p.state = 'closed'");
    double best = 1e9;
    for (int i = 0; i < 5; i++) {
        double t = now_ms();
        exec(db, "BEGIN");
        sqlite3_bind_text(counts, 1, "/1/", -1, SQLITE_STATIC);
        sqlite3_bind_text(closed, 1, "/1/", -1, SQLITE_STATIC);
        run(db, counts);
        run(db, closed);
        exec(db, "COMMIT");
        t = now_ms() - t;
        if (t < best) best = t;
    }
    printf("%.1f\n", best);
    sqlite3_finalize(counts);
    sqlite3_finalize(closed);
    sqlite3_close(db);
    return 0;
}

/* What a flow action writes: the problem row, its event, its audit record; one commit each. */
static int writes(const char *path, double seconds)
{
    sqlite3 *db = open_db(path);
    sqlite3_stmt *ids = prep(db, "SELECT id FROM problem WHERE state = 'in_progress' LIMIT 10000");
    int64_t pool[10000];
    int npool = 0;
    while (sqlite3_step(ids) == SQLITE_ROW) pool[npool++] = sqlite3_column_int64(ids, 0);
    sqlite3_finalize(ids);
    if (!npool) return 1;
    sqlite3_stmt *upd = prep(db, "UPDATE problem SET progress = ?1, updated_at = ?2,"
                                 " version = version + 1 WHERE id = ?3");
    sqlite3_stmt *ev = prep(db, "INSERT INTO flow_event(flow, item_id, action, from_state,"
                                " to_state, actor_id, actor, at, fields) VALUES ('problem', ?1,"
                                " 'report', 'in_progress', 'in_progress', NULL, 'bench', ?2, ?3)");
    sqlite3_stmt *au = prep(db, "INSERT INTO audit(at, actor_id, actor, action, object, detail,"
                                " prev, mac) VALUES (?1, NULL, 'bench', 'problem.report', ?2, ?3,"
                                " ?4, ?4)");
    static const char mac[] = "0000000000000000000000000000000000000000000000000000000000000000";
    long n = 0;
    double t0 = now_ms();
    while (now_ms() - t0 < seconds * 1000) {
        int64_t id = pool[n % npool];
        char object[32];
        snprintf(object, sizeof object, "problem:%lld", (long long)id);
        exec(db, "BEGIN IMMEDIATE");
        sqlite3_bind_text(upd, 1, "已按计划推进，正在整改", -1, SQLITE_STATIC);
        sqlite3_bind_int64(upd, 2, (int64_t)time(NULL));
        sqlite3_bind_int64(upd, 3, id);
        run(db, upd);
        sqlite3_bind_int64(ev, 1, id);
        sqlite3_bind_int64(ev, 2, (int64_t)time(NULL));
        sqlite3_bind_text(ev, 3, "{\"progress\":\"已按计划推进，正在整改\"}", -1, SQLITE_STATIC);
        run(db, ev);
        sqlite3_bind_int64(au, 1, (int64_t)time(NULL));
        sqlite3_bind_text(au, 2, object, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(au, 3, "{\"action\":\"report\"}", -1, SQLITE_STATIC);
        sqlite3_bind_text(au, 4, mac, -1, SQLITE_STATIC);
        run(db, au);
        exec(db, "COMMIT");
        n++;
    }
    printf("%.0f\n", n / ((now_ms() - t0) / 1000));
    sqlite3_finalize(upd);
    sqlite3_finalize(ev);
    sqlite3_finalize(au);
    sqlite3_close(db);
    return 0;
}

/* The import's writes: N problem rows copied in one transaction, one INSERT each. */
static int import(const char *src, const char *dst, long n)
{
    sqlite3 *db = open_db(dst);
    char *attach = sqlite3_mprintf("ATTACH %Q AS src", src);
    exec(db, attach);
    sqlite3_free(attach);
    sqlite3_stmt *rd = prep(db, "SELECT source, category, title, description, found_on, unit_id,"
                                " leader, person, measures, goal, mode, state, deadline, progress,"
                                " verification, closed_at, note FROM src.problem ORDER BY id"
                                " LIMIT ?1");
    sqlite3_stmt *ins = prep(db, "INSERT INTO problem(source, category, title, description,"
                                 " found_on, unit_id, leader, person, measures, goal, mode, state,"
                                 " deadline, original_deadline, progress, verification, closed_at,"
                                 " note, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
                                 " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15, ?16, ?17, ?18,"
                                 " ?18)");
    /* Reading the rows first, so that only the inserts are timed. */
    typedef struct { sqlite3_value *v[17]; } row;
    row *rows = calloc((size_t)n, sizeof *rows);
    long got = 0;
    sqlite3_bind_int64(rd, 1, n);
    while (got < n && sqlite3_step(rd) == SQLITE_ROW) {
        for (int c = 0; c < 17; c++) rows[got].v[c] = sqlite3_value_dup(sqlite3_column_value(rd, c));
        got++;
    }
    sqlite3_finalize(rd);
    double t = now_ms();
    exec(db, "BEGIN IMMEDIATE");
    for (long i = 0; i < got; i++) {
        for (int c = 0; c < 17; c++) sqlite3_bind_value(ins, c + 1, rows[i].v[c]);
        sqlite3_bind_int64(ins, 18, (int64_t)time(NULL));
        run(db, ins);
    }
    exec(db, "COMMIT");
    t = now_ms() - t;
    printf("%.0f\n", got / (t / 1000));
    for (long i = 0; i < got; i++)
        for (int c = 0; c < 17; c++) sqlite3_value_free(rows[i].v[c]);
    free(rows);
    sqlite3_finalize(ins);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "figures") == 0) return figures(argv[2]);
    if (argc == 4 && strcmp(argv[1], "write") == 0) return writes(argv[2], atof(argv[3]));
    if (argc == 5 && strcmp(argv[1], "import") == 0) return import(argv[2], argv[3], atol(argv[4]));
    fprintf(stderr, "usage: sql figures DB | sql write DB SECONDS | sql import SRC DST N\n");
    return 2;
}
