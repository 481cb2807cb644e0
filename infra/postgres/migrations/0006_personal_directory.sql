-- The personal directory (DESIGN §6, ADR 12): names and contact details of the people the ledger's
-- events name by a pseudonymous id (members of bodies, representatives of parties, residents). It is
-- outside the event store and outside the read-model versions (rm_v<N>) on purpose: it is meant to be
-- erased, which the log never is. Nothing here is derived from the log, and nothing in the log is
-- derived from it: an erasure leaves every leaf, node, checkpoint and proof as it was.
CREATE SCHEMA directory;
REVOKE ALL ON SCHEMA directory FROM PUBLIC;
GRANT USAGE ON SCHEMA directory TO ledger_app;

-- One row per person, until their data is erased (the row is then deleted). person_id is drawn by the
-- server (person- and a UUID v4), never derived from the name; it is what events carry.
CREATE TABLE directory.people (
  person_id    text        PRIMARY KEY
                           CHECK (person_id ~ '^person-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'),
  display_name text        NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
  email        text        CHECK (length(email) BETWEEN 3 AND 254),
  phone        text        CHECK (length(phone) BETWEEN 3 AND 40),
  title        text        CHECK (length(title) BETWEEN 1 AND 200),
  -- The party the person belongs to or represents (a party id of the log), when there is one.
  party_id     text        CHECK (length(party_id) BETWEEN 1 AND 100),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX people_party ON directory.people (party_id);

COMMENT ON TABLE directory.people IS
  'Personal data, erasable (GDPR art. 17): never copied into events, read models or open data. '
  'Read models and exports name people by person_id only; the API looks names up here at query time.';

-- One row per erasure: which id, when, and the seq of the PersonDataErased event that recorded it.
-- No personal data: this is what remains, so that an erased id answers "erased", not "unknown".
CREATE TABLE directory.erasures (
  person_id   text        PRIMARY KEY
                          CHECK (person_id ~ '^person-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'),
  erased_at   timestamptz NOT NULL,
  erasure_seq bigint      NOT NULL CHECK (erasure_seq > 0)
);

-- An erased id stays erased: no one gives it a name again.
CREATE FUNCTION directory.refuse_erased_id() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF EXISTS (SELECT FROM directory.erasures e WHERE e.person_id = NEW.person_id) THEN
    RAISE EXCEPTION 'the data of % was erased: that id is never used again', NEW.person_id
      USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER people_not_erased BEFORE INSERT OR UPDATE OF person_id ON directory.people
  FOR EACH ROW EXECUTE FUNCTION directory.refuse_erased_id();

REVOKE ALL ON ALL TABLES IN SCHEMA directory FROM PUBLIC;
-- The application registers, reads, corrects and erases people.
GRANT SELECT, INSERT, UPDATE, DELETE ON directory.people TO ledger_app;
-- Erasures are recorded once and kept.
GRANT SELECT, INSERT ON directory.erasures TO ledger_app;
