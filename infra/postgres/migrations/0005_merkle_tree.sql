-- The verifiable ledger (DESIGN §4): the RFC 6962 Merkle tree over event_store.events in seq order
-- (leaf index = seq - 1, leaf hash = events.leaf_hash), its signed checkpoints and the witnesses'
-- cosignatures. Everything here is derived from the log and checkable against it: an auditor
-- recomputes it from the entries' canonical bytes (ledger verify). The signing key is never here.
CREATE SCHEMA ledger;
REVOKE ALL ON SCHEMA ledger FROM PUBLIC;
GRANT USAGE ON SCHEMA ledger TO ledger_app;

-- Perfect subtrees: (level, idx) is the hash of leaves [idx * 2^level, (idx + 1) * 2^level). Level 0
-- is events.leaf_hash and is not copied. A root, an inclusion proof or a consistency proof for any
-- tree size needs O(log n) of these rows, fetched in one query.
CREATE TABLE ledger.tree_nodes (
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 62),
  idx   bigint   NOT NULL CHECK (idx >= 0),
  hash  bytea    NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (level, idx)
);

-- How many leaves the stored nodes cover (one row): moved in the transaction that adds the nodes.
CREATE TABLE ledger.tree_head (
  singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
  size       bigint      NOT NULL CHECK (size >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO ledger.tree_head (size) VALUES (0);

-- Signed checkpoints (C2SP tlog-checkpoint, Ed25519). One per size, ever: a second, different root
-- for a size already signed is refused by the primary key, whoever asks.
CREATE TABLE ledger.checkpoints (
  size      bigint      PRIMARY KEY CHECK (size >= 0),
  root      bytea       NOT NULL CHECK (octet_length(root) = 32),
  note      text        NOT NULL,
  key_id    text        NOT NULL,
  reason    text        NOT NULL,
  signed_at timestamptz NOT NULL DEFAULT now()
);

-- Witnesses' cosignatures (C2SP tlog-cosignature) of a checkpoint, as they sent them.
CREATE TABLE ledger.cosignatures (
  size        bigint      NOT NULL REFERENCES ledger.checkpoints (size),
  witness     text        NOT NULL,
  key_id      text        NOT NULL,
  line        text        NOT NULL,
  signed_time bigint      NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (size, witness, key_id)
);

-- Nodes, checkpoints and cosignatures are written once.
CREATE FUNCTION ledger.refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION '%.% is append-only: % is refused', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER tree_nodes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.tree_nodes
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();
CREATE TRIGGER cosignatures_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger.cosignatures
  FOR EACH STATEMENT EXECUTE FUNCTION ledger.refuse_change();

REVOKE ALL ON ALL TABLES IN SCHEMA ledger FROM PUBLIC;
GRANT SELECT, INSERT ON ledger.tree_nodes, ledger.checkpoints, ledger.cosignatures TO ledger_app;
GRANT SELECT, UPDATE ON ledger.tree_head TO ledger_app;
