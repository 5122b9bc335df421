-- 0009: cadre supervision and early warning (干部监督预警, MECHANISMS.md §4): cadres, clues from
-- the member units, 研判 sessions with their decisions, graded responses with impact periods,
-- assessments, the early-warning configuration and the 三挂钩 rules — every list of codes is
-- data. Texts that must not be read off the disk (clue descriptions, response contents, talk
-- records, ID numbers) are stored sealed (SM4-CTR + HMAC-SM3, src/cadre/seal.c) as BLOBs.
-- The same schema for PostgreSQL is migrations/pg/0009-cadre.sql.

CREATE TABLE cadre_code (
  list    TEXT NOT NULL CHECK (list IN ('source', 'circle', 'category', 'rank', 'grade')),
  code    TEXT NOT NULL,
  title   TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  PRIMARY KEY (list, code)
);
INSERT INTO cadre_code(list, code, title, seq) VALUES
  ('source', 'discipline', '纪检监察', 1), ('source', 'judicial', '法院/检察院/公安（司法）', 2),
  ('source', 'petition', '信访', 3), ('source', 'audit', '审计', 4),
  ('source', 'credit', '信用（失信被执行人等）', 5), ('source', 'inspection', '巡视巡察', 6),
  ('source', 'selection_check', '选人用人专项检查', 7), ('source', 'report_review', '一报告两评议', 8),
  ('source', 'life_meeting', '民主生活会/组织生活会', 9), ('source', 'assessment', '考核', 10),
  ('source', 'home_visit', '实地走访（居住地）', 11), ('source', 'personal_report', '个人有关事项报告查核', 12),
  ('source', 'online', '网络舆情', 13), ('source', 'other', '其他', 14),
  ('circle', 'work', '工作圈', 1), ('circle', 'life', '生活圈', 2), ('circle', 'social', '社交圈', 3),
  ('category', 'integrity', '廉洁自律', 1), ('category', 'duty', '履职尽责', 2),
  ('category', 'style', '作风纪律', 3), ('category', 'conceal', '瞒报个人有关事项', 4),
  ('category', 'family', '家风家教', 5), ('category', 'credit', '诚信守法', 6),
  ('category', 'other', '其他', 7),
  ('rank', 'county', '县处级', 1), ('rank', 'section', '乡科级', 2), ('rank', 'other', '其他', 3),
  ('grade', 'excellent', '优秀', 1), ('grade', 'competent', '称职', 2),
  ('grade', 'basic', '基本称职', 3), ('grade', 'incompetent', '不称职', 4);

-- The graded responses (第一种形态 first) with their default impact period in months.
CREATE TABLE cadre_response_kind (
  code           TEXT PRIMARY KEY,
  title          TEXT NOT NULL,
  form           INTEGER NOT NULL,
  impact_months  INTEGER NOT NULL,
  seq            INTEGER NOT NULL
);
INSERT INTO cadre_response_kind(code, title, form, impact_months, seq) VALUES
  ('remind', '提醒谈话', 1, 0, 1), ('inquiry', '函询', 1, 0, 2), ('criticism', '批评教育', 1, 0, 3),
  ('self_check', '责令检查', 1, 0, 4), ('admonish', '诫勉', 1, 6, 5),
  ('adjust', '组织处理·调整', 2, 12, 6), ('removal', '组织处理·免职', 2, 12, 7),
  ('demotion', '组织处理·降职', 2, 24, 8), ('transfer', '移送纪检监察机关', 3, 12, 9);

