/*
 * org — the org tree and user accounts as mechanisms: every change checks the principal's
 * permission over the units it touches (inside the transaction, so the check and the change
 * see the same tree), keeps the unit history, and appends its audit record. The CLI and the
 * API both call these; neither writes units or users any other way.
 */
#ifndef DUBAN_ORG_H
#define DUBAN_ORG_H

#include "auth/authz.h"
#include "core/app.h"
#include "store/store.h"

typedef struct {
    const char *kind, *title;
} unit_kind;
/* The kinds of unit, ending with a NULL kind. */
extern const unit_kind org_unit_kinds[];
const char *org_unit_kind_title(const char *kind);

typedef struct {
    const char *code, *name, *kind;
    int64_t parent_id; /* 0 only for the root, which only init creates */
} org_unit_input;

/*
 * Each returns E_OK and fills *out with the unit as committed; *bad_field names a bad input.
 * A rename or move takes the version the caller saw (E_CONFLICT when the unit changed since,
 * E_VERSION_REQUIRED when 0); ORG_VERSION_ANY is for the system's own setup (the CLI acting
 * on a unit named by code, the demo).
 */
#define ORG_VERSION_ANY (-1)
err_code org_unit_add(app *ap, arena *a, const principal *p, const org_unit_input *in,
                      store_unit *out, const char **bad_field);
err_code org_unit_rename(app *ap, arena *a, const principal *p, int64_t id, const char *name,
                         int64_t version, store_unit *out, const char **bad_field);
err_code org_unit_move(app *ap, arena *a, const principal *p, int64_t id, int64_t parent_id,
                       int64_t version, store_unit *out, const char **bad_field);

typedef struct {
    const char *login, *name;
    int64_t unit_id;
    const char *password; /* NULL: generate a one-time password */
    int chosen;           /* 1: the operator chose the password for this user (scripts, demo):
                             no forced change at first login */
} org_user_input;

/*
 * Adds a user who must change the password at first login (unless in->chosen and a password
 * was given). When no password was given, the
 * generated one-time password is written to otp (else otp is ""). Either way the password
 * never reaches the audit log.
 */
err_code org_user_add(app *ap, arena *a, const principal *p, const org_user_input *in,
                      store_user *out, char otp[16], const char **bad_field);
/* Resets a password to password (or a generated one, into otp); ends the user's sessions. */
err_code org_user_reset_password(app *ap, arena *a, const principal *p, int64_t id,
                                 const char *password, char otp[16], const char **bad_field);
/* Locks (disables) or unlocks a user; unlocking also clears a failed-login lockout. */
err_code org_user_set_disabled(app *ap, arena *a, const principal *p, int64_t id, int disabled);
/*
 * Lifts the login locks of account id: the whole account's and those of its (account, address)
 * pairs (account/throttle.h). Needs user.unlock over the account's unit (the security
 * administrator's), whatever roles the account holds: a lifted lock gives p no power over it.
 */
err_code org_user_clear_lockout(app *ap, arena *a, const principal *p, int64_t id);

/* Validation shared with the importers: E_OK or the error for the field. */
err_code org_check_login(const char *login);
err_code org_check_name(const char *name, size_t max_chars);

/*
 * The unit a person typed into a spreadsheet: by code, by "名称（编码）", else by name when the
 * name is unique among units[0..n) (many townships have a 东街村); *ambiguous set when it is not.
 */
const store_unit *org_unit_by_text(const store_unit *units, size_t n, const char *s,
                                   int *ambiguous);

#endif
