-- Hardening of the ledger's PostgreSQL (DESIGN §3, ADR 3, docs/operations.md), for a server of its own
-- (external PostgreSQL, infra/compose.yaml). Run once by a superuser, connected to the ledger's database:
--
--   psql -v ON_ERROR_STOP=1 -d ledger -v admin_password='…' -v app_password='…' -f infra/postgres/hardening.sql
--
-- optionally with -v ssl_cert_file=/etc/ssl/ledger/server.crt -v ssl_key_file=/etc/ssl/ledger/server.key
-- (files the server can read). Idempotent: run again, it sets passwords and settings back to what it says.
-- The compose file runs it on the first start of an empty volume (docker-initdb.sh).
--
--   ledger_migrator  NOLOGIN owner of the ledger's schemas and tables (roles.sql, ADR 3).
--   ledger_admin     LOGIN, not a superuser: owns the database, may act as ledger_migrator; DATABASE_URL's
--                    user, with which the API and `ledger` apply the migrations at start.
--   ledger_app       LOGIN, NOINHERIT: what the API works as (DATABASE_APP_URL); on event_store.events it
--                    may INSERT and SELECT, nothing else (the migrations grant table by table).
-- What is not done here: pg_hba.conf (a file, not SQL): allow only `hostssl <db> ledger_app,ledger_admin
-- <the API's network> scram-sha-256`, and the superuser only locally (docs/operations.md).
\set ON_ERROR_STOP on

\if :{?admin_password}
\else
  \echo 'hardening.sql: give -v admin_password=… (ledger_admin) and -v app_password=… (ledger_app)'
  \quit
\endif
\if :{?app_password}
\else
  \echo 'hardening.sql: give -v app_password=… (ledger_app)'
  \quit
\endif
\if :{?db}
\else
  SELECT current_database() AS db \gset
\endif

-- ---- roles: none of them a superuser, none may create roles or databases, replicate or bypass RLS ----
SELECT 'CREATE ROLE ledger_migrator NOLOGIN' WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ledger_migrator') \gexec
SELECT 'CREATE ROLE ledger_app LOGIN NOINHERIT' WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ledger_app') \gexec
SELECT 'CREATE ROLE ledger_admin LOGIN' WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ledger_admin') \gexec

ALTER ROLE ledger_migrator NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE ledger_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT CONNECTION LIMIT 100 PASSWORD :'app_password';
ALTER ROLE ledger_admin LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 20 PASSWORD :'admin_password';
GRANT ledger_migrator TO ledger_admin;

-- ---- the database: owned by ledger_admin (roles.sql grants from it), closed to PUBLIC ----
ALTER DATABASE :"db" OWNER TO ledger_admin;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO ledger_admin;
-- TEMPORARY: the read models as of a date are built in the session's temporary tables (ADR 7).
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO ledger_app;
GRANT CREATE, CONNECT ON DATABASE :"db" TO ledger_migrator;
-- Nothing of the ledger lives in the public schema.
REVOKE ALL ON SCHEMA public FROM PUBLIC;

-- ---- timeouts, in this database only: a stuck client must not hold locks or connections ----
ALTER ROLE ledger_app IN DATABASE :"db" SET statement_timeout = '60s';
ALTER ROLE ledger_app IN DATABASE :"db" SET lock_timeout = '10s';
ALTER ROLE ledger_app IN DATABASE :"db" SET idle_in_transaction_session_timeout = '5min';
-- Migrations and rebuilds may run long, but never wait long for a lock nor sit idle in a transaction.
ALTER ROLE ledger_admin IN DATABASE :"db" SET statement_timeout = 0;
ALTER ROLE ledger_admin IN DATABASE :"db" SET lock_timeout = '30s';
ALTER ROLE ledger_admin IN DATABASE :"db" SET idle_in_transaction_session_timeout = '15min';

-- ---- the server: passwords, logs without personal data, TLS ----
ALTER SYSTEM SET password_encryption = 'scram-sha-256';
-- Who connected, from where, and what changed the schema; never the values of a statement's
-- parameters (events, names of the directory): they are personal data, and logs are kept elsewhere.
ALTER SYSTEM SET log_connections = 'on';
ALTER SYSTEM SET log_disconnections = 'on';
ALTER SYSTEM SET log_line_prefix = '%m [%p] %q%u@%d ';
ALTER SYSTEM SET log_statement = 'ddl';
ALTER SYSTEM SET log_parameter_max_length = 0;
ALTER SYSTEM SET log_parameter_max_length_on_error = 0;
-- Slow statements are not logged by default (their text could hold literal values): enable for a
-- diagnosis only, e.g. ALTER SYSTEM SET log_min_duration_statement = '2s'.
ALTER SYSTEM SET log_min_duration_statement = -1;
ALTER SYSTEM SET log_lock_waits = 'on';
\if :{?ssl_cert_file}
ALTER SYSTEM SET ssl = 'on';
ALTER SYSTEM SET ssl_cert_file = :'ssl_cert_file';
ALTER SYSTEM SET ssl_key_file = :'ssl_key_file';
ALTER SYSTEM SET ssl_min_protocol_version = 'TLSv1.2';
\else
\echo 'hardening.sql: no -v ssl_cert_file: TLS is left as the server has it (connections outside a private network need it, docs/operations.md)'
\endif
SELECT pg_catalog.pg_reload_conf();

-- ---- what it left: one line per role ----
SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolinherit, rolconnlimit
FROM pg_catalog.pg_roles WHERE rolname IN ('ledger_migrator', 'ledger_admin', 'ledger_app') ORDER BY rolname;
