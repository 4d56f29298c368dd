#!/bin/bash
# PostgreSQL init script (mounted into /docker-entrypoint-initdb.d by docker-compose.yml).
#
# The official postgres image runs it once, as the superuser, on the first start with an empty data
# volume; it does nothing on later starts. It creates one login role and database(s) per consumer, so the
# application cannot touch Temporal's tables and Temporal cannot touch the application's:
#
#   role TEMPORAL_DB_USER  owns TEMPORAL_DB_NAME and TEMPORAL_VISIBILITY_DB_NAME (schemas: temporal-schema)
#   role APP_DB_USER       owns APP_DB_NAME (schema: the app's TypeORM migrations, service "migrate")
#
# Names and passwords come from the postgresql service's environment (docker-compose.yml). Values reach
# SQL only as psql variables (:'var' quotes a literal, format(%I/%L) quotes identifiers/literals), never
# by pasting them into SQL text. The script is safe to run again: existing roles/databases are kept.
#
# No `set -u` and no `exit` on purpose: the entrypoint sources *.sh files that are not executable.

: "${TEMPORAL_DB_USER:?TEMPORAL_DB_USER must be set}"
: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD must be set}"
: "${TEMPORAL_DB_NAME:?TEMPORAL_DB_NAME must be set}"
: "${TEMPORAL_VISIBILITY_DB_NAME:?TEMPORAL_VISIBILITY_DB_NAME must be set}"
: "${APP_DB_USER:?APP_DB_USER must be set}"
: "${APP_DB_PASSWORD:?APP_DB_PASSWORD must be set}"
: "${APP_DB_NAME:?APP_DB_NAME must be set}"

psql -v ON_ERROR_STOP=1 --no-psqlrc \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  --set=temporal_user="$TEMPORAL_DB_USER" \
  --set=temporal_password="$TEMPORAL_DB_PASSWORD" \
  --set=temporal_db="$TEMPORAL_DB_NAME" \
  --set=temporal_visibility_db="$TEMPORAL_VISIBILITY_DB_NAME" \
  --set=app_user="$APP_DB_USER" \
  --set=app_password="$APP_DB_PASSWORD" \
  --set=app_db="$APP_DB_NAME" <<'EOSQL'
-- Login roles (no superuser, no CREATEDB, no CREATEROLE).
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'temporal_user', :'temporal_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'temporal_user') \gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_user', :'app_password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec

-- Databases, each owned by its role (on PostgreSQL 15+ the owner may create tables in "public").
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'temporal_db', :'temporal_user', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'temporal_db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'temporal_visibility_db', :'temporal_user', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'temporal_visibility_db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'app_db', :'app_user', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'app_db') \gexec

-- Nobody else may connect to them.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', d)
  FROM unnest(ARRAY[:'temporal_db', :'temporal_visibility_db', :'app_db']) AS d \gexec
EOSQL
