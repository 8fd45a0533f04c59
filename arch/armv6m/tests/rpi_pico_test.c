/*
 * Raspberry Pi Pico tests (hardware only: no emulator models the RP2040):
 * the SysTick clock source checked against an independent clock, the
 * RP2040 TIMER, a 64-bit microsecond counter ticked by the watchdog's
 * tick generator from the crystal that also drives clk_sys; and that
 * boot2 pointed VTOR at the kernel's vector table.
 */
#include <kernel/ktest.h>
#include <kernel/mmio.h>

#include "../armv6m.h"
#include "../boards/rp2040.h"
#include "systick_check.h"

#define TIMER_TIMEHR		0x08
#define TIMER_TIMELR		0x0c

#define SCB_VTOR		0xe000ed08

extern const uint32_t armv6m_vectors[];

static uint64_t timer_start_us;

/*
 * Reading TIMELR latches the high half into TIMEHR, so the pair is one
 * instant (the latch is shared by both cores; core 1 sleeps in the ROM).
 */
static uint64_t
timer_us(void)
{
	uint32_t lo = mmio_read32(RP2040_TIMER_BASE + TIMER_TIMELR);
	uint32_t hi = mmio_read32(RP2040_TIMER_BASE + TIMER_TIMEHR);

	return (uint64_t)hi << 32 | lo;
}

static void
timer_start(void)
{
	timer_start_us = timer_us();
}

static uint64_t
timer_cycles(void)
{
	return (timer_us() - timer_start_us) * (rp2040_clk_sys_hz() / 1000000);
}

static void
timer_stop(void)
{
}

KTEST(rpi_pico, systick_agrees_with_timer)
{
	/* .cpu_hz is what rp2040.c set up; systick_check asserts the table agrees. */
	struct systick_reference timer = {
		.name = "TIMER", .cpu_hz = rp2040_clk_sys_hz(),
		.start = timer_start, .read_cycles = timer_cycles, .stop = timer_stop,
	};

	systick_check_against(&timer);
}

KTEST(rpi_pico, vtor_is_the_vector_table)
{
	KEXPECT_EQ(mmio_read32(SCB_VTOR), (uintptr_t)armv6m_vectors);
	KEXPECT_EQ((uintptr_t)armv6m_vectors, (uintptr_t)__flash_start + 0x100);
}
