/*
 * What PC firmware says about the processors and the interrupt wiring,
 * from the ACPI MADT (acpi.c) or the Intel MP table (mptable.c), in one
 * description the APIC drivers and SMP bring-up read (firmware.c keeps
 * it).  The parsers are portable C over a "map this physical range"
 * callback and never trust a byte: the host unit tests feed them hostile
 * tables (arch/x86/tests/host/).  Private to arch/x86 and the x86 drivers.
 */
#ifndef ASM_FIRMWARE_H
#define ASM_FIRMWARE_H

#include <kernel/types.h>

#define FW_MAX_CPUS		256	/* APIC IDs kept; more are counted */
#define FW_MAX_IOAPICS		8
#define FW_MAX_NMIS		8
#define FW_ISA_IRQS		16

/*
 * MPS INTI flags, which the MADT reuses: polarity in bits 1:0, trigger
 * mode in bits 3:2; "conforms to the bus" means edge, active high on ISA.
 */
#define FW_IRQ_POLARITY		0x3
#define FW_IRQ_ACTIVE_HIGH	0x1
#define FW_IRQ_ACTIVE_LOW	0x3
#define FW_IRQ_TRIGGER		0xc
#define FW_IRQ_EDGE		0x4
#define FW_IRQ_LEVEL		0xc

#define FW_GSI_UNKNOWN		0xffffffffu
#define FW_ID_ALL		0xffffffffu	/* an NMI entry for every CPU */

struct fw_cpu {
	uint32_t apic_id;
	uint32_t acpi_uid;		/* ACPI processor UID; FW_ID_ALL from MP */
};

struct fw_ioapic {
	uint32_t id;
	uint32_t addr;
	uint32_t gsi_base;		/* FW_GSI_UNKNOWN: the driver counts pins */
};

/* Where an ISA interrupt enters an I/O APIC. */
struct fw_irq_route {
	bool valid;
	uint8_t ioapic;			/* index into ioapics[] */
	uint8_t pin;
	uint16_t flags;			/* FW_IRQ_* */
};

/* A local APIC input wired as NMI (LINT0/1). */
struct fw_nmi {
	uint32_t id;			/* FW_ID_ALL, else an ACPI UID or APIC ID */
	bool by_uid;			/* id is an ACPI processor UID (MADT) */
	uint8_t lint;
	uint16_t flags;
};

struct fw_apic_info {
	const char *source;		/* "ACPI MADT", "MP table" */
	uint64_t lapic_addr;
	bool pcat_compat;		/* 8259s present too (they get masked) */
	bool imcr;			/* MP: an IMCR routes INTR to the 8259 */
	unsigned int nr_cpus;		/* usable CPUs described (may exceed FW_MAX_CPUS) */
	struct fw_cpu cpus[FW_MAX_CPUS];
	unsigned int nr_ioapics;
	struct fw_ioapic ioapics[FW_MAX_IOAPICS];
	struct fw_irq_route isa[FW_ISA_IRQS];
	unsigned int nr_nmis;
	struct fw_nmi nmis[FW_MAX_NMIS];
	unsigned int problems;		/* malformed things reported and skipped */
};

/*
 * Make [pa, pa + len) readable; NULL when it is not (beyond what can be
 * mapped, or an address that wraps).  Mappings stay valid for the parse.
 */
typedef const void *(*fw_map_fn)(uint64_t pa, size_t len);

/*
 * ACPI.  The RSDP is searched where the specification puts it: the first
 * KiB of the EBDA (ebda: its physical address, 0 when there is none),
 * then 0xe0000-0xfffff on 16-byte boundaries; both checksums are checked
 * (the extended one from revision 2).  0 when there is none.
 */
uint64_t acpi_find_rsdp(fw_map_fn map, uint64_t ebda);

/*
 * Walk the XSDT (revision >= 2 and present) or the RSDT, check every
 * table's header and checksum, and parse the MADT into info.  0, or
 * -ENOENT when there is no usable MADT (info then says nothing).
 */
int acpi_parse(fw_map_fn map, uint64_t rsdp, struct fw_apic_info *info);

/* The physical address of a checked table with this signature, or 0. */
uint64_t acpi_table(const char sig[4], uint32_t *len);

/*
 * Map the table at pa whole after checking its header (a believable
 * length) and checksum; NULL, reported with what naming it and counted
 * in *problems, when it is not one.
 */
