/*
 * micro:bit tests: the SysTick clock source checked against an
 * independent clock, the nRF51's TIMER0 (otherwise unused), counting
 * microseconds of the same 16 MHz clock.
 */
#include <kernel/ktest.h>
#include <kernel/mmio.h>

#include "systick_check.h"

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

static void
timer0_start(void)
{
	mmio_write32(TIMER0 + TIMER_STOP, 1);
	mmio_write32(TIMER0 + TIMER_MODE, 0);
	mmio_write32(TIMER0 + TIMER_BITMODE, BITMODE_32);
	mmio_write32(TIMER0 + TIMER_PRESCALER, PRESCALE_1MHZ);
	mmio_write32(TIMER0 + TIMER_CLEAR, 1);
	mmio_write32(TIMER0 + TIMER_START, 1);
}

static uint64_t
timer0_cycles(void)
{
	mmio_write32(TIMER0 + TIMER_CAPTURE0, 1);
	return (uint64_t)mmio_read32(TIMER0 + TIMER_CC0) * 16;
}

static void
timer0_stop(void)
{
	mmio_write32(TIMER0 + TIMER_STOP, 1);
}

KTEST(microbit, systick_agrees_with_timer0)
{
	static const struct systick_reference timer0 = {
		.name = "TIMER0", .cpu_hz = 16000000,
		.start = timer0_start, .read_cycles = timer0_cycles, .stop = timer0_stop,
	};

	systick_check_against(&timer0);
}

