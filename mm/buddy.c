/*
 * The buddy allocator: free frames kept as naturally aligned blocks of
 * 2^order pages on one free list per order.  Allocation splits the
 * smallest block that fits; freeing merges a block with its buddy (the
 * block at pfn ^ 2^order) for as long as the buddy is free and whole.
 * Portable and lock-free by itself: the caller serialises.
 */
#include <kernel/errno.h>
#include <kernel/mm.h>

static inline struct page *
frame(const struct buddy *b, uintptr_t pfn)
{
	return &b->map[pfn - b->base_pfn];
}

static inline uintptr_t
pfn_of(const struct buddy *b, const struct page *p)
{
	return b->base_pfn + (uintptr_t)(p - b->map);
}

static inline bool
in_range(const struct buddy *b, uintptr_t pfn, unsigned int order)
{
	return pfn >= b->base_pfn && pfn + (1UL << order) <= b->base_pfn + b->nr_pages;
}

static void
push_free(struct buddy *b, struct page *p, unsigned int order)
{
	p->flags = (uint16_t)((p->flags & ~PG_HEAD) | PG_BUDDY);
	p->order = (uint8_t)order;
	list_add(&p->list, &b->free[order]);
	b->nr_free[order]++;
	b->free_pages += 1UL << order;
}

static void
pop_free(struct buddy *b, struct page *p, unsigned int order)
{
	list_del(&p->list);
	p->flags &= (uint16_t)~PG_BUDDY;
	b->nr_free[order]--;
	b->free_pages -= 1UL << order;
}

void
buddy_init(struct buddy *b, struct page *map, uintptr_t base_pfn, size_t nr_pages)
{
	b->map = map;
	b->base_pfn = base_pfn;
	b->nr_pages = nr_pages;
	b->free_pages = 0;
	for (unsigned int o = 0; o < PAGE_ORDERS; o++) {
		list_init(&b->free[o]);
		b->nr_free[o] = 0;
	}
	for (size_t i = 0; i < nr_pages; i++) {
		map[i].flags = PG_RESERVED;
		map[i].order = 0;
		map[i].refcount = 0;
		list_init(&map[i].list);
		map[i].slab_cache = NULL;
		map[i].freelist = NULL;
		map[i].inuse = 0;
	}
}

void
buddy_free(struct buddy *b, struct page *p, unsigned int order)
{
	uintptr_t pfn = pfn_of(b, p);

	p->flags &= (uint16_t)~(PG_HEAD | PG_SLAB | PG_RESERVED | PG_DIRTY);
	p->refcount = 0;
	while (order < PAGE_ORDERS - 1) {
		uintptr_t buddy_pfn = pfn ^ (1UL << order);
		struct page *bp;

		if (!in_range(b, buddy_pfn, order))
			break;
		bp = frame(b, buddy_pfn);
		if (!(bp->flags & PG_BUDDY) || bp->order != order)
			break;
		pop_free(b, bp, order);
		pfn &= ~(1UL << order);		/* the merged block starts at the lower one */
		order++;
	}
	push_free(b, frame(b, pfn), order);
}

void
buddy_release(struct buddy *b, uintptr_t pfn, size_t count)
{
	uintptr_t end = pfn + count;

	if (pfn < b->base_pfn)
		pfn = b->base_pfn;
	if (end > b->base_pfn + b->nr_pages)
		end = b->base_pfn + b->nr_pages;
	/* Every frame stops being reserved, not only blocks' first ones. */
	for (uintptr_t f = pfn; f < end; f++)
		frame(b, f)->flags &= (uint16_t)~PG_RESERVED;
	/* The largest naturally aligned blocks that fit, then merge. */
	while (pfn < end) {
		unsigned int order = 0;

		while (order + 1 < PAGE_ORDERS && (pfn & ((2UL << order) - 1)) == 0 &&
		       pfn + (2UL << order) <= end)
			order++;
		buddy_free(b, frame(b, pfn), order);
		pfn += 1UL << order;
	}
}

struct page *
buddy_alloc(struct buddy *b, unsigned int order)
{
	unsigned int o = order;
	struct page *p;

	if (order >= PAGE_ORDERS)
		return NULL;
	while (o < PAGE_ORDERS && list_empty(&b->free[o]))
		o++;
	if (o == PAGE_ORDERS)
		return NULL;
	p = list_first_entry(&b->free[o], struct page, list);
	pop_free(b, p, o);
	/* Give back the upper halves until the block is the size asked for. */
	while (o > order) {
		o--;
		push_free(b, p + (1UL << o), o);
	}
	p->flags |= PG_HEAD;
	p->order = (uint8_t)order;
	p->refcount = 1;
	return p;
}

/*
 * Every free block is aligned, in range, flagged and not overlapping any
 * other; the counters match the lists.
 */
int
buddy_check(const struct buddy *b)
{
	size_t pages = 0;

	for (unsigned int o = 0; o < PAGE_ORDERS; o++) {
		size_t n = 0;
		struct list_head *pos;

		list_for_each(pos, &b->free[o]) {
			const struct page *p = list_entry(pos, struct page, list);
			uintptr_t pfn = pfn_of(b, p);

			if (!(p->flags & PG_BUDDY) || p->order != o)
				return -EINVAL;
			if ((pfn & ((1UL << o) - 1)) || !in_range(b, pfn, o))
				return -ERANGE;
			for (size_t i = 1; i < (1UL << o); i++)
				if (p[i].flags & (PG_BUDDY | PG_HEAD))
					return -EEXIST;
			n++;
		}
		if (n != b->nr_free[o])
			return -EINVAL;
		pages += n << o;
	}
	return pages == b->free_pages ? 0 : -EINVAL;
}
