/*
 * liaison — united-front liaison and party-building alliances (统战联络、党建联盟,
 * MECHANISMS.md §6, and the 驻厂员 of §1): its public interface.
 *
 * The registers (representative persons with categories as data, key enterprises, contact
 * assignments, stations of cadres in enterprises, alliances with their members, departments,
 * teams, duty rotation, meetings and activities) are kept by a table-driven register engine
 * (reg.c); visits, the requests they send to the problem list, the visit plans and their
 * overdue periods, the figures and the scheduler's reminders have their own files.
 *
 * The visit plan is a pure function of an assignment (its frequency, whether it visits before
 * 春节 and 中秋, its period) and the working-day calendar, so it is unit-tested alone: a period
 * is a window of days in which one visit of each target is due by the window's last day; it is
 * overdue from the day after that last day while no visit of the target lies in the window.
 */
#ifndef DUBAN_LIAISON_H
#define DUBAN_LIAISON_H

#include "core/app.h"
#include "flow/calendar.h"

#include <stddef.h>
#include <stdint.h>

/* ---- visit plans (schedule.c) ---- */

typedef enum { LIAISON_QUARTERLY, LIAISON_HALF_YEAR, LIAISON_YEAR, LIAISON_NONE } liaison_freq;

/* The frequency for its code ("quarterly", "half_year", "year", "none"); -1 when unknown. */
int liaison_freq_parse(const char *code);

typedef struct {
    char code[16];   /* "2025-Q1", "2025-H2", "2025-Y", "2025-spring", "2025-midautumn" */
    char title[40];  /* "2025年第一季度", "2025年春节前" */
    cal_day from, due; /* the window: from ≤ visit day ≤ due */
    int festival;      /* 1: a festival visit (节前走访) */
    int estimated;     /* the festival's date was not in the calendar (a table of dates) */
} liaison_period;

/*
 * The first day of 春节 (spring, 1) or 中秋 (midautumn, 0) holidays in year: the first day off
 * the calendar names after the festival; for a year without the State Council's notice, the
 * festival's own date from a table (2020–2035) with *estimated set. 0 when unknown.
 */
cal_day liaison_festival_day(const calendar *cal, int year, int spring, int *estimated);

/*
 * The periods of a plan whose due day lies in [from, to] and whose window ends on or after the
 * plan's start (starts_on) and begins on or before its end (ends_on, 0: open), in order of due
 * day; at most max. Festival windows are the 30 days before the holiday's first day.
 */
size_t liaison_periods(const calendar *cal, liaison_freq freq, int festivals, cal_day starts_on,
                       cal_day ends_on, cal_day from, cal_day to, liaison_period *out, size_t max);

typedef enum { LIAISON_DONE, LIAISON_PENDING, LIAISON_OVERDUE } liaison_status;

/*
 * Where one target stands in a period on `today`: done when some day of visits[0..n) lies in
 * the window, else overdue when today is after the due day, else pending.
 */
liaison_status liaison_period_status(const liaison_period *pd, const cal_day *visits, size_t n,
                                     cal_day today);

/* ---- the problem list's sources for what this mechanism sends there ---- */
#define LIAISON_SOURCE_VISIT "统战走访"
#define LIAISON_SOURCE_MEETING "联盟议事"
#define LIAISON_SOURCE_STATION "驻厂"

#endif
