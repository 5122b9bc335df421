-- 0003: the study and outreach registry (理论学习与宣讲, MECHANISMS.md §2): persons who do not log
-- in, activity kinds as data, study plans with monthly topics, activities with attendance,
-- reflections, outputs and materials, observers' feedback that must be answered, branches' fixed
-- study days (三定一分享), outreach brands, teams, education sites and their visits.

CREATE TABLE person (
  id            INTEGER PRIMARY KEY,
  unit_id       INTEGER NOT NULL REFERENCES unit(id),
  name          TEXT NOT NULL,
  position      TEXT NOT NULL DEFAULT '',        -- 职务
  rank          TEXT NOT NULL DEFAULT '其他',     -- 县处级, 乡科级, 一般干部, 普通党员, 群众, 其他
  party_member  INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1,
  UNIQUE (unit_id, name, position)
);
CREATE INDEX person_unit ON person(unit_id);

CREATE TABLE activity_kind (
  name      TEXT PRIMARY KEY,
  title     TEXT NOT NULL UNIQUE,
  category  TEXT NOT NULL CHECK (category IN ('study','discussion','lecture','outreach')),
  builtin   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO activity_kind(name, title, category, builtin) VALUES
  ('center_group', '中心组集体学习', 'study', 1),
  ('seminar', '专题研讨', 'discussion', 1),
  ('field_study', '实地研学', 'study', 1),
  ('problem_study', '问题导学', 'study', 1),
  ('three_meetings', '三会一课', 'study', 1),
  ('party_day', '主题党日', 'study', 1),
  ('training', '集中培训', 'study', 1),
  ('party_lecture', '党课', 'lecture', 1),
  ('outreach', '宣讲', 'outreach', 1);

CREATE TABLE study_plan (
  id          INTEGER PRIMARY KEY,
  unit_id     INTEGER NOT NULL REFERENCES unit(id),   -- the 中心组 is the unit's
  year        INTEGER NOT NULL,
  title       TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (unit_id, year)
);

CREATE TABLE plan_topic (
  id                INTEGER PRIMARY KEY,
  plan_id           INTEGER NOT NULL REFERENCES study_plan(id) ON DELETE CASCADE,
  month             INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  topic             TEXT NOT NULL,                    -- 专题
  planned_sessions  INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX plan_topic_plan ON plan_topic(plan_id, month);

CREATE TABLE brand (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,                   -- 宁小宣, 柳下夜话 …
  unit_id     INTEGER NOT NULL REFERENCES unit(id),
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);

CREATE TABLE team (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,                   -- 八支宣讲团, 红领巾宣讲团 …
  unit_id     INTEGER NOT NULL REFERENCES unit(id),
  brand_id    INTEGER REFERENCES brand(id),
  created_at  INTEGER NOT NULL
);

CREATE TABLE team_member (
  team_id    INTEGER NOT NULL REFERENCES team(id) ON DELETE CASCADE,
  person_id  INTEGER NOT NULL REFERENCES person(id),
  PRIMARY KEY (team_id, person_id)
);

CREATE TABLE activity (
  id              INTEGER PRIMARY KEY,
  kind            TEXT NOT NULL REFERENCES activity_kind(name),
  unit_id         INTEGER NOT NULL REFERENCES unit(id),
  held_on         TEXT NOT NULL,                      -- YYYY-MM-DD
  topic           TEXT NOT NULL,
  lead_person_id  INTEGER REFERENCES person(id),      -- 领学人 / 主讲人
  lead_name       TEXT NOT NULL DEFAULT '',           -- when the lead is not a registered person
  place           TEXT NOT NULL DEFAULT '',
  minutes         TEXT NOT NULL DEFAULT '',           -- 会议记录
  plan_id         INTEGER REFERENCES study_plan(id),
  brand_id        INTEGER REFERENCES brand(id),
  team_id         INTEGER REFERENCES team(id),
  audience        INTEGER NOT NULL DEFAULT 0,         -- 受众人次 (outreach)
  created_by      INTEGER REFERENCES user(id),
  created_at      INTEGER NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX activity_unit_day ON activity(unit_id, held_on);
CREATE INDEX activity_kind_day ON activity(kind, held_on);
CREATE INDEX activity_lead ON activity(lead_person_id);

CREATE TABLE attendance (
  activity_id     INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
  person_id       INTEGER NOT NULL REFERENCES person(id),
  present         INTEGER NOT NULL,
  absence_reason  TEXT NOT NULL DEFAULT '',
  shared          INTEGER NOT NULL DEFAULT 0,         -- spoke in the sharing (人人分享)
  PRIMARY KEY (activity_id, person_id)
);
CREATE INDEX attendance_person ON attendance(person_id);

CREATE TABLE reflection (
  id           INTEGER PRIMARY KEY,
  activity_id  INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
  person_id    INTEGER NOT NULL REFERENCES person(id),
  text         TEXT NOT NULL,                         -- 心得体会
  created_by   INTEGER REFERENCES user(id),
  created_at   INTEGER NOT NULL
);
CREATE INDEX reflection_activity ON reflection(activity_id);

CREATE TABLE study_output (
  id            INTEGER PRIMARY KEY,
  unit_id       INTEGER NOT NULL REFERENCES unit(id),
  activity_id   INTEGER REFERENCES activity(id),
  kind          TEXT NOT NULL CHECK (kind IN ('调研报告','理论文章')),
  title         TEXT NOT NULL,
  author        TEXT NOT NULL DEFAULT '',
  published_on  TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX study_output_unit ON study_output(unit_id, published_on);

-- 列席旁听: an observer from a superior body at a session, and the issues he raised, each of
-- which the unit must answer by its deadline (flows/feedback.json: open → answered).
CREATE TABLE observation (
  id             INTEGER PRIMARY KEY,
  activity_id    INTEGER NOT NULL REFERENCES activity(id),
  observer       TEXT NOT NULL,
  observer_body  TEXT NOT NULL,
  rating         TEXT NOT NULL CHECK (rating IN ('好','较好','一般','差')),
  comment        TEXT NOT NULL DEFAULT '',
  created_by     INTEGER REFERENCES user(id),
  created_at     INTEGER NOT NULL
);
CREATE INDEX observation_activity ON observation(activity_id);

CREATE TABLE feedback (
  id              INTEGER PRIMARY KEY,
  observation_id  INTEGER NOT NULL REFERENCES observation(id),
  unit_id         INTEGER NOT NULL REFERENCES unit(id),   -- who must answer
  issue           TEXT NOT NULL,
  state           TEXT NOT NULL,
  deadline        TEXT NOT NULL,
  deadline_estimated INTEGER NOT NULL DEFAULT 0,
  overdue         INTEGER NOT NULL DEFAULT 0,
  answer          TEXT NOT NULL DEFAULT '',
  answered_at     INTEGER,
  created_by      INTEGER REFERENCES user(id),
  created_at      INTEGER NOT NULL,
  version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX feedback_open ON feedback(state, deadline);
CREATE INDEX feedback_unit ON feedback(unit_id);

-- 三定一分享: a branch's fixed study day of the month.
CREATE TABLE branch_rule (
  unit_id    INTEGER PRIMARY KEY REFERENCES unit(id),
  fixed_day  INTEGER NOT NULL CHECK (fixed_day BETWEEN 1 AND 31),
  updated_at INTEGER NOT NULL
);

CREATE TABLE edu_site (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,                   -- 红色教育基地
  unit_id     INTEGER NOT NULL REFERENCES unit(id),
  address     TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);

CREATE TABLE site_visit (
  id          INTEGER PRIMARY KEY,
  site_id     INTEGER NOT NULL REFERENCES edu_site(id),
  unit_id     INTEGER NOT NULL REFERENCES unit(id),   -- the visiting unit
  visited_on  TEXT NOT NULL,
  visitors    INTEGER NOT NULL CHECK (visitors >= 0),
  topic       TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL
);
CREATE INDEX site_visit_day ON site_visit(visited_on);

INSERT INTO role(name, title, builtin) VALUES
  ('study_clerk', '学习管理员', 1),
  ('study_observer', '列席旁听人员', 1);
INSERT INTO role_perm(role_id, perm)
  SELECT role.id, p.value FROM role, json_each('["unit.read","study.read","study.write","study.answer"]') p WHERE name = 'study_clerk'
  UNION ALL
  SELECT role.id, p.value FROM role, json_each('["unit.read","study.read","study.observe"]') p WHERE name = 'study_observer'
  UNION ALL
  SELECT role.id, 'study.read' FROM role WHERE name = 'leader';
