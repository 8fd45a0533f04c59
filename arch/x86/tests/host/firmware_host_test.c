/*
 * arch/x86/acpi.c and mptable.c on the host, under ASan: tables like
 * QEMU's (SeaBIOS) parse to the right CPUs, I/O APICs and ISA routes,
 * and hostile ones (bad checksums, lengths past the end, overlapping
 * tables, entries of length 0, pointers into nothing, random damage)
 * are reported and skipped without reading a byte outside what map()
 * granted: every map() gets its own exact-size copy, so ASan sees a
 * read past a granted range as the overflow it is.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "host_test.h"
#include <asm/firmware.h>
#include <kernel/errno.h>

struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	void *priv;
	struct console *next;
};
void console_register(struct console *con);

/* ---- the fake physical memory and map() ---- */

#define MEM_SIZE	0x200000	/* 2 MiB: low memory, BIOS area, tables at 1 MiB+ */
#define EBDA		0x9fc00
#define TABLES		0x100000

static uint8_t *mem;
static void *grants[4096];
static unsigned int nr_grants;

static const void *
map(uint64_t pa, size_t len)
{
	void *copy;

	if (pa >= MEM_SIZE || len > MEM_SIZE - pa || nr_grants == 4096)
		return NULL;
	copy = malloc(len ? len : 1);
	memcpy(copy, mem + pa, len);
	grants[nr_grants++] = copy;
	return copy;
}

static char log_text[65536];
static size_t log_len;

static void
capture(struct console *con, const char *s, size_t len)
{
	if (log_len + len < sizeof(log_text)) {
		memcpy(log_text + log_len, s, len);
		log_len += len;
		log_text[log_len] = '\0';
	}
}

static struct console cap = { "capture", capture, NULL, NULL };

/* Empty memory and log; the builders below write what a test needs. */
static void
reset(void)
{
	static bool registered;

	if (!registered) {
		console_register(&cap);
		registered = true;
	}
	for (unsigned int i = 0; i < nr_grants; i++)
		free(grants[i]);
	nr_grants = 0;
	if (!mem)
		mem = malloc(MEM_SIZE);
	memset(mem, 0, MEM_SIZE);
	log_len = 0;
	log_text[0] = '\0';
}

static bool
logged(const char *s)
{
	return strstr(log_text, s) != NULL;
}

/* ---- table builders ---- */

static void
put8(uint64_t pa, uint8_t v)
{
	mem[pa] = v;
}

static void
put16(uint64_t pa, uint16_t v)
{
	put8(pa, (uint8_t)v);
	put8(pa + 1, (uint8_t)(v >> 8));
}

static void
put32(uint64_t pa, uint32_t v)
{
	put16(pa, (uint16_t)v);
	put16(pa + 2, (uint16_t)(v >> 16));
}

static void
put64(uint64_t pa, uint64_t v)
{
	put32(pa, (uint32_t)v);
	put32(pa + 4, (uint32_t)(v >> 32));
}

/* Make bytes [pa, pa + len) sum to zero by adjusting the byte at at. */
static void
fix_sum(uint64_t pa, size_t len, uint64_t at)
{
	uint8_t sum = 0;

	mem[at] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + mem[pa + i]);
	mem[at] = (uint8_t)-sum;
}

static void
rsdp(uint64_t pa, uint32_t rsdt, uint64_t xsdt)
{
	memcpy(mem + pa, "RSD PTR ", 8);
	memcpy(mem + pa + 9, "BOCHS ", 6);
	put8(pa + 15, xsdt ? 2 : 0);
	put32(pa + 16, rsdt);
	fix_sum(pa, 20, pa + 8);
	if (xsdt) {
		put32(pa + 20, 36);
		put64(pa + 24, xsdt);
		fix_sum(pa, 36, pa + 32);
	}
}

static void
header(uint64_t pa, const char *sig, uint32_t len)
{
	memcpy(mem + pa, sig, 4);
	put32(pa + 4, len);
	put8(pa + 8, 1);
	memcpy(mem + pa + 10, "BOCHS ", 6);
}

static void
table_done(uint64_t pa)
{
	uint32_t len = mem[pa + 4] | mem[pa + 5] << 8 | mem[pa + 6] << 16 |
		       (uint32_t)mem[pa + 7] << 24;

	if (len >= 10 && len <= MEM_SIZE - pa)		/* damaged lengths stay damaged */
		fix_sum(pa, len, pa + 9);
}

/* An RSDT (or XSDT, esize 8) listing the given tables. */
static void
root(uint64_t pa, const char *sig, unsigned int esize, const uint64_t *t, unsigned int n)
{
	header(pa, sig, 36 + n * esize);
	for (unsigned int i = 0; i < n; i++) {
		if (esize == 8)
			put64(pa + 36 + i * 8, t[i]);
		else
			put32(pa + 36 + i * 4, (uint32_t)t[i]);
	}
	table_done(pa);
}

