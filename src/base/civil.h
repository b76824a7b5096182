/*
 * civil.h - proleptic Gregorian calendar arithmetic on day counts since
 * 1970-01-01, in 400-year eras that start on March 1st (so the leap day
 * ends an era's year). Used wherever dates are parsed (partition keys,
 * bloom filter probes) or printed (cells). Exact for every int64 day count
 * whose year fits int64. Header only; includes only the C library.
 */
#ifndef PV_CIVIL_H
#define PV_CIVIL_H

#include <stdbool.h>
#include <stdint.h>

static inline bool pv_civil_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m (1..12) of year y; 0 for a month out of range. */
static inline int pv_civil_days_in_month(int64_t y, int m)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return mdays[m - 1] + (m == 2 && pv_civil_is_leap(y));
}

/* Days since 1970-01-01 of y-m-d (m 1..12, d 1..31, not checked). */
static inline int64_t pv_civil_to_days(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The date of a day count since 1970-01-01. The era is split off before
 * the epoch shift, so no day count overflows. */
static inline void pv_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
	int64_t era = days / 146097, doe = days % 146097;
	if (doe < 0) {
		doe += 146097;
		era -= 1;
	}
	doe += 719468; /* 0000-03-01 is day -719468 */
	era += doe / 146097;
	doe %= 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = era * 400 + yoe + (*m <= 2);
}

#endif
