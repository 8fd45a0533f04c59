/*
 * The Intel MultiProcessor Specification's tables (1.4, chapter 4): the
 * "_MP_" floating pointer and the "PCMP" configuration table with its
 * processor, bus, I/O APIC, I/O interrupt and local interrupt entries,
 * read into a struct fw_apic_info.  The kernel uses them when there is no
 * usable MADT, or with acpi=off.  Like acpi.c: portable, every length and
 * checksum checked, malformed parts reported and skipped.
 *
 * SeaBIOS lists one processor per package here (the spec predates
 * multi-core): QEMU's "-smp 4" (one socket of four cores) shows a single
 * processor, "-smp 2,sockets=2" two (docs/x86.md).
 */
#define pr_fmt(fmt) "mptable: " fmt

#include <string.h>
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <asm/firmware.h>

#define MPFP_LEN		16
#define MPC_HDR_LEN		44
#define MP_SEARCH_LEN		1024
#define BIOS_AREA		0xf0000
#define BIOS_AREA_END		0x100000

#define MPFP_IMCR		0x80	/* feature byte 2 */

enum mp_entry {
	MP_PROCESSOR = 0,	/* 20 bytes, the others 8 */
	MP_BUS = 1,
	MP_IOAPIC = 2,
	MP_INTSRC = 3,
	MP_LINTSRC = 4,
};

#define MP_CPU_ENABLED		0x01
#define MP_IOAPIC_ENABLED	0x01
#define MP_INT_NMI		1
#define MP_INT_INT		0
#define MP_APIC_ALL		0xff

static bool
mpfp_ok(const uint8_t *p)
{
	return memcmp(p, "_MP_", 4) == 0 && p[8] == 1 && fw_checksum_ok(p, MPFP_LEN);
}

static uint64_t
scan(fw_map_fn map, uint64_t base, uint64_t len)
{
	const uint8_t *p = map(base, (size_t)len);

	if (!p)
		return 0;
	for (uint64_t off = 0; off + MPFP_LEN <= len; off += 16) {
		if (memcmp(p + off, "_MP_", 4) != 0)
			continue;
		if (mpfp_ok(p + off))
			return base + off;
		pr_warn("\"_MP_\" at %#llx with a bad length or checksum: skipped\n",
			(unsigned long long)(base + off));
	}
	return 0;
}

uint64_t
mp_find(fw_map_fn map, uint64_t ebda, uint64_t base_end)
{
	uint64_t found = 0;

	if (ebda)
		found = scan(map, ebda, MP_SEARCH_LEN);
	if (!found && base_end >= MP_SEARCH_LEN)
		found = scan(map, base_end - MP_SEARCH_LEN, MP_SEARCH_LEN);
	if (!found)
		found = scan(map, BIOS_AREA, BIOS_AREA_END - BIOS_AREA);
	return found;
}

/* The extended entries' bytes plus the header's extended checksum sum to 0. */
static bool
ext_checksum_ok(const uint8_t *p, size_t len, uint8_t checksum)
{
	uint8_t sum = checksum;

	while (len--)
		sum = (uint8_t)(sum + *p++);
	return sum == 0;
}

static unsigned int
entry_len(uint8_t type)
{
	return type == MP_PROCESSOR ? 20 : type <= MP_LINTSRC ? 8 : 0;
}

/* Bus IDs whose type is ISA (or EISA): their IRQ numbers are ISA IRQs. */
struct isa_buses {
	uint32_t bits[256 / 32];
};

static void
parse_bus(const uint8_t *e, struct isa_buses *isa)
{
	if (memcmp(e + 2, "ISA   ", 6) == 0 || memcmp(e + 2, "EISA  ", 6) == 0)
		isa->bits[e[1] / 32] |= 1u << (e[1] % 32);
}

static void
parse_intsrc(const uint8_t *e, const struct isa_buses *isa, struct fw_apic_info *info)
{
	uint8_t bus = e[4], irq = e[5], apic = e[6], pin = e[7];
	int idx = -1;

	if (e[1] != MP_INT_INT || !(isa->bits[bus / 32] & (1u << (bus % 32))))
		return;			/* ExtINT, SMI, NMI, or a PCI interrupt */
	for (unsigned int i = 0; i < info->nr_ioapics; i++)
		if (info->ioapics[i].id == apic || (apic == MP_APIC_ALL && idx < 0))
			idx = (int)i;
	if (irq >= FW_ISA_IRQS || idx < 0) {
		pr_warn("ISA IRQ %u to I/O APIC %u pin %u: no such %s\n", irq, apic, pin,
			irq >= FW_ISA_IRQS ? "ISA IRQ" : "I/O APIC");
		info->problems++;
		return;
	}
	info->isa[irq] = (struct fw_irq_route){ true, (uint8_t)idx, pin, fw_u16(e + 2) };
}

