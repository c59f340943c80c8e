#!/usr/bin/env bash
# Regenerates the TypeScript types of the published energy-coordination document (what a partner's
# own generator makes of it) from the copy in test/published/energy-coordination (the publisher's
# files, unchanged, under their MIT licence). Run after replacing that copy; the output is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
npx openapi-typescript test/published/energy-coordination/ec-openapi.json -o test/published/energy-coordination-openapi.d.ts
