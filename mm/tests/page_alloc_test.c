/* The page allocator on the real machine: exhaustion, return, alignment. */
#include <string.h>
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/slab.h>
#include <kernel/vm.h>

KTEST(mm, pages_exhaust_and_return)
{
	struct mm_stats before, during, after;
	struct page *head = NULL, *p;
	size_t n = 0;

	kmalloc_shrink();
	kstack_shrink();
	mm_stats(&before);
	/* Chain every free frame through its own first word. */
	while ((p = alloc_pages(GFP_KERNEL, 0)) != NULL) {
		*(struct page **)page_address(p) = head;
		head = p;
		n++;
	}
	mm_stats(&during);
	KEXPECT_EQ(during.free_pages, 0);
	KEXPECT_EQ(n, before.free_pages);
	while (head) {
		p = head;
		head = *(struct page **)page_address(p);
		free_pages(p, 0);
	}
	mm_stats(&after);
	KEXPECT_EQ(after.free_pages, before.free_pages);
	KEXPECT_EQ(after.largest_order, before.largest_order);	/* merged back */
}

KTEST(mm, blocks_are_aligned_and_zeroed)
{
	for (unsigned int order = 0; order < 6; order++) {
		struct page *p = alloc_pages(GFP_ZERO, order);
		const unsigned char *b;

		KASSERT(p != NULL);
		KEXPECT_EQ(page_to_pfn(p) & ((1UL << order) - 1), 0);
		b = page_address(p);
		for (size_t i = 0; i < (PAGE_SIZE << order); i += 61)
			KEXPECT_EQ(b[i], 0);
		KEXPECT(virt_to_page(b) == p);
		free_pages(p, order);
	}
}

KTEST(mm, memory_matches_boot_map)
{
	struct mm_stats st;

	mm_stats(&st);
	KEXPECT(st.total_pages > 0);
	KEXPECT_EQ(st.free_pages + st.reserved_pages <= st.total_pages, 1);
	KEXPECT(st.reserved_pages > 0);		/* at least the image */
}
