-- 通报排名: the thresholds of the ranking's 红黄绿 marks, set by the problem list's administrator.
-- rate_* are solve rates in percent (at least green: 绿, at least yellow: 黄, else 红);
-- overdue_* counts of overdue problems and days_* average working days to close (at least
-- yellow: 黄, at least red: 红, else 绿).
CREATE TABLE problem_setting (
  key    TEXT PRIMARY KEY,
  value  INTEGER NOT NULL
);
INSERT INTO problem_setting(key, value) VALUES
  ('rank_rate_green', 90), ('rank_rate_yellow', 70),
  ('rank_overdue_yellow', 1), ('rank_overdue_red', 3),
  ('rank_days_yellow', 20), ('rank_days_red', 40);
