/*
 * cell.c - pv_value to DuckDB-compatible text and to JSON.
 * Includes only base, format and render.
 */
#include "render/cell.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/civil.h"
#include "base/digits.h"
#include "render/dtoa.h"
#include "base/banned.h"

#define MAX_SCALE 10000

/* ---- calendar ---- */

/* a = q * b + r with 0 <= r < b (b > 0), without overflow at INT64_MIN. */
static void floor_divmod(int64_t a, int64_t b, int64_t *q, int64_t *r)
{
	*q = a / b;
	*r = a % b;
	if (*r < 0) {
		*r += b;
		*q -= 1;
	}
}

static int64_t units_per_second(pv_time_unit u)
{
	return u == PV_UNIT_MILLIS ? 1000 : u == PV_UNIT_NANOS ? 1000000000 : 1000000;
}

static int unit_digits(pv_time_unit u)
{
	return u == PV_UNIT_MILLIS ? 3 : u == PV_UNIT_NANOS ? 9 : 6;
}

/* Longest text of a date, a clock or a timestamp: a 17-digit year with
 * its sign and " (BC)", 20-digit hours, 9 fraction digits, a zone. */
#define CAL_MAX 96

/* Two digits of v (0..99). */
static size_t two(char *t, unsigned v)
{
	t[0] = (char)('0' + v / 10);
	t[1] = (char)('0' + v % 10);
	return 2;
}

/* DuckDB's form: 4+ digit year, "(BC)" for years before 1. iso switches to
 * ISO 8601 astronomical years with a sign outside 0000..9999. Writes to t
 * (CAL_MAX bytes) and returns the length; " (BC)" is left to the caller. */
static size_t fmt_date(char *t, int64_t days, bool iso, bool *bc)
{
	int64_t y;
	int m, d;
	pv_civil_from_days(days, &y, &m, &d);
	*bc = false;
	size_t k = 0;
	uint64_t year = (uint64_t)y;
	if (iso) {
		if (y < 0) {
			t[k++] = '-';
			year = (uint64_t)0 - (uint64_t)y;
		} else if (y > 9999) {
			t[k++] = '+';
		}
	} else if (y <= 0) {
		*bc = true;
		year = (uint64_t)1 - (uint64_t)y;
	}
	k += pv_digits_u64_pad(year, 4, t + k);
	t[k++] = '-';
	k += two(t + k, (unsigned)m);
	t[k++] = '-';
	k += two(t + k, (unsigned)d);
	return k;
}

/* HH:MM:SS[.frac] from a non-negative count of 10^-digits seconds; hours
 * may exceed 23 (intervals, out-of-range times). Writes to t (at least
 * 50 bytes) and returns the length. */
