# bench/lib.sh — helpers of bench/run.sh and bench/soak.sh: databases, servers, wrk runs and
# the arithmetic of the result lines. Expects BUILD, SEED, PORT, RES, ROOT, DURATION, CONNS,
# SERVER_CPU and LOAD_CPU to be set by the caller.

SERVER_PID=""

# The generated database for a scale, made once and kept under BUILD/data/, keyed by seed,
# scale and a hash of the generator. A kept database is brought to the current schema by
# duban's own migrations (the audit verification opens it, and checks its chain), so that no
# benchmark, and no cold start, pays for a migration.
gen_db() {
  local scale=$1 key dir
  key=$(sha256sum < "$ROOT/bench/gen.c" | cut -c1-12)
  dir=$BUILD/data/seed$SEED-scale$scale-$key
  if [ ! -f "$dir/token" ]; then
    rm -rf "$dir.tmp"
    echo "bench: generating $dir (seed $SEED, scale $scale)" >&2
    nice -n 10 "$BUILD/bench/gen" --dir "$dir.tmp" --seed "$SEED" --scale "$scale" >&2
    mv "$dir.tmp" "$dir"
  fi
  "$BIN" audit verify --db "$dir/duban.db" >/dev/null 2>&1 ||
    { echo "bench: $dir/duban.db does not verify" >&2; return 1; }
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

# duban serve with its defaults, except a scheduler that does not tick during the benchmark
# (the generator already ran it once) and the access log sent nowhere.
start_duban() {
  DUBAN_TICK_INTERVAL=86400 taskset -c "$SERVER_CPU" "$BIN" serve --db "$1" \
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

# Milliseconds from exec of `duban serve` to the first 200 of /healthz (polled by curl).
cold_start_ms() {
  local t0 t1
  t0=$(date +%s%N)
  DUBAN_TICK_INTERVAL=86400 taskset -c "$SERVER_CPU" "$BIN" serve --db "$1" \
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

# Import of a CSV ledger of scale×1M problems into a fresh database, against sql copying the
# same rows into another fresh database (same schema and indexes) in one transaction.
import_bench() {
  local scale=$1 src fresh rows t0 t1 imp sqlimp
  src=$(gen_db "$scale")
  fresh=$(gen_db 0.0001)       # the same 500 units (same seed), almost no problems
  rows=$(sqlite3 "file:$src/duban.db?mode=ro" "SELECT count(*) FROM problem")
  local csv=$BUILD/data/ledger-$(basename "$src").csv
  [ -f "$csv" ] || "$BIN" export problems --db "$src/duban.db" --out "$csv" >/dev/null 2>&1
  rm -rf "$BUILD/data/import-duban" "$BUILD/data/import-sql"
  cp -r "$fresh" "$BUILD/data/import-duban"
  cp -r "$fresh" "$BUILD/data/import-sql"
  t0=$(date +%s%N)
  if taskset -c "$SERVER_CPU" "$BIN" import problems "$csv" \
       --db "$BUILD/data/import-duban/duban.db" > "$RES/import.txt" 2>&1; then
    t1=$(date +%s%N)
    imp=$(awk -v n="$rows" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f\n", n / (ns / 1e9) }')
  else
    echo "bench: import failed:" >&2; tail -5 "$RES/import.txt" >&2
    imp=-
  fi
  sqlimp=$(taskset -c "$SERVER_CPU" "$BUILD/bench/sql" import "$src/duban.db" \
             "$BUILD/data/import-sql/duban.db" "$rows")
  rm -rf "$BUILD/data/import-duban" "$BUILD/data/import-sql"
  line "import $rows rows (CSV) rows/s vs sql" "$imp" "$sqlimp" "$(ratio "$imp" "$sqlimp")" ">= 0.5x" \
       "$(ge "$(ratio "$imp" "$sqlimp")" 0.5)"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "-" && a + 0 >= b) ? "PASS" : "MISS" }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "-" && a + 0 <= b) ? "PASS" : "MISS" }'; }
both() { [ "$1" = PASS ] && [ "$2" = PASS ] && echo PASS || echo MISS; }
line() { printf '%-44s %12s %12s %7s %-12s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" | tee -a "$RES/summary.txt"; }
