-- 0013: a county's database moved into this one (`duban move-to-postgres`). One row per move,
-- and the county's own audit chain kept as it was (audit_archive), its records unchanged: the
-- move's record in this database's chain holds a digest of them, so `duban audit verify`
-- shows any later change to the archive.

CREATE TABLE county_move (
  id              INTEGER PRIMARY KEY,
  source_id       TEXT NOT NULL UNIQUE,  -- the county chain's first mac: the same county twice is refused
  source_label    TEXT NOT NULL,         -- the file it came from
  root_unit_id    INTEGER NOT NULL REFERENCES unit(id),
  under_unit_id   INTEGER NOT NULL REFERENCES unit(id),
  moved_at        INTEGER NOT NULL,
  counts          TEXT NOT NULL,         -- {"table": rows copied, …}
  archive_records INTEGER NOT NULL,
  archive_digest  TEXT NOT NULL
);

CREATE TABLE audit_archive (
  move_id  INTEGER NOT NULL REFERENCES county_move(id),
  seq      INTEGER NOT NULL,
  at       INTEGER NOT NULL,
  actor_id INTEGER,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  object   TEXT NOT NULL,
  detail   TEXT NOT NULL,
  prev     TEXT NOT NULL,
  mac      TEXT NOT NULL,
  PRIMARY KEY (move_id, seq)
);

CREATE TRIGGER audit_archive_no_update BEFORE UPDATE ON audit_archive
BEGIN SELECT RAISE(ABORT, 'audit records cannot be changed'); END;
CREATE TRIGGER audit_archive_no_delete BEFORE DELETE ON audit_archive
BEGIN SELECT RAISE(ABORT, 'audit records cannot be deleted'); END;
