/*
 * digits.c - integers to decimal text, two digits at a time.
 * Includes only base.
 */
#include "base/digits.h"

#include <string.h>

#include "base/banned.h"

static const char pairs[201] = "00010203040506070809"
			       "10111213141516171819"
			       "20212223242526272829"
			       "30313233343536373839"
			       "40414243444546474849"
			       "50515253545556575859"
			       "60616263646566676869"
			       "70717273747576777879"
			       "80818283848586878889"
			       "90919293949596979899";

size_t pv_digits_u64_pad(uint64_t v, int width, char out[PV_DIGITS_MAX])
{
	/* written backwards into t, then moved to the front of out */
	char t[PV_DIGITS_MAX];
	size_t k = sizeof t;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		k -= 2;
		memcpy(t + k, pairs + 2 * r, 2);
	}
	if (v >= 10) {
		k -= 2;
		memcpy(t + k, pairs + 2 * v, 2);
	} else {
		t[--k] = (char)('0' + v);
	}
	size_t n = sizeof t - k;
	size_t pad = width > 0 && (size_t)width > n ? (size_t)width - n : 0;
	if (pad + n > PV_DIGITS_MAX)
		pad = PV_DIGITS_MAX - n;
	memset(out, '0', pad);
	memcpy(out + pad, t + k, n);
	return pad + n;
}

size_t pv_digits_u64(uint64_t v, char out[PV_DIGITS_MAX])
{
	return pv_digits_u64_pad(v, 0, out);
}

size_t pv_digits_i64(int64_t v, char out[PV_DIGITS_MAX])
{
	if (v >= 0)
		return pv_digits_u64((uint64_t)v, out);
	/* the magnitude as unsigned, so INT64_MIN is fine; 19 digits at most */
	char t[PV_DIGITS_MAX];
	size_t n = pv_digits_u64((uint64_t)0 - (uint64_t)v, t);
	out[0] = '-';
	memcpy(out + 1, t, n);
	return n + 1;
}
