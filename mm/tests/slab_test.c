/* kmalloc and slab caches on the real machine. */
#include <string.h>
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/slab.h>
#include <kernel/vm.h>

KTEST(slab, kmalloc_stress)
{
	enum { N = 256 };
	static void *ptrs[N];
	static size_t sizes[N];
	struct mm_stats before, after;
	unsigned int seed = 7;

	kmalloc_shrink();
	kstack_shrink();
	mm_stats(&before);
	for (int round = 0; round < 8; round++) {
		for (int i = 0; i < N; i++) {
			seed = seed * 1103515245u + 12345u;
			sizes[i] = (seed >> 16) % (i % 16 == 0 ? 9000 : 600) + 1;
			ptrs[i] = kmalloc(sizes[i]);
			KASSERT(ptrs[i] != NULL);
			memset(ptrs[i], i & 0xff, sizes[i]);
		}
		for (int i = 0; i < N; i++) {
			const unsigned char *b = ptrs[i];

			KEXPECT(b[0] == (i & 0xff) && b[sizes[i] - 1] == (i & 0xff));
			KEXPECT(ksize(b) >= sizes[i]);
			kfree(ptrs[i]);
		}
	}
	kmalloc_shrink();
	kstack_shrink();
	mm_stats(&after);
	KEXPECT_EQ(after.free_pages, before.free_pages);
}

KTEST(slab, cache_alignment)
{
	struct kmem_cache *c = kmem_cache_create("ktest-128a", 40, 128);
	void *objs[64];

	KASSERT(c != NULL);
	for (int i = 0; i < 64; i++) {
		objs[i] = kmem_cache_alloc(c);
		KASSERT(objs[i] != NULL);
		KEXPECT_EQ((uintptr_t)objs[i] & 127, 0);
	}
	for (int i = 0; i < 64; i++)
		kmem_cache_free(c, objs[i]);
	kmem_cache_destroy(c);
}

KTEST(slab, stats_return_to_boot_values)
{
	struct heap_stats before, after;
	void *p[10];

	kmalloc_shrink();
	kstack_shrink();
	kmalloc_stats(&before);
	for (int i = 0; i < 10; i++)
		p[i] = kmalloc(100 * (i + 1));
	for (int i = 0; i < 10; i++)
		kfree(p[i]);
	kmalloc_shrink();
	kstack_shrink();
	kmalloc_stats(&after);
	KEXPECT_EQ(after.allocations, before.allocations);
	KEXPECT_EQ(after.used, before.used);
	KEXPECT_EQ(after.total, before.total);
}

/*
 * A cache of its own: kmalloc's shared caches hold other objects (thread
 * structures, say), whose slabs no shrink can give back.
 */
KTEST(slab, one_empty_slab_kept)
{
	struct kmem_cache *c = kmem_cache_create("ktest-700", 700, 0);
	struct mm_stats a, b;
	void *p;

	KASSERT(c != NULL);
	p = kmem_cache_alloc(c);
	KASSERT(p != NULL);
	kmem_cache_free(c, p);
	mm_stats(&a);		/* the emptied slab is kept for the next user */
	p = kmem_cache_alloc(c);
	mm_stats(&b);
	KEXPECT_EQ(a.free_pages, b.free_pages);
	kmem_cache_free(c, p);
	kmem_cache_shrink(c);	/* and given back on request */
	mm_stats(&b);
	KEXPECT(b.free_pages > a.free_pages);
	kmem_cache_destroy(c);
}
