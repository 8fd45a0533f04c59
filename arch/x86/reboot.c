/*
 * Powering a PC off and resetting it, for reboot(2) (the HAL's
 * arch_machine_power_off() and arch_machine_restart()).
 *
 * Off: ACPI S5, the sleep types of the DSDT's \_S5 written to the PM1
 * control registers with SLP_EN, after switching the chipset to ACPI
 * mode when the firmware left it in legacy mode.  Reset, in the order
 * that works on the most machines: the FADT's reset register, the
 * keyboard controller's reset line, the PCI reset control register at
 * 0xcf9 (PIIX, ICH), and last a triple fault.  Each way gets time to act
 * before the next is tried.
 */
#define pr_fmt(fmt) "reboot: " fmt

#include <arch/cpu.h>
#include <asm/firmware.h>
#include <asm/io.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <kernel/time.h>

#define PM1_SCI_EN		(1u << 0)
#define PM1_SLP_TYP_SHIFT	10
#define PM1_SLP_TYP		(7u << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN		(1u << 13)

#define KBC_STATUS		0x64
#define KBC_INPUT_FULL		(1u << 1)
#define KBC_PULSE_RESET		0xfe

#define PCI_RESET_CONTROL	0xcf9
#define RCR_SYS_RESET		(1u << 1)	/* hard reset, not just the CPU */
#define RCR_RESET_CPU		(1u << 2)	/* the 0->1 edge resets */

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc

#define GRACE_US		500000		/* for a way to act before the next */
/*
 * Hardware powers off at once; an emulator when its main loop gets to the
 * request, which a loaded host can hold back well past GRACE_US (it once
 * fell through to the failure exit after every test had passed).  Only a
 * machine whose S5 does not work waits this long, and then halts anyway.
 */
#define POWER_OFF_GRACE_US	(10 * 1000000)

static uint32_t
gas_read16(const struct acpi_gas *g)
{
	if (g->space == ACPI_SPACE_IO)
		return inw((uint16_t)g->address);
	if (g->space == ACPI_SPACE_MEMORY && g->va)
		return mmio_read16(g->va);
	return 0;
}

static void
gas_write(const struct acpi_gas *g, uint32_t v, unsigned int bytes)
{
	switch (g->space) {
	case ACPI_SPACE_IO:
		if (bytes == 1)
			outb((uint16_t)g->address, (uint8_t)v);
		else
			outw((uint16_t)g->address, (uint16_t)v);
		break;
	case ACPI_SPACE_MEMORY:
		if (!g->va)
			break;
		if (bytes == 1)
			mmio_write8(g->va, (uint8_t)v);
		else
			mmio_write16(g->va, (uint16_t)v);
		break;
	case ACPI_SPACE_PCI:
		/* Bus 0; device, function and register packed in the address. */
		outl(PCI_CONFIG_ADDRESS, 0x80000000u | (uint32_t)((g->address >> 32) & 0x1f) << 11 |
					 (uint32_t)((g->address >> 16) & 0x7) << 8 |
					 (uint32_t)(g->address & 0xfc));
		outb((uint16_t)(PCI_CONFIG_DATA + (g->address & 3)), (uint8_t)v);
		break;
	default:
		break;
	}
}

static bool
gas_usable(const struct acpi_gas *g)
{
	return g->address && (g->space == ACPI_SPACE_IO ||
			      (g->space == ACPI_SPACE_MEMORY && g->va));
}

/* Legacy mode: ask the firmware (SMI) for ACPI mode, as the OS must first. */
static void
acpi_mode_enable(const struct acpi_pm_info *pm)
{
	uint64_t end;

	if ((gas_read16(&pm->pm1a_cnt) & PM1_SCI_EN) || !pm->smi_cmd || !pm->acpi_enable)
		return;
	outb((uint16_t)pm->smi_cmd, pm->acpi_enable);
	end = time_ns() + 1000 * NSEC_PER_MSEC;
	while (!(gas_read16(&pm->pm1a_cnt) & PM1_SCI_EN) && time_ns() < end)
		arch_cpu_relax();
}

static void
pm1_write(const struct acpi_gas *g, uint8_t slp_typ, uint32_t set)
{
	uint32_t v;

	if (!gas_usable(g))
		return;
	v = gas_read16(g) & ~(PM1_SLP_TYP | PM1_SLP_EN);
	gas_write(g, v | (uint32_t)slp_typ << PM1_SLP_TYP_SHIFT | set, 2);
}

void
arch_machine_power_off(void)
{
	const struct acpi_pm_info *pm = x86_acpi_pm();

	if (!pm || !pm->s5_found || !gas_usable(&pm->pm1a_cnt))
		return;
	acpi_mode_enable(pm);
	/* The sleep type first, then SLP_EN, as ACPI asks (7.4.2, 4.8.3.2.1). */
	pm1_write(&pm->pm1a_cnt, pm->slp_typa, 0);
	pm1_write(&pm->pm1b_cnt, pm->slp_typb, 0);
	pm1_write(&pm->pm1a_cnt, pm->slp_typa, PM1_SLP_EN);
	pm1_write(&pm->pm1b_cnt, pm->slp_typb, PM1_SLP_EN);
	udelay(POWER_OFF_GRACE_US);
	pr_err("ACPI S5 did not power the machine off\n");
}

static void
kbc_reset(void)
{
	for (int tries = 0; tries < 10; tries++) {
		uint64_t end = time_ns() + 10 * NSEC_PER_MSEC;

		while ((inb(KBC_STATUS) & KBC_INPUT_FULL) && time_ns() < end)
			arch_cpu_relax();
		outb(KBC_STATUS, KBC_PULSE_RESET);
		udelay(GRACE_US / 10);
	}
}

static void
pci_reset_control(void)
{
	uint8_t v = inb(PCI_RESET_CONTROL) & (uint8_t)~(RCR_SYS_RESET | RCR_RESET_CPU);

	outb(PCI_RESET_CONTROL, v | RCR_SYS_RESET);
	udelay(50);
	outb(PCI_RESET_CONTROL, v | RCR_SYS_RESET | RCR_RESET_CPU);
	udelay(GRACE_US);
}

/* No interrupt table: the next exception is a triple fault, which resets. */
static void
triple_fault(void)
{
	struct {
		uint16_t limit;
		uintptr_t base;
	} __attribute__((packed)) none = { 0, 0 };

	__asm__ __volatile__("lidt %0; int3" :: "m"(none) : "memory");
}

void
arch_machine_restart(void)
{
	const struct acpi_pm_info *pm = x86_acpi_pm();

	if (pm && pm->reset_supported && (gas_usable(&pm->reset_reg) ||
					  pm->reset_reg.space == ACPI_SPACE_PCI)) {
		gas_write(&pm->reset_reg, pm->reset_value, 1);
		udelay(GRACE_US);
	}
	kbc_reset();
	pci_reset_control();
	triple_fault();
}
