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

/* ---- how a working-day deadline was counted (deadline_basis) ---- */

err_code store_deadline_basis_set(store_tx *tx, const char *flow, int64_t item_id,
                                  const char *slot, const char *start_on, int64_t workdays)
{
    static const char del[] = "DELETE FROM deadline_basis WHERE flow = ? AND item_id = ? AND slot = ?";
    static const char ins[] = "INSERT INTO deadline_basis(flow, item_id, slot, start_on, workdays)"
                              " VALUES (?, ?, ?, ?, ?)";
    sq_stmt *st = sq_prep(tx, del);
    sq_bind(st, "sis", flow, item_id, slot);
    err_code e = sq_exec(tx, st);
    if (e != E_OK || !start_on) return e;
    st = sq_prep(tx, ins);
    sq_bind(st, "sissi", flow, item_id, slot, start_on, workdays);
    return sq_exec(tx, st);
}

err_code store_deadline_basis_get(store_tx *tx, arena *a, const char *flow, int64_t item_id,
                                  const char *slot, const char **start_on, int64_t *workdays)
{
    static const char sql[] = "SELECT start_on, workdays FROM deadline_basis"
                              " WHERE flow = ? AND item_id = ? AND slot = ?";
    sq_stmt *st = sq_prep(tx, sql);
    sq_bind(st, "sis", flow, item_id, slot);
    int rc = sq_step(st);
    if (rc == SQ_ROW) {
        *start_on = sq_text(a, st, 0);
        *workdays = sq_int(st, 1);
        return E_OK;
    }
    return rc == SQ_DONE ? E_NOT_FOUND : rc;
}
