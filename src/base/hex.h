/*
 * hex.h - one hexadecimal digit's value, for the parsers of percent-escapes
 * in hive paths and hex literals in bloom filter probes. Header only,
 * thread-safe; includes nothing.
 */
#ifndef PV_HEX_H
#define PV_HEX_H

/* 0..15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for any other c. */
static inline int pv_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