/* A MADT like QEMU's for ncpu CPUs; returns its length. */
static uint32_t
madt(uint64_t pa, unsigned int ncpu)
{
	uint64_t p = pa + 44;

	memcpy(mem + pa, "APIC", 4);
	put32(pa + 36, 0xfee00000);
	put32(pa + 40, 1);			/* PCAT_COMPAT */
	for (unsigned int i = 0; i < ncpu; i++, p += 8) {
		put8(p, 0);
		put8(p + 1, 8);
		put8(p + 2, (uint8_t)i);		/* ACPI UID */
		put8(p + 3, (uint8_t)i);		/* APIC ID */
		put32(p + 4, 1);
	}
	put8(p, 1); put8(p + 1, 12); put8(p + 2, 0); put32(p + 4, 0xfec00000); put32(p + 8, 0);
	p += 12;
	static const uint8_t ovr[][2] = { { 0, 2 }, { 5, 5 }, { 9, 9 }, { 10, 10 }, { 11, 11 } };
	for (unsigned int i = 0; i < 5; i++, p += 10) {
		put8(p, 2); put8(p + 1, 10); put8(p + 2, 0); put8(p + 3, ovr[i][0]);
		put32(p + 4, ovr[i][1]);
		put16(p + 8, i ? 0xd : 0);		/* level, active high */
	}
	put8(p, 4); put8(p + 1, 6); put8(p + 2, 0xff); put16(p + 3, 0); put8(p + 5, 1);
	p += 6;
	header(pa, "APIC", (uint32_t)(p - pa));
	put32(pa + 36, 0xfee00000);
	put32(pa + 40, 1);
	table_done(pa);
	return (uint32_t)(p - pa);
}

/* RSDP in the BIOS area -> RSDT -> FACP, APIC (n CPUs), HPET. */
static void
qemu_acpi(unsigned int ncpu)
{
	uint64_t t[3] = { TABLES + 0x100, TABLES + 0x200, TABLES + 0x800 };

	header(t[0], "FACP", 116);
	table_done(t[0]);
	madt(t[1], ncpu);
	header(t[2], "HPET", 56);
	table_done(t[2]);
	root(TABLES, "RSDT", 4, t, 3);
	rsdp(0xf5200, TABLES, 0);
}

static int
parse_acpi(struct fw_apic_info *info)
{
	uint64_t r = acpi_find_rsdp(map, EBDA);

	return r ? acpi_parse(map, r, info) : -1;
}

static struct fw_apic_info info;

/* ---- ACPI ---- */

HOST_TEST(acpi_qemu_like_tables)
{
	reset();
	qemu_acpi(4);
	CHECK(acpi_find_rsdp(map, EBDA) == 0xf5200);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.problems == 0);
	CHECK(strcmp(info.source, "ACPI MADT") == 0);
	CHECK(info.lapic_addr == 0xfee00000);
	CHECK(info.pcat_compat);
	CHECK(info.nr_cpus == 4);
	for (unsigned int i = 0; i < 4; i++)
		CHECK(info.cpus[i].apic_id == i && info.cpus[i].acpi_uid == i);
	CHECK(info.nr_ioapics == 1);
	CHECK(info.ioapics[0].addr == 0xfec00000 && info.ioapics[0].gsi_base == 0);
	/* IRQ 0 on pin 2; IRQ 2 (the cascade) has no pin; the rest identity. */
	CHECK(info.isa[0].valid && info.isa[0].pin == 2 && info.isa[0].flags == 0);
	CHECK(!info.isa[2].valid);
	CHECK(info.isa[4].valid && info.isa[4].pin == 4 && info.isa[4].flags == 0);
	CHECK(info.isa[9].valid && info.isa[9].pin == 9 && info.isa[9].flags == 0xd);
	CHECK(info.nr_nmis == 1 && info.nmis[0].id == FW_ID_ALL && info.nmis[0].lint == 1);
	CHECK(acpi_table("HPET", NULL) == TABLES + 0x800);
	CHECK(acpi_table("SSDT", NULL) == 0);
}

HOST_TEST(acpi_rsdp_search_order_and_checksum)
{
	reset();
	qemu_acpi(1);
	rsdp(EBDA + 0x40, TABLES, 0);
	CHECK(acpi_find_rsdp(map, EBDA) == EBDA + 0x40);	/* the EBDA first */
	mem[EBDA + 0x41] ^= 1;				/* signature gone */
	CHECK(acpi_find_rsdp(map, EBDA) == 0xf5200);
	mem[EBDA + 0x41] ^= 1;
	mem[EBDA + 0x50] ^= 0x20;			/* checksum bad */
	CHECK(acpi_find_rsdp(map, EBDA) == 0xf5200);
	CHECK(logged("bad checksum"));
	mem[0xf5200 + 17] ^= 1;				/* and this one too */
	CHECK(acpi_find_rsdp(map, EBDA) == 0);
	CHECK(acpi_find_rsdp(map, 0) == 0);
	/* Only 16-byte boundaries count. */
	reset();
	qemu_acpi(1);
	memmove(mem + 0xf5208, mem + 0xf5200, 20);
	memset(mem + 0xf5200, 0, 8);
	CHECK(acpi_find_rsdp(map, EBDA) == 0);
}

