-- Read models (DESIGN §5): each version of them lives in a schema of its own, rm_v<N>, built from seq 0
-- beside the live one, then switched to. This schema records the versions and each projection's
-- checkpoint, which a projector moves in the same transaction as its writes.
CREATE SCHEMA projections;
REVOKE ALL ON SCHEMA projections FROM PUBLIC;
GRANT USAGE ON SCHEMA projections TO ledger_app;

CREATE TABLE projections.versions (
  version     integer     PRIMARY KEY CHECK (version > 0),
  schema_name text        NOT NULL UNIQUE CHECK (schema_name = 'rm_v' || version),
  status      text        NOT NULL CHECK (status IN ('building', 'live', 'retired')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  live_since  timestamptz
);
-- At most one live version: the one every query reads.
CREATE UNIQUE INDEX versions_one_live ON projections.versions ((true)) WHERE status = 'live';

CREATE TABLE projections.checkpoints (
  version    integer     NOT NULL REFERENCES projections.versions (version),
  projection text        NOT NULL,
  seq        bigint      NOT NULL CHECK (seq >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (version, projection)
);

GRANT SELECT ON projections.versions TO ledger_app;
GRANT SELECT, INSERT, UPDATE ON projections.checkpoints TO ledger_app;
