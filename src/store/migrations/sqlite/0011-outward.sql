-- 0011: reaching people where they work (issue 17, parts 1-4): outbound channels per unit
-- (钉钉 and 企业微信 group robots, e-mail over SMTP) with their secrets sealed, people's own
-- contact addresses, rules per notification kind, the durable outbox the worker sends from
-- (written in the transaction of the change that causes it), and 催办 (urging) records.

-- A unit's channel. secret is sealed (AES-256-GCM under a key derived from the audit key):
-- the 钉钉 signing secret, the 企业微信 webhook key, or the SMTP password.
CREATE TABLE notify_channel (
  id         INTEGER PRIMARY KEY,
  unit_id    INTEGER NOT NULL REFERENCES unit(id),
  kind       TEXT NOT NULL CHECK (kind IN ('dingtalk', 'wecom', 'email')),
  name       TEXT NOT NULL,
  target     TEXT NOT NULL DEFAULT '',  -- 钉钉 access_token; SMTP url (smtp://host:port)
  keyword    TEXT NOT NULL DEFAULT '',  -- 钉钉 keyword rule: every message contains it
  sender     TEXT NOT NULL DEFAULT '',  -- e-mail: From address and SMTP user
  secret     BLOB,
  enabled    INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  version    INTEGER NOT NULL DEFAULT 1,
  UNIQUE (unit_id, kind)
);

-- A person's own addresses: e-mail, and the mobile number robots @-mention.
CREATE TABLE notify_contact (
  user_id  INTEGER PRIMARY KEY REFERENCES user(id),
  email    TEXT NOT NULL DEFAULT '',
  mobile   TEXT NOT NULL DEFAULT ''
);

-- Rules per notification kind ("problem.overdue") over a unit's subtree (the nearest wins;
-- without one the built-in defaults apply). mode: now, digest or off.
CREATE TABLE notify_rule (
  unit_id   INTEGER NOT NULL REFERENCES unit(id),
  kind      TEXT NOT NULL,
  robot     INTEGER NOT NULL DEFAULT 1,
  email     INTEGER NOT NULL DEFAULT 0,
  mode      TEXT NOT NULL CHECK (mode IN ('now', 'digest', 'off')),
  urgent    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_id, kind)
);

-- The durable outbox. state: held (waiting for its digest), pending, sending (claimed under a
-- lease), sent, dead (after the last attempt), merged (sent inside a digest).
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY,
  channel_id  INTEGER NOT NULL REFERENCES notify_channel(id),
  dedupe      TEXT NOT NULL UNIQUE,
  recipient   TEXT NOT NULL DEFAULT '',  -- e-mail address; robots: ''
  mention     TEXT NOT NULL DEFAULT '',  -- mobile numbers to @, comma-separated
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,             -- markdown
  state       TEXT NOT NULL CHECK (state IN ('held','pending','sending','sent','dead','merged')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT NOT NULL DEFAULT '',
  last_error  TEXT NOT NULL DEFAULT '',
  source      TEXT NOT NULL DEFAULT '',  -- "problem:12"
  created_at  INTEGER NOT NULL,
  sent_at     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_due ON outbox(state, next_at);
CREATE INDEX outbox_channel_sent ON outbox(channel_id, sent_at);

-- 催办: who urged which item's responsible unit, with what message.
CREATE TABLE notify_urge (
  id         INTEGER PRIMARY KEY,
  flow       TEXT NOT NULL,
  item_id    INTEGER NOT NULL,
  unit_id    INTEGER NOT NULL REFERENCES unit(id),
  user_id    INTEGER NOT NULL REFERENCES user(id),
  message    TEXT NOT NULL,
  at         INTEGER NOT NULL
);
CREATE INDEX notify_urge_item ON notify_urge(flow, item_id, at);
CREATE INDEX notify_urge_unit ON notify_urge(unit_id);

INSERT INTO role(name, title, builtin) VALUES ('notify_admin', '通知渠道管理员', 1);
INSERT INTO role_perm(role_id, perm)
  SELECT id, 'unit.read' FROM role WHERE name = 'notify_admin'
  UNION ALL SELECT id, 'notify.admin' FROM role WHERE name = 'notify_admin'
  UNION ALL SELECT id, 'notify.urge' FROM role WHERE name = 'operator'
  UNION ALL SELECT id, 'notify.urge' FROM role WHERE name = 'leader';
