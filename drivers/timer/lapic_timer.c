/*
 * The local APIC timer: one in every CPU, counting the APIC bus clock
 * (divided by 16) down, here periodically: the tick of each CPU of an
 * SMP PC.  Its rate is nowhere written down, so each CPU measures its
 * own against the clock source (the TSC) before starting it, as tsc.c
 * measures the TSC against the PIT: each reading of the count is
 * bracketed by two time_ns() reads, a run is judged by the brackets'
 * widths, and a stalled run (a descheduled vCPU) widens them instead of
 * skewing the rate.
 *
 * Per-CPU state (rate, ticks) is written only by its own CPU.
 */
#define pr_fmt(fmt) "lapic-timer: " fmt

#include <arch/cpu.h>
#include <asm/apic.h>
#include <kernel/cpu.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/time.h>

#define CALIBRATE_NS	(10 * NSEC_PER_MSEC)	/* between a run's two readings */
#define CALIBRATE_RUNS	8		/* at most; a certain enough run ends it */
#define SAMPLE_TRIES	8		/* readings per end; the narrowest counts */
#define GOOD_PPM	200
#define DIVIDER		16

#define CATCH_UP_MAX	(CONFIG_HZ)	/* a longer stall is not made up */

static struct {
	struct clockevent ce;
	int irq;
	bool requested;			/* by the first CPU to start */
	uint64_t period_ns;
	uint64_t hz[NR_CPUS];		/* each CPU's own */
	uint64_t ppm[NR_CPUS];
	uint64_t due_ns[NR_CPUS];	/* when the next tick is due */
	unsigned long ticks[NR_CPUS];
} lt;

uint64_t
lapic_timer_hz(unsigned int cpu)
{
	return cpu < NR_CPUS ? lt.hz[cpu] : 0;
}

unsigned long
lapic_timer_ticks(unsigned int cpu)
{
	return cpu < NR_CPUS ? READ_ONCE(lt.ticks[cpu]) : 0;
}

/* The timer's LVT is this CPU's: masking is per CPU (see <kernel/irq.h>). */
static void
timer_mask(unsigned int vector, bool masked)
{
	uint32_t lvt = lapic_read(APIC_LVTT);

	lapic_write(APIC_LVTT, masked ? lvt | APIC_LVT_MASKED : lvt & ~APIC_LVT_MASKED);
}

/*
 * One interrupt per period, but a tick for every period that passed: a
 * local APIC has one pending bit per vector, so periods that end while
 * the CPU cannot take the interrupt (in an emulator, while its thread is
 * off the host CPU) merge into one.  Counting periods by the clock source
 * keeps jiffies and time slices in step with time_ns(), as the PIT does
 * by catching up.  Half a period of slack absorbs the rates' difference.
 */
static void
lapic_timer_irq(unsigned int irq, void *arg)
{
	unsigned int cpu = cpu_id();
	uint64_t now = time_ns() + lt.period_ns / 2;

	if ((int64_t)(now - lt.due_ns[cpu]) >= (int64_t)(CATCH_UP_MAX * lt.period_ns))
		lt.due_ns[cpu] = now;		/* too far behind: one tick, the rest dropped */
	while ((int64_t)(now - lt.due_ns[cpu]) >= 0) {
		lt.due_ns[cpu] += lt.period_ns;
		lt.ticks[cpu]++;
		timer_tick();
	}
}

struct reading {
	uint64_t ns, width;
	uint32_t count;
};

static void
read_one(struct reading *r)
{
	r->ns = time_ns();
	r->count = lapic_read(APIC_TMCCT);
	r->width = time_ns() - r->ns;
}

/* The narrowest of a few readings: a stall widens the ones it hits. */
static void
read_best(struct reading *best)
{
	struct reading r;

	read_one(best);
	for (int i = 1; i < SAMPLE_TRIES; i++) {
		read_one(&r);
		if (r.width < best->width)
			*best = r;
	}
}

