/*
 * problem_ledger — the ledger (台账) in and out: GET /problems/export.xlsx|.csv writes exactly
 * what the list filter shows; POST /problems/import takes an XLSX or CSV file (the bytes as
 * the body) and answers with a report per bad row.
 */
#include "problem/problem_int.h"

#include "base/clock.h"
#include "problem/ledger.h"

#include <string.h>

static err_code export(http_req *r, ledger_format fmt)
{
    store_problem_filter f;
    err_code e = api_problem_filter(r, &f);
    if (e != E_OK) return e;
    if (!authz_has(http_principal(r), "problem.read")) return E_FORBIDDEN;
    char *bytes = NULL, err[256] = "";
    size_t len = 0;
    e = ledger_export(http_app(r), http_principal(r), &f, fmt, &bytes, &len, err, sizeof err);
    if (e != E_OK) {
        fprintf(stderr, "duban: export failed: %s\n", err);
        return e;
    }
    char day[11];
    cal_format(cal_local_day(clock_now()), day);
    const char *name =
        arena_sprintf(http_arena(r), "问题清单-%s.%s", day, fmt == LEDGER_XLSX ? "xlsx" : "csv");
    const char *type = fmt == LEDGER_XLSX
                           ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                           : "text/csv; charset=utf-8";
    return http_reply_download(r, type, bytes, len, name);
}

err_code api_problems_export_xlsx(http_req *r)
{
    return export(r, LEDGER_XLSX);
}

err_code api_problems_export_csv(http_req *r)
{
    return export(r, LEDGER_CSV);
}

/* The format from ?format=, else from the bytes (an XLSX file is a zip). */
static err_code format_of(http_req *r, ledger_format *out)
{
    static const char *const names[] = {[LEDGER_CSV] = "csv", [LEDGER_XLSX] = "xlsx"};
    int f;
    err_code e = http_query_choice(r, "format", names, sizeof names / sizeof *names, -1, &f);
    const unsigned char *b = http_body(r);
    if (f < 0)
        f = http_body_len(r) >= 4 && memcmp(b, "PK\x03\x04", 4) == 0 ? LEDGER_XLSX : LEDGER_CSV;
    *out = (ledger_format)f;
    return e;
}

err_code api_problems_import(http_req *r)
{
    if (!authz_has(http_principal(r), "problem.register")) return E_FORBIDDEN;
    int skip_bad;
    ledger_format format;
    err_code e = http_query_flag(r, "skip_bad", 0, &skip_bad);
    if (e == E_OK) e = format_of(r, &format);
    if (e != E_OK) return e;
    if (http_body_len(r) == 0) return http_fail(r, E_FIELD_REQUIRED, "file");
    ledger_report rep;
    e = ledger_import(http_app(r), http_arena(r), http_principal(r), http_body(r), http_body_len(r),
                      format, skip_bad, &rep);
    return api_reply_import(r, e, &rep);
}