HOST_TEST(acpi_xsdt_preferred_when_valid)
{
	uint64_t t1[1] = { TABLES + 0x200 }, t2[1] = { TABLES + 0x400 };

	reset();
	madt(TABLES + 0x200, 1);
	madt(TABLES + 0x400, 3);
	root(TABLES, "RSDT", 4, t1, 1);
	root(TABLES + 0x100, "XSDT", 8, t2, 1);
	rsdp(0xf0000, TABLES, TABLES + 0x100);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 3);			/* the XSDT's MADT */
	CHECK(info.problems == 0);

	/* A bad extended checksum: the RSDT, and said so. */
	mem[0xf0000 + 33] ^= 0xff;
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 1);
	CHECK(info.problems == 1);
	CHECK(logged("using the RSDT"));

	/* A broken XSDT: the RSDT too. */
	mem[0xf0000 + 33] ^= 0xff;
	mem[TABLES + 0x100 + 36] ^= 1;
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 1);

	/* The XSDT pointer leading to something else. */
	reset();
	madt(TABLES + 0x200, 2);
	root(TABLES, "RSDT", 4, t1, 1);
	rsdp(0xf0000, TABLES, TABLES + 0x200);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 2);
	CHECK(logged("leads to a APIC table"));
}

HOST_TEST(acpi_bad_tables_skipped)
{
	uint64_t t[4] = { TABLES + 0x200, TABLES + 0x300, MEM_SIZE + 0x1000, 0 };

	/* A MADT with a bad checksum is no MADT. */
	reset();
	qemu_acpi(2);
	mem[TABLES + 0x200 + 50] ^= 0x10;
	CHECK(parse_acpi(&info) < 0);
	CHECK(info.nr_cpus == 0);
	CHECK(logged("APIC at 0x100200: bad checksum"));

	/* Lengths: too short, too long, and pointers into nothing. */
	reset();
	header(TABLES + 0x200, "FACP", 20);
	madt(TABLES + 0x300, 2);
	root(TABLES, "RSDT", 4, t, 4);
	rsdp(0xf0000, TABLES, 0);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 2);
	CHECK(info.problems == 3);
	CHECK(logged("length 20 is not believable"));
	CHECK(logged("cannot be read"));
	put32(TABLES + 0x200 + 4, 0x7fffffff);
	CHECK(parse_acpi(&info) == 0);
	CHECK(logged("length 2147483647 is not believable"));

	/* An RSDT whose length runs past memory. */
	reset();
	qemu_acpi(1);
	put32(TABLES + 4, MEM_SIZE);
	CHECK(parse_acpi(&info) < 0);
	CHECK(logged("RSDT"));

	/* An RSDT with a ragged end: the whole entries are used. */
	reset();
	qemu_acpi(2);
	put32(TABLES + 4, 36 + 3 * 4 + 2);
	table_done(TABLES);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 2);
	CHECK(logged("2 trailing bytes"));
}

HOST_TEST(acpi_overlapping_tables_skipped)
{
	uint64_t t[3] = { TABLES + 0x200, TABLES + 0x210, TABLES + 0x10 };
	uint32_t len;

	reset();
	len = madt(TABLES + 0x200, 2);
	/* A second "table" starting inside the MADT, and one inside the RSDT. */
	CHECK(len > 0x30);
	root(TABLES, "RSDT", 4, t, 3);
	rsdp(0xf0000, TABLES, 0);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 2);
	CHECK(info.problems >= 1);
}

HOST_TEST(acpi_madt_entries_hostile)
{
	uint64_t t[1] = { TABLES + 0x200 };
	uint64_t m = TABLES + 0x200;
	uint32_t len;

	/* An entry running past the table: the ones before it count. */
	reset();
	len = madt(m, 3);
	put8(m + 44 + 8 + 1, 200);			/* the second CPU's length */
	table_done(m);
	root(TABLES, "RSDT", 4, t, 1);
	rsdp(0xf0000, TABLES, 0);
	CHECK(parse_acpi(&info) < 0);			/* no I/O APIC reached */
	CHECK(logged("runs past the end of the table"));

	/* Length 0 must not loop forever. */
	reset();
	len = madt(m, 1);
	put8(m + 44 + 8 + 12 + 1, 0);			/* the first override */
	table_done(m);
	root(TABLES, "RSDT", 4, t, 1);
	rsdp(0xf0000, TABLES, 0);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 1 && info.nr_ioapics == 1);
	/* No override read: IRQ 0 is GSI 0. */
	CHECK(info.isa[0].valid && info.isa[0].pin == 0);

	/* Too short for its type: skipped, the next one read. */
	reset();
	len = madt(m, 2);
	put8(m + 44 + 1, 4);				/* first CPU entry: 4 bytes */
	memmove(mem + m + 48, mem + m + 52, len - 52);
	put32(m + 4, len - 4);
	table_done(m);
	root(TABLES, "RSDT", 4, t, 1);
	rsdp(0xf0000, TABLES, 0);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 1 && info.cpus[0].apic_id == 1);
	CHECK(logged("less than its 8"));
	(void)len;
}

