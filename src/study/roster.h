/*
 * roster — the persons registry (人员名册) imported from an office's spreadsheet (CSV or XLSX):
 * columns 姓名, 单位, 职务, 职级, 是否党员; a report per bad row; all or nothing unless skip_bad.
 */
#ifndef DUBAN_ROSTER_H
#define DUBAN_ROSTER_H

#include "core/app.h"
#include "io/sheet.h"

/*
 * Imports persons (strings in a, which must outlive the report). E_OK when rows were imported
 * (or none were given); E_FIELD_INVALID with the faults in rep and nothing written when a row
 * is bad and skip_bad is 0, or when the file as a whole is (rep->fatal).
 */
err_code study_persons_import(app *ap, arena *a, const principal *p, const void *data, size_t len,
                              int xlsx, int skip_bad, sheet_report *rep);

#endif
