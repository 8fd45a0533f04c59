/*
 * ARMv6-M SysTick: the periodic tick (clock event) and, extended to 64
 * bits in software, the clock source and cycle counter.
 *
 * SysTick is a 24-bit down-counter clocked by the CPU clock (CLKSOURCE=1;
 * QEMU's microbit wires no reference clock, so that bit reads as one
 * anyway).  It counts RVR, RVR-1, ..., 0 and reloads, one period being
 * RVR + 1 clocks.  Reaching 0 sets COUNTFLAG, which a read of SYST_CSR
 * clears.  The clock source is
 *
 *	count = wraps * period + (RVR - CVR)
 *
 * where every wrap is accounted for exactly once, by whichever CSR read
 * sees COUNTFLAG: the tick interrupt's or a clock read's.  So the count
 * stays right across wraps with interrupts masked, as long as something
 * reads it at least once a period (10 ms at HZ=100); wraps missed beyond
 * that leave the clock late, never going backwards.  Only this file may
 * read SYST_CSR.
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
	struct clocksource cs;
	struct clockevent ce;
	uintptr_t base;
	uint32_t rvr;
	uint64_t wrapped;	/* counts before the current period */
	bool starting;		/* CVR written, first reload not seen yet */
	int irq;
} st;

/*
 * The 64-bit count; interrupts must be masked.  cvr1 is read before the
 * CSR read and cvr2 after: with COUNTFLAG clear no wrap happened before
 * the CSR read, so cvr1 is in the current period; with it set the wrap
 * came before the CSR read, so cvr2 is in the new period.  In QEMU the
 * counter can read 0 briefly before COUNTFLAG is set; 0 is therefore the
 * last count of a period, not the first of the next.
 */
static uint64_t
systick_count_locked(void)
{
	uint32_t cvr1 = mmio_read32(st.base + SYST_CVR);
	uint32_t csr = mmio_read32(st.base + SYST_CSR);
	uint32_t cvr2 = mmio_read32(st.base + SYST_CVR);
	uint32_t cvr = cvr1;

	if (csr & CSR_COUNTFLAG) {
		st.wrapped += (uint64_t)st.rvr + 1;
		st.starting = false;
		cvr = cvr2;
	} else if (st.starting) {
		/* Writing CVR left it at 0 until the first reload (no COUNTFLAG). */
		if (cvr1 == 0)
			return st.wrapped;
		st.starting = false;
	}
	return st.wrapped + (st.rvr - (cvr & RVR_MAX));
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
systick_cs_read(struct clocksource *cs)
{
	return systick_count();
}

/*
 * Count with the given period, keeping the count continuous.  Only a new
 * period restarts the counter; turning the interrupt on does not (a CSR
 * write leaves COUNTFLAG alone).
 */
static void
systick_program(uint32_t period, bool tickint)
{
	uint32_t csr = CSR_CLKSOURCE | CSR_ENABLE | (tickint ? CSR_TICKINT : 0);
	unsigned long flags = arch_irq_save();
	uint64_t now;

	if (st.rvr == period - 1) {
		mmio_write32(st.base + SYST_CSR, csr);
		arch_irq_restore(flags);
		return;
	}
	now = st.rvr ? systick_count_locked() : 0;
	mmio_write32(st.base + SYST_CSR, CSR_CLKSOURCE);	/* stop */
	st.rvr = period - 1;
	mmio_write32(st.base + SYST_RVR, st.rvr);
	mmio_write32(st.base + SYST_CVR, 0);		/* also clears COUNTFLAG */
	st.wrapped = now;
	st.starting = true;
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
systick_start(struct clockevent *ce, unsigned int hz)
{
	uint64_t period = st.cs.freq_hz / hz;
	int err;

	if (hz == 0 || period < 2 || period > (uint64_t)RVR_MAX + 1)
		return -EINVAL;
	err = irq_request((unsigned int)st.irq, systick_irq, NULL, "systick");
	if (err)
		return err;
	systick_program((uint32_t)period, true);
	return 0;
}

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
	st.base = dev->reg[0].start;
	st.irq = irq;
	st.cs = (struct clocksource){
		.name = "systick", .freq_hz = freq, .read = systick_cs_read, .rating = 100,
	};
	st.ce = (struct clockevent){
		.name = "systick", .start_periodic = systick_start, .rating = 100,
	};
	/* Count from now on, so printk has timestamps before the tick starts. */
	systick_program(freq / CONFIG_HZ <= RVR_MAX ? freq / CONFIG_HZ : RVR_MAX + 1, false);
	clocksource_register(&st.cs);
	clockevent_register(&st.ce);
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
