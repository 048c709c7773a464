#!/usr/bin/env bash
# `npm run hotrod`: starts Jaeger's HotROD demo (built by scripts/jaeger-build.sh) sending OTLP/HTTP to
# a Jaeger, drives N `GET /dispatch?customer=…` requests (valid customers plus a few invalid IDs, which
# fail for real inside HotROD), waits until Jaeger returns every dispatch trace, then stops HotROD.
#
#   bash scripts/hotrod.sh [-n 20] [--invalid 3] [--concurrency 4] [--pace SECONDS] [--port-base 8080]
#       [--keep] [--otlp http://127.0.0.1:4318] [--jaeger http://127.0.0.1:16686]
#
# --pace spreads the requests out (one every SECONDS, in a shuffled order) instead of a burst, for
# traffic that looks like a timeline (scripts/record-demo.ts records from such a run).
# Defaults follow the same env as jaeger-up.sh (SPANLENS_OTLP_HTTP_PORT, SPANLENS_JAEGER_QUERY_PORT).
# HotROD listens on port-base (frontend), +1 (customer), +2 (driver, gRPC), +3 (route), all on 127.0.0.1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export PATH="$here/../node_modules/.bin:$PATH"
cache="${SPANLENS_CACHE:-$HOME/.cache/spanlens}"
bin="$cache/jaeger-${JAEGER_MODULE_VERSION:-v1.76.0}/bin/hotrod"

requests=20
invalid=3
concurrency=4
pace=0
port_base="${SPANLENS_HOTROD_PORT_BASE:-8080}"
keep=false
otlp="http://127.0.0.1:${SPANLENS_OTLP_HTTP_PORT:-4318}"
jaeger="http://127.0.0.1:${SPANLENS_JAEGER_QUERY_PORT:-16686}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n|--requests) requests="$2"; shift 2 ;;
    --invalid) invalid="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --pace) pace="$2"; shift 2 ;;
    --port-base) port_base="$2"; shift 2 ;;
    --keep) keep=true; shift ;;
    --otlp) otlp="$2"; shift 2 ;;
    --jaeger) jaeger="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "hotrod: unknown argument $1" >&2; exit 2 ;;
  esac
done

[[ -x "$bin" ]] || bash "$here/jaeger-build.sh"
run_dir="$cache/run/hotrod-$port_base"
mkdir -p "$run_dir"
frontend="http://127.0.0.1:$port_base"
started_ms=$(( $(date +%s%N) / 1000000 ))

answers() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

if answers "$frontend/config"; then
  echo "hotrod: already running on $frontend (reusing it)"
  pid=""
else
  # HotROD's OTel SDK reads the standard exporter variables (examples/hotrod/pkg/tracing/init.go).
  OTEL_EXPORTER_OTLP_ENDPOINT="$otlp" \
    setsid nohup "$bin" all \
      -f "$port_base" -c "$((port_base + 1))" -d "$((port_base + 2))" -r "$((port_base + 3))" \
      --frontend-service-hostname 127.0.0.1 --customer-service-hostname 127.0.0.1 \
      --driver-service-hostname 127.0.0.1 --route-service-hostname 127.0.0.1 \
      -j "$jaeger" > "$run_dir/hotrod.log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$run_dir/hotrod.pid"
  for _ in $(seq 1 60); do answers "$frontend/config" && break; sleep 0.25; done
  answers "$frontend/config" || { echo "hotrod: frontend did not answer on $frontend; log:" >&2; tail -20 "$run_dir/hotrod.log" >&2; exit 1; }
fi
stop() {
  if [[ -n "$pid" && "$keep" == false ]]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    rm -f "$run_dir/hotrod.pid"
  fi
}
trap stop EXIT

valid_ids=(123 392 567 731)
invalid_ids=(999 404 8888 42 1001)
customers=()
for i in $(seq 0 $((requests - 1))); do customers+=("${valid_ids[$((i % 4))]}"); done
for i in $(seq 0 $((invalid - 1))); do customers+=("${invalid_ids[$((i % 5))]}"); done

echo "hotrod: ${#customers[@]} dispatch requests ($requests valid, $invalid invalid), $concurrency at a time, OTLP -> $otlp"
codes_file="$run_dir/codes.txt"
: > "$codes_file"
dispatch() { echo "$1 $(curl -s -o /dev/null -w "%{http_code}" --max-time 60 "$frontend/dispatch?customer=$1")" >> "$codes_file"; }
if [[ "$pace" != 0 ]]; then
  # Wait on the requests only: a bare `wait` would also wait for HotROD itself.
  pending=()
  for customer in $(printf '%s\n' "${customers[@]}" | shuf --random-source=/dev/zero); do
    dispatch "$customer" & pending+=($!)
    sleep "$pace"
  done
  wait "${pending[@]}"
else
  export -f dispatch; export frontend codes_file
  printf '%s\n' "${customers[@]}" | xargs -P "$concurrency" -I{} bash -c 'dispatch "$1"' _ {}
fi
ok=$(awk '$2 == 200' "$codes_file" | wc -l)
failed=$(awk '$2 != 200' "$codes_file" | wc -l)
echo "hotrod: answered 200 for $ok, non-200 for $failed ($(awk '$2 != 200 {print $1 "->" $2}' "$codes_file" | sort | uniq -c | xargs))"

# Each dispatch request is one trace rooted in frontend; wait until Jaeger returns them all.
expected=${#customers[@]}
node -e '
  const [jaeger, startMs, expected] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
  const deadline = Date.now() + 60_000;
  (async () => {
    for (;;) {
      const url = `${jaeger}/api/traces?service=frontend&start=${(startMs - 1000) * 1000}&end=${(Date.now() + 60_000) * 1000}&limit=2000`;
      const body = await (await fetch(url)).json();
      const dispatches = (body.data ?? []).filter((t) => t.spans.some((s) => s.operationName.includes("/dispatch") && s.references.length === 0));
      if (dispatches.length >= expected) {
        const spans = dispatches.reduce((n, t) => n + t.spans.length, 0);
        const errors = dispatches.reduce((n, t) => n + t.spans.filter((s) => s.tags.some((k) => k.key === "error" && k.value === true)).length, 0);
        console.log(`hotrod: Jaeger returns ${dispatches.length} dispatch traces, ${spans} spans, ${errors} error spans`);
        return;
      }
      if (Date.now() > deadline) { console.error(`hotrod: Jaeger returned only ${dispatches.length} of ${expected} dispatch traces within 60 s`); process.exit(1); }
      await new Promise((r) => setTimeout(r, 500));
    }
  })().catch((e) => { console.error(`hotrod: could not read Jaeger at ${jaeger}: ${e.message}`); process.exit(1); });
' "$jaeger" "$started_ms" "$expected"

if [[ "$keep" == true && -n "$pid" ]]; then
  echo "hotrod: left running (pid $pid, frontend $frontend); stop it with: kill $pid"
fi
echo "hotrod: done in $(( $(date +%s%N) / 1000000 - started_ms )) ms"
