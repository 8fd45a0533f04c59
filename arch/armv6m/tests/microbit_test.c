/*
 * micro:bit tests: the SysTick clock source checked against an
 * independent clock, the nRF51's TIMER0, while interrupts are masked and
 * SysTick wraps many times.  TIMER0 is otherwise unused.
 */
#include <arch/cpu.h>
#include <kernel/ktest.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/time.h>

#define TIMER0			0x40008000
#define TIMER_START		0x000
#define TIMER_STOP		0x004
#define TIMER_CLEAR		0x00c
#define TIMER_CAPTURE0		0x040
#define TIMER_MODE		0x504
#define TIMER_BITMODE		0x508
#define TIMER_PRESCALER		0x510
#define TIMER_CC0		0x540

#define BITMODE_32		3
#define PRESCALE_1MHZ		4	/* 16 MHz >> 4 */

static uint32_t
timer0_us(void)
{
	mmio_write32(TIMER0 + TIMER_CAPTURE0, 1);
	return mmio_read32(TIMER0 + TIMER_CC0);
}

/*
 * Step by step, SysTick cycles and TIMER0 microseconds must agree.  A
 * wrap counted twice or missed shows as a step off by a whole period.
 * Steps where TIMER0 itself jumped by over half a period (the host did
 * not run the emulated CPU for a while, and SysTick can only count one
 * wrap per read) are not judged; most steps are a few microseconds.
 */
KTEST(microbit, systick_agrees_with_timer0)
{
	const struct clocksource *cs = clocksource_current();
	const uint64_t period = cs->freq_hz / CONFIG_HZ;
	const uint64_t per_us = cs->freq_hz / 1000000;
	const uint64_t tolerance = period / 4;
	uint64_t c0, c, cprev, total = 0;
	uint32_t t, tprev;
	unsigned int steps = 0, judged = 0, bad = 0;
	unsigned long flags;

	KASSERT(per_us == 16);
	mmio_write32(TIMER0 + TIMER_STOP, 1);
	mmio_write32(TIMER0 + TIMER_MODE, 0);
	mmio_write32(TIMER0 + TIMER_BITMODE, BITMODE_32);
	mmio_write32(TIMER0 + TIMER_PRESCALER, PRESCALE_1MHZ);
	mmio_write32(TIMER0 + TIMER_CLEAR, 1);
	mmio_write32(TIMER0 + TIMER_START, 1);

	flags = arch_irq_save();
	c0 = cprev = arch_cycles();
	tprev = timer0_us();
	do {
		uint64_t dc, dt;

		c = arch_cycles();
		t = timer0_us();
		dc = c - cprev;
		dt = (uint64_t)(t - tprev) * per_us;
		steps++;
		if (c < cprev)
			bad++;
		if (dt < period / 2) {
			judged++;
			if (dc > dt + tolerance || dt > dc + tolerance)
				bad++;
		}
		total += dt;
		cprev = c;
		tprev = t;
	} while (c - c0 < 10 * period);
	arch_irq_restore(flags);
	mmio_write32(TIMER0 + TIMER_STOP, 1);

	printk(KERN_RAW "# %u steps (%u judged) over %llu cycles; TIMER0 saw %llu\n",
	       steps, judged, (unsigned long long)(c - c0), (unsigned long long)total);
	KEXPECT_EQ(bad, 0);
	KEXPECT_OP(judged, >, steps / 2);
}
