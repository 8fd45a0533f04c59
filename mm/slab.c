/*
 * Slab caches and kmalloc for the MMU ports.  A slab is a naturally
 * aligned block of 2^order pages cut into equal objects; its first frame's
 * struct page holds the free list and the count in use.  kmalloc serves
 * sizes up to 2 KiB from power-of-two-ish caches and larger ones straight
 * from the page allocator.  Each cache keeps at most one empty slab, so a
 * steady alloc/free pattern does not go to the page allocator every time;
 * kmalloc_shrink() gives the empty ones back (the tests compare page
 * counts after it, and a failing slab allocation shrinks before it gives up).
 *
 * Locking: each cache's own lock (interrupts masked: kfree runs in
 * interrupt context too) guards its slabs and counts, and is taken before
 * the page allocator's; caches_lock guards the list of caches and the
 * large-allocation counts, and is taken before a cache's lock.
 *
 * With CONFIG_SLAB_DEBUG every object carries a red zone and a state word:
 * freed objects are poisoned and checked on reuse (use after free), red
 * zones are checked on free (overflow), the state word catches double
 * and invalid frees.  Each finding is a panic with the cache, the object
 * and what was wrong.
 */
#define pr_fmt(fmt) "slab: " fmt

#include <string.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <kernel/list.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/spinlock.h>

#define SLAB_MAX_ORDER	3
#define KMALLOC_MAX	2048

#define POISON_FREE	0x6b
#define POISON_RED	0xbb
#define STATE_ALLOC	0xa110ca7eda7a0001ULL
#define STATE_FREE	0xf7eef7eef7ee0002ULL
#define REDZONE		8

struct kmem_cache {
	struct spinlock lock;		/* everything below but link */
	const char *name;
	size_t size;			/* what the user asked for */
	size_t stride;			/* object plus debug words, aligned */
	size_t align;
	unsigned int order;
	unsigned int per_slab;
	struct list_head partial;	/* slabs with free objects, empty ones last */
	struct list_head full;
	size_t slabs;
	size_t empty;			/* slabs with no object in use (0 or 1) */
	size_t inuse;			/* live objects */
	struct list_head link;		/* all caches (caches_lock) */
};

/* Debug layout after the object: red zone, state word, free-list link. */
struct debug_tail {
	uint8_t red[REDZONE];
	uint64_t state;
	void *next;
};

static const size_t kmalloc_sizes[] = { 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048 };
static const char *const kmalloc_names[] = {
	"kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128",
	"kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k",
};
static struct kmem_cache kmalloc_caches[ARRAY_SIZE(kmalloc_sizes)];
static struct kmem_cache cache_cache;	/* holds the kmem_cache structures */
static struct spinlock caches_lock = SPINLOCK_INIT("slab-caches");
static LIST_HEAD(caches);		/* caches_lock */
static size_t large_pages;		/* caches_lock: pages behind large allocations */
static size_t large_allocs;		/* caches_lock */

static inline bool
debug(void)
{
	return IS_ENABLED(CONFIG_SLAB_DEBUG);
}

static inline struct debug_tail *
tail_of(const struct kmem_cache *c, void *obj)
{
	return (struct debug_tail *)((char *)obj + c->size);
}

/* The free-list link lives in the object, or in the debug tail. */
static inline void **
link_of(const struct kmem_cache *c, void *obj)
{
	return debug() ? &tail_of(c, obj)->next : (void **)obj;
}

static void
cache_setup(struct kmem_cache *c, const char *name, size_t size, size_t align)
{
	unsigned long flags;
	size_t stride;

	if (align < sizeof(void *))
		align = sizeof(void *);
	stride = size < sizeof(void *) ? sizeof(void *) : size;
	if (debug())
		stride = size + sizeof(struct debug_tail);
	stride = ALIGN_UP(stride, align);

	spin_init(&c->lock, "slab-cache");
	c->name = name;
	c->size = size;
	c->align = align;
	c->stride = stride;
	/* The smallest slab that wastes under an eighth and holds 8 objects. */
	for (c->order = 0; c->order < SLAB_MAX_ORDER; c->order++) {
		size_t bytes = PAGE_SIZE << c->order;

		if (bytes / stride >= 8 && bytes % stride <= bytes / 8)
			break;
	}
	c->per_slab = (unsigned int)((PAGE_SIZE << c->order) / stride);
	list_init(&c->partial);
	list_init(&c->full);
	c->slabs = 0;
	c->empty = 0;
	c->inuse = 0;
	flags = spin_lock_irqsave(&caches_lock);
	list_add_tail(&c->link, &caches);
	spin_unlock_irqrestore(&caches_lock, flags);
}

