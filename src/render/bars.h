/*
 * bars.h - small horizontal bar charts for reports: a share of a width
 * drawn with Unicode eighth blocks, or '#' when the output is not UTF-8.
 * Pure, thread-safe. Includes only base and render.
 */
#ifndef PV_BARS_H
#define PV_BARS_H

#include <stdbool.h>
#include <stddef.h>

/* A bar of frac (clamped to [0, 1]) of width cells into out[0..cap):
 * full blocks then one partial block (UTF-8), or '#' rounded (ASCII).
 * A non-zero frac always shows at least a sliver. Returns out. */
const char *pv_bar(double frac, size_t width, bool utf8, char *out, size_t cap);

#endif
