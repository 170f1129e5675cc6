#!/bin/sh
# docker-compose.yml only: run once by the postgres image on a fresh volume (/docker-entrypoint-initdb.d,
# mounted as 10-service-roles.sh), as the superuser "platform" (POSTGRES_USER), the owner of every table
# (DATABASE_OWNER_URL). It creates the roles of 10-service-roles.sql with the passwords from .env
# (README, "Database roles"); 10-service-roles.sql itself stays for other PostgreSQL servers.
# On an existing volume the roles already exist: change a password with ALTER ROLE … PASSWORD … .
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v intake="$INTAKE_DB_PASSWORD" \
  -v civil_affairs="$CIVIL_AFFAIRS_DB_PASSWORD" \
  -v health="$HEALTH_DB_PASSWORD" \
  -v housing="$HOUSING_DB_PASSWORD" \
  -v education="$EDUCATION_DB_PASSWORD" \
  -v oversight="$OVERSIGHT_DB_PASSWORD" \
  -v auditor="$AUDITOR_DB_PASSWORD" <<'SQL'
CREATE ROLE intake_service LOGIN PASSWORD :'intake';
CREATE ROLE civil_affairs_service LOGIN PASSWORD :'civil_affairs';
CREATE ROLE health_service LOGIN PASSWORD :'health';
CREATE ROLE housing_service LOGIN PASSWORD :'housing';
CREATE ROLE education_service LOGIN PASSWORD :'education';
CREATE ROLE oversight_service LOGIN PASSWORD :'oversight';
-- Read-only, every schema present and future: for `npm run audit:verify` (DATABASE_AUDITOR_URL).
CREATE ROLE platform_auditor LOGIN PASSWORD :'auditor';
GRANT pg_read_all_data TO platform_auditor;
ALTER ROLE platform_auditor SET default_transaction_read_only = on;
SQL
