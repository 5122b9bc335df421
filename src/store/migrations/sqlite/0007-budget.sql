-- 0007: cost-based budget performance (成本预算绩效, MECHANISMS.md §3): budget projects of every
-- department with their cost sheets (项目测算表, money in integer fen, quantities in integer
-- thousandths), performance-target indicator trees (绩效目标表, 成本指标 as a first-level
-- indicator), the rounds of review with a snapshot each, review opinions per line or indicator,
-- third-party assignments, every gate failure of every save (for the figures), the county's
-- indicator library (data, extended by the finance bureau) and the gate's settings.
-- The PostgreSQL twin is migrations/pg/0007-budget.sql: keep both in step.

CREATE TABLE budget_project (
  id               INTEGER PRIMARY KEY,
  year             INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  unit_id          INTEGER NOT NULL REFERENCES unit(id),      -- 申报单位 (the department)
  impl_unit        TEXT NOT NULL DEFAULT '',                  -- 实施单位
  name             TEXT NOT NULL,
  class            TEXT NOT NULL CHECK (class IN ('personnel','public_funds','other_operating',
                                                  'special_fund','other_special')),
  is_new           INTEGER NOT NULL DEFAULT 1 CHECK (is_new IN (0, 1)),   -- 新增 / 延续
  start_year       INTEGER NOT NULL,
  end_year         INTEGER NOT NULL,
  fund_fiscal      INTEGER NOT NULL DEFAULT 0 CHECK (fund_fiscal >= 0),     -- 本年财政拨款, fen
  fund_carryover   INTEGER NOT NULL DEFAULT 0 CHECK (fund_carryover >= 0),  -- 上年结转, fen
  fund_other       INTEGER NOT NULL DEFAULT 0 CHECK (fund_other >= 0),      -- 其他资金, fen
  goal             TEXT NOT NULL DEFAULT '',                  -- 年度总体目标
  contact          TEXT NOT NULL DEFAULT '',
  phone            TEXT NOT NULL DEFAULT '',
  state            TEXT NOT NULL,                             -- flows/budget.json
  stage            TEXT NOT NULL,                             -- 储备 审核中 入库 预算批复 …
  round            INTEGER NOT NULL DEFAULT 1,                -- the review round (1, 2, …)
  cost_total       INTEGER NOT NULL DEFAULT 0,                -- the cost sheet's total, fen
  gate_failures    INTEGER NOT NULL DEFAULT 0,                -- failures of the last save
  has_cost_target  INTEGER NOT NULL DEFAULT 0,                -- has an indicator under 成本指标
  passed_round     INTEGER,                                   -- the round it entered 入库
  approved_amount  INTEGER,                                   -- 批复金额, fen
  approval_note    TEXT NOT NULL DEFAULT '',
  reviewer_id      INTEGER REFERENCES user(id),               -- the third party's reviewer now
  published_at     INTEGER,
  created_by       INTEGER NOT NULL REFERENCES user(id),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1,
  UNIQUE (year, unit_id, name)
);
CREATE INDEX budget_project_unit ON budget_project(unit_id, year);
CREATE INDEX budget_project_state ON budget_project(state);
CREATE INDEX budget_project_reviewer ON budget_project(reviewer_id);

-- The cost sheet: lines, each optionally with sub-items one level down (parent_id).
CREATE TABLE budget_line (
  id            INTEGER PRIMARY KEY,
  project_id    INTEGER NOT NULL REFERENCES budget_project(id),
  parent_id     INTEGER REFERENCES budget_line(id),
  seq           INTEGER NOT NULL,                    -- order within the sheet (1, 2, …)
  item          TEXT NOT NULL,
  kind          TEXT NOT NULL,                       -- 设备购置 劳务 印刷 差旅 工程 其他 …
  qty_milli     INTEGER NOT NULL DEFAULT 0 CHECK (qty_milli >= 0),   -- quantity × 1000
  measure_unit  TEXT NOT NULL DEFAULT '',
  price         INTEGER NOT NULL DEFAULT 0 CHECK (price >= 0),       -- unit price, fen
  amount        INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),      -- fen
  basis         TEXT NOT NULL DEFAULT ''             -- 测算依据
);
CREATE INDEX budget_line_project ON budget_line(project_id, seq);

-- The performance targets: third-level indicators, each under its first and second level.
CREATE TABLE budget_indicator (
  id            INTEGER PRIMARY KEY,
  project_id    INTEGER NOT NULL REFERENCES budget_project(id),
  seq           INTEGER NOT NULL,
  level1        TEXT NOT NULL CHECK (level1 IN ('成本指标','产出指标','效益指标','满意度指标')),
  level2        TEXT NOT NULL,
  cost_kind     TEXT NOT NULL DEFAULT '' CHECK (cost_kind IN ('','总成本','分项成本','单位成本')),
  name          TEXT NOT NULL,
  comparison    TEXT NOT NULL CHECK (comparison IN ('≥','≤','=','>','<','定性')),
  target        TEXT NOT NULL DEFAULT '',            -- a number as typed, or a grade (定性)
  measure_unit  TEXT NOT NULL DEFAULT '',
  weight_milli  INTEGER NOT NULL DEFAULT 0 CHECK (weight_milli >= 0),  -- weight × 1000
  method        TEXT NOT NULL DEFAULT ''             -- how it will be measured
);
CREATE INDEX budget_indicator_project ON budget_indicator(project_id, seq);