static size_t fmt_clock(char *t, uint64_t v, int digits)
{
	uint64_t per = 1;
	for (int i = 0; i < digits; i++)
		per *= 10;
	uint64_t frac = v % per, secs = v / per;
	size_t k = pv_digits_u64_pad(secs / 3600, 2, t);
	t[k++] = ':';
	k += two(t + k, (unsigned)(secs / 60 % 60));
	t[k++] = ':';
	k += two(t + k, (unsigned)(secs % 60));
	if (frac == 0)
		return k;
	/* the fraction with its leading zeros, then without trailing ones */
	t[k++] = '.';
	for (int i = digits - 1; i >= 0; i--) {
		t[k + (size_t)i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	k += (size_t)digits;
	while (t[k - 1] == '0')
		k--;
	return k;
}

static int put_clock(pv_buf *out, uint64_t v, int digits, pv_err *err)
{
	char t[CAL_MAX];
	return pv_buf_append(out, t, fmt_clock(t, v, digits), err);
}

static size_t fmt_timestamp(char *t, const pv_value *v, bool iso)
{
	int64_t per_sec = units_per_second(v->unit);
	int64_t per_day = per_sec * 86400;
	int64_t days, rem;
	floor_divmod(v->i, per_day, &days, &rem);
	bool bc;
	size_t k = fmt_date(t, days, iso, &bc);
	if (bc) {
		memcpy(t + k, " (BC)", 5);
		k += 5;
	}
	t[k++] = iso ? 'T' : ' ';
	k += fmt_clock(t + k, (uint64_t)rem, unit_digits(v->unit));
	if (v->utc) {
		memcpy(t + k, iso ? "Z" : "+00", iso ? 1 : 3);
		k += iso ? 1 : 3;
	}
	return k;
}

static size_t fmt_time(char *t, const pv_value *v, bool iso)
{
	size_t k = 0;
	uint64_t mag = (uint64_t)v->i;
	if (v->i < 0) {
		t[k++] = '-';
		mag = (uint64_t)0 - mag;
	}
	k += fmt_clock(t + k, mag, unit_digits(v->unit));
	if (v->utc) {
		memcpy(t + k, iso ? "Z" : "+00", iso ? 1 : 3);
		k += iso ? 1 : 3;
	}
	return k;
}

/* "N unit" or "N units", space-separated from what came before. */
static int put_part(pv_buf *out, uint32_t n, const char *unit, pv_err *err)
{
	char t[PV_DIGITS_MAX];
	int rc = out->len ? pv_buf_putc(out, ' ', err) : 0;
	if (!rc)
		rc = pv_buf_append(out, t, pv_digits_u64(n, t), err);
	if (!rc)
		rc = pv_buf_putc(out, ' ', err);
	if (!rc)
		rc = pv_buf_puts(out, unit, err);
	return rc || n == 1 ? rc : pv_buf_putc(out, 's', err);
}

static int put_interval(pv_buf *out, const pv_value *v, pv_err *err)
{
	/* built apart so that "first part" means first in this value */
	pv_buf t;
	pv_buf_init(&t, 0);
	uint32_t years = v->interval.months / 12, months = v->interval.months % 12;
	int rc = 0;
	if (years)
		rc = put_part(&t, years, "year", err);
	if (!rc && months)
		rc = put_part(&t, months, "month", err);
	if (!rc && v->interval.days)
		rc = put_part(&t, v->interval.days, "day", err);
	if (!rc && (v->interval.millis || t.len == 0)) {
		if (t.len)
			rc = pv_buf_putc(&t, ' ', err);
		if (!rc)
			rc = put_clock(&t, v->interval.millis, 3, err);
	}
	if (!rc)
		rc = pv_buf_append(out, t.data, t.len, err);
	pv_buf_release(&t);
	return rc;
}

/* ---- numbers ---- */

/* Shortest round-trip text of a finite double, formatted as DuckDB does. */
static int put_double(pv_buf *out, double f, pv_err *err)
{
	char t[PV_DTOA_MAX];
	size_t n = pv_dtoa_double(f, t);
	return pv_buf_append(out, t, n, err);
}

/* Appends the decimal digits of the magnitude of a big-endian two's
 * complement integer, and tells its sign. */
static int big_digits(const uint8_t *be, size_t len, pv_buf *out, bool *neg, pv_err *err)
{
	*neg = len > 0 && (be[0] & 0x80);
	while (len > 0 && be[0] == (*neg ? 0xff : 0x00) && len > 1 &&
	       ((be[1] & 0x80) != 0) == *neg) {
		be++; /* redundant sign-extension bytes */
		len--;
	}
	if (len == 0 || (len == 1 && be[0] == 0))
		return pv_buf_putc(out, '0', err);
	if (len > SIZE_MAX / 4)
		return pv_err_set(err, PV_ELIMIT, "decimal too long");
	uint8_t *mag = malloc(len);
	/* 9 decimal digits per chunk; 256^len < 10^(2.41 len) */
	size_t max_chunks = len * 241 / 900 + 2;
	uint32_t *chunk = malloc(max_chunks * sizeof *chunk);
	if (!mag || !chunk) {
		free(mag);
		free(chunk);
		return pv_err_set(err, PV_ENOMEM, "out of memory formatting a decimal");
	}
	memcpy(mag, be, len);
	if (*neg) {
		/* negate: invert and add one, from the least significant byte */
		unsigned carry = 1;
		for (size_t i = len; i-- > 0;) {
			unsigned x = (uint8_t)~mag[i] + carry;
			mag[i] = (uint8_t)x;
			carry = x >> 8;
		}
	}
	size_t start = 0, n_chunks = 0;
	while (start < len && mag[start] == 0)
		start++;
	while (start < len) {
		uint64_t rem = 0;
		for (size_t i = start; i < len; i++) {
			uint64_t cur = rem << 8 | mag[i];
			mag[i] = (uint8_t)(cur / 1000000000u);
			rem = cur % 1000000000u;
		}
		chunk[n_chunks++] = (uint32_t)rem;
		while (start < len && mag[start] == 0)
			start++;
	}
	if (n_chunks == 0)
		chunk[n_chunks++] = 0;
	char t[PV_DIGITS_MAX];
	int rc = pv_buf_append(out, t, pv_digits_u64(chunk[n_chunks - 1], t), err);
	for (size_t i = n_chunks - 1; !rc && i-- > 0;)
		rc = pv_buf_append(out, t, pv_digits_u64_pad(chunk[i], 9, t), err);
	free(mag);
	free(chunk);
	return rc;
}

static int put_decimal(pv_buf *out, const pv_value *v, pv_err *err)
{
	if (v->scale < 0 || v->scale > MAX_SCALE)
		return pv_err_set(err, PV_ECORRUPT, "decimal scale %" PRId32 " out of range", v->scale);
	if (v->dec_bytes && v->bytes.len > PV_CELL_MAX_DECIMAL_BYTES)
		return pv_err_set(err, PV_ELIMIT, "decimal of %zu bytes is too long to print",
		                  v->bytes.len);
	pv_buf digits;
	pv_buf_init(&digits, 0);
	bool neg;
	int rc;
	if (v->dec_bytes) {
		rc = big_digits(v->bytes.ptr, v->bytes.len, &digits, &neg, err);
	} else {
		neg = v->i < 0;
		uint64_t mag = neg ? (uint64_t)0 - (uint64_t)v->i : (uint64_t)v->i;
		char t[PV_DIGITS_MAX];
		rc = pv_buf_append(&digits, t, pv_digits_u64(mag, t), err);
	}
	if (rc) {
		pv_buf_release(&digits);
		return rc;
	}
	size_t nd = digits.len, scale = (size_t)v->scale;
	bool zero = nd == 1 && digits.data[0] == '0';
	if (neg && !zero)
		rc = pv_buf_putc(out, '-', err);
	if (!rc && scale == 0) {
		rc = pv_buf_append(out, digits.data, nd, err);
	} else if (!rc && nd > scale) {
		rc = pv_buf_append(out, digits.data, nd - scale, err);
		if (!rc)
			rc = pv_buf_putc(out, '.', err);
		if (!rc)
			rc = pv_buf_append(out, digits.data + nd - scale, scale, err);
	} else if (!rc) {
		rc = pv_buf_append(out, "0.", 2, err);
		for (size_t i = nd; !rc && i < scale; i++)
			rc = pv_buf_putc(out, '0', err);
		if (!rc)
			rc = pv_buf_append(out, digits.data, nd, err);
	}
	pv_buf_release(&digits);
	return rc;
}

/* ---- bytes ---- */

static int put_blob(pv_buf *out, const uint8_t *p, size_t n, pv_err *err)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		uint8_t c = p[i];
		if (c >= 32 && c <= 126 && c != '\\' && c != '\'' && c != '"') {
			rc = pv_buf_putc(out, (char)c, err);
		} else {
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			rc = pv_buf_append(out, e, 4, err);
		}
	}
	return rc ? rc : pv_buf_append(out, "", 0, err);
}

