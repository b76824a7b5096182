/*
 * paths.c - expanding files, directories and `**` globs into a sorted list
 * of Parquet files.
 * Includes only base and dataset.
 */
#include "dataset/paths.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "base/checked.h"
#include "base/banned.h"

/* What a directory entry is, as far as we care. */
enum kind { K_OTHER = 0, K_FILE, K_DIR };

/* A directory already entered: (device, inode) plus the glob segment index
 * it was entered for (WALK_TAG for a plain recursive walk). */
typedef struct seen {
	dev_t dev;
	ino_t ino;
	uint32_t tag;
	bool used;
} seen;

#define WALK_TAG UINT32_MAX

typedef struct walker {
	pv_path_list *out;
	pv_err *err;
	size_t arg;
	const char *root;
	size_t n_found; /* files added for the current argument */
	seen *set;
	size_t n_set, cap_set;
	char **segs; /* glob segments */
	size_t n_segs;
} walker;

void pv_path_list_init(pv_path_list *l)
{
	l->items = NULL;
	l->n_items = 0;
	l->alloc = 0;
	l->max_files = PV_PATHS_MAX_FILES;
	pv_arena_init(&l->arena, 0);
}

void pv_path_list_release(pv_path_list *l)
{
	if (!l)
		return;
	free(l->items);
	l->items = NULL;
	l->n_items = l->alloc = 0;
	pv_arena_release(&l->arena);
}

bool pv_paths_is_parquet_name(const char *name)
{
	size_t n = strlen(name);
	static const char *const ext[] = { ".parquet", ".parq", ".pq" };
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		size_t e = strlen(ext[i]);
		/* a bare ".parquet" is a hidden file, not a parquet file */
		if (n > e && strcasecmp(name + n - e, ext[i]) == 0)
			return true;
	}
	return false;
}

bool pv_paths_is_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static bool hidden(const char *name)
{
	return name[0] == '.' || name[0] == '_';
}

/* ---- the visited set (open addressing, grows at half load) ---- */

static size_t seen_hash(dev_t dev, ino_t ino, uint32_t tag)
{
	uint64_t h = (uint64_t)ino * 0x9e3779b97f4a7c15ull;
	h ^= (uint64_t)dev * 0xc2b2ae3d27d4eb4full + tag;
	return (size_t)(h ^ (h >> 29));
}

/* Marks (dev, ino, tag); returns 1 if it was new, 0 if already there, or a
 * negative pv_code. */
static int seen_add(walker *w, dev_t dev, ino_t ino, uint32_t tag)
{
	if ((w->n_set + 1) * 2 > w->cap_set) {
		size_t cap = w->cap_set ? w->cap_set * 2 : 64;
		seen *set = calloc(cap, sizeof *set);
		if (!set)
			return pv_err_set(w->err, PV_ENOMEM, "out of memory walking directories");
		for (size_t i = 0; i < w->cap_set; i++) {
			if (!w->set[i].used)
				continue;
			size_t j = seen_hash(w->set[i].dev, w->set[i].ino, w->set[i].tag) & (cap - 1);
			while (set[j].used)
				j = (j + 1) & (cap - 1);
			set[j] = w->set[i];
		}
		free(w->set);
		w->set = set;
		w->cap_set = cap;
	}
	size_t j = seen_hash(dev, ino, tag) & (w->cap_set - 1);
	while (w->set[j].used) {
		if (w->set[j].dev == dev && w->set[j].ino == ino && w->set[j].tag == tag)
			return 0;
		j = (j + 1) & (w->cap_set - 1);
	}
	w->set[j] = (seen){ dev, ino, tag, true };
	w->n_set++;
	return 1;
}

/* ---- building the list ---- */

/* dir + "/" + name in the arena, without doubling a trailing '/'. */
static char *join(walker *w, const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	bool slash = dl > 0 && dir[dl - 1] != '/';
	size_t total;
	if (!pv_add_size(dl, nl, &total) || !pv_add_size(total, 2, &total)) {
		pv_err_set(w->err, PV_ELIMIT, "path too long");
		return NULL;
	}
	char *p = pv_arena_alloc(&w->out->arena, total, w->err);
	if (!p)
		return NULL;
	memcpy(p, dir, dl);
	if (slash)
		p[dl++] = '/';
	memcpy(p + dl, name, nl + 1);
	return p;
}

/* path after root and its separating '/'. */
static const char *rel_of(const char *path, const char *root)
{
	size_t rl = strlen(root);
	if (rl == 0 || strncmp(path, root, rl) != 0)
		return path;
	path += rl;
	while (*path == '/')
		path++;
	return path;
}

