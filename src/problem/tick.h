/*
 * tick — the problem list's clock: what must happen because time passed. Run by the scheduler
 * thread of `duban serve` and by `duban tick` (for cron). In one transaction it
 *   - flags open problems whose deadline's local day has ended as overdue, notifies the
 *     handling unit, and escalates to the unit above and to the supervisors (the assigning side);
 *   - reminds the handling unit 3 working days before a deadline;
 *   - reminds when an assigned problem was not signed (签收) in time;
 *   - flags 持续推进 problems with no staged result (阶段性成效) three months after assignment;
 *   - at the first run of each month, gives each county-level leader the month's look-back
 *     (回头看) tasks over the closed problems they own.
 * Every notification has a dedupe key, so running it twice notifies once.
 */
#ifndef DUBAN_TICK_H
#define DUBAN_TICK_H

#include "core/app.h"
#include "problem/problem_store.h"

typedef struct {
    int overdue;       /* problems newly flagged overdue */
    int reminders;     /* due-soon problems notified about */
    int unsigned_;     /* assigned problems not signed in time */
    int staged;        /* 持续推进 problems without a staged result */
    int lookbacks;     /* look-back tasks created */
    int notifications; /* notifications created in all */
} problem_tick_report;

/* Runs the sweeps as of `now` (UTC seconds). */
err_code problem_tick(app *ap, int64_t now, problem_tick_report *out);

#endif
