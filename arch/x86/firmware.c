/*
 * The firmware's description of the CPUs and the interrupt wiring, found
 * once at boot (x86_boot(), while the boot linear map still covers the
 * firmware's memory): the ACPI MADT, else the MP table when there is no
 * usable MADT or the command line says acpi=off.  Kept for the APIC
 * drivers and SMP bring-up; written once before anything reads it.  So
 * are the FADT's power-management registers (for power off and reset)
 * and its CMOS century index (for the RTC driver).
 */
#define pr_fmt(fmt) "firmware: " fmt

#include <string.h>
#include <arch/mmu.h>
#include <kernel/cmdline.h>
#include <kernel/mmio.h>
#include <kernel/printk.h>
#include <asm/firmware.h>
#include "internal.h"

#define BDA_BASE_MEM_KIB	0x413	/* BIOS data area: base memory size in KiB */
#define IOREMAP_GRANULE		0x10000	/* tables sit together: one mapping serves many */

static struct fw_apic_info apic_info;
static bool apic_info_valid;
static struct acpi_pm_info pm_info;

/*
 * Firmware memory for the parsers: the boot linear map where it reaches,
 * else (i386 with tables above 896 MiB) the ioremap window, in granules
 * that neighbouring tables share.
 */
static const void *
boot_map(uint64_t pa, size_t len)
{
	uint64_t base, end;
	uintptr_t va;

	if (len == 0 || pa + len < pa)
		return NULL;
	if (pa + len <= BOOT_LINEAR_MAP_END)
		return phys_to_virt((paddr_t)pa);
	base = ALIGN_DOWN(pa, IOREMAP_GRANULE);
	end = ALIGN_UP(pa + len, IOREMAP_GRANULE);
	if (end - 1 > (paddr_t)-1)
		return NULL;		/* beyond a 32-bit physical address */
	va = ioremap((paddr_t)base, (size_t)(end - base));
	return va ? (const void *)(va + (uintptr_t)(pa - base)) : NULL;
}

static void
log_summary(const struct fw_apic_info *fw)
{
	unsigned int shown = MIN(fw->nr_cpus, 16u);
	char ids[16 * 11 + 8], *p = ids;

	for (unsigned int i = 0; i < shown; i++)
		p += snprintf(p, sizeof(ids) - (size_t)(p - ids), " %#x", fw->cpus[i].apic_id);
	if (shown < fw->nr_cpus)
		snprintf(p, sizeof(ids) - (size_t)(p - ids), " ...");
	pr_info("%s: %u CPU%s (APIC IDs%s), local APICs at %#llx%s\n", fw->source,
		fw->nr_cpus, fw->nr_cpus == 1 ? "" : "s", ids,
		(unsigned long long)fw->lapic_addr, fw->problems ? ", with problems (above)" : "");
	for (unsigned int i = 0; i < fw->nr_ioapics; i++)
		pr_info("%s: I/O APIC %u at %#x, GSI base %d\n", fw->source, fw->ioapics[i].id,
			fw->ioapics[i].addr, (int)fw->ioapics[i].gsi_base);
}

/* Memory-mapped registers are mapped now: powering off takes no locks. */
static void
gas_map(struct acpi_gas *g)
{
	if (g->space != ACPI_SPACE_MEMORY || !g->address)
		return;
	if (g->address + 8 - 1 > (paddr_t)-1 || !(g->va = ioremap((paddr_t)g->address, 8))) {
		pr_warn("register at %#llx cannot be mapped: not used\n",
			(unsigned long long)g->address);
		g->address = 0;
	}
}

static void
pm_info_init(void)
{
	if (acpi_pm_parse(boot_map, &pm_info) != 0)
		return;
	gas_map(&pm_info.pm1a_cnt);
	gas_map(&pm_info.pm1b_cnt);
	gas_map(&pm_info.reset_reg);
}

void
x86_firmware_scan(const struct boot_info *bi)
{
	uint64_t ebda = x86_ebda_base(), base_end, where;
	char val[8];
	bool acpi = true;

	base_end = (uint64_t)*(const volatile uint16_t *)phys_to_virt(BDA_BASE_MEM_KIB) << 10;
	if (cmdline_find(bi->cmdline, "acpi", val, sizeof(val)) >= 0 && strcmp(val, "off") == 0)
		acpi = false;
	if (acpi) {
		where = acpi_find_rsdp(boot_map, ebda);
		if (where && acpi_parse(boot_map, where, &apic_info) == 0)
			apic_info_valid = true;
		else if (!where)
			pr_info("no ACPI RSDP\n");
		if (where)
			pm_info_init();
	} else {
		pr_info("acpi=off: ACPI tables not used\n");
	}
	if (!apic_info_valid) {
		where = mp_find(boot_map, ebda, base_end);
		if (where && mp_parse(boot_map, where, &apic_info) == 0)
			apic_info_valid = true;
		else if (!where)
			pr_info("no MP table\n");
	}
	if (apic_info_valid)
		log_summary(&apic_info);
	else
		pr_info("no description of the CPUs and interrupts: one CPU, 8259 interrupts\n");
}

const struct fw_apic_info *
x86_apic_info(void)
{
	return apic_info_valid ? &apic_info : NULL;
}

const struct acpi_pm_info *
x86_acpi_pm(void)
{
	return pm_info.valid ? &pm_info : NULL;
}
