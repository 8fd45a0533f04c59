/*
 * mm/heap.c (the RTOS-profile heap) on the host, over malloc'd buffers of
 * exact size so that ASan sees any byte written outside them: geometry,
 * random alloc/free/realloc sequences against a model that keeps every
 * byte, exact counters after each step, coalescing back to one block,
 * exhaustion, boundary sizes, alignment, regions from a boot memory map,
 * and the panics for bad frees.  Built twice: plain, and with
 * CONFIG_RTOS_HEAP_DEBUG (poisoning, red zones).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"

#include <arch/boot.h>
#include <arch/cpu.h>
#include <kernel/errno.h>
#include <kernel/panic.h>
#include <kernel/printk.h>
#include <kernel/slab.h>
#include "../../heap.h"

#ifdef CONFIG_RTOS_HEAP_DEBUG
#define DEBUG	1
#else
#define DEBUG	0
#endif

#define HDR	4
#define RED	(DEBUG ? 4 : 0)
/* The smallest block: header plus the two free-list pointers, in granules. */
#define MIN_BLOCK	((HDR + 2 * sizeof(void *) + 7) / 8 * 8)

const struct boot_info *boot_info;	/* kernel/main.c's, for kmalloc_init() */

/* panic() ends in arch_halt(), which HOST_EXPECT_PANIC catches. */
static char panic_msg[256];

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	arch_halt();
}

#define EXPECT_PANIC(stmt, msg) do {					\
	panic_msg[0] = '\0';						\
	CHECK(HOST_EXPECT_PANIC(stmt));					\
	host_irqs_on = true;		/* the heap lock was held */	\
	if (!strstr(panic_msg, (msg))) {				\
		printf("# panic message: \"%s\"\n", panic_msg);	\
		CHECK(!"the panic names: " msg);			\
	}								\
} while (0)

/* The console, for the boot line. */
static char con_buf[2048];
static size_t con_len;

static void
con_write(struct console *c, const char *s, size_t len)
{
	if (con_len + len >= sizeof(con_buf))
		con_len = 0;
	memcpy(con_buf + con_len, s, len);
	con_len += len;
	con_buf[con_len] = '\0';
}

static struct console con = { "capture", con_write, NULL, NULL };

static unsigned char *
fresh_heap(size_t size)
{
	static bool registered;
	unsigned char *buf = malloc(size);

	if (!registered) {
		console_register(&con);
		registered = true;
	}
	heap_init();
	CHECK(buf != NULL);
	CHECK(heap_add_region(buf, size) > 0);
	CHECK(heap_check() == 0);
	return buf;
}

static void
same_stats(const struct heap_stats *a, const struct heap_stats *b, int line)
{
	if (a->total != b->total || a->used != b->used || a->free != b->free ||
	    a->largest_free != b->largest_free || a->allocations != b->allocations) {
		printf("# line %d: total %zu/%zu used %zu/%zu free %zu/%zu largest %zu/%zu "
		       "allocations %zu/%zu\n", line, a->total, b->total, a->used, b->used,
		       a->free, b->free, a->largest_free, b->largest_free,
		       a->allocations, b->allocations);
		host_test_fail(__FILE__, line, "heap statistics differ");
	}
}
#define SAME_STATS(a, b) same_stats((a), (b), __LINE__)

static size_t
expect_footprint(size_t n)
{
	size_t b = (n + HDR + RED + 7) / 8 * 8;

	return b < MIN_BLOCK ? MIN_BLOCK : b;
}

HOST_TEST(a_geometry_and_boot_values)
{
	unsigned char *buf = fresh_heap(16384);
	struct heap_stats st;

	/* malloc gives 16-aligned memory: the first header at +4, the end marker at -4. */
	kmalloc_stats(&st);
	CHECK(st.total == 16384 - 8);
	CHECK(st.used == 0 && st.free == st.total && st.allocations == 0);
	CHECK(st.largest_free == st.total - HDR - RED);
	CHECK(heap_regions() == 1);
	CHECK(host_irqs_on);

	for (size_t n = 0; n < 300; n++)
		CHECK(heap_footprint(n) == expect_footprint(n));
	CHECK(heap_footprint(SIZE_MAX) == 0);
	CHECK(heap_footprint(HEAP_MAX_CHUNK) == 0);

	/* Ragged starts and ends are trimmed to the 8-byte grid. */
	heap_init();
	CHECK(heap_add_region(buf + 3, 1000) == 992);	/* blocks in [buf+4, buf+996) */
	CHECK(heap_add_region(buf + 2000, 20) == -EINVAL);	/* too small */
	CHECK(heap_add_region(buf + 500, 100) == -EINVAL);	/* overlaps */
	CHECK(heap_regions() == 1);
	CHECK(heap_check() == 0);
	free(buf);
}

