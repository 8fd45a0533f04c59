/*
 * ARMv6-M SysTick: the periodic tick (clock event) and, extended to 64
 * bits in software, the clock source and cycle counter.
 *
 * SysTick is a 24-bit down-counter clocked by the CPU clock (CLKSOURCE=1;
 * QEMU's microbit wires no reference clock, so that bit reads as one
 * anyway).  A period is RVR + 1 clocks: on reaching 0 the counter sets
 * COUNTFLAG (cleared by reading SYST_CSR) and pends the exception, then
 * reloads RVR.  So within a period it reads 0, RVR, RVR-1, ..., 1, and
 * the clock source is
 *
 *	count = wrapped + (period - CVR) % period
 *
 * where every wrap is added to `wrapped` exactly once, by whichever CSR
 * read sees COUNTFLAG: the tick interrupt's or a clock read's.  The count
 * therefore stays right across wraps with interrupts masked, as long as
 * something reads it at least once a period (10 ms at HZ=100); wraps
 * missed beyond that leave the clock late, never going backwards.  Only
 * this file may read SYST_CSR.
 */
#define pr_fmt(fmt) "systick: " fmt

#include <arch/cpu.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/time.h>

#define SYST_CSR	0x0
#define SYST_RVR	0x4
#define SYST_CVR	0x8

#define CSR_ENABLE	(1u << 0)
#define CSR_TICKINT	(1u << 1)
#define CSR_CLKSOURCE	(1u << 2)
#define CSR_COUNTFLAG	(1u << 16)

#define RVR_MAX		0x00ffffffu

static struct {
	uintptr_t base;
	uint32_t hz;		/* the CPU clock */
	uint32_t period;	/* RVR + 1 */
	int irq;
	uint64_t wrapped;	/* counts before the current period */
	bool at_start;		/* nothing but 0 read since the period began */
} st;

/*
 * The 64-bit count; interrupts must be masked.  cvr1 is read before the
 * CSR read and cvr2 after: with COUNTFLAG clear no wrap happened before
 * the CSR read, so cvr1 is in the current period; with it set the wrap
 * came before the CSR read, so cvr2 is in the new period.
 *
 * 0 is the first value of a period, except in QEMU, whose counter also
 * reads 0 from the moment it expires until its main loop gets round to
 * the expiry, which sets COUNTFLAG (without -icount that can take a
 * while).  So a 0 with COUNTFLAG clear, once the period has shown other
 * values, is its end still waiting for the wrap.
 */
static uint64_t
systick_count_locked(void)
{
	uint32_t cvr1 = mmio_read32(st.base + SYST_CVR);
	uint32_t csr = mmio_read32(st.base + SYST_CSR);
	uint32_t cvr2 = mmio_read32(st.base + SYST_CVR);
	uint32_t cvr = cvr1;

	if (csr & CSR_COUNTFLAG) {
		st.wrapped += st.period;
		st.at_start = true;
		cvr = cvr2;
	}
	if (cvr == 0)
		return st.wrapped + (st.at_start ? 0 : st.period - 1);
	st.at_start = false;
	return st.wrapped + (st.period - (cvr & RVR_MAX));
}

static uint64_t
systick_count(void)
{
	unsigned long flags = arch_irq_save();
	uint64_t n = systick_count_locked();

	arch_irq_restore(flags);
	return n;
}

static uint64_t
systick_cs_read(const struct clocksource *cs)
{
	return systick_count();
}

/*
 * Count with the given period, keeping the count continuous.  Only a new
 * period restarts the counter; turning the interrupt on does not (a CSR
 * write leaves COUNTFLAG alone).  Writing CVR makes it 0 and clears
 * COUNTFLAG: the counter then runs 0, RVR, ... like a fresh period.
 */
