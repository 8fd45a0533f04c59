/*
 * ACPI tables, as far as the kernel needs them yet: find the RSDP, walk
 * the XSDT or RSDT checking every table's header and checksum, and read
 * the MADT's processors, I/O APICs, interrupt source overrides and NMI
 * inputs into a struct fw_apic_info.  Anything malformed (a bad checksum,
 * a length beyond its table, tables overlapping) is reported, counted and
 * skipped; nothing is read outside what map() granted.  Portable C: the
 * host tests run it under ASan over hostile tables.
 *
 * Layouts are the ACPI specification's (6.5: 5.2.5 RSDP, 5.2.6 header,
 * 5.2.12 MADT); fields are read bytewise, the tables being packed.
 */
#define pr_fmt(fmt) "acpi: " fmt

#include <string.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <asm/firmware.h>

#define RSDP_V1_LEN		20
#define RSDP_V2_LEN		36
#define HDR_LEN			36
#define TABLE_MAX_LEN		(1u << 20)	/* more is not believable here */
#define MAX_TABLES		32

#define BIOS_AREA		0xe0000
#define BIOS_AREA_END		0x100000
#define EBDA_SEARCH_LEN		1024

/* MADT */
#define MADT_ENTRIES		44
#define MADT_PCAT_COMPAT	(1u << 0)
#define MADT_CPU_ENABLED	(1u << 0)
#define MADT_CPU_ONLINE_CAPABLE	(1u << 1)
enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_NMI_SOURCE = 3,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_ADDR = 5,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};

/* The tables whose header and checksum passed, for acpi_table(). */
static struct {
	char sig[4];
	uint32_t len;
	uint64_t pa;
} tables[MAX_TABLES];
static unsigned int nr_tables;

static bool
rsdp_ok(const uint8_t *p)
{
	if (memcmp(p, "RSD PTR ", 8) != 0)
		return false;
	return fw_checksum_ok(p, RSDP_V1_LEN);
}

static uint64_t
scan_rsdp(fw_map_fn map, uint64_t base, uint64_t len)
{
	const uint8_t *p = map(base, (size_t)len);

	if (!p)
		return 0;
	for (uint64_t off = 0; off + RSDP_V1_LEN <= len; off += 16) {
		if (memcmp(p + off, "RSD PTR ", 8) != 0)
			continue;
		if (rsdp_ok(p + off))
			return base + off;
		pr_warn("RSDP signature at %#llx with a bad checksum: skipped\n",
			(unsigned long long)(base + off));
	}
	return 0;
}

uint64_t
acpi_find_rsdp(fw_map_fn map, uint64_t ebda)
{
	uint64_t found = 0;

	if (ebda)
		found = scan_rsdp(map, ebda, EBDA_SEARCH_LEN);
	if (!found)
		found = scan_rsdp(map, BIOS_AREA, BIOS_AREA_END - BIOS_AREA);
	return found;
}