HOST_TEST(b_stats_exact_per_step)
{
	unsigned char *buf = fresh_heap(16384);
	struct heap_stats boot, st;
	static const size_t sizes[] = { 0, 1, 7, 8, 12, 13, 20, 21, 100, 1000, 4000 };
	void *p[ARRAY_SIZE(sizes)];
	size_t used = 0;

	kmalloc_stats(&boot);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i]);
		CHECK(p[i] != NULL);
		CHECK(((uintptr_t)p[i] & 7) == 0);
		CHECK(heap_block_bytes(p[i]) == heap_footprint(sizes[i]));
		CHECK(ksize(p[i]) >= sizes[i]);
		if (DEBUG)
			CHECK(ksize(p[i]) == sizes[i]);
		memset(p[i], 0xa5, ksize(p[i]));
		used += heap_footprint(sizes[i]);
		kmalloc_stats(&st);
		CHECK(st.used == used);
		CHECK(st.free == st.total - used);
		CHECK(st.allocations == i + 1);
		CHECK(st.largest_free == boot.largest_free - used);
		CHECK(heap_check() == 0);
	}
	CHECK(p[0] != p[1]);			/* kmalloc(0): a block of its own */
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		kfree(p[i]);
		used -= heap_footprint(sizes[i]);
		kmalloc_stats(&st);
		CHECK(st.used == used);
		CHECK(st.allocations == ARRAY_SIZE(sizes) - i - 1);
		CHECK(heap_check() == 0);
	}
	kmalloc_stats(&st);
	SAME_STATS(&st, &boot);
	kfree(NULL);
	CHECK(ksize(NULL) == 0);
	void *z = kzalloc(333);
	CHECK(z != NULL);
	for (int i = 0; i < 333; i++)
		CHECK(((unsigned char *)z)[i] == 0);
	kfree(z);
	CHECK(host_irqs_on);
	free(buf);
}

/* Live allocations of the model: every byte is a function of (id, offset). */
struct live {
	unsigned char *p;
	size_t size;
	size_t bytes;			/* the block, from heap_block_bytes() */
	unsigned int id;
};

static unsigned char
pattern(unsigned int id, size_t i)
{
	return (unsigned char)(id * 31u + i * 7u + (i >> 8));
}

static void
fill(struct live *l)
{
	for (size_t i = 0; i < l->size; i++)
		l->p[i] = pattern(l->id, i);
}

static bool
intact(const struct live *l)
{
	for (size_t i = 0; i < l->size; i++)
		if (l->p[i] != pattern(l->id, i))
			return false;
	return true;
}

static unsigned int seed;

static unsigned int
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static size_t
random_size(void)
{
	unsigned int r = rnd() % 100;

	if (r < 70)
		return rnd() % 65;
	if (r < 95)
		return 65 + rnd() % 448;
	return 513 + rnd() % 3584;
}

/* The largest_free figure is exact: that size fits, one byte more does not. */
static void
check_largest(void)
{
	struct heap_stats st;
	void *p;

	kmalloc_stats(&st);
	if (!st.largest_free)
		return;
	p = kmalloc(st.largest_free);
	CHECK(p != NULL);
	kfree(p);
	CHECK(kmalloc(st.largest_free + 1) == NULL);
}

