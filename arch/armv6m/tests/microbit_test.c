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

struct sample {
	uint64_t cycles;	/* SysTick, read just before TIMER0 */
	uint64_t timer;		/* TIMER0, in CPU cycles */
	uint64_t gap;		/* between the SysTick reads around TIMER0's */
};

static void
take(struct sample *s, uint64_t per_us)
{
	s->cycles = arch_cycles();
	s->timer = (uint64_t)timer0_us() * per_us;
	s->gap = arch_cycles() - s->cycles;
}

/*
 * With interrupts masked for ten SysTick periods, the SysTick clock is
 * checked against TIMER0 (counting the same 16 MHz through its own
 * prescaler).  A wrap counted twice puts SysTick a period ahead; one
 * missed while reading often makes it go backwards.  So: never backwards,
 * never ahead of TIMER0.
 *
 * Under an emulator it may fall behind, though: the host can stop the
 * CPU for longer than a period (COUNTFLAG counts one wrap), and QEMU
 * shows SysTick at 0 until its main loop processes the expiry, which can
 * take a while on a loaded host.  Samples whose two SysTick reads are far
 * apart are not compared.  When nothing stalled for half a period or more
 * (between samples, inside one, or SysTick standing still while TIMER0
 * ran) no wrap can have been lost, and SysTick must not be behind either.
 */
KTEST(microbit, systick_agrees_with_timer0)
{
	const struct clocksource *cs = clocksource_current();
	const uint64_t period = cs->freq_hz / CONFIG_HZ;
	const uint64_t per_us = cs->freq_hz / 1000000;
	const uint64_t tight = 64 * per_us, tolerance = period / 16;
	struct sample ref, prev, cur;
	uint64_t last_move;
	unsigned int samples = 0, disturbed = 0, ahead = 0, backwards = 0;
	int64_t offset = 0;
	unsigned long flags;

	KASSERT(per_us == 16);
	mmio_write32(TIMER0 + TIMER_STOP, 1);
	mmio_write32(TIMER0 + TIMER_MODE, 0);
	mmio_write32(TIMER0 + TIMER_BITMODE, BITMODE_32);
	mmio_write32(TIMER0 + TIMER_PRESCALER, PRESCALE_1MHZ);
	mmio_write32(TIMER0 + TIMER_CLEAR, 1);
	mmio_write32(TIMER0 + TIMER_START, 1);

	flags = arch_irq_save();
	/* The reference: a tight sample right after SysTick was seen moving. */
	take(&prev, per_us);
	for (;;) {
		take(&ref, per_us);
		if (prev.gap <= tight && ref.gap <= tight && ref.cycles > prev.cycles &&
		    ref.timer - prev.timer < tolerance &&
		    ref.cycles - prev.cycles < tolerance)
			break;
		prev = ref;
	}
	prev = ref;
	last_move = ref.timer;
	do {
		take(&cur, per_us);
		samples++;
		backwards += cur.cycles < prev.cycles;
		if (cur.cycles != prev.cycles)
			last_move = cur.timer;
		if (cur.timer - prev.timer >= period / 2 || cur.gap >= period / 2 ||
		    cur.timer - last_move >= period / 2)
			disturbed++;
		prev = cur;
		if (cur.gap > tight)
			continue;
		offset = (int64_t)(cur.cycles - ref.cycles) - (int64_t)(cur.timer - ref.timer);
		ahead += offset > (int64_t)tolerance;
	} while (cur.cycles - ref.cycles < 10 * period);
	arch_irq_restore(flags);
	mmio_write32(TIMER0 + TIMER_STOP, 1);

	printk(KERN_RAW "# %u samples over %llu cycles, SysTick %lld cycles off TIMER0, "
	       "%u disturbed\n", samples, (unsigned long long)(cur.cycles - ref.cycles),
	       (long long)offset, disturbed);
	KEXPECT_EQ(backwards, 0);
	KEXPECT_EQ(ahead, 0);
	if (!disturbed)
		KEXPECT_OP(offset + (int64_t)tolerance, >=, 0);
}
