#!/usr/bin/env bash
# `npm test`: lint, then every suite, in order — unit, then integration and e2e against one real Jaeger
# (fresh `test` instance + v3-only proxy, seeded once) — and one closing line that adds them up.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
reports="$PWD/test-reports"  # not under test-results/: Playwright empties that folder when it starts
rm -rf "$reports" && mkdir -p "$reports"

node --version | grep -q '^v2[2-9]\.' || { echo "npm test needs Node >= 22 (run npm ci: it installs Node 24 into node_modules/.bin)" >&2; exit 1; }
[[ -x /usr/bin/chromium ]] || { echo "npm test needs Debian's Chromium at /usr/bin/chromium (apt-get install -y chromium)" >&2; exit 1; }
[[ -x /usr/bin/prometheus && -x /usr/bin/promtool ]] || { echo "npm test needs Debian's Prometheus at /usr/bin/prometheus and promtool (apt-get install -y prometheus)" >&2; exit 1; }

status=0
step() { echo; echo "=== $1 ($(date -u +%H:%M:%S))"; }

step "lint: format, eslint (import boundaries), typecheck, dead code"
npm run --silent lint || status=1

step "unit tests"
vitest run --project unit --reporter=default --reporter=json --outputFile.json="$reports/unit.json" || status=1

step "real Jaeger harness: build (cached), start, seed"
# Free ports chosen by the harness itself (a SPANLENS_HARNESS_PORTS left in the caller's shell is not passed
# on); the `test` lock is held until this script exits, so no other run restarts the instance under us.
harness_env="$(env -u SPANLENS_HARNESS_PORTS SPANLENS_HARNESS_LOCK_UNTIL_EXIT_OF=$$ node --experimental-strip-types lib/testing/jaeger-harness.ts up)" || { echo "$harness_env"; echo "Jaeger harness failed to start" >&2; exit 1; }
eval "$harness_env"
trap 'node --experimental-strip-types lib/testing/jaeger-harness.ts down >/dev/null 2>&1 || true' EXIT
env | grep '^SPANLENS_TEST_' | sort

step "integration tests (real Jaeger)"
vitest run --project integration --reporter=default --reporter=json --outputFile.json="$reports/integration.json" || status=1

step "build the app for e2e"
next build > "$reports/next-build.log" 2>&1 || { tail -40 "$reports/next-build.log"; status=1; }

step "e2e tests (Playwright, Debian Chromium, real Jaeger)"
PLAYWRIGHT_JSON_OUTPUT_NAME="$reports/e2e.json" playwright test --reporter=list,json || status=1

step "summary"
node scripts/test-summary.mjs "$reports/unit.json" "$reports/integration.json" "$reports/e2e.json" || status=1
exit $status
