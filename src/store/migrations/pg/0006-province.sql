-- The PostgreSQL text of migrations/sqlite/ of the same number: one schema, in this engine's types.
-- 0006: what a city or a province on one database needs.
--
-- Units above the county: a province's tree is province → city → county → …
ALTER TABLE unit DROP CONSTRAINT unit_kind_check;
ALTER TABLE unit ADD CONSTRAINT unit_kind_check CHECK (kind IN ('province','city','county',
  'department','township','village','branch','enterprise','third_party'));

-- Evidence files kept in the database itself, for deployments without a files directory
-- shared by every instance (several duban instances on one PostgreSQL). Content-addressed like
-- the files directory: a file is its SHA-256, stored once, in parts of at most 1 MiB so that no
-- single value grows with the upload limit.
CREATE TABLE file_chunk (
  sha256  TEXT NOT NULL,
  part    BIGINT NOT NULL,           -- 0, 1, … in order
  data    BYTEA NOT NULL,
  PRIMARY KEY (sha256, part)
);