HOST_TEST(acpi_madt_cpu_kinds)
{
	uint64_t t[1] = { TABLES + 0x200 }, m = TABLES + 0x200, p;

	reset();
	memcpy(mem + m, "APIC", 4);
	p = m + 44;
	/* enabled, disabled, online-capable, a duplicate, two x2APICs (one off). */
	const uint32_t flags[] = { 1, 0, 2, 1 };
	const uint8_t ids[] = { 0, 1, 2, 0 };
	for (int i = 0; i < 4; i++, p += 8) {
		put8(p, 0); put8(p + 1, 8); put8(p + 2, (uint8_t)i); put8(p + 3, ids[i]);
		put32(p + 4, flags[i]);
	}
	put8(p, 9); put8(p + 1, 16); put32(p + 4, 0x1234); put32(p + 8, 1); put32(p + 12, 77);
	p += 16;
	put8(p, 9); put8(p + 1, 16); put32(p + 4, 0x1235); put32(p + 8, 0); put32(p + 12, 78);
	p += 16;
	put8(p, 1); put8(p + 1, 12); put8(p + 2, 3); put32(p + 4, 0xfec00000); put32(p + 8, 0);
	p += 12;
	put8(p, 1); put8(p + 1, 12); put8(p + 2, 4); put32(p + 4, 0xfec01000); put32(p + 8, 24);
	p += 12;
	/* IRQ 4 moved to the second I/O APIC's pin 1; an override of a PCI bus. */
	put8(p, 2); put8(p + 1, 10); put8(p + 2, 0); put8(p + 3, 4); put32(p + 4, 25);
	put16(p + 8, 0xf);
	p += 10;
	put8(p, 2); put8(p + 1, 10); put8(p + 2, 1); put8(p + 3, 4); put32(p + 4, 3);
	p += 10;
	/* Local APIC address override, x2APIC NMI. */
	put8(p, 5); put8(p + 1, 12); put64(p + 4, 0xfed00000);
	p += 12;
	put8(p, 10); put8(p + 1, 12); put16(p + 2, 5); put32(p + 4, 77); put8(p + 8, 0);
	p += 12;
	/* An unknown type, longer than anything known. */
	put8(p, 0x7f); put8(p + 1, 40);
	p += 40;
	header(m, "APIC", (uint32_t)(p - m));
	put32(m + 36, 0xfee00000);
	table_done(m);
	root(TABLES, "RSDT", 4, t, 1);
	rsdp(0xf0000, TABLES, 0);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == 3);
	CHECK(info.cpus[0].apic_id == 0 && info.cpus[1].apic_id == 2);
	CHECK(info.cpus[2].apic_id == 0x1234 && info.cpus[2].acpi_uid == 77);
	CHECK(logged("APIC ID 0 listed twice"));
	CHECK(info.nr_ioapics == 2);
	CHECK(info.isa[4].valid && info.isa[4].ioapic == 1 && info.isa[4].pin == 1);
	CHECK(info.isa[4].flags == 0xf);
	CHECK(info.isa[3].valid && info.isa[3].ioapic == 0 && info.isa[3].pin == 3);
	CHECK(logged("not an ISA IRQ"));
	CHECK(info.lapic_addr == 0xfed00000);
	CHECK(info.nr_nmis == 1 && info.nmis[0].by_uid && info.nmis[0].id == 77);
	CHECK(info.problems == 2);
}

HOST_TEST(acpi_many_cpus_counted_not_stored)
{
	uint64_t t[1] = { TABLES + 0x200 }, m = TABLES + 0x200, p = m + 44;

	reset();
	for (unsigned int i = 0; i < FW_MAX_CPUS + 10; i++, p += 16) {
		put8(p, 9); put8(p + 1, 16); put32(p + 4, i); put32(p + 8, 1); put32(p + 12, i);
	}
	put8(p, 1); put8(p + 1, 12); put8(p + 2, 0); put32(p + 4, 0xfec00000);
	p += 12;
	header(m, "APIC", (uint32_t)(p - m));
	table_done(m);
	root(TABLES, "RSDT", 4, t, 1);
	rsdp(0xf0000, TABLES, 0);
	CHECK(parse_acpi(&info) == 0);
	CHECK(info.nr_cpus == FW_MAX_CPUS + 10);
	CHECK(info.cpus[FW_MAX_CPUS - 1].apic_id == FW_MAX_CPUS - 1);
}

/* ---- MP ---- */

