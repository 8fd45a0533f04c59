/*
 * SysTick's 64-bit clock against an independent timer of the board, while
 * interrupts are masked and SysTick wraps many times: the board tests
 * (microbit_test.c, mps2_test.c) hand in their reference.
 */
#include <arch/cpu.h>
#include <kernel/ktest.h>
#include <kernel/printk.h>
#include <kernel/time.h>

#include "systick_check.h"

struct sample {
	uint64_t cycles;	/* SysTick, read just before the reference */
	uint64_t timer;		/* the reference, in CPU cycles */
	uint64_t gap;		/* between the SysTick reads around the reference's */
};

static void
take(struct sample *s, const struct systick_reference *r)
{
	s->cycles = arch_cycles();
	s->timer = r->read_cycles();
	s->gap = arch_cycles() - s->cycles;
}

/*
 * With interrupts masked for ten SysTick periods, the SysTick clock is
 * checked against the board's reference timer (counting the same CPU
 * clock, maybe through its own prescaler).  A wrap counted twice puts
 * SysTick a period ahead; one missed while reading often makes it go
 * backwards.  So: never backwards, never ahead of the reference.
 *
 * Under an emulator it may fall behind, though: the host can stop the
 * CPU for longer than a period (COUNTFLAG counts one wrap), and QEMU
 * shows SysTick at 0 until its main loop processes the expiry, which can
 * take a while on a loaded host.  Samples whose two SysTick reads are far
 * apart are not compared.  When nothing stalled for half a period or more
 * (between samples, inside one, or SysTick standing still while the
 * reference ran) no wrap can have been lost, and SysTick must not be
 * behind either.
 */
void
systick_check_against(const struct systick_reference *r)
{
	const uint64_t period = time_count_hz() / CONFIG_HZ;
	const uint64_t per_us = time_count_hz() / 1000000;
	const uint64_t tight = 64 * per_us, tolerance = period / 16;
	struct sample ref, prev, cur;
	uint64_t last_move;
	unsigned int samples = 0, disturbed = 0, ahead = 0, backwards = 0;
	int64_t offset = 0;
	unsigned long flags;

	KASSERT(time_count_hz() == r->cpu_hz);
	r->start();

	flags = arch_irq_save();
	/* The reference: a tight sample right after SysTick was seen moving. */
	take(&prev, r);
	for (;;) {
		take(&ref, r);
		if (prev.gap <= tight && ref.gap <= tight && ref.cycles > prev.cycles &&
		    ref.timer - prev.timer < tolerance &&
		    ref.cycles - prev.cycles < tolerance)
			break;
		prev = ref;
	}
	prev = ref;
	last_move = ref.timer;
	do {
		take(&cur, r);
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
	r->stop();

	printk(KERN_RAW "# %u samples over %llu cycles, SysTick %lld cycles off %s, "
	       "%u disturbed\n", samples, (unsigned long long)(cur.cycles - ref.cycles),
	       (long long)offset, r->name, disturbed);
	KEXPECT_EQ(backwards, 0);
	KEXPECT_EQ(ahead, 0);
	if (!disturbed)
		KEXPECT_OP(offset + (int64_t)tolerance, >=, 0);
}
