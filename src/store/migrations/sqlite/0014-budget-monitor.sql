-- 0014: 执行监控 of approved budget projects (src/budget/monitor.h): the department's report as
-- of the end of a month (paid to date from the 批复 amount, in fen), its execution rate and the
-- time elapsed (permille), the flag 绿 黄 红 with the machine's reasons and the department's
-- explanation and measures, and the actual value reported for each indicator.
-- The PostgreSQL twin is migrations/pg/0014-budget-monitor.sql: keep both in step.

CREATE TABLE budget_monitor (
  id             INTEGER PRIMARY KEY,
  project_id     INTEGER NOT NULL REFERENCES budget_project(id),
  month          INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  spent          INTEGER NOT NULL CHECK (spent >= 0),   -- paid to date, fen
  exec_permille  INTEGER NOT NULL,                      -- spent / 批复金额
  time_permille  INTEGER NOT NULL,                      -- month / 12
  flag           TEXT NOT NULL CHECK (flag IN ('green','yellow','red')),
  reasons        TEXT NOT NULL DEFAULT '',              -- what the flag was raised for
  explanation    TEXT NOT NULL DEFAULT '',              -- 偏差原因
  measures       TEXT NOT NULL DEFAULT '',              -- 整改措施
  reported_by    INTEGER NOT NULL REFERENCES user(id),
  reported_at    INTEGER NOT NULL,
  UNIQUE (project_id, month)
);
CREATE INDEX budget_monitor_flag ON budget_monitor(flag, project_id);

CREATE TABLE budget_monitor_value (
  id            INTEGER PRIMARY KEY,
  monitor_id    INTEGER NOT NULL REFERENCES budget_monitor(id),
  indicator_id  INTEGER NOT NULL REFERENCES budget_indicator(id),
  actual        TEXT NOT NULL,                          -- as reported (a number, or a grade)
  completion    INTEGER NOT NULL,                       -- permille; -1 for 定性
  flag          TEXT NOT NULL CHECK (flag IN ('green','yellow','red'))
);
CREATE INDEX budget_monitor_value_monitor ON budget_monitor_value(monitor_id);

-- The thresholds: execution or completion behind the time schedule by more than this many points.
INSERT INTO budget_setting(name, value) VALUES
  ('monitor_yellow_points', 20), ('monitor_red_points', 40);
