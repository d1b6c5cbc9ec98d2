#!/usr/bin/env bash
# Authors a new migration for both providers from a change to prisma/schema.models.prisma.
# Usage: npm run db:diff -- <name>     (e.g. npm run db:diff -- add_widgets)
# `prisma migrate dev` cannot run offline here, so each migration is diffed from the schema snapshot that the
# previous migration left in prisma/<provider>/migrations/.schema.prisma to the new datamodel.
set -euo pipefail
name="${1:?usage: npm run db:diff -- <migration_name>}"
cd "$(dirname "$0")/.."
mkdir -p data
node scripts/prisma-schemas.mjs
stamp="$(date -u +%Y%m%d%H%M%S)"
for provider in sqlite postgres; do
  dir="prisma/$provider/migrations"
  mkdir -p "$dir"
  if [ -f "$dir/.schema.prisma" ]; then from=(--from-schema-datamodel "$dir/.schema.prisma"); else from=(--from-empty); fi
  sql="$(npx prisma migrate diff --config "prisma/$provider.config.ts" "${from[@]}" \
    --to-schema-datamodel "prisma/$provider/schema.prisma" --script 2>/dev/null)"
  if [ -z "$(grep -v '^--' <<<"$sql" | tr -d '[:space:]')" ]; then echo "$provider: no changes"; continue; fi
  mkdir -p "$dir/${stamp}_$name"
  printf '%s\n' "$sql" > "$dir/${stamp}_$name/migration.sql"
  cp "prisma/$provider/schema.prisma" "$dir/.schema.prisma"
  echo "$provider: wrote $dir/${stamp}_$name/migration.sql"
done
