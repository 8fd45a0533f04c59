/*
 * Raspberry Pi Pico (RP2040): the devices the kernel drives and what the
 * RP2040 set-up (rp2040.c) must do for them.  The kernel runs on core 0;
 * core 1 stays asleep in the boot ROM's wait loop (the port is
 * uniprocessor).  The console is UART0 on GPIO0 (TX, pin 1 of the board)
 * and GPIO1 (RX, pin 2), 115200 8N1 from clk_peri; SysTick counts clk_sys.
 * Both run from the Pico's 12 MHz crystal.
 */
#include <drivers/nvic.h>
#include <kernel/device.h>
#include "../armv6m.h"
#include "rp2040.h"

#define PICO_XOSC_HZ	12000000	/* = clk_ref = clk_sys = clk_peri */

const char board_model[] = "Raspberry Pi Pico (RP2040)";

const struct board_device board_devices[] = {
	ARMV6M_BOARD_NVIC,		/* first: the UART asks it for its receive interrupt */
	{
		.name = "uart0",
		.compatible = "arm,pl011",
		.reg = { { RP2040_UART0_BASE, 0x1000 } },
		.nr_reg = 1,
		.irq = { RP2040_IRQ_UART0 },
		.nr_irq = 1,
		.clock_hz = PICO_XOSC_HZ,	/* clk_peri */
		.console = true,
	},
	ARMV6M_BOARD_SYSTICK(PICO_XOSC_HZ),	/* clk_sys */
};

const size_t board_devices_count = sizeof(board_devices) / sizeof(board_devices[0]);

static const struct rp2040_pin pico_pins[] = {
	{ .gpio = 0, .func = RP2040_FUNC_UART },			/* UART0 TX */
	{ .gpio = 1, .func = RP2040_FUNC_UART, .pull_up = true },	/* UART0 RX, idles high */
};

static const struct rp2040_board pico = {
	.xosc_hz = PICO_XOSC_HZ,
	/* The console's UART and its pins; the TIMER for the board's test. */
	.unreset = RP2040_RESET_UART0 | RP2040_RESET_IO_BANK0 | RP2040_RESET_PADS_BANK0 |
		   RP2040_RESET_TIMER,
	.pins = pico_pins,
	.nr_pins = sizeof(pico_pins) / sizeof(pico_pins[0]),
};

void
board_early_init(void)
{
	rp2040_init(&pico);
}
