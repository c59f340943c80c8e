#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest.
set -euo pipefail
export NEXT_TELEMETRY_DISABLED=1
cd "$(dirname "$0")/.."
step() { printf '\n\033[1m==> %s\033[0m\n' "$1"; }
step "typecheck"; npx tsc --noEmit
step "lint"; npx eslint --max-warnings 0 .
step "unit and integration tests (real PostgreSQL)"; npx vitest run
step "production build"; npx next build
step "end-to-end tests (Playwright, Chromium)"; bash scripts/ensure-chromium.sh; npx playwright test
