/*
 * The kernel heap of the RTOS profile (CONFIG_MMU=n): kmalloc/kfree and
 * object caches over the RAM the image leaves free, for machines with a
 * few KiB of it.
 *
 * The allocator is a two-level segregated fit (TLSF): free blocks sit in
 * lists by size class, a power-of-two first level cut into four linear
 * second-level classes, with a bitmap per level, so finding a list that
 * holds a big enough block is a couple of bit scans and malloc and free
 * take constant time.  A freed block merges with free neighbours at once
 * (no two free blocks ever touch), which is what keeps a small heap
 * usable under mixed sizes.  TLSF rounds the request up to the next class
 * so that any block of the list it finds fits; when that finds nothing we
 * also walk the request's own class list (the one search that is not
 * O(1)), so an allocation fails only when no free block is big enough and
 * largest_free is exact.
 *
 * Every block starts with a 4-byte header: its size and its previous
 * neighbour's size, in 8-byte granules.  The pair links each block to
 * both neighbours, so freeing coalesces in O(1) and kfree() can check a
 * pointer cheaply: the neighbours must agree with the header.  A free
 * block holds its list links in the payload, so the smallest block is
 * 16 bytes (12 usable) on a 32-bit machine.
 *
 * With CONFIG_RTOS_HEAP_DEBUG, freed memory is poisoned and checked when
 * it is handed out again (use after free), each allocation ends in a red
 * zone checked by kfree (overflow), and kfree walks the region to prove
 * the pointer is the start of a block.  Every finding is a panic saying
 * what was wrong; kfree's checks all come before it changes anything.
 */
#define pr_fmt(fmt) "heap: " fmt

#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <kernel/bitops.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include "heap.h"

/*
 * The block header.  Sizes count granules; bit 15 of size says the block
 * is free, bit 15 of prev that it is a kmem_cache object.  The first block
 * of a region has prev 0; a region ends in a marker block of size 0 that
 * is never free, so merging stops there.
 */
struct hblk {
	uint16_t size;
	uint16_t prev;
};

/* In a free block, right after the header (payloads are 8-aligned). */
struct hlinks {
	struct hblk *next, *prev;
};

#define HDR		sizeof(struct hblk)
#define LINKS		sizeof(struct hlinks)
#define G		HEAP_GRANULE
#define MIN_G		((HDR + LINKS + G - 1) / G)
#define MAX_G		(HEAP_MAX_CHUNK / G)
#define B_FREE		0x8000u		/* in size */
#define B_CACHE		0x8000u		/* in prev */
#define G_MASK		0x7fffu

/*
 * Size classes: below 2^SL_SHIFT granules one list per size; above, each
 * power of two is cut into SL_COUNT lists.  FL_COUNT covers MAX_G, whose
 * top bit is bit CONFIG_RTOS_HEAP_BLOCK_SHIFT - 4.
 */
#define SL_SHIFT	2
#define SL_COUNT	(1u << SL_SHIFT)
#define FL_COUNT	(CONFIG_RTOS_HEAP_BLOCK_SHIFT - 4 - SL_SHIFT + 2)

/* Debug builds: freed bytes, the red zone, and its 4 bytes per block. */
#define POISON_FREE	0x6b
#define POISON_RED	0xbb
#define RED_MIN		4

struct region {
	struct hblk *first;
	struct hblk *end;		/* the end marker */
};

static struct {
	uint32_t fl_map;		/* bit f: some sl_map[f] bit set */
	uint8_t sl_map[FL_COUNT];	/* bit s: free[f][s] non-empty */
	struct hblk *free[FL_COUNT][SL_COUNT];
	struct region region[HEAP_MAX_REGIONS];
	unsigned int nr_regions;
	size_t total;			/* bytes in blocks, all regions */
	size_t used;			/* bytes in allocated blocks */
	size_t allocs;
} heap;

struct kmem_cache {
	const char *name;
	size_t size;
	size_t align;
	size_t inuse;			/* live objects, under the heap lock */
};

