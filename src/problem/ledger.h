/*
 * ledger — the problem list as the 台账 offices keep in Excel: export to XLSX or CSV with
 * their columns (序号, 问题来源, 问题类别, 问题描述, 发现时间, 责任单位, 配合单位, 责任领导,
 * 责任人, 整改措施, 整改目标, 完成时限, 整改方式, 进展情况, 状态, 核查情况, 销号时间, 备注,
 * and duban's 问题标题 last), and import of the same, so an export imported again reproduces
 * the same problems.
 *
 * Import checks every row first and reports each bad one (row, column, reason); nothing is
 * written if any row fails unless skip_bad is set. Columns are found by their header, in any
 * order; 序号 and unknown columns are ignored. A row marked 已销号 must carry its 核查情况 and
 * 销号时间: nothing is closed, even by import, without a recorded verification.
 */
#ifndef DUBAN_LEDGER_H
#define DUBAN_LEDGER_H

#include "core/app.h"
#include "flow/calendar.h"
#include "io/sheet.h"
#include "problem/problem_store.h"

typedef enum { LEDGER_XLSX, LEDGER_CSV } ledger_format;

/* Follows a 完成时限 counted on weekends alone (its year's holiday notice not imported yet);
 * an import reading its own export drops it. */
#define LEDGER_ESTIMATED CALENDAR_ESTIMATED_MARK

/* Writes the problems matching f that p may see; *bytes is a heap buffer (free it). */
err_code ledger_export(app *ap, const principal *p, const store_problem_filter *f,
                       ledger_format fmt, char **bytes, size_t *len, char *err, size_t errlen);

/* An import's report: the rows read, imported and skipped, and each fault (io/sheet.h). */
typedef sheet_fault ledger_fault;
typedef sheet_report ledger_report;

/*
 * Imports a ledger (strings in a, which must outlive the report). Returns E_OK when rows were
 * imported (or, with faults and no skip_bad, E_FIELD_INVALID with nothing written);
 * E_FORBIDDEN never: rows for units out of p's reach are faults.
 */
err_code ledger_import(app *ap, arena *a, const principal *p, const void *data, size_t len,
                       ledger_format fmt, int skip_bad, ledger_report *rep);

#endif
