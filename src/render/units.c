/*
 * units.c - byte sizes, counts, ratios and percentages as text.
 * Includes only render.
 */
#include "render/units.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/banned.h"

static const char *copy_out(const char *s, char *out, size_t cap)
{
	if (cap == 0)
		return out;
	snprintf(out, cap, "%s", s);
	return out;
}

const char *pv_units_bytes(int64_t n, char *out, size_t cap)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	char tmp[PV_UNITS_BUF];
	/* magnitude in uint64 so INT64_MIN has one */
	uint64_t mag = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	const char *sign = n < 0 ? "-" : "";
	if (mag < 1024) {
		snprintf(tmp, sizeof tmp, "%s%" PRIu64 " B", sign, mag);
		return copy_out(tmp, out, cap);
	}
	double v = (double)mag;
	int u = 0;
	while (v >= 1024 && u < 6) {
		v /= 1024;
		u++;
	}
	/* three significant digits; re-check after rounding (1023.7 -> "1024") */
	int decimals = v < 9.995 ? 2 : v < 99.95 ? 1 : 0;
	if (decimals == 0 && v >= 1023.5 && u < 6) {
		v /= 1024;
		u++;
		decimals = 2;
	}
	snprintf(tmp, sizeof tmp, "%s%.*f %s", sign, decimals, v, unit[u]);
	return copy_out(tmp, out, cap);
}

const char *pv_units_count(int64_t n, char *out, size_t cap)
{
	char digits[24], tmp[PV_UNITS_BUF];
	uint64_t mag = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	int len = snprintf(digits, sizeof digits, "%" PRIu64, mag);
	size_t j = 0;
	if (n < 0)
		tmp[j++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			tmp[j++] = ',';
		tmp[j++] = digits[i];
	}
	tmp[j] = '\0';
	return copy_out(tmp, out, cap);
}

const char *pv_units_ratio(int64_t num, int64_t den, char *out, size_t cap)
{
	char tmp[PV_UNITS_BUF];
	if (den == 0)
		return copy_out("-", out, cap);
	snprintf(tmp, sizeof tmp, "%.2fx", (double)num / (double)den);
	return copy_out(tmp, out, cap);
}

const char *pv_units_percent(int64_t part, int64_t whole, char *out, size_t cap)
{
	char tmp[PV_UNITS_BUF];
	if (whole == 0)
		return copy_out("-", out, cap);
	snprintf(tmp, sizeof tmp, "%.1f%%", 100.0 * (double)part / (double)whole);
	return copy_out(tmp, out, cap);
}
