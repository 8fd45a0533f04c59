/*
 * In-kernel tests of the RTOS heap (mm/heap.c) on the board's own RAM:
 * the boot figures, exhaustion and recovery, a fragmentation pattern,
 * object caches, exact counters.  Each test leaves the heap as it found
 * it and proves so with the statistics.  Pointers are kept in the blocks
 * themselves (a chain through their first word): on a 16 KiB machine
 * there is no room for a table of them on the stack.
 */
#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <kernel/ktest.h>
#include <kernel/slab.h>
#include "../heap.h"

static void
expect_same(const struct heap_stats *now, const struct heap_stats *then)
{
	KEXPECT_EQ(now->total, then->total);
	KEXPECT_EQ(now->used, then->used);
	KEXPECT_EQ(now->free, then->free);
	KEXPECT_EQ(now->largest_free, then->largest_free);
	KEXPECT_EQ(now->allocations, then->allocations);
}

/* Push a block on a chain through the blocks' first words. */
static void *
chain(void *head, void *p)
{
	*(void **)p = head;
	return p;
}

static size_t
free_chain(void *head)
{
	size_t n = 0;

	while (head) {
		void *next = *(void **)head;

		kfree(head);
		head = next;
		n++;
	}
	return n;
}

/* Is [p, p + n) inside usable RAM and outside every reserved range? */
static bool
in_free_ram(const void *p, size_t n)
{
	uint64_t a = (uintptr_t)p, e = a + n;
	bool inside = false;

	for (unsigned int i = 0; i < boot_info->nr_mem; i++)
		if (a >= boot_info->mem[i].base &&
		    e <= boot_info->mem[i].base + boot_info->mem[i].size)
			inside = true;
	for (unsigned int i = 0; i < boot_info->nr_reserved; i++) {
		const struct mem_region *r = &boot_info->reserved[i];

		if (a < r->base + r->size && r->base < e)
			return false;
	}
	return inside;
}

KTEST(heap, boot_figures)
{
	struct heap_stats st;
	void *p;

	kmalloc_stats(&st);
	KEXPECT_OP(heap_regions(), >=, 1);
	KEXPECT_OP(st.total, >=, 1024);
	KEXPECT_EQ(st.used + st.free, st.total);
	KEXPECT_OP(st.largest_free, <, st.free);
	/* One block per region, nothing lost: the regions are 256 KiB at most. */
	KEXPECT_OP(st.largest_free + 64, >=, MIN(st.free / heap_regions(), (size_t)HEAP_MAX_CHUNK));
	KEXPECT_EQ(heap_check(), 0);
	p = kmalloc(100);
	KASSERT(p != NULL);
	KEXPECT(in_free_ram((char *)p - 4, heap_block_bytes(p)));
	kfree(p);
}

KTEST(heap, stats_exact)
{
	static const size_t sizes[] = { 0, 1, 12, 13, 100, 1000 };
	struct heap_stats boot, st;

	kmalloc_stats(&boot);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *p = kmalloc(sizes[i]);

		KASSERT(p != NULL);
		KEXPECT_EQ((uintptr_t)p & 7, 0);
		KEXPECT_OP(ksize(p), >=, sizes[i]);
		memset(p, 0x3c, sizes[i]);
		kmalloc_stats(&st);
		KEXPECT_EQ(st.used - boot.used, heap_footprint(sizes[i]));
		KEXPECT_EQ(st.free, boot.free - heap_footprint(sizes[i]));
		KEXPECT_EQ(st.allocations, boot.allocations + 1);
		/* Taken from the one largest block, or from one of several equal ones. */
		if (st.largest_free != boot.largest_free || heap_regions() == 1)
			KEXPECT_EQ(st.largest_free, boot.largest_free - heap_footprint(sizes[i]));
		kfree(p);
		kmalloc_stats(&st);
		expect_same(&st, &boot);
	}
	void *z0 = kmalloc(0), *z1 = kmalloc(0);
	KEXPECT(z0 != NULL && z1 != NULL && z0 != z1);
	kfree(z0);
	kfree(z1);
	unsigned char *z = kzalloc(64);
	KASSERT(z != NULL);
	for (int i = 0; i < 64; i++)
		KEXPECT_EQ(z[i], 0);
	kfree(z);
	kfree(NULL);
	kmalloc_stats(&st);
	expect_same(&st, &boot);
}

