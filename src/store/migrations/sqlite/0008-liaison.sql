-- 0008: united-front liaison and party-building alliances (统战联络、党建联盟, MECHANISMS.md §6
-- and the 驻厂员 of §1): representative persons (统战对象) with their categories as data, key
-- enterprises, contact assignments (联系交友) with their visit plans, visits and the requests they
-- send to the problem list, cadres stationed in enterprises (驻厂员), alliances ("1+5+N") with
-- their members, departments, teams, duty-branch rotation, meetings and joint activities.
-- Every record carries the unit whose register it belongs to (unit_id): scopes are subtrees.
-- The same schema for PostgreSQL is migrations/pg/0008-liaison.sql.

-- Categories of representative persons, as data: a parent with its sub-kinds; attr names the
-- field a person of the category must have (the party, 认定时间, the 新阶层 kind).
CREATE TABLE liaison_category (
  code    TEXT PRIMARY KEY,
  title   TEXT NOT NULL UNIQUE,
  parent  TEXT REFERENCES liaison_category(code),
  attr    TEXT NOT NULL DEFAULT '' CHECK (attr IN ('', 'party', 'recognized_on', 'stratum_kind')),
  seq     INTEGER NOT NULL
);
INSERT INTO liaison_category(code, title, parent, attr, seq) VALUES
  ('nonparty_rep', '党外代表人士', NULL, '', 10),
  ('nonparty_deputy', '党外人大代表、政协委员', 'nonparty_rep', '', 11),
  ('nonparty_cadre', '党外干部', 'nonparty_rep', '', 12),
  ('party_org_head', '党派基层组织和统战团体负责人', 'nonparty_rep', '', 13),
  ('nonparty_talent', '党外高层次人才', 'nonparty_rep', '', 14),
  ('democratic_party', '民主党派成员', NULL, 'party', 20),
  ('nonparty', '无党派人士', NULL, 'recognized_on', 30),
  ('new_stratum', '新的社会阶层人士', NULL, 'stratum_kind', 40),
  ('ethnic_religious', '民族宗教界人士', NULL, '', 50),
  ('overseas_family', '归侨侨眷', NULL, '', 60),
  ('taiwan_family', '台胞台属', NULL, '', 70);

-- The lists a category's field chooses from (民主党派, 新的社会阶层人士的类别), as data.
CREATE TABLE liaison_choice (
  list   TEXT NOT NULL CHECK (list IN ('party', 'stratum_kind')),
  title  TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  PRIMARY KEY (list, title)
);
INSERT INTO liaison_choice(list, title, seq) VALUES
  ('party', '民革', 1), ('party', '民盟', 2), ('party', '民建', 3), ('party', '民进', 4),
  ('party', '农工党', 5), ('party', '致公党', 6), ('party', '九三学社', 7), ('party', '台盟', 8),
  ('stratum_kind', '民营企业和外资企业管理技术人员', 1),
  ('stratum_kind', '中介组织和社会组织从业人员', 2),
  ('stratum_kind', '自由职业人员', 3),
  ('stratum_kind', '新媒体从业人员', 4);

-- Settings of the mechanism (the least number of persons and enterprises a leader links with).
CREATE TABLE liaison_setting (
  key    TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);
INSERT INTO liaison_setting(key, value) VALUES ('leader_min_targets', 2);

CREATE TABLE liaison_person (
  id             INTEGER PRIMARY KEY,
  unit_id        INTEGER NOT NULL REFERENCES unit(id),
  category       TEXT NOT NULL REFERENCES liaison_category(code),
  name           TEXT NOT NULL,
  gender         TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'male', 'female')),
  ethnicity      TEXT NOT NULL DEFAULT '',
  birth_date     TEXT NOT NULL DEFAULT '',
  education      TEXT NOT NULL DEFAULT '',
  employer       TEXT NOT NULL DEFAULT '',          -- 工作单位
  post           TEXT NOT NULL DEFAULT '',          -- 职务
  party          TEXT NOT NULL DEFAULT '',          -- 民主党派
  recognized_on  TEXT NOT NULL DEFAULT '',          -- 无党派人士认定时间
  stratum_kind   TEXT NOT NULL DEFAULT '',          -- 新的社会阶层人士类别
  congress       TEXT NOT NULL DEFAULT '' CHECK (congress IN ('', 'npc', 'cppcc')),
  term           TEXT NOT NULL DEFAULT '',          -- 届次
  elected_on     TEXT NOT NULL DEFAULT '',
  term_ends_on   TEXT NOT NULL DEFAULT '',
  phone          TEXT NOT NULL DEFAULT '',
  address        TEXT NOT NULL DEFAULT '',
  status         TEXT NOT NULL DEFAULT 'found' CHECK (status IN ('found', 'training', 'selected', 'used')),
  tags           TEXT NOT NULL DEFAULT '',          -- comma-separated
  note           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1,
  UNIQUE (unit_id, name, employer)
);
CREATE INDEX liaison_person_unit ON liaison_person(unit_id, category);

