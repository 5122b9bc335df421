/*
 * cli — what every subcommand shares: option parsing over the settings table, opening the
 * app, and printing errors. Each subcommand lives in its own file and uses the same
 * mechanisms as the API, acting as the system principal ("cli:<os user>").
 *
 * Options: a command declares its own (--name VALUE or boolean --flag); any setting from
 * config.h is accepted as --setting VALUE; --config FILE picks a config file. Unknown options
 * and bad values are refused, naming them. Exit codes: 0 done, 1 failed, 2 usage error.
 */
#ifndef DUBAN_CLI_H
#define DUBAN_CLI_H

#include "base/config.h"
#include "base/err.h"
#include "core/app.h"
#include "core/mech.h"

enum { CLI_MAX_OPTS = 12, CLI_MAX_ARGS = 8 };

typedef struct {
    const char *name; /* without the dashes */
    int takes_value;
    const char *help;
} cli_opt;

typedef struct {
    const char *name;    /* "user add" */
    const char *usage;   /* "LOGIN --name NAME --unit CODE" */
    const char *summary; /* one line */
    const cli_opt *opts; /* NULL-terminated by name, or NULL */
    int min_args, max_args;
} cli_spec;

typedef struct {
    config cfg;
    const char *values[CLI_MAX_OPTS]; /* by index into spec->opts; "1" for a set flag */
    char *args[CLI_MAX_ARGS];
    int nargs;
} cli_ctx;

/*
 * Parses argv (after the subcommand words) against spec and the settings. Returns 0, 2 after
 * printing a usage error, or 1 when --help was printed (the caller then exits 0). Unless it
 * returns 0, c holds nothing to free.
 */
int cli_parse(const cli_spec *spec, int argc, char **argv, cli_ctx *c);
/* The value of option name, or NULL. */
const char *cli_opt_value(const cli_spec *spec, const cli_ctx *c, const char *name);
/*
 * The --version N a command that changes a versioned record requires (the version its `show`
 * printed), so that a change made since is refused rather than overwritten: N, or 0 after
 * saying on stderr why it is needed (the caller then exits 2).
 */
int64_t cli_required_version(const cli_spec *spec, const cli_ctx *c);
void cli_free(cli_ctx *c);
/* Prints the spec's help to stdout. */
void cli_help(const cli_spec *spec);
/* Opens the app for c's settings; prints the reason and returns -1 on failure. */
int cli_open(cli_ctx *c, app *ap);
/*
 * The user whose login is login as a principal with their grants (strings in a), for a
 * command acting or reading in a user's name (--as LOGIN): E_NOT_FOUND when there is none,
 * E_ACCOUNT_DISABLED for a locked account (as through the API).
 */
err_code cli_as_user(app *ap, arena *a, const char *login, principal *p);
/* Prints "duban CMD: [field: ]message (code)" for an error; returns 1. */
int cli_fail(const char *cmd, err_code e, const char *field);
/* Reads one line (a password) from stdin into buf without the newline; -1 if none. */
int cli_read_line(char *buf, size_t n);

/* Prints s left-aligned in a column `width` terminal cells wide (CJK characters take two). */
void cli_cell(const char *s, int width);

/* Dispatch for a command with sub-commands such as "user add": runs the matching entry. */
typedef mech_cmd cli_sub;
int cli_dispatch(const char *group, const cli_sub *subs, int argc, char **argv);

/*
 * Runs `duban WORDS…` (argv without the program name): the CLI's own commands and every
 * registered mechanism's (commands.c).
 */
int cli_main(int argc, char **argv);

/* The CLI's own subcommands (one file each); mechanisms' live in their folders. */
int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_tick(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_move(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_demo(int argc, char **argv);

#endif