static int add(walker *w, const char *path)
{
	pv_path_list *l = w->out;
	if (l->n_items >= l->max_files)
		return pv_err_set(w->err, PV_ELIMIT, "more than %zu files to read", l->max_files);
	if (l->n_items == l->alloc) {
		size_t alloc = l->alloc ? l->alloc * 2 : 64, bytes;
		if (!pv_mul_size(alloc, sizeof *l->items, &bytes))
			return pv_err_set(w->err, PV_ELIMIT, "too many files");
		pv_path *items = realloc(l->items, bytes);
		if (!items)
			return pv_err_set(w->err, PV_ENOMEM, "out of memory listing files");
		l->items = items;
		l->alloc = alloc;
	}
	l->items[l->n_items++] = (pv_path){ path, w->root, rel_of(path, w->root), w->arg };
	w->n_found++;
	return 0;
}

/* What path is, following symlinks; K_OTHER when it vanished or is special. */
static enum kind stat_kind(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return K_OTHER;
	return S_ISDIR(st.st_mode) ? K_DIR : S_ISREG(st.st_mode) ? K_FILE : K_OTHER;
}

static enum kind entry_kind(const struct dirent *de, const char *full)
{
	switch (de->d_type) {
	case DT_REG: return K_FILE;
	case DT_DIR: return K_DIR;
	case DT_LNK:
	case DT_UNKNOWN: return stat_kind(full);
	default: return K_OTHER;
	}
}

static DIR *open_dir(walker *w, const char *path, int *rc)
{
	*rc = 0;
	DIR *d = opendir(*path ? path : ".");
	if (!d && errno != ENOENT && errno != ENOTDIR)
		*rc = pv_err_set(w->err, PV_EIO, "cannot read directory '%s': %s", path,
		                 strerror(errno));
	return d;
}

/* Enters d once per walk: 1 to go on, 0 if seen, or an error. */
static int enter(walker *w, DIR *d)
{
	struct stat st;
	if (fstat(dirfd(d), &st) != 0)
		return 1;
	return seen_add(w, st.st_dev, st.st_ino, WALK_TAG);
}

static int too_deep(walker *w, const char *path)
{
	return pv_err_set(w->err, PV_ELIMIT, "directories nested deeper than %d levels at '%s'",
	                  PV_PATHS_MAX_DEPTH, path);
}

/* A small growable list of paths (arena strings) with what each is. */
typedef struct dirlist {
	char **v;
	enum kind *k;
	size_t n, alloc;
} dirlist;

static int dirlist_push(walker *w, dirlist *l, char *p, enum kind k)
{
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? l->alloc * 2 : 16, bytes;
		char **v;
		enum kind *kk;
		if (!pv_mul_size(alloc, sizeof *v, &bytes) || !(v = realloc(l->v, bytes)))
			return pv_err_set(w->err, PV_ENOMEM, "out of memory walking directories");
		l->v = v;
		if (!pv_mul_size(alloc, sizeof *kk, &bytes) || !(kk = realloc(l->k, bytes)))
			return pv_err_set(w->err, PV_ENOMEM, "out of memory walking directories");
		l->k = kk;
		l->alloc = alloc;
	}
	l->v[l->n] = p;
	l->k[l->n] = k;
	l->n++;
	return 0;
}

static void dirlist_free(dirlist *l)
{
	free(l->v);
	free(l->k);
}

/* The next entry of d, whose path is path, in *out; NULL at the end. */
static int next_entry(walker *w, DIR *d, const char *path, struct dirent **out)
{
	errno = 0;
	*out = readdir(d);
	if (!*out && errno)
		return pv_err_set(w->err, PV_EIO, "cannot read directory '%s': %s", path,
				  strerror(errno));
	return 0;
}

/* Recursively adds the parquet files under path. The directory is read
 * to the end and closed before descending, so one descriptor is open at a
 * time however deep the tree. */
