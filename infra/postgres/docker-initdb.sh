#!/bin/sh
# Run by the postgres image, as its superuser, on the first start of an empty volume
# (/docker-entrypoint-initdb.d): the ledger's roles and hardening (hardening.sql), with the passwords
# infra/compose.yaml passes. The migrations themselves run when the API starts, as ledger_admin.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v admin_password="$PG_LEDGER_ADMIN_PASSWORD" \
  -v app_password="$PG_LEDGER_APP_PASSWORD" \
  -f /ledger/hardening.sql
