/*
 * app — the process-wide things every command and request uses: the settings, the open store
 * and the audit key. Opened once by `duban serve` or a CLI command, shared read-only after.
 */
#ifndef DUBAN_APP_H
#define DUBAN_APP_H

#include "audit/audit.h"
#include "auth/authz.h"
#include "base/config.h"
#include "flow/calendar.h"
#include "flow/flow.h"
#include "store/store.h"

#include <jansson.h>
#include <stddef.h>

enum { APP_MAX_FLOWS = 16 };

typedef struct app {
    config cfg; /* borrowed from the caller, who keeps it alive */
    store *st;
    audit *au;
    /* built-in holiday years plus those imported into the database; replaced whole (never
     * changed in place) when another process imports a year (app_refresh_calendar) */
    calendar *_Atomic cal;
    size_t cal_years;      /* the database's years that cal was built with */
    calendar **cal_retired; /* earlier ones, freed at app_close: a request may still hold one */
    size_t ncal_retired;
    /* every mechanism's flows (core/mech.h), built in or from the flows_dir setting */
    const char *flow_names[APP_MAX_FLOWS];
    flow_def *flows[APP_MAX_FLOWS];
    size_t nflows;
    char *files_dir; /* evidence files, content-addressed */
} app;

/*
 * Opens the database (which must exist and be initialised), the audit key, the calendar and
 * the flow definitions, checking each; on failure err names the file and the fault.
 */
int app_open(app *ap, const config *cfg, char *err, size_t errlen);
/* The store cfg names, opened with its settings (pool sizes, timeouts) and migrated. */
store *app_store_open(const config *cfg, int create, char *err, size_t errlen);
void app_close(app *ap);

/*
 * Rebuilds the calendar when the database holds other years than it was built with (a year
 * imported by `duban calendar import`, or through another instance on the same database).
 * The scheduler thread of every instance calls it each tick. 1 when it changed, 0 when not,
 * -1 on a fault (logged; the old calendar stays).
 */
int app_refresh_calendar(app *ap);

/* The flow a mechanism registered under name ("problem"); NULL when none is. */
const flow_def *app_flow(const app *ap, const char *name);

/*
 * Writes the archive of the local days from_day..to_day (strict "YYYY-MM-DD", inclusive;
 * either NULL: open) to out (audit_archive), then records "audit.archive" by p with the range,
 * the seqs and the digest. E_INVALID with *field ("from" or "to") for a bad date or a range
 * that ends before it starts.
 */
err_code app_audit_archive(app *ap, const principal *p, const char *from_day, const char *to_day,
                           FILE *out, audit_archive_info *info, const char **field);

/*
 * The free space left for the audit log: on SQLite, statvfs of the database's directory
 * against audit_disk_warn_mb; on PostgreSQL the DBA watches the disk (monitored 0).
 */
typedef struct {
    int monitored; /* 1: SQLite with a threshold set, and the directory was read */
    int low;       /* monitored and free < threshold */
    int64_t free_bytes, threshold_bytes;
} app_disk;
void app_audit_disk(const app *ap, app_disk *out);

/* Appends an audit record for principal p within tx (detail: a JSON object taken, or NULL). */
err_code app_audit(app *ap, store_tx *tx, arena *a, const principal *p, const char *action,
                   const char *object, json_t *detail);

/*
 * Records a refused attempt (permission refusal) in its own transaction, since the refused
 * change itself was rolled back.
 */
void app_audit_refusal(app *ap, const principal *p, err_code why, const char *action,
                       const char *object);

#endif
