-- A session remembers the browser that opened it (its User-Agent, cut to 200 characters), so
-- that "my sessions" can show each one by device, address and last use (等保: 会话管理).
ALTER TABLE session ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
