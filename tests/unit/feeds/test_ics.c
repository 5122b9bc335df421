/*
 * Tests of the ICS writer of the calendar feeds (RFC 5545): CRLF line ends, folding at 75
 * octets that never splits a UTF-8 character, TEXT escaping (backslash, semicolon, comma,
 * newline; controls dropped), all-day dates with the next day as DTEND (also over a year's
 * end), the DTSTAMP in UTC, the VALARM's trigger, and events without a valid date left out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "feeds/feeds_int.h"

/* Every physical line ends in CRLF, none longer than 75 octets, no bare CR or LF. */
static void assert_lines_ok(const char *s)
{
    const char *line = s;
    for (const char *p = s; *p; p++) {
        if (*p == '\r') {
            assert_int_equal(p[1], '\n');
            assert_true(p - line <= 75);
            line = p + 2;
            p++;
        } else {
            assert_int_not_equal(*p, '\n');
        }
    }
    assert_ptr_equal(line, s + strlen(s)); /* ends in CRLF */
}

/* The text with folding undone. */
static char *unfold(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (const char *p = s; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        *o++ = *p;
    }
    *o = 0;
    return out;
}

static void test_calendar(void **state)
{
    (void)state;
    ics_event ev[] = {
        {.uid = "problem-1-deadline@duban", .summary = "a,b;c\\d\ne\x01", .date = "2026-12-31",
         .alarm_days = 1},
        {.uid = "x@duban", .summary = "no date", .date = "2026-02-30"},
    };
    char *s = ics_render(ev, 2, "督办：测试", 1793577600); /* 2026-11-02T00:00:00Z */
    assert_lines_ok(s);
    char *u = unfold(s);
    assert_non_null(strstr(u, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert_non_null(strstr(u, "X-WR-CALNAME:督办：测试\r\n"));
    assert_non_null(strstr(u, "SUMMARY:a\\,b\\;c\\\\d\\ne\r\n"));
    assert_non_null(strstr(u, "DTSTAMP:20261102T000000Z\r\n"));
    assert_non_null(strstr(u, "DTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\n"));
    assert_non_null(strstr(u, "BEGIN:VALARM\r\nACTION:DISPLAY\r\n"));
    assert_non_null(strstr(u, "TRIGGER;RELATED=START:-P0DT15H\r\n"));
    assert_null(strstr(u, "no date"));
    assert_non_null(strstr(u, "END:VEVENT\r\nEND:VCALENDAR\r\n"));
    free(u);
    free(s);
}

static void test_folding_keeps_characters_whole(void **state)
{
    (void)state;
    char title[400] = "";
    for (int i = 0; i < 60; i++)
        strcat(title, i % 7 ? "整" : "a"); /* 3-octet characters, some 1-octet ones between */
    ics_event ev = {.uid = "u@duban", .summary = title, .date = "2026-10-13"};
    char *s = ics_render(&ev, 1, "x", 0);
    assert_lines_ok(s);
    /* every continuation line starts with a space and then a character's first octet */
    for (const char *p = strstr(s, "\r\n "); p; p = strstr(p + 1, "\r\n "))
        assert_int_not_equal((unsigned char)p[3] & 0xC0, 0x80);
    char *u = unfold(s);
    char *want = malloc(strlen(title) + 16);
    strcpy(want, "SUMMARY:");
    strcat(want, title);
    assert_non_null(strstr(u, want));
    free(want);
    free(u);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_folding_keeps_characters_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
