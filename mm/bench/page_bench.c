/* What a page frame and a kmalloc object cost to get and give back. */
#include <kernel/bench.h>
#include <kernel/mm.h>
#include <kernel/slab.h>

BENCH(mm, page_alloc_free_order0)
{
	for (size_t i = 0; i < n; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		if (!p)
			return i;
		free_pages(p, 0);
	}
	return n;
}

BENCH(mm, page_alloc_free_order3)
{
	for (size_t i = 0; i < n; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, 3);

		if (!p)
			return i;
		free_pages(p, 3);
	}
	return n;
}

/* 64 live allocations keep the slab from being returned every time. */
static size_t
kmalloc_pattern(size_t n, size_t size)
{
	void *keep[64];
	size_t done = 0;

	for (int i = 0; i < 64; i++)
		keep[i] = kmalloc(size);
	for (size_t i = 0; i < n; i++) {
		void *p = kmalloc(size);

		if (!p)
			break;
		kfree(p);
		done++;
	}
	for (int i = 0; i < 64; i++)
		kfree(keep[i]);
	return done;
}

BENCH(mm, kmalloc_kfree_64)
{
	return kmalloc_pattern(n, 64);
}

BENCH(mm, kmalloc_kfree_1024)
{
	return kmalloc_pattern(n, 1024);
}

BENCH(mm, kmalloc_kfree_16k)
{
	return kmalloc_pattern(n, 16384);
}
