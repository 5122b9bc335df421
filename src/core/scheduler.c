/* scheduler — periodic ticks in a thread (see scheduler.h). */
#include "core/scheduler.h"

#include "base/clock.h"
#include "base/log.h"
#include "core/mech.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

struct scheduler {
    app *ap;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
};

err_code scheduler_run_once(app *ap)
{
    char line[2048];
    int acted;
    err_code e = mech_tick_all(ap, clock_now(), line, sizeof line, &acted);
    if (acted) log_info("tick: %s", line);
    return e;
}

/* The database-wide role of the instance that ticks (store_leader): several instances serve
 * one PostgreSQL database, and exactly one of them runs the scheduler at a time. */
enum { SCHEDULER_ROLE = 0x64756274 /* "dubt" */ };

static void *run(void *arg)
{
    scheduler *s = arg;
    int leading = -1; /* not yet asked: the first answer is logged either way */
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        pthread_mutex_unlock(&s->lock);
        app_refresh_calendar(s->ap); /* every instance: a year imported anywhere counts here */
        int now_leading = store_leader(s->ap->st, SCHEDULER_ROLE);
        if (now_leading != leading)
            log_info(now_leading ? "scheduler: this instance ticks"
                                 : "scheduler: another instance ticks; this one waits");
        leading = now_leading;
        if (leading) scheduler_run_once(s->ap);
        pthread_mutex_lock(&s->lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->ap->cfg.tick_interval;
        while (!s->stopping && pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT) {
        }
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

scheduler *scheduler_start(app *ap)
{
    scheduler *s = xcalloc(1, sizeof *s);
    s->ap = ap;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->wake);
        free(s);
        return NULL;
    }
    return s;
}

void scheduler_stop(scheduler *s)
{
    if (!s) return;
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    free(s);
}
