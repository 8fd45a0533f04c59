/*
 * The random number generator in the kernel: ready after boot where a
 * source could be credited (and not credited for a deterministic
 * machine), outputs that differ between calls, CPUs and contexts, a
 * statistical sanity check that only a broken generator fails, all CPUs
 * drawing at once, reseeding, and the boot loader's seed gone from the
 * device tree.
 */
#include <string.h>
#include <arch/boot.h>
#include <arch/cpu.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/random.h>
#include <kernel/slab.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include <kernel/timer.h>
#ifdef CONFIG_ARCH_HAS_DT
#include <arch/thread.h>
#include <kernel/fdt.h>
#endif
#include "../random_internal.h"

#define PRIO		THREAD_PRIO_DEFAULT
#define TICK_NS		(NSEC_PER_SEC / CONFIG_HZ)

static bool
all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/*
 * After boot: ready wherever READY_BITS were credited, and that happens
 * on every normal QEMU run (the boot loader's seed on virt, timer jitter
 * on host time, RDSEED/RNDRRS on "max" CPUs).  Under -icount (the
 * strict-timing variants) the machine is deterministic: timer jitter
 * must be credited nothing there, so a pc without RDSEED stays not ready
 * (honestly), and virt is ready from its rng-seed alone.
 */
KTEST(random, ready_after_boot)
{
	const struct random_source_stat *s;
	unsigned int n, credited = 0, jitter_credit = 0, jitter_bytes = 0;

	s = random_boot_sources(&n);
	for (unsigned int i = 0; i < n; i++) {
		printk(KERN_INFO "random: source %s: %u bytes, %u bits credited\n", s[i].name,
		       s[i].bytes, s[i].credited);
		credited += s[i].credited;
		if (strcmp(s[i].name, "jitter") == 0) {
			jitter_credit = s[i].credited;
			jitter_bytes = s[i].bytes;
		}
	}
	KEXPECT_EQ(random_credited_bits(), MIN(credited, 256u));
	KEXPECT_EQ(random_ready(), credited >= 256);
	KEXPECT(random_reseeds() >= 1);
	if (ktest_strict_timing())
		KEXPECT_EQ(jitter_credit, 0);
	/*
	 * How much the host's timing varies decides the jitter credit, so
	 * readiness is not the verdict (a loaded host once gave 190 bits in
	 * four rounds): one round always ran, more only while not ready.
	 */
	KEXPECT_OP(jitter_bytes, >=, JITTER_SAMPLES * sizeof(uint32_t));
	KEXPECT_OP(jitter_bytes, <=, JITTER_ROUNDS * JITTER_SAMPLES * sizeof(uint32_t));
	if (jitter_bytes > JITTER_SAMPLES * sizeof(uint32_t))
		KEXPECT_OP(credited - jitter_credit, <, 256u);	/* it took jitter to get there */
}

KTEST(random, wait_ready)
{
	if (random_ready()) {
		KEXPECT_EQ(random_wait_ready(true), 0);
		KEXPECT_EQ(random_wait_ready(false), 0);
	} else {
		KEXPECT_EQ(random_wait_ready(true), -EAGAIN);
	}
}

KTEST(random, outputs_differ)
{
	uint8_t a[32], b[32];
	uint64_t u64[16];
	uint32_t u32[8];

	get_random_bytes(a, sizeof(a));
	get_random_bytes(b, sizeof(b));
	KEXPECT(memcmp(a, b, sizeof(a)) != 0);
	KEXPECT(!all_zero(a, sizeof(a)));
	/* Chance of a false failure: 120 / 2^64 and 28 / 2^32. */
	for (unsigned int i = 0; i < ARRAY_SIZE(u64); i++)
		u64[i] = get_random_u64();
	for (unsigned int i = 0; i < ARRAY_SIZE(u32); i++)
		u32[i] = get_random_u32();
	for (unsigned int i = 0; i < ARRAY_SIZE(u64); i++)
		for (unsigned int j = 0; j < i; j++)
			KEXPECT(u64[i] != u64[j]);
	for (unsigned int i = 0; i < ARRAY_SIZE(u32); i++)
		for (unsigned int j = 0; j < i; j++)
			KEXPECT(u32[i] != u32[j]);
}

/* Every length writes exactly its bytes, at any alignment. */
KTEST(random, lengths_and_bounds)
{
	uint8_t buf[200 + 16];

	for (size_t n = 0; n <= 200; n++) {
		size_t off = n % 8;

		memset(buf, 0xa5, sizeof(buf));
		get_random_bytes(buf + off, n);
		for (size_t i = 0; i < off; i++)
			KEXPECT_EQ(buf[i], 0xa5);
		for (size_t i = off + n; i < sizeof(buf); i++)
			KEXPECT_EQ(buf[i], 0xa5);
		/* 16 bytes all 0xa5 by chance: 2^-128. */
		if (n >= 16)
			KEXPECT(memcmp(buf + off, buf + sizeof(buf) - 16, 16) != 0);
		if (ktest_failed())
			return;
	}
}

