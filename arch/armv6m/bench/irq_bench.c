/*
 * ARMv6-M benchmarks: an interrupt waking a higher-priority thread, from
 * the moment the line is pended to the woken thread running, and the
 * whole round trip back.  A thread pends NVIC line 31 (no nRF51
 * peripheral uses it); its handler posts a semaphore; the woken thread
 * runs on the handler's exception return (PendSV tail-chained), notes the
 * time and waits again, which switches back.
 *
 * SysTick is the only clock, 16 MHz: under -icount shift=0 one count is
 * 62.5 instructions.  So the latency is a mean over many samples, each
 * started after a delay of a different length, which spreads the start
 * over the count's period: the mean of the rounded differences is then
 * the true mean.
 */
#include <arch/cpu.h>
#include <drivers/nvic.h>
#include <kernel/bench.h>
#include <kernel/device.h>
#include <kernel/irq.h>
#include <kernel/mmio.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>

#define LINE		31
#define NVIC_ISPR	0x100

static struct {
	uintptr_t ispr;
	struct semaphore irq_sem, done_sem;
	volatile uint64_t start;
	uint64_t sum;
	size_t samples;
	bool stamp;
} ib;

/* A driver's handler: what it wakes comes as its argument. */
static void
line_irq(unsigned int irq, void *arg)
{
	sem_post(arg);
}

static void
woken(void *arg)
{
	for (size_t i = 0; i < ib.samples; i++) {
		sem_wait(&ib.irq_sem, WAIT_FOREVER);
		if (ib.stamp)
			ib.sum += arch_cycles() - ib.start;
	}
	sem_post(&ib.done_sem);
}

static size_t
run(size_t n, bool stamp)
{
	const struct device *nvic = device_find("arm,v6m-nvic");
	struct thread *t;

	if (!nvic)
		return 0;
	ib.ispr = nvic->reg[0].start + NVIC_ISPR;
	ib.samples = n;
	ib.sum = 0;
	ib.stamp = stamp;
	sem_init(&ib.irq_sem, 0);
	sem_init(&ib.done_sem, 0);
	if (irq_request(LINE, line_irq, &ib.irq_sem, "bench"))
		return 0;
	t = thread_create("bench-irq", woken, NULL, THREAD_PRIO_MAX, 0);
	if (!t) {
		irq_free(LINE);
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (stamp) {
			bench_dither(i);
			ib.start = arch_cycles();
		}
		mmio_write32(ib.ispr, 1u << LINE);
		mb();
		isb();				/* taken here, before the next sample */
	}
	sem_wait(&ib.done_sem, WAIT_FOREVER);
	thread_join(t);
	irq_free(LINE);
	return n;
}

/*
 * Pend -> woken thread running: the interrupt's entry, the handler's
 * post, its exit into PendSV, the switch and sem_wait()'s return.  Two
 * back-to-back reads of the counter are taken off (the same dither).
 */
BENCH(armv6m, irq_wakeup_latency)
{
	uint64_t clock = 0, freq = time_count_hz();
	size_t done = run(n, true);

	for (size_t i = 0; i < done; i++) {
		uint64_t c0;

		bench_dither(i);
		c0 = arch_cycles();
		clock += arch_cycles() - c0;
	}
	ib.sum -= MIN(ib.sum, clock);
	bench_report_total(ib.sum, ib.sum * 1000000000ULL / freq);
	return done;
}

/* Pend -> woken thread -> back: two switches, one interrupt, no stamps. */
BENCH(armv6m, irq_round_trip)
{
	return run(n, false);
}
