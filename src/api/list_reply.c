/*
 * list_reply — the replies shared by list and import endpoints. A list answers {items,total}
 * as JSON, or, when the request's path ends in /export.xlsx, the same items as an Excel sheet
 * whose columns are the given keys under their Chinese titles, so a list and its export always
 * hold the same records. An import answers its report, or 400 with the report as details.
 */
#include "api/api.h"

#include "core/mech.h"

#include "io/xlsx.h"

#include <stdio.h>
#include <string.h>

int api_wants_xlsx(http_req *r)
{
    const char *path = http_path(r);
    size_t n = strlen(path), k = strlen("/export.xlsx");
    return n > k && strcmp(path + n - k, "/export.xlsx") == 0;
}

err_code api_list_page(http_req *r, int64_t def, int64_t *limit, int64_t *offset)
{
    enum { PAGE_MAX = 500, EXPORT_MAX = 100000 };
    int xlsx = api_wants_xlsx(r);
    err_code e =
        http_query_int(r, "limit", xlsx ? EXPORT_MAX : def, 1, xlsx ? EXPORT_MAX : PAGE_MAX, limit);
    return e == E_OK ? http_query_int(r, "offset", 0, 0, INT64_MAX, offset) : e;
}

err_code api_read_filtered(http_req *r, store_fn fn, void *ctx)
{
    err_code e =
        mech_read(http_app(r), http_principal(r), http_route_perm(r), http_path(r), fn, ctx);
    return e == E_NOT_FOUND ? http_fail(r, E_BAD_QUERY, "unit_id") : e;
}

err_code api_unit_only(http_req *r, int64_t unit_id, int *out)
{
    err_code e = http_query_flag(r, "unit_only", 0, out);
    return e == E_OK && *out && !unit_id ? http_fail(r, E_BAD_QUERY, "unit_only") : e;
}

/* A JSON value as the text of a cell. */
static const char *cell_text(arena *a, json_t *v)
{
    if (json_is_string(v)) return json_string_value(v);
    if (json_is_integer(v)) return arena_sprintf(a, "%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) return arena_sprintf(a, "%.4g", json_real_value(v));
    if (json_is_true(v)) return "是";
    if (json_is_false(v)) return "否";
    return "";
}

static err_code reply_xlsx(http_req *r, json_t *items, const api_column *cols, size_t ncols,
                           const char *title)
{
    char err[256] = "";
    xlsx_writer *w = xlsx_writer_new(title, err, sizeof err);
    if (!w) return E_INTERNAL;
    const char *cells[32];
    if (ncols > 32) ncols = 32;
    for (size_t c = 0; c < ncols; c++)
        cells[c] = cols[c].title;
    int bad = xlsx_writer_header(w, cells, ncols);
    size_t i;
    json_t *item;
    json_array_foreach(items, i, item)
    {
        if (bad) break;
        for (size_t c = 0; c < ncols; c++)
            cells[c] = cell_text(http_arena(r), json_object_get(item, cols[c].key));
        bad = xlsx_writer_row(w, cells, ncols);
    }
    char *bytes = NULL;
    size_t len = 0;
    if (!bad) bad = xlsx_writer_finish(w, &bytes, &len);
    if (bad) fprintf(stderr, "duban: export %s: %s\n", title, xlsx_writer_error(w));
    xlsx_writer_free(w);
    json_decref(items);
    if (bad) return E_INTERNAL;
    return http_reply_download(r,
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               bytes, len, arena_sprintf(http_arena(r), "%s.xlsx", title));
}

err_code api_reply_list(http_req *r, json_t *items, int64_t total, const api_column *cols,
                        size_t ncols, const char *title)
{
    if (api_wants_xlsx(r)) return reply_xlsx(r, items, cols, ncols, title);
    return http_reply(r, 200, json_pack("{so sI}", "items", items, "total", (json_int_t)total));
}

json_t *api_import_report_json(const sheet_report *rep)
{
    json_t *faults = json_array();
    for (size_t i = 0; i < rep->nfaults; i++) {
        const sheet_fault *f = &rep->faults[i];
        json_t *j = json_pack("{sI ss}", "row", (json_int_t)f->row, "reason", f->reason);
        json_object_set_new(j, "column", f->column ? json_string(f->column) : json_null());
        json_array_append_new(faults, j);
    }
    json_t *j =
        json_pack("{sI sI sI so}", "rows", (json_int_t)rep->rows, "imported",
                  (json_int_t)rep->imported, "skipped", (json_int_t)rep->skipped, "faults", faults);
    json_object_set_new(j, "fatal", rep->fatal[0] ? json_string(rep->fatal) : json_null());
    return j;
}

/* The reply of an import: the report, or 400 naming the bad rows (nothing was written). */
err_code api_reply_import(http_req *r, err_code e, const sheet_report *rep)
{
    if (e == E_FIELD_INVALID) {
        http_set_message(r, rep->fatal[0] ? arena_strdup(http_arena(r), rep->fatal)
                                          : arena_sprintf(http_arena(r),
                                                          "有 %zu 行不符合要求，未导入任何数据；"
                                                          "请按报告修改后重新导入",
                                                          rep->nfaults));
        http_set_error_details(r, api_import_report_json(rep));
        return http_fail(r, e, "file");
    }
    if (e != E_OK) return e;
    return http_reply(r, 200, api_import_report_json(rep));
}
