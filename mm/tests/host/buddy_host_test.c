/*
 * mm/buddy.c on the host: random allocations and frees against a model
 * of which frames are taken, under ASan; every step keeps the allocator
 * consistent, and freeing everything merges back to the initial blocks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"

#include <kernel/mm.h>

#define NPAGES	3000		/* not a power of two: ragged edges */
#define BASE	0x40005		/* not aligned either */

static struct page map[NPAGES];
static unsigned char owner[NPAGES];	/* model: 0 free, else allocation id */

struct alloc {
	struct page *p;
	unsigned int order;
};


HOST_TEST(a_release_ragged_range)
{
	struct buddy b;

	buddy_init(&b, map, BASE, NPAGES);
	CHECK(b.free_pages == 0);
	buddy_release(&b, BASE, NPAGES);
	CHECK(b.free_pages == NPAGES);
	CHECK(buddy_check(&b) == 0);
	/* Every free block is aligned on its own size in absolute frames. */
	for (unsigned int o = 0; o < PAGE_ORDERS; o++) {
		struct list_head *pos;

		list_for_each(pos, &b.free[o]) {
			struct page *p = list_entry(pos, struct page, list);
			uintptr_t pfn = BASE + (uintptr_t)(p - map);

			CHECK((pfn & ((1UL << o) - 1)) == 0);
		}
	}
}

HOST_TEST(b_random_against_model)
{
	static struct alloc live[4096];
	size_t nlive = 0, initial_blocks[PAGE_ORDERS];
	struct buddy b;
	unsigned int seed = 12345;

	buddy_init(&b, map, BASE, NPAGES);
	buddy_release(&b, BASE, NPAGES);
	memcpy(initial_blocks, b.nr_free, sizeof(initial_blocks));
	memset(owner, 0, sizeof(owner));

	for (int step = 0; step < 20000; step++) {
		seed = seed * 1103515245u + 12345u;
		if (nlive < 4096 && ((seed >> 16) % 3 != 0 || nlive == 0)) {
			unsigned int order = (seed >> 8) % 6;
			struct page *p = buddy_alloc(&b, order);

			if (!p)
				continue;
			size_t idx = (size_t)(p - map);
			CHECK(idx + (1u << order) <= NPAGES);
			CHECK(((BASE + idx) & ((1u << order) - 1)) == 0);
			for (size_t i = 0; i < (1u << order); i++) {
				CHECK(owner[idx + i] == 0);	/* no frame handed out twice */
				owner[idx + i] = 1;
			}
			live[nlive].p = p;
			live[nlive].order = order;
			nlive++;
		} else {
			size_t k = (seed >> 4) % nlive;
			size_t idx = (size_t)(live[k].p - map);

			for (size_t i = 0; i < (1u << live[k].order); i++)
				owner[idx + i] = 0;
			buddy_free(&b, live[k].p, live[k].order);
			live[k] = live[--nlive];
		}
		if (step % 997 == 0)
			CHECK(buddy_check(&b) == 0);
	}
	while (nlive) {
		nlive--;
		buddy_free(&b, live[nlive].p, live[nlive].order);
	}
	CHECK(buddy_check(&b) == 0);
	CHECK(b.free_pages == NPAGES);
	CHECK(memcmp(initial_blocks, b.nr_free, sizeof(initial_blocks)) == 0);
}

HOST_TEST(c_exhaust_and_split)
{
	struct buddy b;
	size_t got = 0;
	struct page *p;

	buddy_init(&b, map, BASE, NPAGES);
	buddy_release(&b, BASE, NPAGES);
	while ((p = buddy_alloc(&b, 0)) != NULL)
		got++;
	CHECK(got == NPAGES);
	CHECK(b.free_pages == 0);
	CHECK(buddy_alloc(&b, 0) == NULL);
	CHECK(buddy_alloc(&b, PAGE_ORDERS) == NULL);	/* absurd order */
	for (size_t i = 0; i < NPAGES; i++)
		buddy_free(&b, &map[i], 0);
	CHECK(b.free_pages == NPAGES);
	CHECK(buddy_check(&b) == 0);
	/* Fully merged again: a 4 MiB block exists. */
	CHECK(buddy_alloc(&b, PAGE_ORDERS - 1) != NULL);
}

HOST_TEST(d_reserved_holes_stay_out)
{
	struct buddy b;
	struct page *p;

	buddy_init(&b, map, BASE, NPAGES);
	buddy_release(&b, BASE, 100);
	buddy_release(&b, BASE + 200, NPAGES - 200);	/* frames 100..199 held */
	while ((p = buddy_alloc(&b, 0)) != NULL) {
		size_t idx = (size_t)(p - map);

		CHECK(idx < 100 || idx >= 200);
	}
	for (size_t i = 100; i < 200; i++)
		CHECK(map[i].flags & PG_RESERVED);
}

/*
 * Review finding: releasing a range cleared PG_RESERVED only on the first
 * frame of each block, so frames inside blocks stayed "reserved" while
 * the allocator handed them out (and a check of a frame's reservation
 * could never fail).  Released frames are all unreserved; the frames
 * around the released range are untouched.
 */
HOST_TEST(e_release_unreserves_every_frame)
{
	struct buddy b;

	buddy_init(&b, map, BASE, NPAGES);
	buddy_release(&b, BASE + 3, 64);
	CHECK(map[2].flags & PG_RESERVED);
	CHECK(map[3 + 64].flags & PG_RESERVED);
	for (unsigned int i = 3; i < 3 + 64; i++)
		CHECK(!(map[i].flags & PG_RESERVED));
	for (int n = 0; n < 64; n++) {
		struct page *p = buddy_alloc(&b, 0);

		CHECK(p != NULL);
		CHECK(!(p->flags & PG_RESERVED));
	}
	CHECK(buddy_alloc(&b, 0) == NULL);
}
