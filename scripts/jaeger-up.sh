#!/usr/bin/env bash
# Builds (once, cached) and starts a real Jaeger v2 all-in-one with in-memory storage, then waits until
# its query API answers. Reuses an instance that is already up. Ports come from the environment:
#   SPANLENS_JAEGER_QUERY_PORT (16686)  SPANLENS_OTLP_HTTP_PORT (4318)  SPANLENS_OTLP_GRPC_PORT (4317)
#   SPANLENS_JAEGER_GRPC_PORT (16685)   SPANLENS_JAEGER_NAME (default; names the pid/log files)
# JAEGER_VERSION=latest (or --latest) also starts the v3-only proxy that answers like Jaeger after
# jaeger#9260 (legacy search removed) on SPANLENS_V3_ONLY_PORT (16687).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
name="${SPANLENS_JAEGER_NAME:-default}"
cache="${SPANLENS_CACHE:-$HOME/.cache/spanlens}"
run_dir="$cache/run/$name"
query_port="${SPANLENS_JAEGER_QUERY_PORT:-16686}"
latest="${JAEGER_VERSION:-}"
[[ "${1:-}" == "--latest" ]] && latest=latest

bash "$here/jaeger-build.sh"
bin="$cache/jaeger-${JAEGER_MODULE_VERSION:-v1.76.0}/bin/jaeger"
mkdir -p "$run_dir"

answers() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1$2" 2>/dev/null; }

if answers "$query_port" /api/services; then
  echo "jaeger: already up on query port $query_port (reusing it)"
else
  bash "$here/jaeger-config.sh" > "$run_dir/config.yaml"
  setsid nohup "$bin" --config "$run_dir/config.yaml" > "$run_dir/jaeger.log" 2>&1 < /dev/null &
  echo $! > "$run_dir/jaeger.pid"
  for _ in $(seq 1 120); do
    answers "$query_port" /api/services && break
    if ! kill -0 "$(cat "$run_dir/jaeger.pid")" 2>/dev/null; then
      echo "jaeger: exited during start-up; last log lines:" >&2
      tail -20 "$run_dir/jaeger.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  answers "$query_port" /api/services || { echo "jaeger: query API did not answer on port $query_port within 60s" >&2; exit 1; }
fi

echo "jaeger: Jaeger v2.13.0 (module v1.76.0), in-memory storage"
echo "  OTLP gRPC   127.0.0.1:${SPANLENS_OTLP_GRPC_PORT:-4317}"
echo "  OTLP HTTP   http://127.0.0.1:${SPANLENS_OTLP_HTTP_PORT:-4318}/v1/traces"
echo "  query + UI  http://localhost:$query_port   (legacy /api and /api/v3)"

if [[ "$latest" == "latest" ]]; then
  proxy_port="${SPANLENS_V3_ONLY_PORT:-16687}"
  if ! answers "$proxy_port" /api/v3/services; then
    setsid nohup node "$here/v3-only-proxy.mjs" --listen "$proxy_port" --upstream "http://127.0.0.1:$query_port" \
      > "$run_dir/v3-only-proxy.log" 2>&1 < /dev/null &
    echo $! > "$run_dir/v3-only-proxy.pid"
    for _ in $(seq 1 40); do answers "$proxy_port" /api/v3/services && break; sleep 0.25; done
  fi
  echo "  v3-only     http://localhost:$proxy_port   (answers like Jaeger main after jaeger#9260: /api/v3 only)"
fi
