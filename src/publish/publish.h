/*
 * publish — the publishing review (意识形态工作 §3, issue #15): its public interface.
 *
 * Term lists (terms with a category and a severity, whitelist phrases) are rows of
 * publish_list; the scanner (scan.h) compiles them into one Vectorscan database that every
 * server keeps current by the lists' versions (a replaced list serves from the next scan on; the
 * old database serves the scans already begun). A draft (title, body, outlet, author unit) is
 * scanned on every save; then 三审: 初审 (publish.review1), 复审 (publish.review2), 终审
 * (publish.review3) by three different people, none the author; a high-severity hit blocks the
 * 终审's approval unless it gives an override reason; then published with its URL and time, or
 * withdrawn (撤稿) with a reason. Every change in one transaction with its audit record.
 */
#ifndef DUBAN_PUBLISH_H
#define DUBAN_PUBLISH_H

#include "core/app.h"

#include <jansson.h>

/* Scans text against the current lists: a JSON array of hits (see docs/publish-api.md);
 * *high counts the hits of severity 3. */
err_code publish_scan(app *ap, store_tx *tx, arena *a, const char *text, json_t **hits, int *high);

#endif