CREATE TABLE cadre (
  id            INTEGER PRIMARY KEY,
  unit_id       INTEGER NOT NULL REFERENCES unit(id),
  user_id       INTEGER REFERENCES "user"(id),
  name          TEXT NOT NULL,
  gender        TEXT NOT NULL DEFAULT '' CHECK (gender IN ('', 'male', 'female')),
  birth_date    TEXT NOT NULL DEFAULT '',
  id_sealed     BLOB,
  id_masked     TEXT NOT NULL DEFAULT '',
  id_hash       TEXT UNIQUE,
  position      TEXT NOT NULL DEFAULT '',
  rank          TEXT NOT NULL DEFAULT 'section',
  in_post_on    TEXT NOT NULL DEFAULT '',
  managed_by    TEXT NOT NULL DEFAULT 'county' CHECK (managed_by IN ('city', 'county', 'township')),
  created_at    INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX cadre_unit ON cadre(unit_id);
CREATE INDEX cadre_user ON cadre(user_id);

-- 研判 sessions (e.g. the quarterly 联席研判会) and what they decided, clue by clue or cadre by
-- cadre: a clue's disposal, or the response a cadre is to receive (a warning only proposes).
CREATE TABLE cadre_session (
  id            INTEGER PRIMARY KEY,
  unit_id       INTEGER NOT NULL REFERENCES unit(id),
  title         TEXT NOT NULL,
  held_on       TEXT NOT NULL,
  participants  TEXT NOT NULL DEFAULT '',
  created_by    INTEGER NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE cadre_clue (
  id                INTEGER PRIMARY KEY,
  cadre_id          INTEGER NOT NULL REFERENCES cadre(id),
  source            TEXT NOT NULL,
  circle            TEXT NOT NULL,
  category          TEXT NOT NULL,
  severity          INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 3),
  occurred_on       TEXT NOT NULL,
  description       BLOB NOT NULL,
  reporter_unit_id  INTEGER NOT NULL REFERENCES unit(id),
  submitted_by      INTEGER NOT NULL,
  submitted_at      INTEGER NOT NULL,
  disposal          TEXT NOT NULL DEFAULT '' CHECK (disposal IN ('', 'talk_inquiry', 'verify', 'hold', 'close')),
  session_id        INTEGER REFERENCES cadre_session(id),
  disposed_on       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cadre_clue_cadre ON cadre_clue(cadre_id);
CREATE INDEX cadre_clue_reporter ON cadre_clue(reporter_unit_id);

CREATE TABLE cadre_decision (
  id             INTEGER PRIMARY KEY,
  session_id     INTEGER NOT NULL REFERENCES cadre_session(id),
  cadre_id       INTEGER NOT NULL REFERENCES cadre(id),
  clue_id        INTEGER REFERENCES cadre_clue(id),
  disposal       TEXT NOT NULL DEFAULT '',
  response_kind  TEXT REFERENCES cadre_response_kind(code),
  reason         BLOB NOT NULL,
  used           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX cadre_decision_cadre ON cadre_decision(cadre_id);

CREATE TABLE cadre_response (
  id             INTEGER PRIMARY KEY,
  cadre_id       INTEGER NOT NULL REFERENCES cadre(id),
  decision_id    INTEGER NOT NULL UNIQUE REFERENCES cadre_decision(id),
  kind           TEXT NOT NULL REFERENCES cadre_response_kind(code),
  decided_on     TEXT NOT NULL,
  impact_months  INTEGER NOT NULL,
  impact_until   TEXT NOT NULL,
  talker         TEXT NOT NULL DEFAULT '',
  recorder       TEXT NOT NULL DEFAULT '',
  place          TEXT NOT NULL DEFAULT '',
  reply_due      TEXT NOT NULL DEFAULT '',
  finding        TEXT NOT NULL DEFAULT '' CHECK (finding IN ('', 'true', 'partly', 'false')),
  content        BLOB NOT NULL,
  created_by     INTEGER NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX cadre_response_cadre ON cadre_response(cadre_id);

CREATE TABLE cadre_assessment (
  id        INTEGER PRIMARY KEY,
  cadre_id  INTEGER NOT NULL REFERENCES cadre(id),
  year      INTEGER NOT NULL,
  quarter   INTEGER NOT NULL CHECK (quarter BETWEEN 0 AND 4),
  grade     TEXT NOT NULL,
  evidence  TEXT NOT NULL DEFAULT '',
  UNIQUE (cadre_id, year, quarter)
);

-- The early warning's configuration: weights (per mille) by source, category, clue state and
-- response kind; settings (window, half-life, level thresholds in points per mille, count rule).
CREATE TABLE cadre_weight (
  dim     TEXT NOT NULL CHECK (dim IN ('source', 'category', 'state', 'response')),
  code    TEXT NOT NULL,
  weight  INTEGER NOT NULL,
  PRIMARY KEY (dim, code)
);
INSERT INTO cadre_weight(dim, code, weight) VALUES
  ('source', 'discipline', 2000), ('source', 'judicial', 2000), ('source', 'audit', 1500),
  ('source', 'inspection', 1500), ('source', 'petition', 1000), ('source', 'credit', 1000),
  ('source', 'personal_report', 1500), ('source', 'online', 500),
  ('category', 'integrity', 1500), ('category', 'conceal', 1500),
  ('state', 'received', 1000), ('state', 'talk_inquiry', 1000), ('state', 'verify', 1200),
  ('state', 'hold', 500), ('state', 'close', 0),
  ('response', 'remind', 1000), ('response', 'inquiry', 1500), ('response', 'criticism', 1500),
  ('response', 'self_check', 2000), ('response', 'admonish', 3000), ('response', 'adjust', 4000),
  ('response', 'removal', 5000), ('response', 'demotion', 5000), ('response', 'transfer', 6000);
CREATE TABLE cadre_setting (
  key    TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);
INSERT INTO cadre_setting(key, value) VALUES
  ('window_days', 365), ('half_life_days', 180), ('level_blue', 2000), ('level_yellow', 4000),
  ('level_red', 7000), ('count_clues', 2), ('count_sources', 2), ('count_days', 183);

-- 三挂钩 as data: for a purpose (promotion 提拔/考察对象, award 评先评优, reserve 后备干部), a
-- kind of check: impact (a response within its impact period), conceal (a finding of 瞒报), or
-- grade (an annual grade in param, comma-separated, in the year asked).
CREATE TABLE cadre_rule (
  code     TEXT PRIMARY KEY,
  purpose  TEXT NOT NULL CHECK (purpose IN ('promotion', 'award', 'reserve')),
  kind     TEXT NOT NULL CHECK (kind IN ('impact', 'conceal', 'grade')),
  param    TEXT NOT NULL DEFAULT '',
  title    TEXT NOT NULL,
  basis    TEXT NOT NULL DEFAULT '',
  seq      INTEGER NOT NULL
);
INSERT INTO cadre_rule(code, purpose, kind, param, title, basis, seq) VALUES
  ('promotion_impact', 'promotion', 'impact', '', '处于诫勉、组织处理或处分影响期内的，不得列为考察对象', '《党政领导干部选拔任用工作条例》第二十四条', 1),
  ('promotion_conceal', 'promotion', 'conceal', '', '查核发现瞒报个人有关事项的，不得提拔使用', '《领导干部报告个人有关事项规定》', 2),
  ('reserve_conceal', 'reserve', 'conceal', '', '查核发现瞒报个人有关事项的，不得列为后备干部人选', '《领导干部报告个人有关事项规定》', 3),
  ('reserve_impact', 'reserve', 'impact', '', '处于影响期内的，不得列为后备干部人选', '《党政领导干部选拔任用工作条例》第二十四条', 4),
  ('award_grade', 'award', 'grade', 'basic,incompetent', '年度考核为基本称职及以下的，当年不得评先评优', '《党政领导干部考核工作条例》', 5),
  ('award_impact', 'award', 'impact', '', '处于影响期内的，不得评先评优', '《党政领导干部考核工作条例》', 6);

INSERT INTO role(name, title, builtin) VALUES
  ('cadre_section', '干部监督科', 1),
  ('cadre_member', '干部监督成员单位', 1),
  ('cadre_leader', '干部监督分管领导', 1);
INSERT INTO role_perm(role_id, perm)
  SELECT id, 'unit.read' FROM role WHERE name = 'cadre_section'
  UNION ALL SELECT id, 'cadre.read' FROM role WHERE name = 'cadre_section'
  UNION ALL SELECT id, 'cadre.write' FROM role WHERE name = 'cadre_section'
  UNION ALL SELECT id, 'cadre.warning.read' FROM role WHERE name = 'cadre_section'
  UNION ALL SELECT id, 'cadre.clue.submit' FROM role WHERE name = 'cadre_section'
  UNION ALL SELECT id, 'cadre.clue.submit' FROM role WHERE name = 'cadre_member'
  UNION ALL SELECT id, 'cadre.warning.read' FROM role WHERE name = 'cadre_leader';
