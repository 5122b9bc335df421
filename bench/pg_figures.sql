-- The figures baseline on PostgreSQL (make bench DB=pg): bench/sql.c's two dashboard queries by
-- unit over the whole province, in PostgreSQL's dialect, in one read transaction; psql runs it
-- five times with \timing and bench/lib.sh takes the best round (the sum of its four times).
\o /dev/null
\timing on
BEGIN;
SELECT CASE WHEN n.path = '/1/' THEN '0' ELSE substr(n.path, length('/1/') + 1,
       strpos(substr(n.path, length('/1/') + 1), '/') - 1) END AS k, count(*),
       count(*) FILTER (WHERE p.state = 'closed'), count(*) FILTER (WHERE p.state <> 'closed'),
       count(*) FILTER (WHERE p.overdue = 1 AND p.state <> 'closed'),
       count(*) FILTER (WHERE p.reopened > 0)
  FROM problem p JOIN unit n ON n.id = p.unit_id GROUP BY k ORDER BY k;
SELECT CASE WHEN n.path = '/1/' THEN '0' ELSE substr(n.path, length('/1/') + 1,
       strpos(substr(n.path, length('/1/') + 1), '/') - 1) END AS k, p.found_on, p.closed_at
  FROM problem p JOIN unit n ON n.id = p.unit_id WHERE p.state = 'closed';
COMMIT;
