-- 0010: publishing review (意识形态工作 §3, issue #15): term lists for the scanner (terms with a
-- category and a severity, and whitelist phrases), drafts scanned on save, and the 三审 trail
-- (初审, 复审, 终审: three different people, none the author; a high-severity hit needs the
-- 终审's override with a reason), then published with the URL and time, or withdrawn (撤稿);
-- the register of outlets with their 备案 (开设/变更/关停/注销), 年检 and freshness thresholds.

-- A term list: its terms one a line; kind 'white' holds whitelist phrases. Replacing a list
-- raises its version, which tells every server to recompile its scanner.
CREATE TABLE publish_list (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL DEFAULT 'terms' CHECK (kind IN ('terms', 'white')),
  category    TEXT NOT NULL DEFAULT '',
  severity    INTEGER NOT NULL DEFAULT 1 CHECK (severity BETWEEN 1 AND 3),
  terms       TEXT NOT NULL DEFAULT '',
  updated_at  INTEGER NOT NULL,
  updated_by  INTEGER REFERENCES "user"(id),
  version     INTEGER NOT NULL DEFAULT 1
);

-- A draft of the author unit for an outlet; hits as the scanner gave them on the last save.
CREATE TABLE publish_draft (
  id               INTEGER PRIMARY KEY,
  unit_id          INTEGER NOT NULL REFERENCES unit(id),
  author_user_id   INTEGER NOT NULL REFERENCES "user"(id),
  title            TEXT NOT NULL,
  body             TEXT NOT NULL,
  outlet           TEXT NOT NULL,
  state            TEXT NOT NULL DEFAULT 'draft'
                   CHECK (state IN ('draft', 'first', 'second', 'final', 'approved', 'published', 'withdrawn')),
  round            INTEGER NOT NULL DEFAULT 0,
  hits             TEXT NOT NULL DEFAULT '[]',
  high_hits        INTEGER NOT NULL DEFAULT 0,
  override_reason  TEXT NOT NULL DEFAULT '',
  url              TEXT NOT NULL DEFAULT '',
  submitted_at     INTEGER,
  published_at     INTEGER,
  withdrawn_reason TEXT NOT NULL DEFAULT '',
  withdrawn_at     INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX publish_draft_unit ON publish_draft(unit_id, state);

-- Each decision of a round (a round begins with each submission).
CREATE TABLE publish_review (
  id               INTEGER PRIMARY KEY,
  draft_id         INTEGER NOT NULL REFERENCES publish_draft(id),
  round            INTEGER NOT NULL,
  level            INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
  reviewer_user_id INTEGER NOT NULL REFERENCES "user"(id),
  decision         TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
  comment          TEXT NOT NULL DEFAULT '',
  override_reason  TEXT NOT NULL DEFAULT '',
  created_at       INTEGER NOT NULL
);
CREATE INDEX publish_review_draft ON publish_review(draft_id, round, level);

-- The register of outlets (政务网站 and 新媒体账号): the 主办单位 is unit_id. The status follows
-- the approved 备案: pending (开设 filed), open, closed (关停), cancelled (注销). Audience
-- figures and the last post are entered (or imported); the freshness flags are computed from
-- last_post_on with the server's clock and the thresholds in publish_setting.
CREATE TABLE publish_outlet (
  id              INTEGER PRIMARY KEY,
  unit_id         INTEGER NOT NULL REFERENCES unit(id),
  platform        TEXT NOT NULL CHECK (platform IN ('website', 'wechat', 'channels', 'douyin', 'kuaishou', 'weibo', 'toutiao', 'app', 'other')),
  name            TEXT NOT NULL,
  account_id      TEXT NOT NULL DEFAULT '',
  leader          TEXT NOT NULL DEFAULT '',
  admins          TEXT NOT NULL DEFAULT '',
  password_holder TEXT NOT NULL DEFAULT '',
  purpose         TEXT NOT NULL DEFAULT '',
  fans            INTEGER NOT NULL DEFAULT 0,
  users           INTEGER NOT NULL DEFAULT 0,
  last_post_on    TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'open', 'closed', 'cancelled')),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1,
  UNIQUE (platform, name)
);
CREATE INDEX publish_outlet_unit ON publish_outlet(unit_id, status);