/* A table's signature as text for messages (non-printables as '?'). */
static void
sig_text(const uint8_t *s, char out[5])
{
	for (int i = 0; i < 4; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	out[4] = '\0';
}

/*
 * Map a whole table after checking its header: a believable length and
 * a zero checksum.  NULL (reported, counted in *problems) when it is not
 * one.
 */
const uint8_t *
acpi_map_table(fw_map_fn map, uint64_t pa, const char *what, unsigned int *problems)
{
	const uint8_t *h = pa ? map(pa, HDR_LEN) : NULL;
	uint32_t len;
	char sig[5];

	if (!h) {
		pr_warn("%s at %#llx cannot be read: skipped\n", what, (unsigned long long)pa);
		(*problems)++;
		return NULL;
	}
	sig_text(h, sig);
	len = fw_u32(h + 4);
	if (len < HDR_LEN || len > TABLE_MAX_LEN) {
		pr_warn("%s %s at %#llx: length %u is not believable: skipped\n", what, sig,
			(unsigned long long)pa, len);
		(*problems)++;
		return NULL;
	}
	h = map(pa, len);
	if (!h) {
		pr_warn("%s %s at %#llx (%u bytes) cannot be read: skipped\n", what, sig,
			(unsigned long long)pa, len);
		(*problems)++;
		return NULL;
	}
	if (!fw_checksum_ok(h, len)) {
		pr_warn("%s %s at %#llx: bad checksum: skipped\n", what, sig,
			(unsigned long long)pa);
		(*problems)++;
		return NULL;
	}
	return h;
}

/* Does [pa, pa + len) overlap a table kept already?  Reported. */
static bool
overlaps(uint64_t pa, uint32_t len, const char *sig, struct fw_apic_info *info)
{
	for (unsigned int i = 0; i < nr_tables; i++)
		if (pa < tables[i].pa + tables[i].len && tables[i].pa < pa + len) {
			pr_warn("table %.4s at %#llx (%u bytes) overlaps %.4s at %#llx (%u bytes): "
				"skipped\n", sig, (unsigned long long)pa, len, tables[i].sig,
				(unsigned long long)tables[i].pa, tables[i].len);
			info->problems++;
			return true;
		}
	return false;
}

static void
keep_table(const uint8_t *h, uint64_t pa)
{
	if (nr_tables == MAX_TABLES)
		return;
	memcpy(tables[nr_tables].sig, h, 4);
	tables[nr_tables].len = fw_u32(h + 4);
	tables[nr_tables].pa = pa;
	nr_tables++;
}

uint64_t
acpi_table(const char sig[4], uint32_t *len)
{
	for (unsigned int i = 0; i < nr_tables; i++)
		if (memcmp(tables[i].sig, sig, 4) == 0) {
			if (len)
				*len = tables[i].len;
			return tables[i].pa;
		}
	return 0;
}

/*
 * The root table: the XSDT when the RSDP is revision 2 or later, its
 * extended checksum holds and the XSDT itself passes; else the RSDT.
 */
static const uint8_t *
root_table(fw_map_fn map, uint64_t rsdp_pa, uint64_t *root_pa, unsigned int *entry_size,
	   struct fw_apic_info *info)
{
	const uint8_t *rsdp = map(rsdp_pa, RSDP_V1_LEN), *root;

	if (!rsdp || !rsdp_ok(rsdp)) {
		pr_warn("no valid RSDP at %#llx\n", (unsigned long long)rsdp_pa);
		info->problems++;
		return NULL;
	}
	if (rsdp[15] >= 2) {
		const uint8_t *v2 = map(rsdp_pa, RSDP_V2_LEN);
		uint32_t len = v2 ? fw_u32(v2 + 20) : 0;
		const uint8_t *ext = len >= RSDP_V2_LEN && len <= 4096 ? map(rsdp_pa, len) : NULL;

		if (!ext || !fw_checksum_ok(ext, len)) {
			pr_warn("RSDP revision %u at %#llx: bad extended length (%u) or checksum: "
				"using the RSDT\n", rsdp[15], (unsigned long long)rsdp_pa, len);
			info->problems++;
		} else if (fw_u64(ext + 24)) {
			*root_pa = fw_u64(ext + 24);
			root = acpi_map_table(map, *root_pa, "XSDT", &info->problems);
			if (root && memcmp(root, "XSDT", 4) == 0) {
				*entry_size = 8;
				return root;
			}
			if (root) {
				pr_warn("the XSDT pointer leads to a %.4s table: using the RSDT\n",
					(const char *)root);
				info->problems++;
			}
		}
	}
	*root_pa = fw_u32(rsdp + 16);
	root = acpi_map_table(map, *root_pa, "RSDT", &info->problems);
	if (root && memcmp(root, "RSDT", 4) != 0) {
		pr_warn("the RSDT pointer leads to a %.4s table\n", (const char *)root);
		info->problems++;
		return NULL;
	}
	*entry_size = 4;
	return root;
}

/* An ISA interrupt's GSI onto the I/O APIC whose range holds it. */
static bool
route_gsi(const struct fw_apic_info *info, uint32_t gsi, uint16_t flags,
	  struct fw_irq_route *r)
{
	int best = -1;

	for (unsigned int i = 0; i < info->nr_ioapics; i++)
		if (info->ioapics[i].gsi_base <= gsi &&
		    (best < 0 || info->ioapics[i].gsi_base > info->ioapics[best].gsi_base))
			best = (int)i;
	if (best < 0 || gsi - info->ioapics[best].gsi_base > 0xff)
		return false;
	*r = (struct fw_irq_route){ true, (uint8_t)best,
				    (uint8_t)(gsi - info->ioapics[best].gsi_base), flags };
	return true;
}

/*
 * ISA IRQ n is GSI n unless an override says otherwise; a GSI another
 * IRQ was moved to is not also IRQ n's (QEMU: IRQ 0 on GSI 2, so IRQ 2,
 * the 8259 cascade, has no pin).
 */
static void
madt_route_isa(struct fw_apic_info *info, const uint32_t *gsi, const uint16_t *flags,
	       const bool *overridden)
{
	for (unsigned int irq = 0; irq < FW_ISA_IRQS; irq++) {
		bool taken = false;

		for (unsigned int other = 0; other < FW_ISA_IRQS; other++)
			if (other != irq && overridden[other] && gsi[other] == gsi[irq])
				taken = true;
		if (taken && !overridden[irq])
			continue;
		if (!route_gsi(info, gsi[irq], flags[irq], &info->isa[irq]) && overridden[irq]) {
			pr_warn("MADT: ISA IRQ %u on GSI %u, which no I/O APIC serves\n", irq,
				gsi[irq]);
			info->problems++;
		}
	}
}

static void
madt_add_nmi(struct fw_apic_info *info, uint32_t id, uint8_t lint, uint16_t flags)
{
	if (info->nr_nmis == FW_MAX_NMIS || lint > 1) {
		pr_warn("MADT: NMI on LINT%u of processor %#x ignored\n", lint, id);
		info->problems++;
		return;
	}
	info->nmis[info->nr_nmis++] = (struct fw_nmi){ id, id != FW_ID_ALL, lint, flags };
}

/* Each entry type's size, at least; longer entries are allowed (newer revisions). */
static uint8_t
madt_min_len(unsigned int type)
{
	switch (type) {
	case MADT_LAPIC: return 8;
	case MADT_IOAPIC: return 12;
	case MADT_OVERRIDE: return 10;
	case MADT_NMI_SOURCE: return 8;
	case MADT_LAPIC_NMI: return 6;
	case MADT_LAPIC_ADDR: return 12;
	case MADT_X2APIC: return 16;
	case MADT_X2APIC_NMI: return 12;
	default: return 2;
	}
}

static int
madt_parse(const uint8_t *t, uint32_t len, struct fw_apic_info *info)
{
	uint32_t gsi[FW_ISA_IRQS];
	uint16_t flags[FW_ISA_IRQS] = { 0 };
	bool overridden[FW_ISA_IRQS] = { false };
	unsigned int n = 0;

	if (len < MADT_ENTRIES) {
		pr_warn("MADT of %u bytes has no room for its fixed fields\n", len);
		info->problems++;
		return -ENOENT;
	}
	info->lapic_addr = fw_u32(t + 36);
	info->pcat_compat = fw_u32(t + 40) & MADT_PCAT_COMPAT;
	for (unsigned int i = 0; i < FW_ISA_IRQS; i++)
		gsi[i] = i;
	for (uint32_t off = MADT_ENTRIES; off < len; off += t[off + 1], n++) {
		const uint8_t *e = t + off;
		unsigned int type;

		if (len - off < 2 || e[1] < 2 || e[1] > len - off) {
			pr_warn("MADT entry %u at offset %u (length %u) runs past the end of the "
				"table (%u bytes): the rest is ignored\n", n, off,
				len - off < 2 ? 0 : e[1], len);
			info->problems++;
			break;
		}
		type = e[0];
		if (e[1] < madt_min_len(type)) {
			pr_warn("MADT entry %u (type %u) is %u bytes, less than its %u: skipped\n",
				n, type, e[1], madt_min_len(type));
			info->problems++;
			continue;
		}
		switch (type) {
		case MADT_LAPIC:
			if (fw_u32(e + 4) & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE))
				fw_add_cpu(info, e[3], e[2]);
			break;
		case MADT_X2APIC:
			if (fw_u32(e + 8) & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE))
				fw_add_cpu(info, fw_u32(e + 4), fw_u32(e + 12));
			break;
		case MADT_IOAPIC:
			fw_add_ioapic(info, e[2], fw_u32(e + 4), fw_u32(e + 8));
			break;
		case MADT_OVERRIDE:
			if (e[2] != 0 || e[3] >= FW_ISA_IRQS) {
				pr_warn("MADT override of bus %u IRQ %u: not an ISA IRQ, ignored\n",
					e[2], e[3]);
				info->problems++;
				break;
			}
			gsi[e[3]] = fw_u32(e + 4);
			flags[e[3]] = fw_u16(e + 8);
			overridden[e[3]] = true;
			break;
		case MADT_LAPIC_NMI:
			madt_add_nmi(info, e[2] == 0xff ? FW_ID_ALL : e[2], e[5], fw_u16(e + 3));
			break;
		case MADT_X2APIC_NMI:
			madt_add_nmi(info, fw_u32(e + 4), e[8], fw_u16(e + 2));
			break;
		case MADT_LAPIC_ADDR:
			info->lapic_addr = fw_u64(e + 4);
			break;
		default:
			break;		/* NMI sources, GIC entries, ...: not ours */
		}
	}
	if (info->nr_cpus == 0 || info->nr_ioapics == 0) {
		pr_warn("MADT lists %u usable CPUs and %u I/O APICs: not used\n", info->nr_cpus,
			info->nr_ioapics);
		info->problems++;
		return -ENOENT;
	}
	madt_route_isa(info, gsi, flags, overridden);
	return 0;
}

