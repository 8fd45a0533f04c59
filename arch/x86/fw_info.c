/*
 * The firmware's APIC description (firmware.h) as both parsers build it:
 * CPUs without duplicates, I/O APICs within the table's room.  Portable:
 * the host tests link it with the parsers.
 */
#define pr_fmt(fmt) "firmware: " fmt

#include <string.h>
#include <kernel/printk.h>
#include <asm/firmware.h>

#define LAPIC_DEFAULT_ADDR	0xfee00000u

void
fw_info_reset(struct fw_apic_info *info, const char *source)
{
	memset(info, 0, sizeof(*info));
	info->source = source;
	info->lapic_addr = LAPIC_DEFAULT_ADDR;
}

void
fw_add_cpu(struct fw_apic_info *info, uint32_t apic_id, uint32_t acpi_uid)
{
	unsigned int kept = MIN(info->nr_cpus, (unsigned int)FW_MAX_CPUS);

	for (unsigned int i = 0; i < kept; i++)
		if (info->cpus[i].apic_id == apic_id) {
			pr_warn("%s: CPU with APIC ID %#x listed twice: ignored\n", info->source,
				apic_id);
			info->problems++;
			return;
		}
	if (info->nr_cpus < FW_MAX_CPUS) {
		info->cpus[info->nr_cpus].apic_id = apic_id;
		info->cpus[info->nr_cpus].acpi_uid = acpi_uid;
	}
	info->nr_cpus++;
}

bool
fw_add_ioapic(struct fw_apic_info *info, uint32_t id, uint32_t addr, uint32_t gsi_base)
{
	for (unsigned int i = 0; i < info->nr_ioapics; i++)
		if (info->ioapics[i].id == id || info->ioapics[i].addr == addr) {
			pr_warn("%s: I/O APIC %u at %#x clashes with I/O APIC %u at %#x: ignored\n",
				info->source, id, addr, info->ioapics[i].id, info->ioapics[i].addr);
			info->problems++;
			return false;
		}
	if (info->nr_ioapics == FW_MAX_IOAPICS) {
		pr_warn("%s: more than %d I/O APICs: %u at %#x ignored\n", info->source,
			FW_MAX_IOAPICS, id, addr);
		info->problems++;
		return false;
	}
	info->ioapics[info->nr_ioapics++] = (struct fw_ioapic){ id, addr, gsi_base };
	return true;
}
