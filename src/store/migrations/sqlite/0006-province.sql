-- 0006: what a city or a province on one database needs.
--
-- Units above the county: a province's tree is province → city → county → …; the unit kinds
-- gain 'province' and 'city'. SQLite cannot alter a CHECK constraint, so the table's stored
-- definition is edited in place (the procedure SQLite documents for changes that leave the
-- stored rows valid: the new constraint only admits more); the CREATE TABLE that follows bumps
-- the schema cookie, so every connection reads the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql, 'CHECK (kind IN (''county'',', 'CHECK (kind IN (''province'',''city'',''county'',')
 WHERE type = 'table' AND name = 'unit';
PRAGMA writable_schema = OFF;

-- Evidence files kept in the database itself, for deployments without a files directory
-- shared by every instance (several duban instances on one PostgreSQL). Content-addressed like
-- the files directory: a file is its SHA-256, stored once, in parts of at most 1 MiB so that no
-- single value grows with the upload limit. A SQLite county keeps its files directory; the
-- table stays empty there unless `files_dir` is set to nothing deliberately.
CREATE TABLE file_chunk (
  sha256  TEXT NOT NULL,
  part    INTEGER NOT NULL,          -- 0, 1, … in order
  data    BLOB NOT NULL,
  PRIMARY KEY (sha256, part)
) WITHOUT ROWID;
