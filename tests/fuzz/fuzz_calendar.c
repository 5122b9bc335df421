/*
 * fuzz_calendar — calendar_load on arbitrary text (what `duban calendar import` reads). Checks:
 * a refusal names the source and a line and leaves the calendar as it was; an accepted text
 * gives a calendar whose working-day arithmetic stays consistent.
 */
#include "flow/calendar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) abort();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    calendar *c = calendar_new();
    char err[256];
    CHECK(calendar_load(c, calendar_builtin_cn, "cn.txt", err, sizeof err) == 0);
    size_t years = calendar_year_count(c);
    if (calendar_load(c, text, "import.txt", err, sizeof err) != 0) {
        CHECK(strncmp(err, "import.txt:", 11) == 0);
        CHECK(calendar_year_count(c) == years);
    } else {
        cal_day start = cal_from_ymd(2023, 1, 1);
        for (int n = 1; n < 40; n += 7) {
            int est = 0;
            cal_day d = calendar_add_workdays(c, start, n, &est);
            CHECK(d > start);
            CHECK(calendar_workdays_between(c, start, d, NULL) == n);
        }
    }
    calendar_free(c);
    free(text);
    return 0;
}
