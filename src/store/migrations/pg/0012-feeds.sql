-- 0012: reaching people where they work, part 2 (#17 items 5–7): how a working-day deadline
-- was counted (so that it is counted again when the year's holiday notice arrives), private
-- calendar feed tokens, and the problems the supervising side made public.

-- A deadline counted in working days over a year without a notice: its start and count.
-- Written when such a deadline is set, read and removed when the year is imported.
CREATE TABLE deadline_basis (
  flow      TEXT NOT NULL,               -- 'problem'
  item_id   BIGINT NOT NULL,
  slot      TEXT NOT NULL,               -- 'deadline'
  start_on  TEXT NOT NULL,               -- YYYY-MM-DD: the day counting starts after
  workdays  BIGINT NOT NULL CHECK (workdays > 0),
  PRIMARY KEY (flow, item_id, slot)
);

-- A user's private ICS feed: one token at a time, kept as a hash (hex) of the secret.
CREATE TABLE feed_token (
  user_id      BIGINT PRIMARY KEY REFERENCES "user"(id),
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT
);

-- Problems shown on the public results page (可公开、可查询), with the result text written
-- for the public by whoever made it public (never the internal verification text).
CREATE TABLE problem_public (
  problem_id  BIGINT PRIMARY KEY REFERENCES problem(id),
  result      TEXT NOT NULL DEFAULT '',
  marked_by   BIGINT NOT NULL REFERENCES "user"(id),
  marked_at   BIGINT NOT NULL
);

-- The supervising side (督查经办人) decides what is public.
INSERT INTO role_perm(role_id, perm) SELECT id, 'problem.publish' FROM role WHERE name = 'operator';
