/*
 * bss.c - BYTE_STREAM_SPLIT: gathering each value's bytes from K streams.
 * Includes base and encoding only (no io, codec or higher layers).
 */
#include "encoding/bss.h"

#include <string.h>

#include "base/banned.h"

int pv_bss_init(pv_bss *d, const uint8_t *data, size_t len, size_t width, pv_err *err)
{
	memset(d, 0, sizeof *d);
	d->data = data;
	if (width == 0)
		return pv_err_set(err, PV_EINVAL, "bss: value width 0");
	if (len % width != 0)
		return pv_err_set(err, PV_ECORRUPT, "bss: %zu bytes are not a whole number of %zu-byte values",
				  len, width);
	d->width = width;
	d->n_values = len / width;
	return 0;
}

static int check_count(const pv_bss *d, size_t n, pv_err *err)
{
	if (n > d->n_values - d->pos)
		return pv_err_set(err, PV_ECORRUPT, "bss: asked for %zu values, the page holds %zu more", n,
				  d->n_values - d->pos);
	return 0;
}

int pv_bss_get(pv_bss *d, void *out, size_t n, pv_err *err)
{
	int rc = check_count(d, n, err);
	if (rc)
		return rc;
	const size_t N = d->n_values, K = d->width;
	const uint8_t *in = d->data + d->pos;
	uint8_t *o = out;
	if (K == 4) {
		const uint8_t *s0 = in, *s1 = in + N, *s2 = in + 2 * N, *s3 = in + 3 * N;
		for (size_t i = 0; i < n; i++) {
			uint32_t v = (uint32_t)s0[i] | (uint32_t)s1[i] << 8 | (uint32_t)s2[i] << 16 |
				     (uint32_t)s3[i] << 24;
			memcpy(o + 4 * i, &v, 4);
		}
	} else if (K == 8) {
		const uint8_t *s[8];
		for (size_t k = 0; k < 8; k++)
			s[k] = in + k * N;
		for (size_t i = 0; i < n; i++) {
			uint64_t v = 0;
			for (unsigned k = 0; k < 8; k++)
				v |= (uint64_t)s[k][i] << (8 * k);
			memcpy(o + 8 * i, &v, 8);
		}
	} else {
		/* any other width: one stream at a time, so each read is sequential */
		for (size_t k = 0; k < K; k++) {
			const uint8_t *s = in + k * N;
			for (size_t i = 0; i < n; i++)
				o[i * K + k] = s[i];
		}
	}
	d->pos += n;
	return 0;
}

int pv_bss_skip(pv_bss *d, size_t n, pv_err *err)
{
	int rc = check_count(d, n, err);
	if (rc)
		return rc;
	d->pos += n;
	return 0;
}