CREATE TABLE liaison_enterprise (
  id             INTEGER PRIMARY KEY,
  unit_id        INTEGER NOT NULL REFERENCES unit(id),
  name           TEXT NOT NULL UNIQUE,
  kind           TEXT NOT NULL CHECK (kind IN ('overseas', 'taiwan', 'private', 'foreign')),
  sector         TEXT NOT NULL DEFAULT '',
  size           TEXT NOT NULL DEFAULT 'small' CHECK (size IN ('large', 'medium', 'small', 'micro')),
  branch         TEXT NOT NULL DEFAULT '',          -- its party branch
  contact_name   TEXT NOT NULL DEFAULT '',
  contact_phone  TEXT NOT NULL DEFAULT '',
  cadre_user_id  INTEGER REFERENCES "user"(id),     -- the cadre who liaises
  address        TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX liaison_enterprise_unit ON liaison_enterprise(unit_id);

-- 联系交友: a leader or cadre links with named persons and enterprises, visited by a plan.
CREATE TABLE liaison_assignment (
  id             INTEGER PRIMARY KEY,
  unit_id        INTEGER NOT NULL REFERENCES unit(id),
  cadre_user_id  INTEGER NOT NULL REFERENCES "user"(id),
  leader         INTEGER NOT NULL DEFAULT 0 CHECK (leader IN (0, 1)),
  frequency      TEXT NOT NULL DEFAULT 'quarterly' CHECK (frequency IN ('quarterly', 'half_year', 'year', 'none')),
  festivals      INTEGER NOT NULL DEFAULT 0 CHECK (festivals IN (0, 1)),
  starts_on      TEXT NOT NULL,
  ends_on        TEXT NOT NULL DEFAULT '',
  note           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX liaison_assignment_cadre ON liaison_assignment(cadre_user_id);
CREATE INDEX liaison_assignment_unit ON liaison_assignment(unit_id);
CREATE TABLE liaison_assignment_person (
  owner_id  INTEGER NOT NULL REFERENCES liaison_assignment(id),
  ref_id    INTEGER NOT NULL REFERENCES liaison_person(id),
  PRIMARY KEY (owner_id, ref_id)
);
CREATE TABLE liaison_assignment_enterprise (
  owner_id  INTEGER NOT NULL REFERENCES liaison_assignment(id),
  ref_id    INTEGER NOT NULL REFERENCES liaison_enterprise(id),
  PRIMARY KEY (owner_id, ref_id)
);

-- 驻厂员: a cadre stationed in enterprises for a period.
CREATE TABLE liaison_station (
  id             INTEGER PRIMARY KEY,
  unit_id        INTEGER NOT NULL REFERENCES unit(id),
  cadre_user_id  INTEGER NOT NULL REFERENCES "user"(id),
  starts_on      TEXT NOT NULL,
  ends_on        TEXT NOT NULL,
  note           TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX liaison_station_unit ON liaison_station(unit_id);
CREATE TABLE liaison_station_enterprise (
  owner_id  INTEGER NOT NULL REFERENCES liaison_station(id),
  ref_id    INTEGER NOT NULL REFERENCES liaison_enterprise(id),
  PRIMARY KEY (owner_id, ref_id)
);

-- A visit of a person or an enterprise, on an assignment or by a stationed cadre.
CREATE TABLE liaison_visit (
  id               INTEGER PRIMARY KEY,
  unit_id          INTEGER NOT NULL REFERENCES unit(id),
  assignment_id    INTEGER REFERENCES liaison_assignment(id),
  station_id       INTEGER REFERENCES liaison_station(id),
  person_id        INTEGER REFERENCES liaison_person(id),
  enterprise_id    INTEGER REFERENCES liaison_enterprise(id),
  visited_on       TEXT NOT NULL,
  visitor_user_id  INTEGER NOT NULL REFERENCES "user"(id),
  companions       TEXT NOT NULL DEFAULT '',
  form             TEXT NOT NULL CHECK (form IN ('visit', 'talk', 'forum', 'phone')),
  thoughts         TEXT NOT NULL DEFAULT '',        -- 思想动态
  suggestions      TEXT NOT NULL DEFAULT '',        -- 意见建议
  requests         TEXT NOT NULL DEFAULT '',        -- 困难诉求
  help             TEXT NOT NULL DEFAULT '',        -- 帮扶
  created_by       INTEGER REFERENCES "user"(id),        -- NULL: the command line
  created_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1,
  CHECK ((assignment_id IS NULL) <> (station_id IS NULL)),
  CHECK ((person_id IS NULL) <> (enterprise_id IS NULL))
);
CREATE INDEX liaison_visit_assignment ON liaison_visit(assignment_id, visited_on);
CREATE INDEX liaison_visit_station ON liaison_visit(station_id, visited_on);
CREATE INDEX liaison_visit_unit ON liaison_visit(unit_id, visited_on);

-- 党建联盟 ("1+5+N"): the core, the lead enterprise (链主), members, the N departments.
CREATE TABLE liaison_alliance (
  id                  INTEGER PRIMARY KEY,
  unit_id             INTEGER NOT NULL REFERENCES unit(id),
  name                TEXT NOT NULL UNIQUE,
  model               TEXT NOT NULL DEFAULT '',     -- "1+5+N"
  core                TEXT NOT NULL DEFAULT '',     -- 联盟核心
  lead_enterprise_id  INTEGER REFERENCES liaison_enterprise(id),
  base                TEXT NOT NULL DEFAULT '',     -- 共享阵地
  goals               TEXT NOT NULL DEFAULT '',
  created_at          INTEGER NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE liaison_alliance_enterprise (
  owner_id  INTEGER NOT NULL REFERENCES liaison_alliance(id),
  ref_id    INTEGER NOT NULL REFERENCES liaison_enterprise(id),
  PRIMARY KEY (owner_id, ref_id)
);
CREATE TABLE liaison_alliance_dept (
  owner_id  INTEGER NOT NULL REFERENCES liaison_alliance(id),
  ref_id    INTEGER NOT NULL REFERENCES unit(id),
  PRIMARY KEY (owner_id, ref_id)
);
-- The three teams (企业联络员、党建指导员、志愿服务队) and their members.
CREATE TABLE liaison_team (
  id           INTEGER PRIMARY KEY,
  unit_id      INTEGER NOT NULL REFERENCES unit(id),
  alliance_id  INTEGER NOT NULL REFERENCES liaison_alliance(id),
  kind         TEXT NOT NULL CHECK (kind IN ('liaison', 'guide', 'volunteer')),
  name         TEXT NOT NULL,
  leader       TEXT NOT NULL DEFAULT '',
  members      TEXT NOT NULL DEFAULT '',            -- names, separated by 、
  created_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1,
  UNIQUE (alliance_id, name)
);
-- 支部轮值: the member branch on duty in a month.
CREATE TABLE liaison_rotation (
  id             INTEGER PRIMARY KEY,
  unit_id        INTEGER NOT NULL REFERENCES unit(id),
  alliance_id    INTEGER NOT NULL REFERENCES liaison_alliance(id),
  month          TEXT NOT NULL,                     -- YYYY-MM
  enterprise_id  INTEGER NOT NULL REFERENCES liaison_enterprise(id),
  theme          TEXT NOT NULL DEFAULT '',
  created_at     INTEGER NOT NULL,
  version        INTEGER NOT NULL DEFAULT 1,
  UNIQUE (alliance_id, month)
);
-- 联盟议事会, 纾困解难会: who attended (member enterprises, departments, people) and minutes.
CREATE TABLE liaison_meeting (
  id           INTEGER PRIMARY KEY,
  unit_id      INTEGER NOT NULL REFERENCES unit(id),
  alliance_id  INTEGER NOT NULL REFERENCES liaison_alliance(id),
  kind         TEXT NOT NULL CHECK (kind IN ('council', 'relief')),
  held_on      TEXT NOT NULL,
  topic        TEXT NOT NULL,
  place        TEXT NOT NULL DEFAULT '',
  attendees    TEXT NOT NULL DEFAULT '',            -- the people present, separated by 、
  minutes      TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX liaison_meeting_alliance ON liaison_meeting(alliance_id, held_on);
CREATE TABLE liaison_meeting_enterprise (
  owner_id  INTEGER NOT NULL REFERENCES liaison_meeting(id),
  ref_id    INTEGER NOT NULL REFERENCES liaison_enterprise(id),
  PRIMARY KEY (owner_id, ref_id)
);
CREATE TABLE liaison_meeting_dept (
  owner_id  INTEGER NOT NULL REFERENCES liaison_meeting(id),
  ref_id    INTEGER NOT NULL REFERENCES unit(id),
  PRIMARY KEY (owner_id, ref_id)
);
-- Activities: an alliance's (党性教育, 座谈交流, 助企服务 …) and the 统战 office's (联谊会 …).
CREATE TABLE liaison_activity (
  id            INTEGER PRIMARY KEY,
  unit_id       INTEGER NOT NULL REFERENCES unit(id),
  alliance_id   INTEGER REFERENCES liaison_alliance(id),
  kind          TEXT NOT NULL CHECK (kind IN ('party_education', 'forum', 'enterprise_service',
                  'skills', 'talent', 'mutual_check', 'needy_visit', 'fellowship', 'training',
                  'tongxin', 'xinlian')),
  held_on       TEXT NOT NULL,
  title         TEXT NOT NULL,
  place         TEXT NOT NULL DEFAULT '',
  participants  INTEGER NOT NULL DEFAULT 0 CHECK (participants >= 0),
  talents       INTEGER NOT NULL DEFAULT 0 CHECK (talents >= 0),   -- talents recruited
  result        TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX liaison_activity_unit ON liaison_activity(unit_id, held_on);

-- Problems this mechanism put on the problem list, and where each came from: a visit's
-- 困难诉求 (统战走访), an alliance meeting (联盟议事) or a stationed cadre (驻厂).
CREATE TABLE liaison_problem (
  problem_id   INTEGER PRIMARY KEY REFERENCES problem(id),
  unit_id      INTEGER NOT NULL REFERENCES unit(id),
  origin       TEXT NOT NULL CHECK (origin IN ('visit', 'meeting', 'station')),
  visit_id     INTEGER REFERENCES liaison_visit(id),
  meeting_id   INTEGER REFERENCES liaison_meeting(id),
  alliance_id  INTEGER REFERENCES liaison_alliance(id),
  station_id   INTEGER REFERENCES liaison_station(id),
  created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX liaison_problem_visit ON liaison_problem(visit_id) WHERE visit_id IS NOT NULL;
CREATE INDEX liaison_problem_alliance ON liaison_problem(alliance_id);
CREATE INDEX liaison_problem_station ON liaison_problem(station_id);

-- Roles: the 统战 office (registers, personal data, visits, sending requests to the problem
-- list) and the liaising cadre (reads, personal data of the persons, visits of their own).
INSERT INTO role(name, title, builtin) VALUES
  ('liaison_clerk', '统战工作人员', 1),
  ('liaison_cadre', '联系干部', 1);
INSERT INTO role_perm(role_id, perm)
  SELECT id, 'unit.read' FROM role WHERE name = 'liaison_clerk'
  UNION ALL SELECT id, 'liaison.read' FROM role WHERE name = 'liaison_clerk'
  UNION ALL SELECT id, 'liaison.person' FROM role WHERE name = 'liaison_clerk'
  UNION ALL SELECT id, 'liaison.write' FROM role WHERE name = 'liaison_clerk'
  UNION ALL SELECT id, 'liaison.visit' FROM role WHERE name = 'liaison_clerk'
  UNION ALL SELECT id, 'problem.read' FROM role WHERE name = 'liaison_clerk'
  UNION ALL SELECT id, 'problem.register' FROM role WHERE name = 'liaison_clerk'
  UNION ALL SELECT id, 'unit.read' FROM role WHERE name = 'liaison_cadre'
  UNION ALL SELECT id, 'liaison.read' FROM role WHERE name = 'liaison_cadre'
  UNION ALL SELECT id, 'liaison.person' FROM role WHERE name = 'liaison_cadre'
  UNION ALL SELECT id, 'liaison.visit' FROM role WHERE name = 'liaison_cadre'
  UNION ALL SELECT id, 'liaison.read' FROM role WHERE name = 'leader';
