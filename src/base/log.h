/*
 * log — one line per event on stderr: "2024-03-05T08:00:00Z LEVEL message".
 * Never log secrets: passwords, session ids, tokens and keys stay out of every line.
 */
#ifndef DUBAN_LOG_H
#define DUBAN_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