static void
parse_lintsrc(const uint8_t *e, struct fw_apic_info *info)
{
	uint32_t id = e[6] == MP_APIC_ALL ? FW_ID_ALL : e[6];

	if (e[1] != MP_INT_NMI)
		return;			/* ExtINT on LINT0: the 8259's virtual wire */
	if (info->nr_nmis == FW_MAX_NMIS || e[7] > 1) {
		pr_warn("NMI on LINT%u of APIC %u ignored\n", e[7], e[6]);
		info->problems++;
		return;
	}
	info->nmis[info->nr_nmis++] = (struct fw_nmi){ id, false, e[7], fw_u16(e + 2) };
}

/*
 * Two passes over the entries: interrupt entries name buses and I/O
 * APICs, which need not come first.
 */
static int
parse_entries(const uint8_t *t, uint32_t len, unsigned int count, struct fw_apic_info *info)
{
	struct isa_buses isa = { { 0 } };

	for (int pass = 0; pass < 2; pass++) {
		uint32_t off = MPC_HDR_LEN;

		for (unsigned int n = 0; n < count; n++) {
			const uint8_t *e = t + off;
			unsigned int elen;

			if (off >= len || (elen = entry_len(e[0])) == 0 || elen > len - off) {
				if (pass == 0) {
					pr_warn("entry %u of %u at offset %u (type %u) is unknown or "
						"runs past the table (%u bytes): the rest is ignored\n",
						n, count, off, off < len ? e[0] : 0, len);
					info->problems++;
				}
				break;
			}
			if (pass == 0) {
				if (e[0] == MP_PROCESSOR && (e[3] & MP_CPU_ENABLED))
					fw_add_cpu(info, e[1], FW_ID_ALL);
				else if (e[0] == MP_BUS)
					parse_bus(e, &isa);
				else if (e[0] == MP_IOAPIC && (e[3] & MP_IOAPIC_ENABLED))
					fw_add_ioapic(info, e[1], fw_u32(e + 4),
						      info->nr_ioapics ? FW_GSI_UNKNOWN : 0);
			} else if (e[0] == MP_INTSRC) {
				parse_intsrc(e, &isa, info);
			} else if (e[0] == MP_LINTSRC) {
				parse_lintsrc(e, info);
			}
			off += elen;
		}
	}
	if (info->nr_cpus == 0 || info->nr_ioapics == 0) {
		pr_warn("%u usable CPUs and %u I/O APICs: not used\n", info->nr_cpus,
			info->nr_ioapics);
		info->problems++;
		return -ENOENT;
	}
	return 0;
}

int
mp_parse(fw_map_fn map, uint64_t mpfp_pa, struct fw_apic_info *info)
{
	const uint8_t *fp = map(mpfp_pa, MPFP_LEN), *t;
	unsigned int problems;
	uint64_t pa;
	uint32_t len, ext;
	int err;

	fw_info_reset(info, "MP table");
	if (!fp || !mpfp_ok(fp)) {
		pr_warn("no valid floating pointer at %#llx\n", (unsigned long long)mpfp_pa);
		info->problems++;
		return -ENOENT;
	}
	if (fp[11]) {
		pr_warn("default configuration %u (no table): not supported\n", fp[11]);
		info->problems++;
		return -ENOENT;
	}
	info->imcr = fp[12] & MPFP_IMCR;
	pa = fw_u32(fp + 4);
	t = pa ? map(pa, MPC_HDR_LEN) : NULL;
	if (!t || memcmp(t, "PCMP", 4) != 0) {
		pr_warn("no configuration table at %#llx\n", (unsigned long long)pa);
		info->problems++;
		return -ENOENT;
	}
	len = fw_u16(t + 4);
	ext = fw_u16(t + 40);
	if (len < MPC_HDR_LEN || !(t = map(pa, len + ext))) {
		pr_warn("configuration table at %#llx: length %u (+%u) not usable\n",
			(unsigned long long)pa, len, ext);
		info->problems++;
		return -ENOENT;
	}
	if (!fw_checksum_ok(t, len)) {
		pr_warn("configuration table at %#llx: bad checksum\n", (unsigned long long)pa);
		info->problems++;
		return -ENOENT;
	}
	/* The extended entries are not used, but a bad checksum says something. */
	if (ext && !ext_checksum_ok(t + len, ext, t[42])) {
		pr_warn("extended table at %#llx: bad checksum\n", (unsigned long long)(pa + len));
		info->problems++;
	}
	if (t[6] != 1 && t[6] != 4)
		pr_info("specification revision 1.%u\n", t[6]);
	info->lapic_addr = fw_u32(t + 36);
	err = parse_entries(t, len, fw_u16(t + 34), info);
	if (err) {
		problems = info->problems;
		fw_info_reset(info, "MP table");
		info->problems = problems;
	}
	return err;
}
