/*
 * ARM generic timer: CNTVCT_EL0 is the clock source, the EL1 virtual
 * timer (CNTV, PPI 11) the periodic tick.  Every CPU has its own CNTV, so
 * the tick is a per-CPU clock event: start_periodic() runs on each CPU and
 * programs that CPU's timer; the PPI is requested once and unmasked on
 * each CPU (it is banked).  The compare value advances by a fixed period
 * so the tick does not drift with interrupt latency.
 *
 * User mode may read CNTVCT_EL0 too (CNTKCTL_EL1.EL0VCTEN, set on each
 * CPU as Linux does): the vDSO's clocks read the kernel's clock source
 * directly.
 */
#define pr_fmt(fmt) "arch-timer: " fmt

#include <arch/cpu.h>
#include <kernel/device.h>
#include <kernel/errno.h>
#include <kernel/irq.h>
#include <kernel/printk.h>
#include <kernel/time.h>

#define CNTV_CTL_ENABLE	(1u << 0)
#define CNTV_CTL_IMASK	(1u << 1)
#define CNTKCTL_EL0VCTEN	(1u << 1)	/* EL0 reads CNTVCT_EL0; nothing else of the timers */

/* DT interrupt order: secure phys, non-secure phys, virtual, hypervisor. */
#define VIRT_TIMER_IDX	2

/* Written by the probe and the boot CPU's first start; read-only after. */
static struct {
	uint32_t hz;
	uint64_t period;
	int irq;
	bool requested;			/* the PPI's handler is installed */
} timer;

static uint64_t
arch_timer_read(const struct clocksource *cs)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static void
arch_timer_irq(unsigned int irq, void *arg)
{
	uint64_t cval = read_sysreg(cntv_cval_el0) + timer.period;
	uint64_t now = arch_timer_read(NULL);

	/* After a long stall, catch up rather than fire back to back. */
	if (cval <= now)
		cval = now + timer.period;
	write_sysreg(cntv_cval_el0, cval);
	timer_tick();
}

/* This CPU's timer: the boot CPU first (time_init), then each other one. */
static int
arch_timer_start(const struct clockevent *ce, unsigned int hz)
{
	int err = 0;

	write_sysreg(cntkctl_el1, CNTKCTL_EL0VCTEN);
	if (!timer.requested)
		timer.period = timer.hz / hz;
	write_sysreg(cntv_cval_el0, arch_timer_read(NULL) + timer.period);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
	if (timer.requested) {
		irq_unmask((unsigned int)timer.irq);	/* this CPU's copy of the PPI */
		return 0;
	}
	err = irq_request((unsigned int)timer.irq, arch_timer_irq, NULL, "arch-timer");
	if (err)
		write_sysreg(cntv_ctl_el0, CNTV_CTL_IMASK);
	else
		timer.requested = true;
	return err;
}

static const struct clocksource arch_timer_cs = {
	.name = "arch-timer", .read = arch_timer_read, .rating = 300,
	.vdso_mode = VDSO_CLOCK_COUNTER,
};

static const struct clockevent arch_timer_ce = {
	.name = "arch-timer (virtual)", .start_periodic = arch_timer_start, .rating = 300,
	.per_cpu = true,
};

static int
arch_timer_probe(struct device *dev)
{
	uint32_t freq = 0;
	int irq = device_irq(dev, VIRT_TIMER_IDX);

	if (irq < 0)
		return irq;		/* -EPROBE_DEFER until the GIC is up */
	/* Firmware should set CNTFRQ; the DT property overrides broken ones. */
	if (device_read_u32(dev, "clock-frequency", &freq) || !freq)
		freq = (uint32_t)read_sysreg(cntfrq_el0);
	if (!freq) {
		pr_err("counter frequency unknown (CNTFRQ_EL0 is 0)\n");
		return -EINVAL;
	}
	write_sysreg(cntv_ctl_el0, CNTV_CTL_IMASK);
	timer.irq = irq;
	timer.hz = freq;
	clocksource_register(&arch_timer_cs, freq);
	clockevent_register(&arch_timer_ce);
	pr_info("%u Hz, virtual timer irq %d\n", freq, irq);
	return 0;
}

static const char *const arch_timer_compatible[] = {
	"arm,armv8-timer", "arm,armv7-timer", NULL
};

DRIVER(arch_timer_driver) = {
	.name = "arch-timer",
	.compatible = arch_timer_compatible,
	.probe = arch_timer_probe,
};
