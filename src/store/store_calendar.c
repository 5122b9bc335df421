/* store_calendar — holiday years added to the built-in calendar by `duban calendar import`. */
#include "store/sq.h"

/* One row of store_calendar_years. */
static void read_calendar_years(arena *a, sq_stmt *st, void *row)
{
    store_calendar_year *y = row;
    y->year = sq_int(st, 0);
    y->notice = sq_text(a, st, 1);
    y->source = sq_text(a, st, 2);
}

err_code store_calendar_years(store_tx *tx, arena *a, store_calendar_year **out, size_t *n)
{
    static const char sql[] = "SELECT year, notice, source FROM calendar_year ORDER BY year";
    sq_stmt *st = sq_prep(tx, sql);
    return sq_collect(tx, a, st, sizeof(store_calendar_year), read_calendar_years, (void **)out, n);
}

err_code store_calendar_year_insert(store_tx *tx, int64_t year, const char *notice,
                                    const char *source)
{
    static const char sql[] = "INSERT INTO calendar_year(year, notice, source) VALUES (?, ?, ?)";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "iss", year, notice, source);
    return sq_exec(tx, st);
}