static inline bool
debug(void)
{
	return IS_ENABLED(CONFIG_RTOS_HEAP_DEBUG);
}

static inline size_t
bsize(const struct hblk *b)
{
	return b->size & G_MASK;
}

static inline bool
bfree(const struct hblk *b)
{
	return b->size & B_FREE;
}

static inline size_t
bprev(const struct hblk *b)
{
	return b->prev & G_MASK;
}

static inline void
set_prev(struct hblk *b, size_t g)
{
	b->prev = (uint16_t)((b->prev & B_CACHE) | g);
}

static inline struct hblk *
bnext(const struct hblk *b)
{
	return (struct hblk *)((char *)b + bsize(b) * G);
}

static inline struct hblk *
bprevblk(const struct hblk *b)
{
	return (struct hblk *)((char *)b - bprev(b) * G);
}

static inline void *
payload(const struct hblk *b)
{
	return (char *)b + HDR;
}

static inline struct hlinks *
links(const struct hblk *b)
{
	return (struct hlinks *)payload(b);
}

/* floor(log2(x)) for x != 0 (<kernel/bitops.h>: inline without a CLZ instruction too). */
static __always_inline unsigned int
ilog2(uint32_t x)
{
	return (unsigned int)fls32(x);
}

/* The lowest set bit of x != 0. */
static __always_inline unsigned int
lowest_bit(uint32_t x)
{
	return ilog2(x & -x);
}

/* The class holding blocks of g granules. */
static __always_inline void
mapping(size_t g, unsigned int *fl, unsigned int *sl)
{
	unsigned int t;

	if (g < SL_COUNT) {
		*fl = 0;
		*sl = (unsigned int)g;
		return;
	}
	t = ilog2((uint32_t)g);
	*fl = t - SL_SHIFT + 1;
	*sl = (unsigned int)(g >> (t - SL_SHIFT)) - SL_COUNT;
}

static void
list_insert(struct hblk *b)
{
	unsigned int fl, sl;
	struct hlinks *l = links(b);

	mapping(bsize(b), &fl, &sl);
	l->prev = NULL;
	l->next = heap.free[fl][sl];
	if (l->next)
		links(l->next)->prev = b;
	heap.free[fl][sl] = b;
	heap.sl_map[fl] |= (uint8_t)(1u << sl);
	heap.fl_map |= 1u << fl;
	b->size |= B_FREE;
}

/* Take b off list fl/sl (its class). */
static void
list_remove_at(struct hblk *b, unsigned int fl, unsigned int sl)
{
	struct hlinks *l = links(b);

	if (l->prev)
		links(l->prev)->next = l->next;
	else
		heap.free[fl][sl] = l->next;
	if (l->next)
		links(l->next)->prev = l->prev;
	if (!heap.free[fl][sl]) {
		heap.sl_map[fl] &= (uint8_t)~(1u << sl);
		if (!heap.sl_map[fl])
			heap.fl_map &= ~(1u << fl);
	}
	b->size &= (uint16_t)~B_FREE;
}

static void
list_remove(struct hblk *b)
{
	unsigned int fl, sl;

	mapping(bsize(b), &fl, &sl);
	list_remove_at(b, fl, sl);
}

/*
 * A free block of at least need granules, off its list.  First the good
 * fit: round need up to the next class boundary, so every block of the
 * first non-empty list at or above it fits.  Failing that, look through
 * the list of need's own class, which the rounding skipped.
 */
static struct hblk *
find_free(size_t need)
{
	unsigned int fl, sl, t;
	size_t r = need;
	uint32_t bits;
	struct hblk *b;

	if (need >= SL_COUNT) {
		t = ilog2((uint32_t)need);
		r = need + ((size_t)1 << (t - SL_SHIFT)) - 1;
	}
	if (r <= MAX_G) {
		mapping(r, &fl, &sl);
		bits = heap.sl_map[fl] & (~0u << sl);
		if (!bits) {
			uint32_t fbits = heap.fl_map & (~0u << (fl + 1));

			if (fbits) {
				fl = lowest_bit(fbits);
				bits = heap.sl_map[fl];
			}
		}
		if (bits) {
			sl = lowest_bit(bits);
			b = heap.free[fl][sl];
			list_remove_at(b, fl, sl);
			return b;
		}
	}
	mapping(need, &fl, &sl);
	for (b = heap.free[fl][sl]; b; b = links(b)->next) {
		if (bsize(b) >= need) {
			list_remove_at(b, fl, sl);
			return b;
		}
	}
	return NULL;
}