int
acpi_parse(fw_map_fn map, uint64_t rsdp_pa, struct fw_apic_info *info)
{
	const uint8_t *root, *madt = NULL;
	uint64_t root_pa = 0, madt_pa = 0;
	unsigned int esize = 4, problems;
	uint32_t len, count;
	int err;

	fw_info_reset(info, "ACPI MADT");
	nr_tables = 0;
	root = root_table(map, rsdp_pa, &root_pa, &esize, info);
	if (!root)
		return -ENOENT;
	len = fw_u32(root + 4);
	keep_table(root, root_pa);
	count = (len - HDR_LEN) / esize;
	if ((len - HDR_LEN) % esize) {
		pr_warn("%.4s: %u trailing bytes after %u entries\n", (const char *)root,
			(len - HDR_LEN) % esize, count);
		info->problems++;
	}
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *e = root + HDR_LEN + i * esize;
		uint64_t pa = esize == 8 ? fw_u64(e) : fw_u32(e);
		const uint8_t *t = acpi_map_table(map, pa, "table", &info->problems);

		if (!t || overlaps(pa, fw_u32(t + 4), (const char *)t, info))
			continue;
		keep_table(t, pa);
		if (memcmp(t, "APIC", 4) == 0 && !madt) {
			madt = t;
			madt_pa = pa;
		}
	}
	if (!madt) {
		pr_info("no MADT among %u tables\n", nr_tables);
		return -ENOENT;
	}
	err = madt_parse(madt, fw_u32(madt + 4), info);
	if (err) {
		problems = info->problems;
		fw_info_reset(info, "ACPI MADT");
		info->problems = problems;
		return err;
	}
	pr_debug("MADT at %#llx: %u CPUs, %u I/O APICs\n", (unsigned long long)madt_pa,
		 info->nr_cpus, info->nr_ioapics);
	return 0;
}
