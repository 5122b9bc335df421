-- A session's CSRF token is no longer kept: it is derived from the session id (HMAC-SHA256
-- under the id, auth/secret.h), which the database holds only as a hash. The tokens kept in
-- clear so far are wiped; a page open across the upgrade gets 403 csrf once and fetches the
-- derived token with GET /api/v1/session.
UPDATE session SET csrf = '';
