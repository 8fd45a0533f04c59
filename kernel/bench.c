/*
 * Benchmark runner: each BENCH() runs once to warm up, then for a fixed
 * number of iterations; the cost per operation is printed in counter
 * ticks (arch_cycles(): CPU cycles, or the timer count where there is no
 * cycle counter) and nanoseconds.  Run it under QEMU -icount for figures
 * that repeat: with -icount shift=0 every instruction takes 1 ns of
 * virtual time, so ns/op counts instructions per operation.
 */
#include <arch/cpu.h>
#include <kernel/bench.h>
#include <kernel/printk.h>
#include <kernel/time.h>

extern const struct bench __benches_start[], __benches_end[];

#define ITERATIONS	CONFIG_BENCH_ITERATIONS

static struct {
	bool set;
	uint64_t ticks, ns;
	const char *skipped;
} reported;

void
bench_skip(const char *why)
{
	reported.skipped = why;
}

void
bench_report_total(uint64_t ticks, uint64_t ns)
{
	reported.set = true;
	reported.ticks = ticks;
	reported.ns = ns;
}

void
bench_run_all(void)
{
	printk(KERN_RAW "bench: %u iterations each, counter ticks and ns per operation\n",
	       ITERATIONS);
	for (const struct bench *b = __benches_start; b < __benches_end; b++) {
		uint64_t c0, c1, t0, t1;
		char name[48];
		size_t done;

		reported.skipped = NULL;
		b->fn(ITERATIONS / 10 ? ITERATIONS / 10 : 1);	/* warm up */
		if (reported.skipped) {
			printk(KERN_RAW "bench: %s.%s: skipped (%s)\n", b->suite, b->name,
			       reported.skipped);
			continue;
		}
		reported.set = false;
		t0 = time_ns();
		c0 = arch_cycles();
		done = b->fn(ITERATIONS);
		c1 = arch_cycles();
		t1 = time_ns();
		if (reported.set) {
			c0 = t0 = 0;
			c1 = reported.ticks;
			t1 = reported.ns;
		}
		if (!done) {
			printk(KERN_RAW "bench: %s.%s: no operations completed\n", b->suite, b->name);
			continue;
		}
		snprintf(name, sizeof(name), "%s.%s", b->suite, b->name);
		printk(KERN_RAW "bench: %-32s %8llu ticks/op %8llu ns/op (%zu ops)\n",
		       name, (unsigned long long)((c1 - c0) / done),
		       (unsigned long long)((t1 - t0) / done), done);
	}
	printk(KERN_RAW "bench: done\n");
}
