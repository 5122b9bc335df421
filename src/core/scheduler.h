/*
 * scheduler — the background thread of `duban serve` that runs each mechanism's tick (overdue
 * flags, reminders, look-back tasks) at start and then every `tick_interval` seconds. Of
 * several instances on one PostgreSQL database only the one holding the scheduler's role
 * (store_leader) ticks; when it dies, the next to try takes the role over. A tick is a series
 * of write transactions, each idempotent, so one killed half-way is finished by the next.
 * `duban tick` (scheduler_run_once) runs at once, wherever it is asked.
 */
#ifndef DUBAN_SCHEDULER_H
#define DUBAN_SCHEDULER_H

#include "core/app.h"

typedef struct scheduler scheduler;

/* Starts the thread; NULL when it cannot be started. */
scheduler *scheduler_start(app *ap);
/* Stops the thread, waiting for a tick in progress to finish; accepts NULL. */
void scheduler_stop(scheduler *s);
/* Runs every mechanism's tick once, now (core/mech.h); returns the first error. */
err_code scheduler_run_once(app *ap);

#endif
