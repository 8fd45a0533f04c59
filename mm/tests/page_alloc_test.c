/* The page allocator on the real machine: exhaustion, return, alignment. */
#include <string.h>
#include <arch/mmu.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/slab.h>
#include <kernel/vm.h>

/*
 * Take every free frame and give them back: the count and the largest
 * block are what they were.  Other CPUs may allocate meanwhile (a slab
 * page, a kernel stack), which moves the counts by a page or two without
 * any fault of the allocator's; a leak moves them every time.  So a
 * round that does not balance is run again, and only a third one decides.
 */
static bool
exhaust_and_return(bool last)
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
	while (head) {
		p = head;
		head = *(struct page **)page_address(p);
		free_pages(p, 0);
	}
	mm_stats(&after);
	if (!last && (n != before.free_pages || after.free_pages != before.free_pages ||
		      after.largest_order != before.largest_order))
		return false;
	KEXPECT_EQ(n, before.free_pages);
	KEXPECT_EQ(after.free_pages, before.free_pages);
	KEXPECT_EQ(after.largest_order, before.largest_order);	/* merged back */
	return true;
}

KTEST(mm, pages_exhaust_and_return)
{
	for (int round = 0; round < 3; round++)
		if (exhaust_and_return(round == 2))
			break;
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