/* Cut a free block of g granules off the front of b, if the rest can be a block. */
static void
split(struct hblk *b, size_t g)
{
	size_t have = bsize(b);
	struct hblk *r;

	if (have - g < MIN_G)
		return;
	r = (struct hblk *)((char *)b + g * G);
	b->size = (uint16_t)((b->size & B_FREE) | g);
	r->size = (uint16_t)(have - g);
	r->prev = (uint16_t)g;
	set_prev(bnext(r), have - g);
	list_insert(r);
}

/* Granules for a request of size bytes, or 0 when it can never fit. */
static size_t
granules_for(size_t size)
{
	size_t extra = HDR + (debug() ? RED_MIN : 0);
	size_t g;

	if (size > MAX_G * G - extra)
		return 0;
	g = (size + extra + G - 1) / G;
	return g < MIN_G ? MIN_G : g;
}

size_t
heap_footprint(size_t size)
{
	return granules_for(size) * G;
}

/* The allocation-usable bytes of a block (the red zone is the caller's slack). */
static inline size_t
usable(const struct hblk *b)
{
	return bsize(b) * G - HDR;
}

static void
check_poison(struct hblk *b)
{
	const uint8_t *start = (const uint8_t *)payload(b);
	const uint8_t *end = (const uint8_t *)bnext(b);

	for (const uint8_t *p = start + LINKS; p < end; p++)
		if (*p != POISON_FREE)
			panic("heap: use after free: %p (byte %u of a freed %u-byte block at %p) "
			      "was overwritten with %#x", (const void *)p,
			      (unsigned int)(p - start), (unsigned int)usable(b), (void *)start, *p);
}

/* A block whose memory became part of a neighbour when it was freed. */
static inline bool
absorbed(const struct hblk *b)
{
	if (b->size == B_FREE && b->prev == 0)
		return true;
	return debug() && b->size == POISON_FREE * 0x101u && b->prev == POISON_FREE * 0x101u;
}

static void
absorb(struct hblk *b)
{
	b->size = B_FREE;
	b->prev = 0;
	if (debug())
		memset(b, POISON_FREE, HDR + LINKS);
}

static const struct region *
region_of(const void *p)
{
	for (unsigned int i = 0; i < heap.nr_regions; i++) {
		const struct region *r = &heap.region[i];

		if ((const char *)p >= (const char *)r->first + HDR &&
		    (const char *)p < (const char *)r->end)
			return r;
	}
	return NULL;
}

/* Does b agree with both neighbours (and fit its region)? */
static bool
header_ok(const struct region *r, const struct hblk *b)
{
	size_t g = bsize(b), p = bprev(b);

	if (g < MIN_G || g > (size_t)((const char *)r->end - (const char *)b) / G)
		return false;
	if (bprev(bnext(b)) != g)
		return false;
	if (p == 0)
		return b == r->first;
	if (p > (size_t)((const char *)b - (const char *)r->first) / G)
		return false;
	return bsize(bprevblk(b)) == p;
}