/* One run: the count CALIBRATE_NS apart; -EAGAIN if it wrapped. */
static int
calibrate_run(uint64_t *hz, uint64_t *ppm)
{
	struct reading a, b;
	uint64_t counts, ns;

	lapic_write(APIC_TDCR, APIC_TDR_DIV_16);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);	/* one-shot */
	lapic_write(APIC_TMICT, 0xffffffff);
	read_best(&a);
	while (time_ns() < a.ns + CALIBRATE_NS)
		arch_cpu_relax();
	read_best(&b);
	lapic_write(APIC_TMICT, 0);
	if (a.count == b.count)
		return -ENODEV;			/* it does not count */
	if (b.count > a.count)
		return -EAGAIN;
	counts = a.count - b.count;
	ns = b.ns + b.width / 2 - (a.ns + a.width / 2);
	if (ns == 0)
		return -EAGAIN;
	*hz = counts * NSEC_PER_SEC / ns;
	/* Each end within half its bracket, and a count either way. */
	*ppm = (a.width + b.width) / 2 * 1000000 / ns + 2000000 / counts;
	return 0;
}

static int
calibrate(unsigned int cpu)
{
	uint64_t hz, ppm;
	int err = 0;

	lt.ppm[cpu] = UINT64_MAX;
	for (int i = 0; i < CALIBRATE_RUNS && lt.ppm[cpu] > GOOD_PPM && err != -ENODEV; i++) {
		err = calibrate_run(&hz, &ppm);
		if (!err && ppm < lt.ppm[cpu]) {
			lt.ppm[cpu] = ppm;
			lt.hz[cpu] = hz;
		}
	}
	if (lt.ppm[cpu] == UINT64_MAX) {
		pr_err("CPU%u: the timer does not count\n", cpu);
		return -ENODEV;
	}
	return 0;
}

/* On each CPU: measure this CPU's timer, then start it. */
static int
lapic_timer_start(const struct clockevent *ce, unsigned int hz)
{
	unsigned int cpu = cpu_id();
	uint64_t initial;
	int err;

	if (!clocksource_current())
		return -ENODEV;
	err = calibrate(cpu);
	if (err)
		return err;
	initial = (lt.hz[cpu] + hz / 2) / hz;
	if (initial == 0 || initial > 0xffffffff)
		return -ERANGE;
	pr_info("CPU%u: %llu.%03llu MHz (bus / %d, +-%llu ppm against %s), %llu per tick\n",
		cpu, (unsigned long long)(lt.hz[cpu] / 1000000),
		(unsigned long long)(lt.hz[cpu] / 1000 % 1000), DIVIDER,
		(unsigned long long)lt.ppm[cpu], clocksource_current()->name,
		(unsigned long long)initial);
	lt.period_ns = NSEC_PER_SEC / hz;
	lapic_write(APIC_TDCR, APIC_TDR_DIV_16);
	lapic_write(APIC_LVTT, APIC_LVT_MASKED | APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	lapic_write(APIC_TMICT, (uint32_t)initial);
	lt.due_ns[cpu] = time_ns() + lt.period_ns;
	if (!lt.requested) {
		lt.requested = true;
		return irq_request((unsigned int)lt.irq, lapic_timer_irq, NULL, "lapic-timer");
	}
	irq_unmask((unsigned int)lt.irq);
	return 0;
}

static int
lapic_timer_probe(struct device *dev)
{
	struct irq_chip *root = irq_root_chip();

	if (!lapic_active()) {
		const struct device *l = device_find("intel,lapic");

		return l && l->state != DEVICE_FAILED && l->state != DEVICE_BOUND ?
			-EPROBE_DEFER : -ENODEV;
	}
	lt.irq = (int)irq_of(root, APIC_HWIRQ(LOCAL_TIMER_VECTOR));
	apic_vector_set_mask(LOCAL_TIMER_VECTOR, timer_mask);
	lt.ce = (struct clockevent){
		.name = "lapic", .start_periodic = lapic_timer_start, .rating = 300,
		.per_cpu = true,
	};
	clockevent_register(&lt.ce);
	pr_info("vector %#x, irq %d, a tick device in every CPU\n", LOCAL_TIMER_VECTOR, lt.irq);
	return 0;
}

static const char *const lapic_timer_compatible[] = { "intel,lapic-timer", NULL };

DRIVER(lapic_timer_driver) = {
	.name = "lapic-timer",
	.compatible = lapic_timer_compatible,
	.probe = lapic_timer_probe,
};
