/*
 * What kmalloc and kfree cost on the RTOS heap (mm/heap.c), over a heap
 * that is already fragmented: holes of several sizes between live blocks,
 * so the size-class lists are not trivially empty or full.  The pair
 * benchmarks give the cost of one kmalloc plus one kfree; the batch ones
 * also print kmalloc and kfree apart, timed over 32 operations at a time.
 * Small on purpose: a bench build of the micro:bit leaves the heap ~5 KiB.
 */
#include <kernel/bench.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include <kernel/time.h>

#define BACKGROUND	24
#define BATCH		32

static void *background[BACKGROUND];

/* Live blocks of mixed sizes with every third one freed again. */
static void
fragment(void)
{
	static const unsigned short sizes[] = { 24, 100, 40, 200, 16, 64 };

	for (int i = 0; i < BACKGROUND; i++)
		background[i] = kmalloc(sizes[i % ARRAY_SIZE(sizes)]);
	for (int i = 0; i < BACKGROUND; i += 3) {
		kfree(background[i]);
		background[i] = NULL;
	}
}

static void
unfragment(void)
{
	for (int i = 0; i < BACKGROUND; i++) {
		kfree(background[i]);
		background[i] = NULL;
	}
}

static size_t
pairs(size_t n, size_t size)
{
	size_t done = 0;

	fragment();
	for (size_t i = 0; i < n; i++) {
		void *p = kmalloc(size);

		if (!p)
			break;
		kfree(p);
		done++;
	}
	unfragment();
	return done;
}

BENCH(heap, kmalloc_kfree_16)
{
	return pairs(n, 16);
}

BENCH(heap, kmalloc_kfree_64)
{
	return pairs(n, 64);
}

BENCH(heap, kmalloc_kfree_1024)
{
	return pairs(n, 1024);
}

BENCH(heap, cache_alloc_free_48)
{
	struct kmem_cache *c = kmem_cache_create("bench-48", 48, 16);
	size_t done = 0;

	if (!c)
		return 0;
	fragment();
	for (size_t i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(c);

		if (!p)
			break;
		kmem_cache_free(c, p);
		done++;
	}
	unfragment();
	kmem_cache_destroy(c);
	return done;
}

/*
 * BATCH allocations in a row, then their frees in the opposite order (each
 * merging with the free space after it), timed apart with the clock (under
 * QEMU -icount shift=0 a nanosecond is an instruction).  The runner's
 * figure is for a kmalloc/kfree pair; the split is printed after it, less
 * the cost of reading the clock.
 */
static size_t
batches(size_t n, size_t size, const char *name)
{
	void *p[BATCH];
	uint64_t t_alloc = 0, t_free = 0, t_clock = 0;
	size_t done = 0;

	fragment();
	while (done < n) {
		uint64_t t0, t1, t2, t3;
		int k, got;

		t0 = time_ns();
		t1 = time_ns();
		for (k = 0; k < BATCH; k++)
			if (!(p[k] = kmalloc(size)))
				break;
		t2 = time_ns();
		got = k;
		while (k-- > 0)
			kfree(p[k]);
		t3 = time_ns();
		t_clock += t1 - t0;
		t_alloc += t2 - t1;
		t_free += t3 - t2;
		done += (size_t)got;
		if (got < BATCH)
			break;
	}
	unfragment();
	if (done && n == CONFIG_BENCH_ITERATIONS) {
		t_alloc = t_alloc > t_clock ? t_alloc - t_clock : 0;
		t_free = t_free > t_clock ? t_free - t_clock : 0;
		printk(KERN_RAW "bench:   %s: kmalloc %llu ns/op, kfree %llu ns/op\n", name,
		       (unsigned long long)(t_alloc / done), (unsigned long long)(t_free / done));
	}
	return done;
}

BENCH(heap, batch32_16)
{
	return batches(n, 16, "heap.batch32_16");
}

BENCH(heap, batch32_64)
{
	return batches(n, 64, "heap.batch32_64");
}
