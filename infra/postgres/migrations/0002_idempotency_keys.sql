-- Idempotency-Key of the command API: a retried request gets the first answer and writes nothing.
-- A key belongs to the subject that sent it. The events of a keyed request get ids derived from
-- first_event_id, so that a retry after a crash between the append and the answer finds them.
CREATE SCHEMA api;
REVOKE ALL ON SCHEMA api FROM PUBLIC;
GRANT USAGE ON SCHEMA api TO ledger_app;

CREATE TABLE api.idempotency_keys (
  subject         text        NOT NULL,
  key             text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  request_sha256  text        NOT NULL,
  first_event_id  uuid        NOT NULL,
  stream_id       text        NOT NULL,
  status          integer,
  response        jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject, key)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON api.idempotency_keys TO ledger_app;
