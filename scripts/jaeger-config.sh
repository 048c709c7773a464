#!/usr/bin/env bash
# Prints a Jaeger v2 config: the embedded all-in-one (memory store, OTLP in, query API out) trimmed to
# what Spanlens needs, with ports from the environment so several instances can run side by side.
set -euo pipefail
base_path_line=""
if [[ -n "${SPANLENS_JAEGER_BASE_PATH:-}" ]]; then
  base_path_line="    base_path: \"${SPANLENS_JAEGER_BASE_PATH}\""
fi
cat <<YAML
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_query:
${base_path_line}
    # Otherwise jaeger_query traces itself to whatever listens on 127.0.0.1:4317 (another instance).
    enable_tracing: false
    storage:
      traces: memstore
    http:
      endpoint: "${SPANLENS_JAEGER_HOST:-127.0.0.1}:${SPANLENS_JAEGER_QUERY_PORT:-16686}"
    grpc:
      endpoint: "127.0.0.1:${SPANLENS_JAEGER_GRPC_PORT:-16685}"
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${SPANLENS_JAEGER_MAX_TRACES:-100000}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: "127.0.0.1:${SPANLENS_OTLP_GRPC_PORT:-4317}"
      http:
        endpoint: "127.0.0.1:${SPANLENS_OTLP_HTTP_PORT:-4318}"
processors:
  batch:
    timeout: 200ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML
