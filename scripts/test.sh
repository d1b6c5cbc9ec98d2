#!/usr/bin/env bash
# `npm test`: static checks, a production build, then unit, integration (real server + real DB over HTTP) and
# end-to-end (Playwright in Debian's Chromium) tests. Set PARETO_TEST_DATABASE_URL=postgresql://… to run the
# server-side suites on PostgreSQL instead of a fresh SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "schemas in sync"
node scripts/prisma-schemas.mjs --check
step "typecheck"
npx tsc --noEmit
step "lint"
npx eslint -c scripts/eslint.config.mjs --max-warnings 0 .
# Layers only point down (.dependency-cruiser.cjs): an upward import fails here.
npx depcruise lib app --config .dependency-cruiser.cjs
step "build"
PARETO_SKIP_TYPECHECK=1 node scripts/build.mjs
step "unit tests"
npx vitest run -c tests/vitest.config.mts --project unit
step "integration tests"
npx vitest run -c tests/vitest.config.mts --project integration
step "end-to-end tests"
npx playwright test -c tests/e2e/playwright.config.ts
