-- The PostgreSQL text of migrations/sqlite/ of the same number: one schema, in this engine's types.
-- 0005: indexes for the scheduler's sweeps, which run inside the write transaction on every
-- tick, so that a tick never reads the rows of problems it has nothing to say about.
--
-- The overdue sweep looks for open problems whose deadline lapsed and was not yet announced.
-- With only problem_open_deadline it read the row of every open problem past its deadline,
-- announced or not (150k rows on the 1M benchmark database). This index holds only the
-- unannounced ones.
CREATE INDEX problem_unannounced ON problem(deadline)
  WHERE state <> 'closed' AND coalesce(overdue_notified, '') <> deadline;
-- The staged-result sweep (持续推进 problems owing a staged result) read every row.
CREATE INDEX problem_staged_due ON problem(staged_due)
  WHERE mode = 'ongoing' AND state <> 'closed' AND staged_done = 0;
