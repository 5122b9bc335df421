-- 0001: the foundation — org tree, users, roles and grants, sessions, API tokens, audit log.
-- Times are UTC seconds since the epoch.

CREATE TABLE meta (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE unit (
  id         INTEGER PRIMARY KEY,
  parent_id  INTEGER REFERENCES unit(id),
  kind       TEXT NOT NULL CHECK (kind IN ('county','department','township','village',
                                           'branch','enterprise','third_party')),
  code       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  path       TEXT NOT NULL UNIQUE,       -- '/1/5/12/': ids from the root; a subtree is a prefix
  created_at INTEGER NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX unit_parent ON unit(parent_id);

-- Renames and moves, so the tree's history is never lost.
CREATE TABLE unit_history (
  id         INTEGER PRIMARY KEY,
  unit_id    INTEGER NOT NULL REFERENCES unit(id),
  at         INTEGER NOT NULL,
  actor      TEXT NOT NULL,
  change     TEXT NOT NULL CHECK (change IN ('create','rename','move')),
  old_value  TEXT,
  new_value  TEXT NOT NULL
);
CREATE INDEX unit_history_unit ON unit_history(unit_id, id);

CREATE TABLE user (
  id             INTEGER PRIMARY KEY,
  login          TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  unit_id        INTEGER NOT NULL REFERENCES unit(id),
  pw_hash        TEXT NOT NULL,
  must_change    INTEGER NOT NULL DEFAULT 1,
  disabled       INTEGER NOT NULL DEFAULT 0,   -- locked by an administrator
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_until   INTEGER NOT NULL DEFAULT 0,   -- locked after too many failures, until then
  created_at     INTEGER NOT NULL,
  pw_changed_at  INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX user_unit ON user(unit_id);

CREATE TABLE role (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL UNIQUE,
  title    TEXT NOT NULL,
  builtin  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE role_perm (
  role_id  INTEGER NOT NULL REFERENCES role(id),
  perm     TEXT NOT NULL,
  PRIMARY KEY (role_id, perm)
) WITHOUT ROWID;

CREATE TABLE user_grant (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES user(id),
  role_id     INTEGER NOT NULL REFERENCES role(id),
  unit_id     INTEGER NOT NULL REFERENCES unit(id),
  created_at  INTEGER NOT NULL,
  created_by  TEXT NOT NULL,
  UNIQUE (user_id, role_id, unit_id)
);

-- Sessions are found by a hash of the cookie value, so a copy of the database opens none.
CREATE TABLE session (
  token_hash  BLOB PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES user(id),
  csrf        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  last_seen   INTEGER NOT NULL,
  ip          TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);

CREATE TABLE api_token (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES user(id),
  name        TEXT NOT NULL,
  token_hash  BLOB NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL,
  last_used   INTEGER NOT NULL DEFAULT 0,
  revoked_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_token_user ON api_token(user_id);

-- The audit chain: mac = HMAC(key, record || prev), prev = the previous record's mac.
CREATE TABLE audit (
  seq      INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  actor_id INTEGER,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  object   TEXT NOT NULL,
  detail   TEXT NOT NULL,
  prev     TEXT NOT NULL,
  mac      TEXT NOT NULL
);
CREATE INDEX audit_action ON audit(action, seq);
CREATE INDEX audit_actor ON audit(actor, seq);
CREATE INDEX audit_at ON audit(at);

-- No account, and no code path, erases or rewrites the log.
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit records cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'audit records cannot be deleted'); END;
