#!/usr/bin/env bash
# Stops the Jaeger (and v3-only proxy) started by jaeger-up.sh, by pid.
set -uo pipefail
name="${SPANLENS_JAEGER_NAME:-default}"
run_dir="${SPANLENS_CACHE:-$HOME/.cache/spanlens}/run/$name"
for pid_file in "$run_dir"/*.pid; do
  [[ -f "$pid_file" ]] || continue
  pid="$(cat "$pid_file")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    echo "stopped $(basename "$pid_file" .pid) (pid $pid)"
  fi
  rm -f "$pid_file"
done
