/*
 * Benchmarks (not tests): BENCH(suite, name) defines a function that does
 * its work n times; the runner (kernel/bench.c, CONFIG_BENCH) times it with
 * the cycle counter and the clock and prints the cost per operation.
 * Build with -Dfragments=bench and run `ninja -C <dir> bench`.
 */
#ifndef KERNEL_BENCH_H
#define KERNEL_BENCH_H

#include <kernel/compiler.h>
#include <kernel/types.h>

struct bench {
	const char *suite;
	const char *name;
	/* Do the measured operation n times; return how many it managed. */
	size_t (*fn)(size_t n);
};

#define BENCH(suite, name)						\
	static size_t bench_fn_##suite##_##name(size_t n);		\
	static const struct bench bench_##suite##_##name		\
		__section(".benches") __used __aligned(sizeof(void *)) = \
		{ #suite, #name, bench_fn_##suite##_##name };		\
	static size_t bench_fn_##suite##_##name(size_t n)

void bench_run_all(void);

/*
 * For a latency rather than a rate: a benchmark that times its operations
 * itself (leaving out what it does between them) reports their total
 * here, in counter ticks and ns, and the runner prints that per operation
 * instead of its own timing of the whole call.
 */
void bench_report_total(uint64_t ticks, uint64_t ns);

/* A benchmark that cannot run here says why and returns 0. */
void bench_skip(const char *why);

/*
 * 0-15 turns of a short loop, chosen by i: a latency benchmark runs it
 * before each start stamp, so the stamps fall at varied phases of a
 * coarse counter (the micro:bit's SysTick counts once per 62.5
 * instructions under -icount) and the mean of the rounded differences
 * is the true mean.  Its back-to-back calibration runs it alike.
 */
static inline void
bench_dither(size_t i)
{
	for (volatile size_t k = i & 15; k; k--)
		;
}

#endif
