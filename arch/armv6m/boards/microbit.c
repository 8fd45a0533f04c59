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
	{
		.name = "uart0",
		.compatible = "nordic,nrf51-uart",
		.reg = { { 0x40002000, 0x1000 } },
		.nr_reg = 1,
		.irq = { 2 },
		.nr_irq = 1,
		.console = true,
	},
	{
		.name = "nvic",
		.compatible = "arm,v6m-nvic",
		.reg = {
			{ 0xe000e100, 0x400 },	/* NVIC */
			{ 0xe000ed00, 0x40 },	/* SCB: ICSR, SHPR3 */
		},
		.nr_reg = 2,
	},
	{
		.name = "systick",
		.compatible = "arm,armv6m-systick",
		.reg = { { 0xe000e010, 0x10 } },
		.nr_reg = 1,
		.irq = { NVIC_IRQ_SYSTICK },
		.nr_irq = 1,
		.clock_hz = 16000000,	/* HCLK; QEMU's microbit clocks SysTick from it too */
	},
};

const size_t board_devices_count = sizeof(board_devices) / sizeof(board_devices[0]);