/* A table like SeaBIOS's: ncpu processors, PCI and ISA buses, one I/O APIC. */
static uint32_t
mp_table(uint64_t fp, uint64_t pa, unsigned int ncpu)
{
	uint64_t p = pa + 44;
	unsigned int n = 0;

	for (unsigned int i = 0; i < ncpu; i++, p += 20, n++) {
		put8(p, 0); put8(p + 1, (uint8_t)i); put8(p + 2, 0x14);
		put8(p + 3, i ? 1 : 3);
	}
	put8(p, 1); put8(p + 1, 0); memcpy(mem + p + 2, "PCI   ", 6); p += 8; n++;
	put8(p, 1); put8(p + 1, 1); memcpy(mem + p + 2, "ISA   ", 6); p += 8; n++;
	put8(p, 2); put8(p + 1, 2); put8(p + 2, 0x11); put8(p + 3, 1); put32(p + 4, 0xfec00000);
	p += 8; n++;
	/* A PCI interrupt, then ISA 0 -> pin 2 and the identity ones. */
	put8(p, 3); put8(p + 1, 0); put16(p + 2, 0xf); put8(p + 4, 0); put8(p + 5, 0x7c);
	put8(p + 6, 2); put8(p + 7, 10); p += 8; n++;
	static const uint8_t isa[] = { 0, 1, 3, 4, 6, 7, 8, 12, 13, 14, 15 };
	for (unsigned int i = 0; i < sizeof(isa); i++, p += 8, n++) {
		put8(p, 3); put8(p + 1, 0); put16(p + 2, 0); put8(p + 4, 1); put8(p + 5, isa[i]);
		put8(p + 6, 2); put8(p + 7, isa[i] ? isa[i] : 2);
	}
	put8(p, 4); put8(p + 1, 3); put8(p + 4, 1); put8(p + 6, 0); put8(p + 7, 0); p += 8; n++;
	put8(p, 4); put8(p + 1, 1); put8(p + 4, 1); put8(p + 6, 0xff); put8(p + 7, 1); p += 8; n++;
	memcpy(mem + pa, "PCMP", 4);
	put16(pa + 4, (uint16_t)(p - pa));
	put8(pa + 6, 4);
	memcpy(mem + pa + 8, "BOCHSCPU", 8);
	put16(pa + 34, (uint16_t)n);
	put32(pa + 36, 0xfee00000);
	fix_sum(pa, p - pa, pa + 7);
	memcpy(mem + fp, "_MP_", 4);
	put32(fp + 4, (uint32_t)pa);
	put8(fp + 8, 1);
	put8(fp + 9, 4);
	fix_sum(fp, 16, fp + 10);
	return (uint32_t)(p - pa);
}

static int
parse_mp(struct fw_apic_info *i)
{
	uint64_t fp = mp_find(map, EBDA, 0xa0000);

	return fp ? mp_parse(map, fp, i) : -1;
}

HOST_TEST(mp_seabios_like_table)
{
	reset();
	mp_table(0xf5420, 0xf5430, 2);
	CHECK(mp_find(map, EBDA, 0xa0000) == 0xf5420);
	CHECK(parse_mp(&info) == 0);
	CHECK(info.problems == 0);
	CHECK(strcmp(info.source, "MP table") == 0);
	CHECK(info.nr_cpus == 2 && info.cpus[1].apic_id == 1);
	CHECK(info.nr_ioapics == 1 && info.ioapics[0].id == 2);
	CHECK(info.ioapics[0].addr == 0xfec00000 && info.ioapics[0].gsi_base == 0);
	CHECK(info.isa[0].valid && info.isa[0].pin == 2);
	CHECK(info.isa[4].valid && info.isa[4].pin == 4);
	CHECK(!info.isa[2].valid && !info.isa[9].valid);	/* not listed */
	CHECK(info.nr_nmis == 1 && info.nmis[0].id == FW_ID_ALL && !info.nmis[0].by_uid);
	CHECK(!info.imcr);
}

HOST_TEST(mp_search_areas)
{
	reset();
	mp_table(EBDA + 0x10, 0x9fd00, 1);
	CHECK(mp_find(map, EBDA, 0xa0000) == EBDA + 0x10);
	reset();
	mp_table(0x7fc00 + 0x3f0, 0x70000, 1);		/* last KiB of 512 KiB */
	CHECK(mp_find(map, 0, 0x80000) == 0x7fc00 + 0x3f0);
	CHECK(mp_find(map, 0, 0xa0000) == 0);
	reset();
	mp_table(0xf0000, 0x70000, 1);
	mem[0xf0000 + 8] = 2;				/* length must be 1 */
	CHECK(mp_find(map, EBDA, 0xa0000) == 0);
	CHECK(logged("bad length or checksum"));
}

