/*
 * money — exact decimal arithmetic for budget performance: money in integer fen (分), quantities
 * and weights in integer thousandths, never a floating-point number anywhere.
 *
 * A decimal is read from its text ("1234.56", "0.01", "3") into an int64 scaled by 10^digits;
 * text with more fractional digits than allowed, signs, blanks, exponents or more than 18
 * significant digits is refused. A line's amount is quantity × unit price rounded half up to the
 * fen (四舍五入到分, the rule the cost sheet states); products are formed in 128 bits, so no
 * intermediate overflows, and every result is bounded by BUDGET_FEN_MAX.
 */
#ifndef DUBAN_BUDGET_MONEY_H
#define DUBAN_BUDGET_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* The largest amount anywhere (10^15 fen = 10 万亿元): sums of a sheet's lines cannot overflow. */
#define BUDGET_FEN_MAX INT64_C(1000000000000000)
/* The largest quantity, in thousandths (10^12: a billion units). */
#define BUDGET_QTY_MAX INT64_C(1000000000000)

/*
 * Reads a non-negative decimal with at most `digits` fractional digits into *out scaled by
 * 10^digits ("12.5" with 3 → 12500). 0, or -1 when the text is not such a number or the value
 * exceeds max (in the scaled unit).
 */
int money_parse(const char *s, int digits, int64_t max, int64_t *out);

/* Writes v (scaled by 10^digits) as a decimal without trailing fractional zeros ("12.5"). */
void money_format(int64_t v, int digits, char *buf, size_t n);
/* Writes fen as 元 with exactly two decimals ("1234.50"). */
void money_yuan(int64_t fen, char *buf, size_t n);

/*
 * The amount of qty_milli (quantity × 1000) units at price_fen each, rounded half up to the fen.
 * 0, or -1 when the result exceeds BUDGET_FEN_MAX.
 */
int money_line_amount(int64_t qty_milli, int64_t price_fen, int64_t *amount);

/* a + b, or -1 when the sum exceeds BUDGET_FEN_MAX (both are non-negative). */
int money_add(int64_t a, int64_t b, int64_t *sum);

/*
 * A money value with its unit of measure as a target states it ("120.5" 万元, "3500" 元) in fen.
 * Units understood: 元, 万元, 亿元 (a unit cost's numerator, as in "元/人", is the caller's).
 * 0, or -1 when the text is not a number of the unit's precision or the unit is not money.
 */
int money_in_unit(const char *value, const char *unit, int64_t *fen);

#endif
