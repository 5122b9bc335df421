-- The PostgreSQL text of migrations/sqlite/ of the same number: one schema, in this engine's types.
-- 0004: indexes found wanting at a province's scale (bench/, docs/performance.md).
--
-- problem_state_id: a state filter walks one state's problems in id order, so the newest page
-- of "in progress" needs 20 index entries instead of sorting the whole state.
CREATE INDEX problem_state_id ON problem(state, id);
-- problem_figures: the dashboard's figures (counts by unit and state, overdue, reopened, and
-- the dates of closed problems) read only this index, never the rows with their long
-- descriptions. It starts with problem_unit_state's columns, which it replaces.
CREATE INDEX problem_figures ON problem(unit_id, state, overdue, reopened, found_on, closed_at);
DROP INDEX problem_unit_state;
-- user_grant_unit: who holds a permission over a unit is found from the unit's ancestors'
-- grants, not by reading every grant (the scheduler asks once per problem it notifies about).
CREATE INDEX user_grant_unit ON user_grant(unit_id);
