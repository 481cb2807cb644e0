-- The shape of a read-model version: a digest of its projections and tables as the code declared them
-- when it was built. A process whose code declares another shape builds a new version (ADR 6).
ALTER TABLE projections.versions ADD COLUMN shape text;