KTEST(heap, exhaust_and_free_all)
{
	struct heap_stats boot, full, st;
	void *head = NULL, *p;
	size_t n = 0, size = 8;

	kmalloc_stats(&boot);
	/* Mixed sizes until nothing fits, then whatever is left. */
	while ((p = kmalloc(size)) != NULL) {
		head = chain(head, p);
		n++;
		size = size * 5 % 199 + 8;
	}
	for (;;) {
		kmalloc_stats(&full);
		if (!full.largest_free)
			break;
		p = kmalloc(full.largest_free);
		KASSERT(p != NULL);
		head = chain(head, p);
		n++;
	}
	KEXPECT_EQ(full.free, 0);
	KEXPECT_EQ(full.used, full.total);
	KEXPECT_EQ(full.allocations, boot.allocations + n);
	KEXPECT(kmalloc(0) == NULL);
	KEXPECT_EQ(heap_check(), 0);
	KEXPECT_EQ(free_chain(head), n);
	kmalloc_stats(&st);
	expect_same(&st, &boot);
}

KTEST(heap, fragmentation_still_serves_big)
{
	struct heap_stats boot, st;
	void *small = NULL, *large = NULL, *p;
	size_t pairs = 0;

	kmalloc_stats(&boot);
	/* 24 and 200 bytes interleaved until the heap is full. */
	for (;;) {
		void *s = kmalloc(24), *l = s ? kmalloc(200) : NULL;

		if (s)
			small = chain(small, s);
		if (!l)
			break;
		large = chain(large, l);
		pairs++;
	}
	/* Each region's end may waste less than a pair. */
	KEXPECT_OP(pairs + heap_regions(), >, boot.free / (200 + 24 + 16));
	/* Free every large block: holes between the small ones. */
	free_chain(large);
	kmalloc_stats(&st);
	KEXPECT_OP(st.largest_free, >=, 200);
	KEXPECT_OP(st.largest_free, <, boot.largest_free / 2);
	/* The holes serve their size again, each in one piece. */
	p = kmalloc(200);
	KEXPECT(p != NULL);
	kfree(p);
	/* With the small ones gone, everything merges: the whole heap in one block. */
	free_chain(small);
	kmalloc_stats(&st);
	expect_same(&st, &boot);
	p = kmalloc(boot.largest_free);
	KEXPECT(p != NULL);
	kfree(p);
	KEXPECT_EQ(heap_check(), 0);
}

KTEST(heap, cache_round_trip)
{
	struct heap_stats boot, st;
	struct kmem_cache *c;
	void *head = NULL;
	size_t n = 0;

	kmalloc_stats(&boot);
	KEXPECT(kmem_cache_create("too-aligned", 16, 128) == NULL);
	c = kmem_cache_create("test-40", 40, 32);
	KASSERT(c != NULL);
	for (int i = 0; i < 24; i++) {
		unsigned char *o = kmem_cache_alloc(c);

		KASSERT(o != NULL);
		KEXPECT_EQ((uintptr_t)o & 31, 0);
		KEXPECT_OP(ksize(o), >=, 40);
		memset(o, i, 40);
		head = chain(head, o);
		n++;
	}
	kmalloc_stats(&st);
	KEXPECT_EQ(st.allocations, boot.allocations + n + 1);	/* and the cache */
	KEXPECT_EQ(heap_check(), 0);
	while (head) {
		unsigned char *o = head;

		head = *(void **)o;
		n--;
		for (int i = (int)sizeof(void *); i < 40; i++)
			KEXPECT_EQ(o[i], (unsigned char)n);
		kmem_cache_free(c, o);
	}
	kmem_cache_destroy(c);
	kmalloc_stats(&st);
	expect_same(&st, &boot);
}

KTEST(heap, interrupt_state_kept)
{
	bool was = arch_irqs_enabled();
	unsigned long flags = arch_irq_save();
	void *p = kmalloc(32);

	KEXPECT(!arch_irqs_enabled());
	kfree(p);
	KEXPECT(!arch_irqs_enabled());
	arch_irq_restore(flags);
	KEXPECT_EQ(arch_irqs_enabled(), was);
	p = kmalloc(32);
	KEXPECT_EQ(arch_irqs_enabled(), was);
	kfree(p);
	KEXPECT_EQ(arch_irqs_enabled(), was);
}