static void
random_run(unsigned int s, size_t heap_size, int steps)
{
	enum { N = 160 };
	static struct live live[N];
	unsigned char *buf = fresh_heap(heap_size);
	struct heap_stats boot, st;
	unsigned int next_id = 1, fails = 0;

	seed = s;
	memset(live, 0, sizeof(live));
	kmalloc_stats(&boot);
	for (int step = 0; step < steps; step++) {
		struct live *l = &live[rnd() % N];
		unsigned int op = rnd() % 3;

		if (l->p && op == 0) {				/* free */
			CHECK(intact(l));
			kfree(l->p);
			l->p = NULL;
		} else if (l->p && op == 1) {			/* "realloc" */
			size_t n = random_size();
			unsigned char *q = kmalloc(n);

			CHECK(intact(l));
			if (q) {
				memcpy(q, l->p, MIN(n, l->size));
				kfree(l->p);
				for (size_t i = MIN(n, l->size); i < n; i++)
					q[i] = pattern(l->id, i);
				l->p = q;
				l->size = n;
				l->bytes = heap_block_bytes(q);
				CHECK(intact(l));
			} else {
				fails++;
			}
		} else if (!l->p) {				/* alloc */
			size_t n = random_size();

			l->p = kmalloc(n);
			if (!l->p) {
				fails++;
				continue;
			}
			l->size = n;
			l->bytes = heap_block_bytes(l->p);
			l->id = next_id++;
			CHECK(((uintptr_t)l->p & 7) == 0);
			CHECK(l->p >= buf && l->p + n <= buf + heap_size);
			/* No overlap with any other live block, header included. */
			for (int i = 0; i < N; i++) {
				struct live *o = &live[i];

				if (o != l && o->p)
					CHECK(l->p + n + RED <= o->p - HDR ||
					      o->p + o->size + RED <= l->p - HDR);
			}
			fill(l);
		}

		/* Exact counters against the model, after every step. */
		size_t used = 0, count = 0;

		for (int i = 0; i < N; i++) {
			if (live[i].p) {
				CHECK(live[i].bytes >= heap_footprint(live[i].size));
				CHECK(live[i].bytes < heap_footprint(live[i].size) + MIN_BLOCK);
				used += live[i].bytes;
				count++;
			}
		}
		kmalloc_stats(&st);
		CHECK(st.used == used);
		CHECK(st.allocations == count);
		CHECK(st.free == st.total - st.used);
		CHECK(st.total == boot.total);
		CHECK(host_irqs_on);
		if (step % 97 == 0) {
			CHECK(heap_check() == 0);
			for (int i = 0; i < N; i++)
				if (live[i].p)
					CHECK(intact(&live[i]));
			check_largest();
		}
	}
	CHECK(fails > 0);		/* the heap did run full at times */

	/* Free the rest in random order: everything merges back into one block. */
	for (int i = N - 1; i > 0; i--) {
		int j = (int)(rnd() % (unsigned int)(i + 1));
		struct live t = live[i];

		live[i] = live[j];
		live[j] = t;
	}
	for (int i = 0; i < N; i++) {
		if (live[i].p) {
			CHECK(intact(&live[i]));
			kfree(live[i].p);
			live[i].p = NULL;
		}
	}
	kmalloc_stats(&st);
	SAME_STATS(&st, &boot);
	CHECK(heap_check() == 0);
	free(buf);
}

HOST_TEST(c_random_against_model_16k)
{
	random_run(1, 16384, 100000);
	random_run(7, 16384, 100000);
}

HOST_TEST(c_random_against_model_9k_odd)
{
	random_run(42, 9001, 100000);
}

HOST_TEST(d_coalescing_in_every_order)
{
	enum { K = 64 };
	unsigned char *buf = fresh_heap(8192);
	struct heap_stats boot, st;
	void *p[K];

	kmalloc_stats(&boot);
	for (int order = 0; order < 4; order++) {
		for (int i = 0; i < K; i++) {
			p[i] = kmalloc(40 + (size_t)(i % 5) * 16);
			CHECK(p[i] != NULL);
		}
		switch (order) {
		case 0:
			for (int i = 0; i < K; i++)
				kfree(p[i]);
			break;
		case 1:
			for (int i = K - 1; i >= 0; i--)
				kfree(p[i]);
			break;
		case 2:		/* holes first, then the blocks between them */
			for (int i = 1; i < K; i += 2)
				kfree(p[i]);
			CHECK(heap_check() == 0);
			kmalloc_stats(&st);
			CHECK(st.allocations == K / 2);
			for (int i = 0; i < K; i += 2)
				kfree(p[i]);
			break;
		case 3:
			seed = 5;
			for (int i = K - 1; i > 0; i--) {
				int j = (int)(rnd() % (unsigned int)(i + 1));
				void *t = p[i];

				p[i] = p[j];
				p[j] = t;
			}
			for (int i = 0; i < K; i++)
				kfree(p[i]);
			break;
		}
		kmalloc_stats(&st);
		SAME_STATS(&st, &boot);		/* one free block of the boot size */
		CHECK(heap_check() == 0);
	}
	free(buf);
}

