#!/bin/sh
# Creates or upgrades Temporal's schemas in PostgreSQL: the one-shot "temporal-schema" service of
# docker-compose.yml runs it in the temporalio/admin-tools image (same version as temporalio/server)
# before the server starts, on every `docker compose up`.
#
# Idempotent: `setup-schema -v 0.0` only creates the schema-version tables when they are missing, and
# `update-schema` applies just the versioned steps a database has not had yet — which is also how a
# server upgrade (new image tag) gets its schema changes.
#
# The databases themselves are created by deploy/postgres/initdb/10-roles-and-databases.sh (owned by
# SQL_USER, who needs no CREATEDB right).
#
# Environment (temporal-sql-tool reads SQL_PASSWORD itself, so it never appears in a process list):
#   SQL_PLUGIN, SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD, TEMPORAL_DB_NAME, TEMPORAL_VISIBILITY_DB_NAME,
#   TEMPORAL_SCHEMA_DIR (the image's copy of Temporal's schema/postgresql/v12)
set -eu

: "${SQL_PLUGIN:=postgres12}"
: "${SQL_HOST:?SQL_HOST must be set}"
: "${SQL_PORT:=5432}"
: "${SQL_USER:?SQL_USER must be set}"
: "${SQL_PASSWORD:?SQL_PASSWORD must be set}"
: "${TEMPORAL_DB_NAME:=temporal}"
: "${TEMPORAL_VISIBILITY_DB_NAME:=temporal_visibility}"
: "${TEMPORAL_SCHEMA_DIR:=/etc/temporal/schema/postgresql/v12}"
export SQL_PASSWORD

sql_tool() {
  temporal-sql-tool --plugin "$SQL_PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"
}

attempt=0
until nc -z -w 5 "$SQL_HOST" "$SQL_PORT"; do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge 60 ]; then
    echo "[temporal-schema] PostgreSQL at $SQL_HOST:$SQL_PORT did not answer" >&2
    exit 1
  fi
  sleep 2
done

setup() {
  db="$1"
  dir="$2"
  echo "[temporal-schema] database $db: schema from $dir"
  sql_tool --db "$db" setup-schema -v 0.0
  sql_tool --db "$db" update-schema -d "$dir"
}

setup "$TEMPORAL_DB_NAME" "$TEMPORAL_SCHEMA_DIR/temporal/versioned"
setup "$TEMPORAL_VISIBILITY_DB_NAME" "$TEMPORAL_SCHEMA_DIR/visibility/versioned"
echo "[temporal-schema] done"
