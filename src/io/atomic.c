/*
 * atomic.c - temporary file + fsync + rename, with a guard against
 * overwriting an input.
 * Includes only base and io.
 */
#include "io/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/banned.h"

/* The process umask without changing it for other threads: Linux shows it
 * in /proc/self/status; elsewhere fall back to the set-and-restore dance. */
static mode_t current_umask(void)
{
	FILE *fp = fopen("/proc/self/status", "re");
	if (fp) {
		char line[256];
		while (fgets(line, sizeof line, fp)) {
			if (strncmp(line, "Umask:", 6) == 0) {
				char *end;
				unsigned long m = strtoul(line + 6, &end, 8);
				if (end != line + 6) {
					fclose(fp);
					return (mode_t)(m & 0777);
				}
			}
		}
		fclose(fp);
	}
	mode_t m = umask(022);
	umask(m);
	return m;
}

/* True when a and b name the same existing file. */
static bool same_file(const struct stat *a, const char *b)
{
	struct stat sb;
	if (stat(b, &sb) != 0)
		return false;
	return a->st_dev == sb.st_dev && a->st_ino == sb.st_ino;
}

/* True when the (possibly not yet existing) target is one of the inputs. */
static bool is_protected(const char *target, const char *const *protect, size_t n_protect)
{
	struct stat st;
	bool exists = stat(target, &st) == 0;
	char *rt = realpath(target, NULL);
	bool hit = false;
	for (size_t i = 0; i < n_protect && !hit; i++) {
		if (!protect[i])
			continue;
		if (strcmp(protect[i], target) == 0) {
			hit = true;
		} else if (exists) {
			hit = same_file(&st, protect[i]);
		} else if (rt) {
			char *rp = realpath(protect[i], NULL);
			hit = rp && strcmp(rp, rt) == 0;
			free(rp);
		}
	}
	free(rt);
	return hit;
}

static void release(pv_atomic_file *f)
{
	free(f->target);
	free(f->tmp);
	f->fp = NULL;
	f->target = NULL;
	f->tmp = NULL;
}

int pv_atomic_open(pv_atomic_file *f, const char *target, const char *const *protect,
                   size_t n_protect, pv_err *err)
{
	memset(f, 0, sizeof *f);
	if (!target || !*target)
		return pv_err_set(err, PV_EINVAL, "empty output path");
	if (is_protected(target, protect, n_protect))
		return pv_err_set(err, PV_EINVAL, "refusing to overwrite input '%s'", target);

	struct stat lst;
	char *real = NULL;
	if (lstat(target, &lst) == 0) {
		if (S_ISLNK(lst.st_mode))
			real = realpath(target, NULL); /* NULL for a dangling link: replace the link */
		struct stat st;
		if (stat(target, &st) == 0 && S_ISDIR(st.st_mode)) {
			free(real);
			return pv_err_set(err, PV_EINVAL, "'%s' is a directory", target);
		}
	}
	f->target = strdup(real ? real : target);
	free(real);
	if (!f->target)
		return pv_err_set(err, PV_ENOMEM, "out of memory");

	/* ".NAME.XXXXXX" in the target's directory, so rename never crosses
	 * file systems */
	const char *slash = strrchr(f->target, '/');
	size_t dir_len = slash ? (size_t)(slash - f->target) + 1 : 0;
	const char *name = f->target + dir_len;
	pv_buf b;
	pv_buf_init(&b, PATH_MAX * 2);
	int rc = pv_buf_append(&b, f->target, dir_len, err);
	if (!rc)
		rc = pv_buf_printf(&b, err, ".%s.XXXXXX", name);
	if (rc) {
		pv_buf_release(&b);
		release(f);
		return rc;
	}
	f->tmp = pv_buf_detach(&b, NULL);

	int fd = mkostemp(f->tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		rc = pv_err_set(err, e == ENOENT ? PV_ENOTFOUND : PV_EIO,
		                "cannot create a temporary file for '%s': %s", target, strerror(e));
		release(f);
		return rc;
	}
	/* mkstemp makes 0600; an output file should get what fopen would give */
	if (fchmod(fd, 0666 & ~current_umask()) != 0 || !(f->fp = fdopen(fd, "wb"))) {
		int e = errno;
		close(fd);
		unlink(f->tmp);
		release(f);
		return pv_err_set(err, PV_EIO, "cannot prepare output '%s': %s", target, strerror(e));
	}
	return 0;
}

FILE *pv_atomic_stream(pv_atomic_file *f)
{
	return f->fp;
}

int pv_atomic_commit(pv_atomic_file *f, pv_err *err)
{
	if (!f->fp || !f->tmp) {
		release(f);
		return pv_err_set(err, PV_EINVAL, "atomic file is not open");
	}
	/* the first step that fails names the error */
	int e = 0;
	const char *what = NULL;
	if (ferror(f->fp)) {
		what = "write";
		e = EIO;
	} else if (fflush(f->fp) != 0) {
		what = "write";
		e = errno;
	} else if (fsync(fileno(f->fp)) != 0) {
		what = "fsync";
		e = errno;
	}
	if (fclose(f->fp) != 0 && !what) {
		what = "close";
		e = errno;
	}
	f->fp = NULL;
	if (!what && rename(f->tmp, f->target) != 0) {
		what = "rename";
		e = errno;
	}
	if (what) {
		unlink(f->tmp);
		int rc = pv_err_set(err, PV_EIO, "cannot %s '%s': %s", what, f->target, strerror(e));
		release(f);
		return rc;
	}
	/* Make the rename itself durable; a failure here is not worth failing
	 * the whole command over, the data is already in place. */
	const char *slash = strrchr(f->target, '/');
	char *dir = slash ? strndup(f->target, (size_t)(slash - f->target) + 1) : strdup(".");
	if (dir) {
		int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
		free(dir);
	}
	release(f);
	return 0;
}

void pv_atomic_abort(pv_atomic_file *f)
{
	if (!f)
		return;
	if (f->fp)
		fclose(f->fp);
	if (f->tmp)
		unlink(f->tmp);
	release(f);
}
