-- 0006: evidence files kept in the database itself, for deployments without a files directory
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
