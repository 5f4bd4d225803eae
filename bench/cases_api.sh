#!/usr/bin/env bash
# Case API benchmark: GET /api/v1/cases/{number}/ (bearer key, DRF) against a minimal Django view
# that returns the same case row as JSON, side by side in one run, on loopback under gunicorn, with wrk.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench .venv/bin/python manage.py migrate
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/pspp_bench .venv/bin/python bench/cases_generate.py --reset
#   bench/cases_api.sh
#
# Environment (defaults): DATABASE_URL (pspp_bench), PORT (8055), WORKERS (2), CONNECTIONS (16),
# THREADS (2), DURATION (20s), WARMUP (5s), ROUNDS (2: minimal, API, minimal, API …),
# NUMBERS_FILE (bench/results/case_numbers.txt, written by cases_generate.py), GUNICORN_ARGS (extra
# options, e.g. "--worker-class gthread --threads 4").
# Targets (issue 4): API throughput >= 60% of the minimal view's, API p95 < 50 ms at 16 connections.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pspp_bench}"
PORT="${PORT:-8055}"
WORKERS="${WORKERS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-5s}"
ROUNDS="${ROUNDS:-2}"
NUMBERS_FILE="${NUMBERS_FILE:-$ROOT/bench/results/case_numbers.txt}"
PY="$ROOT/.venv/bin/python"
BASE="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
[ -s "$NUMBERS_FILE" ] || { echo "No case numbers in $NUMBERS_FILE: run bench/cases_generate.py first" >&2; exit 1; }

# Production-like process: no DJANGO_ENV (development settings, no TLS redirect), DEBUG off.
unset DJANGO_ENV
export DEBUG=0
export DJANGO_SETTINGS_MODULE=bench.cases_settings
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

KEY="$("$PY" manage.py create_api_client --agency VSAA --name "bench $(date +%s)" | sed -n 's/^Key (shown only now, keep it secret): //p')"
[ -n "$KEY" ] || { echo "could not create an API client" >&2; exit 1; }

LOG="$(mktemp /tmp/pspp_bench_gunicorn.XXXXXX.log)"
"$ROOT/.venv/bin/gunicorn" portal.wsgi:application -w "$WORKERS" -b "127.0.0.1:$PORT" \
  --access-logfile /dev/null --error-logfile "$LOG" ${GUNICORN_ARGS:-} &
GUNICORN_PID=$!
cleanup() { kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; }
trap cleanup EXIT

SAMPLE="$(head -n1 "$NUMBERS_FILE")"
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$BASE/bench/cases/$SAMPLE/" 2>/dev/null && break
  sleep 0.5
done
echo "gunicorn pid $GUNICORN_PID on $BASE, $WORKERS workers ${GUNICORN_ARGS:-}; $(wc -l <"$NUMBERS_FILE") case numbers; wrk -t$THREADS -c$CONNECTIONS -d$DURATION; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
echo "check (API):     $(curl -sS -o /dev/null -w '%{http_code} %{size_download}B' -H "Authorization: Bearer $KEY" "$BASE/api/v1/cases/$SAMPLE/")"
echo "check (minimal): $(curl -sS -o /dev/null -w '%{http_code} %{size_download}B' "$BASE/bench/cases/$SAMPLE/")"

worker_cpu_ticks() {  # user+system clock ticks of the gunicorn workers so far
  local total=0 pid
  for pid in $(pgrep -P "$GUNICORN_PID"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}

run() {  # name path-prefix token duration
  local before after line
  before="$(worker_cpu_ticks)"
  line="$(NUMBERS_FILE="$NUMBERS_FILE" PATH_PREFIX="$2" TOKEN="$3" \
    timeout 120 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" --latency -s "$ROOT/bench/cases_wrk.lua" "$BASE" \
    | sed -n 's/^RESULT /'"$1"' /p')"
  after="$(worker_cpu_ticks)"
  echo "$line worker_cpu_ticks=$((after - before)) ticks_per_second=$(getconf CLK_TCK)"
}

run warmup-minimal /bench/cases/ "" "$WARMUP" >/dev/null
run warmup-api /api/v1/cases/ "$KEY" "$WARMUP" >/dev/null

RESULTS="$(mktemp)"
for round in $(seq 1 "$ROUNDS"); do
  run "minimal round=$round" /bench/cases/ "" "$DURATION" | tee -a "$RESULTS"
  run "api round=$round" /api/v1/cases/ "$KEY" "$DURATION" | tee -a "$RESULTS"
done

python3 - "$RESULTS" <<'EOF'
import re, sys
rows = {"minimal": [], "api": []}
for line in open(sys.argv[1]):
    kind = line.split()[0]
    values = dict(re.findall(r"(\w+)=([\d.]+)", line))
    rows[kind].append({k: float(v) for k, v in values.items()})
def total(kind, key):
    return sum(r[key] for r in rows[kind])
minimal_rps = total("minimal", "requests") / total("minimal", "seconds")
api_rps = total("api", "requests") / total("api", "seconds")
api_p95 = max(r["p95_ms"] for r in rows["api"])
minimal_p95 = max(r["p95_ms"] for r in rows["minimal"])
errors = sum(r["non2xx"] + r["socket_errors"] for kind in rows for r in rows[kind])
def cpu_ms(kind):  # CPU time of the web workers per request: independent of other load on the machine
    return sum(r["worker_cpu_ticks"] / r["ticks_per_second"] for r in rows[kind]) * 1000 / total(kind, "requests")
ratio = api_rps / minimal_rps
print(f"minimal view: {minimal_rps:.0f} req/s, p95 {minimal_p95:.1f} ms (worst round)")
print(f"API detail:   {api_rps:.0f} req/s, p95 {api_p95:.1f} ms (worst round)")
print(f"web worker CPU per request: minimal {cpu_ms('minimal'):.2f} ms, API {cpu_ms('api'):.2f} ms "
      f"(CPU-time ratio {cpu_ms('minimal') / cpu_ms('api'):.0%})")
print(f"ratio: {ratio:.0%} (target >= 60%); API p95 {api_p95:.1f} ms (target < 50 ms); errors {int(errors)}")
ok = ratio >= 0.60 and api_p95 < 50 and errors == 0
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
EOF
