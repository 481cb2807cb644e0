-- The ledger's database roles (DESIGN §3). Run by an administrator that may create roles, before the
-- migrations, on every start; idempotent. `ledger` runs it itself with DATABASE_URL's user.
--
--   ledger_migrator  NOLOGIN. Owns the ledger's schemas and tables; migrations run as this role
--                    (the administrator connects, then SET ROLE ledger_migrator).
--   ledger_app       LOGIN. What the API and the CLI connect as: on events it may INSERT and SELECT,
--                    nothing else. Its password, when the server asks for one, is LEDGER_APP_PASSWORD.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ledger_migrator') THEN
    CREATE ROLE ledger_migrator NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ledger_app') THEN
    CREATE ROLE ledger_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
  -- The administrator must be able to act as the migration role.
  IF NOT pg_catalog.pg_has_role(current_user, 'ledger_migrator', 'MEMBER') THEN
    EXECUTE pg_catalog.format('GRANT ledger_migrator TO %I', current_user);
  END IF;
  EXECUTE pg_catalog.format('GRANT CREATE, CONNECT ON DATABASE %I TO ledger_migrator', current_database());
  EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO ledger_app', current_database());
  EXECUTE pg_catalog.format('REVOKE CREATE ON DATABASE %I FROM ledger_app', current_database());
END
$$;
