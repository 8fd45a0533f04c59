/*
 * lib/radix.c's range walks (radix_copy_range, which fork uses to share a
 * process's pages, and radix_remove_range) against a plain model: sparse
 * random trees across leaf and upper-node boundaries, random ranges, and
 * the allocation failure and collision cases.
 */
#include <stdint.h>
#include <stdlib.h>
#include "host_test.h"
#include <kernel/errno.h>
#include <kernel/radix.h>

unsigned long host_kmalloc_live(void);
void host_kmalloc_fail_nth(unsigned int n);

#define N	600

static uint64_t idx[N];
static unsigned long copied_calls, released;

static void
count_copied(void *item, void *arg)
{
	(void)item;
	(void)arg;
	copied_calls++;
}

static void
count_released(void *item, void *arg)
{
	(void)item;
	(void)arg;
	released++;
}

/* Distinct indexes: clusters around leaf (64) and node (4096) edges, and a few far ones. */
static void
fill(struct radix *r, unsigned int seed)
{
	srand(seed);
	for (unsigned int i = 0; i < N; i++) {
		for (;;) {
			uint64_t base = (uint64_t)(rand() % 8) << (6 * (1 + rand() % 5));
			uint64_t v = i % 50 == 0 ? ~0ull - (uint64_t)(rand() % 100)
						 : base + (uint64_t)(rand() % 200) - 100;

			if (v > base + 200)
				v = base + (uint64_t)(rand() % 100);
			if (radix_insert(r, v, (void *)(uintptr_t)(v + 1)) == 0) {
				idx[i] = v;
				break;
			}
		}
	}
}

HOST_TEST(copy_range_matches_model)
{
	for (unsigned int round = 0; round < 40; round++) {
		struct radix src = RADIX_INIT, dst = RADIX_INIT;
		uint64_t from, last;
		size_t want = 0;

		fill(&src, round);
		from = idx[rand() % N] - (uint64_t)(rand() % 3);
		last = rand() % 4 ? idx[rand() % N] + (uint64_t)(rand() % 3) : ~0ull;
		if (from > last) {
			uint64_t t = from;

			from = last;
			last = t;
		}
		copied_calls = 0;
		CHECK(radix_copy_range(&dst, &src, from, last, count_copied, NULL) == 0);
		for (unsigned int i = 0; i < N; i++) {
			void *got = radix_lookup(&dst, idx[i]);
			bool in = idx[i] >= from && idx[i] <= last;

			want += in;
			CHECK(got == (in ? (void *)(uintptr_t)(idx[i] + 1) : NULL));
		}
		CHECK(dst.count == want && copied_calls == want && src.count == N);
		/* A second copy of the same range collides. */
		if (want)
			CHECK(radix_copy_range(&dst, &src, from, last, NULL, NULL) == -EEXIST);
		/* Remove a random range from dst, then everything. */
		released = 0;
		radix_remove_range(&dst, from + 5, last, count_released, NULL);
		for (unsigned int i = 0; i < N; i++) {
			bool in = idx[i] >= from && idx[i] <= last && idx[i] < from + 5;

			CHECK((radix_lookup(&dst, idx[i]) != NULL) == in);
		}
		radix_truncate(&dst, 0, count_released, NULL);
		CHECK(released == want && dst.count == 0 && dst.root == NULL);
		radix_truncate(&src, 0, NULL, NULL);
		CHECK(src.root == NULL);
	}
	CHECK(host_kmalloc_live() == 0);
}

HOST_TEST(copy_range_out_of_memory_keeps_a_consistent_tree)
{
	for (unsigned int nth = 1; nth < 40; nth++) {
		struct radix src = RADIX_INIT, dst = RADIX_INIT;
		int err;

		fill(&src, 1000 + nth);
		host_kmalloc_fail_nth(nth);
		err = radix_copy_range(&dst, &src, 0, ~0ull, NULL, NULL);
		host_kmalloc_fail_nth(0);
		CHECK(err == 0 || err == -ENOMEM);
		/* What was copied is there and correct. */
		size_t found = 0;
		for (unsigned int i = 0; i < N; i++) {
			void *got = radix_lookup(&dst, idx[i]);

			if (got) {
				found++;
				CHECK(got == (void *)(uintptr_t)(idx[i] + 1));
			}
		}
		CHECK(found == dst.count && (err || found == N));
		radix_truncate(&dst, 0, NULL, NULL);
		radix_truncate(&src, 0, NULL, NULL);
	}
	CHECK(host_kmalloc_live() == 0);
}
