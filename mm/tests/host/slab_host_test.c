/*
 * mm/page_alloc.c and mm/slab.c on the host, over a 16 MiB arena that
 * stands in for RAM (identity "linear map"): reservations stay out,
 * counters return to their boot values, random kmalloc/kfree against a
 * model keeps every byte, and (SLAB_DEBUG build) overflows, double frees,
 * bad pointers and use after free are caught.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"

#include <arch/boot.h>
#include <arch/mmu.h>
#include <kernel/mm.h>
#include <kernel/slab.h>

#define ARENA	(16u << 20)

static struct boot_info bi;
static unsigned char *arena;
static struct mm_stats boot_mm;
static struct heap_stats boot_heap;

HOST_TEST(a_init_reserves)
{
	arena = aligned_alloc(4u << 20, ARENA);
	CHECK(arena != NULL);
	boot_mem_add(&bi, (uintptr_t)arena + 100, ARENA - 100);	/* ragged start */
	boot_mem_reserve(&bi, (uintptr_t)arena, 64 * 1024, "image");
	boot_mem_reserve(&bi, (uintptr_t)arena + (5u << 20) + 10, 3 * PAGE_SIZE, "table");
	page_alloc_init(&bi);
	kmalloc_init();
	mm_stats(&boot_mm);
	kmalloc_stats(&boot_heap);
	CHECK(boot_heap.allocations == 0 && boot_heap.total == 0);
	CHECK(boot_mm.total_pages == ARENA / PAGE_SIZE - 1);	/* trimmed to pages */
	/* image 16 pages + 4 straddled table pages + the page structures */
	CHECK(boot_mm.reserved_pages >= 20);
	CHECK(boot_mm.free_pages + boot_mm.reserved_pages == boot_mm.total_pages);
}

HOST_TEST(b_reserved_never_handed_out)
{
	struct page *p;
	size_t n = 0;
	uintptr_t tbl = (uintptr_t)arena + (5u << 20) + 10;

	while ((p = alloc_pages(GFP_KERNEL, 0)) != NULL) {
		uintptr_t a = (uintptr_t)page_address(p);

		CHECK(a >= (uintptr_t)arena + 64 * 1024);
		CHECK(a + PAGE_SIZE <= (tbl & ~(uintptr_t)4095) || a >= tbl + 3 * PAGE_SIZE);
		CHECK(a + PAGE_SIZE <= (uintptr_t)arena + ARENA);
		memset((void *)a, 0xcc, PAGE_SIZE);	/* ASan: really ours */
		n++;
	}
	CHECK(n == boot_mm.free_pages);
	/* Give them back by walking the arena: every allocated head is freed. */
	for (uintptr_t a = (uintptr_t)arena; a < (uintptr_t)arena + ARENA; a += PAGE_SIZE) {
		p = virt_to_page((void *)a);
		if (p && (p->flags & PG_HEAD))
			free_pages(p, 0);
	}
	struct mm_stats now;
	mm_stats(&now);
	CHECK(now.free_pages == boot_mm.free_pages);
}

HOST_TEST(c_kmalloc_random_against_model)
{
	enum { N = 600 };
	static struct { unsigned char *p; size_t size; unsigned char fill; } live[N];
	unsigned int seed = 99;
	struct heap_stats hs;
	struct mm_stats ms;

	memset(live, 0, sizeof(live));
	for (int step = 0; step < 20000; step++) {
		seed = seed * 1664525u + 1013904223u;
		size_t k = (seed >> 8) % N;

		if (live[k].p) {
			for (size_t i = 0; i < live[k].size; i++)
				if (live[k].p[i] != live[k].fill) {
					CHECK(!"contents changed");
					break;
				}
			kfree(live[k].p);
			live[k].p = NULL;
		} else {
			size_t size = (seed >> 20) % 4 == 0 ? (seed >> 4) % 20000 : (seed >> 4) % 300;

			live[k].p = kmalloc(size);
			CHECK(live[k].p != NULL);
			if (!live[k].p)
				continue;
			CHECK(((uintptr_t)live[k].p & 7) == 0);
			CHECK(ksize(live[k].p) >= size);
			live[k].size = size;
			live[k].fill = (unsigned char)seed;
			memset(live[k].p, live[k].fill, size);
		}
	}
	for (size_t k = 0; k < N; k++)
		kfree(live[k].p);
	kmalloc_shrink();
	kmalloc_stats(&hs);
	mm_stats(&ms);
	CHECK(hs.allocations == 0);
	CHECK(hs.used == 0);
	CHECK(ms.free_pages == boot_mm.free_pages);	/* every slab went back */
}

HOST_TEST(d_cache_create_destroy)
{
	struct kmem_cache *c = kmem_cache_create("test-obj", 72, 64);
	void *o[100];

	CHECK(c != NULL);
	for (int i = 0; i < 100; i++) {
		o[i] = kmem_cache_alloc(c);
		CHECK(o[i] && ((uintptr_t)o[i] & 63) == 0);
	}
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, o[i]);
	kmem_cache_destroy(c);
	CHECK(kmem_cache_create("bad-align", 32, 48) == NULL);
	CHECK(kmem_cache_create("zero", 0, 0) == NULL);
}

HOST_TEST(e_bad_frees_panic)
{
	char *p = kmalloc(40);
	char local;

	CHECK(HOST_EXPECT_PANIC(kfree(p + 8)));		/* not an object start */
	CHECK(HOST_EXPECT_PANIC(kfree(&local)));	/* not heap memory */
	kfree(p);
}

#ifdef CONFIG_SLAB_DEBUG
/* A live neighbour keeps the slab, so the freed object stays in it. */
HOST_TEST(f_debug_double_free)
{
	char *keep = kmalloc(100), *p = kmalloc(100);

	kfree(p);
	CHECK(HOST_EXPECT_PANIC(kfree(p)));
	kfree(keep);
}

HOST_TEST(g_debug_overflow)
{
	char *p = kmalloc(96);

	p[96] = 'x';				/* one past the end */
	CHECK(HOST_EXPECT_PANIC(kfree(p)));
}

HOST_TEST(h_debug_use_after_free)
{
	char *keep = kmalloc(200), *p = kmalloc(200), *q = NULL;

	kfree(p);
	p[10] = 1;				/* write after free */
	/* The next allocation from that cache meets the damaged object. */
	CHECK(HOST_EXPECT_PANIC(q = kmalloc(200)));
	(void)q;
	(void)keep;
}
#endif