const uint8_t *acpi_map_table(fw_map_fn map, uint64_t pa, const char *what,
			      unsigned int *problems);

/* An ACPI Generic Address Structure (ACPI 6.5, 5.2.3.2). */
#define ACPI_SPACE_MEMORY	0
#define ACPI_SPACE_IO		1
#define ACPI_SPACE_PCI		2
struct acpi_gas {
	uint8_t space;			/* ACPI_SPACE_* */
	uint8_t bit_width, bit_offset, access_size;
	uint64_t address;		/* 0: not there */
	uintptr_t va;			/* memory space: mapped here (firmware.c) */
};

/*
 * What the FADT (5.2.9) and the DSDT's \_S5 object say about the RTC,
 * powering off and resetting (acpi_pm.c), for the CMOS RTC driver and
 * arch/x86/reboot.c.
 */
struct acpi_pm_info {
	bool valid;			/* a FADT was found and read */
	uint8_t fadt_revision;
	uint8_t century;		/* CMOS index of the century, 0: none */
	bool no_cmos_rtc;		/* IAPC_BOOT_ARCH: there is no CMOS RTC */
	bool hw_reduced;		/* no PM1 blocks (HW_REDUCED_ACPI) */
	uint32_t smi_cmd;		/* port that switches to ACPI mode ... */
	uint8_t acpi_enable;		/* ... with this value, 0: none needed */
	struct acpi_gas pm1a_cnt, pm1b_cnt;
	bool reset_supported;		/* RESET_REG_SUP */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
	bool s5_found;			/* \_S5 gave the sleep types below */
	uint8_t slp_typa, slp_typb;	/* SLP_TYP for PM1a/PM1b control, 0-7 */
	unsigned int problems;		/* malformed things reported */
};

/*
 * After acpi_parse() (whose checked tables it uses): read the FADT and
 * the DSDT it points to into pm.  0, or -ENOENT when there is no usable
 * FADT (pm->valid false).  A DSDT without a \_S5 package leaves
 * s5_found false.
 */
int acpi_pm_parse(fw_map_fn map, struct acpi_pm_info *pm);

/*
 * The sleep types of the \_S5 object in AML (a DSDT's or SSDT's body,
 * after the header): 0, or -ENOENT when there is no Name(_S5, Package)
 * with two integers of at most 7.
 */
int acpi_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa, uint8_t *slp_typb);

/* What the kernel found at boot (firmware.c): NULL without a FADT. */
const struct acpi_pm_info *x86_acpi_pm(void);

/*
 * Intel MP specification 1.4.  The floating pointer "_MP_" is searched in
 * the first KiB of the EBDA, the last KiB of base memory (base_end: its
 * end, 640 KiB by default) and 0xf0000-0xfffff.  0 when there is none.
 */
uint64_t mp_find(fw_map_fn map, uint64_t ebda, uint64_t base_end);

/* Parse the configuration table; 0, or -errno (info then says nothing). */
int mp_parse(fw_map_fn map, uint64_t mpfp, struct fw_apic_info *info);

/* Little-endian fields at any alignment (tables are byte-packed). */
static inline uint16_t
fw_u16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
fw_u32(const uint8_t *p)
{
	return (uint32_t)fw_u16(p) | (uint32_t)fw_u16(p + 2) << 16;
}

static inline uint64_t
fw_u64(const uint8_t *p)
{
	return (uint64_t)fw_u32(p) | (uint64_t)fw_u32(p + 4) << 32;
}

/* Bytes summing to 0 mod 256, as every one of these checksums wants. */
static inline bool
fw_checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum == 0;
}

/*
 * What the kernel found at boot (firmware.c): NULL when the firmware
 * describes nothing usable (one CPU, 8259 interrupts).
 */
const struct fw_apic_info *x86_apic_info(void);

/* Shared by both parsers (fw_info.c). */
void fw_info_reset(struct fw_apic_info *info, const char *source);
/* Add a CPU unless its APIC ID is listed already (reported). */
void fw_add_cpu(struct fw_apic_info *info, uint32_t apic_id, uint32_t acpi_uid);
/* Add an I/O APIC; false (reported) when there is no room or a duplicate. */
bool fw_add_ioapic(struct fw_apic_info *info, uint32_t id, uint32_t addr, uint32_t gsi_base);

#endif
