-- 0020: login abuse (security review #18, findings 1 and 2). Failed logins counted per client
-- address, overall, and per (account, address) pair, in the database so that every instance
-- sharing it sees the same counts. One row per scope:
--   'address:<ip>'         failures from one address, whatever the login: growing delays
--   'all'                  failures overall: growing delays for everyone past a higher limit
--   'pair:<user_id>:<ip>'  failures at one account from one address: that pair is locked
-- A row's count starts again once its window has passed and no block holds; rows past both
-- are pruned by the next failure. The whole account's lock stays in user.locked_until.
CREATE TABLE login_throttle (
  scope          TEXT PRIMARY KEY,
  user_id        BIGINT,                  -- pair rows: the account; else NULL
  failures       BIGINT NOT NULL,
  since          BIGINT NOT NULL,         -- when the current count began
  blocked_until  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX login_throttle_user ON login_throttle(user_id);
CREATE INDEX login_throttle_since ON login_throttle(since);

-- The security administrator lifts login locks (of the account and of its address pairs),
-- whatever roles the account holds: lifting a lock gives no power over the account.
INSERT INTO role_perm(role_id, perm) SELECT id, 'user.unlock' FROM role WHERE name = 'secadmin';