static struct page *
slab_new(struct kmem_cache *c)
{
	struct page *head = alloc_pages(GFP_KERNEL, c->order);
	char *base;

	if (!head)
		return NULL;
	base = page_address(head);
	for (size_t i = 0; i < (1UL << c->order); i++) {
		head[i].flags |= PG_SLAB;
		head[i].slab_cache = c;
	}
	head->inuse = 0;
	head->freelist = NULL;
	/* Thread the free list so the lowest address comes out first. */
	for (unsigned int i = c->per_slab; i-- > 0;) {
		void *obj = base + (size_t)i * c->stride;

		if (debug()) {
			memset(obj, POISON_FREE, c->size);
			memset(tail_of(c, obj)->red, POISON_RED, REDZONE);
			tail_of(c, obj)->state = STATE_FREE;
		}
		*link_of(c, obj) = head->freelist;
		head->freelist = obj;
	}
	c->slabs++;
	c->empty++;
	list_add_tail(&head->list, &c->partial);
	return head;
}

static void
slab_release(struct kmem_cache *c, struct page *head)
{
	list_del(&head->list);
	for (size_t i = 0; i < (1UL << c->order); i++) {
		head[i].flags &= (uint16_t)~PG_SLAB;
		head[i].slab_cache = NULL;
	}
	head->freelist = NULL;
	c->slabs--;
	free_pages(head, c->order);
}

static void
check_alloc(struct kmem_cache *c, void *obj)
{
	struct debug_tail *t = tail_of(c, obj);
	const uint8_t *b = obj;

	if (t->state != STATE_FREE)
		panic("slab %s: free-list object %p has a bad state word %#llx "
		      "(corrupted free list)", c->name, obj, (unsigned long long)t->state);
	for (size_t i = 0; i < c->size; i++)
		if (b[i] != POISON_FREE)
			panic("slab %s: use after free: object %p was written at "
			      "offset %zu after it was freed (byte %#x)", c->name, obj, i, b[i]);
	for (size_t i = 0; i < REDZONE; i++)
		if (t->red[i] != POISON_RED)
			panic("slab %s: red zone of free object %p overwritten", c->name, obj);
}

static void
check_free(struct kmem_cache *c, void *obj)
{
	struct debug_tail *t = tail_of(c, obj);

	if (t->state == STATE_FREE)
		panic("slab %s: double free of object %p", c->name, obj);
	if (t->state != STATE_ALLOC)
		panic("slab %s: free of %p, which is not an allocated object "
		      "(state %#llx)", c->name, obj, (unsigned long long)t->state);
	for (size_t i = 0; i < REDZONE; i++)
		if (t->red[i] != POISON_RED)
			panic("slab %s: buffer overflow: the red zone after object %p "
			      "(%zu bytes) was overwritten at byte %zu", c->name, obj,
			      c->size, c->size + i);
}

void *
kmem_cache_alloc(struct kmem_cache *c)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	struct page *head;
	void *obj;

	if (list_empty(&c->partial) && !slab_new(c)) {
		spin_unlock_irqrestore(&c->lock, flags);
		kmalloc_shrink();		/* empty slabs of other caches */
		flags = spin_lock_irqsave(&c->lock);
		if (list_empty(&c->partial) && !slab_new(c)) {
			spin_unlock_irqrestore(&c->lock, flags);
			return NULL;
		}
	}
	head = list_first_entry(&c->partial, struct page, list);
	if (head->inuse == 0)
		c->empty--;
	obj = head->freelist;
	head->freelist = *link_of(c, obj);
	head->inuse++;
	c->inuse++;
	if (head->inuse == c->per_slab) {
		list_del(&head->list);
		list_add(&head->list, &c->full);
	}
	if (debug()) {
		check_alloc(c, obj);
		tail_of(c, obj)->state = STATE_ALLOC;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	return obj;
}

