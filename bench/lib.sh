# bench/lib.sh — helpers of bench/run.sh and bench/soak.sh: databases, servers, wrk runs and
# the arithmetic of the result lines. Expects BUILD, SEED, PORT, RES, ROOT, DURATION, CONNS,
# SERVER_CPU and LOAD_CPU to be set by the caller; DB (sqlite, the default, or pg) picks the
# engine. A generated database is a directory: DIR/duban.db on SQLite; on PostgreSQL DIR/uri
# (its own database in the cluster under BUILD/pg), DIR/audit.key and its head file.

SERVER_PID=""
DB=${DB:-sqlite}
PGC=$BUILD/pg

# The arguments that open the database of a generated directory (into the array DBARGS).
db_args() {
  if [ "$DB" = pg ]; then DBARGS=(--db "$(cat "$1/uri")" --key_file "$1/audit.key")
  else DBARGS=(--db "$1/duban.db"); fi
}

# One query on a generated database, its rows on stdout ('|' between columns).
db_sql() {
  if [ "$DB" = pg ]; then psql "$(cat "$1/uri")" -qAtX -v ON_ERROR_STOP=1 -c "$2"
  else sqlite3 "file:$1/duban.db?mode=ro" "$2"; fi
}

# ---- PostgreSQL: one cluster under BUILD/pg, kept between runs with its databases ----

# The URI of database $1 in the cluster.
pg_uri() { local u; u=$(cat "$PGC/uri"); echo "${u/\/postgres\?//$1?}"; }

pg_up() {
  if [ -f "$PGC/uri" ] && "$ROOT/scripts/pg-cluster" restart "$PGC" >/dev/null 2>&1; then
    echo "bench: PostgreSQL cluster $PGC restarted" >&2
  else
    "$ROOT/scripts/pg-cluster" stop "$PGC"
    "$ROOT/scripts/pg-cluster" start "$PGC" >/dev/null
    echo "bench: PostgreSQL cluster $PGC started" >&2
  fi
}
pg_halt() { [ "$DB" = pg ] && "$ROOT/scripts/pg-cluster" halt "$PGC"; return 0; }
pg_psql() { PGOPTIONS="-c client_min_messages=warning" psql "$(pg_uri postgres)" -qAtX -v ON_ERROR_STOP=1 -c "$1" >/dev/null; }

# A copy of generated directory $1 (its database too) as directory $2, database $3.
db_copy() {
  rm -rf "$2"
  cp -r "$1" "$2"
  if [ "$DB" = pg ]; then
    pg_psql "DROP DATABASE IF EXISTS $3"
    pg_psql "CREATE DATABASE $3 TEMPLATE $(basename "$(cat "$1/dbname")")"
    pg_uri "$3" > "$2/uri"
    echo "$3" > "$2/dbname"
  fi
}

db_drop() {
  [ "$DB" = pg ] && [ -f "$1/dbname" ] && pg_psql "DROP DATABASE IF EXISTS $(cat "$1/dbname")"
  rm -rf "$1"
}

