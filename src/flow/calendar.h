/*
 * calendar — dates and China's working-day calendar.
 *
 * A date is a day number (days since 1970-01-01), so arithmetic is plain integer arithmetic.
 * The calendar knows, for each year loaded from an official notice, which weekdays are public
 * holidays and which weekend days are make-up workdays (调休). For a year it has no notice for,
 * it counts Monday to Friday as working days and says so through an `estimated` flag, so a
 * deadline computed that way can be shown as provisional rather than silently wrong.
 *
 * Data format (data/calendar/cn.txt): "year YYYY NOTICE", then "off DATE [DATE] NAME" and
 * "work DATE NAME" lines for that year; '#' starts a comment.
 */
#ifndef DUBAN_CALENDAR_H
#define DUBAN_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t cal_day;

/* Parses a strict "YYYY-MM-DD" of a real date (1900..9999); 0 on success. */
int cal_parse(const char *s, cal_day *out);
/* Formats d as "YYYY-MM-DD" into out. */
void cal_format(cal_day d, char out[11]);
cal_day cal_from_ymd(int y, int m, int d);
void cal_to_ymd(cal_day day, int *y, int *m, int *d);
/* The local date (Asia/Shanghai, UTC+8 all year) at the UTC instant t (seconds). */
cal_day cal_local_day(int64_t t);
/* The UTC instant (seconds) at which local day d begins: 00:00 Asia/Shanghai. */
int64_t cal_day_start(cal_day d);
/* The same day of the month `months` later (clamped to the month's last day). */
cal_day cal_add_months(cal_day d, int months);
/* 1 = Monday … 7 = Sunday. */
int cal_weekday(cal_day d);

typedef struct calendar calendar;

/* The mark that follows a deadline counted over a year without its notice, in the UI's words
 * and in exports ("2027-01-04（估算）"). */
#define CALENDAR_ESTIMATED_MARK "（估算）"

calendar *calendar_new(void);
void calendar_free(calendar *c);
/*
 * Adds the years in text (the data format above). Refuses, changing nothing, a year already
 * present, a date outside its year line, a make-up workday that is not a weekend, a date given
 * twice, or a malformed line: -1 with "source:line: reason" in err.
 */
int calendar_load(calendar *c, const char *text, const char *source, char *err, size_t errlen);
/* 1 when the calendar has the notice for year. */
int calendar_has_year(const calendar *c, int year);
/* The notice a year was loaded from, or NULL. */
const char *calendar_year_notice(const calendar *c, int year);
/* Number of years loaded, and the i-th (ascending). */
size_t calendar_year_count(const calendar *c);
int calendar_year_at(const calendar *c, size_t i);
/* The holiday or make-up name of a day, or NULL for an ordinary day. */
const char *calendar_day_name(const calendar *c, cal_day d);

/* 1 when d is a working day; sets *estimated (if not NULL) when d's year has no data. */
int calendar_is_workday(const calendar *c, cal_day d, int *estimated);
/*
 * The n-th working day after start (n >= 1; start itself does not count). *estimated is set
 * when any day passed over lies in a year without data.
 */
cal_day calendar_add_workdays(const calendar *c, cal_day start, int n, int *estimated);
/* Working days in (from, to]; 0 when to <= from. */
int calendar_workdays_between(const calendar *c, cal_day from, cal_day to, int *estimated);

/* The built-in data (data/calendar/cn.txt compiled into the binary). */
extern const char calendar_builtin_cn[];

#endif
