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

/* DuckDB's form: 4+ digit year, "(BC)" for years before 1. iso switches to
 * ISO 8601 astronomical years with a sign outside 0000..9999. */
static int put_date(pv_buf *out, int64_t days, bool iso, bool *bc, pv_err *err)
{
	int64_t y;
	int m, d;
	pv_civil_from_days(days, &y, &m, &d);
	*bc = false;
	if (iso) {
		if (y < 0)
			return pv_buf_printf(out, err, "-%04" PRId64 "-%02d-%02d", -y, m, d);
		if (y > 9999)
			return pv_buf_printf(out, err, "+%" PRId64 "-%02d-%02d", y, m, d);
		return pv_buf_printf(out, err, "%04" PRId64 "-%02d-%02d", y, m, d);
	}
	if (y <= 0) {
		*bc = true;
		return pv_buf_printf(out, err, "%04" PRId64 "-%02d-%02d", 1 - y, m, d);
	}
	return pv_buf_printf(out, err, "%04" PRId64 "-%02d-%02d", y, m, d);
}

/* HH:MM:SS[.frac] from a non-negative count of 10^-digits seconds; hours
 * may exceed 23 (intervals, out-of-range times). */
static int put_clock(pv_buf *out, uint64_t t, int digits, pv_err *err)
{
	uint64_t per = 1;
	for (int i = 0; i < digits; i++)
		per *= 10;
	uint64_t frac = t % per, secs = t / per;
	int rc = pv_buf_printf(out, err, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64, secs / 3600,
	                       secs / 60 % 60, secs % 60);
	if (rc || frac == 0)
		return rc;
	/* the fraction with its leading zeros, then without trailing ones */
	char f[24];
	for (int i = digits - 1; i >= 0; i--) {
		f[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	size_t n = (size_t)digits;
	while (n > 0 && f[n - 1] == '0')
		n--;
	rc = pv_buf_putc(out, '.', err);
	return rc ? rc : pv_buf_append(out, f, n, err);
}

static int put_timestamp(pv_buf *out, const pv_value *v, bool iso, pv_err *err)
{
	int64_t per_sec = units_per_second(v->unit);
	int64_t per_day = per_sec * 86400;
	int64_t days, rem;
	floor_divmod(v->i, per_day, &days, &rem);
	bool bc;
	int rc = put_date(out, days, iso, &bc, err);
	if (!rc && bc)
		rc = pv_buf_puts(out, " (BC)", err);
	if (!rc)
		rc = pv_buf_putc(out, iso ? 'T' : ' ', err);
	if (!rc)
		rc = put_clock(out, (uint64_t)rem, unit_digits(v->unit), err);
	if (!rc && v->utc)
		rc = pv_buf_puts(out, iso ? "Z" : "+00", err);
	return rc;
}

static int put_time(pv_buf *out, const pv_value *v, bool iso, pv_err *err)
{
	int rc = 0;
	uint64_t mag = (uint64_t)v->i;
	if (v->i < 0) {
		rc = pv_buf_putc(out, '-', err);
		mag = (uint64_t)0 - mag;
	}
	if (!rc)
		rc = put_clock(out, mag, unit_digits(v->unit), err);
	if (!rc && v->utc)
		rc = pv_buf_puts(out, iso ? "Z" : "+00", err);
	return rc;
}

/* "N unit" or "N units", space-separated from what came before. */
static int put_part(pv_buf *out, uint32_t n, const char *unit, pv_err *err)
{
	const char *sep = out->len ? " " : "";
	return pv_buf_printf(out, err, "%s%" PRIu32 " %s%s", sep, n, unit, n == 1 ? "" : "s");
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
	int rc = pv_buf_printf(out, err, "%" PRIu32, chunk[n_chunks - 1]);
	for (size_t i = n_chunks - 1; !rc && i-- > 0;)
		rc = pv_buf_printf(out, err, "%09" PRIu32, chunk[i]);
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
		rc = pv_buf_printf(&digits, err, "%" PRIu64, mag);
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
	int rc;
	switch (v->kind) {
	case PV_VAL_NULL: return pv_buf_puts(out, "NULL", err);
	case PV_VAL_BOOL: return pv_buf_puts(out, v->b ? "true" : "false", err);
	case PV_VAL_INT: return pv_buf_printf(out, err, "%" PRId64, v->i);
	case PV_VAL_UINT: return pv_buf_printf(out, err, "%" PRIu64, v->u);
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
		rc = put_date(out, v->i, false, &bc, err);
		return !rc && bc ? pv_buf_puts(out, " (BC)", err) : rc;
	case PV_VAL_TIME: return put_time(out, v, false, err);
	case PV_VAL_TIMESTAMP: return put_timestamp(out, v, false, err);
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
	bool as_string = true;
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
		rc = put_double(&b, v->f, err);
		as_string = false;
		break;
	case PV_VAL_STRING: pv_json_strn(j, (const char *)v->bytes.ptr, v->bytes.len); goto done;
	case PV_VAL_BINARY: rc = pv_cell_base64(v->bytes.ptr, v->bytes.len, &b, err); break;
	case PV_VAL_DATE: rc = put_date(&b, v->i, true, &bc, err); break;
	case PV_VAL_TIME: rc = put_time(&b, v, true, err); break;
	case PV_VAL_TIMESTAMP: rc = put_timestamp(&b, v, true, err); break;
	case PV_VAL_DECIMAL:
	case PV_VAL_UUID:
	case PV_VAL_INTERVAL:
	case PV_VAL_INT96RAW: rc = pv_cell_text(v, &b, err); break;
	default: rc = pv_err_set(err, PV_EINTERNAL, "unknown value kind %d", (int)v->kind); break;
	}
	if (rc)
		pv_json_null(j);
	else if (as_string)
		pv_json_strn(j, b.data ? b.data : "", b.len);
	else
		pv_json_raw(j, b.data, b.len);
done:
	pv_buf_release(&b);
	return rc ? rc : j->error;
}
