/*
 * ARM MPS2 with the AN385 FPGA image (Cortex-M3, QEMU mps2-an385): the
 * devices the kernel drives.  The ARMv6-M port runs on the M3 unchanged
 * (ARMv7-M executes every ARMv6-M instruction and has the same exception
 * model, NVIC and SysTick).  Code sits in ZBT SSRAM1 at 0 (4 MiB, where
 * QEMU loads the image), data in ZBT SSRAM2/3 at 0x20000000 (4 MiB).
 * The CMSDK peripherals run from the 25 MHz system clock; UART0's
 * receive and transmit interrupts are lines 0 and 1.
 */
#include <drivers/nvic.h>
#include <kernel/device.h>
#include "../armv6m.h"

const char board_model[] = "ARM MPS2 AN385 (Cortex-M3)";

const struct board_device board_devices[] = {
	ARMV6M_BOARD_NVIC,		/* first: the UART asks it for its receive interrupt */
	{
		.name = "uart0",
		.compatible = "arm,cmsdk-uart",
		.reg = { { 0x40004000, 0x1000 } },
		.nr_reg = 1,
		.irq = { 0, 1 },
		.nr_irq = 2,
		.clock_hz = 25000000,	/* PCLK */
		.console = true,
	},
	ARMV6M_BOARD_SYSTICK(25000000),	/* the CPU clock (CLKSOURCE=1) */
};

const size_t board_devices_count = sizeof(board_devices) / sizeof(board_devices[0]);
