/*
 * BBC micro:bit v1 (nRF51822): the devices the kernel drives, with their
 * System Control Space or peripheral addresses and interrupt numbers on
 * the NVIC chip.  nRF51 peripheral n sits at 0x40000000 + n * 0x1000 and
 * raises external interrupt n.
 */
#include <drivers/nvic.h>
#include <kernel/device.h>
#include "../armv6m.h"

const char board_model[] = "BBC micro:bit (nRF51822)";

const struct board_device board_devices[] = {
	ARMV6M_BOARD_NVIC,		/* first: the UART asks it for its receive interrupt */
	{
		.name = "uart0",
		.compatible = "nordic,nrf51-uart",
		.reg = { { 0x40002000, 0x1000 } },
		.nr_reg = 1,
		.irq = { 2 },
		.nr_irq = 1,
		.console = true,
	},
	/* HCLK; QEMU's microbit clocks SysTick from it too. */
	ARMV6M_BOARD_SYSTICK(16000000),
};

const size_t board_devices_count = sizeof(board_devices) / sizeof(board_devices[0]);