static int put_hex(pv_buf *out, const uint8_t *p, size_t n, pv_err *err)
{
	static const char hex[] = "0123456789abcdef";
	int rc = pv_buf_append(out, "", 0, err);
	for (size_t i = 0; !rc && i < n; i++) {
		char e[2] = { hex[p[i] >> 4], hex[p[i] & 15] };
		rc = pv_buf_append(out, e, 2, err);
	}
	return rc;
}

static int put_uuid(pv_buf *out, const uint8_t *p, size_t n, pv_err *err)
{
	if (n != 16)
		return put_blob(out, p, n, err);
	int rc = 0;
	for (size_t i = 0; !rc && i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			rc = pv_buf_putc(out, '-', err);
		if (!rc)
			rc = put_hex(out, p + i, 1, err);
	}
	return rc;
}

int pv_cell_base64(const void *data, size_t n, pv_buf *out, pv_err *err)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const uint8_t *p = data;
	int rc = pv_buf_reserve(out, (n + 2) / 3 * 4, err);
	if (rc)
		return rc;
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t x = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		char q[4] = { tab[x >> 18], tab[(x >> 12) & 63], tab[(x >> 6) & 63], tab[x & 63] };
		pv_buf_append(out, q, 4, NULL); /* reserved above */
	}
	if (n - i == 1) {
		uint32_t x = (uint32_t)p[i] << 16;
		char q[4] = { tab[x >> 18], tab[(x >> 12) & 63], '=', '=' };
		pv_buf_append(out, q, 4, NULL);
	} else if (n - i == 2) {
		uint32_t x = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		char q[4] = { tab[x >> 18], tab[(x >> 12) & 63], tab[(x >> 6) & 63], '=' };
		pv_buf_append(out, q, 4, NULL);
	}
	return pv_buf_append(out, "", 0, err);
}

