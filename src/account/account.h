/*
 * account — logging in and out, recognising a session or API token on each request, changing
 * one's own password, and API tokens for machine clients.
 *
 * Sessions (等保 level 3): a fresh random id at every login (only its hash is stored), a CSRF
 * token per session, an idle timeout and an absolute lifetime from the settings, and logout
 * deletes the session on the server. Failed logins count per address, overall, per (account,
 * address) pair and per account (see throttle.h); every failed login gets one answer,
 * E_BAD_CREDENTIALS, whatever the reason (unknown login, wrong password, disabled, locked),
 * after the same password hash, and the reason goes to the audit log only. Every login,
 * failure, lockout and logout is audited, and a failed attempt commits its audit record even
 * though the login is refused.
 */
#ifndef DUBAN_ACCOUNT_H
#define DUBAN_ACCOUNT_H

#include "auth/authz.h"
#include "auth/secret.h"
#include "core/app.h"

/* What a session's CSRF token is derived under (secret_derive of the session id). */
#define SESSION_CSRF_LABEL "duban csrf v1"

typedef struct {
    const char *login, *password, *ip;
    const char *user_agent; /* the browser's User-Agent (may be NULL); shown in "my sessions" */
} account_login_input;

typedef struct {
    char session[SECRET_TEXT], csrf[SECRET_TEXT];
    store_user user;
    int64_t retry_after; /* with E_LOGIN_THROTTLED: seconds the caller's address must wait */
} account_login_result;

/* E_OK, E_BAD_CREDENTIALS for every failure, or E_LOGIN_THROTTLED (out->retry_after). */
err_code account_login(app *ap, arena *a, const account_login_input *in,
                       account_login_result *out);
/* Ends the session whose cookie value is token. */
err_code account_logout(app *ap, arena *a, const principal *p, const char *token);

/*
 * Recognises a session cookie: fills *p (with grants) and *csrf, the session's CSRF token,
 * derived from the session id under SESSION_CSRF_LABEL (so the database holds neither). E_UNAUTHENTICATED when there
 * is no such session, E_SESSION_EXPIRED when it timed out (it is then deleted).
 */
err_code account_session(app *ap, arena *a, const char *token, const char *ip, principal *p,
                         const char **csrf);
/* Recognises an API token ("Authorization: Bearer dbt_…"). */
err_code account_bearer(app *ap, arena *a, const char *token, const char *ip, principal *p);

/*
 * Changes p's own password after checking the old one (a wrong one counts towards the
 * lockout) and the policy; ends the account's other sessions (all but the one whose cookie
 * value is token, which may be NULL) and revokes its API tokens.
 */
err_code account_change_password(app *ap, arena *a, const principal *p, const char *token,
                                 const char *old_pw, const char *new_pw,
                                 const char **bad_field);

/* The device label a session keeps: the User-Agent cut to 200 printable ASCII characters. */
const char *account_device(arena *a, const char *user_agent);

/* One of an account's sessions as its owner sees it: never the session id itself. */
typedef struct {
    char id[25];      /* a public handle: hex of the first 12 bytes of the id's hash */
    const char *ip, *user_agent;
    int64_t created_at, last_seen;
    int current; /* the session whose cookie is token */
} account_session_row;

/* p's own sessions, the most recently used first; token (may be NULL) marks the current one. */
err_code account_sessions(app *ap, arena *a, const principal *p, const char *token,
                          account_session_row **out, size_t *n);
/* Ends p's session with the public handle id (E_NOT_FOUND if p has none such); audited. */
err_code account_session_end(app *ap, arena *a, const principal *p, const char *id);
/* Ends all p's sessions but the current one (token); *ended counts them; audited. */
err_code account_sessions_end_others(app *ap, arena *a, const principal *p, const char *token,
                                     int64_t *ended);

/* Creates an API token for p; the secret (shown once) goes to secret. */
err_code account_token_create(app *ap, arena *a, const principal *p, const char *name,
                              store_token *out, char secret[SECRET_TEXT + 8]);
err_code account_token_revoke(app *ap, arena *a, const principal *p, int64_t id);

#endif
