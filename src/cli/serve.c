/*
 * serve — `duban serve`: creates the database on first start (printing the administrators'
 * one-time passwords), then serves HTTP until SIGINT or SIGTERM, when it stops accepting,
 * lets requests in flight finish (up to 10 s) and closes the database cleanly.
 */
#include "cli/cli.h"

#include "base/log.h"
#include "core/scheduler.h"
#include "notify/notify.h"
#include "core/setup.h"
#include "base/clock.h"
#include "http/http.h"
#include "core/mech.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const cli_spec spec = {
    "serve",
    "[--listen ADDR:PORT] [--db PATH]",
    "Serves the web UI and the JSON API. On first start creates the database and prints the\n"
    "administrators' one-time passwords.",
    NULL,
    0,
    0,
};

/* mkdir -p of the directory that will hold path. */
static int ensure_parent_dir(const char *path)
{
    if (config_db_postgres(path)) return 0; /* a server, not a file */
    char *dir = xstrdup(path);
    char *slash = strrchr(dir, '/');
    int rc = 0;
    if (slash && slash != dir) {
        *slash = 0;
        for (char *p = dir + 1;; p++) {
            if (*p != '/' && *p != 0) continue;
            char c = *p;
            *p = 0;
            if (mkdir(dir, 0750) && errno != EEXIST) rc = -1;
            *p = c;
            if (!c) break;
        }
    }
    free(dir);
    return rc;
}

int cmd_serve(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    char err[512];
    app ap;
    http_server *srv = NULL;
    rc = 1;
    int initialised = setup_initialised(&c.cfg, err, sizeof err);
    if (initialised < 0) {
        fprintf(stderr, "duban serve: %s\n", err);
        goto out;
    }
    if (!initialised) {
        ensure_parent_dir(c.cfg.db);
        if (setup_init(&c.cfg, stdout, err, sizeof err)) {
            fprintf(stderr, "duban serve: %s\n", err);
            goto out;
        }
    }
    if (cli_open(&c, &ap)) goto out;

    /* Block the signals in every thread; the main thread waits for them below. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    srv = http_start(&ap, err, sizeof err);
    if (!srv) {
        fprintf(stderr, "duban serve: %s\n", err);
        app_close(&ap);
        goto out;
    }
    scheduler *sched = scheduler_start(&ap);
    if (!sched) log_warn("cannot start the scheduler thread: run 'duban tick' from cron");
    /* the outbox worker: every instance sends (rows are claimed under a lease) */
    notify_worker *outbox = notify_worker_start(ap.st);
    if (!outbox) log_warn("cannot start the outbox worker: outbound messages wait");
    char label[512];
    config_db_label(c.cfg.db, label, sizeof label);
    log_info("duban %s serving http://%s (database %s)", DUBAN_VERSION, c.cfg.listen, label);
    printf("duban: serving http://%s\n", c.cfg.listen);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    log_info("received %s: finishing requests in flight", sig == SIGINT ? "SIGINT" : "SIGTERM");
    http_stop(srv, 10000);
    scheduler_stop(sched);
    notify_worker_stop(outbox);
    app_close(&ap);
    log_info("stopped cleanly");
    rc = 0;
out:
    cli_free(&c);
    return rc;
}

static const cli_spec init_spec = {
    "init",
    "[--db PATH] [--county NAME]",
    "Creates a new database, its audit key (<db>.key, mode 0600), the root unit and the three\n"
    "administrators of 三员分立: admin (系统管理员), secadmin (安全管理员), auditor (审计管理员).\n"
    "Passwords come from DUBAN_ADMIN_PASSWORD, DUBAN_SECADMIN_PASSWORD and DUBAN_AUDITOR_PASSWORD\n"
    "when set; otherwise one-time passwords are printed and must be changed at first login.",
    NULL,
    0,
    0,
};

int cmd_init(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&init_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    char err[512];
    ensure_parent_dir(c.cfg.db);
    rc = 0;
    if (setup_init(&c.cfg, stdout, err, sizeof err)) {
        fprintf(stderr, "duban init: %s\n", err);
        rc = 1;
    }
    cli_free(&c);
    return rc;
}

static const cli_spec tick_spec = {
    "tick",
    "[--db PATH]",
    "Runs the scheduler once: flags overdue problems, sends reminders and escalations, creates\n"
    "this month's look-back tasks. For cron when the server's own scheduler is not wanted;\n"
    "running it twice notifies once.",
    NULL,
    0,
    0,
};

int cmd_tick(int argc, char **argv)
{
    cli_ctx c;
    int rc = cli_parse(&tick_spec, argc, argv, &c);
    if (rc) return rc == 1 ? 0 : rc;
    app ap;
    rc = 1;
    if (!cli_open(&c, &ap)) {
        char line[2048];
        int acted;
        err_code e = mech_tick_all(&ap, clock_now(), line, sizeof line, &acted);
        if (e == E_OK) {
            printf("tick: %s\n", line);
            rc = 0;
        } else {
            rc = cli_fail("tick", e, NULL);
        }
        app_close(&ap);
    }
    cli_free(&c);
    return rc;
}
