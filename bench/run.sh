#!/usr/bin/env bash
# bench/run.sh — `make bench`: every benchmark of issue #6 beside its baseline, measured in the
# same run, one line each: figure, baseline, ratio, target, PASS/MISS.
#
#   bench/run.sh BUILD SCALE SEED            DB=pg: the same on PostgreSQL
#
# BUILD holds duban and the bench programs (gen, hello, sql). Databases are generated once per
# (seed, scale, generator and schema) under BUILD/data/ and reused. Load comes from wrk over
# loopback with keep-alive; the server is pinned to CPU 0 and wrk to CPU 1 (taskset), so on a
# 2-core machine each has a core. Raw wrk output goes to BUILD/results/.
#
# With DB=pg the databases live in a PostgreSQL cluster under BUILD/pg (scripts/pg-cluster),
# started for the run and stopped at its end, even on failure, and kept with its databases for
# the next run. The baselines are PostgreSQL's own: the figures' two queries in psql with
# \timing (bench/pg_figures.sql), the write path with pgbench (bench/pg_write.pgbench) on a copy
# of the database, the import's INSERTs run by psql in one transaction. The PostgreSQL server
# is not pinned: its backends run on either core, beside duban (CPU 0) and the load (CPU 1).
set -euo pipefail
BUILD=${1:?build dir}
SCALE=${2:-1}
SEED=${3:-1}
DURATION=${DURATION:-10}      # seconds per wrk run
CONNS=${CONNS:-32}            # wrk connections for the read benchmarks
IMPORT_SCALE=${IMPORT_SCALE:-0.1}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT=${PORT:-18080}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$BUILD/duban
RES=$BUILD/results
DB=${DB:-sqlite}
[ "$DB" = pg ] && RES=$BUILD/results-pg
mkdir -p "$RES" "$BUILD/data"
source "$ROOT/bench/lib.sh"
case $DB in
sqlite) BASE=sql ;;
pg) BASE=pg
    trap 'stop_server; pg_halt' EXIT
    trap 'exit 130' INT TERM
    pg_up ;;
*) echo "bench: DB is sqlite or pg, not $DB" >&2; exit 2 ;;
esac

ENGINE=""; [ "$DB" = pg ] && ENGINE="PostgreSQL, "
echo "# duban bench: ${ENGINE}scale $SCALE, seed $SEED, $(nproc) CPUs, $(date -u +%FT%TZ), $(git -C "$ROOT" rev-parse --short HEAD)"
printf '%-44s %12s %12s %7s %-12s %s\n' benchmark figure baseline ratio target result

# ---- the HTTP ceiling ----
start_hello
HELLO=$(wrk_rps hello "http://127.0.0.1:$PORT/")
stop_server

DB_DIR=$(gen_db "$SCALE")
TOKEN=$(cat "$DB_DIR/token")
export BENCH_TOKEN=$TOKEN

# ---- cold start to the first 200 (before anything warms this process) ----
COLD=$(cold_start_ms "$DB_DIR")
line "cold start to first 200 (ms)" "$COLD" - - "<= 200" "$(le "$COLD" 200)"

start_duban "$DB_DIR"
H=$(wrk_rps healthz "http://127.0.0.1:$PORT/healthz")
line "/healthz req/s vs hello" "$H" "$HELLO" "$(ratio "$H" "$HELLO")" ">= 0.8x" "$(ge "$(ratio "$H" "$HELLO")" 0.8)"

NPROB=$(db_sql "$DB_DIR" "SELECT max(id) FROM problem")
export BENCH_MAX_ID=$NPROB
G=$(wrk_rps get_one "http://127.0.0.1:$PORT/api/v1/problems/1" get_one.lua)
line "GET one problem (auth) req/s vs hello" "$G" "$HELLO" "$(ratio "$G" "$HELLO")" ">= 0.5x" "$(ge "$(ratio "$G" "$HELLO")" 0.5)"

