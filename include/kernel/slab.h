/*
 * The kernel heap.  kmalloc()/kfree() for any size; object caches for
 * fixed-size objects.  On MMU ports small sizes come from slab caches and
 * large ones from the page allocator (mm/slab.c); on the RTOS profile one
 * fragmentation-resistant heap serves all sizes (mm/heap.c).
 */
#ifndef KERNEL_SLAB_H
#define KERNEL_SLAB_H

#include <string.h>
#include <kernel/types.h>

void *kmalloc(size_t size);
void kfree(void *ptr);
/* Usable size of an allocation (at least what was asked for). */
size_t ksize(const void *ptr);

struct kmem_cache;
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
void kmem_cache_destroy(struct kmem_cache *cache);	/* all objects freed */
void *kmem_cache_alloc(struct kmem_cache *cache);
void kmem_cache_free(struct kmem_cache *cache, void *obj);
/* Give the memory of a cache's empty slabs back (all caches: kmalloc_shrink). */
void kmem_cache_shrink(struct kmem_cache *cache);
void kmalloc_shrink(void);

struct heap_stats {
	size_t total;			/* bytes the heap manages */
	size_t used;			/* bytes handed out, headers included */
	size_t free;
	size_t largest_free;		/* biggest single allocation possible */
	size_t allocations;		/* live allocations */
};
void kmalloc_stats(struct heap_stats *st);

#ifdef CONFIG_MMU
/* One slab cache's counts, as /proc/slabinfo shows them (Linux's 2.1 format). */
struct kmem_cache_stat {
	char name[24];
	size_t active_objs;		/* objects in use */
	size_t num_objs;		/* objects the cache's slabs hold */
	size_t objsize;			/* bytes per object, debug words included */
	unsigned int objperslab;
	unsigned int pagesperslab;
	size_t num_slabs;
};
/* Up to max caches' counts into out (in creation order); how many there are. */
size_t kmem_cache_stats(struct kmem_cache_stat *out, size_t max);
#endif

void kmalloc_init(void);

static inline void *
kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

#endif