# The generated database for a scale, made once and kept under BUILD/data/ (PostgreSQL: in
# the cluster, its directory under BUILD/pg/gen/), keyed by seed, scale and a hash of the
# generator. A kept database is brought to the current schema by
# duban's own migrations (the audit verification opens it, and checks its chain), so that no
# benchmark, and no cold start, pays for a migration.
gen_db() {
  local scale=$1 key dir name
  key=$(sha256sum < "$ROOT/bench/gen.c" | cut -c1-12)
  if [ "$DB" = pg ]; then
    # The directory lives inside the cluster's, so that it goes when the cluster goes.
    name=b_seed${SEED}_scale${scale//./_}_$key
    dir=$PGC/gen/$name
  else
    dir=$BUILD/data/seed$SEED-scale$scale-$key
  fi
  if [ ! -f "$dir/token" ]; then
    rm -rf "$dir.tmp"
    echo "bench: generating $dir (seed $SEED, scale $scale, $DB)" >&2
    if [ "$DB" = pg ]; then
      mkdir -p "$dir.tmp"
      pg_psql "DROP DATABASE IF EXISTS $name"
      pg_psql "CREATE DATABASE $name"
      nice -n 10 "$BUILD/bench/gen" --dir "$dir.tmp" --pg "$(pg_uri "$name")" --seed "$SEED" \
        --scale "$scale" >&2
      pg_uri "$name" > "$dir.tmp/uri"
      echo "$name" > "$dir.tmp/dbname"
    else
      nice -n 10 "$BUILD/bench/gen" --dir "$dir.tmp" --seed "$SEED" --scale "$scale" >&2
    fi
    mv "$dir.tmp" "$dir"
  fi
  db_args "$dir"
  "$BIN" audit verify "${DBARGS[@]}" >/dev/null 2>&1 ||
    { echo "bench: the database of $dir does not verify" >&2; return 1; }
  echo "$dir"
}

wait_port() {
  for _ in $(seq 1 500); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return 0
    sleep 0.01
  done
  echo "bench: nothing listens on $PORT" >&2
  return 1
}

start_hello() {
  taskset -c "$SERVER_CPU" "$BUILD/bench/hello" "127.0.0.1:$PORT" 4 &
  SERVER_PID=$!
  wait_port
}

# duban serve (on the database of generated directory $1) with its defaults, except a scheduler that does not tick during the benchmark
# (the generator already ran it once) and the access log sent nowhere.
start_duban() {
  db_args "$1"
  DUBAN_TICK_INTERVAL=86400 taskset -c "$SERVER_CPU" "$BIN" serve "${DBARGS[@]}" \
    --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
  SERVER_PID=$!
  wait_port
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
trap stop_server EXIT

# Milliseconds from exec of `duban serve` (on generated directory $1) to the first 200 of /healthz (polled by curl).
cold_start_ms() {
  local t0 t1
  db_args "$1"
  t0=$(date +%s%N)
  DUBAN_TICK_INTERVAL=86400 taskset -c "$SERVER_CPU" "$BIN" serve "${DBARGS[@]}" \
    --listen "127.0.0.1:$PORT" >/dev/null 2>&1 &
  SERVER_PID=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ]; do
    sleep 0.002
  done
  t1=$(date +%s%N)
  stop_server
  echo $(( (t1 - t0) / 1000000 ))
}

# Runs wrk (name, url, optional lua script) and prints requests/s; output kept in RES/name.txt.
wrk_rps() {
  local name=$1 url=$2 script=${3:-}
  local args=(-t1 -c"$CONNS" -d"${DURATION}s" --latency)
  [ "$CONNS" -gt 1 ] || args=(-t1 -c1 -d"${DURATION}s" --latency)
  [ -n "$script" ] && args+=(-s "$ROOT/bench/$script")
  taskset -c "$LOAD_CPU" wrk "${args[@]}" "$url" > "$RES/$name.txt"
  awk '/^Requests\/sec/ {printf "%.0f\n", $2}' "$RES/$name.txt"
}

# The 99th percentile latency of a wrk run, in ms.
p99_ms() {
  awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
       if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f\n", v }' "$RES/$1.txt"
}

# Fails the run when a wrk run saw non-2xx answers or socket errors.
check_errors() {
  for n in "$@"; do
    if grep -qE 'Non-2xx|Socket errors' "$RES/$n.txt"; then
      echo "bench: $n had errors:" >&2
      grep -E 'Non-2xx|Socket errors' "$RES/$n.txt" >&2
    fi
  done
}

rss_mb() {
  awk '/^VmRSS/ {printf "%.1f\n", $2 / 1024}' "/proc/$SERVER_PID/status"
}

# The dashboard's figures by unit over the caller's whole scope: best of 5, in ms.
figures_ms() {
  local best=999999 t
  for _ in 1 2 3 4 5; do
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $BENCH_TOKEN" \
          "http://127.0.0.1:$PORT/api/v1/problems/stats?group=unit")
    best=$(awk -v a="$t" -v b="$best" 'BEGIN { a *= 1000; print (a < b) ? a : b }')
  done
  printf '%.1f\n' "$best"
}

# The figures baseline on PostgreSQL: bench/pg_figures.sql five times in psql with \timing,
# the best round's four times (BEGIN, the two queries, COMMIT) summed, in ms.
pg_figures_ms() {
  local i
  for i in 1 2 3 4 5; do cat "$ROOT/bench/pg_figures.sql"; done |
    psql "$(cat "$1/uri")" -qX -v ON_ERROR_STOP=1 2>&1 |
    awk '/^Time:/ { t += $2; if (++n % 4 == 0) { if (best == "" || t < best) best = t; t = 0 } }
         END { if (best == "") print "-"; else printf "%.1f\n", best }'
}

# The write baseline on PostgreSQL: pgbench running bench/pg_write.pgbench with $2 clients for
# DURATION seconds on generated directory $1 (problem ids 1..$3), transactions/s. pgbench runs
# on the load's CPU, as wrk does.
pgbench_tps() {
  taskset -c "$LOAD_CPU" pgbench -n -c "$2" -j 1 -T "$DURATION" -D maxid="$3" \
    -f "$ROOT/bench/pg_write.pgbench" "$(cat "$1/uri")" > "$RES/pgbench-c$2.txt" 2>&1 ||
    { echo "bench: pgbench failed:" >&2; tail -5 "$RES/pgbench-c$2.txt" >&2; echo -; return 0; }
  awk '/^tps/ { printf "%.0f\n", $3; exit }' "$RES/pgbench-c$2.txt"
}

# The import baseline on PostgreSQL: the first $3 problems of generated directory $1, as one
# INSERT each (what bench/sql.c's import does on SQLite), run by psql on directory $2's database
# in one transaction; rows/s of psql's wall time.
pg_import_rps() {
  local file=$BUILD/data/inserts-$(basename "$1")-$3.sql t0 t1
  [ -f "$file" ] || db_sql "$1" "SELECT format('INSERT INTO problem(source, category, title,
      description, found_on, unit_id, leader, person, measures, goal, mode, state, deadline,
      original_deadline, progress, verification, closed_at, note, created_at, updated_at) VALUES
      (%L, %L, %L, %L, %L, %s, %L, %L, %L, %L, %L, %L, %L, %L, %L, %L, %s, %L,
      extract(epoch FROM now())::bigint, extract(epoch FROM now())::bigint);', source, category,
      title, description, found_on, unit_id, leader, person, measures, goal, mode, state,
      deadline, deadline, progress, verification, coalesce(closed_at::text, 'NULL'), note)
      FROM problem ORDER BY id LIMIT $3" > "$file"
  t0=$(date +%s%N)
  taskset -c "$SERVER_CPU" psql "$(cat "$2/uri")" -qX -1 -v ON_ERROR_STOP=1 -f "$file" >/dev/null
  t1=$(date +%s%N)
  awk -v n="$3" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f\n", n / (ns / 1e9) }'
}

