-- Run once by the postgres image on a fresh volume (/docker-entrypoint-initdb.d), as the superuser
-- "platform", which stays the owner of every table and runs the migrations (DATABASE_OWNER_URL).
-- On an existing volume or another PostgreSQL, run it by hand: psql -U platform -d platform -f <this file>.
--
-- One login role per department service, used as that service's DATABASE_URL. The roles own nothing and
-- are granted nothing here: each service's migrations, run as the owner, grant its role its own schema
-- (and the shared identity schema) — SELECT, INSERT on the append-only event tables, DML on read models,
-- checkpoints and inbox. A service's credentials therefore cannot disable the append-only triggers,
-- rewrite events or touch another department's schema.
--
-- The passwords are for a local try-out like the rest of docker-compose.yml: change them
-- (ALTER ROLE … PASSWORD …) and the URLs in docker-compose.yml for anything else.
CREATE ROLE intake_service LOGIN PASSWORD 'intake_service';
CREATE ROLE civil_affairs_service LOGIN PASSWORD 'civil_affairs_service';
CREATE ROLE health_service LOGIN PASSWORD 'health_service';
CREATE ROLE housing_service LOGIN PASSWORD 'housing_service';
CREATE ROLE education_service LOGIN PASSWORD 'education_service';
CREATE ROLE oversight_service LOGIN PASSWORD 'oversight_service';

-- Read-only, every schema present and future: for `npm run audit:verify` (DATABASE_AUDITOR_URL).
CREATE ROLE platform_auditor LOGIN PASSWORD 'platform_auditor';
GRANT pg_read_all_data TO platform_auditor;
ALTER ROLE platform_auditor SET default_transaction_read_only = on;
