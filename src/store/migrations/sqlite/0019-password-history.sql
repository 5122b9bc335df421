-- The passwords an account had before (their argon2id hashes), so a user cannot change straight
-- back to one of the last few (等保 口令复杂度与更换; security review finding 4). Written by
-- store_user_set_password whenever a password is replaced; the newest PASSWORD_HISTORY_KEEP
-- per account are kept.
CREATE TABLE password_history (
  id           INTEGER PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES user(id),
  pw_hash      TEXT NOT NULL,
  replaced_at  INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);