/* The block behind a pointer the caller says is live, or a panic. */
static struct hblk *
checked_block(const void *ptr, const char *who)
{
	const struct region *r = region_of(ptr);
	struct hblk *b = (struct hblk *)((char *)ptr - HDR);

	if (!r)
		panic("%s(%p): not a heap address", who, ptr);
	if ((uintptr_t)ptr & (G - 1))
		panic("%s(%p): not an allocation (misaligned)", who, ptr);
	if (absorbed(b))
		panic("%s(%p): double free (already freed and merged with a neighbour)",
		      who, ptr);
	if (!header_ok(r, b))
		panic("%s(%p): corrupted block header (size %#x, prev %#x) or not an allocation",
		      who, ptr, b->size, b->prev);
	if (bfree(b))
		panic("%s(%p): double free", who, ptr);
	if (debug()) {
		const struct hblk *x = r->first, *last = x;

		while (x < b) {
			last = x;
			x = bnext(x);
		}
		if (x != b)
			panic("%s(%p): not the start of an allocation (inside the block at %p)",
			      who, ptr, payload(last));
	}
	return b;
}

/* The size the caller asked for: from the red zone in debug builds. */
static size_t
requested(const struct hblk *b)
{
	const uint8_t *p = payload(b);
	size_t u = usable(b), slack;

	if (!debug())
		return u;
	slack = p[u - 1];
	if (slack < RED_MIN || slack > u)
		panic("heap: buffer overflow: the end of the block at %p was overwritten "
		      "(red zone length %#x)", (const void *)p, (unsigned int)slack);
	return u - slack;
}

static void
check_redzone(const struct hblk *b)
{
	const uint8_t *p = payload(b);
	size_t n = requested(b);

	for (size_t i = n; i < usable(b) - 1; i++)
		if (p[i] != POISON_RED)
			panic("heap: buffer overflow: byte %u past the %u-byte allocation at %p "
			      "was overwritten with %#x", (unsigned int)(i - n), (unsigned int)n,
			      (const void *)p, p[i]);
}

static void *
heap_alloc(size_t size, size_t align, struct kmem_cache *c)
{
	size_t g = granules_for(size), extra = 0;
	unsigned long flags;
	struct hblk *b;

	if (!g)
		return NULL;
	/* Room to step to an aligned payload and leave a free block before it. */
	if (align > G)
		extra = align / G + MIN_G - 1;
	if (g + extra > MAX_G)
		return NULL;

	flags = arch_irq_save();
	b = find_free(g + extra);
	if (!b) {
		arch_irq_restore(flags);
		return NULL;
	}
	if (extra) {
		uintptr_t p = (uintptr_t)payload(b);
		size_t gap = (ALIGN_UP(p, align) - p) / G;

		if (gap && gap < MIN_G)
			gap += align / G;
		if (gap) {
			struct hblk *rest = (struct hblk *)((char *)b + gap * G);
			size_t all = bsize(b);

			rest->size = (uint16_t)(all - gap);
			rest->prev = (uint16_t)gap;
			set_prev(bnext(rest), all - gap);
			b->size = (uint16_t)gap;
			list_insert(b);		/* its neighbour before is in use */
			b = rest;
		}
	}
	split(b, g);
	b->prev = (uint16_t)(bprev(b) | (c ? B_CACHE : 0));
	heap.used += bsize(b) * G;
	heap.allocs++;
	if (c)
		c->inuse++;
	if (debug()) {
		uint8_t *p = payload(b);
		size_t slack = usable(b) - size;

		check_poison(b);
		BUG_ON(slack < RED_MIN || slack > 0xff);
		memset(p + size, POISON_RED, slack - 1);
		p[usable(b) - 1] = (uint8_t)slack;
	}
	arch_irq_restore(flags);
	return payload(b);
}

