/*
 * bars.c - bar charts for reports (bars.h). Must not include anything
 * above render.
 */
#include "render/bars.h"

#include <math.h>
#include <string.h>

#include "base/banned.h"

static const char *const eighths[] = { "", "\u258f", "\u258e", "\u258d", "\u258c",
				       "\u258b", "\u258a", "\u2589" };

const char *pv_bar(double frac, size_t width, bool utf8, char *out, size_t cap)
{
	if (!cap)
		return out;
	out[0] = '\0';
	if (!(frac > 0))
		return out;
	if (frac > 1)
		frac = 1;
	size_t len = 0;
	if (!utf8) {
		size_t n = (size_t)llround(frac * (double)width);
		if (n == 0)
			n = 1;
		for (size_t i = 0; i < n && len + 1 < cap; i++)
			out[len++] = '#';
		out[len] = '\0';
		return out;
	}
	size_t units = (size_t)llround(frac * (double)width * 8);
	if (units == 0)
		units = 1;
	size_t full = units / 8, part = units % 8;
	for (size_t i = 0; i < full && len + 4 < cap; i++) {
		memcpy(out + len, "\u2588", 3);
		len += 3;
	}
	if (part && len + 4 < cap) {
		size_t n = strlen(eighths[part]);
		memcpy(out + len, eighths[part], n);
		len += n;
	}
	out[len] = '\0';
	return out;
}