HOST_TEST(mp_hostile_tables)
{
	uint32_t len;

	/* A bad base checksum. */
	reset();
	mp_table(0xf5420, 0xf5430, 2);
	mem[0xf5430 + 50] ^= 1;
	CHECK(parse_mp(&info) < 0 && info.nr_cpus == 0);
	CHECK(logged("bad checksum"));

	/* More entries than the length holds: the ones that fit. */
	reset();
	len = mp_table(0xf5420, 0xf5430, 2);
	put16(0xf5430 + 34, 200);
	fix_sum(0xf5430, len, 0xf5430 + 7);
	CHECK(parse_mp(&info) == 0);
	CHECK(info.nr_cpus == 2);
	CHECK(logged("runs past the table"));

	/* An unknown entry type stops the walk. */
	reset();
	len = mp_table(0xf5420, 0xf5430, 2);
	put8(0xf5430 + 44 + 20, 0x42);			/* the second processor */
	fix_sum(0xf5430, len, 0xf5430 + 7);
	CHECK(parse_mp(&info) < 0);			/* nothing after it: no I/O APIC */
	CHECK(logged("is unknown"));

	/* A length past memory, a header shorter than itself. */
	reset();
	len = mp_table(0xf5420, 0xf5430, 2);
	put16(0xf5430 + 40, 0xffff);			/* extended table: beyond memory? no */
	CHECK(parse_mp(&info) < 0);			/* checksum now wrong */
	reset();
	len = mp_table(0xf5420, 0xf5430, 2);
	put16(0xf5430 + 4, 10);
	CHECK(parse_mp(&info) < 0);
	CHECK(logged("not usable"));

	/* An extended table with a bad checksum is reported, not fatal. */
	reset();
	len = mp_table(0xf5420, 0xf5430, 2);
	put16(0xf5430 + 40, 16);
	put8(0xf5430 + 42, 0x55);
	fix_sum(0xf5430, len, 0xf5430 + 7);
	CHECK(parse_mp(&info) == 0);
	CHECK(logged("extended table"));

	/* Default configurations are not tables. */
	reset();
	mp_table(0xf5420, 0xf5430, 2);
	put8(0xf5420 + 11, 5);
	fix_sum(0xf5420, 16, 0xf5420 + 10);
	CHECK(parse_mp(&info) < 0);
	CHECK(logged("default configuration 5"));

	/* Pointer to nothing. */
	reset();
	mp_table(0xf5420, 0xf5430, 2);
	put32(0xf5420 + 4, MEM_SIZE - 8);
	fix_sum(0xf5420, 16, 0xf5420 + 10);
	CHECK(parse_mp(&info) < 0);
}

/* ---- random damage: whatever the bytes, no read outside a grant ---- */

static uint32_t rng = 12345;

static uint32_t
rnd(void)
{
	rng = rng * 1103515245 + 12345;
	return rng >> 8;
}

HOST_TEST(random_damage_never_reads_outside)
{
	for (int round = 0; round < 2000; round++) {
		uint64_t base;
		uint32_t len;

		reset();
		if (round & 1) {
			qemu_acpi(1 + round % 6);
			base = TABLES;
			len = 0x900;
		} else {
			len = mp_table(0xf5420, 0xf5430, 1 + round % 6);
			base = 0xf5430;
		}
		for (int k = 0; k < 1 + (int)(rnd() % 8); k++)
			mem[base + rnd() % len] = (uint8_t)rnd();
		/* Fix up the checksums now and then, so the parse goes deeper. */
		if (round % 3 == 0) {
			if (round & 1) {
				table_done(TABLES);
				table_done(TABLES + 0x200);
			} else {
				fix_sum(0xf5430, mem[0xf5434] | mem[0xf5435] << 8, 0xf5437);
				/* (a 16-bit length always fits the fake memory) */
			}
		}
		memset(&info, 0xa5, sizeof(info));
		if (round & 1)
			parse_acpi(&info);
		else
			parse_mp(&info);
		CHECK(info.nr_cpus < 100000);
	}
}

/* ---- ACPI power management: the FADT and the DSDT's \_S5 (acpi_pm.c) ---- */

#define FADT_PA		(TABLES + 0x100)
#define DSDT_PA		(TABLES + 0x1000)

/* Name(_S5, Package(4){ 0, 0, 0, 0 }) as QEMU writes it, amid other AML. */
static const uint8_t qemu_s5[] = {
	0x10, 0x05, 0x5c, 0x5f, 0x53, 0x42, 0x5f,	/* Scope(\_SB_) (a 5-byte body) */
	0x5f, 0x53, 0x35, 0x5f,				/* a stray "_S5_" (no NameOp) */
	0x08, 0x5f, 0x53, 0x34, 0x5f, 0x12, 0x06, 0x04, 0x0a, 0x09, 0x00, 0x00, 0x00, /* _S4 */
	0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
};

static void
dsdt(uint64_t pa, const uint8_t *aml, size_t n)
{
	header(pa, "DSDT", (uint32_t)(36 + n));
	memcpy(mem + pa + 36, aml, n);
	table_done(pa);
}

static void
gas(uint64_t pa, uint8_t space, uint8_t width, uint64_t address)
{
	put8(pa, space);
	put8(pa + 1, width);
	put8(pa + 2, 0);
	put8(pa + 3, 0);
	put64(pa + 4, address);
}