/*
 * 64 KiB in requests of many sizes.  Bytes: Pearson's chi-square over 256
 * bins (255 degrees of freedom, 256 expected per bin) must lie in
 * [141.93, 414.55]: each tail has probability 1e-9 for a correct
 * generator (the regularised incomplete gamma function, computed with
 * mpmath), so a false failure has odds of 2e-9, while a generator
 * stuck, counting, or biased by 1% fails.  Bits: the count of ones in
 * 524288 must lie within 6.2 standard deviations (362.0) of half, a
 * two-sided tail of 5.6e-10.
 */
KTEST(random, statistics_64k)
{
	const size_t total = 64 * 1024;
	uint8_t *buf = kmalloc(total);
	uint32_t bins[256] = { 0 };
	uint64_t s = 0, ones = 0;
	size_t done = 0, step = 1;

	KASSERT(buf);
	while (done < total) {
		size_t k = MIN(step, total - done);

		get_random_bytes(buf + done, k);
		done += k;
		step = step >= 4096 ? 1 : step * 3 + 1;
	}
	for (size_t i = 0; i < total; i++) {
		bins[buf[i]]++;
		for (uint8_t b = buf[i]; b; b &= (uint8_t)(b - 1))
			ones++;
	}
	kfree(buf);
	for (unsigned int i = 0; i < 256; i++)
		s += (uint64_t)((int64_t)bins[i] - 256) * (uint64_t)((int64_t)bins[i] - 256);
	/* chi-square = s / 256. */
	printk(KERN_INFO "random: chi-square %llu.%02llu (255 df), %llu ones in %zu bits\n",
	       (unsigned long long)(s / 256), (unsigned long long)(s % 256 * 100 / 256),
	       (unsigned long long)ones, total * 8);
	KEXPECT_OP(s, >, 36333);		/* 141.93 * 256 */
	KEXPECT_OP(s, <, 106124);		/* 414.55 * 256 */
	KEXPECT_OP(ones, >, 262144 - 2245);
	KEXPECT_OP(ones, <, 262144 + 2245);
}

/* ------------------------------------------------------ CPUs and contexts */

#define DRAWS		64

struct drawer {
	uint8_t out[DRAWS][32];
	uint64_t u64[DRAWS];
	unsigned int cpu;
};

static void
draw(void *arg)
{
	struct drawer *d = arg;

	for (unsigned int i = 0; i < DRAWS; i++) {
		get_random_bytes(d->out[i], sizeof(d->out[i]));
		d->u64[i] = get_random_u64();
		(void)get_random_u32();
		if (i % 16 == 0)
			thread_yield();
	}
	d->cpu = cpu_id();
}

/*
 * Two threads per CPU, each pinned, all drawing at once: no crash, no two
 * 32-byte outputs alike, no two u64 alike (odds of a false failure for
 * the u64 with 16 CPUs: 2^20 / 2^65).
 */
KTEST(random, concurrent_all_cpus)
{
	unsigned int ncpus = nr_cpus_online(), n = 2 * ncpus, dups = 0;
	struct drawer *d = kmalloc(n * sizeof(*d));
	struct thread *t[2 * NR_CPUS];

	KASSERT(d);
	memset(d, 0, n * sizeof(*d));
	for (unsigned int i = 0; i < n; i++) {
		t[i] = thread_create_on("random-test", draw, &d[i], PRIO, 0, cpumask_of(i % ncpus));
		KASSERT(t[i]);
	}
	for (unsigned int i = 0; i < n; i++)
		thread_join(t[i]);
	for (unsigned int i = 0; i < n * DRAWS; i++) {
		const struct drawer *a = &d[i / DRAWS];

		KEXPECT(!all_zero(a->out[i % DRAWS], 32));
		for (unsigned int j = 0; j < i; j++) {
			const struct drawer *b = &d[j / DRAWS];

			if (memcmp(a->out[i % DRAWS], b->out[j % DRAWS], 32) == 0 ||
			    a->u64[i % DRAWS] == b->u64[j % DRAWS])
				dups++;
		}
	}
	KEXPECT_EQ(dups, 0);
	for (unsigned int i = 0; i < n; i++)
		KEXPECT_EQ(d[i].cpu, i % ncpus);
	kfree(d);
}

static void
draw_once(void *arg)
{
	struct drawer *d = arg;

	get_random_bytes(d->out[0], 32);
	d->cpu = cpu_id();
}