# Import of a CSV ledger of scale×1M problems into a fresh database, against sql copying the
# same rows into another fresh database (same schema and indexes) in one transaction.
import_bench() {
  local scale=$1 src fresh rows t0 t1 imp sqlimp
  src=$(gen_db "$scale")
  fresh=$(gen_db 0.0001)       # the same 500 units (same seed), almost no problems
  rows=$(db_sql "$src" "SELECT count(*) FROM problem")
  local csv=$BUILD/data/ledger-$(basename "$src").csv
  db_args "$src"
  [ -f "$csv" ] || "$BIN" export problems "${DBARGS[@]}" --out "$csv" >/dev/null 2>&1
  db_drop "$BUILD/data/import-duban"
  db_drop "$BUILD/data/import-sql"
  db_copy "$fresh" "$BUILD/data/import-duban" b_import_duban
  db_copy "$fresh" "$BUILD/data/import-sql" b_import_sql
  db_args "$BUILD/data/import-duban"
  t0=$(date +%s%N)
  if taskset -c "$SERVER_CPU" "$BIN" import problems "$csv" \
       "${DBARGS[@]}" > "$RES/import.txt" 2>&1; then
    t1=$(date +%s%N)
    imp=$(awk -v n="$rows" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f\n", n / (ns / 1e9) }')
  else
    echo "bench: import failed:" >&2; tail -5 "$RES/import.txt" >&2
    imp=-
  fi
  if [ "$DB" = pg ]; then
    sqlimp=$(pg_import_rps "$src" "$BUILD/data/import-sql" "$rows")
  else
    sqlimp=$(taskset -c "$SERVER_CPU" "$BUILD/bench/sql" import "$src/duban.db" \
               "$BUILD/data/import-sql/duban.db" "$rows")
  fi
  db_drop "$BUILD/data/import-duban"
  db_drop "$BUILD/data/import-sql"
  line "import $rows rows (CSV) rows/s vs ${BASE:-sql}" "$imp" "$sqlimp" "$(ratio "$imp" "$sqlimp")" ">= 0.5x" \
       "$(ge "$(ratio "$imp" "$sqlimp")" 0.5)"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "-" && a + 0 >= b) ? "PASS" : "MISS" }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "-" && a + 0 <= b) ? "PASS" : "MISS" }'; }
both() { [ "$1" = PASS ] && [ "$2" = PASS ] && echo PASS || echo MISS; }
line() { printf '%-44s %12s %12s %7s %-12s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" | tee -a "$RES/summary.txt"; }
