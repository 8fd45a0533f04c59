/*
 * Physical memory: a struct page for every frame of RAM, and the buddy
 * allocator handing out 2^order contiguous, naturally aligned frames
 * (mm/page_alloc.c over the portable core in mm/buddy.c).
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <kernel/atomic.h>
#include <kernel/list.h>
#include <kernel/types.h>

#define PAGE_ORDERS	11		/* orders 0..10: 4 KiB .. 4 MiB blocks */

/* struct page flags */
#define PG_RESERVED	(1u << 0)	/* not RAM, or held by firmware/kernel image */
#define PG_BUDDY	(1u << 1)	/* first frame of a free buddy block */
#define PG_SLAB		(1u << 2)	/* backs a slab cache */
#define PG_HEAD		(1u << 3)	/* first frame of an allocated block */
#define PG_DIRTY	(1u << 4)	/* page cache: written since last written back (mapping's lock) */

struct address_space;
struct kmem_cache;

struct page {
	uint16_t flags;
	uint8_t order;			/* of the block, when PG_BUDDY or PG_HEAD */
	uint8_t zone;			/* its zone in mm/page_alloc.c, set at boot */
	int32_t refcount;		/* atomic (user and page-cache pages: page_get/page_put) */
	struct list_head list;		/* free list, or the slab's list */
	union {
		struct {
			struct kmem_cache *slab_cache;	/* PG_SLAB */
			void *freelist;		/* PG_SLAB: first free object */
			uint32_t inuse;		/* PG_SLAB: objects handed out */
		};
		/*
		 * A page of a file's page cache (<kernel/pagecache.h>), set
		 * and cleared under the mapping's lock: mapping NULL is
		 * anonymous memory (or a page the cache has let go of).
		 */
		struct {
			struct address_space *mapping;
			uint64_t index;		/* in the file, in pages */
		};
	};
};

/* The portable buddy allocator over one contiguous range of frames. */
struct buddy {
	struct page *map;		/* map[i] is frame base_pfn + i */
	uintptr_t base_pfn;
	size_t nr_pages;
	struct list_head free[PAGE_ORDERS];
	size_t nr_free[PAGE_ORDERS];	/* blocks per order */
	size_t free_pages;
};

void buddy_init(struct buddy *b, struct page *map, uintptr_t base_pfn, size_t nr_pages);
/* Hand frames [pfn, pfn + count) to the allocator (they were reserved). */
void buddy_release(struct buddy *b, uintptr_t pfn, size_t count);
struct page *buddy_alloc(struct buddy *b, unsigned int order);
void buddy_free(struct buddy *b, struct page *page, unsigned int order);
/* Consistency check for tests and debug builds: 0 or a negative errno. */
int buddy_check(const struct buddy *b);

/* The kernel's allocator (MMU ports). */
#define GFP_KERNEL	0u
#define GFP_ZERO	(1u << 0)

struct page *alloc_pages(unsigned int gfp, unsigned int order);
void free_pages(struct page *page, unsigned int order);
/*
 * Zero whole pages of normal memory (addr page-aligned, bytes a multiple
 * of PAGE_SIZE): the port's arch_clear_pages() where it has a faster way
 * (ARCH_HAS_CLEAR_PAGES), else memset.  Not for device memory.
 */
void clear_pages(void *addr, size_t bytes);
void *page_alloc_addr(unsigned int gfp, unsigned int order);	/* linear-map address */
void page_free_addr(void *addr, unsigned int order);

/*
 * Refcounted pages (user memory, the page cache): every holder has a
 * reference; the last page_put() frees the page.
 */
static inline void
page_get(struct page *p)
{
	(void)atomic_fetch_add(&p->refcount, 1);
}

static inline void
page_put(struct page *p)
{
	if (atomic_sub_return(&p->refcount, 1) == 0)
		free_pages(p, 0);
}

/* One zeroed page with a single reference and no mapping, or NULL. */
struct page *alloc_user_page(void);
/*
 * The same with its old contents: for a caller that writes every byte
 * before anyone else can see the page (a whole-page write into the page
 * cache).  Never map or publish it before then: it holds freed data.
 */
struct page *alloc_user_page_unzeroed(void);

struct page *pfn_to_page(uintptr_t pfn);	/* NULL outside managed RAM */
uintptr_t page_to_pfn(const struct page *page);
paddr_t page_to_phys(const struct page *page);
void *page_address(const struct page *page);
struct page *virt_to_page(const void *addr);

struct mm_stats {
	size_t total_pages;		/* managed frames */
	size_t free_pages;
	size_t reserved_pages;
	unsigned int largest_order;	/* of the biggest free block */
};
void mm_stats(struct mm_stats *st);

/*
 * Give the allocator the whole frames of a boot reservation that is no
 * longer needed (the initrd once unpacked); frames other reservations
 * share stay reserved.  Returns the frames freed.
 */
struct boot_info;
size_t free_reserved_range(const struct boot_info *bi, uint64_t base, uint64_t size);
/* Build struct pages over the boot memory map and free what is usable. */
void page_alloc_init(struct boot_info *bi);

#endif