/* One draw on each CPU, each from its own generator: all different. */
KTEST(random, cpus_differ)
{
	unsigned int ncpus = nr_cpus_online();
	struct drawer *d;
	struct thread *t[NR_CPUS];

	if (ncpus < 2)
		KTEST_SKIP("needs 2 CPUs");
	d = kmalloc(ncpus * sizeof(*d));
	KASSERT(d);
	for (unsigned int c = 0; c < ncpus; c++) {
		t[c] = thread_create_on("random-cpu", draw_once, &d[c], PRIO, 0, cpumask_of(c));
		KASSERT(t[c]);
	}
	for (unsigned int c = 0; c < ncpus; c++)
		thread_join(t[c]);
	for (unsigned int c = 0; c < ncpus; c++) {
		KEXPECT_EQ(d[c].cpu, c);
		for (unsigned int e = 0; e < c; e++)
			KEXPECT(memcmp(d[c].out[0], d[e].out[0], 32) != 0);
	}
	kfree(d);
}

static struct {
	volatile bool fired;
	bool in_irq;
	uint8_t bytes[48];
	uint64_t u64;
} irq_draw;

static void
draw_in_timer(struct timer *t)
{
	(void)t;
	irq_draw.in_irq = in_irq();
	get_random_bytes(irq_draw.bytes, sizeof(irq_draw.bytes));
	irq_draw.u64 = get_random_u64();
	irq_draw.fired = true;
}

/* Interrupt context may draw too (a timer callback). */
KTEST(random, from_interrupt)
{
	struct timer tm;
	uint64_t end = ktest_deadline(10 * TICK_NS);
	uint8_t mine[48];

	memset(&irq_draw, 0, sizeof(irq_draw));
	timer_init(&tm, draw_in_timer);
	timer_arm(&tm, time_ns() + TICK_NS);
	while (!irq_draw.fired && time_ns() < end)
		thread_sleep_ns(TICK_NS);
	timer_cancel_sync(&tm);
	KASSERT(irq_draw.fired);
	KEXPECT(irq_draw.in_irq);
	get_random_bytes(mine, sizeof(mine));
	KEXPECT(!all_zero(irq_draw.bytes, sizeof(irq_draw.bytes)));
	KEXPECT(memcmp(mine, irq_draw.bytes, sizeof(mine)) != 0);
}

/*
 * Crediting a full pool's worth (256 bits) reseeds the base key at the
 * next request.  Only on a ready generator: on an unready one the test
 * itself would make it ready with made-up entropy.
 */
KTEST(random, credit_reseeds)
{
	uint8_t in[32], out[32];
	unsigned long before;

	if (!random_ready())
		KTEST_SKIP("generator not ready (nothing credited on this machine)");
	get_random_bytes(in, sizeof(in));
	before = random_reseeds();
	random_add_entropy(in, sizeof(in), 256);
	get_random_bytes(out, sizeof(out));
	KEXPECT_OP(random_reseeds(), >, before);
	KEXPECT(memcmp(in, out, sizeof(in)) != 0);
	/* Uncredited input changes nothing about when. */
	before = random_reseeds();
	random_add_entropy(in, sizeof(in), 0);
	get_random_bytes(out, sizeof(out));
	KEXPECT_EQ(random_reseeds(), before);
}

/* The CPU's instructions, where it has them, answer and vary. */
KTEST(random, arch_instructions)
{
	struct arch_random_caps caps;
	unsigned long a = 0, b = 0;

	arch_random_probe(&caps);
	if (!caps.seed && !caps.rand) {
		KEXPECT(!arch_get_random_seed_long(&a));
		KEXPECT(!arch_get_random_long(&a));
		KTEST_SKIP("no random-number instructions on this CPU");
	}
	if (caps.seed) {
		KEXPECT(arch_get_random_seed_long(&a));
		KEXPECT(arch_get_random_seed_long(&b));
		KEXPECT(a != b);
	}
	if (caps.rand) {
		KEXPECT(arch_get_random_long(&a));
		KEXPECT(arch_get_random_long(&b));
		KEXPECT(a != b);
	}
}

/* The boot loader's seed is gone from the device tree and from boot_info. */
KTEST(random, boot_seed_erased)
{
#ifdef CONFIG_ARCH_HAS_DT
	const void *fdt = boot_info->fdt;
	int chosen;

	if (!fdt)
		KTEST_SKIP("no device tree");
	arch_fp_kernel_begin();		/* libfdt */
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen >= 0)
		KEXPECT(fdt_getprop(fdt, chosen, "rng-seed", NULL) == NULL);
	KEXPECT_EQ(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);
	arch_fp_kernel_end();
#endif
	if (!boot_info->rng_seed)
		KTEST_SKIP("the boot loader passed no seed");
	KEXPECT(all_zero(boot_info->rng_seed, boot_info->rng_seed_len));
}