-- Each submission: its round and what was submitted (lines, indicators, amounts as JSON).
CREATE TABLE budget_round (
  id            INTEGER PRIMARY KEY,
  project_id    INTEGER NOT NULL REFERENCES budget_project(id),
  round         INTEGER NOT NULL,
  submitted_by  INTEGER NOT NULL REFERENCES user(id),
  submitted_at  INTEGER NOT NULL,
  snapshot      TEXT NOT NULL,
  UNIQUE (project_id, round)
);

-- Review opinions, per round, on the project or on one line or indicator (target).
CREATE TABLE budget_opinion (
  id          INTEGER PRIMARY KEY,
  project_id  INTEGER NOT NULL REFERENCES budget_project(id),
  round       INTEGER NOT NULL,
  event_id    INTEGER NOT NULL,                      -- the flow event it was given with
  side        TEXT NOT NULL CHECK (side IN ('department','finance','third_party','approver')),
  target      TEXT NOT NULL DEFAULT '',              -- '' the project; 'line:3'; 'indicator:2'
  text        TEXT NOT NULL,
  author_id   INTEGER NOT NULL REFERENCES user(id),
  created_at  INTEGER NOT NULL
);
CREATE INDEX budget_opinion_project ON budget_opinion(project_id, round, id);

-- Which third-party reviewer reviews which project in which round.
CREATE TABLE budget_assignment (
  id           INTEGER PRIMARY KEY,
  project_id   INTEGER NOT NULL REFERENCES budget_project(id),
  user_id      INTEGER NOT NULL REFERENCES user(id),
  round        INTEGER NOT NULL,
  assigned_by  INTEGER NOT NULL REFERENCES user(id),
  assigned_at  INTEGER NOT NULL,
  UNIQUE (project_id, user_id, round)
);
CREATE INDEX budget_assignment_user ON budget_assignment(user_id, project_id);