/* ---- the two entry points ---- */

int pv_cell_text(const pv_value *v, pv_buf *out, pv_err *err)
{
	bool bc;
	char t[CAL_MAX];
	size_t n;
	switch (v->kind) {
	case PV_VAL_NULL: return pv_buf_puts(out, "NULL", err);
	case PV_VAL_BOOL: return pv_buf_puts(out, v->b ? "true" : "false", err);
	case PV_VAL_INT: return pv_buf_append(out, t, pv_digits_i64(v->i, t), err);
	case PV_VAL_UINT: return pv_buf_append(out, t, pv_digits_u64(v->u, t), err);
	case PV_VAL_FLOAT:
		if (isnan(v->f))
			return pv_buf_puts(out, "NaN", err);
		if (isinf(v->f))
			return pv_buf_puts(out, v->f > 0 ? "inf" : "-inf", err);
		return put_double(out, v->f, err);
	case PV_VAL_STRING: return pv_buf_append(out, v->bytes.ptr, v->bytes.len, err);
	case PV_VAL_BINARY: return put_blob(out, v->bytes.ptr, v->bytes.len, err);
	case PV_VAL_DECIMAL: return put_decimal(out, v, err);
	case PV_VAL_DATE:
		n = fmt_date(t, v->i, false, &bc);
		if (bc) {
			memcpy(t + n, " (BC)", 5);
			n += 5;
		}
		return pv_buf_append(out, t, n, err);
	case PV_VAL_TIME: return pv_buf_append(out, t, fmt_time(t, v, false), err);
	case PV_VAL_TIMESTAMP: return pv_buf_append(out, t, fmt_timestamp(t, v, false), err);
	case PV_VAL_UUID: return put_uuid(out, v->bytes.ptr, v->bytes.len, err);
	case PV_VAL_INTERVAL: return put_interval(out, v, err);
	case PV_VAL_INT96RAW: return put_hex(out, v->bytes.ptr, v->bytes.len, err);
	}
	return pv_err_set(err, PV_EINTERNAL, "unknown value kind %d", (int)v->kind);
}

int pv_cell_json(const pv_value *v, pv_json *j, pv_err *err)
{
	pv_buf b;
	pv_buf_init(&b, 0);
	bool bc;
	int rc = 0;
	/* the common kinds go from a local array, without a heap buffer */
	char t[CAL_MAX];
	switch (v->kind) {
	case PV_VAL_NULL: pv_json_null(j); goto done;
	case PV_VAL_BOOL: pv_json_bool(j, v->b); goto done;
	case PV_VAL_INT: pv_json_int(j, v->i); goto done;
	case PV_VAL_UINT: pv_json_uint(j, v->u); goto done;
	case PV_VAL_FLOAT:
		if (!isfinite(v->f)) {
			pv_json_double(j, v->f);
			goto done;
		}
		pv_json_raw(j, t, pv_dtoa_double(v->f, t));
		goto done;
	case PV_VAL_STRING: pv_json_strn(j, (const char *)v->bytes.ptr, v->bytes.len); goto done;
	case PV_VAL_BINARY: rc = pv_cell_base64(v->bytes.ptr, v->bytes.len, &b, err); break;
	case PV_VAL_DATE: pv_json_strn(j, t, fmt_date(t, v->i, true, &bc)); goto done;
	case PV_VAL_TIME: pv_json_strn(j, t, fmt_time(t, v, true)); goto done;
	case PV_VAL_TIMESTAMP: pv_json_strn(j, t, fmt_timestamp(t, v, true)); goto done;
	case PV_VAL_DECIMAL:
	case PV_VAL_UUID:
	case PV_VAL_INTERVAL:
	case PV_VAL_INT96RAW: rc = pv_cell_text(v, &b, err); break;
	default: rc = pv_err_set(err, PV_EINTERNAL, "unknown value kind %d", (int)v->kind); break;
	}
	if (rc)
		pv_json_null(j);
	else
		pv_json_strn(j, b.data ? b.data : "", b.len);
done:
	pv_buf_release(&b);
	return rc ? rc : j->error;
}
