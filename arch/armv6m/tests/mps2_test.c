/*
 * MPS2 AN385 tests: the SysTick clock source checked against an
 * independent clock, the CMSDK APB timer 1 (otherwise unused), a 32-bit
 * down-counter of the same 25 MHz clock.
 */
#include <kernel/ktest.h>
#include <kernel/mmio.h>

#include "systick_check.h"

#define TIMER1			0x40001000
#define TIMER_CTRL		0x0
#define TIMER_VALUE		0x4
#define TIMER_RELOAD		0x8
#define TIMER_INTCLEAR		0xc

#define CTRL_ENABLE		(1u << 0)

/* 2^32 cycles at 25 MHz: 171 s before it wraps, far beyond the check. */
static void
timer1_start(void)
{
	mmio_write32(TIMER1 + TIMER_CTRL, 0);
	mmio_write32(TIMER1 + TIMER_INTCLEAR, 1);
	mmio_write32(TIMER1 + TIMER_RELOAD, 0xffffffff);
	mmio_write32(TIMER1 + TIMER_VALUE, 0xffffffff);
	mmio_write32(TIMER1 + TIMER_CTRL, CTRL_ENABLE);
}

static uint64_t
timer1_cycles(void)
{
	return 0xffffffffu - mmio_read32(TIMER1 + TIMER_VALUE);
}

static void
timer1_stop(void)
{
	mmio_write32(TIMER1 + TIMER_CTRL, 0);
}

KTEST(mps2, systick_agrees_with_timer1)
{
	static const struct systick_reference timer1 = {
		.name = "timer1", .cpu_hz = 25000000,
		.start = timer1_start, .read_cycles = timer1_cycles, .stop = timer1_stop,
	};

	systick_check_against(&timer1);
}