HOST_TEST(e_exhaust_then_free_all)
{
	unsigned char *buf = fresh_heap(12000);
	struct heap_stats boot, st;
	void *head = NULL;
	size_t n = 0;

	kmalloc_stats(&boot);
	for (size_t size = 8;; size = size * 3 % 250 + 8) {
		void **p = kmalloc(size);

		if (!p)
			break;
		*p = head;
		head = p;
		n++;
	}
	/* Only what no request of that size could use is left: fill it up. */
	for (;;) {
		kmalloc_stats(&st);
		if (!st.largest_free)
			break;
		void **p = kmalloc(st.largest_free);

		CHECK(p != NULL);
		if (!p)
			break;
		*p = head;
		head = p;
		n++;
	}
	kmalloc_stats(&st);
	CHECK(st.allocations == n);
	CHECK(st.free == 0 && st.used == st.total);
	CHECK(kmalloc(0) == NULL);
	CHECK(heap_check() == 0);
	while (head) {
		void *next = *(void **)head;

		kfree(head);
		head = next;
	}
	kmalloc_stats(&st);
	SAME_STATS(&st, &boot);
	free(buf);
}

HOST_TEST(f_boundary_sizes)
{
	unsigned char *buf = fresh_heap(4096);
	struct heap_stats boot, st;
	void *p, *q;

	kmalloc_stats(&boot);
	CHECK(kmalloc(boot.largest_free + 1) == NULL);
	CHECK(kmalloc(SIZE_MAX) == NULL);
	CHECK(kmalloc(SIZE_MAX - 3) == NULL);
	CHECK(kmalloc(HEAP_MAX_CHUNK) == NULL);
	p = kmalloc(boot.largest_free);
	CHECK(p != NULL);
	kmalloc_stats(&st);
	CHECK(st.free == 0 && st.largest_free == 0 && st.used == st.total);
	CHECK(kmalloc(0) == NULL);
	kfree(p);

	/* A block whose rest is too small to split off is handed out whole. */
	p = kmalloc(boot.largest_free - MIN_BLOCK + 1);
	CHECK(p != NULL);
	CHECK(heap_block_bytes(p) == boot.total);
	kfree(p);
	p = kmalloc(boot.largest_free - MIN_BLOCK);
	CHECK(heap_block_bytes(p) == boot.total - MIN_BLOCK);
	q = kmalloc(0);
	CHECK(q != NULL && heap_block_bytes(q) == MIN_BLOCK);
	kmalloc_stats(&st);
	CHECK(st.free == 0);
	kfree(p);
	kfree(q);
	kmalloc_stats(&st);
	SAME_STATS(&st, &boot);
	free(buf);
}

/* Its own frame: no locals of the caller live across the setjmp. */
static void
destroy_must_panic(struct kmem_cache *c)
{
	EXPECT_PANIC(kmem_cache_destroy(c), "still allocated");
}

HOST_TEST(g_cache_alignment_and_counts)
{
	unsigned char *buf = fresh_heap(16384);
	struct heap_stats boot, st;
	static const size_t aligns[] = { 0, 1, 8, 16, 32, 64 };

	kmalloc_stats(&boot);
	CHECK(kmem_cache_create("bad", 32, 128) == NULL);
	CHECK(kmem_cache_create("bad", 32, 24) == NULL);
	CHECK(kmem_cache_create("bad", 0, 8) == NULL);
	CHECK(kmem_cache_create("bad", SIZE_MAX, 8) == NULL);
	for (size_t a = 0; a < ARRAY_SIZE(aligns); a++) {
		struct kmem_cache *c = kmem_cache_create("test", 24 + a * 12, aligns[a]);
		size_t align = aligns[a] < 8 ? 8 : aligns[a];
		void *head = NULL;
		size_t n = 0;

		CHECK(c != NULL);
		for (;;) {
			unsigned char *o = kmem_cache_alloc(c);

			if (!o)
				break;
			CHECK(((uintptr_t)o & (align - 1)) == 0);
			memset(o, 0x5a, 24 + a * 12);
			*(void **)o = head;
			head = o;
			n++;
		}
		CHECK(n > 16384 / (24 + a * 12 + 64 + 2 * MIN_BLOCK));
		CHECK(heap_check() == 0);
		kmalloc_stats(&st);
		CHECK(st.allocations == n + 1);		/* the cache itself too */
		destroy_must_panic(c);
		while (head) {
			void *next = *(void **)head;

			kmem_cache_free(c, head);
			head = next;
		}
		kmem_cache_destroy(c);
		kmalloc_stats(&st);
		SAME_STATS(&st, &boot);
		CHECK(heap_check() == 0);
	}
	free(buf);
}