/*
 * QEMU's FADT: revision 1 (116 bytes, pc) or 3 (244 bytes, q35: the
 * reset register at 0xcf9, the extended blocks, X_DSDT), PM1a control at
 * I/O 0x604, CMOS century at 0x32; the RSDT lists it and a MADT.
 */
static void
qemu_fadt(unsigned int rev)
{
	uint32_t len = rev >= 3 ? 244 : 116;
	uint64_t t[2] = { FADT_PA, TABLES + 0x200 };

	header(FADT_PA, "FACP", len);
	put8(FADT_PA + 8, (uint8_t)rev);
	put32(FADT_PA + 40, DSDT_PA);
	put32(FADT_PA + 48, 0xb2);			/* SMI_CMD */
	put8(FADT_PA + 52, 0xf1);			/* ACPI_ENABLE */
	put32(FADT_PA + 64, 0x604);			/* PM1a_CNT_BLK */
	put8(FADT_PA + 89, 2);				/* PM1_CNT_LEN */
	put8(FADT_PA + 108, 0x32);			/* CENTURY */
	if (rev >= 3) {
		put32(FADT_PA + 112, 1u << 10);		/* RESET_REG_SUP */
		gas(FADT_PA + 116, 1, 8, 0xcf9);
		put8(FADT_PA + 128, 0x0f);
		put32(FADT_PA + 40, 0);			/* only X_DSDT */
		put64(FADT_PA + 140, DSDT_PA);
		gas(FADT_PA + 172, 1, 16, 0x604);
	}
	table_done(FADT_PA);
	madt(TABLES + 0x200, 1);
	root(TABLES, "RSDT", 4, t, 2);
	rsdp(0xf5200, TABLES, 0);
	dsdt(DSDT_PA, qemu_s5, sizeof(qemu_s5));
}

static struct acpi_pm_info pm;

static int
parse_pm(void)
{
	CHECK(parse_acpi(&info) == 0);
	return acpi_pm_parse(map, &pm);
}

HOST_TEST(acpi_pm_qemu_pc)
{
	reset();
	qemu_fadt(1);
	CHECK(parse_pm() == 0);
	CHECK(pm.valid && pm.problems == 0);
	CHECK(pm.fadt_revision == 1);
	CHECK(pm.century == 0x32);
	CHECK(!pm.no_cmos_rtc && !pm.hw_reduced);
	CHECK(pm.smi_cmd == 0xb2 && pm.acpi_enable == 0xf1);
	CHECK(pm.pm1a_cnt.space == ACPI_SPACE_IO && pm.pm1a_cnt.address == 0x604 &&
	      pm.pm1a_cnt.bit_width == 16);
	CHECK(pm.pm1b_cnt.address == 0);
	CHECK(!pm.reset_supported);			/* ACPI 1.0 has no reset register */
	CHECK(pm.s5_found && pm.slp_typa == 0 && pm.slp_typb == 0);
	CHECK(logged("DSDT: \\_S5 sleep types 0/0"));
}

HOST_TEST(acpi_pm_qemu_q35)
{
	reset();
	qemu_fadt(3);
	CHECK(parse_pm() == 0);
	CHECK(pm.valid && pm.problems == 0);
	CHECK(pm.fadt_revision == 3);
	CHECK(pm.reset_supported);
	CHECK(pm.reset_reg.space == ACPI_SPACE_IO && pm.reset_reg.address == 0xcf9);
	CHECK(pm.reset_value == 0x0f);
	CHECK(pm.pm1a_cnt.space == ACPI_SPACE_IO && pm.pm1a_cnt.address == 0x604);
	CHECK(pm.s5_found && pm.slp_typa == 0);
	CHECK(logged("FADT reset register: I/O 0xcf9, value 0xf"));

	/* IAPC_BOOT_ARCH: no CMOS clock (only read from revision 3 on). */
	put16(FADT_PA + 109, 1u << 5);
	table_done(FADT_PA);
	CHECK(parse_pm() == 0);
	CHECK(pm.no_cmos_rtc);
	put8(FADT_PA + 8, 2);
	table_done(FADT_PA);
	CHECK(parse_pm() == 0);
	CHECK(!pm.no_cmos_rtc);
}

/* \_S5 in the forms firmware writes, and broken ones, each in an exact-size buffer. */
static int
find_s5(const uint8_t *aml, size_t n, uint8_t *a, uint8_t *b)
{
	uint8_t *copy = malloc(n ? n : 1);
	int r;

	if (n)
		memcpy(copy, aml, n);
	r = acpi_find_s5(copy, n, a, b);
	free(copy);
	return r;
}

