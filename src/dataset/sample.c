/*
 * sample.c - xoshiro256** seeded by splitmix64, Floyd's sampling over an
 * open-addressing hash set, and the conversion of the drawn rows into
 * sorted ranges. Includes only base and dataset.
 */
#include "dataset/sample.h"

#include <stdbool.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/banned.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void pv_rng_seed(pv_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

uint64_t pv_rng_next(pv_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

uint64_t pv_rng_below(pv_rng *r, uint64_t bound)
{
	/* 2^64 mod bound values at the bottom would make small results more
	 * likely; rejecting them leaves a whole number of full intervals. */
	uint64_t threshold = (0 - bound) % bound;
	for (;;) {
		uint64_t x = pv_rng_next(r);
		if (x >= threshold)
			return x % bound;
	}
}

uint64_t pv_sample_random_seed(void)
{
	uint32_t v;
	if (getrandom(&v, sizeof v, GRND_NONBLOCK) == (ssize_t)sizeof v)
		return v;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t x = (uint64_t)ts.tv_sec ^ ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)getpid();
	return splitmix64(&x) & 0xffffffffu;
}

/* ---- a set of row indices (open addressing, linear probing) */

typedef struct row_set {
	uint64_t *slots; /* row + 1; 0 = empty */
	size_t mask;
} row_set;

static size_t slot_of(uint64_t v, size_t mask)
{
	uint64_t x = v;
	return (size_t)splitmix64(&x) & mask;
}

/* Adds v; false when it was already there. */
static bool set_add(row_set *s, uint64_t v)
{
	size_t h = slot_of(v, s->mask);
	while (s->slots[h]) {
		if (s->slots[h] == v + 1)
			return false;
		h = (h + 1) & s->mask;
	}
	s->slots[h] = v + 1;
	return true;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Floyd's algorithm: k distinct rows of [0, total), each k-subset equally
 * likely, in k steps whatever k is. Writes them to rows[0..k). */
static int floyd(int64_t total, int64_t k, pv_rng *rng, int64_t *rows, pv_err *err)
{
	size_t cap = 16;
	while (cap < (size_t)k * 2)
		cap *= 2;
	row_set set = { calloc(cap, sizeof(uint64_t)), cap - 1 };
	if (!set.slots)
		return pv_err_set(err, PV_ENOMEM, "out of memory drawing a sample of %lld rows",
				  (long long)k);
	size_t n = 0;
	for (int64_t j = total - k; j < total; j++) {
		int64_t t = (int64_t)pv_rng_below(rng, (uint64_t)j + 1);
		/* t was taken before: j cannot have been (it is new this step) */
		if (!set_add(&set, (uint64_t)t)) {
			set_add(&set, (uint64_t)j);
			t = j;
		}
		rows[n++] = t;
	}
	free(set.slots);
	return 0;
}

int pv_sample_draw(int64_t n_total, int64_t n, uint64_t seed, pv_row_range **out, size_t *out_n,
                   pv_err *err)
{
	*out = NULL;
	*out_n = 0;
	if (n_total < 0 || n < 0)
		return pv_err_set(err, PV_EINVAL, "a sample needs non-negative counts");
	if (n == 0 || n_total == 0)
		return 0;
	if (n >= n_total) {
		if (!(*out = malloc(sizeof **out)))
			return pv_err_set(err, PV_ENOMEM, "out of memory");
		(*out)[0] = (pv_row_range){ 0, n_total };
		*out_n = 1;
		return 0;
	}
	bool leave_out = n > n_total - n;
	int64_t k = leave_out ? n_total - n : n;
	if (k > PV_SAMPLE_MAX)
		return pv_err_set(err, PV_ELIMIT,
				  "a sample of %lld of %lld rows is over the limit of %lld rows %s",
				  (long long)n, (long long)n_total, (long long)PV_SAMPLE_MAX,
				  leave_out ? "left out" : "drawn");

	int64_t *rows = malloc((size_t)k * sizeof *rows);
	/* at most one range per drawn row, plus the tail when leaving out */
	pv_row_range *ranges = malloc(((size_t)k + 1) * sizeof *ranges);
	if (!rows || !ranges) {
		free(rows);
		free(ranges);
		return pv_err_set(err, PV_ENOMEM, "out of memory drawing a sample of %lld rows",
				  (long long)k);
	}
	pv_rng rng;
	pv_rng_seed(&rng, seed);
	int rc = floyd(n_total, k, &rng, rows, err);
	if (rc) {
		free(rows);
		free(ranges);
		return rc;
	}
	qsort(rows, (size_t)k, sizeof *rows, cmp_i64);

	size_t nr = 0;
	if (!leave_out) {
		for (int64_t i = 0; i < k; i++) {
			if (nr && ranges[nr - 1].first + ranges[nr - 1].count == rows[i])
				ranges[nr - 1].count++;
			else
				ranges[nr++] = (pv_row_range){ rows[i], 1 };
		}
	} else {
		/* the kept rows are the gaps between the rows left out */
		int64_t next = 0;
		for (int64_t i = 0; i < k; i++) {
			if (rows[i] > next)
				ranges[nr++] = (pv_row_range){ next, rows[i] - next };
			next = rows[i] + 1;
		}
		if (next < n_total)
			ranges[nr++] = (pv_row_range){ next, n_total - next };
	}
	free(rows);
	*out = ranges;
	*out_n = nr;
	return 0;
}
