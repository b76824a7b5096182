/*
 * assets.h - the web front end's files, embedded into the binary.
 *
 * The front end is built from web/ by esbuild into web/dist/ at `make` time;
 * web/embed.mjs turns every file of web/dist/ into build/gen/assets.c, which
 * defines the table behind this header and goes into libparqview.a. Nothing
 * is read from disk at run time and nothing is fetched from the network.
 *
 * This header is the whole interface between the web build and the server
 * (which calls pv_asset_find only). It includes nothing of parqview.
 */
#ifndef PV_ASSETS_H
#define PV_ASSETS_H

#include <stddef.h>

typedef struct pv_asset {
	const char *path;          /* "/index.html", "/assets/app.js" */
	const unsigned char *data; /* size bytes; also NUL-terminated, not counted */
	size_t size;
	const char *content_type; /* "text/html; charset=utf-8" */
	const char *etag;         /* "\"<hash>\"": a strong ETag, quotes included */
} pv_asset;

/*
 * The embedded file at path (starting with '/', compared byte for byte,
 * no query string, no decoding of %XX), or NULL. "/" finds "/index.html".
 * The result is static and lives as long as the program. Thread-safe: the
 * table is constant.
 */
const pv_asset *pv_asset_find(const char *path);

/* The number of embedded files and the i-th in path order (i < n), for tests. */
size_t pv_asset_count(void);
const pv_asset *pv_asset_at(size_t i);

#endif
