/*
 * units.h - numbers for humans: byte sizes, counts with separators,
 * ratios and percentages.
 *
 * Each function writes a NUL-terminated string into out[0..cap) (cut short
 * if cap is too small; PV_UNITS_BUF always suffices) and returns out, so
 * calls can sit inside a printf. Pure, thread-safe. Includes only render.
 */
#ifndef PV_UNITS_H
#define PV_UNITS_H

#include <stddef.h>
#include <stdint.h>

#define PV_UNITS_BUF 32

/* Binary units with three significant digits: "0 B", "999 B", "1023 B",
 * "1.00 KiB", "12.3 MiB", "123 MiB", "1.00 GiB", up to EiB; values that
 * round up to 1024 of a unit move to the next ("1.00 MiB", not
 * "1024 KiB"). Negative sizes get a '-'. */
const char *pv_units_bytes(int64_t n, char *out, size_t cap);

/* Thousands separators: "0", "999", "1,234,567", "-1,000". */
const char *pv_units_count(int64_t n, char *out, size_t cap);

/* num / den with two decimals and an "x": "3.21x", "0.50x"; "-" when den
 * is 0 (a compression ratio: uncompressed / compressed). */
const char *pv_units_ratio(int64_t num, int64_t den, char *out, size_t cap);

/* part / whole as a percentage with one decimal: "12.3%", "100.0%",
 * "-" when whole is 0. */
const char *pv_units_percent(int64_t part, int64_t whole, char *out, size_t cap);

#endif
