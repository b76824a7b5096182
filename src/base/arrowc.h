/*
 * arrowc.h - the Arrow C Data Interface structs (ArrowSchema, ArrowArray,
 * ArrowArrayStream), parqview's public batch format, declared from the
 * Arrow project's published specification so that other tools can take
 * our batches without copying.
 *
 * The layouts below are fixed by that specification and must not change.
 * Ownership: whoever holds a struct with a non-NULL release callback owns
 * it and must call release exactly once; release sets release to NULL.
 * Producers in parqview document which format strings they emit
 * (README "Batches"). Includes only the C library.
 */
#ifndef PV_ARROWC_H
#define PV_ARROWC_H

#include <stdint.h>

#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

struct ArrowSchema {
	/* Array type description */
	const char *format;
	const char *name;
	const char *metadata;
	int64_t flags;
	int64_t n_children;
	struct ArrowSchema **children;
	struct ArrowSchema *dictionary;

	/* Release callback */
	void (*release)(struct ArrowSchema *);
	/* Opaque producer-specific data */
	void *private_data;
};

struct ArrowArray {
	/* Array data description */
	int64_t length;
	int64_t null_count;
	int64_t offset;
	int64_t n_buffers;
	int64_t n_children;
	const void **buffers;
	struct ArrowArray **children;
	struct ArrowArray *dictionary;

	/* Release callback */
	void (*release)(struct ArrowArray *);
	/* Opaque producer-specific data */
	void *private_data;
};

#endif /* ARROW_C_DATA_INTERFACE */

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

struct ArrowArrayStream {
	/* Callbacks return 0 or an errno value; get_next yields a released
	 * (release == NULL) array at the end of the stream. */
	int (*get_schema)(struct ArrowArrayStream *, struct ArrowSchema *out);
	int (*get_next)(struct ArrowArrayStream *, struct ArrowArray *out);
	const char *(*get_last_error)(struct ArrowArrayStream *);

	/* Release callback */
	void (*release)(struct ArrowArrayStream *);
	/* Opaque producer-specific data */
	void *private_data;
};

#endif /* ARROW_C_STREAM_INTERFACE */

#endif
