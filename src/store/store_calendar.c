/* store_calendar — holiday years added to the built-in calendar by `duban calendar import`. */
#include "store/store_int.h"

err_code store_calendar_years(store_tx *tx, arena *a, store_calendar_year **out, size_t *n)
{
    static const char sql[] = "SELECT year, notice, source FROM calendar_year ORDER BY year";
    sqlite3_stmt *st = sq_prep(tx, sql);
    size_t cap = 0;
    *n = 0;
    *out = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_calendar_year *y = sq_push(a, (void **)out, n, &cap, sizeof *y);
        y->year = sqlite3_column_int64(st, 0);
        y->notice = sq_text(a, st, 1);
        y->source = sq_text(a, st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? E_OK : sq_err(tx, rc);
}

err_code store_calendar_year_insert(store_tx *tx, int64_t year, const char *notice,
                                    const char *source)
{
    static const char sql[] = "INSERT INTO calendar_year(year, notice, source) VALUES (?, ?, ?)";
    sqlite3_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iss", year, notice, source);
    return sq_exec(tx, st);
}
