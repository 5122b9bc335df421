-- 0002: the closed-loop problem list (问题清单) and what the flow engine keeps for any work item:
-- events, evidence attachments, notifications, look-back tasks, and calendar years added by
-- `duban calendar import`. Dates a user sees as dates (deadlines) are local 'YYYY-MM-DD' text;
-- instants are UTC seconds.

CREATE TABLE problem (
  id                 INTEGER PRIMARY KEY,
  source             TEXT NOT NULL,              -- 问题来源: 调研, 驻厂, 督查, 联盟议事 …
  category           TEXT NOT NULL,              -- 问题类别: 项目推进, 安全生产, 融资 …
  title              TEXT NOT NULL,
  description        TEXT NOT NULL,              -- 问题描述
  found_on           TEXT NOT NULL,              -- 发现时间
  unit_id            INTEGER NOT NULL REFERENCES unit(id),   -- 责任单位 (lead)
  leader             TEXT NOT NULL DEFAULT '',   -- 责任领导
  leader_user_id     INTEGER REFERENCES user(id),-- the county-level leader who owns the look-back
  person             TEXT NOT NULL DEFAULT '',   -- 责任人
  measures           TEXT NOT NULL DEFAULT '',   -- 整改措施
  goal               TEXT NOT NULL DEFAULT '',   -- 整改目标
  mode               TEXT NOT NULL CHECK (mode IN ('immediate','ongoing')), -- 立行立改 / 持续推进
  subject            TEXT NOT NULL DEFAULT '',   -- the enterprise or village concerned
  note               TEXT NOT NULL DEFAULT '',   -- 备注
  state              TEXT NOT NULL,
  deadline           TEXT NOT NULL,              -- 完成时限, as extended
  original_deadline  TEXT NOT NULL,              -- as first set; never changes
  deadline_estimated INTEGER NOT NULL DEFAULT 0, -- computed in a year without holiday data
  sign_by            TEXT,                       -- the unit must sign (签收) by then
  staged_due         TEXT,                       -- 持续推进: a staged result is owed by then
  staged_done        INTEGER NOT NULL DEFAULT 0,
  overdue            INTEGER NOT NULL DEFAULT 0, -- past its deadline and not closed
  overdue_since      TEXT,
  overdue_notified   TEXT,                       -- the deadline whose lapse was last notified
  supervised         INTEGER NOT NULL DEFAULT 0, -- 挂牌督办
  supervisor         TEXT NOT NULL DEFAULT '',
  reopened           INTEGER NOT NULL DEFAULT 0, -- times it came back (问题反弹)
  progress           TEXT NOT NULL DEFAULT '',   -- latest 进展情况
  verification       TEXT NOT NULL DEFAULT '',   -- latest 核查情况
  assigned_at        INTEGER,
  closed_at          INTEGER,
  registered_by      INTEGER REFERENCES user(id),
  registered_unit_id INTEGER REFERENCES unit(id),-- the assigning side (交办方)
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX problem_unit_state ON problem(unit_id, state);
CREATE INDEX problem_state_deadline ON problem(state, deadline);
CREATE INDEX problem_found ON problem(found_on);
CREATE INDEX problem_overdue ON problem(overdue) WHERE overdue = 1;
CREATE INDEX problem_open_deadline ON problem(deadline) WHERE state <> 'closed';
CREATE INDEX problem_leader ON problem(leader_user_id);

CREATE TABLE problem_counit (                  -- 配合单位
  problem_id INTEGER NOT NULL REFERENCES problem(id),
  unit_id    INTEGER NOT NULL REFERENCES unit(id),
  PRIMARY KEY (problem_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX problem_counit_unit ON problem_counit(unit_id);

-- Every action taken on a work item of any flow, in order.
CREATE TABLE flow_event (
  id         INTEGER PRIMARY KEY,
  flow       TEXT NOT NULL,
  item_id    INTEGER NOT NULL,
  action     TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state   TEXT NOT NULL,
  actor_id   INTEGER REFERENCES user(id),
  actor      TEXT NOT NULL,
  at         INTEGER NOT NULL,
  fields     TEXT NOT NULL DEFAULT '{}',
  note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX flow_event_item ON flow_event(flow, item_id, id);
CREATE INDEX flow_event_action ON flow_event(flow, action, at);

-- Evidence files, stored content-addressed outside the database (by sha256).
CREATE TABLE attachment (
  id         INTEGER PRIMARY KEY,
  sha256     TEXT NOT NULL,
  size       INTEGER NOT NULL,
  mime       TEXT NOT NULL,
  filename   TEXT NOT NULL,
  flow       TEXT NOT NULL,
  item_id    INTEGER NOT NULL,
  event_id   INTEGER REFERENCES flow_event(id),   -- set when an action uses it as evidence
  created_by INTEGER REFERENCES user(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX attachment_item ON attachment(flow, item_id);

CREATE TABLE notification (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES user(id),
  kind       TEXT NOT NULL,        -- remind, overdue, escalate, assigned, staged_missing, lookback …
  flow       TEXT NOT NULL,
  item_id    INTEGER NOT NULL,
  title      TEXT NOT NULL,
  body       TEXT NOT NULL DEFAULT '',
  dedupe     TEXT NOT NULL UNIQUE, -- running the scheduler twice notifies once
  created_at INTEGER NOT NULL,
  read_at    INTEGER
);
CREATE INDEX notification_user ON notification(user_id, read_at, id);

-- Monthly look-back (回头看) tasks of county-level leaders.
CREATE TABLE lookback_task (
  id         INTEGER PRIMARY KEY,
  leader_id  INTEGER NOT NULL REFERENCES user(id),
  month      TEXT NOT NULL,        -- 'YYYY-MM'
  problem_id INTEGER NOT NULL REFERENCES problem(id),
  created_at INTEGER NOT NULL,
  done_at    INTEGER,
  result     TEXT NOT NULL DEFAULT '',  -- 'held' or 'reopened'
  finding    TEXT NOT NULL DEFAULT '',
  UNIQUE (leader_id, month, problem_id)
);

-- Holiday years beyond the built-in data, added when the next State Council notice appears.
CREATE TABLE calendar_year (
  year    INTEGER PRIMARY KEY,
  notice  TEXT NOT NULL,
  source  TEXT NOT NULL             -- the text of the year as imported, in data/calendar format
);

-- The roles of the problem list. problem.* permissions belong to no administrative class.
INSERT INTO role(name, title, builtin) VALUES
  ('operator', '督查经办人', 1),
  ('handler', '责任单位经办人', 1),
  ('supervisor', '督导核查人', 1),
  ('leader', '县级领导', 1);
INSERT INTO role_perm(role_id, perm)
  SELECT role.id, p.value FROM role, json_each('["unit.read","user.read","problem.read","problem.register","problem.assign","problem.supervise"]') p WHERE name = 'operator'
  UNION ALL
  SELECT role.id, p.value FROM role, json_each('["unit.read","problem.read","problem.handle"]') p WHERE name = 'handler'
  UNION ALL
  SELECT role.id, p.value FROM role, json_each('["unit.read","problem.read","problem.verify"]') p WHERE name = 'supervisor'
  UNION ALL
  SELECT role.id, p.value FROM role, json_each('["unit.read","problem.read","problem.supervise","problem.lookback"]') p WHERE name = 'leader';