static int walk(walker *w, const char *path, int depth)
{
	if (depth > PV_PATHS_MAX_DEPTH)
		return too_deep(w, path);
	int rc;
	DIR *d = open_dir(w, path, &rc);
	if (!d)
		return rc;
	rc = enter(w, d);
	if (rc <= 0) {
		closedir(d);
		return rc;
	}
	rc = 0;
	dirlist subs = { 0 };
	while (!rc) {
		struct dirent *de;
		if ((rc = next_entry(w, d, path, &de)) != 0 || !de)
			break;
		const char *name = de->d_name;
		if (hidden(name))
			continue;
		/* a regular file that is not *.parquet needs no path at all */
		if (de->d_type == DT_REG && !pv_paths_is_parquet_name(name))
			continue;
		char *full = join(w, path, name);
		if (!full) {
			rc = w->err->code;
			break;
		}
		enum kind k = entry_kind(de, full);
		if (k == K_FILE && pv_paths_is_parquet_name(name))
			rc = add(w, full);
		else if (k == K_DIR)
			rc = dirlist_push(w, &subs, full, k);
	}
	closedir(d);
	for (size_t i = 0; !rc && i < subs.n; i++)
		rc = walk(w, subs.v[i], depth + 1);
	dirlist_free(&subs);
	return rc;
}

/* A found match of the last glob segment. */
static int take(walker *w, const char *path, enum kind k, int depth)
{
	if (k == K_FILE)
		return add(w, path);
	if (k == K_DIR)
		return walk(w, path, depth + 1);
	return 0;
}

static int match(walker *w, const char *dir, size_t i, int depth);

/* Lists dir and calls match/take for the entries segment i matches. For
 * a `**` segment (star) every non-hidden directory matches and stays at i. */
static int match_entries(walker *w, const char *dir, size_t i, int depth, bool star)
{
	const char *seg = w->segs[i];
	bool last = i + 1 == w->n_segs;
	int rc;
	DIR *d = open_dir(w, dir, &rc);
	if (!d)
		return rc;
	/* A directory whose entries a pattern has looked at is not walked
	 * again later: that is what stops a `*` pattern from descending into a
	 * symlink back to data. The listing itself goes on either way. */
	if (!star && (rc = enter(w, d)) < 0) {
		closedir(d);
		return rc;
	}
	rc = 0;
	dirlist subs = { 0 };
	while (!rc) {
		struct dirent *de;
		if ((rc = next_entry(w, d, dir, &de)) != 0 || !de)
			break;
		const char *name = de->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (hidden(name) && (star || name[0] != seg[0]))
			continue;
		if (star ? de->d_type == DT_REG : fnmatch(seg, name, 0) != 0)
			continue;
		char *full = join(w, dir, name);
		if (!full) {
			rc = w->err->code;
			break;
		}
		rc = dirlist_push(w, &subs, full, entry_kind(de, full));
	}
	closedir(d);
	/* recurse after closing, so the descent holds no descriptor */
	for (size_t j = 0; !rc && j < subs.n; j++) {
		if (star) {
			if (subs.k[j] == K_DIR)
				rc = match(w, subs.v[j], i, depth + 1);
		} else if (last) {
			rc = take(w, subs.v[j], subs.k[j], depth);
		} else if (subs.k[j] == K_DIR) {
			rc = match(w, subs.v[j], i + 1, depth + 1);
		}
	}
	dirlist_free(&subs);
	return rc;
}

/* Matches segments i.. against the tree under dir. */
static int match(walker *w, const char *dir, size_t i, int depth)
{
	if (depth > PV_PATHS_MAX_DEPTH)
		return too_deep(w, dir);
	const char *seg = w->segs[i];
	bool last = i + 1 == w->n_segs;
	if (strcmp(seg, "**") == 0) {
		if (last)
			return walk(w, dir, depth);
		/* Each (directory, segment) pair is matched once: that ends symlink
		 * loops and keeps repeated `**` segments from blowing up. */
		struct stat st;
		if (stat(*dir ? dir : ".", &st) != 0)
			return 0;
		int rc = seen_add(w, st.st_dev, st.st_ino, (uint32_t)i);
		if (rc <= 0)
			return rc;
		/* zero directories, then one or more */
		rc = match(w, dir, i + 1, depth);
		return rc ? rc : match_entries(w, dir, i, depth, true);
	}
	if (!pv_paths_is_glob(seg)) {
		char *full = join(w, dir, seg);
		if (!full)
			return w->err->code;
		enum kind k = stat_kind(full);
		if (last)
			return take(w, full, k, depth);
		return k == K_DIR ? match(w, full, i + 1, depth + 1) : 0;
	}
	return match_entries(w, dir, i, depth, false);
}

/* Splits pattern into segments (collapsing repeated '/' and `**`), and
 * sets w->root to the leading segments without wildcards. */