/*
 * The slab an object lives in (pg: the page holding obj), checked: a
 * pointer into nothing is a bug.  A slab's pages are one buddy block, so
 * its head is pg less obj's page offset in the block: no second lookup.
 */
static struct page *
slab_of(struct kmem_cache *c, const void *obj, struct page *pg)
{
	uintptr_t base, off;

	if (!pg || !(pg->flags & PG_SLAB) || pg->slab_cache != c)
		panic("slab %s: free of %p, which is not from this cache", c->name, obj);
	base = ALIGN_DOWN((uintptr_t)obj, PAGE_SIZE << c->order);
	off = (uintptr_t)obj - base;
	if (off % c->stride || off / c->stride >= c->per_slab)
		panic("slab %s: free of %p, which is not the start of an object",
		      c->name, obj);
	return pg - (off >> PAGE_SHIFT);
}

/* Free obj of c, which lives in page pg (kfree() has looked it up already). */
static void
cache_free(struct kmem_cache *c, void *obj, struct page *pg)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	struct page *head = slab_of(c, obj, pg);
	bool was_full = head->inuse == c->per_slab;

	if (debug()) {
		check_free(c, obj);
		memset(obj, POISON_FREE, c->size);
		tail_of(c, obj)->state = STATE_FREE;
	}
	*link_of(c, obj) = head->freelist;
	head->freelist = obj;
	head->inuse--;
	c->inuse--;
	if (head->inuse == 0) {
		if (c->empty) {
			slab_release(c, head);	/* one empty slab is enough */
		} else {
			c->empty++;
			list_del(&head->list);
			list_add_tail(&head->list, &c->partial);
		}
	} else if (was_full) {
		list_del(&head->list);
		list_add(&head->list, &c->partial);
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

void
kmem_cache_free(struct kmem_cache *c, void *obj)
{
	cache_free(c, obj, virt_to_page(obj));
}

struct kmem_cache *
kmem_cache_create(const char *name, size_t size, size_t align)
{
	struct kmem_cache *c;

	if (size == 0 || size > (PAGE_SIZE << SLAB_MAX_ORDER) / 8 || (align & (align - 1)) ||
	    align > PAGE_SIZE)
		return NULL;
	c = kmem_cache_alloc(&cache_cache);
	if (!c)
		return NULL;
	cache_setup(c, name, size, align);
	return c;
}

void
kmem_cache_shrink(struct kmem_cache *c)
{
	unsigned long flags = spin_lock_irqsave(&c->lock);
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &c->partial) {
		struct page *head = list_entry(pos, struct page, list);

		if (head->inuse == 0) {
			c->empty--;
			slab_release(c, head);
		}
	}
	spin_unlock_irqrestore(&c->lock, flags);
}

/* Review finding: the walk ran with the list open to changes. */
void
kmalloc_shrink(void)
{
	unsigned long flags = spin_lock_irqsave(&caches_lock);
	struct list_head *pos;

	list_for_each(pos, &caches)
		kmem_cache_shrink(list_entry(pos, struct kmem_cache, link));
	spin_unlock_irqrestore(&caches_lock, flags);
}

void
kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long flags;

	if (READ_ONCE(c->inuse))
		panic("slab %s: destroyed with %zu objects still allocated", c->name, c->inuse);
	flags = spin_lock_irqsave(&caches_lock);
	list_del(&c->link);
	spin_unlock_irqrestore(&caches_lock, flags);
	kmem_cache_shrink(c);
	kmem_cache_free(&cache_cache, c);
}

static struct kmem_cache *
kmalloc_cache(size_t size)
{
	/* Index by 16-byte steps up to 192, then by power of two: no search. */
	static const uint8_t small[13] = { 0, 0, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5 };
	_Static_assert(ARRAY_SIZE(kmalloc_sizes) == 10 && KMALLOC_MAX == 2048,
		       "kmalloc_cache() knows the size classes: 16 32 64 96 128 192 256 .. 2048");

	if (size <= 192)
		return &kmalloc_caches[small[(size + 15) >> 4]];
	if (size > KMALLOC_MAX)
		return NULL;
	/* 193..256 -> 6, ..512 -> 7, ..1024 -> 8, ..2048 -> 9 */
	return &kmalloc_caches[6 + (32 - __builtin_clz((unsigned int)(size - 1))) - 8];
}