HOST_TEST(acpi_s5_forms)
{
	static const uint8_t rooted[] = { 0x08, 0x5c, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x06, 0x02,
					  0x0a, 0x05, 0x0a, 0x07 };
	static const uint8_t word_one[] = { 0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x07, 0x03,
					    0x0b, 0x03, 0x00, 0x01, 0x00 };
	/* A two-byte PkgLength (0x40 | low nibble, then the next 8 bits): 0x11 bytes. */
	static const uint8_t long_len[] = { 0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x41, 0x01, 0x02,
					    0x0c, 0x06, 0x00, 0x00, 0x00, 0x0e, 0x02, 0, 0, 0,
					    0, 0, 0, 0 };
	static const uint8_t too_big[] = { 0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x06, 0x02,
					   0x0a, 0x08, 0x00, 0x00 };
	static const uint8_t ones[] = { 0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x04, 0x02, 0xff, 0x00 };
	static const uint8_t one_element[] = { 0x08, 0x5f, 0x53, 0x35, 0x5f, 0x12, 0x03, 0x01, 0x05 };
	static const uint8_t method[] = { 0x14, 0x08, 0x5f, 0x53, 0x35, 0x5f, 0x00, 0xa4, 0x00 };
	uint8_t a = 99, b = 99;

	CHECK(find_s5(qemu_s5, sizeof(qemu_s5), &a, &b) == 0 && a == 0 && b == 0);
	CHECK(find_s5(rooted, sizeof(rooted), &a, &b) == 0 && a == 5 && b == 7);
	CHECK(find_s5(word_one, sizeof(word_one), &a, &b) == 0 && a == 3 && b == 1);
	CHECK(find_s5(long_len, sizeof(long_len), &a, &b) == 0 && a == 6 && b == 2);
	CHECK(find_s5(too_big, sizeof(too_big), &a, &b) == -ENOENT);	/* SLP_TYP is 3 bits */
	CHECK(find_s5(ones, sizeof(ones), &a, &b) == -ENOENT);
	CHECK(find_s5(one_element, sizeof(one_element), &a, &b) == -ENOENT);
	CHECK(find_s5(method, sizeof(method), &a, &b) == -ENOENT);	/* a method: not read */
	CHECK(find_s5(NULL, 0, &a, &b) == -ENOENT);
	/* Cut short anywhere: never found, never read past the end (ASan). */
	for (size_t n = 0; n < sizeof(rooted); n++)
		CHECK(find_s5(rooted, n, &a, &b) == -ENOENT);
	for (size_t n = 0; n < sizeof(long_len); n++)
		CHECK(find_s5(long_len, n, &a, &b) == -ENOENT);
}

HOST_TEST(acpi_pm_bad_tables)
{
	/* No FADT. */
	reset();
	qemu_acpi(1);
	memcpy(mem + FADT_PA, "FACQ", 4);
	table_done(FADT_PA);
	CHECK(parse_pm() == -ENOENT);
	CHECK(!pm.valid);
	CHECK(logged("no FADT"));

	/* Shorter than ACPI 1.0's. */
	reset();
	qemu_fadt(1);
	put32(FADT_PA + 4, 100);
	table_done(FADT_PA);
	CHECK(parse_pm() == -ENOENT);
	CHECK(pm.problems == 1 && logged("shorter than ACPI 1.0"));

	/* A DSDT with a bad checksum: the FADT still serves (reset), no \_S5. */
	reset();
	qemu_fadt(3);
	mem[DSDT_PA + 40] ^= 1;
	CHECK(parse_pm() == 0);
	CHECK(pm.valid && !pm.s5_found && pm.reset_supported && pm.problems == 1);
	CHECK(logged("DSDT DSDT at 0x101000: bad checksum"));

	/* The DSDT pointer leading elsewhere, or nowhere. */
	reset();
	qemu_fadt(3);
	put64(FADT_PA + 140, TABLES + 0x200);
	table_done(FADT_PA);
	CHECK(parse_pm() == 0);
	CHECK(!pm.s5_found && logged("leads to a APIC table"));
	put64(FADT_PA + 140, (uint64_t)MEM_SIZE + 0x1000);
	table_done(FADT_PA);
	CHECK(parse_pm() == 0);
	CHECK(!pm.s5_found && logged("cannot be read"));

	/* A DSDT length past the end of memory. */
	reset();
	qemu_fadt(1);
	put32(DSDT_PA + 4, 0x200000);
	CHECK(parse_pm() == 0);
	CHECK(!pm.s5_found);
}

HOST_TEST(acpi_pm_random_damage)
{
	for (int round = 0; round < 2000; round++) {
		reset();
		qemu_fadt(round & 1 ? 3 : 1);
		for (int k = 0; k < 1 + (int)(rnd() % 6); k++) {
			if (rnd() & 1)
				mem[FADT_PA + rnd() % 244] = (uint8_t)rnd();
			else
				mem[DSDT_PA + rnd() % (36 + sizeof(qemu_s5))] = (uint8_t)rnd();
		}
		if (round % 3 == 0) {
			table_done(FADT_PA);
			table_done(DSDT_PA);
		}
		memset(&pm, 0xa5, sizeof(pm));
		if (parse_acpi(&info) == 0 && acpi_pm_parse(map, &pm) == 0)
			CHECK(!pm.s5_found || (pm.slp_typa <= 7 && pm.slp_typb <= 7));
	}
}