static int split_glob(walker *w, const char *pattern)
{
	pv_arena *a = &w->out->arena;
	size_t n = 0;
	for (const char *p = pattern; *p; p++)
		n += *p == '/';
	w->segs = pv_arena_array(a, n + 1, sizeof *w->segs, w->err);
	if (!w->segs)
		return w->err->code;
	w->n_segs = 0;
	const char *p = pattern;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len > 0 && !(len == 1 && p[0] == '.' && w->n_segs > 0)) {
			bool star2 = len == 2 && p[0] == '*' && p[1] == '*';
			bool prev2 = w->n_segs > 0 && strcmp(w->segs[w->n_segs - 1], "**") == 0;
			if (!(star2 && prev2)) {
				char *s = pv_arena_strndup(a, p, len, w->err);
				if (!s)
					return w->err->code;
				w->segs[w->n_segs++] = s;
			}
		}
		p += len;
		while (*p == '/')
			p++;
	}
	/* the root: "/" for absolute patterns, then the literal segments */
	size_t k = 0;
	while (k + 1 < w->n_segs && !pv_paths_is_glob(w->segs[k]))
		k++;
	const char *root = pattern[0] == '/' ? "/" : "";
	for (size_t j = 0; j < k; j++) {
		char *r = join(w, root, w->segs[j]);
		if (!r)
			return w->err->code;
		root = r;
	}
	w->root = root;
	memmove(w->segs, w->segs + k, (w->n_segs - k) * sizeof *w->segs);
	w->n_segs -= k;
	return 0;
}

static int expand_glob(walker *w, const char *pattern)
{
	int rc = split_glob(w, pattern);
	if (rc)
		return rc;
	if (w->n_segs == 0)
		return pv_err_set(w->err, PV_EINVAL, "empty pattern '%s'", pattern);
	rc = match(w, w->root, 0, 0);
	if (!rc && w->n_found == 0)
		rc = pv_err_set(w->err, PV_ENOTFOUND, "no parquet files match '%s'", pattern);
	return rc;
}

static int expand_path(walker *w, const char *arg)
{
	struct stat st;
	if (stat(arg, &st) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return pv_err_set(w->err, PV_ENOTFOUND, "'%s': no such file or directory", arg);
		return pv_err_set(w->err, PV_EIO, "cannot access '%s': %s", arg, strerror(errno));
	}
	pv_arena *a = &w->out->arena;
	size_t len = strlen(arg);
	if (S_ISDIR(st.st_mode)) {
		while (len > 1 && arg[len - 1] == '/')
			len--;
		char *root = pv_arena_strndup(a, arg, len, w->err);
		if (!root)
			return w->err->code;
		w->root = root;
		int rc = walk(w, root, 0);
		if (!rc && w->n_found == 0)
			rc = pv_err_set(w->err, PV_ENOTFOUND, "no parquet files under '%s'", arg);
		return rc;
	}
	/* A file (or a FIFO, a device: whoever opens it will judge). */
	const char *slash = strrchr(arg, '/');
	char *root = slash ? pv_arena_strndup(a, arg, slash == arg ? 1 : (size_t)(slash - arg), w->err)
	                   : pv_arena_strndup(a, "", 0, w->err);
	char *path = pv_arena_strndup(a, arg, len, w->err);
	if (!root || !path)
		return w->err->code;
	w->root = root;
	return add(w, path);
}

static int cmp_path(const void *pa, const void *pb)
{
	const pv_path *a = pa, *b = pb;
	int c = strcmp(a->path, b->path);
	if (c)
		return c;
	return a->arg < b->arg ? -1 : a->arg > b->arg;
}

int pv_paths_expand(const char *const *args, size_t n_args, pv_path_list *out, pv_err *err)
{
	pv_err local;
	walker w = { .out = out, .err = err ? err : &local };
	int rc = 0;
	for (size_t i = 0; !rc && i < n_args; i++) {
		w.arg = i;
		w.n_found = 0;
		w.n_set = 0;
		if (w.set)
			memset(w.set, 0, w.cap_set * sizeof *w.set);
		if (!args[i] || !*args[i])
			rc = pv_err_set(w.err, PV_EINVAL, "empty path");
		else if (pv_paths_is_glob(args[i]))
			rc = expand_glob(&w, args[i]);
		else
			rc = expand_path(&w, args[i]);
	}
	free(w.set);
	if (out->n_items > 1) {
		qsort(out->items, out->n_items, sizeof *out->items, cmp_path);
		size_t k = 1;
		for (size_t i = 1; i < out->n_items; i++)
			if (strcmp(out->items[i].path, out->items[k - 1].path) != 0)
				out->items[k++] = out->items[i];
		out->n_items = k;
	}
	return rc;
}