static void
systick_program(uint32_t period, bool tickint)
{
	uint32_t csr = CSR_CLKSOURCE | CSR_ENABLE | (tickint ? CSR_TICKINT : 0);
	unsigned long flags = arch_irq_save();
	uint64_t now;

	if (st.period == period) {
		mmio_write32(st.base + SYST_CSR, csr);
		arch_irq_restore(flags);
		return;
	}
	now = st.period ? systick_count_locked() : 0;
	mmio_write32(st.base + SYST_CSR, CSR_CLKSOURCE);	/* stop */
	st.period = period;
	mmio_write32(st.base + SYST_RVR, period - 1);
	mmio_write32(st.base + SYST_CVR, 0);
	st.wrapped = now;
	st.at_start = true;
	mmio_write32(st.base + SYST_CSR, csr);
	arch_irq_restore(flags);
}

static void
systick_irq(unsigned int irq, void *arg)
{
	systick_count();	/* account for the wrap that raised this tick */
	timer_tick();
}

static int
systick_start(const struct clockevent *ce, unsigned int hz)
{
	uint64_t period;
	int err;

	if (hz == 0)
		return -EINVAL;
	period = st.hz / hz;
	if (period < 2 || period > (uint64_t)RVR_MAX + 1)
		return -EINVAL;
	err = irq_request((unsigned int)st.irq, systick_irq, NULL, "systick");
	if (err)
		return err;
	systick_program((uint32_t)period, true);
	return 0;
}

#ifdef CONFIG_TICKLESS_IDLE
/*
 * Tickless idle: one long period, up to the 24-bit reach (about a second
 * at 16 MHz), rounded up so the interrupt comes no sooner than asked;
 * then the tick's period again.  systick_program() keeps the count
 * continuous across both changes.
 */
static int
systick_set_idle(const struct clockevent *ce, uint64_t ns)
{
	uint32_t tick = st.hz / CONFIG_HZ;
	uint64_t cycles;

	if (ns == 0) {
		systick_program(tick, true);
		return 0;
	}
	if (ns > 2 * NSEC_PER_SEC)
		ns = 2 * NSEC_PER_SEC;	/* beyond any 24-bit period anyway */
	cycles = (ns * st.hz + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
	if (cycles > (uint64_t)RVR_MAX + 1)
		cycles = (uint64_t)RVR_MAX + 1;
	if (cycles <= tick)
		return -EINVAL;		/* no longer than a tick: keep ticking */
	systick_program((uint32_t)cycles, true);
	return 0;
}
#endif

static const struct clocksource systick_cs = {
	.name = "systick", .read = systick_cs_read, .rating = 100,
};

static const struct clockevent systick_ce = {
	.name = "systick", .start_periodic = systick_start, .rating = 100,
#ifdef CONFIG_TICKLESS_IDLE
	.set_idle = systick_set_idle,
#endif
};

static uint64_t
systick_cycles(void)
{
	return systick_count();
}

static int
systick_probe(struct device *dev)
{
	uint32_t freq = 0;
	int irq;

	if (dev->nr_reg < 1 || dev->reg[0].size < 0x10)
		return -EINVAL;
	irq = device_irq(dev, 0);
	if (irq < 0)
		return irq;		/* -EPROBE_DEFER until the NVIC is up */
	if (device_read_u32(dev, "clock-frequency", &freq) || !freq) {
		pr_err("%s: the board gives no CPU clock frequency\n", dev->name);
		return -EINVAL;
	}
	if (freq / CONFIG_HZ < 2 || freq / CONFIG_HZ > RVR_MAX + 1) {
		pr_err("%s: cannot tick at %d Hz from a %u Hz clock\n", dev->name,
		       CONFIG_HZ, (unsigned int)freq);
		return -EINVAL;
	}
	st.base = dev->reg[0].start;
	st.irq = irq;
	st.hz = freq;
	/* Count from now on, so printk has timestamps before the tick starts. */
	systick_program(freq / CONFIG_HZ, false);
	clocksource_register(&systick_cs, freq);
	clockevent_register(&systick_ce);
	armv6m_set_cycle_counter(systick_cycles);
	pr_info("%u Hz CPU clock, irq %d\n", (unsigned int)freq, irq);
	return 0;
}

static const char *const systick_compatible[] = { "arm,armv6m-systick", NULL };

DRIVER(systick_driver) = {
	.name = "systick",
	.compatible = systick_compatible,
	.probe = systick_probe,
};