HOST_TEST(h_bad_frees_panic)
{
	unsigned char *buf = fresh_heap(4096);
	struct heap_stats boot, st;
	struct kmem_cache *c;
	unsigned char *p, *q, *r;
	int local;

	p = kmalloc(40);
	q = kmalloc(40);
	r = kmalloc(40);
	c = kmem_cache_create("objs", 40, 16);
	kmalloc_stats(&boot);

	EXPECT_PANIC(kfree(&local), "not a heap address");
	EXPECT_PANIC(kfree(buf + 4096 + 64), "not a heap address");
	EXPECT_PANIC(kfree(p + 1), "misaligned");
	memset(p, 0, 40);
	EXPECT_PANIC(kfree(p + 16), "corrupted");	/* inside a block */
	EXPECT_PANIC(ksize(p + 8), "corrupted");

	/* A damaged header: the neighbours disagree with it. */
	uint16_t saved;
	memcpy(&saved, q - HDR, 2);
	q[-HDR] ^= 0x05;
	EXPECT_PANIC(kfree(q), "corrupted block header");
	memcpy(q - HDR, &saved, 2);

	/* kmalloc and cache objects are not interchangeable. */
	void *o = kmem_cache_alloc(c);
	CHECK(o != NULL);
	EXPECT_PANIC(kfree(o), "kmem_cache_free");
	EXPECT_PANIC(kmem_cache_free(c, p), "not a cache object");
	kmem_cache_free(c, o);
	EXPECT_PANIC(kmem_cache_free(c, o), "double free");

	/* Nothing changed through all that. */
	kmalloc_stats(&st);
	SAME_STATS(&st, &boot);
	CHECK(heap_check() == 0);

	/* Double frees: of a block with allocated neighbours, and of merged ones. */
	kfree(q);
	EXPECT_PANIC(kfree(q), "double free");
	kfree(r);			/* r merges into q */
	EXPECT_PANIC(kfree(r), "double free");
	EXPECT_PANIC(kfree(q), "double free");
	kfree(p);
	EXPECT_PANIC(kfree(p), "double free");
	CHECK(heap_check() == 0);
	kmem_cache_destroy(c);
	kmalloc_stats(&st);
	CHECK(st.allocations == 0 && st.used == 0);
	free(buf);
}

HOST_TEST(i_debug_use_after_free_and_overflow)
{
	unsigned char *buf = fresh_heap(4096);
	unsigned char *p, *q;

	if (!DEBUG) {
		/* Without debugging the heap neither poisons nor keeps red zones. */
		p = kmalloc(10);
		CHECK(ksize(p) == heap_block_bytes(p) - HDR);
		kfree(p);
		free(buf);
		return;
	}
	p = kmalloc(100);
	kfree(p);
	p[60] = 1;			/* write after free */
	EXPECT_PANIC(q = kmalloc(200), "use after free");
	(void)q;

	heap_init();
	CHECK(heap_add_region(buf, 4096) > 0);
	p = kmalloc(10);
	CHECK(ksize(p) == 10);
	p[10] = 'x';			/* one byte past the end */
	EXPECT_PANIC(kfree(p), "buffer overflow");
	p[10] = 0xbb;
	size_t last = heap_block_bytes(p) - HDR - 1;	/* the red zone's length byte */
	unsigned char len = p[last];
	p[last] = 0;
	EXPECT_PANIC(kfree(p), "buffer overflow");
	p[last] = len;
	kfree(p);

	/*
	 * A pointer into a block whose bytes look like a header with
	 * neighbours that agree: only the region walk tells.
	 */
	p = kmalloc(64);
	q = p;				/* fake headers at p+4, p+4+MIN, p+4+2*MIN */
	uint16_t g = MIN_BLOCK / 8, fake[3][2] = { { g, 0 }, { g, g }, { 0, g } };
	for (int i = 0; i < 3; i++)
		memcpy(q + HDR + i * MIN_BLOCK, fake[i], HDR);
	EXPECT_PANIC(kfree(q + 2 * HDR + MIN_BLOCK), "not the start of an allocation");
	memset(p, 0, 64);
	kfree(p);
	CHECK(heap_check() == 0);
	free(buf);
}