-- Every failure of the machine gate at every save (code as in src/budget/gate.c).
CREATE TABLE budget_gate_event (
  id          INTEGER PRIMARY KEY,
  project_id  INTEGER NOT NULL REFERENCES budget_project(id),
  code        TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX budget_gate_event_code ON budget_gate_event(code, project_id);

-- 事前绩效评估 of new (and large) projects: five dimensions graded 优/良/中/差, their points, the
-- conclusion. The latest row of a project counts; 调整后支持 counts once the project is saved after it
-- (its version moved past project_version).
CREATE TABLE budget_assessment (
  id           INTEGER PRIMARY KEY,
  project_id   INTEGER NOT NULL REFERENCES budget_project(id),
  grades       TEXT NOT NULL,                       -- JSON: {"立项必要性":"优", …}
  total        INTEGER NOT NULL,                    -- points of the five dimensions
  conclusion   TEXT NOT NULL CHECK (conclusion IN ('予以支持','调整后支持','不予支持')),
  opinion      TEXT NOT NULL DEFAULT '',
  project_version INTEGER NOT NULL,               -- the project's version it judged
  assessor_id  INTEGER NOT NULL REFERENCES user(id),
  created_at   INTEGER NOT NULL
);
CREATE INDEX budget_assessment_project ON budget_assessment(project_id, id);

-- The indicator library: common indicators per project class ('' for every class).
CREATE TABLE budget_indicator_lib (
  id            INTEGER PRIMARY KEY,
  class         TEXT NOT NULL DEFAULT '',
  level1        TEXT NOT NULL CHECK (level1 IN ('成本指标','产出指标','效益指标','满意度指标')),
  level2        TEXT NOT NULL,
  cost_kind     TEXT NOT NULL DEFAULT '' CHECK (cost_kind IN ('','总成本','分项成本','单位成本')),
  name          TEXT NOT NULL,
  comparison    TEXT NOT NULL CHECK (comparison IN ('≥','≤','=','>','<','定性')),
  measure_unit  TEXT NOT NULL DEFAULT '',
  method        TEXT NOT NULL DEFAULT '',
  builtin       INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL DEFAULT 0,
  UNIQUE (class, level1, level2, name)
);

-- The gate's settings: the tolerance of 单位成本 × 数量 against 总成本, in permille, …
CREATE TABLE budget_setting (
  name   TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);
-- and which projects need a 事前绩效评估 besides the new ones (requested at least this many fen), and
-- the points of each dimension's grade.
INSERT INTO budget_setting(name, value) VALUES
  ('unit_cost_tolerance_permille', 10),
  ('assessment_threshold_fen', 500000000),
  ('assessment_points_优', 20), ('assessment_points_良', 16),
  ('assessment_points_中', 12), ('assessment_points_差', 6);

INSERT INTO budget_indicator_lib(class, level1, level2, cost_kind, name, comparison, measure_unit, method, builtin) VALUES
  ('', '成本指标', '经济成本', '总成本', '项目总成本', '≤', '万元', '以项目测算表合计数为准', 1),
  ('', '成本指标', '经济成本', '分项成本', '设备购置成本', '≤', '万元', '按采购合同金额核定', 1),
  ('', '成本指标', '经济成本', '分项成本', '劳务费用', '≤', '万元', '按劳务合同及发放记录核定', 1),
  ('', '成本指标', '经济成本', '单位成本', '人均培训成本', '≤', '元/人', '总成本除以培训人数', 1),
  ('', '成本指标', '社会成本', '', '对社会发展可能造成的负面影响', '定性', '', '社会调查', 1),
  ('', '成本指标', '生态环境成本', '', '对生态环境可能造成的负面影响', '定性', '', '环境评估', 1),
  ('', '产出指标', '数量指标', '', '培训人数', '≥', '人', '培训签到表', 1),
  ('', '产出指标', '数量指标', '', '完成项目数量', '≥', '个', '验收资料', 1),
  ('', '产出指标', '质量指标', '', '验收合格率', '≥', '%', '验收报告', 1),
  ('', '产出指标', '时效指标', '', '项目完成及时率', '≥', '%', '进度台账', 1),
  ('', '效益指标', '经济效益指标', '', '带动增收', '≥', '万元', '统计报表', 1),
  ('', '效益指标', '社会效益指标', '', '服务群众覆盖率', '≥', '%', '服务台账', 1),
  ('', '效益指标', '生态效益指标', '', '生态环境改善情况', '定性', '', '现场核查', 1),
  ('', '效益指标', '可持续影响指标', '', '长效管护机制建立情况', '定性', '', '制度文件', 1),
  ('', '满意度指标', '服务对象满意度指标', '', '服务对象满意度', '≥', '%', '问卷调查', 1),
  ('personnel', '产出指标', '数量指标', '', '保障在职人数', '=', '人', '人员编制台账', 1),
  ('personnel', '成本指标', '经济成本', '单位成本', '人均人员经费', '≤', '万元/人', '总成本除以保障人数', 1),
  ('public_funds', '产出指标', '数量指标', '', '保障机构运转天数', '=', '天', '运转记录', 1),
  ('public_funds', '成本指标', '经济成本', '单位成本', '人均公用经费', '≤', '元/人', '总成本除以在编人数', 1),
  ('special_fund', '产出指标', '数量指标', '', '补助对象数量', '≥', '户', '补助发放名册', 1),
  ('special_fund', '成本指标', '经济成本', '单位成本', '户均补助标准', '≤', '元/户', '总成本除以补助户数', 1),
  ('special_fund', '产出指标', '质量指标', '', '资金发放准确率', '=', '%', '发放记录核对', 1),
  ('other_special', '产出指标', '数量指标', '', '建设工程数量', '≥', '处', '竣工验收资料', 1),
  ('other_special', '成本指标', '经济成本', '单位成本', '单位工程造价', '≤', '万元/处', '总成本除以工程数量', 1);

-- The roles of budget performance. budget.* permissions belong to no administrative class.
INSERT INTO role(name, title, builtin) VALUES
  ('budget_applicant', '预算编报人员（部门财务）', 1),
  ('budget_dept_head', '预算单位负责人', 1),
  ('budget_reviewer', '财政预算绩效审核人员', 1),
  ('budget_third_party', '第三方评审人员', 1),
  ('budget_approver', '预算批复人员', 1);
INSERT INTO role_perm(role_id, perm)
  SELECT role.id, p.value FROM role, json_each('["unit.read","budget.read","budget.apply"]') p WHERE name = 'budget_applicant'
  UNION ALL
  SELECT role.id, p.value FROM role, json_each('["unit.read","budget.read","budget.dept_approve"]') p WHERE name = 'budget_dept_head'
  UNION ALL
  SELECT role.id, p.value FROM role, json_each('["unit.read","budget.read","budget.review","budget.library"]') p WHERE name = 'budget_reviewer'
  UNION ALL
  SELECT role.id, p.value FROM role, json_each('["budget.third_party"]') p WHERE name = 'budget_third_party'
  UNION ALL
  SELECT role.id, p.value FROM role, json_each('["unit.read","budget.read","budget.approve"]') p WHERE name = 'budget_approver'
  UNION ALL
  SELECT role.id, 'budget.read' FROM role WHERE name = 'leader';
