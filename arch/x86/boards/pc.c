/*
 * The PC: the legacy devices every PC-compatible (and QEMU's pc and q35)
 * has at fixed I/O ports and ISA interrupt numbers, and the APICs, which
 * the firmware's tables place.  Until ACPI and PCI enumeration arrive,
 * this table is how the kernel finds them.  Register ranges are I/O port
 * numbers; interrupts are ISA IRQs, which the 8259 and the I/O APICs
 * (vector 0x20 + IRQ either way) number alike.
 */
#include <asm/io.h>
#include <kernel/compiler.h>
#include <kernel/device.h>
#include "../internal.h"

#define PIT_CLOCK_HZ	1193182		/* 14.31818 MHz / 12 */
#define UART_CLOCK_HZ	1843200		/* 115200 baud x 16 */

const struct board_device board_devices[] = {
	{
		/* First, so that the log appears as early as it can. */
		.name = "com1", .compatible = "pnp,PNP0501",
		.reg = { { 0x3f8, 8 } }, .nr_reg = 1,
		.irq = { 4 }, .nr_irq = 1,
		.console = true, .clock_hz = UART_CLOCK_HZ,
	},
	{
		/*
		 * The APICs, with SMP: the local APIC becomes the root interrupt
		 * controller before the 8259 probes (which then stays masked).
		 * Where they are comes from the firmware's tables.
		 */
		.name = "lapic", .compatible = "intel,lapic",
	},
	{
		.name = "ioapic", .compatible = "intel,ioapic",
	},
	{
		.name = "pic", .compatible = "intel,8259",
		.reg = { { 0x20, 2 }, { 0xa0, 2 } }, .nr_reg = 2,
	},
	{
		.name = "pit", .compatible = "intel,8254",
		.reg = { { 0x40, 4 } }, .nr_reg = 1,
		.irq = { 0 }, .nr_irq = 1,
		.clock_hz = PIT_CLOCK_HZ,
	},
	{
		/* Calibrated against PIT channel 2, gated through port 0x61. */
		.name = "tsc", .compatible = "x86,tsc",
		.reg = { { 0x40, 4 }, { 0x61, 1 } }, .nr_reg = 2,
		.clock_hz = PIT_CLOCK_HZ,
	},
	{
		/* The CMOS clock (MC146818) at the RTC's index and data ports. */
		.name = "rtc", .compatible = "motorola,mc146818",
		.reg = { { 0x70, 2 } }, .nr_reg = 1,
		.irq = { 8 }, .nr_irq = 1,
	},
	{
		/* Each CPU's tick, with the APICs; rated above the PIT. */
		.name = "lapic-timer", .compatible = "intel,lapic-timer",
	},
};

const size_t board_devices_count = ARRAY_SIZE(board_devices);

/* PCI configuration mechanism #1: read a dword of bus 0, device 0. */
static uint32_t
host_bridge_id(void)
{
	outl(0xcf8, 0x80000000u);
	return inl(0xcfc);
}

const char *
x86_board_name(void)
{
	switch (host_bridge_id()) {
	case 0x12378086: return "PC (i440FX host bridge)";
	case 0x29c08086: return "PC (Q35 host bridge)";
	default: return "PC";
	}
}
