/*
 * codec.h - every Parquet compression codec behind two calls: decompress a
 * page body into a buffer of the size its header promises, and compress
 * bytes for the writer. Codec ids are the wire values of pv_codec
 * (format/meta.h), whose pv_codec_name gives their names.
 * Includes only base and format; nothing above codec.
 *
 * The contract of the codec layer:
 *
 *  - The page header is the only authority on sizes. The caller allocates
 *    exactly dst_len bytes (the header's uncompressed size, less the level
 *    bytes of a DATA_PAGE_V2) and the codec must fill exactly that many: a
 *    stream that yields fewer or more bytes is PV_ECORRUPT. The codec never
 *    writes outside dst[0..dst_len) and allocates no memory that grows with
 *    the input or with dst_len; libraries keep small fixed working state
 *    (zlib about 40 KiB, a zstd context, brotli's window of at most 16 MiB,
 *    an LZ4 frame's block buffer of at most 4 MiB). So a decompression bomb
 *    costs at most dst_len bytes, and THE CALLER MUST CAP dst_len: a page
 *    header claiming more than the caller's limit is the caller's
 *    PV_ELIMIT, raised before it allocates dst.
 *  - Every compressed byte is hostile: truncated or padded streams end in
 *    a clean error, never a crash, hang or over-read. A corrupted stream
 *    fails too, except that codecs without checksums (snappy, LZ4, zstd as
 *    Parquet writes it) may decode it to dst_len wrong bytes.
 *  - Sizes above PV_CODEC_MAX (Parquet's 32-bit page sizes) are PV_ELIMIT.
 *  - Everything here is thread-safe: pages of one file are decompressed on
 *    several threads at once, each call with its own buffers.
 *
 * Per codec:
 *   UNCOMPRESSED  src_len must equal dst_len; the bytes are copied.
 *   SNAPPY        raw snappy (no framing); its length prefix must say dst_len.
 *   GZIP          gzip or zlib streams (header detected), several gzip
 *                 members one after another decompress as one page.
 *   LZO           PV_EUNSUPPORTED "unsupported codec 'LZO'".
 *   BROTLI        one brotli stream.
 *   LZ4           the deprecated codec, in whichever of its historical
 *                 framings the bytes follow: Hadoop's (blocks of a 4-byte
 *                 big-endian uncompressed size, then one or more 4-byte
 *                 big-endian compressed sizes each with its raw LZ4 block),
 *                 tried first when its first 8 bytes are consistent; the
 *                 LZ4 frame format (magic 04 22 4d 18); else one raw block.
 *   ZSTD          one or more zstd frames (skippable frames allowed).
 *   LZ4_RAW       one raw LZ4 block.
 * An empty input for an empty page (src_len == dst_len == 0) is accepted
 * for every supported codec: writers store no bytes at all for a
 * DATA_PAGE_V2 whose values take none.
 */
#ifndef PV_CODEC_H
#define PV_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "format/meta.h"

/* The largest input or output any codec call accepts (Parquet stores page
 * sizes as i32). */
#define PV_CODEC_MAX ((size_t)INT32_MAX)

/* Decompresses src[0..src_len) with codec (a pv_codec value) into exactly
 * dst_len bytes at dst. dst may be NULL when dst_len is 0. On failure the
 * contents of dst are unspecified (but nothing outside it was touched).
 * Errors (all but PV_EUNSUPPORTED start with the codec's lowercase name):
 *   PV_ECORRUPT      the stream is malformed or truncated, or it yields a
 *                    size other than dst_len ("snappy: page decompresses to
 *                    1000 bytes, header says 1024");
 *   PV_EUNSUPPORTED  LZO ("unsupported codec 'LZO'"), an unknown id
 *                    ("unknown codec 9");
 *   PV_ELIMIT        src_len or dst_len above PV_CODEC_MAX;
 *   PV_ENOMEM        a library could not get its working memory.
 * Thread-safe. */
int pv_codec_decompress(int codec, const uint8_t *src, size_t src_len, uint8_t *dst,
			size_t dst_len, pv_err *err);

/* ------------------------------------------------------------------ streaming */