LIST_URL="http://127.0.0.1:$PORT/api/v1/problems?state=in_progress&limit=20"
L=$(wrk_rps list "$LIST_URL" list.lua)
LP99=$(p99_ms list)
RSS=$(rss_mb)
line "list 20 rows req/s vs hello" "$L" "$HELLO" "$(ratio "$L" "$HELLO")" ">= 0.2x" "$(ge "$(ratio "$L" "$HELLO")" 0.2)"
line "list 20 rows p99 (ms)" "$LP99" - - "<= 10" "$(le "$LP99" 10)"
line "server RSS after list load (MB)" "$RSS" - - "<= 64" "$(le "$RSS" 64)"

FIG=$(figures_ms)
if [ "$DB" = pg ]; then SQLFIG=$(pg_figures_ms "$DB_DIR")
else SQLFIG=$("$BUILD/bench/sql" figures "$DB_DIR/duban.db"); fi
line "figures by unit (ms) vs $BASE" "$FIG" "$SQLFIG" "$(ratio "$FIG" "$SQLFIG")" "<=50ms,<=1.2x" \
     "$(both "$(le "$FIG" 50)" "$(le "$(ratio "$FIG" "$SQLFIG")" 1.2)")"

# ---- writes: a report action (problem row, flow event, audit record, durable) ----
export BENCH_IDS=$RES/inprogress.txt
db_sql "$DB_DIR" \
  "SELECT id FROM problem WHERE state = 'in_progress' ORDER BY id LIMIT 5000" > "$BENCH_IDS"
W1=$(CONNS=1 wrk_rps write_serial "http://127.0.0.1:$PORT/api/v1/problems/1/actions/report" write.lua)
WN=$(CONNS=16 wrk_rps write_concurrent "http://127.0.0.1:$PORT/api/v1/problems/1/actions/report" write.lua)
stop_server
check_errors write_serial write_concurrent
if [ "$DB" = pg ]; then
  db_copy "$DB_DIR" "$BUILD/data/pgwrite" b_pgwrite
  SQLW=$(pgbench_tps "$BUILD/data/pgwrite" 1 "$NPROB")
  SQLWN=$(pgbench_tps "$BUILD/data/pgwrite" 16 "$NPROB")
  db_drop "$BUILD/data/pgwrite"
else
  cp "$DB_DIR/duban.db" "$BUILD/data/sqlwrite.db"
  SQLW=$("$BUILD/bench/sql" write "$BUILD/data/sqlwrite.db" "$DURATION")
  rm -f "$BUILD/data/sqlwrite.db"*
fi
line "state change tx/s, 1 client, vs $BASE" "$W1" "$SQLW" "$(ratio "$W1" "$SQLW")" ">= 0.5x" "$(ge "$(ratio "$W1" "$SQLW")" 0.5)"
line "state change tx/s, 16 clients, vs 1" "$WN" "$W1" "$(ratio "$WN" "$W1")" ">= 3x" "$(ge "$(ratio "$WN" "$W1")" 3)"
if [ "$DB" = pg ]; then
  line "state change tx/s, 16 clients, vs pg 16" "$WN" "$SQLWN" "$(ratio "$WN" "$SQLWN")" "(info)" -
  line "pgbench tx/s, 16 clients, vs 1" "$SQLWN" "$SQLW" "$(ratio "$SQLWN" "$SQLW")" "(info)" -
fi

# ---- list at a tenth of the size: req/s must hold within 30% ----
if [ "$SCALE" = 1 ]; then
  SMALL_DIR=$(gen_db 0.1)
  export BENCH_TOKEN=$(cat "$SMALL_DIR/token")
  start_duban "$SMALL_DIR"
  LS=$(wrk_rps list_small "$LIST_URL" list.lua)
  stop_server
  line "list req/s at 1M vs at 100k" "$L" "$LS" "$(ratio "$L" "$LS")" ">= 0.7x" "$(ge "$(ratio "$L" "$LS")" 0.7)"
fi

# ---- import: CSV of IMPORT_SCALE×1M problems into a fresh database ----
[ "$IMPORT_SCALE" = 0 ] || import_bench "$IMPORT_SCALE"     # IMPORT_SCALE=0 leaves it out
