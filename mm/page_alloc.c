/*
 * The kernel's page-frame allocator: one buddy zone per usable RAM range
 * of the boot memory map, each with its struct page array carved from its
 * own range, every reserved range (kernel image, DTB, initrd, firmware
 * tables, the arrays themselves) kept out.  Frames are reached through the
 * linear map; RAM the linear map does not cover is left unused.
 *
 * zone_lock (interrupts masked: pages are freed from interrupt context
 * too) guards every zone's free lists and the counters.  The zone table
 * itself is written once at boot, before other CPUs run.
 */
#define pr_fmt(fmt) "mm: " fmt

#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>

static struct spinlock zone_lock = SPINLOCK_INIT("page-alloc");
static struct buddy zones[BOOT_MAX_MEM_REGIONS];	/* lists: zone_lock */
static unsigned int nr_zones;
static size_t managed_pages;
static size_t allocated_pages;		/* zone_lock: handed out by alloc_pages() */

static inline uint64_t
page_up(uint64_t x)
{
	return (x + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static inline uint64_t
page_down(uint64_t x)
{
	return x & ~(uint64_t)(PAGE_SIZE - 1);
}

/* First page-aligned gap of len bytes in [start, end) clear of reservations. */
static uint64_t
find_gap(const struct boot_info *bi, uint64_t start, uint64_t end, uint64_t len)
{
	uint64_t cand = page_up(start);
	bool moved = true;

	while (moved) {
		moved = false;
		if (cand + len > end || cand + len < cand)
			return 0;
		for (unsigned int i = 0; i < bi->nr_reserved; i++) {
			uint64_t rb = page_down(bi->reserved[i].base);
			uint64_t re = page_up(bi->reserved[i].base + bi->reserved[i].size);

			if (rb < cand + len && re > cand) {
				cand = re;
				moved = true;
			}
		}
	}
	return cand;
}

/* Hand the zone's frames that no reservation covers to its buddy. */
static void
release_unreserved(struct buddy *z, const struct boot_info *bi)
{
	uint64_t cur = (uint64_t)z->base_pfn << PAGE_SHIFT;
	uint64_t end = cur + ((uint64_t)z->nr_pages << PAGE_SHIFT);

	for (unsigned int i = 0; i < bi->nr_reserved && cur < end; i++) {
		uint64_t rb = page_down(bi->reserved[i].base);
		uint64_t re = page_up(bi->reserved[i].base + bi->reserved[i].size);

		if (re <= cur || rb >= end)
			continue;
		if (rb > cur)
			buddy_release(z, (uintptr_t)(cur >> PAGE_SHIFT),
				      (size_t)((rb - cur) >> PAGE_SHIFT));
		if (re > cur)
			cur = re;
	}
	if (cur < end)
		buddy_release(z, (uintptr_t)(cur >> PAGE_SHIFT), (size_t)((end - cur) >> PAGE_SHIFT));
}

static void
add_zone(struct boot_info *bi, uint64_t start, uint64_t end)
{
	size_t npages = (size_t)((end - start) >> PAGE_SHIFT);
	uint64_t maplen = page_up((uint64_t)npages * sizeof(struct page));
	uint64_t map = find_gap(bi, start, end, maplen);

	if (!map) {
		pr_warn("[%#llx-%#llx]: no room for its %llu KiB of page structures, unused\n",
			(unsigned long long)start, (unsigned long long)(end - 1),
			(unsigned long long)(maplen >> 10));
		return;
	}
	boot_mem_reserve(bi, map, maplen, "page structures");
	boot_mem_normalize(bi, PAGE_SIZE);	/* keeps the reservations sorted */
	buddy_init(&zones[nr_zones], phys_to_virt((paddr_t)map), (uintptr_t)(start >> PAGE_SHIFT),
		   npages);
	for (size_t i = 0; i < npages; i++)
		zones[nr_zones].map[i].zone = (uint8_t)nr_zones;
	nr_zones++;
	managed_pages += npages;
}

void
page_alloc_init(struct boot_info *bi)
{
	struct mm_stats st;
	uint64_t unreachable = 0;
	unsigned int nr_ranges;

	boot_mem_normalize(bi, PAGE_SIZE);
	nr_ranges = bi->nr_mem;
	for (unsigned int i = 0; i < nr_ranges; i++) {
		uint64_t start = bi->mem[i].base, end = start + bi->mem[i].size;

		if (end > LINEAR_MAP_PHYS_END) {
			uint64_t cut = start > LINEAR_MAP_PHYS_END ? start : LINEAR_MAP_PHYS_END;

			unreachable += end - cut;
			end = cut;
		}
		if (end > start)
			add_zone(bi, start, end);
	}
	for (unsigned int z = 0; z < nr_zones; z++)
		release_unreserved(&zones[z], bi);
	for (unsigned int i = 0; i < bi->nr_reserved; i++)
		pr_debug("reserved [%#llx-%#llx] %s\n", (unsigned long long)bi->reserved[i].base,
			 (unsigned long long)(bi->reserved[i].base + bi->reserved[i].size - 1),
			 bi->reserved[i].what);
	if (unreachable)
		pr_info("%llu MiB of RAM beyond the linear map left unused\n",
			(unsigned long long)(unreachable >> 20));
	mm_stats(&st);
	if (!st.free_pages)
		panic("no free memory after reservations (%zu pages managed)", st.total_pages);
	pr_info("%zu pages, %zu free (%zu MiB), %zu reserved, %u zone%s\n", st.total_pages,
		st.free_pages, st.free_pages >> (20 - PAGE_SHIFT), st.reserved_pages, nr_zones,
		nr_zones == 1 ? "" : "s");
}

/* High zones first, as alloc_pages() allocates: most pages are there. */
static struct buddy *
zone_of(uintptr_t pfn)
{
	for (unsigned int z = nr_zones; z-- > 0;)
		if (pfn >= zones[z].base_pfn && pfn - zones[z].base_pfn < zones[z].nr_pages)
			return &zones[z];
	return NULL;
}

struct page *
pfn_to_page(uintptr_t pfn)
{
	struct buddy *z = zone_of(pfn);

	return z ? &z->map[pfn - z->base_pfn] : NULL;
}

/* The page's own zone, named in the page: no search (every read, fault and free asks). */
static struct buddy *
page_zone(const struct page *page)
{
	struct buddy *z = &zones[page->zone % BOOT_MAX_MEM_REGIONS];

	if (page < z->map || page >= z->map + z->nr_pages)
		panic("mm: %p is not a struct page", (const void *)page);
	return z;
}

uintptr_t
page_to_pfn(const struct page *page)
{
	const struct buddy *z = page_zone(page);

	return z->base_pfn + (uintptr_t)(page - z->map);
}

paddr_t
page_to_phys(const struct page *page)
{
	return (paddr_t)page_to_pfn(page) << PAGE_SHIFT;
}

void *
page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

struct page *
virt_to_page(const void *addr)
{
	return pfn_to_page(virt_to_phys(addr) >> PAGE_SHIFT);
}

struct page *
alloc_pages(unsigned int gfp, unsigned int order)
{
	struct page *p = NULL;
	unsigned long flags = spin_lock_irqsave(&zone_lock);

	for (unsigned int z = nr_zones; z-- > 0 && !p;)	/* high zones first */
		p = buddy_alloc(&zones[z], order);
	if (p)
		allocated_pages += 1UL << order;
	spin_unlock_irqrestore(&zone_lock, flags);
	if (p && (gfp & GFP_ZERO))
		clear_pages(page_address(p), PAGE_SIZE << order);
	return p;
}

void
clear_pages(void *addr, size_t bytes)
{
#ifdef ARCH_HAS_CLEAR_PAGES
	arch_clear_pages(addr, bytes);
#else
	memset(addr, 0, bytes);
#endif
}

void
free_pages(struct page *page, unsigned int order)
{
	struct buddy *z = page_zone(page);
	unsigned long flags;

	if (!(page->flags & PG_HEAD) || page->order != order)
		panic("free_pages: frame %#lx was not allocated as an order-%u block",
		      (unsigned long)page_to_pfn(page), order);
	flags = spin_lock_irqsave(&zone_lock);
	buddy_free(z, page, order);
	allocated_pages -= 1UL << order;
	spin_unlock_irqrestore(&zone_lock, flags);
}

static struct page *
user_page(unsigned int gfp)
{
	struct page *p = alloc_pages(gfp, 0);

	if (p) {
		p->refcount = 1;
		p->mapping = NULL;
		p->index = 0;
	}
	return p;
}

struct page *
alloc_user_page(void)
{
	return user_page(GFP_ZERO);
}

struct page *
alloc_user_page_unzeroed(void)
{
	return user_page(0);
}

void *
page_alloc_addr(unsigned int gfp, unsigned int order)
{
	struct page *p = alloc_pages(gfp, order);

	return p ? page_address(p) : NULL;
}

void
page_free_addr(void *addr, unsigned int order)
{
	struct page *p = virt_to_page(addr);

	if (!p)
		panic("page_free_addr: %p is not in the linear map", addr);
	free_pages(p, order);
}

paddr_t
pt_page_alloc(void)
{
	struct page *p = alloc_pages(GFP_ZERO, 0);

	return p ? page_to_phys(p) : 0;
}

void
pt_page_free(paddr_t pa)
{
	free_pages(pfn_to_page(pa >> PAGE_SHIFT), 0);
}

void
mm_stats(struct mm_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);

	st->total_pages = managed_pages;
	st->free_pages = 0;
	st->largest_order = 0;
	for (unsigned int z = 0; z < nr_zones; z++) {
		st->free_pages += zones[z].free_pages;
		for (unsigned int o = PAGE_ORDERS; o-- > st->largest_order;)
			if (zones[z].nr_free[o]) {
				st->largest_order = o;
				break;
			}
	}
	st->reserved_pages = managed_pages - st->free_pages - allocated_pages;
	spin_unlock_irqrestore(&zone_lock, flags);
}

/* Is frame pfn covered by a reservation other than `except`? */
static bool
reserved_elsewhere(const struct boot_info *bi, uintptr_t pfn, const struct mem_region *except)
{
	uint64_t pa = (uint64_t)pfn << PAGE_SHIFT;

	for (unsigned int i = 0; i < bi->nr_reserved; i++) {
		const struct mem_region *r = &bi->reserved[i];

		if (r != except && r->base < pa + PAGE_SIZE && r->base + r->size > pa)
			return true;
	}
	return false;
}

size_t
free_reserved_range(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	const struct mem_region *self = NULL;
	uint64_t start = page_up(base), end = page_down(base + size);
	size_t freed = 0;

	for (unsigned int i = 0; i < bi->nr_reserved; i++)
		if (bi->reserved[i].base == base && bi->reserved[i].size == size)
			self = &bi->reserved[i];
	for (uint64_t pa = start; pa < end; pa += PAGE_SIZE) {
		uintptr_t pfn = (uintptr_t)(pa >> PAGE_SHIFT);
		struct buddy *z = zone_of(pfn);
		unsigned long flags;

		if (!z || !(z->map[pfn - z->base_pfn].flags & PG_RESERVED) ||
		    reserved_elsewhere(bi, pfn, self))
			continue;
		flags = spin_lock_irqsave(&zone_lock);
		buddy_release(z, pfn, 1);
		spin_unlock_irqrestore(&zone_lock, flags);
		freed++;
	}
	return freed;
}