static void
heap_free(void *ptr, struct kmem_cache *c, const char *who)
{
	unsigned long flags = arch_irq_save();
	struct hblk *b = checked_block(ptr, who), *n, *p;
	size_t g = bsize(b);

	if (!c && (b->prev & B_CACHE))
		panic("%s(%p): object of a kmem_cache, free it with kmem_cache_free()", who, ptr);
	if (c) {
		if (!(b->prev & B_CACHE))
			panic("%s(%s, %p): not a cache object (from kmalloc?)", who, c->name, ptr);
		if (c->inuse == 0 || ((uintptr_t)ptr & (c->align - 1)) ||
		    usable(b) < c->size || (debug() && requested(b) != c->size))
			panic("%s(%s, %p): object of another cache (%u bytes)", who, c->name,
			      ptr, (unsigned int)requested(b));
	}
	if (debug())
		check_redzone(b);

	/* Checked: now change things. */
	if (c)
		c->inuse--;
	if (debug())
		memset(payload(b), POISON_FREE, usable(b));
	heap.used -= g * G;
	heap.allocs--;
	b->prev &= (uint16_t)~B_CACHE;

	n = bnext(b);
	if (bfree(n)) {
		list_remove(n);
		g += bsize(n);
		absorb(n);
		b->size = (uint16_t)g;
	}
	if (bprev(b)) {
		p = bprevblk(b);
		if (bfree(p)) {
			list_remove(p);
			g += bsize(p);
			absorb(b);
			b = p;
			b->size = (uint16_t)g;
		}
	}
	set_prev(bnext(b), g);
	list_insert(b);
	arch_irq_restore(flags);
}

void *
kmalloc(size_t size)
{
	/* kmalloc(0) is a unique minimal block: callers need not special-case it. */
	return heap_alloc(size, G, NULL);
}

void
kfree(void *ptr)
{
	if (ptr)
		heap_free(ptr, NULL, "kfree");
}

size_t
ksize(const void *ptr)
{
	unsigned long flags;
	size_t n;

	if (!ptr)
		return 0;
	flags = arch_irq_save();
	n = requested(checked_block(ptr, "ksize"));
	arch_irq_restore(flags);
	return n;
}

size_t
heap_block_bytes(const void *ptr)
{
	unsigned long flags = arch_irq_save();
	size_t n = bsize(checked_block(ptr, "heap_block_bytes")) * G;

	arch_irq_restore(flags);
	return n;
}

struct kmem_cache *
kmem_cache_create(const char *name, size_t size, size_t align)
{
	struct kmem_cache *c;

	if (align < G)
		align = G;
	if (size == 0 || !granules_for(size) || (align & (align - 1)) || align > HEAP_MAX_ALIGN)
		return NULL;
	c = kmalloc(sizeof(*c));
	if (!c)
		return NULL;
	c->name = name;
	c->size = size;
	c->align = align;
	c->inuse = 0;
	return c;
}

void
kmem_cache_destroy(struct kmem_cache *c)
{
	if (!c)
		return;
	if (c->inuse)
		panic("kmem_cache_destroy(%s): %u objects still allocated", c->name,
		      (unsigned int)c->inuse);
	kfree(c);
}

void *
kmem_cache_alloc(struct kmem_cache *c)
{
	return heap_alloc(c->size, c->align, c);
}

void
kmem_cache_free(struct kmem_cache *c, void *obj)
{
	if (obj)
		heap_free(obj, c, "kmem_cache_free");
}

/*
 * A cache here is only a size and a count: its objects come from the one
 * heap and return to it at once, so there is nothing held back to give up.
 */
void
kmem_cache_shrink(struct kmem_cache *c)
{
	(void)c;
}

void
kmalloc_shrink(void)
{
}

void
kmalloc_stats(struct heap_stats *st)
{
	unsigned long flags = arch_irq_save();
	size_t big = 0;

	st->total = heap.total;
	st->used = heap.used;
	st->free = heap.total - heap.used;
	st->allocations = heap.allocs;
	/* The biggest block is in the highest non-empty list. */
	if (heap.fl_map) {
		unsigned int fl = ilog2(heap.fl_map);
		unsigned int sl = ilog2(heap.sl_map[fl]);

		for (struct hblk *b = heap.free[fl][sl]; b; b = links(b)->next)
			big = MAX(big, bsize(b));
	}
	arch_irq_restore(flags);
	st->largest_free = big ? big * G - HDR - (debug() ? RED_MIN : 0) : 0;
}

