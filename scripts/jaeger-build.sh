#!/usr/bin/env bash
# Builds real Jaeger v2 (module tag v1.76.0 = Jaeger v2.13.0) and HotROD from the Go module proxy,
# cached outside the repo. The proxy refuses commit pins, so the v2.20.0/main pins cannot be built here;
# see README "Jaeger versions". Recipe: shared/docs/jaeger-api.md §7.
set -euo pipefail
JAEGER_MODULE_VERSION="${JAEGER_MODULE_VERSION:-v1.76.0}"
CACHE_DIR="${SPANLENS_CACHE:-$HOME/.cache/spanlens}/jaeger-${JAEGER_MODULE_VERSION}"
if [[ -x "$CACHE_DIR/bin/jaeger" && -x "$CACHE_DIR/bin/hotrod" ]]; then
  echo "jaeger: cached at $CACHE_DIR/bin"
  exit 0
fi
command -v go >/dev/null || { echo "jaeger-build: Go is required (go 1.24+)" >&2; exit 1; }
mkdir -p "$CACHE_DIR"
cd "$CACHE_DIR"
printf 'module spanlens.local/jaeger-build\n\ngo 1.24.6\n\nrequire github.com/jaegertracing/jaeger %s\n' "$JAEGER_MODULE_VERSION" > go.mod
export GOTOOLCHAIN=local GOFLAGS=-mod=mod
go mod download "github.com/jaegertracing/jaeger@${JAEGER_MODULE_VERSION}"
# Jaeger's own go.sum covers every dependency; the checksum DB lacks some of them so `go mod tidy` fails.
cp "$(go env GOMODCACHE)/github.com/jaegertracing/jaeger@${JAEGER_MODULE_VERSION}/go.sum" go.sum
chmod u+w go.sum
started=$(date +%s)
go build -o bin/jaeger.tmp github.com/jaegertracing/jaeger/cmd/jaeger && mv bin/jaeger.tmp bin/jaeger
go build -o bin/hotrod.tmp github.com/jaegertracing/jaeger/examples/hotrod && mv bin/hotrod.tmp bin/hotrod
echo "jaeger: built in $(( $(date +%s) - started ))s at $CACHE_DIR/bin"
