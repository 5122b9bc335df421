/*
 * setup — `duban init`: creates the database, the audit key, the root unit, the built-in roles
 * of 三员分立 and the three administrator accounts, all in one transaction.
 */
#ifndef DUBAN_SETUP_H
#define DUBAN_SETUP_H

#include "base/config.h"

#include <stdio.h>

/*
 * Initialises a new database at cfg->db. Passwords come from DUBAN_ADMIN_PASSWORD,
 * DUBAN_SECADMIN_PASSWORD and DUBAN_AUDITOR_PASSWORD when set (checked against the policy;
 * the operator chose them, so no forced change), else one-time passwords are generated,
 * printed to out, and must be changed at first login. Returns 0, or -1 with err.
 */
int setup_init(const config *cfg, FILE *out, char *err, size_t errlen);
/* 1 when cfg->db holds an initialised database (SQLite: the file exists; PostgreSQL: the
 * schema and its root unit are there), 0 when not, -1 with err when it cannot be told. */
int setup_initialised(const config *cfg, char *err, size_t errlen);

#endif