-- Each lifecycle change is a 备案 (open, change, close, cancel) decided by the propaganda side;
-- a change carries the fields it changes (JSON). One pending filing per outlet at a time.
CREATE TABLE publish_filing (
  id             INTEGER PRIMARY KEY,
  outlet_id      INTEGER NOT NULL REFERENCES publish_outlet(id),
  kind           TEXT NOT NULL CHECK (kind IN ('open', 'change', 'close', 'cancel')),
  changes        TEXT NOT NULL DEFAULT '{}',
  reason         TEXT NOT NULL DEFAULT '',
  state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
  filed_by       INTEGER NOT NULL REFERENCES "user"(id),
  filed_at       INTEGER NOT NULL,
  decided_by     INTEGER REFERENCES "user"(id),
  decided_at     INTEGER,
  comment        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX publish_filing_outlet ON publish_filing(outlet_id, state);

-- 年检: one a year per outlet.
CREATE TABLE publish_check (
  id          INTEGER PRIMARY KEY,
  outlet_id   INTEGER NOT NULL REFERENCES publish_outlet(id),
  year        INTEGER NOT NULL,
  result      TEXT NOT NULL CHECK (result IN ('pass', 'fix', 'fail')),
  note        TEXT NOT NULL DEFAULT '',
  checked_by  INTEGER NOT NULL REFERENCES "user"(id),
  checked_at  INTEGER NOT NULL,
  UNIQUE (outlet_id, year)
);

-- Thresholds of the freshness flags, in days.
CREATE TABLE publish_setting (
  key    TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);
INSERT INTO publish_setting(key, value) VALUES ('idle_days', 14), ('zombie_days', 90);

-- Roles: the unit's writer (drafts, publishing), 初审 (the unit's reviewer), 复审 (its
-- department head), 终审 (分管领导 or the propaganda side, who also keeps the term lists).
INSERT INTO role(name, title, builtin) VALUES
  ('publish_author', '信息撰稿人', 1),
  ('publish_first', '初审人', 1),
  ('publish_second', '复审人', 1),
  ('publish_final', '终审人（宣传部门）', 1);
INSERT INTO role_perm(role_id, perm)
  SELECT id, 'unit.read' FROM role WHERE name = 'publish_author'
  UNION ALL SELECT id, 'publish.read' FROM role WHERE name = 'publish_author'
  UNION ALL SELECT id, 'publish.write' FROM role WHERE name = 'publish_author'
  UNION ALL SELECT id, 'unit.read' FROM role WHERE name = 'publish_first'
  UNION ALL SELECT id, 'publish.read' FROM role WHERE name = 'publish_first'
  UNION ALL SELECT id, 'publish.review1' FROM role WHERE name = 'publish_first'
  UNION ALL SELECT id, 'unit.read' FROM role WHERE name = 'publish_second'
  UNION ALL SELECT id, 'publish.read' FROM role WHERE name = 'publish_second'
  UNION ALL SELECT id, 'publish.review2' FROM role WHERE name = 'publish_second'
  UNION ALL SELECT id, 'unit.read' FROM role WHERE name = 'publish_final'
  UNION ALL SELECT id, 'publish.read' FROM role WHERE name = 'publish_final'
  UNION ALL SELECT id, 'publish.review3' FROM role WHERE name = 'publish_final'
  UNION ALL SELECT id, 'publish.lists' FROM role WHERE name = 'publish_final'
  UNION ALL SELECT id, 'publish.approve' FROM role WHERE name = 'publish_final'
  UNION ALL SELECT id, 'publish.read' FROM role WHERE name = 'leader';