static unsigned int
large_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

void *
kmalloc(size_t size)
{
	struct kmem_cache *c = kmalloc_cache(size ? size : 1);
	unsigned int order;
	struct page *p;
	unsigned long flags;

	if (c)
		return kmem_cache_alloc(c);
	order = large_order(size);
	if (order >= PAGE_ORDERS)
		return NULL;
	p = alloc_pages(GFP_KERNEL, order);
	if (!p)
		return NULL;
	flags = spin_lock_irqsave(&caches_lock);
	large_pages += 1UL << order;
	large_allocs++;
	spin_unlock_irqrestore(&caches_lock, flags);
	return page_address(p);
}

void
kfree(void *ptr)
{
	struct page *pg;
	unsigned long flags;

	if (!ptr)
		return;
	pg = virt_to_page(ptr);
	if (!pg)
		panic("kfree: %p is not kernel heap memory", ptr);
	if (pg->flags & PG_SLAB) {
		cache_free(pg->slab_cache, ptr, pg);
		return;
	}
	if (!(pg->flags & PG_HEAD) || ((uintptr_t)ptr & (PAGE_SIZE - 1)))
		panic("kfree: %p was not returned by kmalloc (or was freed already)", ptr);
	flags = spin_lock_irqsave(&caches_lock);
	large_pages -= 1UL << pg->order;
	large_allocs--;
	spin_unlock_irqrestore(&caches_lock, flags);
	free_pages(pg, pg->order);
}

size_t
ksize(const void *ptr)
{
	struct page *pg = virt_to_page(ptr);

	if (!pg)
		return 0;
	if (pg->flags & PG_SLAB)
		return pg->slab_cache->size;
	return PAGE_SIZE << pg->order;
}

void
kmalloc_stats(struct heap_stats *st)
{
	struct mm_stats mm;
	unsigned long flags = spin_lock_irqsave(&caches_lock);
	struct list_head *pos;

	st->total = large_pages * PAGE_SIZE;
	st->used = large_pages * PAGE_SIZE;
	st->allocations = large_allocs;
	list_for_each(pos, &caches) {
		struct kmem_cache *c = list_entry(pos, struct kmem_cache, link);

		spin_lock(&c->lock);
		st->total += c->slabs * (PAGE_SIZE << c->order);
		st->used += c->inuse * c->stride;
		st->allocations += c->inuse;
		spin_unlock(&c->lock);
	}
	spin_unlock_irqrestore(&caches_lock, flags);
	mm_stats(&mm);
	/* What the heap holds unused, plus what the page allocator can still give. */
	st->free = st->total - st->used + mm.free_pages * PAGE_SIZE;
	st->largest_free = mm.free_pages ? PAGE_SIZE << mm.largest_order : 0;
}

size_t
kmem_cache_stats(struct kmem_cache_stat *out, size_t max)
{
	unsigned long flags = spin_lock_irqsave(&caches_lock);
	struct list_head *pos;
	size_t n = 0;

	list_for_each(pos, &caches) {
		struct kmem_cache *c = list_entry(pos, struct kmem_cache, link);

		if (n < max) {
			struct kmem_cache_stat *st = &out[n];

			spin_lock(&c->lock);
			strlcpy(st->name, c->name, sizeof(st->name));
			st->active_objs = c->inuse;
			st->num_objs = c->slabs * c->per_slab;
			st->objsize = c->stride;
			st->objperslab = c->per_slab;
			st->pagesperslab = 1u << c->order;
			st->num_slabs = c->slabs;
			spin_unlock(&c->lock);
		}
		n++;
	}
	spin_unlock_irqrestore(&caches_lock, flags);
	return n;
}

void
kmalloc_init(void)
{
	cache_setup(&cache_cache, "kmem_cache", sizeof(struct kmem_cache), 0);
	for (size_t i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++)
		cache_setup(&kmalloc_caches[i], kmalloc_names[i], kmalloc_sizes[i], 0);
	pr_info("%zu kmalloc caches (16 B .. 2 KiB)%s\n", ARRAY_SIZE(kmalloc_sizes),
		debug() ? ", debug: red zones, poisoning, double-free checks" : "");
}