/* A page body decompressed a piece at a time, so that a reader wanting the
 * first rows of a 100 MiB page decompresses only the bytes they need and
 * holds a window of them, not the page. The same contract as
 * pv_codec_decompress: exactly dst_len bytes come out of exactly src_len
 * bytes in, and a stream that yields fewer or more, is truncated or
 * malformed fails with the same codes and, for wrong sizes, the same
 * messages ("zstd: page decompresses to 1000 bytes, header says 1024",
 * "...to more than 999 bytes..."), raised as soon as the bytes show it
 * (a short stream when its input runs out, a long one when output would
 * pass dst_len). A stream never yields more than dst_len bytes in all.
 *
 * ZSTD, GZIP (several members), BROTLI and UNCOMPRESSED stream with the
 * libraries' small fixed state (a zstd context and its window, at most the
 * frame's window size; zlib's 40 KiB; brotli's window). SNAPPY, LZ4 and
 * LZ4_RAW have no streaming form: their stream gathers all src_len bytes
 * and then decompresses the page whole into a buffer of dst_len bytes it
 * owns, so THE CALLER MUST CAP dst_len AND src_len as for
 * pv_codec_decompress. pv_codec_stream_whole says which kind a codec is.
 * One stream, one thread; streams on distinct threads are independent. */
typedef struct pv_codec_stream pv_codec_stream;

/* Starts a stream for one page body. Errors: PV_EUNSUPPORTED and PV_ELIMIT
 * as pv_codec_decompress; PV_ECORRUPT "uncompressed: page has 10 bytes,
 * header says 12" for an UNCOMPRESSED body whose sizes differ; PV_ENOMEM.
 * Free with pv_codec_stream_free. */
int pv_codec_stream_new(int codec, size_t src_len, size_t dst_len, pv_codec_stream **out,
			pv_err *err);

/* NULL allowed. */
void pv_codec_stream_free(pv_codec_stream *s);

/* True for the codecs whose stream decompresses the page whole (above). */
bool pv_codec_stream_whole(int codec);

/* Feeds in[0..in_len) (the next compressed bytes; at most src_len in all
 * over the stream's life) and writes up to out_len decompressed bytes to
 * out. *in_used gets the input bytes consumed (the caller feeds the rest
 * again), *out_made the bytes written. A call that consumes and makes
 * nothing needs more input; once all src_len bytes are consumed a stream
 * that cannot make dst_len bytes fails instead. When the last of dst_len
 * bytes comes out, the rest of the input is checked to the end of the
 * stream (trailing frames and members must make no more bytes). in may be
 * NULL when in_len is 0, out when out_len is 0. Errors as above; after an
 * error the stream may only be freed. */
int pv_codec_stream_next(pv_codec_stream *s, const uint8_t *in, size_t in_len, size_t *in_used,
			 uint8_t *out, size_t out_len, size_t *out_made, pv_err *err);

/* Decompressed bytes handed out so far. */
size_t pv_codec_stream_made(const pv_codec_stream *s);

/* True once all dst_len bytes came out and the input was checked to its
 * end: the page decompressed correctly. */
bool pv_codec_stream_done(const pv_codec_stream *s);

/* ------------------------------------------------------------------ compression */

/* True when pv_codec_compress can write codec in this build: UNCOMPRESSED,
 * SNAPPY, GZIP, ZSTD and LZ4_RAW always; BROTLI when parqview was built
 * with PV_HAVE_BROTLIENC (and linked with -lbrotlienc). */
bool pv_codec_can_compress(int codec);

/* Compresses src[0..n) with codec and APPENDS the result to out (existing
 * bytes stay). level 0 means a default (GZIP 6, ZSTD 3, BROTLI 8, LZ4_RAW
 * its fast mode); otherwise it is the codec's own scale: GZIP 1..9, ZSTD
 * ZSTD_minCLevel()..22 (negative is faster), BROTLI 1..11, LZ4_RAW 1..12
 * (LZ4's high-compression mode). It is ignored for UNCOMPRESSED and
 * SNAPPY. GZIP writes gzip format (RFC 1952), as Parquet specifies.
 * src may be NULL when n is 0.
 * Errors: PV_EUNSUPPORTED for LZO, LZ4 (deprecated: write LZ4_RAW), BROTLI
 * without the encoder, and unknown ids; PV_EINVAL for a level out of
 * range; PV_ELIMIT when n exceeds PV_CODEC_MAX or out's cap cannot hold the
 * codec's worst-case output size; PV_ENOMEM; PV_EINTERNAL if a library
 * fails. On failure out->len is what it was before the call.
 * Thread-safe for distinct out buffers. */
int pv_codec_compress(int codec, int level, const uint8_t *src, size_t n, pv_buf *out,
		      pv_err *err);

#endif
