#!/usr/bin/env bash
# bench/soak.sh — `make soak`: mixed read/write load (bench/mixed.lua) on a copy of the
# generated database, first flat out for MAX_SECONDS to measure the maximum, then at
# RATE_PERCENT of it for MINUTES one-minute slices; after each slice the server's RSS. Prints a
# line per minute and a verdict: no error responses, RSS growth within 10% (from the end of
# the first minute, and from the end of the second, once SQLite's page caches have filled),
# p99 of the last minute within 2x of the first.
#
#   bench/soak.sh BUILD SCALE SEED
set -euo pipefail
BUILD=${1:?build dir}
SCALE=${2:-1}
SEED=${3:-1}
MINUTES=${MINUTES:-10}
MAX_SECONDS=${MAX_SECONDS:-20}
RATE_PERCENT=${RATE_PERCENT:-80}
CONNS=${CONNS:-16}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
PORT=${PORT:-18090}
DURATION=${SLICE:-60}   # seconds per slice ("minute")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$BUILD/duban
RES=$BUILD/results/soak
mkdir -p "$RES"
source "$ROOT/bench/lib.sh"

SRC=$(gen_db "$SCALE")
COPY=$BUILD/data/soak
rm -rf "$COPY"
cp -r "$SRC" "$COPY"
export BENCH_TOKEN=$(cat "$COPY/token")
export BENCH_MAX_ID=$(sqlite3 "file:$COPY/duban.db?mode=ro" "SELECT max(id) FROM problem")
export BENCH_IDS=$RES/inprogress.txt
sqlite3 "file:$COPY/duban.db?mode=ro" \
  "SELECT id FROM problem WHERE state = 'in_progress' ORDER BY id LIMIT 5000" > "$BENCH_IDS"
URL="http://127.0.0.1:$PORT/"

echo "# duban soak: scale $SCALE, $(nproc) CPUs, $CONNS connections, $(date -u +%FT%TZ), $(git -C "$ROOT" rev-parse --short HEAD)"
start_duban "$COPY"
DURATION=$MAX_SECONDS wrk_rps max "$URL" mixed.lua > "$RES/max.rps"
MAX=$(cat "$RES/max.rps")
TARGET=$((MAX * RATE_PERCENT / 100))
# Each connection waits between requests: first CONNS/TARGET seconds, then, after a 10 s
# calibration run, that less the reply time the calibration showed (so the rate is TARGET).
D0=$(awk -v c="$CONNS" -v t="$TARGET" 'BEGIN { printf "%d", c * 1000 / t }')
R0=$(BENCH_DELAY_MS=$D0 DURATION=10 wrk_rps calibrate "$URL" mixed.lua)
export BENCH_DELAY_MS=$(awk -v c="$CONNS" -v t="$TARGET" -v d="$D0" -v r="$R0" \
  'BEGIN { l = c * 1000 / r - d; x = c * 1000 / t - l; printf "%d", (x > 0 ? x : 0) }')
echo "maximum $MAX req/s (mixed); soak at $RATE_PERCENT%: $TARGET req/s target, ${BENCH_DELAY_MS} ms between requests per connection"
printf '%-7s %10s %10s %10s %10s\n' minute req/s p99_ms rss_mb errors
ERRORS=0
for m in $(seq 1 "$MINUTES"); do
  R=$(wrk_rps "minute$m" "$URL" mixed.lua)
  E=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$RES/minute$m.txt")
  ERRORS=$((ERRORS + E))
  P=$(p99_ms "minute$m")
  S=$(rss_mb)
  printf '%-7s %10s %10s %10s %10s\n' "$m" "$R" "$P" "$S" "$E"
  [ "$m" = 1 ] && { RSS1=$S; P991=$P; }
  [ "$m" = 2 ] && RSS2=$S
  RSSN=$S; P99N=$P
done
stop_server
GROWTH=$(awk -v a="$RSS1" -v b="$RSSN" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
GROWTH2=$(awk -v a="${RSS2:-$RSS1}" -v b="$RSSN" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
PRATIO=$(awk -v a="$P991" -v b="$P99N" 'BEGIN { printf "%.2f", b / a }')
echo "errors: $ERRORS ($( [ "$ERRORS" = 0 ] && echo PASS || echo MISS ))"
echo "RSS growth after minute 1: $GROWTH% ($(awk -v g="$GROWTH" 'BEGIN { print (g <= 10) ? "PASS" : "MISS" }'))"
echo "RSS growth after minute 2: $GROWTH2% ($(awk -v g="$GROWTH2" 'BEGIN { print (g <= 10) ? "PASS" : "MISS" }'))"
echo "p99 last/first minute: $PRATIO ($(awk -v r="$PRATIO" 'BEGIN { print (r <= 2) ? "PASS" : "MISS" }'))"
rm -rf "$COPY"