/* Two [start, end) ranges overlap. */
static bool
overlaps(uintptr_t a0, uintptr_t a1, uintptr_t b0, uintptr_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* One region of at most MAX_G granules: [first, end marker]. */
static long
add_chunk(uintptr_t first, size_t g)
{
	struct hblk *b = (struct hblk *)first;
	struct hblk *end = (struct hblk *)(first + g * G);
	struct region *r;

	for (unsigned int i = 0; i < heap.nr_regions; i++) {
		r = &heap.region[i];
		if (overlaps(first, (uintptr_t)end + HDR, (uintptr_t)r->first,
			     (uintptr_t)r->end + HDR)) {
			pr_err("[%#lx-%#lx] overlaps a region the heap has: ignored\n",
			       (unsigned long)first, (unsigned long)end + HDR - 1);
			return -EINVAL;
		}
	}
	if (heap.nr_regions == HEAP_MAX_REGIONS) {
		pr_warn("more than %d regions: [%#lx-%#lx] ignored\n", HEAP_MAX_REGIONS,
			(unsigned long)first, (unsigned long)end + HDR - 1);
		return -ENOSPC;
	}
	r = &heap.region[heap.nr_regions++];
	r->first = b;
	r->end = end;
	if (debug())
		memset(b, POISON_FREE, g * G);
	b->size = (uint16_t)g;
	b->prev = 0;
	end->size = 0;
	end->prev = (uint16_t)g;
	list_insert(b);
	heap.total += g * G;
	return (long)(g * G);
}

long
heap_add_region(void *start, size_t size)
{
	uintptr_t s = (uintptr_t)start, e = s + size;
	unsigned long flags;
	long added = 0, err = -EINVAL;

	if (e < s)
		e = UINTPTR_MAX;
	flags = arch_irq_save();
	/* Headers sit 4 bytes before an 8-aligned payload; so does the end marker. */
	for (;;) {
		uintptr_t first = ALIGN_UP(s + HDR, G) - HDR, last;
		size_t g;
		long n;

		if (first < s || e < first + (MIN_G + 1) * G)
			break;
		last = ALIGN_DOWN(e - 2 * HDR, G) + HDR;
		g = MIN((last - first) / G, (size_t)MAX_G);
		n = add_chunk(first, g);
		if (n < 0) {
			err = n;
			break;
		}
		added += n;
		s = first + g * G + HDR;
	}
	arch_irq_restore(flags);
	return added ? added : err;
}

unsigned int
heap_regions(void)
{
	return heap.nr_regions;
}

void
heap_init(void)
{
	unsigned long flags;

	BUILD_BUG_ON(sizeof(struct hblk) != 4 || HEAP_MAX_CHUNK != MAX_G * G);
	/* 15-bit granule counts; MAX_G's class is the last first level. */
	BUILD_BUG_ON(MAX_G > G_MASK || MAX_G >> (FL_COUNT + SL_SHIFT - 1) != 0 ||
		     MAX_G >> (FL_COUNT + SL_SHIFT - 2) == 0);
	flags = arch_irq_save();

	memset(&heap, 0, sizeof(heap));
	arch_irq_restore(flags);
}

/* Give the heap usable RAM [base, base + size) minus every reserved range. */
static void
add_unreserved(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	uint64_t cur = base, end = base + size;

	while (cur < end) {
		uint64_t next = end, skip_to = end;

		/* The lowest reserved range reaching past cur. */
		for (unsigned int i = 0; i < bi->nr_reserved; i++) {
			const struct mem_region *rs = &bi->reserved[i];

			if (rs->size && rs->base < next && rs->base + rs->size > cur) {
				next = rs->base > cur ? rs->base : cur;
				skip_to = rs->base + rs->size;
			}
		}
		if (next > cur && cur < (uint64_t)UINTPTR_MAX) {
			uint64_t top = MIN(next, (uint64_t)UINTPTR_MAX);

			heap_add_region((void *)(uintptr_t)cur, (size_t)(top - cur));
		}
		cur = skip_to;
	}
}

void
kmalloc_init(void)
{
	const struct boot_info *bi = boot_info;
	struct heap_stats st;

	heap_init();
	for (unsigned int i = 0; bi && i < bi->nr_mem; i++)
		add_unreserved(bi, bi->mem[i].base, bi->mem[i].size);
	kmalloc_stats(&st);
	if (!st.total)
		pr_err("no memory left for the heap: kmalloc() will fail\n");
	else
		pr_info("%lu bytes free in %u region%s, largest block %lu bytes%s\n",
			(unsigned long)st.free, heap.nr_regions, heap.nr_regions == 1 ? "" : "s",
			(unsigned long)st.largest_free,
			debug() ? "; debug: poisoning, red zones, kfree checks" : "");
}

/* ---------------------------------------------------------------- checks */

#define CHECK_FAIL(...) do { pr_err(__VA_ARGS__); err = -EINVAL; goto out; } while (0)

int
heap_check(void)
{
	unsigned long flags = arch_irq_save();
	size_t total = 0, used = 0, allocs = 0, nfree = 0, listed = 0;
	int err = 0;

	for (unsigned int i = 0; i < heap.nr_regions; i++) {
		const struct region *r = &heap.region[i];
		const struct hblk *b = r->first;
		size_t prev = 0;
		bool prev_free = false;

		while (b != r->end) {
			if (b > r->end || bsize(b) < MIN_G)
				CHECK_FAIL("check: block %p: size %#x runs past the region end %p\n",
					   (const void *)b, b->size, (const void *)r->end);
			if (bprev(b) != prev)
				CHECK_FAIL("check: block %p: prev %#x, the block before has %#zx\n",
					   (const void *)b, b->prev, prev);
			total += bsize(b) * G;
			if (bfree(b)) {
				if (prev_free)
					CHECK_FAIL("check: free blocks touch at %p\n", (const void *)b);
				if (b->prev & B_CACHE)
					CHECK_FAIL("check: free block %p marked as cache object\n",
						   (const void *)b);
				nfree++;
				if (debug())
					check_poison((struct hblk *)b);
			} else {
				used += bsize(b) * G;
				allocs++;
				if (debug())
					check_redzone(b);
			}
			prev_free = bfree(b);
			prev = bsize(b);
			b = bnext(b);
		}
		if (r->end->size != 0 || bprev(r->end) != prev)
			CHECK_FAIL("check: end marker %p is %#x/%#x\n", (const void *)r->end,
				   r->end->size, r->end->prev);
	}
	if (total != heap.total || used != heap.used || allocs != heap.allocs)
		CHECK_FAIL("check: walk finds %zu/%zu bytes, %zu allocations; counters say "
			   "%zu/%zu, %zu\n", used, total, allocs, heap.used, heap.total, heap.allocs);

	for (unsigned int fl = 0; fl < FL_COUNT; fl++) {
		for (unsigned int sl = 0; sl < SL_COUNT; sl++) {
			const struct hblk *b = heap.free[fl][sl], *back = NULL;
			bool bit = heap.sl_map[fl] & (1u << sl);

			if (bit != (b != NULL))
				CHECK_FAIL("check: bitmap bit %u/%u is %d for a list %s\n", fl, sl,
					   bit, b ? "with blocks" : "that is empty");
			for (; b; back = b, b = links(b)->next) {
				unsigned int f, s;

				mapping(bsize(b), &f, &s);
				if (!bfree(b) || f != fl || s != sl || links(b)->prev != back)
					CHECK_FAIL("check: block %p (size %#x) on list %u/%u\n",
						   (const void *)b, b->size, fl, sl);
				if (++listed > nfree)
					CHECK_FAIL("check: more blocks on the lists than free ones\n");
			}
		}
		if (!!(heap.fl_map & (1u << fl)) != !!heap.sl_map[fl])
			CHECK_FAIL("check: first-level bit %u wrong\n", fl);
	}
	if (listed != nfree)
		CHECK_FAIL("check: %zu free blocks, %zu on the lists\n", nfree, listed);
out:
	arch_irq_restore(flags);
	return err;
}
