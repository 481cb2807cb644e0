-- The append-only event store (DESIGN §2, §3). Runs as ledger_migrator, which owns what it creates.

DO $$
BEGIN
  -- The canonical bytes are stored and hashed as UTF-8: another server encoding would change them.
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'the ledger needs a UTF8 database, this one is %', current_setting('server_encoding');
  END IF;
END
$$;

CREATE SCHEMA event_store;
REVOKE ALL ON SCHEMA event_store FROM PUBLIC;
GRANT USAGE ON SCHEMA event_store TO ledger_app;

-- One row per event. `canonical` holds the exact RFC 8785 bytes of the envelope, the evidence the
-- Merkle tree is built from; every other column is derived from those bytes by append_batch, and
-- `leaf_hash` is the RFC 6962 leaf hash of them, checked by the database itself.
CREATE TABLE event_store.events (
  seq            bigint      PRIMARY KEY CHECK (seq > 0),
  event_id       uuid        NOT NULL UNIQUE,
  stream_id      text        NOT NULL,
  stream_version integer     NOT NULL CHECK (stream_version > 0),
  type           text        NOT NULL,
  schema_version integer     NOT NULL CHECK (schema_version > 0),
  occurred_at    timestamptz NOT NULL,
  recorded_at    timestamptz NOT NULL,
  actor          jsonb       NOT NULL,
  correlation_id text        NOT NULL,
  causation_id   text,
  data           jsonb       NOT NULL,
  canonical      bytea       NOT NULL,
  leaf_hash      bytea       NOT NULL CHECK (leaf_hash = sha256('\x00'::bytea || canonical)),
  UNIQUE (stream_id, stream_version)
);

COMMENT ON TABLE event_store.events IS
  'Append-only log of the ledger. seq is gap-free and commit order equals seq order: rows are only '
  'written by event_store.append_batch, under one transaction-scoped advisory lock.';

REVOKE ALL ON event_store.events FROM PUBLIC;
GRANT SELECT, INSERT ON event_store.events TO ledger_app;

-- Immutability: no UPDATE, DELETE or TRUNCATE, whoever asks (the owner included). A superuser can
-- still disable triggers: what catches that is the signed Merkle tree (DESIGN §4).
CREATE FUNCTION event_store.refuse_change() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  RAISE EXCEPTION 'event_store.events is append-only: % is refused', TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'Events are immutable; record a correcting event instead.';
END
$$;

CREATE TRIGGER events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON event_store.events
  FOR EACH STATEMENT EXECUTE FUNCTION event_store.refuse_change();

-- Appends a batch of events in one round trip, as one transaction (group commit).
--
-- p_entries holds the canonical JSON (RFC 8785) of each event, one per line: canonical JSON has no raw
-- line break, and in a UTF8 database the text's bytes are the UTF-8 bytes that were hashed.
-- The writer composes each event's canonical form, seq and stream version from a snapshot whose head
-- was p_expected_head. Under a transaction-scoped advisory lock, held until commit, the function
-- checks the head has not moved: if it has, it writes nothing and returns the actual head, and the
-- writer composes again. Because the lock is released only once the commit is visible, the next batch
-- is numbered after this one is visible: commit order is seq order, and seq has no gap (a rolled-back
-- batch consumes nothing). The function then checks what the writer composed: the seqs continue the
-- log, and each stream's versions continue that stream. Returns the head it found.
CREATE FUNCTION event_store.append_batch(p_expected_head bigint, p_entries text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_head       bigint;
  v_count      bigint;
  v_min        bigint;
  v_max        bigint;
  v_bad_stream text;
BEGIN
  PERFORM pg_advisory_xact_lock(5567940404776814418); -- 'MELLEDGR'
  SELECT coalesce(max(seq), 0) INTO v_head FROM event_store.events;
  IF v_head <> p_expected_head THEN
    RETURN v_head;
  END IF;

  -- Each entry is parsed once; the columns are what its bytes say. The rows the INSERT adds are not
  -- visible to the rest of this statement, so `previous` is each stream's version before the batch.
  WITH inserted AS (
    INSERT INTO event_store.events (seq, event_id, stream_id, stream_version, type, schema_version,
                                    occurred_at, recorded_at, actor, correlation_id, causation_id, data,
                                    canonical, leaf_hash)
    SELECT r.seq, r."eventId", r."streamId", r."streamVersion", r.type, r."schemaVersion", r."occurredAt",
           r."recordedAt", r.actor, r."correlationId", r."causationId", r.data,
           u.bytes, sha256('\x00'::bytea || u.bytes)
    FROM string_to_table(p_entries, E'\n') AS line(text)
    CROSS JOIN LATERAL convert_to(line.text, 'UTF8') AS u(bytes)
    CROSS JOIN LATERAL jsonb_to_record(line.text::jsonb) AS r(
      seq bigint, "eventId" uuid, "streamId" text, "streamVersion" integer, type text, "schemaVersion" integer,
      "occurredAt" timestamptz, "recordedAt" timestamptz, actor jsonb, "correlationId" text,
      "causationId" text, data jsonb)
    RETURNING seq, stream_id, stream_version
  ), streams AS (
    SELECT stream_id, min(stream_version) AS lo, max(stream_version) AS hi, count(*) AS n
    FROM inserted GROUP BY stream_id
  )
  SELECT (SELECT count(*) FROM inserted), (SELECT min(seq) FROM inserted), (SELECT max(seq) FROM inserted),
         (SELECT min(b.stream_id) FROM streams AS b
          WHERE b.hi - b.lo + 1 <> b.n
             OR b.lo <> 1 + coalesce((SELECT max(o.stream_version) FROM event_store.events AS o
                                      WHERE o.stream_id = b.stream_id), 0))
  INTO v_count, v_min, v_max, v_bad_stream;

  IF v_count = 0 OR v_min <> p_expected_head + 1 OR v_max <> p_expected_head + v_count THEN
    RAISE EXCEPTION 'append_batch: the seqs of a batch must continue the log at %', p_expected_head + 1
      USING ERRCODE = 'check_violation';
  END IF;
  IF v_bad_stream IS NOT NULL THEN
    RAISE EXCEPTION 'append_batch: the versions of stream % must continue that stream', v_bad_stream
      USING ERRCODE = 'check_violation';
  END IF;

  PERFORM pg_notify('event_store_appended', (p_expected_head + v_count)::text);
  RETURN v_head;
END
$$;

REVOKE ALL ON FUNCTION event_store.append_batch(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION event_store.append_batch(bigint, text) TO ledger_app;
