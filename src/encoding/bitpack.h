/*
 * bitpack.h - unpacking LSB-first bit-packed groups of 8 values, the
 * packing the RLE/bit-packing hybrid and DELTA_BINARY_PACKED share.
 *
 * A group of 8 values of width w takes exactly w bytes. Each width has its
 * own fully unrolled unpacker (shifts and masks with constants), so one
 * call decodes many groups with no per-value branch. Reads never go past
 * in + avail: bytes the caller does not have read as zero, which is how a
 * truncated final group is decoded. Thread-safe (no state).
 * Includes only the C library; nothing from parqview.
 */
#ifndef PV_BITPACK_H
#define PV_BITPACK_H

#include <stddef.h>
#include <stdint.h>

/* Unpacks n_groups groups (8 * n_groups values) of width 0..32 from in into
 * out. Reads at most min(avail, n_groups * width) bytes. */
void pv_unpack32(const uint8_t *in, size_t avail, size_t n_groups, unsigned width, uint32_t *out);

/* The same for widths 0..64 into 64-bit values. */
void pv_unpack64(const uint8_t *in, size_t avail, size_t n_groups, unsigned width, uint64_t *out);

#endif