HOST_TEST(j_regions_from_boot_memory_map)
{
	enum { SIZE = 64 * 1024 };
	static struct boot_info bi;
	unsigned char *buf = malloc(SIZE), *other = malloc(4096);
	uintptr_t b = (uintptr_t)buf;
	struct heap_stats st;
	void *head = NULL;

	memset(&bi, 0, sizeof(bi));
	boot_mem_add(&bi, b, SIZE);
	boot_mem_reserve(&bi, b, 1000, "image");
	boot_mem_reserve(&bi, b + 30000, 1000, "table");
	boot_mem_reserve(&bi, b + 30500, 2000, "overlapping");
	boot_mem_reserve(&bi, b - 100000, 50, "outside");
	boot_mem_reserve(&bi, b + SIZE - 100, 200, "straddling the end");
	boot_info = &bi;
	con_len = 0;
	kmalloc_init();
	kmalloc_stats(&st);
	if (HEAP_MAX_CHUNK > SIZE) {
		/* Two pieces, one region each. */
		CHECK(heap_regions() == 2);
		CHECK(strstr(con_buf, "heap: ") != NULL && strstr(con_buf, "in 2 regions") != NULL);
		CHECK(st.total > SIZE - 1000 - 2500 - 100 - 32);
		CHECK(st.total <= SIZE - 1000 - 2500 - 100);
		CHECK(st.largest_free < SIZE - 100 - 32500);	/* the bigger piece */
	} else {
		/* Small regions: the table fills, the rest is left out. */
		CHECK(heap_regions() > 2);
		CHECK(strstr(con_buf, "ignored") != NULL);
		CHECK(st.largest_free < HEAP_MAX_CHUNK);
	}

	/* Nothing ever lands in a reserved range. */
	for (;;) {
		unsigned char *p = kmalloc(100);

		if (!p)
			break;
		uintptr_t a = (uintptr_t)p - HDR, e = a + heap_block_bytes(p);

		CHECK(a >= b + 1000 && e <= b + SIZE - 100);
		CHECK(e <= b + 30000 || a >= b + 32500);
		*(void **)p = head;
		head = p;
	}
	while (head) {
		void *next = *(void **)head;

		kfree(head);
		head = next;
	}

	/* Big ranges are split into regions: 2.3 of the largest make three. */
	size_t big_size = 2 * HEAP_MAX_CHUNK + HEAP_MAX_CHUNK * 3 / 10;
	unsigned char *big = malloc(big_size);
	heap_init();
	CHECK(heap_add_region(big, big_size) > (long)big_size - 64);
	CHECK(heap_regions() == 3);
	void *p = kmalloc(HEAP_MAX_CHUNK * 3 / 4);
	CHECK(p != NULL);
	CHECK(kmalloc(HEAP_MAX_CHUNK) == NULL);
	kfree(p);
	CHECK(heap_check() == 0);

	/* The region table is small; overlaps are refused. */
	CHECK(heap_add_region(other, 1024) > 0);
	CHECK(heap_add_region(other + 2048, 1024) == -ENOSPC);
	CHECK(heap_add_region(big + 1000, 1000) == -EINVAL);
	CHECK(heap_check() == 0);

	/* No memory at all: kmalloc fails cleanly. */
	memset(&bi, 0, sizeof(bi));
	kmalloc_init();
	CHECK(kmalloc(1) == NULL);
	CHECK(strstr(con_buf, "no memory left for the heap") != NULL);
	EXPECT_PANIC(kfree(buf), "not a heap address");
	boot_info = NULL;
	free(big);
	free(other);
	free(buf);
}

HOST_TEST(k_interrupt_state_kept)
{
	unsigned char *buf = fresh_heap(4096);
	void *p;

	host_irqs_on = false;
	p = kmalloc(10);
	CHECK(!host_irqs_on);
	kfree(p);
	CHECK(!host_irqs_on);
	host_irqs_on = true;
	p = kmalloc(10);
	CHECK(host_irqs_on);
	kfree(p);
	CHECK(host_irqs_on);
	free(buf);
}
