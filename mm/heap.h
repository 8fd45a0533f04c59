/*
 * Internal interface of the RTOS-profile heap (mm/heap.c): the regions it
 * manages, its geometry, a consistency check.  The kernel at large uses
 * <kernel/slab.h>; this header is for the port glue in mm/, the tests and
 * the benchmark.
 */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include <kernel/types.h>

/* Every block is a whole number of granules; payloads are 8-aligned. */
#define HEAP_GRANULE		8
/* kmem_cache_create() honours alignments up to this. */
#define HEAP_MAX_ALIGN		64
/*
 * Regions beyond this are split into several: below 2^RTOS_HEAP_BLOCK_SHIFT
 * bytes, and sizes are 15-bit granule counts.
 */
#define HEAP_MAX_CHUNK		(((1u << (CONFIG_RTOS_HEAP_BLOCK_SHIFT - 3)) - 1) * HEAP_GRANULE)
#define HEAP_MAX_REGIONS	CONFIG_RTOS_HEAP_REGIONS

/* Forget every region and allocation: an empty heap (boot, tests). */
void heap_init(void);

/*
 * Hand [start, start + size) to the heap.  Trimmed to granule alignment;
 * large ranges become several regions.  Returns the bytes that became
 * allocatable, or -EINVAL (too small) / -ENOSPC (region table full).
 */
long heap_add_region(void *start, size_t size);

/* Number of regions the heap manages. */
unsigned int heap_regions(void);

/* Bytes (header and padding included) that kmalloc(size) takes from the heap. */
size_t heap_footprint(size_t size);

/*
 * Bytes the live allocation at ptr occupies: its footprint, or up to one
 * minimal block more when the rest of the free block it came from was
 * too small to split off.
 */
size_t heap_block_bytes(const void *ptr);

/*
 * Walk every region and free list and compare with the counters.  0 when
 * all is consistent, else -EINVAL after printing what is wrong.
 */
int heap_check(void);

#endif
